-- pg_roles: two roles — `lakegate`, which owns every object of the lake (OID 10, PostgreSQL's
-- bootstrap superuser OID, so nspowner/relowner = 10 resolve), and the session's own user (from the
-- session variable lakegate_user that the session sets; OID derived from the name). Neither can
-- write: the server is read-only whatever the role says.
-- https://www.postgresql.org/docs/16/view-pg-roles.html
CREATE VIEW lakegate.pg.pg_roles AS
SELECT r.rolname,
       false AS rolsuper,
       true AS rolinherit,
       false AS rolcreaterole,
       false AS rolcreatedb,
       r.oid <> 10 AS rolcanlogin,
       false AS rolreplication,
       -1 AS rolconnlimit,
       '********' AS rolpassword,
       CAST(NULL AS TIMESTAMPTZ) AS rolvaliduntil,
       false AS rolbypassrls,
       CAST(NULL AS VARCHAR[]) AS rolconfig,
       r.oid
FROM lakegate.pg.lg_roles r;
