-- Visibility: pg_table_is_visible and friends — is the object's schema on the session's search path
-- (pg_catalog always is)? psql's `\dt` (without a pattern) and SQLAlchemy's default-schema
-- reflection filter on it.
-- https://www.postgresql.org/docs/16/functions-info.html#FUNCTIONS-INFO-SCHEMA
CREATE MACRO lakegate.pg.pg_table_is_visible(p_oid) AS
    coalesce((SELECT list_contains(lakegate.pg.lg_search_path(), lg_r.lg_nspname)
              FROM lakegate.pg.lg_rel_lookup lg_r WHERE lg_r.lg_oid = p_oid), false);

-- pg_catalog's types are visible; information_schema's are not on the search path.
CREATE MACRO lakegate.pg.pg_type_is_visible(p_oid) AS
    coalesce((SELECT lg_t.lg_typnamespace = 11 FROM lakegate.pg.lg_type_lookup lg_t WHERE lg_t.lg_oid = p_oid), false);

CREATE MACRO lakegate.pg.pg_function_is_visible(p_oid) AS true;
CREATE MACRO lakegate.pg.pg_collation_is_visible(p_oid) AS true;
CREATE MACRO lakegate.pg.pg_opclass_is_visible(p_oid) AS true;
CREATE MACRO lakegate.pg.pg_operator_is_visible(p_oid) AS true;
CREATE MACRO lakegate.pg.pg_conversion_is_visible(p_oid) AS true;
CREATE MACRO lakegate.pg.pg_statistics_obj_is_visible(p_oid) AS true;
CREATE MACRO lakegate.pg.pg_ts_config_is_visible(p_oid) AS true;
