-- information_schema.table_constraints, key_column_usage, referential_constraints,
-- constraint_column_usage, check_constraints: lake tables have no constraints, so all are empty.
-- https://www.postgresql.org/docs/16/infoschema-table-constraints.html
CREATE VIEW lakegate.pgis.table_constraints AS
SELECT CAST(NULL AS VARCHAR) AS constraint_catalog, CAST(NULL AS VARCHAR) AS constraint_schema,
       CAST(NULL AS VARCHAR) AS constraint_name, CAST(NULL AS VARCHAR) AS table_catalog,
       CAST(NULL AS VARCHAR) AS table_schema, CAST(NULL AS VARCHAR) AS table_name,
       CAST(NULL AS VARCHAR) AS constraint_type, CAST(NULL AS VARCHAR) AS is_deferrable,
       CAST(NULL AS VARCHAR) AS initially_deferred, CAST(NULL AS VARCHAR) AS enforced,
       CAST(NULL AS VARCHAR) AS nulls_distinct
WHERE false;

-- https://www.postgresql.org/docs/16/infoschema-key-column-usage.html
CREATE VIEW lakegate.pgis.key_column_usage AS
SELECT CAST(NULL AS VARCHAR) AS constraint_catalog, CAST(NULL AS VARCHAR) AS constraint_schema,
       CAST(NULL AS VARCHAR) AS constraint_name, CAST(NULL AS VARCHAR) AS table_catalog,
       CAST(NULL AS VARCHAR) AS table_schema, CAST(NULL AS VARCHAR) AS table_name,
       CAST(NULL AS VARCHAR) AS column_name, CAST(NULL AS INTEGER) AS ordinal_position,
       CAST(NULL AS INTEGER) AS position_in_unique_constraint
WHERE false;

-- https://www.postgresql.org/docs/16/infoschema-referential-constraints.html
CREATE VIEW lakegate.pgis.referential_constraints AS
SELECT CAST(NULL AS VARCHAR) AS constraint_catalog, CAST(NULL AS VARCHAR) AS constraint_schema,
       CAST(NULL AS VARCHAR) AS constraint_name, CAST(NULL AS VARCHAR) AS unique_constraint_catalog,
       CAST(NULL AS VARCHAR) AS unique_constraint_schema, CAST(NULL AS VARCHAR) AS unique_constraint_name,
       CAST(NULL AS VARCHAR) AS match_option, CAST(NULL AS VARCHAR) AS update_rule,
       CAST(NULL AS VARCHAR) AS delete_rule
WHERE false;

-- https://www.postgresql.org/docs/16/infoschema-constraint-column-usage.html
CREATE VIEW lakegate.pgis.constraint_column_usage AS
SELECT CAST(NULL AS VARCHAR) AS table_catalog, CAST(NULL AS VARCHAR) AS table_schema,
       CAST(NULL AS VARCHAR) AS table_name, CAST(NULL AS VARCHAR) AS column_name,
       CAST(NULL AS VARCHAR) AS constraint_catalog, CAST(NULL AS VARCHAR) AS constraint_schema,
       CAST(NULL AS VARCHAR) AS constraint_name
WHERE false;

-- https://www.postgresql.org/docs/16/infoschema-check-constraints.html
CREATE VIEW lakegate.pgis.check_constraints AS
SELECT CAST(NULL AS VARCHAR) AS constraint_catalog, CAST(NULL AS VARCHAR) AS constraint_schema,
       CAST(NULL AS VARCHAR) AS constraint_name, CAST(NULL AS VARCHAR) AS check_clause
WHERE false;
