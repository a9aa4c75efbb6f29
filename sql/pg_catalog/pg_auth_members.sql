-- pg_auth_members: role memberships; there are none.
-- https://www.postgresql.org/docs/16/catalog-pg-auth-members.html
CREATE VIEW lakegate.pg.pg_auth_members AS
SELECT CAST(NULL AS INTEGER) AS oid, CAST(NULL AS INTEGER) AS roleid, CAST(NULL AS INTEGER) AS member,
       CAST(NULL AS INTEGER) AS grantor, CAST(NULL AS BOOLEAN) AS admin_option,
       CAST(NULL AS BOOLEAN) AS inherit_option, CAST(NULL AS BOOLEAN) AS set_option
WHERE false;
