-- pg_attribute: the columns of every relation in pg_class, numbered from 1, with the PostgreSQL type
-- lakegate sends for the column's DuckDB type (lg_column_types.sql) and numeric(p,s) as typmod.
-- No system columns (attnum < 1), defaults, identity or generated columns.
-- https://www.postgresql.org/docs/16/catalog-pg-attribute.html
CREATE VIEW lakegate.pg.pg_attribute AS
SELECT c.attrelid,
       c.attname,
       c.atttypid,
       CAST(coalesce(t.typlen, -1) AS SMALLINT) AS attlen,
       c.attnum,
       0 AS attcacheoff,
       c.atttypmod,
       CAST(CASE WHEN t.typcategory = 'A' THEN 1 ELSE 0 END AS SMALLINT) AS attndims,
       coalesce(t.typbyval, false) AS attbyval,
       coalesce(t.typalign, 'i') AS attalign,
       coalesce(t.typstorage, 'x') AS attstorage,
       '' AS attcompression,
       c.attnotnull,
       false AS atthasdef,
       false AS atthasmissing,
       '' AS attidentity,
       '' AS attgenerated,
       false AS attisdropped,
       true AS attislocal,
       0 AS attinhcount,
       -1 AS attstattarget,
       coalesce(t.typcollation, 0) AS attcollation,
       CAST(NULL AS VARCHAR[]) AS attacl,
       CAST(NULL AS VARCHAR[]) AS attoptions,
       CAST(NULL AS VARCHAR[]) AS attfdwoptions,
       CAST(NULL AS VARCHAR[]) AS attmissingval
FROM lakegate.pg.lg_columns c
LEFT JOIN lakegate.pg.lg_types t ON t.oid = c.atttypid;
