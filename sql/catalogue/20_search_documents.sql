-- View lakegate._discovery.documents: the texts that search looks in, one row per piece of text,
-- each with its weight (how much a match there says about the dataset):
--   name                the dataset's name, schema-qualified outside main        10
--   column              a column's name                                           6
--   description         the table's or view's description                         4
--   column description  a column's description                                    2
CREATE OR REPLACE VIEW lakegate._discovery.documents AS
WITH objects AS (
    SELECT schema_name, table_name AS name, 'table' AS kind, comment
    FROM duckdb_tables()
    WHERE database_name = {{lake_name}} AND NOT internal AND schema_name <> '_lakegate'
    UNION ALL
    SELECT schema_name, view_name, 'view', comment
    FROM duckdb_views()
    WHERE database_name = {{lake_name}} AND NOT internal AND schema_name <> '_lakegate'
)
SELECT schema_name AS schema, name, kind, 'name' AS place, NULL::VARCHAR AS column_name,
       0 AS position, CASE WHEN schema_name = 'main' THEN name ELSE schema_name || '.' || name END AS text,
       10.0 AS weight
FROM objects
UNION ALL
SELECT schema_name, name, kind, 'description', NULL, 0, comment, 4.0
FROM objects
WHERE comment IS NOT NULL
UNION ALL
SELECT c.schema, c."table", o.kind, 'column', c.name, c.position, c.name, 6.0
FROM lakegate.main.columns c
JOIN objects o ON o.schema_name = c.schema AND o.name = c."table"
UNION ALL
SELECT c.schema, c."table", o.kind, 'column description', c.name, c.position, c.description, 2.0
FROM lakegate.main.columns c
JOIN objects o ON o.schema_name = c.schema AND o.name = c."table"
WHERE c.description IS NOT NULL;
