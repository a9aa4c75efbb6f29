-- pg_rewrite: each view's _RETURN rule (the only rules a lake has), as PostgreSQL keeps them.
-- https://www.postgresql.org/docs/16/catalog-pg-rewrite.html
CREATE VIEW lakegate.pg.pg_rewrite AS
SELECT lakegate.pg.lg_oid('rule', r.nspname, r.relname) AS oid, '_RETURN' AS rulename, r.oid AS ev_class,
       '1' AS ev_type, 'O' AS ev_enabled, true AS is_instead, CAST(NULL AS VARCHAR) AS ev_qual,
       CAST(NULL AS VARCHAR) AS ev_action
FROM lakegate.pg.lg_relations r
WHERE r.relkind = 'v';
