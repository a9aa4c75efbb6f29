-- View lakegate.datasets: every table and view of the lake, one row each, with its description
-- and what lakegate recorded when publishing it. Read live from DuckDB's catalogue of the lake,
-- so a publish that lands while the server runs shows up in the next query.
--   schema, name      where it is: query it as name (schema main) or schema.name
--   kind              'table' or 'view'
--   description       the table's or view's COMMENT
--   row_count         rows, as counted when published (for a table lakegate did not publish:
--                     DuckLake's record count)
--   column_count      number of columns
--   size_bytes        parquet bytes in the lake (NULL for views)
--   last_published    when lakegate last wrote it (NULL if it was not published by lakegate)
--   snapshot_id       the DuckLake snapshot that last wrote it
--   pin_name          the pin it is written to on the pins board (NULL when pins are off)
-- lakegate's own record (schema _lakegate) is not listed.
CREATE OR REPLACE VIEW lakegate.main.datasets AS
WITH objects AS (
    SELECT schema_name, table_name AS name, 'table' AS kind, comment, column_count
    FROM duckdb_tables()
    WHERE database_name = {{lake_name}} AND NOT internal
    UNION ALL
    SELECT v.schema_name, v.view_name, 'view', v.comment,
           (SELECT count(*) FROM duckdb_columns() c
            WHERE c.database_name = v.database_name AND c.schema_name = v.schema_name
              AND c.table_name = v.view_name)
    FROM duckdb_views() v
    WHERE v.database_name = {{lake_name}} AND NOT v.internal
)
SELECT
    o.schema_name                                                         AS schema,
    o.name                                                                AS name,
    o.kind                                                                AS kind,
    o.comment                                                             AS description,
    coalesce(p.row_count, b.record_count)::BIGINT
                                                                          AS row_count,
    o.column_count::BIGINT                                                AS column_count,
    b.size_bytes                                                          AS size_bytes,
    p.published_at                                                        AS last_published,
    p.snapshot_id                                                         AS snapshot_id,
    p.pin_name                                                            AS pin_name
FROM objects o
LEFT JOIN lakegate._discovery.published p
       ON p.schema_name = o.schema_name AND p.table_name = o.name
LEFT JOIN lakegate._discovery.table_bytes b
       ON o.kind = 'table' AND b.schema_name = o.schema_name AND b.table_name = o.name
WHERE o.schema_name <> '_lakegate'
ORDER BY o.schema_name <> 'main', o.schema_name, o.name;
