-- pg_opclass: operator classes (only read for indexes, of which there are none).
-- https://www.postgresql.org/docs/16/catalog-pg-opclass.html
CREATE VIEW lakegate.pg.pg_opclass AS
SELECT CAST(NULL AS INTEGER) AS oid, CAST(NULL AS INTEGER) AS opcmethod, CAST(NULL AS VARCHAR) AS opcname,
       CAST(NULL AS INTEGER) AS opcnamespace, CAST(NULL AS INTEGER) AS opcowner,
       CAST(NULL AS INTEGER) AS opcfamily, CAST(NULL AS INTEGER) AS opcintype,
       CAST(NULL AS BOOLEAN) AS opcdefault, CAST(NULL AS INTEGER) AS opckeytype
WHERE false;
