-- information_schema.columns: every column of pg_attribute, with data_type as PostgreSQL names it
-- ('integer', 'double precision', 'numeric', 'ARRAY', …), its precision and scale, udt_name = the
-- pg_type name. (PostgreSQL keeps no comments here: they are in pg_description / col_description.)
-- https://www.postgresql.org/docs/16/infoschema-columns.html
CREATE VIEW lakegate.pgis.columns AS
SELECT @LAKE_NAME@ AS table_catalog, c.nspname AS table_schema, c.relname AS table_name,
       c.attname AS column_name, CAST(c.attnum AS INTEGER) AS ordinal_position,
       CAST(NULL AS VARCHAR) AS column_default,
       CASE WHEN c.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable,
       CASE WHEN t.typcategory = 'A' THEN 'ARRAY' ELSE coalesce(t.lg_display, 'USER-DEFINED') END AS data_type,
       CASE WHEN c.atttypid IN (1043, 1042) AND c.atttypmod >= 4 THEN c.atttypmod - 4 END AS character_maximum_length,
       CASE WHEN c.atttypid IN (25, 1043, 1042) THEN 1073741824 END AS character_octet_length,
       CASE c.atttypid WHEN 21 THEN 16 WHEN 23 THEN 32 WHEN 20 THEN 64 WHEN 700 THEN 24 WHEN 701 THEN 53
                       WHEN 1700 THEN CASE WHEN c.atttypmod >= 4 THEN (c.atttypmod - 4) >> 16 END END AS numeric_precision,
       CASE WHEN c.atttypid IN (21, 23, 20, 700, 701) THEN 2 WHEN c.atttypid = 1700 THEN 10 END AS numeric_precision_radix,
       CASE WHEN c.atttypid IN (21, 23, 20) THEN 0
            WHEN c.atttypid = 1700 AND c.atttypmod >= 4 THEN (c.atttypmod - 4) & 65535 END AS numeric_scale,
       CASE WHEN c.atttypid = 1082 THEN 0 WHEN c.atttypid IN (1083, 1114, 1184, 1266, 1186) THEN 6 END AS datetime_precision,
       CAST(NULL AS VARCHAR) AS interval_type, CAST(NULL AS INTEGER) AS interval_precision,
       CAST(NULL AS VARCHAR) AS character_set_catalog, CAST(NULL AS VARCHAR) AS character_set_schema,
       CAST(NULL AS VARCHAR) AS character_set_name,
       CAST(NULL AS VARCHAR) AS collation_catalog, CAST(NULL AS VARCHAR) AS collation_schema,
       CAST(NULL AS VARCHAR) AS collation_name,
       CAST(NULL AS VARCHAR) AS domain_catalog, CAST(NULL AS VARCHAR) AS domain_schema,
       CAST(NULL AS VARCHAR) AS domain_name,
       @LAKE_NAME@ AS udt_catalog, 'pg_catalog' AS udt_schema, t.typname AS udt_name,
       CAST(NULL AS VARCHAR) AS scope_catalog, CAST(NULL AS VARCHAR) AS scope_schema,
       CAST(NULL AS VARCHAR) AS scope_name, CAST(NULL AS INTEGER) AS maximum_cardinality,
       CAST(c.attnum AS VARCHAR) AS dtd_identifier, 'NO' AS is_self_referencing, 'NO' AS is_identity,
       CAST(NULL AS VARCHAR) AS identity_generation, CAST(NULL AS VARCHAR) AS identity_start,
       CAST(NULL AS VARCHAR) AS identity_increment, CAST(NULL AS VARCHAR) AS identity_maximum,
       CAST(NULL AS VARCHAR) AS identity_minimum, CAST(NULL AS VARCHAR) AS identity_cycle,
       'NEVER' AS is_generated, CAST(NULL AS VARCHAR) AS generation_expression, 'NO' AS is_updatable
FROM lakegate.pg.lg_columns c
LEFT JOIN lakegate.pg.lg_types t ON t.oid = c.atttypid;
