-- Schema lakegate._discovery: the helpers behind lakegate.datasets, lakegate.columns and
-- lakegate.search (internal; its objects may change between versions).
-- The files of sql/catalogue run in name order, at server start (before the sandbox is locked)
-- and in every `lakegate catalogue` command. Placeholders, filled in by src/catalogue/sql.rs:
-- {{lake_name}} (the lake's alias as a string literal), {{metadata}} (DuckLake's metadata
-- catalogue) and {{published}} (the publish record, or an empty stand-in when there is none).
CREATE SCHEMA IF NOT EXISTS lakegate._discovery;
