-- Visibility: pg_table_is_visible and friends — is the object's schema on the session's search path
-- (pg_catalog always is)? psql's `\dt` (without a pattern) and SQLAlchemy's default-schema
-- reflection filter on it.
-- https://www.postgresql.org/docs/16/functions-info.html#FUNCTIONS-INFO-SCHEMA
CREATE MACRO lakegate.pg.pg_table_is_visible(p_oid) AS
    coalesce((SELECT list_contains(lakegate.pg.lg_search_path(), lg_r.nspname)
              FROM lakegate.pg.lg_relations lg_r WHERE lg_r.oid = p_oid), false);

-- pg_catalog's types are visible; information_schema's are not on the search path.
CREATE MACRO lakegate.pg.pg_type_is_visible(p_oid) AS
    p_oid IN (SELECT lg_t.oid FROM lakegate.pg.lg_types lg_t WHERE lg_t.typnamespace = 11);

CREATE MACRO lakegate.pg.pg_function_is_visible(p_oid) AS true;
CREATE MACRO lakegate.pg.pg_collation_is_visible(p_oid) AS true;
CREATE MACRO lakegate.pg.pg_opclass_is_visible(p_oid) AS true;
CREATE MACRO lakegate.pg.pg_operator_is_visible(p_oid) AS true;
CREATE MACRO lakegate.pg.pg_conversion_is_visible(p_oid) AS true;
CREATE MACRO lakegate.pg.pg_statistics_obj_is_visible(p_oid) AS true;
CREATE MACRO lakegate.pg.pg_ts_config_is_visible(p_oid) AS true;
