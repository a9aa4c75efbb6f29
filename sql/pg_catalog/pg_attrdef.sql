-- pg_attrdef: column defaults; lake columns have none.
-- https://www.postgresql.org/docs/16/catalog-pg-attrdef.html
CREATE VIEW lakegate.pg.pg_attrdef AS
SELECT CAST(NULL AS INTEGER) AS oid, CAST(NULL AS INTEGER) AS adrelid, CAST(NULL AS SMALLINT) AS adnum,
       CAST(NULL AS VARCHAR) AS adbin
WHERE false;
