-- pg_tables: the tables of pg_class with their schema and owner (RPostgreSQL's dbListTables reads it).
-- https://www.postgresql.org/docs/16/view-pg-tables.html
CREATE VIEW lakegate.pg.pg_tables AS
SELECT r.nspname AS schemaname, r.relname AS tablename, 'lakegate' AS tableowner,
       CAST(NULL AS VARCHAR) AS tablespace, false AS hasindexes, false AS hasrules, false AS hastriggers,
       false AS rowsecurity
FROM lakegate.pg.lg_relations r
WHERE r.relkind = 'r';
