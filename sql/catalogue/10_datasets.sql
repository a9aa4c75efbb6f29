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

-- The view documents itself, as every dataset of the lake does (psql's \dv+ and \d+, SQLAlchemy's
-- inspector and col_description show these).
COMMENT ON VIEW lakegate.main.datasets IS
    'Every table and view of the lake, one row each, with its description and what lakegate recorded when publishing it.';
COMMENT ON COLUMN lakegate.main.datasets.schema IS 'Schema of the table or view: query it as name (schema main) or schema.name';
COMMENT ON COLUMN lakegate.main.datasets.name IS 'Name of the table or view';
COMMENT ON COLUMN lakegate.main.datasets.kind IS '''table'' or ''view''';
COMMENT ON COLUMN lakegate.main.datasets.description IS 'The table''s or view''s description (its COMMENT)';
COMMENT ON COLUMN lakegate.main.datasets.row_count IS 'Rows, as counted when published';
COMMENT ON COLUMN lakegate.main.datasets.column_count IS 'Number of columns';
COMMENT ON COLUMN lakegate.main.datasets.size_bytes IS 'Parquet bytes in the lake (NULL for views)';
COMMENT ON COLUMN lakegate.main.datasets.last_published IS 'When lakegate last wrote it (NULL if lakegate did not publish it)';
COMMENT ON COLUMN lakegate.main.datasets.snapshot_id IS 'The DuckLake snapshot that last wrote it';
COMMENT ON COLUMN lakegate.main.datasets.pin_name IS 'The pin it is written to on the pins board, for offline reads with R or Python pins (NULL when pins are off)';
