-- pg_inherits: inheritance and partitions; there are none.
-- https://www.postgresql.org/docs/16/catalog-pg-inherits.html
CREATE VIEW lakegate.pg.pg_inherits AS
SELECT CAST(NULL AS INTEGER) AS inhrelid, CAST(NULL AS INTEGER) AS inhparent,
       CAST(NULL AS INTEGER) AS inhseqno, CAST(NULL AS BOOLEAN) AS inhdetachpending
WHERE false;
