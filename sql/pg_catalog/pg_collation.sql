-- pg_collation: the three collations every PostgreSQL has (default 100, "C" 950, "POSIX" 951).
-- Text columns carry their type's collation (100), so psql shows no Collation column values.
-- https://www.postgresql.org/docs/16/catalog-pg-collation.html
CREATE VIEW lakegate.pg.pg_collation AS
SELECT * FROM (VALUES
    (100, 'default', 11, 10, 'd', true, -1, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR)),
    (950, 'C', 11, 10, 'c', true, -1, 'C', 'C'),
    (951, 'POSIX', 11, 10, 'c', true, -1, 'POSIX', 'POSIX')
) AS t(oid, collname, collnamespace, collowner, collprovider, collisdeterministic, collencoding,
       collcollate, collctype);
