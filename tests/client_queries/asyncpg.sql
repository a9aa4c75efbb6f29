-- lakegate client-query capture: asyncpg
-- asyncpg: connect, fetch with $1 parameters, set_type_codec('jsonb') (type lookup by name),
-- a composite-typed result (type introspection in pg_type), a cursor in a transaction
-- (portal fetched in batches).
--
-- Captured from a real PostgreSQL 15.18 (Debian 15.18-0+deb12u1) server by
--   tests/capture/capture_client_queries.sh
-- asyncpg 0.32.0, Python 3.11.7
-- Sessions: 1; application_name(s) seen: 'asyncpg'
-- Statements: 12
--
-- Format (see tests/client_queries/README.md): every entry starts with a line
-- '-- statement N', then metadata lines '-- key: value' (session, protocol, prepared,
-- portal, params or params-json, command, error, note), then the SQL text exactly as
-- the server received it, then a line containing only ';'.  The SQL is everything
-- between the metadata and that line, minus the final newline.  Text before the
-- first '-- statement' line is this header.

-- statement 1
-- session: 1
-- protocol: extended
-- prepared: __asyncpg_stmt_1__
-- params: $1 = 'London'
SELECT la_code, la_name, population_2021 FROM local_authorities WHERE region_name = $1
;
-- statement 2
-- session: 1
-- protocol: extended
-- prepared: __asyncpg_stmt_2__
-- params: $1 = '2015-01-01'
SELECT * FROM energy.epc_certificates WHERE lodgement_date >= $1
;
-- statement 3
-- session: 1
-- protocol: extended
-- prepared: __asyncpg_stmt_4__

                    SELECT
                        current_setting('jit') AS cur,
                        set_config('jit', 'off', false) AS new
                    
;
-- statement 4
-- session: 1
-- protocol: extended
-- prepared: __asyncpg_stmt_5__
-- params: $1 = '{16395}'
WITH RECURSIVE typeinfo_tree(
    oid, ns, name, kind, basetype, elemtype, elemdelim,
    range_subtype, attrtypoids, attrnames, depth)
