-- pg_sequence: sequences; a lake has none.
-- https://www.postgresql.org/docs/16/catalog-pg-sequence.html
CREATE VIEW lakegate.pg.pg_sequence AS
SELECT CAST(NULL AS INTEGER) AS seqrelid, CAST(NULL AS INTEGER) AS seqtypid, CAST(NULL AS BIGINT) AS seqstart,
       CAST(NULL AS BIGINT) AS seqincrement, CAST(NULL AS BIGINT) AS seqmax, CAST(NULL AS BIGINT) AS seqmin,
       CAST(NULL AS BIGINT) AS seqcache, CAST(NULL AS BOOLEAN) AS seqcycle
WHERE false;
