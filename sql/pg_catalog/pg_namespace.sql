-- pg_namespace: the schemas. The lake's schemas keep their DuckDB names (`main` stays `main`: it is
-- the lake's default schema, where PostgreSQL would have `public`); lakegate's internal `_lakegate`
-- is hidden; `lakegate` is the discovery schema; pg_catalog and information_schema are there too.
-- https://www.postgresql.org/docs/16/catalog-pg-namespace.html
CREATE VIEW lakegate.pg.pg_namespace AS
SELECT n.oid,
       n.nspname,
       10 AS nspowner,
       CAST(NULL AS VARCHAR[]) AS nspacl
FROM lakegate.pg.lg_namespaces n;
