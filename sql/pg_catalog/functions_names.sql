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
                   lg_x -> CASE WHEN lg_x[1] = '"' THEN replace(lg_x[2:-2], '""', '"') ELSE lower(lg_x) END);

CREATE MACRO lakegate.pg.lg_search_path() AS
    ['pg_catalog'] || list_transform(
        list_filter(list_transform(string_split(current_setting('search_path'), ','),
                                   lg_e -> lakegate.pg.lg_ident_parts(lg_e)),
                    lg_p -> len(lg_p) >= 1),
        lg_p -> CASE WHEN len(lg_p) >= 2 AND lg_p[1] = 'lakegate' THEN 'lakegate' ELSE lg_p[-1] END);

-- quote_ident: quotes a name unless it is a lower-case identifier that is not a reserved word.
CREATE MACRO lakegate.pg.quote_ident(p_name) AS
    CASE WHEN regexp_matches(p_name, '^[a-z_][a-z0-9_$]*$')
              AND NOT list_contains((SELECT list(keyword_name) FROM duckdb_keywords() WHERE keyword_category = 'reserved'),
                                    p_name)
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
         ELSE coalesce((SELECT lg_t.lg_display FROM lakegate.pg.lg_type_lookup lg_t WHERE lg_t.lg_oid = p_oid), '???')
    END;

-- A number given as text (`'16393'::regclass`) is the OID itself.
CREATE MACRO lakegate.pg.lg_is_number(p_text) AS regexp_matches(CAST(p_text AS VARCHAR), '^\s*\d+\s*$');

-- regclass: relation name (optionally schema-qualified and quoted, resolved on the search path) or
-- a number → OID; OID → name (qualified when not visible), as PostgreSQL prints a regclass.
-- Unqualified names resolve in the first schema of the search path that has the relation.
CREATE MACRO lakegate.pg.lg_regclass_find(p_parts) AS
    (SELECT lg_r.lg_oid
     FROM lakegate.pg.lg_rel_lookup lg_r, (SELECT p_parts AS lg_parts, lakegate.pg.lg_search_path() AS lg_path) lg_q
     WHERE lg_r.lg_relname = lg_q.lg_parts[-1]
       AND CASE WHEN len(lg_q.lg_parts) >= 2 THEN lg_r.lg_nspname = lg_q.lg_parts[-2]
                ELSE list_contains(lg_q.lg_path, lg_r.lg_nspname) END
     ORDER BY list_position(lg_q.lg_path, lg_r.lg_nspname) NULLS LAST
     LIMIT 1);

-- to_regclass: NULL for a name that is no relation.
CREATE MACRO lakegate.pg.to_regclass(p_name) AS
    CASE WHEN p_name IS NULL THEN NULL
         WHEN lakegate.pg.lg_is_number(p_name) THEN CAST(trim(CAST(p_name AS VARCHAR)) AS INTEGER)
         ELSE lakegate.pg.lg_regclass_find(lakegate.pg.lg_ident_parts(CAST(p_name AS VARCHAR)))
    END;

-- 'name'::regclass: an error for a name that is no relation, as in PostgreSQL (the session maps
-- this message to 42P01 undefined_table).
CREATE MACRO lakegate.pg.lg_regclass_in(p_name) AS
    coalesce(lakegate.pg.to_regclass(p_name),
             CASE WHEN p_name IS NOT NULL
                  THEN error('relation "' || CAST(p_name AS VARCHAR) || '" does not exist') END);

CREATE MACRO lakegate.pg.lg_regclass_out(p_oid) AS
    coalesce((SELECT CASE WHEN list_contains(lakegate.pg.lg_search_path(), lg_r.lg_nspname)
                          THEN lakegate.pg.quote_ident(lg_r.lg_relname)
                          ELSE lakegate.pg.quote_ident(lg_r.lg_nspname) || '.' || lakegate.pg.quote_ident(lg_r.lg_relname) END
              FROM lakegate.pg.lg_rel_lookup lg_r WHERE lg_r.lg_oid = p_oid),
             CAST(p_oid AS VARCHAR));


