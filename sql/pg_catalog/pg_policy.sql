-- pg_policy: row-level security policies; there are none.
-- https://www.postgresql.org/docs/16/catalog-pg-policy.html
CREATE VIEW lakegate.pg.pg_policy AS
SELECT CAST(NULL AS INTEGER) AS oid, CAST(NULL AS VARCHAR) AS polname, CAST(NULL AS INTEGER) AS polrelid,
       CAST(NULL AS VARCHAR) AS polcmd, CAST(NULL AS BOOLEAN) AS polpermissive,
       CAST(NULL AS INTEGER[]) AS polroles, CAST(NULL AS VARCHAR) AS polqual, CAST(NULL AS VARCHAR) AS polwithcheck
WHERE false;
