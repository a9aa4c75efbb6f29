-- pg_matviews: materialized views; there are none.
-- https://www.postgresql.org/docs/16/view-pg-matviews.html
CREATE VIEW lakegate.pg.pg_matviews AS
SELECT CAST(NULL AS VARCHAR) AS schemaname, CAST(NULL AS VARCHAR) AS matviewname,
       CAST(NULL AS VARCHAR) AS matviewowner, CAST(NULL AS VARCHAR) AS tablespace,
       CAST(NULL AS BOOLEAN) AS hasindexes, CAST(NULL AS BOOLEAN) AS ispopulated,
       CAST(NULL AS VARCHAR) AS definition
WHERE false;
