-- Session information: version() (a PostgreSQL banner that names lakegate and DuckDB; SQLAlchemy and
-- others parse "PostgreSQL 16.6" out of it), current_setting / set_config over the session's
-- parameters, current_user / session_user, current_database, current_schema(s), and the small
-- server facts clients ask for.
-- https://www.postgresql.org/docs/16/functions-info.html
-- https://www.postgresql.org/docs/16/functions-admin.html#FUNCTIONS-ADMIN-SET
--
-- @VERSION_BANNER@ is written by install.rs: lakegate's version, DuckDB's, the target platform.
CREATE MACRO lakegate.pg.version() AS @VERSION_BANNER@;

CREATE MACRO lakegate.pg.lg_setting(p_name) AS
    coalesce(getvariable('lakegate_settings')[lower(p_name)],
             (SELECT lg_d.lg_setting FROM (SELECT name AS lg_name, setting AS lg_setting FROM lakegate.pg.lg_default_settings) lg_d
              WHERE lg_d.lg_name = lower(p_name)));

CREATE MACRO lakegate.pg.current_setting(p_name) AS lakegate.pg.lg_setting(p_name),
    (p_name, p_missing_ok) AS lakegate.pg.lg_setting(p_name);

-- SET is the session's business (it answers SET statements itself); set_config only returns the value.
CREATE MACRO lakegate.pg.set_config(p_name, p_value, p_is_local) AS CAST(p_value AS VARCHAR);

CREATE MACRO lakegate.pg.current_user() AS coalesce(getvariable('lakegate_user'), 'lakegate');
CREATE MACRO lakegate.pg.session_user() AS lakegate.pg.current_user();
CREATE MACRO lakegate.pg.current_role() AS lakegate.pg.current_user();
CREATE MACRO lakegate.pg.current_database() AS @LAKE_NAME@;
CREATE MACRO lakegate.pg.current_catalog() AS @LAKE_NAME@;

CREATE MACRO lakegate.pg.current_schemas(p_implicit) AS
    CASE WHEN p_implicit THEN lakegate.pg.lg_search_path() ELSE lakegate.pg.lg_search_path()[2:] END;
CREATE MACRO lakegate.pg.current_schema() AS lakegate.pg.lg_search_path()[2];

CREATE MACRO lakegate.pg.pg_backend_pid() AS coalesce(CAST(getvariable('lakegate_pid') AS INTEGER), 0);
CREATE MACRO lakegate.pg.pg_postmaster_start_time() AS CAST(@START_TIME@ AS TIMESTAMPTZ);
CREATE MACRO lakegate.pg.pg_conf_load_time() AS CAST(@START_TIME@ AS TIMESTAMPTZ);
CREATE MACRO lakegate.pg.inet_server_addr() AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.inet_server_port() AS CAST(NULL AS INTEGER);
CREATE MACRO lakegate.pg.inet_client_addr() AS CAST(NULL AS VARCHAR);
CREATE MACRO lakegate.pg.inet_client_port() AS CAST(NULL AS INTEGER);
CREATE MACRO lakegate.pg.pg_is_in_recovery() AS false;
CREATE MACRO lakegate.pg.pg_jit_available() AS false;
CREATE MACRO lakegate.pg.txid_current() AS CAST(1 AS BIGINT);
CREATE MACRO lakegate.pg.pg_current_xact_id() AS CAST(1 AS BIGINT);
CREATE MACRO lakegate.pg.pg_my_temp_schema() AS 0;
CREATE MACRO lakegate.pg.pg_is_other_temp_schema(p_oid) AS false;
CREATE MACRO lakegate.pg.pg_tablespace_location(p_oid) AS '';
CREATE MACRO lakegate.pg.pg_encoding_to_char(p_encoding) AS
    CASE p_encoding WHEN 6 THEN 'UTF8' WHEN 0 THEN 'SQL_ASCII' ELSE '' END;
CREATE MACRO lakegate.pg.pg_char_to_encoding(p_name) AS
    CASE upper(p_name) WHEN 'UTF8' THEN 6 WHEN 'UNICODE' THEN 6 WHEN 'SQL_ASCII' THEN 0 ELSE -1 END;
CREATE MACRO lakegate.pg.pg_encoding_max_length(p_encoding) AS CASE p_encoding WHEN 6 THEN 4 ELSE 1 END;
