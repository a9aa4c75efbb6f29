-- information_schema.views: the views of pg_class with their definition.
-- https://www.postgresql.org/docs/16/infoschema-views.html
CREATE VIEW lakegate.pgis.views AS
SELECT @LAKE_NAME@ AS table_catalog, r.nspname AS table_schema, r.relname AS table_name,
       lakegate.pg.lg_view_body(r.sql) AS view_definition, 'NONE' AS check_option, 'NO' AS is_updatable,
       'NO' AS is_insertable_into, 'NO' AS is_trigger_updatable, 'NO' AS is_trigger_deletable,
       'NO' AS is_trigger_insertable_into
FROM lakegate.pg.lg_relations r
WHERE r.relkind = 'v';
