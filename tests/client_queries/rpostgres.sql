-- lakegate client-query capture: rpostgres
-- R RPostgres: RECONSTRUCTED FROM SOURCE, NOT CAPTURED FROM RPostgres ITSELF (RPostgres is
-- not installable here: CRAN is unreachable).  Based on RPostgres 1.4.10 (git tag v1.4.10,
-- commit 87991af446b9852f082dd5a7515bdfdc4d362836, 2026-02-15; unchanged in the relevant
-- files up to 1.4.10.9014): R/dbConnect_PqDriver.R, R/tables.R (list_tables, exists_table,
-- list_fields), R/dbListTables_PqConnection.R, R/dbListObjects_PqConnection_ANY.R,
-- R/dbExistsTable_PqConnection_*.R, R/dbListFields_PqConnection_*.R,
-- R/dbReadTable_PqConnection_character.R, R/dbSendQuery_PqConnection.R,
-- R/dbQuoteIdentifier_PqConnection_*.R, R/dbQuoteString_PqConnection_character.R,
-- src/DbConnection.cpp (PQconnectdbParams, PQsetClientEncoding, PQescapeLiteral/Identifier),
-- src/PqResultImpl.cpp (prepare(): PQprepare("") + PQdescribePrepared(""); bind():
-- PQsendQueryPrepared("", text format) or PQsendQuery when immediate = TRUE; single-row mode).
-- The SQL strings were rebuilt exactly as that R code pastes them and REPLAYED with the same
-- libpq call sequence (tests/capture/clients.py rpostgres_replay, via psycopg.pq) against
-- the real PostgreSQL server, so the wire-level statements below are real server log
-- records.  Session: dbConnect (SET datestyle, SET TIMEZONE, SELECT oid, typname FROM
-- pg_type), dbListTables, dbListObjects(), dbListObjects(prefix = Id(schema = 'energy')),
-- dbExistsTable('deprivation_index'), dbExistsTable(Id(schema='energy', table='ghg_emissions')),
-- dbListFields (both forms), dbReadTable (both forms), dbGetQuery with a literal WHERE and
-- with params = list('London'), dbDisconnect.  Real RPostgres sets application_name only
-- if the user passes it; the replay sets 'rpostgres_replay'.
--
-- Replayed (not captured from RPostgres) from a real PostgreSQL 15.18 (Debian 15.18-0+deb12u1) server by
--   tests/capture/capture_client_queries.sh
-- replayed with psycopg 3.3.9 pq wrapper (libpq 15.18-0+deb12u1)
-- Sessions: 1; application_name(s) seen: 'rpostgres_replay'
-- Statements: 15
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
set client_encoding to 'UTF-8'
;
-- statement 2
-- session: 1
-- protocol: simple
SET datestyle to 'iso, mdy'
;
-- statement 3
-- session: 1
-- protocol: simple
SET TIMEZONE = 'UTC'
;
-- statement 4
-- session: 1
-- protocol: simple
SELECT oid, typname FROM pg_type
;
-- statement 5
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
SELECT table_schema, table_name 
FROM information_schema.tables 
WHERE TRUE 
  AND (table_schema = ANY(current_schemas(true))) 
  AND (table_schema <> 'pg_catalog') 
ORDER BY table_type, table_name
;
-- statement 6
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
SELECT NULL::text AS schema, table_name AS table FROM ( 
SELECT table_schema, table_name 
FROM information_schema.tables 
WHERE TRUE 
  AND (table_schema = ANY(current_schemas(true))) 
  AND (table_schema <> 'pg_catalog') 
ORDER BY table_type, table_name) as table_query 
UNION ALL
SELECT DISTINCT table_schema AS schema, NULL::text AS table FROM ( 
SELECT table_schema, table_name 
FROM information_schema.tables 
WHERE TRUE 
  AND true) as schema_query;
;
-- statement 7
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
SELECT table_schema AS schema, table_name AS table FROM ( 
SELECT table_schema, table_name 
FROM information_schema.tables 
WHERE TRUE 
  AND table_schema IN ('energy') 
ORDER BY table_type, table_name) as table_query
;
-- statement 8
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
SELECT EXISTS ( 
SELECT table_schema, table_name 
FROM information_schema.tables 
WHERE TRUE 
  AND (table_schema = ANY(current_schemas(true))) 
  AND (table_schema <> 'pg_catalog') 
  AND table_name = 'deprivation_index' 
)
;
-- statement 9
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
SELECT EXISTS ( 
SELECT table_schema, table_name 
FROM information_schema.tables 
WHERE TRUE 
  AND table_schema = 'energy' 
  AND table_name = 'ghg_emissions' 
)
;
-- statement 10
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
SELECT column_name FROM (SELECT *, rank() OVER (ORDER BY nr) AS rnr FROM (SELECT * FROM unnest(current_schemas(true)) WITH ORDINALITY AS tbl(table_schema, nr) 
WHERE table_schema != 'pg_catalog') schemas_on_path INNER JOIN INFORMATION_SCHEMA.COLUMNS USING (table_schema) WHERE table_name = 'deprivation_index') tttt WHERE rnr = 1 ORDER BY ordinal_position
;
-- statement 11
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
SELECT column_name FROM (SELECT 1 AS nr, 'energy'::varchar AS table_schema) t INNER JOIN INFORMATION_SCHEMA.COLUMNS USING (table_schema) WHERE table_name = 'epc_certificates' ORDER BY ordinal_position
;
-- statement 12
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
SELECT * FROM  "local_authorities"
;
-- statement 13
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
SELECT * FROM  "energy"."ghg_emissions"
;
-- statement 14
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
SELECT la_code, la_name, population_2021 FROM local_authorities WHERE region_name = 'London'
;
-- statement 15
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
-- params: $1 = 'London'
SELECT la_code, la_name, population_2021 FROM local_authorities WHERE region_name = $1
;
