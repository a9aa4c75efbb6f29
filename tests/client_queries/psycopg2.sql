-- lakegate client-query capture: psycopg2
-- psycopg2: connect, server_version, parameterised SELECTs (client-side interpolation),
-- cursor.description, a named cursor iterated with itersize = 2.
--
-- Captured from a real PostgreSQL 15.18 (Debian 15.18-0+deb12u1) server by
--   tests/capture/capture_client_queries.sh
-- psycopg2-binary 2.9.13, Python 3.11.7
-- Sessions: 1; application_name(s) seen: 'psycopg2'
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
-- protocol: simple
SELECT la_code, la_name, population_2021 FROM local_authorities WHERE region_name = 'London' AND population_2021 > 1000
;
-- statement 3
-- session: 1
-- protocol: simple
SELECT * FROM energy.epc_certificates WHERE lodgement_date >= '2015-01-01'::date AND is_new_build = true
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
-- protocol: simple
DECLARE "browse" CURSOR WITHOUT HOLD FOR SELECT lsoa_code, imd_score, imd_decile FROM deprivation_index WHERE imd_decile <= 10 ORDER BY imd_rank
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
