-- pg_user: the login roles of pg_roles (see pg_roles.sql).
-- https://www.postgresql.org/docs/16/view-pg-user.html
CREATE VIEW lakegate.pg.pg_user AS
SELECT rolname AS usename, oid AS usesysid, rolcreatedb AS usecreatedb, rolsuper AS usesuper,
       rolreplication AS userepl, rolbypassrls AS usebypassrls, '********' AS passwd,
       rolvaliduntil AS valuntil, rolconfig AS useconfig
FROM lakegate.pg.pg_roles
WHERE rolcanlogin;
