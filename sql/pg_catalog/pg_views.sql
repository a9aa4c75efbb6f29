-- pg_views: the views of pg_class with their definition (DuckDB's SQL text of the view).
-- https://www.postgresql.org/docs/16/view-pg-views.html
CREATE VIEW lakegate.pg.pg_views AS
SELECT r.nspname AS schemaname, r.relname AS viewname, 'lakegate' AS viewowner,
       lakegate.pg.lg_view_body(r.sql) AS definition
FROM lakegate.pg.lg_relations r
WHERE r.relkind = 'v';
