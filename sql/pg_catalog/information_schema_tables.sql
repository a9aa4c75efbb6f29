-- information_schema.tables: every relation of pg_class, 'BASE TABLE' or 'VIEW'; nothing is insertable.
-- https://www.postgresql.org/docs/16/infoschema-tables.html
CREATE VIEW lakegate.pgis.tables AS
SELECT @LAKE_NAME@ AS table_catalog, r.nspname AS table_schema, r.relname AS table_name,
       CASE WHEN r.relkind = 'v' THEN 'VIEW' ELSE 'BASE TABLE' END AS table_type,
       CAST(NULL AS VARCHAR) AS self_referencing_column_name, CAST(NULL AS VARCHAR) AS reference_generation,
       CAST(NULL AS VARCHAR) AS user_defined_type_catalog, CAST(NULL AS VARCHAR) AS user_defined_type_schema,
       CAST(NULL AS VARCHAR) AS user_defined_type_name, 'NO' AS is_insertable_into, 'NO' AS is_typed,
       CAST(NULL AS VARCHAR) AS commit_action
FROM lakegate.pg.lg_relations r;
