-- pg_indexes: indexes with their definition; there are none.
-- https://www.postgresql.org/docs/16/view-pg-indexes.html
CREATE VIEW lakegate.pg.pg_indexes AS
SELECT CAST(NULL AS VARCHAR) AS schemaname, CAST(NULL AS VARCHAR) AS tablename,
       CAST(NULL AS VARCHAR) AS indexname, CAST(NULL AS VARCHAR) AS tablespace,
       CAST(NULL AS VARCHAR) AS indexdef
WHERE false;
