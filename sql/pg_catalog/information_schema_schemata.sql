-- information_schema.schemata: the schemas of pg_namespace.
-- https://www.postgresql.org/docs/16/infoschema-schemata.html
CREATE VIEW lakegate.pgis.schemata AS
SELECT @LAKE_NAME@ AS catalog_name, n.nspname AS schema_name, 'lakegate' AS schema_owner,
       CAST(NULL AS VARCHAR) AS default_character_set_catalog, CAST(NULL AS VARCHAR) AS default_character_set_schema,
       CAST(NULL AS VARCHAR) AS default_character_set_name, CAST(NULL AS VARCHAR) AS sql_path
FROM lakegate.pg.lg_namespaces n;
