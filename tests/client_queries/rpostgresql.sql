-- lakegate client-query capture: rpostgresql
-- R RPostgreSQL: dbConnect, dbGetInfo, dbListTables, dbExistsTable (name and
-- c('energy','ghg_emissions')), dbListFields (both forms), dbReadTable (both forms),
-- dbGetQuery with a WHERE, dbDisconnect.  RPostgreSQL does not set application_name; the
-- capture sets PGAPPNAME (honoured by libpq) and splits by marker statements.
--
-- Captured from a real PostgreSQL 15.18 (Debian 15.18-0+deb12u1) server by
--   tests/capture/capture_client_queries.sh
-- R version 4.2.2 Patched (2022-11-10 r83330) ; RPostgreSQL 0.7.5
-- libpq 15.18-0+deb12u1
-- Sessions: 1; application_name(s) seen: 'rpostgresql'
-- Statements: 29
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
set datestyle to ISO
;
-- statement 2
-- session: 1
-- protocol: simple
select tablename from pg_tables where schemaname !='information_schema' and schemaname !='pg_catalog'
;
-- statement 3
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=12033 and attnum='2'
;
-- statement 4
-- session: 1
-- protocol: simple
SELECT current_schema()
;
-- statement 5
-- session: 1
-- protocol: simple
select tablename from pg_tables where schemaname !='information_schema' and schemaname !='pg_catalog' and schemaname='main' and tablename='deprivation_index'
;
-- statement 6
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=12033 and attnum='2'
;
-- statement 7
-- session: 1
-- protocol: simple
select tablename from pg_tables where schemaname !='information_schema' and schemaname !='pg_catalog' and schemaname='energy' and tablename='ghg_emissions'
;
-- statement 8
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=12033 and attnum='2'
;
-- statement 9
-- session: 1
-- protocol: simple
SELECT current_schema()
;
-- statement 10
-- session: 1
-- protocol: simple
select a.attname from pg_attribute a, pg_class c, pg_tables t, pg_namespace nsp where a.attrelid = c.oid and c.relname = tablename and c.relnamespace = nsp.oid and a.attnum > 0 and nspname = current_schema() and schemaname = nspname and tablename = 'deprivation_index'
;
-- statement 11
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=1249 and attnum='2'
;
-- statement 12
-- session: 1
-- protocol: simple
select a.attname from pg_attribute a, pg_class c, pg_tables t, pg_namespace nsp where a.attrelid = c.oid and c.relname = t.tablename and c.relnamespace = nsp.oid and a.attnum > 0 and nspname = schemaname and schemaname = 'energy' and tablename = 'epc_certificates'
;
-- statement 13
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=1249 and attnum='2'
;
-- statement 14
-- session: 1
-- protocol: simple
SELECT * from "local_authorities"
;
-- statement 15
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=16388 and attnum='1'
;
-- statement 16
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=16388 and attnum='2'
;
-- statement 17
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=16388 and attnum='3'
;
-- statement 18
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=16388 and attnum='4'
;
-- statement 19
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=16388 and attnum='5'
;
-- statement 20
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=16388 and attnum='6'
;
-- statement 21
-- session: 1
-- protocol: simple
SELECT * from "energy"."ghg_emissions"
;
-- statement 22
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=16408 and attnum='1'
;
-- statement 23
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=16408 and attnum='2'
;
-- statement 24
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=16408 and attnum='3'
;
-- statement 25
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=16408 and attnum='4'
;
-- statement 26
-- session: 1
-- protocol: simple
SELECT la_code, la_name, population_2021 FROM local_authorities WHERE region_name = 'London'
;
-- statement 27
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=16388 and attnum='1'
;
-- statement 28
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=16388 and attnum='2'
;
-- statement 29
-- session: 1
-- protocol: simple
select attnotnull from pg_attribute where attrelid=16388 and attnum='5'
;
