-- information_schema.routines and parameters: functions; there are none (see pg_proc.sql).
-- https://www.postgresql.org/docs/16/infoschema-routines.html
CREATE VIEW lakegate.pgis.routines AS
SELECT CAST(NULL AS VARCHAR) AS specific_catalog, CAST(NULL AS VARCHAR) AS specific_schema,
       CAST(NULL AS VARCHAR) AS specific_name, CAST(NULL AS VARCHAR) AS routine_catalog,
       CAST(NULL AS VARCHAR) AS routine_schema, CAST(NULL AS VARCHAR) AS routine_name,
       CAST(NULL AS VARCHAR) AS routine_type, CAST(NULL AS VARCHAR) AS data_type,
       CAST(NULL AS VARCHAR) AS type_udt_name, CAST(NULL AS VARCHAR) AS routine_body,
       CAST(NULL AS VARCHAR) AS routine_definition, CAST(NULL AS VARCHAR) AS external_language,
       CAST(NULL AS VARCHAR) AS is_deterministic, CAST(NULL AS VARCHAR) AS security_type
WHERE false;

-- https://www.postgresql.org/docs/16/infoschema-parameters.html
CREATE VIEW lakegate.pgis.parameters AS
SELECT CAST(NULL AS VARCHAR) AS specific_catalog, CAST(NULL AS VARCHAR) AS specific_schema,
       CAST(NULL AS VARCHAR) AS specific_name, CAST(NULL AS INTEGER) AS ordinal_position,
       CAST(NULL AS VARCHAR) AS parameter_mode, CAST(NULL AS VARCHAR) AS parameter_name,
       CAST(NULL AS VARCHAR) AS data_type, CAST(NULL AS VARCHAR) AS udt_name
WHERE false;