AS (
    SELECT
        ti.oid, ti.ns, ti.name, ti.kind, ti.basetype,
        ti.elemtype, ti.elemdelim, ti.range_subtype,
        ti.attrtypoids, ti.attrnames, 0
    FROM
            (
        SELECT
            t.oid                           AS oid,
            ns.nspname                      AS ns,
            t.typname                       AS name,
            t.typtype                       AS kind,
            (CASE WHEN t.typtype = 'd' THEN
                (WITH RECURSIVE typebases(oid, depth) AS (
                    SELECT
                        t2.typbasetype      AS oid,
                        0                   AS depth
                    FROM
                        pg_type t2
                    WHERE
                        t2.oid = t.oid

                    UNION ALL

                    SELECT
                        t2.typbasetype      AS oid,
                        tb.depth + 1        AS depth
                    FROM
                        pg_type t2,
                        typebases tb
                    WHERE
                       tb.oid = t2.oid
                       AND t2.typbasetype != 0
               ) SELECT oid FROM typebases ORDER BY depth DESC LIMIT 1)

               ELSE NULL
            END)                            AS basetype,
            t.typelem                       AS elemtype,
            elem_t.typdelim                 AS elemdelim,
            COALESCE(
                range_t.rngsubtype,
                multirange_t.rngsubtype)    AS range_subtype,
            (CASE WHEN t.typtype = 'c' THEN
                (SELECT
                    array_agg(ia.atttypid ORDER BY ia.attnum)
                FROM
                    pg_attribute ia
                    INNER JOIN pg_class c
                        ON (ia.attrelid = c.oid)
                WHERE
                    ia.attnum > 0 AND NOT ia.attisdropped
                    AND c.reltype = t.oid)

                ELSE NULL
            END)                            AS attrtypoids,
            (CASE WHEN t.typtype = 'c' THEN
                (SELECT
                    array_agg(ia.attname::text ORDER BY ia.attnum)
                FROM
                    pg_attribute ia
                    INNER JOIN pg_class c
                        ON (ia.attrelid = c.oid)
                WHERE
                    ia.attnum > 0 AND NOT ia.attisdropped
                    AND c.reltype = t.oid)

                ELSE NULL
            END)                            AS attrnames
        FROM
            pg_catalog.pg_type AS t
            INNER JOIN pg_catalog.pg_namespace ns ON (
                ns.oid = t.typnamespace)
            LEFT JOIN pg_type elem_t ON (
                t.typlen = -1 AND
                t.typelem != 0 AND
                t.typelem = elem_t.oid
            )
            LEFT JOIN pg_range range_t ON (
                t.oid = range_t.rngtypid
            )
            LEFT JOIN pg_range multirange_t ON (
                t.oid = multirange_t.rngmultitypid
            )
    )
 AS ti
    WHERE
        ti.oid = any($1::oid[])

    UNION ALL

    SELECT
        ti.oid, ti.ns, ti.name, ti.kind, ti.basetype,
        ti.elemtype, ti.elemdelim, ti.range_subtype,
        ti.attrtypoids, ti.attrnames, tt.depth + 1
    FROM
            (
        SELECT
            t.oid                           AS oid,
            ns.nspname                      AS ns,
            t.typname                       AS name,
            t.typtype                       AS kind,
            (CASE WHEN t.typtype = 'd' THEN
                (WITH RECURSIVE typebases(oid, depth) AS (
                    SELECT
                        t2.typbasetype      AS oid,
                        0                   AS depth
                    FROM
                        pg_type t2
                    WHERE
                        t2.oid = t.oid

                    UNION ALL

                    SELECT
                        t2.typbasetype      AS oid,
                        tb.depth + 1        AS depth
                    FROM
                        pg_type t2,
                        typebases tb
                    WHERE
                       tb.oid = t2.oid
                       AND t2.typbasetype != 0
               ) SELECT oid FROM typebases ORDER BY depth DESC LIMIT 1)

               ELSE NULL
            END)                            AS basetype,
            t.typelem                       AS elemtype,
            elem_t.typdelim                 AS elemdelim,
            COALESCE(
                range_t.rngsubtype,
                multirange_t.rngsubtype)    AS range_subtype,
            (CASE WHEN t.typtype = 'c' THEN
                (SELECT
                    array_agg(ia.atttypid ORDER BY ia.attnum)
                FROM
                    pg_attribute ia
                    INNER JOIN pg_class c
                        ON (ia.attrelid = c.oid)
                WHERE
                    ia.attnum > 0 AND NOT ia.attisdropped
                    AND c.reltype = t.oid)

                ELSE NULL
            END)                            AS attrtypoids,
            (CASE WHEN t.typtype = 'c' THEN
                (SELECT
                    array_agg(ia.attname::text ORDER BY ia.attnum)
                FROM
                    pg_attribute ia
                    INNER JOIN pg_class c
                        ON (ia.attrelid = c.oid)
                WHERE
                    ia.attnum > 0 AND NOT ia.attisdropped
                    AND c.reltype = t.oid)

                ELSE NULL
            END)                            AS attrnames
        FROM
            pg_catalog.pg_type AS t
            INNER JOIN pg_catalog.pg_namespace ns ON (
                ns.oid = t.typnamespace)
            LEFT JOIN pg_type elem_t ON (
                t.typlen = -1 AND
                t.typelem != 0 AND
                t.typelem = elem_t.oid
            )
            LEFT JOIN pg_range range_t ON (
                t.oid = range_t.rngtypid
            )
            LEFT JOIN pg_range multirange_t ON (
                t.oid = multirange_t.rngmultitypid
            )
    )
 ti,
        typeinfo_tree tt
    WHERE
        (tt.elemtype IS NOT NULL AND ti.oid = tt.elemtype)
        OR (tt.attrtypoids IS NOT NULL AND ti.oid = any(tt.attrtypoids))
        OR (tt.range_subtype IS NOT NULL AND ti.oid = tt.range_subtype)
        OR (tt.basetype IS NOT NULL AND ti.oid = tt.basetype)
)

SELECT DISTINCT
    *,
    basetype::regtype::text AS basetype_name,
    elemtype::regtype::text AS elemtype_name,
    range_subtype::regtype::text AS range_subtype_name
FROM
    typeinfo_tree
ORDER BY
    depth DESC

;
-- statement 5
-- session: 1
-- protocol: extended
-- prepared: __asyncpg_stmt_6__
-- params: $1 = 'on'

                SELECT
                    set_config('jit', $1, false)
                
;
-- statement 6
-- session: 1
-- protocol: extended
-- prepared: __asyncpg_stmt_3__
-- note: parsed (Parse message) before the preceding statement(s) of this session were executed; executed here
SELECT d FROM deprivation_index d ORDER BY imd_rank LIMIT 1
;
-- statement 7
-- session: 1
-- protocol: simple
BEGIN;
;
-- statement 8
-- session: 1
-- protocol: extended
-- prepared: __asyncpg_stmt_7__
-- portal: __asyncpg_portal_8__
SELECT lsoa_code, imd_rank FROM deprivation_index ORDER BY imd_rank
;
-- statement 9
-- session: 1
-- protocol: extended-fetch
-- prepared: __asyncpg_stmt_7__
-- portal: __asyncpg_portal_8__
SELECT lsoa_code, imd_rank FROM deprivation_index ORDER BY imd_rank
;
-- statement 10
-- session: 1
-- protocol: extended-fetch
-- prepared: __asyncpg_stmt_7__
-- portal: __asyncpg_portal_8__
SELECT lsoa_code, imd_rank FROM deprivation_index ORDER BY imd_rank
;
-- statement 11
-- session: 1
-- protocol: extended-fetch
-- prepared: __asyncpg_stmt_7__
-- portal: __asyncpg_portal_8__
SELECT lsoa_code, imd_rank FROM deprivation_index ORDER BY imd_rank
;
-- statement 12
-- session: 1
-- protocol: simple
COMMIT;
;
