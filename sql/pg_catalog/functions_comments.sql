-- Comments: obj_description(oid, catalog), obj_description(oid), col_description(table_oid, column
-- number), shobj_description — over the same comments as pg_description.
-- https://www.postgresql.org/docs/16/functions-info.html#FUNCTIONS-INFO-COMMENT
CREATE MACRO lakegate.pg.obj_description(p_oid, p_catalog) AS
    CASE WHEN p_catalog IN ('pg_class', 'pg_catalog.pg_class')
         THEN (SELECT r.comment FROM lakegate.pg.lg_relations r WHERE r.oid = p_oid)
         WHEN p_catalog IN ('pg_namespace', 'pg_catalog.pg_namespace')
         THEN (SELECT n.comment FROM lakegate.pg.lg_namespaces n WHERE n.oid = p_oid)
         ELSE CAST(NULL AS VARCHAR) END,
    (p_oid) AS
    (SELECT d.description FROM lakegate.pg.pg_description d WHERE d.objoid = p_oid AND d.objsubid = 0 LIMIT 1);

CREATE MACRO lakegate.pg.col_description(p_oid, p_attnum) AS
    (SELECT c.comment FROM lakegate.pg.lg_columns c WHERE c.attrelid = p_oid AND c.attnum = p_attnum);

CREATE MACRO lakegate.pg.shobj_description(p_oid, p_catalog) AS CAST(NULL AS VARCHAR);
