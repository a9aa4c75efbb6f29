-- View lakegate.columns: every column of every table and view of the lake, in column order.
--   schema, table     the table or view it belongs to
--   position          1-based column position
--   name              column name
--   type              the type as published: the source's type when lakegate recorded it
--                     (GEOMETRY('EPSG:27700') keeps its coordinate system, which DuckLake drops),
--                     otherwise the lake's type
--   description       the column's COMMENT; for view columns, which DuckLake cannot annotate,
--                     the comment recorded at publish time
--   nullable          whether the column may hold NULL
CREATE OR REPLACE VIEW lakegate.main.columns AS
WITH recorded AS (
    SELECT p.schema_name, p.table_name, c.name, c.source_type, c.crs, c.comment
    FROM lakegate._discovery.published p, unnest(p.columns) AS u(c)
)
SELECT
    c.schema_name                                                         AS schema,
    c.table_name                                                          AS "table",
    c.column_index::INTEGER                                               AS position,
    c.column_name                                                         AS name,
    CASE
        WHEN r.source_type = 'GEOMETRY' AND r.crs IS NOT NULL
            THEN 'GEOMETRY(''' || replace(r.crs, '''', '''''') || ''')'
        ELSE coalesce(r.source_type, c.data_type)
    END                                                                   AS type,
    coalesce(c.comment, r.comment)                                        AS description,
    c.is_nullable                                                         AS nullable
FROM duckdb_columns() c
LEFT JOIN recorded r
       ON r.schema_name = c.schema_name AND r.table_name = c.table_name AND r.name = c.column_name
WHERE c.database_name = {{lake_name}} AND NOT c.internal AND c.schema_name <> '_lakegate'
ORDER BY c.schema_name <> 'main', c.schema_name, c.table_name, c.column_index;

-- The view documents itself (see 10_datasets.sql).
COMMENT ON VIEW lakegate.main.columns IS
    'Every column of every table and view of the lake, in column order, with its type and description.';
COMMENT ON COLUMN lakegate.main.columns.schema IS 'Schema of the table or view the column belongs to';
COMMENT ON COLUMN lakegate.main.columns."table" IS 'The table or view the column belongs to';
COMMENT ON COLUMN lakegate.main.columns.position IS '1-based column position';
COMMENT ON COLUMN lakegate.main.columns.name IS 'Column name';
COMMENT ON COLUMN lakegate.main.columns.type IS 'The type as published (a GEOMETRY keeps its coordinate system)';
COMMENT ON COLUMN lakegate.main.columns.description IS 'The column''s description (its COMMENT)';
COMMENT ON COLUMN lakegate.main.columns.nullable IS 'Whether the column may hold NULL';
