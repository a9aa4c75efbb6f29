-- pg_description: every comment of the lake — on tables and views (objsubid 0), on their columns
-- (objsubid = column number; view columns from lakegate's publish record) and on schemas — with
-- classoid = the OID of the catalogue that holds the object (1259 pg_class, 2615 pg_namespace), as
-- psql, SQLAlchemy (`classoid = 'pg_catalog.pg_class'::regclass`) and obj_description expect.
-- https://www.postgresql.org/docs/16/catalog-pg-description.html
CREATE VIEW lakegate.pg.pg_description AS
SELECT r.oid AS objoid, 1259 AS classoid, 0 AS objsubid, r.comment AS description
FROM lakegate.pg.lg_relations r
WHERE r.comment IS NOT NULL
UNION ALL
SELECT c.attrelid, 1259, CAST(c.attnum AS INTEGER), c.comment
FROM lakegate.pg.lg_columns c
WHERE c.comment IS NOT NULL
UNION ALL
SELECT n.oid, 2615, 0, n.comment
FROM lakegate.pg.lg_namespaces n
WHERE n.comment IS NOT NULL;
