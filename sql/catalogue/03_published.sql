-- View lakegate._discovery.published: lakegate's publish record of each table and view
-- (the lake's _lakegate.published), with its columns' recorded details parsed from JSON:
-- the source type (GEOMETRY with its coordinate system), and the comment — the only place where
-- view columns' comments live, because DuckLake cannot store them.
CREATE OR REPLACE VIEW lakegate._discovery.published AS
SELECT
    schema_name,
    table_name,
    kind,
    row_count,
    snapshot_id,
    published_at,
    source_file,
    pin_name,
    from_json(columns, '[{"name": "VARCHAR", "source_type": "VARCHAR", "crs": "VARCHAR", "comment": "VARCHAR"}]')
        AS columns
FROM {{published}};
