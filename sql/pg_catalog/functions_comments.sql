-- Comments: obj_description(oid, catalog), obj_description(oid), col_description(table_oid, column
-- number), shobj_description — over the same comments as pg_description.
-- https://www.postgresql.org/docs/16/functions-info.html#FUNCTIONS-INFO-COMMENT
CREATE MACRO lakegate.pg.obj_description(p_oid, p_catalog) AS
    CASE WHEN p_catalog IN ('pg_class', 'pg_catalog.pg_class')
         THEN (SELECT lg_r.comment FROM lakegate.pg.lg_relations lg_r WHERE lg_r.oid = p_oid)
         WHEN p_catalog IN ('pg_namespace', 'pg_catalog.pg_namespace')
         THEN (SELECT lg_n.comment FROM lakegate.pg.lg_namespaces lg_n WHERE lg_n.oid = p_oid)
         ELSE CAST(NULL AS VARCHAR) END,
    (p_oid) AS
    (SELECT lg_d.description FROM lakegate.pg.pg_description lg_d WHERE lg_d.objoid = p_oid AND lg_d.objsubid = 0 LIMIT 1);

CREATE MACRO lakegate.pg.col_description(p_oid, p_attnum) AS
    (SELECT lg_c.comment FROM lakegate.pg.lg_columns lg_c WHERE lg_c.attrelid = p_oid AND lg_c.attnum = p_attnum);

CREATE MACRO lakegate.pg.shobj_description(p_oid, p_catalog) AS CAST(NULL AS VARCHAR);
