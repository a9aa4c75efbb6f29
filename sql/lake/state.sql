-- lakegate's record of what it published, kept inside the lake so that it changes in the same
-- DuckLake snapshot as the data it describes. One row per published table or view.
-- Run by `lakegate publish` with the lake as the current database (USE <lake>).
-- The schema name starts with an underscore; the PostgreSQL catalogue and discovery hide it.
CREATE SCHEMA IF NOT EXISTS _lakegate;

CREATE TABLE IF NOT EXISTS _lakegate.published (
    schema_name   VARCHAR NOT NULL,
    table_name    VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,  -- 'table' or 'view'
    fingerprint   VARCHAR NOT NULL,  -- sha256 of DuckDB version, columns, types and content hash
    comments_fingerprint VARCHAR NOT NULL, -- sha256 of the table, view and column comments
    row_count     BIGINT,
    snapshot_id   BIGINT,            -- the DuckLake snapshot that last wrote this table
    published_at  TIMESTAMPTZ,
    source_file   VARCHAR,           -- the source file's name, not its path
    pin_name      VARCHAR,           -- the pin this table is written to, if pins are on
    columns       JSON               -- [{"name", "source_type", "crs"}]: what DuckLake does not keep
);
