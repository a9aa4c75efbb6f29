#!/usr/bin/env python3
"""Write the per-client header text (description + library versions) used by extract_queries.py.

Usage: meta.py SERVER_VERSION > meta.json
"""

import importlib.metadata
import json
import subprocess
import sys


def pyver(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def cmd_output(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def dpkg_version(pkg):
    return cmd_output(["dpkg-query", "-W", "-f", "${Version}", pkg]) or "unknown"


def main():
    server = sys.argv[1] if len(sys.argv) > 1 else "PostgreSQL"
    psql = cmd_output(["/usr/bin/psql", "--version"]) or "psql unknown"
    r_ver = cmd_output(["Rscript", "-e", 'cat(R.version.string, "; RPostgreSQL", '
                                         'as.character(packageVersion("RPostgreSQL")))'])
    libpq = dpkg_version("libpq5")
    py = f"Python {sys.version.split()[0]}"
    psql_desc = [
        "psql browsing session: one `psql -X -c ...` invocation per backslash command (each its own",
        "session); the '-- command:' line names the command that sent the statement.  A `psql -X -f`",
        "run of the same commands sent the same statements (the script checks this and writes",
        "<label>_file.sql only if they differ).",
    ]
    clients = {
        "psql": {"description": psql_desc + ["Default-schema tables in schema main, `ALTER DATABASE lake SET search_path = main`."],
                 "versions": [psql]},
        "psql_file": {"description": ["psql -X -f session running all the commands of psql.sql in one session."],
                      "versions": [psql]},
        "psql_public": {"description": psql_desc + ["Variant: default-schema tables in schema public, default search_path."],
                        "versions": [psql]},
        "psql_public_file": {"description": ["psql -X -f session, public variant."], "versions": [psql]},
        "psycopg": {"description": [
            "psycopg 3: connect, conn.info.server_version / parameter_status, parameterised SELECTs",
            "(server-side binding, %s -> $n), cursor.description, a named (server-side) cursor",
            "fetched with fetchmany(2)."],
            "versions": [f"psycopg {pyver('psycopg')} (libpq {libpq}), {py}"]},
        "psycopg2": {"description": [
            "psycopg2: connect, server_version, parameterised SELECTs (client-side interpolation),",
            "cursor.description, a named cursor iterated with itersize = 2."],
            "versions": [f"psycopg2-binary {pyver('psycopg2-binary')}, {py}"]},
        "sqlalchemy": {"description": [
            "SQLAlchemy 2 (postgresql+psycopg): create_engine + connect + a SELECT; inspect(engine):",
            "get_schema_names, get_table_names (default and every schema), get_view_names, get_columns,",
            "get_table_comment (default-schema table, boundaries.la_2023, \"Odd Schema\".\"Select\"),",
            "get_pk_constraint, get_foreign_keys, get_indexes, get_unique_constraints,",
            "get_check_constraints, has_table; MetaData().reflect(engine, schema='energy')."],
            "versions": [f"SQLAlchemy {pyver('sqlalchemy')}, psycopg {pyver('psycopg')}, {py}"]},
        "sqlalchemy_public": {"description": [
            "SQLAlchemy session as in sqlalchemy.sql, public variant (default-schema tables in public)."],
            "versions": [f"SQLAlchemy {pyver('sqlalchemy')}, psycopg {pyver('psycopg')}, {py}"]},
        "pandas": {"description": [
            "pandas: read_sql_table('deprivation_index', engine, schema='main'); read_sql_query with",
            "text() and :code via SQLAlchemy; read_sql_query with %s on a raw psycopg 3 connection."],
            "versions": [f"pandas {pyver('pandas')}, SQLAlchemy {pyver('sqlalchemy')}, psycopg {pyver('psycopg')}"]},
        "rpostgresql": {"description": [
            "R RPostgreSQL: dbConnect, dbGetInfo, dbListTables, dbExistsTable (name and",
            "c('energy','ghg_emissions')), dbListFields (both forms), dbReadTable (both forms),",
            "dbGetQuery with a WHERE, dbDisconnect.  RPostgreSQL does not set application_name; the",
            "capture sets PGAPPNAME (honoured by libpq) and splits by marker statements."],
            "versions": [r_ver or "R unknown", f"libpq {libpq}"]},
        "odbc": {"description": [
            "ODBC via pyodbc + psqlODBC (driver 'PostgreSQL Unicode', UseDeclareFetch=0): connect,",
            "getinfo, tables(), tables(schema='energy'), columns(table='deprivation_index'),",
            "columns(schema='energy', table='epc_certificates'), getTypeInfo(), primaryKeys,",
            "statistics, parameterised SELECTs with ?."],
            "versions": [f"psqlODBC (odbc-postgresql) {dpkg_version('odbc-postgresql')}, unixODBC "
                         f"{dpkg_version('unixodbc')}, pyodbc {pyver('pyodbc')}"]},
        "odbc_declarefetch": {"description": [
            "Same ODBC session as odbc.sql with UseDeclareFetch=1;Fetch=2 (cursor-based fetching, as",
            "many BI tools configure psqlODBC)."],
            "versions": [f"psqlODBC (odbc-postgresql) {dpkg_version('odbc-postgresql')}, unixODBC "
                         f"{dpkg_version('unixodbc')}, pyodbc {pyver('pyodbc')}"]},
        "asyncpg": {"description": [
            "asyncpg: connect, fetch with $1 parameters, set_type_codec('jsonb') (type lookup by name),",
            "a composite-typed result (type introspection in pg_type), a cursor in a transaction",
            "(portal fetched in batches)."],
            "versions": [f"asyncpg {pyver('asyncpg')}, {py}"]},
        "rpostgres": {"description": [
            "R RPostgres: RECONSTRUCTED FROM SOURCE, NOT CAPTURED FROM RPostgres ITSELF (RPostgres is",
            "not installable here: CRAN is unreachable).  Based on RPostgres 1.4.10 (git tag v1.4.10,",
            "commit 87991af446b9852f082dd5a7515bdfdc4d362836, 2026-02-15; unchanged in the relevant",
            "files up to 1.4.10.9014): R/dbConnect_PqDriver.R, R/tables.R (list_tables, exists_table,",
            "list_fields), R/dbListTables_PqConnection.R, R/dbListObjects_PqConnection_ANY.R,",
            "R/dbExistsTable_PqConnection_*.R, R/dbListFields_PqConnection_*.R,",
            "R/dbReadTable_PqConnection_character.R, R/dbSendQuery_PqConnection.R,",
            "R/dbQuoteIdentifier_PqConnection_*.R, R/dbQuoteString_PqConnection_character.R,",
            "src/DbConnection.cpp (PQconnectdbParams, PQsetClientEncoding, PQescapeLiteral/Identifier),",
            "src/PqResultImpl.cpp (prepare(): PQprepare(\"\") + PQdescribePrepared(\"\"); bind():",
            "PQsendQueryPrepared(\"\", text format) or PQsendQuery when immediate = TRUE; single-row mode).",
            "The SQL strings were rebuilt exactly as that R code pastes them and REPLAYED with the same",
            "libpq call sequence (tests/capture/clients.py rpostgres_replay, via psycopg.pq) against",
            "the real PostgreSQL server, so the wire-level statements below are real server log",
            "records.  Session: dbConnect (SET datestyle, SET TIMEZONE, SELECT oid, typname FROM",
            "pg_type), dbListTables, dbListObjects(), dbListObjects(prefix = Id(schema = 'energy')),",
            "dbExistsTable('deprivation_index'), dbExistsTable(Id(schema='energy', table='ghg_emissions')),",
            "dbListFields (both forms), dbReadTable (both forms), dbGetQuery with a literal WHERE and",
            "with params = list('London'), dbDisconnect.  Real RPostgres sets application_name only",
            "if the user passes it; the replay sets 'rpostgres_replay'."],
            "captured_verb": "Replayed (not captured from RPostgres)",
            "versions": [f"replayed with psycopg {pyver('psycopg')} pq wrapper (libpq {libpq})"]},
    }
    meta = {
        "server_version": server,
        "clients": clients,
    }
    json.dump(meta, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
