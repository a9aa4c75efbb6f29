-- lg_column_types: which PostgreSQL type (OID, typmod) a lake column is presented as — the same
-- type lakegate announces when the column is selected (src/encode/types.rs, plan_column). Not a
-- PostgreSQL object; it feeds pg_attribute.atttypid and information_schema.columns.
-- https://www.postgresql.org/docs/16/catalog-pg-attribute.html
--
-- lakegate.pg.lg_duck_types(name, oid) is written by src/pgcatalog/install.rs before this file runs:
-- for every scalar DuckDB type name (and DuckDB's spelling of it in duckdb_columns().data_type), the
-- OID that plan_column gives a column of that type. The nested types are decided here, as
-- plan_column decides them: DECIMAL(p,s) is numeric with typmod ((p << 16) | s) + 4; a LIST or
-- ARRAY of a scalar is that scalar's PostgreSQL array type (text[] when it has none); anything
-- nested deeper, and STRUCT, MAP and UNION, is json; ENUM is text; other parameterised types
-- (GEOMETRY('EPSG:27700'), VARCHAR(10)) are their base type.

CREATE MACRO lakegate.pg.lg_scalar_type_oid(p_type) AS
    CASE
        WHEN p_type LIKE 'DECIMAL(%' OR p_type LIKE 'NUMERIC(%' THEN 1700
        WHEN p_type LIKE 'ENUM(%' THEN 25
        WHEN regexp_matches(p_type, '^(STRUCT|MAP|UNION)\(') THEN 114
        ELSE coalesce((SELECT lg_m.lg_oid FROM (SELECT name AS lg_name, oid AS lg_oid FROM lakegate.pg.lg_duck_types) lg_m
                       WHERE lg_m.lg_name = upper(regexp_replace(p_type, '\(.*$', ''))), 25)
    END;

CREATE MACRO lakegate.pg.lg_type_oid(p_type) AS
    CASE
        WHEN NOT regexp_matches(p_type, '\[\d*\]$') THEN lakegate.pg.lg_scalar_type_oid(p_type)
        WHEN regexp_matches(regexp_replace(p_type, '\[\d*\]$', ''), '(\[\d*\]$)|^(STRUCT|MAP|UNION)\(') THEN 114
        ELSE coalesce((SELECT nullif(lg_t.lg_typarray, 0) FROM lakegate.pg.lg_type_lookup lg_t
                       WHERE lg_t.lg_oid = lakegate.pg.lg_scalar_type_oid(regexp_replace(p_type, '\[\d*\]$', ''))), 1009)
    END;

-- atttypmod: numeric(p,s) carries its precision and scale; everything else has none (-1).
CREATE MACRO lakegate.pg.lg_type_mod(p_type) AS
    CASE
        WHEN regexp_matches(p_type, '^(DECIMAL|NUMERIC)\(\d+,\s*\d+\)$')
        THEN ((CAST(regexp_extract(p_type, '\((\d+)', 1) AS INTEGER) << 16)
              | CAST(regexp_extract(p_type, ',\s*(\d+)\)', 1) AS INTEGER)) + 4
        ELSE -1
    END;

-- Every column of every relation in lg_relations, with its PostgreSQL type. Comments: DuckLake
-- keeps those of table columns; those of the lake's view columns (which DuckLake cannot store) come
-- from lakegate's publish record, lg_published_columns (written by install.rs: empty when the lake
-- has no record); lakegate's own discovery views carry theirs in DuckDB.
CREATE VIEW lakegate.pg.lg_columns AS
SELECT r.oid AS attrelid,
       c.column_name AS attname,
       CAST(c.column_index AS SMALLINT) AS attnum,
       lakegate.pg.lg_type_oid(c.data_type) AS atttypid,
       lakegate.pg.lg_type_mod(c.data_type) AS atttypmod,
       -- The catalogue's own tables' columns are NOT NULL, as PostgreSQL's are (RPostgreSQL checks).
       (r.nspname = 'pg_catalog' AND r.relkind = 'r') OR NOT c.is_nullable AS attnotnull,
       c.data_type AS duck_type,
       c.numeric_precision, c.numeric_scale, c.character_maximum_length,
       CASE WHEN r.relkind = 'v' THEN coalesce(p.comment, c.comment) ELSE c.comment END AS comment,
       r.nspname, r.relname, r.relkind
FROM duckdb_columns() c
JOIN lakegate.pg.lg_relations r
  ON r.database_name = c.database_name AND r.schema_name = c.schema_name AND r.table_name = c.table_name
LEFT JOIN lakegate.pg.lg_published_columns p
  ON r.relkind = 'v' AND p.schema_name = c.schema_name AND p.table_name = c.table_name
 AND p.column_name = c.column_name;

CREATE VIEW lakegate.pg.lg_col_lookup AS
SELECT attrelid AS lg_attrelid, attnum AS lg_attnum, comment AS lg_comment FROM lakegate.pg.lg_columns;
