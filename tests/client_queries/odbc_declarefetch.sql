-- lakegate client-query capture: odbc_declarefetch
-- Same ODBC session as odbc.sql with UseDeclareFetch=1;Fetch=2 (cursor-based fetching, as
-- many BI tools configure psqlODBC).
--
-- Captured from a real PostgreSQL 15.18 (Debian 15.18-0+deb12u1) server by
--   tests/capture/capture_client_queries.sh
-- psqlODBC (odbc-postgresql) 1:13.02.0000-2+b1, unixODBC 2.3.11-2+deb12u1, pyodbc 5.5.0
-- Sessions: 1; application_name(s) seen: 'odbc_declarefetch'
-- Statements: 21
--
-- Format (see tests/client_queries/README.md): every entry starts with a line
-- '-- statement N', then metadata lines '-- key: value' (session, protocol, prepared,
-- portal, params or params-json, command, error, note), then the SQL text exactly as
-- the server received it, then a line containing only ';'.  The SQL is everything
-- between the metadata and that line, minus the final newline.  Text before the
-- first '-- statement' line is this header.

-- statement 1
-- session: 1
-- protocol: simple
SET DateStyle = 'ISO';SET extra_float_digits = 2;show transaction_isolation
;
-- statement 2
-- session: 1
-- protocol: simple
select oid, typbasetype from pg_type where typname = 'lo'
;
-- statement 3
-- session: 1
-- protocol: simple
select relname, nspname, relkind from pg_catalog.pg_class c, pg_catalog.pg_namespace n where relkind in ('r', 'v', 'm', 'f', 'p') and nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'pg_temp_1') and n.oid = relnamespace order by nspname, relname
;
-- statement 4
-- session: 1
-- protocol: simple
select relname, nspname, relkind from pg_catalog.pg_class c, pg_catalog.pg_namespace n where relkind in ('r', 'v', 'm', 'f', 'p') and nspname like 'energy' and nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'pg_temp_1') and n.oid = relnamespace order by nspname, relname
;
-- statement 5
-- session: 1
-- protocol: simple
select current_schema()
;
-- statement 6
-- session: 1
-- protocol: simple
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.relname like 'deprivation_index' and n.nspname like 'main') inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum
;
-- statement 7
-- session: 1
-- protocol: simple
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.relname like 'epc_certificates' and n.nspname like 'energy') inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum
;
-- statement 8
-- session: 1
-- protocol: simple
select ta.attname, ia.attnum, ic.relname, n.nspname, tc.relname from pg_catalog.pg_attribute ta, pg_catalog.pg_attribute ia, pg_catalog.pg_class tc, pg_catalog.pg_index i, pg_catalog.pg_namespace n, pg_catalog.pg_class ic where tc.relname = 'deprivation_index' AND n.nspname = 'main' AND tc.oid = i.indrelid AND n.oid = tc.relnamespace AND i.indisprimary = 't' AND ia.attrelid = i.indexrelid AND ta.attrelid = i.indrelid AND ta.attnum = i.indkey[ia.attnum-1] AND (NOT ta.attisdropped) AND (NOT ia.attisdropped) AND ic.oid = i.indexrelid order by ia.attnum
;
-- statement 9
-- session: 1
-- protocol: simple
select ta.attname, ia.attnum, ic.relname, n.nspname, NULL from pg_catalog.pg_attribute ta, pg_catalog.pg_attribute ia, pg_catalog.pg_class ic, pg_catalog.pg_index i, pg_catalog.pg_namespace n where ic.relname = 'deprivation_index_pkey' AND n.nspname = 'main' AND ic.oid = i.indexrelid AND n.oid = ic.relnamespace AND ia.attrelid = i.indexrelid AND ta.attrelid = i.indrelid AND ta.attnum = i.indkey[ia.attnum-1] AND (NOT ta.attisdropped) AND (NOT ia.attisdropped) order by ia.attnum
;
-- statement 10
-- session: 1
-- protocol: simple
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.relname = 'deprivation_index' and n.nspname = 'main') inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum
;
-- statement 11
-- session: 1
-- protocol: simple
select c.relname, i.indkey, i.indisunique, i.indisclustered, a.amname, c.relhasrules, n.nspname, c.oid, 0, i.indoption from pg_catalog.pg_index i, pg_catalog.pg_class c, pg_catalog.pg_class d, pg_catalog.pg_am a, pg_catalog.pg_namespace n where d.relname = 'deprivation_index' and n.nspname = 'main' and n.oid = d.relnamespace and d.oid = i.indrelid and i.indexrelid = c.oid and c.relam = a.oid order by i.indisprimary desc, i.indisunique, n.nspname, c.relname
;
-- statement 12
-- session: 1
-- protocol: simple
BEGIN;declare "SQL_CUR0x563dc937afa0" cursor with hold for SELECT la_code, la_name, population_2021 FROM local_authorities WHERE region_name = 'London';fetch 2 in "SQL_CUR0x563dc937afa0"
;
-- statement 13
-- session: 1
-- protocol: simple
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.oid = 16388) inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum
;
-- statement 14
-- session: 1
-- protocol: simple
close "SQL_CUR0x563dc937afa0"
;
-- statement 15
-- session: 1
-- protocol: simple
SAVEPOINT _EXEC_SVP_0x563dc9379dd0;declare "SQL_CUR0x563dc937afa0" cursor with hold for SELECT * FROM deprivation_index WHERE imd_decile <= 10 ORDER BY imd_rank;fetch 2 in "SQL_CUR0x563dc937afa0"
;
-- statement 16
-- session: 1
-- protocol: simple
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.oid = 16393) inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum
;
-- statement 17
-- session: 1
-- protocol: simple
RELEASE _EXEC_SVP_0x563dc9379dd0;SAVEPOINT _EXEC_SVP_0x563dc9379dd0;fetch 2 in "SQL_CUR0x563dc937afa0"
;
-- statement 18
-- session: 1
-- protocol: simple
fetch 2 in "SQL_CUR0x563dc937afa0"
;
-- statement 19
-- session: 1
-- protocol: simple
fetch 2 in "SQL_CUR0x563dc937afa0"
;
-- statement 20
-- session: 1
-- protocol: simple
close "SQL_CUR0x563dc937afa0"
;
-- statement 21
-- session: 1
-- protocol: simple
COMMIT
;
