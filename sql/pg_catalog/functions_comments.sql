-- Comments: obj_description(oid, catalog), obj_description(oid), col_description(table_oid, column
-- number), shobj_description — over the same comments as pg_description.
-- https://www.postgresql.org/docs/16/functions-info.html#FUNCTIONS-INFO-COMMENT
CREATE MACRO lakegate.pg.obj_description(p_oid, p_catalog) AS
    CASE WHEN p_catalog IN ('pg_class', 'pg_catalog.pg_class')
         THEN (SELECT lg_r.lg_comment FROM lakegate.pg.lg_rel_lookup lg_r WHERE lg_r.lg_oid = p_oid)
         WHEN p_catalog IN ('pg_namespace', 'pg_catalog.pg_namespace')
         THEN (SELECT lg_n.lg_comment FROM lakegate.pg.lg_ns_lookup lg_n WHERE lg_n.lg_oid = p_oid)
         ELSE CAST(NULL AS VARCHAR) END,
    (p_oid) AS coalesce((SELECT lg_r.lg_comment FROM lakegate.pg.lg_rel_lookup lg_r WHERE lg_r.lg_oid = p_oid),
                        (SELECT lg_n.lg_comment FROM lakegate.pg.lg_ns_lookup lg_n WHERE lg_n.lg_oid = p_oid));

CREATE MACRO lakegate.pg.col_description(p_oid, p_attnum) AS
    (SELECT lg_c.lg_comment FROM lakegate.pg.lg_col_lookup lg_c WHERE lg_c.lg_attrelid = p_oid AND lg_c.lg_attnum = p_attnum);

CREATE MACRO lakegate.pg.shobj_description(p_oid, p_catalog) AS CAST(NULL AS VARCHAR);
