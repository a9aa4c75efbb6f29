-- pg_proc: functions. Empty: the lake defines none, and PostgreSQL's built-in functions are not
-- listed (psql's `\df` shows nothing, as for a fresh PostgreSQL database).
-- https://www.postgresql.org/docs/16/catalog-pg-proc.html
CREATE VIEW lakegate.pg.pg_proc AS
SELECT CAST(NULL AS INTEGER) AS oid, CAST(NULL AS VARCHAR) AS proname, CAST(NULL AS INTEGER) AS pronamespace,
       CAST(NULL AS INTEGER) AS proowner, CAST(NULL AS INTEGER) AS prolang, CAST(NULL AS FLOAT) AS procost,
       CAST(NULL AS FLOAT) AS prorows, CAST(NULL AS INTEGER) AS provariadic,
       CAST(NULL AS VARCHAR) AS prosupport, CAST(NULL AS VARCHAR) AS prokind,
       CAST(NULL AS BOOLEAN) AS prosecdef, CAST(NULL AS BOOLEAN) AS proleakproof,
       CAST(NULL AS BOOLEAN) AS proisstrict, CAST(NULL AS BOOLEAN) AS proretset,
       CAST(NULL AS VARCHAR) AS provolatile, CAST(NULL AS VARCHAR) AS proparallel,
       CAST(NULL AS SMALLINT) AS pronargs, CAST(NULL AS SMALLINT) AS pronargdefaults,
       CAST(NULL AS INTEGER) AS prorettype, CAST(NULL AS INTEGER[]) AS proargtypes,
       CAST(NULL AS INTEGER[]) AS proallargtypes, CAST(NULL AS VARCHAR[]) AS proargmodes,
       CAST(NULL AS VARCHAR[]) AS proargnames, CAST(NULL AS VARCHAR) AS proargdefaults,
       CAST(NULL AS INTEGER[]) AS protrftypes, CAST(NULL AS VARCHAR) AS prosrc, CAST(NULL AS VARCHAR) AS probin,
       CAST(NULL AS VARCHAR) AS prosqlbody, CAST(NULL AS VARCHAR[]) AS proconfig,
       CAST(NULL AS VARCHAR[]) AS proacl
WHERE false;
