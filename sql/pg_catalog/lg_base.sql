-- lg_base: lakegate's own helpers under the emulated catalogue (names start with lg_, never shown to
-- clients): the OID scheme and one list of every relation a client can see, which pg_class,
-- pg_attribute, pg_description and information_schema are all built on.
-- Not a PostgreSQL object; see https://www.postgresql.org/docs/16/datatype-oid.html for what OIDs are.
--
-- Placeholders filled in by src/pgcatalog/install.rs: @LAKE@ (the lake's DuckDB name, quoted as an
-- identifier) and @LAKE_NAME@ (the same, as a string literal).
--
-- OIDs: PostgreSQL clients keep OIDs between statements (psql looks a table's OID up, then sends
-- `WHERE c.oid = '16393'`), so they must be the same in every session, after a restart and on every
-- gateway serving the lake. DuckDB's own table_oid changes with each ATTACH, so lakegate derives an
-- object's OID from its kind and name: the first 32 bits of md5(kind ':' schema '.' name), folded
-- into [16384, 2^31) (16384 = FirstNormalObjectId: below it PostgreSQL keeps its built-in objects;
-- below 2^31 so that the OID also fits the int4 that lakegate sends it as).
--
-- Macro hygiene: DuckDB expands a macro into the client's query as text, so an argument is
-- evaluated wherever the macro body puts it. A subquery in a macro therefore never mentions the
-- macro's parameters: pg_table_is_visible(oid) inside `(SELECT … FROM lg_relations WHERE oid =
-- p_oid)` would compare lg_relations.oid with itself (the client's unqualified `oid` is captured by
-- the subquery's scope), and psql's `\dT` calls format_type(t.oid, NULL) with its own alias `t`.
-- Instead a macro's subqueries read the lg_*_lookup views below, whose columns are all
-- lg_-prefixed, so a client's unqualified column in an argument can only mean the client's own.
-- (A MAP built by an uncorrelated subquery and indexed outside it would avoid the subquery, but
-- DuckDB cannot type a prepared statement whose map lookup key holds a parameter, and SQLAlchemy
-- sends `classoid = CAST($2 AS REGCLASS)`.) Aliases and lambda parameters are lg_-prefixed too.

CREATE MACRO lakegate.pg.lg_oid(p_kind, p_schema, p_name) AS
    CAST(16384 + (CAST('0x' || md5(p_kind || ':' || p_schema || '.' || p_name)[1:8] AS BIGINT)
                  % 2147467264) AS INTEGER);

-- The namespaces: the lake's schemas (not lakegate's internal _lakegate), lakegate's discovery
-- schema, and PostgreSQL's own two with their real OIDs (information_schema's from PostgreSQL 15).
CREATE VIEW lakegate.pg.lg_namespaces AS
SELECT 11 AS oid, 'pg_catalog' AS nspname, NULL::VARCHAR AS database_name, NULL::VARCHAR AS schema_name,
       'system catalog schema' AS comment
UNION ALL
SELECT 13207, 'information_schema', NULL, NULL, NULL
UNION ALL
SELECT lakegate.pg.lg_oid('namespace', '', 'lakegate'), 'lakegate', 'lakegate', 'main',
       'lakegate discovery: the lake''s datasets and columns, searchable'
UNION ALL
SELECT lakegate.pg.lg_oid('namespace', '', s.schema_name), s.schema_name, s.database_name, s.schema_name, s.comment
FROM duckdb_schemas() s
WHERE s.database_name = @LAKE_NAME@ AND s.schema_name <> '_lakegate'
  AND s.schema_name NOT LIKE '\_\_ducklake%' ESCAPE '\';

-- Every relation: the lake's tables and views, lakegate's discovery views, and the emulated
-- catalogue itself (so that `\d pg_catalog.pg_class` works and 'pg_catalog.pg_class'::regclass is
-- 1259). database_name/schema_name/table_name locate it in DuckDB (duckdb_columns()).
CREATE VIEW lakegate.pg.lg_relations AS
WITH lake_rels AS (
    SELECT t.database_name, t.schema_name, t.table_name, 'r' AS relkind, t.comment,
           t.estimated_size, t.column_count, NULL::VARCHAR AS sql
    FROM duckdb_tables() t
    WHERE t.database_name = @LAKE_NAME@ AND t.schema_name <> '_lakegate'
      AND t.schema_name NOT LIKE '\_\_ducklake%' ESCAPE '\'
    UNION ALL
    SELECT v.database_name, v.schema_name, v.view_name, 'v', v.comment, NULL, v.column_count, v.sql
    FROM duckdb_views() v
    WHERE v.database_name = @LAKE_NAME@ AND v.schema_name <> '_lakegate' AND NOT v.internal
      AND v.schema_name NOT LIKE '\_\_ducklake%' ESCAPE '\'
),
discovery AS (
    SELECT t.database_name, t.schema_name, t.table_name, 'r' AS relkind, t.comment,
           t.estimated_size, t.column_count, NULL::VARCHAR AS sql
    FROM duckdb_tables() t WHERE t.database_name = 'lakegate' AND t.schema_name = 'main'
    UNION ALL
    SELECT v.database_name, v.schema_name, v.view_name, 'v', v.comment, NULL, v.column_count, v.sql
    FROM duckdb_views() v WHERE v.database_name = 'lakegate' AND v.schema_name = 'main'
),
emulated AS (
    SELECT v.database_name, v.schema_name, v.view_name AS table_name,
           CASE WHEN v.schema_name = 'pg' THEN 'pg_catalog' ELSE 'information_schema' END AS nspname,
           v.column_count
    FROM duckdb_views() v
    WHERE v.database_name = 'lakegate' AND v.schema_name IN ('pg', 'pgis') AND v.view_name NOT LIKE 'lg\_%' ESCAPE '\'
)
SELECT lakegate.pg.lg_oid('class', r.schema_name, r.table_name) AS oid,
       r.table_name AS relname,
       lakegate.pg.lg_oid('namespace', '', r.schema_name) AS relnamespace,
       r.schema_name AS nspname,
       r.relkind, r.comment, r.estimated_size, r.column_count, r.sql,
       r.database_name, r.schema_name, r.table_name
FROM lake_rels r
UNION ALL
SELECT lakegate.pg.lg_oid('class', 'lakegate', d.table_name), d.table_name,
       lakegate.pg.lg_oid('namespace', '', 'lakegate'), 'lakegate',
       d.relkind, d.comment, d.estimated_size, d.column_count, d.sql,
       d.database_name, d.schema_name, d.table_name
FROM discovery d
UNION ALL
SELECT coalesce(s.oid, lakegate.pg.lg_oid('class', e.nspname, e.table_name)), e.table_name,
       CASE WHEN e.nspname = 'pg_catalog' THEN 11 ELSE 13207 END, e.nspname,
       coalesce(s.relkind, 'v'), NULL, NULL, e.column_count, NULL,
       e.database_name, e.schema_name, e.table_name
FROM emulated e
LEFT JOIN lakegate.pg.lg_system_relations s ON s.nspname = e.nspname AND s.relname = e.table_name;

-- The roles (see pg_roles.sql): `lakegate`, owner of everything (OID 10), and the session's user.
CREATE VIEW lakegate.pg.lg_roles AS
SELECT DISTINCT ON (rolname) * FROM (
    SELECT 10 AS oid, 'lakegate' AS rolname, 0 AS ord
    UNION ALL
    SELECT lakegate.pg.lg_oid('role', '', coalesce(getvariable('lakegate_user'), 'lakegate')),
           coalesce(getvariable('lakegate_user'), 'lakegate'), 1
) ORDER BY rolname, ord;

-- Lookup views for the macros (see "Macro hygiene" above): every column lg_-prefixed.
CREATE VIEW lakegate.pg.lg_rel_lookup AS
SELECT oid AS lg_oid, nspname AS lg_nspname, relname AS lg_relname, relkind AS lg_relkind,
       comment AS lg_comment, sql AS lg_sql
FROM lakegate.pg.lg_relations;

CREATE VIEW lakegate.pg.lg_ns_lookup AS
SELECT oid AS lg_oid, nspname AS lg_nspname, comment AS lg_comment FROM lakegate.pg.lg_namespaces;

CREATE VIEW lakegate.pg.lg_role_lookup AS
SELECT oid AS lg_oid, rolname AS lg_rolname FROM lakegate.pg.lg_roles;

CREATE VIEW lakegate.pg.lg_type_lookup AS
SELECT oid AS lg_oid, typname AS lg_typname, typnamespace AS lg_typnamespace, typarray AS lg_typarray,
       lg_display
FROM lakegate.pg.lg_types;
