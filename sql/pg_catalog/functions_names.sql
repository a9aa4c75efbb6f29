-- Names and OIDs: format_type, quote_ident, the reg* casts (regclass, regtype, regnamespace, regrole,
-- regproc, in both directions: text -> OID and OID -> text), to_regclass / to_regtype /
-- to_regnamespace, and the search path they resolve unqualified names on.
-- https://www.postgresql.org/docs/16/functions-info.html (format_type, to_regclass, …)
-- https://www.postgresql.org/docs/16/datatype-oid.html (the reg* alias types)
-- The rewrite rules (src/pgcatalog/rules/regclass.rs) turn `'x'::regclass` into lg_regclass_in('x'),
-- `c.oid::regclass::text` into lg_regclass_out(c.oid), and so on.

-- PostgreSQL's search path as schema names, pg_catalog first (it is implicitly searched first),
-- read from the session's DuckDB search_path ("lake"."main","lake"."energy" → main, energy;
-- lakegate.main → lakegate).
CREATE MACRO lakegate.pg.lg_ident_parts(p_name) AS
    list_transform(regexp_extract_all(p_name, '"(?:[^"]|"")*"|[^."\s]+'),
                   x -> CASE WHEN x[1] = '"' THEN replace(x[2:-2], '""', '"') ELSE lower(x) END);

CREATE MACRO lakegate.pg.lg_search_path() AS
    ['pg_catalog'] || list_transform(
        list_filter(list_transform(string_split(current_setting('search_path'), ','),
                                   e -> lakegate.pg.lg_ident_parts(e)),
                    p -> len(p) >= 1),
        p -> CASE WHEN len(p) >= 2 AND p[1] = 'lakegate' THEN 'lakegate' ELSE p[-1] END);

