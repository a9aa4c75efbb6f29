-- pg_shdescription: comments on shared objects (databases, roles); there are none.
-- https://www.postgresql.org/docs/16/catalog-pg-shdescription.html
CREATE VIEW lakegate.pg.pg_shdescription AS
SELECT CAST(NULL AS INTEGER) AS objoid, CAST(NULL AS INTEGER) AS classoid, CAST(NULL AS VARCHAR) AS description
WHERE false;
