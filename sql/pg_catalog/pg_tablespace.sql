-- pg_tablespace: PostgreSQL's two default tablespaces (relations have reltablespace 0 = the default).
-- https://www.postgresql.org/docs/16/catalog-pg-tablespace.html
CREATE VIEW lakegate.pg.pg_tablespace AS
SELECT * FROM (VALUES (1663, 'pg_default', 10, CAST(NULL AS VARCHAR[]), CAST(NULL AS VARCHAR[])),
                      (1664, 'pg_global', 10, NULL, NULL)) AS t(oid, spcname, spcowner, spcacl, spcoptions);
