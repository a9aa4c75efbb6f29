-- lakegate client-query capture: psycopg
-- psycopg 3: connect, conn.info.server_version / parameter_status, parameterised SELECTs
-- (server-side binding, %s -> $n), cursor.description, a named (server-side) cursor
-- fetched with fetchmany(2).
--
-- Captured from a real PostgreSQL 15.18 (Debian 15.18-0+deb12u1) server by
--   tests/capture/capture_client_queries.sh
-- psycopg 3.3.9 (libpq 15.18-0+deb12u1), Python 3.11.7
-- Sessions: 1; application_name(s) seen: 'psycopg'
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
-- protocol: simple
BEGIN
;
-- statement 2
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
-- params: $1 = 'London', $2 = '1000'
SELECT la_code, la_name, population_2021 FROM local_authorities WHERE region_name = $1 AND population_2021 > $2
;
-- statement 3
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
-- params: $1 = '2015-01-01', $2 = 't'
SELECT * FROM energy.epc_certificates WHERE lodgement_date >= $1 AND is_new_build = $2
;
-- statement 4
-- session: 1
-- protocol: simple
COMMIT
;
-- statement 5
-- session: 1
-- protocol: simple
BEGIN
;
-- statement 6
-- session: 1
-- protocol: extended
-- prepared: <unnamed>
-- params: $1 = '10'
DECLARE "browse" CURSOR FOR SELECT lsoa_code, imd_score, imd_decile FROM deprivation_index WHERE imd_decile <= $1 ORDER BY imd_rank
;
-- statement 7
-- session: 1
-- protocol: simple
FETCH FORWARD 2 FROM "browse"
;
-- statement 8
-- session: 1
-- protocol: simple
FETCH FORWARD 2 FROM "browse"
;
-- statement 9
-- session: 1
-- protocol: simple
FETCH FORWARD 2 FROM "browse"
;
-- statement 10
-- session: 1
-- protocol: simple
FETCH FORWARD 2 FROM "browse"
;
-- statement 11
-- session: 1
-- protocol: simple
CLOSE "browse"
;
-- statement 12
-- session: 1
-- protocol: simple
COMMIT
;
