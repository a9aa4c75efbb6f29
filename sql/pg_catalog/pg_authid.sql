-- pg_authid: the roles of pg_roles (see pg_roles.sql), without passwords.
-- https://www.postgresql.org/docs/16/catalog-pg-authid.html
CREATE VIEW lakegate.pg.pg_authid AS
SELECT oid, rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication,
       rolbypassrls, rolconnlimit, CAST(NULL AS VARCHAR) AS rolpassword, rolvaliduntil
FROM lakegate.pg.pg_roles;
