-- Sizes: pg_table_size / pg_relation_size / pg_total_relation_size are the bytes of the table's
-- parquet data and delete files in the lake (lg_table_sizes, from DuckLake's ducklake_table_info);
-- views and catalogue relations are 0 bytes; there are no indexes. pg_size_pretty formats as
-- PostgreSQL 16 does (bytes below 10 kB, then kB/MB/GB/TB/PB, half-rounded).
-- https://www.postgresql.org/docs/16/functions-admin.html#FUNCTIONS-ADMIN-DBSIZE
-- The argument is a regclass, as in PostgreSQL: an OID or a relation's name
-- (pg_total_relation_size('flights') works, an unknown name is 42P01).
CREATE MACRO lakegate.pg.pg_table_size(p_oid) AS
    CASE WHEN p_oid IS NOT NULL THEN
        coalesce((SELECT lg_s.lg_bytes FROM (SELECT oid AS lg_oid, bytes AS lg_bytes FROM lakegate.pg.lg_table_sizes) lg_s
                  WHERE lg_s.lg_oid = lakegate.pg.lg_regclass_in(p_oid)), CAST(0 AS BIGINT))
    END;
CREATE MACRO lakegate.pg.pg_relation_size(p_oid) AS lakegate.pg.pg_table_size(p_oid),
    (p_oid, p_fork) AS CASE WHEN p_fork = 'main' THEN lakegate.pg.pg_table_size(p_oid) ELSE CAST(0 AS BIGINT) END;
CREATE MACRO lakegate.pg.pg_total_relation_size(p_oid) AS lakegate.pg.pg_table_size(p_oid);
CREATE MACRO lakegate.pg.pg_indexes_size(p_oid) AS CAST(0 AS BIGINT);
CREATE MACRO lakegate.pg.pg_database_size(p_db) AS
    (SELECT CAST(coalesce(sum(lg_s.bytes), 0) AS BIGINT) FROM lakegate.pg.lg_table_sizes lg_s);

CREATE MACRO lakegate.pg.lg_half_rounded(p) AS (p + CASE WHEN p < 0 THEN -1 ELSE 1 END) // 2;
CREATE MACRO lakegate.pg.pg_size_pretty(p_size) AS
    CASE WHEN p_size IS NULL THEN NULL
         WHEN abs(p_size) < 10240 THEN CAST(p_size AS BIGINT) || ' bytes'
         WHEN abs(CAST(p_size AS BIGINT) // 512) < 20479
              THEN lakegate.pg.lg_half_rounded(CAST(p_size AS BIGINT) // 512) || ' kB'
         WHEN abs(CAST(p_size AS BIGINT) // 524288) < 20479
              THEN lakegate.pg.lg_half_rounded(CAST(p_size AS BIGINT) // 524288) || ' MB'
         WHEN abs(CAST(p_size AS BIGINT) // 536870912) < 20479
              THEN lakegate.pg.lg_half_rounded(CAST(p_size AS BIGINT) // 536870912) || ' GB'
         WHEN abs(CAST(p_size AS BIGINT) // 549755813888) < 20479
              THEN lakegate.pg.lg_half_rounded(CAST(p_size AS BIGINT) // 549755813888) || ' TB'
         ELSE lakegate.pg.lg_half_rounded(CAST(p_size AS BIGINT) // 562949953421312) || ' PB'
    END;