-- quote_ident: quotes a name unless it is a lower-case identifier that is not a reserved word.
CREATE MACRO lakegate.pg.quote_ident(p_name) AS
    CASE WHEN regexp_matches(p_name, '^[a-z_][a-z0-9_$]*$')
              AND p_name NOT IN (SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved')
         THEN p_name
         ELSE '"' || replace(p_name, '"', '""') || '"' END;

-- format_type(type_oid, typmod): the SQL name of a type, with numeric(p,s) / varchar(n) / char(n)
-- from the typmod.
CREATE MACRO lakegate.pg.format_type(p_oid, p_typmod) AS
    CASE WHEN p_oid IS NULL THEN NULL
         WHEN p_oid = 1700 AND p_typmod >= 4
              THEN 'numeric(' || ((p_typmod - 4) >> 16) || ',' || ((p_typmod - 4) & 65535) || ')'
         WHEN p_oid = 1043 AND p_typmod >= 4 THEN 'character varying(' || (p_typmod - 4) || ')'
         WHEN p_oid = 1042 AND p_typmod >= 4 THEN 'character(' || (p_typmod - 4) || ')'
         ELSE coalesce((SELECT lg_t.lg_display FROM lakegate.pg.lg_types lg_t WHERE lg_t.oid = p_oid), '???')
    END;

-- regclass: relation name (optionally schema-qualified and quoted, resolved on the search path) or
-- a number → OID; OID → name (qualified when not visible), as PostgreSQL prints a regclass.
CREATE MACRO lakegate.pg.lg_regclass_in(p_name) AS
    CASE WHEN p_name IS NULL THEN NULL
         WHEN regexp_matches(CAST(p_name AS VARCHAR), '^\s*\d+\s*$') THEN CAST(trim(CAST(p_name AS VARCHAR)) AS INTEGER)
         ELSE (SELECT lg_r.oid
               FROM lakegate.pg.lg_relations lg_r,
                    (SELECT lakegate.pg.lg_ident_parts(CAST(p_name AS VARCHAR)) AS parts,
                            lakegate.pg.lg_search_path() AS path) lg_q
               WHERE lg_r.relname = lg_q.parts[-1]
                 AND CASE WHEN len(lg_q.parts) >= 2 THEN lg_r.nspname = lg_q.parts[-2]
                          ELSE list_contains(lg_q.path, lg_r.nspname) END
               ORDER BY list_position(lg_q.path, lg_r.nspname) NULLS LAST
               LIMIT 1)
    END;

CREATE MACRO lakegate.pg.lg_regclass_out(p_oid) AS
    coalesce((SELECT CASE WHEN list_contains(lakegate.pg.lg_search_path(), lg_r.nspname)
                          THEN lakegate.pg.quote_ident(lg_r.relname)
                          ELSE lakegate.pg.quote_ident(lg_r.nspname) || '.' || lakegate.pg.quote_ident(lg_r.relname) END
              FROM lakegate.pg.lg_relations lg_r WHERE lg_r.oid = p_oid),
             CAST(p_oid AS VARCHAR));

CREATE MACRO lakegate.pg.to_regclass(p_name) AS lakegate.pg.lg_regclass_in(p_name);

-- regtype: type name as typname ('int4') or SQL name ('integer'), optionally pg_catalog-qualified.
CREATE MACRO lakegate.pg.lg_regtype_in(p_name) AS
    CASE WHEN p_name IS NULL THEN NULL
         WHEN regexp_matches(CAST(p_name AS VARCHAR), '^\s*\d+\s*$') THEN CAST(trim(CAST(p_name AS VARCHAR)) AS INTEGER)
         ELSE (SELECT lg_t.oid FROM lakegate.pg.lg_types lg_t
               WHERE lg_t.typname = regexp_replace(lower(trim(CAST(p_name AS VARCHAR))), '^pg_catalog\.', '')
                  OR lg_t.lg_display = regexp_replace(lower(trim(CAST(p_name AS VARCHAR))), '^pg_catalog\.', '')
               ORDER BY lg_t.oid LIMIT 1)
    END;

CREATE MACRO lakegate.pg.lg_regtype_out(p_oid) AS
    CASE WHEN p_oid = 0 THEN '-' ELSE lakegate.pg.format_type(p_oid, NULL) END;

CREATE MACRO lakegate.pg.to_regtype(p_name) AS lakegate.pg.lg_regtype_in(p_name);

-- regnamespace
CREATE MACRO lakegate.pg.lg_regnamespace_in(p_name) AS
    CASE WHEN regexp_matches(CAST(p_name AS VARCHAR), '^\s*\d+\s*$') THEN CAST(trim(CAST(p_name AS VARCHAR)) AS INTEGER)
         ELSE (SELECT lg_n.oid FROM lakegate.pg.lg_namespaces lg_n
               WHERE lg_n.nspname = lakegate.pg.lg_ident_parts(CAST(p_name AS VARCHAR))[-1]) END;

CREATE MACRO lakegate.pg.lg_regnamespace_out(p_oid) AS
    coalesce((SELECT lakegate.pg.quote_ident(lg_n.nspname) FROM lakegate.pg.lg_namespaces lg_n WHERE lg_n.oid = p_oid),
             CAST(p_oid AS VARCHAR));

CREATE MACRO lakegate.pg.to_regnamespace(p_name) AS lakegate.pg.lg_regnamespace_in(p_name);

-- regrole
CREATE MACRO lakegate.pg.lg_regrole_in(p_name) AS
    (SELECT lg_r.oid FROM lakegate.pg.lg_roles lg_r WHERE lg_r.rolname = lakegate.pg.lg_ident_parts(CAST(p_name AS VARCHAR))[-1]);

CREATE MACRO lakegate.pg.lg_regrole_out(p_oid) AS
    coalesce((SELECT lakegate.pg.quote_ident(lg_r.rolname) FROM lakegate.pg.lg_roles lg_r WHERE lg_r.oid = p_oid),
             CAST(p_oid AS VARCHAR));

CREATE MACRO lakegate.pg.to_regrole(p_name) AS lakegate.pg.lg_regrole_in(p_name);

-- regproc / regprocedure: pg_proc is empty, so no name resolves; 0 prints as '-'.
CREATE MACRO lakegate.pg.lg_regproc_in(p_name) AS
    CASE WHEN regexp_matches(CAST(p_name AS VARCHAR), '^\s*\d+\s*$') THEN CAST(trim(CAST(p_name AS VARCHAR)) AS INTEGER)
         ELSE CAST(NULL AS INTEGER) END;

CREATE MACRO lakegate.pg.lg_regproc_out(p_oid) AS
    CASE WHEN p_oid = 0 THEN '-' ELSE CAST(p_oid AS VARCHAR) END;

CREATE MACRO lakegate.pg.to_regproc(p_name) AS lakegate.pg.lg_regproc_in(p_name);

-- pg_get_userbyid: a role's name (see pg_roles.sql).
CREATE MACRO lakegate.pg.pg_get_userbyid(p_oid) AS
    coalesce((SELECT lg_r.rolname FROM lakegate.pg.lg_roles lg_r WHERE lg_r.oid = p_oid),
             'unknown (OID=' || p_oid || ')');
