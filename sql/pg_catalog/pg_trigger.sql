-- pg_trigger: triggers; there are none.
-- https://www.postgresql.org/docs/16/catalog-pg-trigger.html
CREATE VIEW lakegate.pg.pg_trigger AS
SELECT CAST(NULL AS INTEGER) AS oid, CAST(NULL AS INTEGER) AS tgrelid, CAST(NULL AS INTEGER) AS tgparentid,
       CAST(NULL AS VARCHAR) AS tgname, CAST(NULL AS INTEGER) AS tgfoid, CAST(NULL AS SMALLINT) AS tgtype,
       CAST(NULL AS VARCHAR) AS tgenabled, CAST(NULL AS BOOLEAN) AS tgisinternal,
       CAST(NULL AS INTEGER) AS tgconstrrelid, CAST(NULL AS INTEGER) AS tgconstrindid,
       CAST(NULL AS INTEGER) AS tgconstraint, CAST(NULL AS BOOLEAN) AS tgdeferrable,
       CAST(NULL AS BOOLEAN) AS tginitdeferred, CAST(NULL AS SMALLINT) AS tgnargs,
       CAST(NULL AS SMALLINT[]) AS tgattr, CAST(NULL AS BLOB) AS tgargs, CAST(NULL AS VARCHAR) AS tgqual,
       CAST(NULL AS VARCHAR) AS tgoldtable, CAST(NULL AS VARCHAR) AS tgnewtable
WHERE false;