-- regtype: type name as typname ('int4') or SQL name ('integer'), optionally pg_catalog-qualified.
CREATE MACRO lakegate.pg.lg_regtype_in(p_name) AS
    CASE WHEN p_name IS NULL THEN NULL
         WHEN lakegate.pg.lg_is_number(p_name) THEN CAST(trim(CAST(p_name AS VARCHAR)) AS INTEGER)
         ELSE (SELECT lg_t.lg_oid FROM lakegate.pg.lg_type_lookup lg_t,
                      (SELECT regexp_replace(lower(trim(CAST(p_name AS VARCHAR))), '^pg_catalog\.', '') AS lg_name) lg_q
               WHERE lg_t.lg_typnamespace = 11 AND (lg_t.lg_typname = lg_q.lg_name OR lg_t.lg_display = lg_q.lg_name)
               ORDER BY lg_t.lg_oid LIMIT 1)
    END;

CREATE MACRO lakegate.pg.lg_regtype_out(p_oid) AS
    CASE WHEN p_oid = 0 THEN '-' ELSE lakegate.pg.format_type(p_oid, NULL) END;

CREATE MACRO lakegate.pg.to_regtype(p_name) AS lakegate.pg.lg_regtype_in(p_name);

-- regnamespace
CREATE MACRO lakegate.pg.lg_regnamespace_in(p_name) AS
    CASE WHEN lakegate.pg.lg_is_number(p_name) THEN CAST(trim(CAST(p_name AS VARCHAR)) AS INTEGER)
         ELSE (SELECT lg_n.lg_oid FROM lakegate.pg.lg_ns_lookup lg_n
               WHERE lg_n.lg_nspname = lakegate.pg.lg_ident_parts(CAST(p_name AS VARCHAR))[-1]) END;

CREATE MACRO lakegate.pg.lg_regnamespace_out(p_oid) AS
    coalesce((SELECT lakegate.pg.quote_ident(lg_n.lg_nspname) FROM lakegate.pg.lg_ns_lookup lg_n WHERE lg_n.lg_oid = p_oid),
             CAST(p_oid AS VARCHAR));

CREATE MACRO lakegate.pg.to_regnamespace(p_name) AS lakegate.pg.lg_regnamespace_in(p_name);

-- regrole
CREATE MACRO lakegate.pg.lg_regrole_in(p_name) AS
    (SELECT lg_r.lg_oid FROM lakegate.pg.lg_role_lookup lg_r
     WHERE lg_r.lg_rolname = lakegate.pg.lg_ident_parts(CAST(p_name AS VARCHAR))[-1]);

CREATE MACRO lakegate.pg.lg_regrole_out(p_oid) AS
    coalesce((SELECT lakegate.pg.quote_ident(lg_r.lg_rolname) FROM lakegate.pg.lg_role_lookup lg_r WHERE lg_r.lg_oid = p_oid),
             CAST(p_oid AS VARCHAR));

CREATE MACRO lakegate.pg.to_regrole(p_name) AS lakegate.pg.lg_regrole_in(p_name);

-- regproc / regprocedure: pg_proc is empty, so no name resolves; 0 prints as '-'.
CREATE MACRO lakegate.pg.lg_regproc_in(p_name) AS
    CASE WHEN lakegate.pg.lg_is_number(p_name) THEN CAST(trim(CAST(p_name AS VARCHAR)) AS INTEGER)
         ELSE CAST(NULL AS INTEGER) END;

CREATE MACRO lakegate.pg.lg_regproc_out(p_oid) AS
    CASE WHEN p_oid = 0 THEN '-' ELSE CAST(p_oid AS VARCHAR) END;

CREATE MACRO lakegate.pg.to_regproc(p_name) AS lakegate.pg.lg_regproc_in(p_name);

-- pg_get_userbyid: a role's name (see pg_roles.sql).
CREATE MACRO lakegate.pg.pg_get_userbyid(p_oid) AS
    coalesce((SELECT lg_r.lg_rolname FROM lakegate.pg.lg_role_lookup lg_r WHERE lg_r.lg_oid = p_oid),
             'unknown (OID=' || p_oid || ')');
