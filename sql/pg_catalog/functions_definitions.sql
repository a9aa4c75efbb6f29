-- Object definitions: pg_get_viewdef (the view's SQL as DuckDB keeps it), and the functions that
-- describe objects a lake does not have (defaults, constraints, indexes, rules other than a view's,
-- functions, statistics, sequences, partitions, triggers, publications): they return NULL.
-- https://www.postgresql.org/docs/16/functions-info.html#FUNCTIONS-INFO-CATALOG-TABLE

-- The SELECT of a DuckDB `CREATE VIEW name AS SELECT …;`.
CREATE MACRO lakegate.pg.lg_view_body(p_sql) AS
    regexp_replace(
        regexp_replace(p_sql,
            '^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?VIEW\s+(?:(?:"(?:[^"]|"")*"|[^\s".(]+)\.?)+\s*(?:\([^)]*\))?\s+AS\s+',
            '', 'i'),
        '\s*;?\s*$', '');

CREATE MACRO lakegate.pg.lg_viewdef(p_view) AS
    (SELECT ' ' || lakegate.pg.lg_view_body(lg_r.lg_sql) || ';' FROM lakegate.pg.lg_rel_lookup lg_r
     WHERE lg_r.lg_relkind = 'v'
       AND lg_r.lg_oid = CASE WHEN typeof(p_view) IN ('INTEGER', 'BIGINT', 'SMALLINT', 'UINTEGER', 'UBIGINT', 'HUGEINT')
                              THEN TRY_CAST(p_view AS INTEGER)
                              ELSE lakegate.pg.lg_regclass_in(CAST(p_view AS VARCHAR)) END);

CREATE MACRO lakegate.pg.pg_get_viewdef(p_view) AS lakegate.pg.lg_viewdef(p_view),
    (p_view, p_pretty) AS lakegate.pg.lg_viewdef(p_view);

CREATE MACRO lakegate.pg.pg_get_expr(p_expr, p_relid) AS CAST(NULL AS VARCHAR),
    (p_expr, p_relid, p_pretty) AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.pg_get_constraintdef(p_oid) AS CAST(NULL AS VARCHAR),
    (p_oid, p_pretty) AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.pg_get_indexdef(p_oid) AS CAST(NULL AS VARCHAR),
    (p_oid, p_column, p_pretty) AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.pg_get_ruledef(p_oid) AS CAST(NULL AS VARCHAR),
    (p_oid, p_pretty) AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.pg_get_triggerdef(p_oid) AS CAST(NULL AS VARCHAR),
    (p_oid, p_pretty) AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.pg_get_function_result(p_oid) AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.pg_get_function_arguments(p_oid) AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.pg_get_function_identity_arguments(p_oid) AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.pg_get_functiondef(p_oid) AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.pg_get_statisticsobjdef_columns(p_oid) AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.pg_get_partkeydef(p_oid) AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.pg_get_partition_constraintdef(p_oid) AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.pg_get_serial_sequence(p_table, p_column) AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.pg_relation_is_publishable(p_rel) AS false;
