-- pg_constraint: constraints; lake tables have none (no primary, unique, foreign keys or checks).
-- https://www.postgresql.org/docs/16/catalog-pg-constraint.html
CREATE VIEW lakegate.pg.pg_constraint AS
SELECT CAST(NULL AS INTEGER) AS oid, CAST(NULL AS VARCHAR) AS conname, CAST(NULL AS INTEGER) AS connamespace,
       CAST(NULL AS VARCHAR) AS contype, CAST(NULL AS BOOLEAN) AS condeferrable,
       CAST(NULL AS BOOLEAN) AS condeferred, CAST(NULL AS BOOLEAN) AS convalidated,
       CAST(NULL AS INTEGER) AS conrelid, CAST(NULL AS INTEGER) AS contypid, CAST(NULL AS INTEGER) AS conindid,
       CAST(NULL AS INTEGER) AS conparentid, CAST(NULL AS INTEGER) AS confrelid,
       CAST(NULL AS VARCHAR) AS confupdtype, CAST(NULL AS VARCHAR) AS confdeltype,
       CAST(NULL AS VARCHAR) AS confmatchtype, CAST(NULL AS BOOLEAN) AS conislocal,
       CAST(NULL AS INTEGER) AS coninhcount, CAST(NULL AS BOOLEAN) AS connoinherit,
       CAST(NULL AS SMALLINT[]) AS conkey, CAST(NULL AS SMALLINT[]) AS confkey,
       CAST(NULL AS INTEGER[]) AS conpfeqop, CAST(NULL AS INTEGER[]) AS conppeqop,
       CAST(NULL AS INTEGER[]) AS conffeqop, CAST(NULL AS SMALLINT[]) AS confdelsetcols,
       CAST(NULL AS INTEGER[]) AS conexclop, CAST(NULL AS VARCHAR) AS conbin
WHERE false;
