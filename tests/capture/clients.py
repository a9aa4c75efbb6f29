#!/usr/bin/env python3
"""Browsing sessions of the Python client libraries, run by capture_client_queries.sh.

Usage: clients.py CLIENT --port N [--host H] [--user U] [--dbname D]
                  [--default-schema main|public] [--expected-dir DIR]

CLIENT is one of: psycopg, psycopg2, sqlalchemy, pandas, odbc, odbc_declarefetch, asyncpg,
rpostgres_replay.  Each session is what a user of that library typically does while browsing
the lake; the server log of the session is what the capture is after.  With --expected-dir,
the answers to the key catalogue calls are written there as small JSON files (the PostgreSQL
reference answers for the differential tests).
"""

import argparse
import datetime
import decimal
import json
import os
import sys
import uuid


def jsonable(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time, decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    # SQLAlchemy types and the like: their SQL rendering is the useful part.
    return str(value)


def write_expected(args, name, data):
    if not args.expected_dir:
        return
    path = os.path.join(args.expected_dir, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(jsonable(data), f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write("\n")
    print(f"wrote {path}")


# ----------------------------------------------------------------------------------------------
def run_psycopg(args):
    import psycopg

    conn = psycopg.connect(host=args.host, port=args.port, dbname=args.dbname, user=args.user,
                           application_name="psycopg")
    print("server_version", conn.info.server_version, conn.info.parameter_status("server_version"))
    print("encoding", conn.info.encoding, "status", conn.info.transaction_status)
    with conn.cursor() as cur:
        cur.execute("SELECT la_code, la_name, population_2021 FROM local_authorities "
                    "WHERE region_name = %s AND population_2021 > %s", ("London", 1000))
        print(cur.fetchall())
        for col in cur.description:
            print(" ", col.name, col.type_code, col.type_display, col.internal_size, col.precision, col.scale)
        cur.execute("SELECT * FROM energy.epc_certificates WHERE lodgement_date >= %s AND is_new_build = %s",
                    (datetime.date(2015, 1, 1), True))
        print(cur.fetchall())
        for col in cur.description:
            print(" ", col.name, col.type_code, col.type_display, col.internal_size, col.precision, col.scale)
    conn.commit()
    # Server-side (named) cursor, fetched in batches.
    with conn.cursor(name="browse") as cur:
        cur.itersize = 2
        cur.execute("SELECT lsoa_code, imd_score, imd_decile FROM deprivation_index WHERE imd_decile <= %s "
                    "ORDER BY imd_rank", (10,))
        while True:
            rows = cur.fetchmany(2)
            if not rows:
                break
            print("batch", rows)
        print([(c.name, c.type_code) for c in cur.description])
    conn.commit()
    conn.close()


def run_psycopg2(args):
    import psycopg2

    conn = psycopg2.connect(host=args.host, port=args.port, dbname=args.dbname, user=args.user,
                            application_name="psycopg2")
    print("server_version", conn.server_version, conn.get_parameter_status("server_version"))
    print("encoding", conn.encoding, "dsn", conn.dsn)
    with conn.cursor() as cur:
        cur.execute("SELECT la_code, la_name, population_2021 FROM local_authorities "
                    "WHERE region_name = %s AND population_2021 > %s", ("London", 1000))
        print(cur.fetchall())
        for col in cur.description:
            print(" ", col.name, col.type_code, col.internal_size, col.precision, col.scale)
        cur.execute("SELECT * FROM energy.epc_certificates WHERE lodgement_date >= %s AND is_new_build = %s",
                    (datetime.date(2015, 1, 1), True))
        print(cur.fetchall())
        for col in cur.description:
            print(" ", col.name, col.type_code, col.internal_size, col.precision, col.scale)
    conn.commit()
    cur = conn.cursor(name="browse")
    cur.itersize = 2
    cur.execute("SELECT lsoa_code, imd_score, imd_decile FROM deprivation_index WHERE imd_decile <= %s "
                "ORDER BY imd_rank", (10,))
    for row in cur:
        print("row", row)
    print([(c.name, c.type_code) for c in cur.description])
    cur.close()
    conn.commit()
    conn.close()


# ----------------------------------------------------------------------------------------------
def sqlalchemy_engine(args, application_name):
    import sqlalchemy

    url = sqlalchemy.engine.URL.create("postgresql+psycopg", username=args.user, host=args.host,
                                       port=args.port, database=args.dbname)
    return sqlalchemy.create_engine(url, connect_args={"application_name": application_name})


def run_sqlalchemy(args):
    import sqlalchemy
    from sqlalchemy import inspect, text

    engine = sqlalchemy_engine(args, "sqlalchemy")
    with engine.connect() as conn:
        print(conn.execute(text("SELECT count(*) FROM deprivation_index")).scalar())
    insp = inspect(engine)
    out = {"default_schema_name": insp.default_schema_name}
    out["get_schema_names"] = insp.get_schema_names()
    tables = {"(default)": insp.get_table_names()}
    for schema in out["get_schema_names"]:
        if schema == "information_schema":
            continue
        tables[schema] = insp.get_table_names(schema=schema)
    out["get_table_names"] = tables
    out["get_view_names"] = {"(default)": insp.get_view_names(),
                             "energy": insp.get_view_names(schema="energy")}
    targets = [(None, "deprivation_index"), ("boundaries", "la_2023"), ("Odd Schema", "Select")]
    for key in ("get_columns", "get_table_comment", "get_pk_constraint", "get_foreign_keys",
                "get_indexes", "get_unique_constraints", "get_check_constraints"):
        out[key] = {}
    for schema, table in targets:
        label = f"{schema or '(default)'}.{table}"
        out["get_columns"][label] = insp.get_columns(table, schema=schema)
        out["get_table_comment"][label] = insp.get_table_comment(table, schema=schema)
    schema, table = None, "deprivation_index"
    label = "(default).deprivation_index"
    out["get_pk_constraint"][label] = insp.get_pk_constraint(table, schema=schema)
    out["get_foreign_keys"][label] = insp.get_foreign_keys(table, schema=schema)
    out["get_indexes"][label] = insp.get_indexes(table, schema=schema)
    out["get_unique_constraints"][label] = insp.get_unique_constraints(table, schema=schema)
    out["get_check_constraints"][label] = insp.get_check_constraints(table, schema=schema)
    out["has_table"] = {
        "(default).deprivation_index": insp.has_table("deprivation_index"),
        "energy.ghg_emissions": insp.has_table("ghg_emissions", schema="energy"),
        "(default).no_such_table": insp.has_table("no_such_table"),
    }
    md = sqlalchemy.MetaData()
    md.reflect(engine, schema="energy")
    out["MetaData.reflect(schema='energy')"] = {
        name: [(c.name, str(c.type), c.nullable, c.comment) for c in t.columns]
        for name, t in md.tables.items()
    }
    for k, v in out.items():
        print(k, v)
    write_expected(args, "sqlalchemy_inspector.json", out)
    engine.dispose()


def run_pandas(args):
    import pandas as pd
    import psycopg
    from sqlalchemy import text

    engine = sqlalchemy_engine(args, "pandas")
    df = pd.read_sql_table("deprivation_index", engine, schema=args.default_schema)
    print(df.dtypes, df.shape)
    df = pd.read_sql_query(text("SELECT lsoa_code, imd_score FROM deprivation_index WHERE la_code = :code"),
                           engine, params={"code": "E06000100"})
    print(df)
    engine.dispose()
    raw = psycopg.connect(host=args.host, port=args.port, dbname=args.dbname, user=args.user,
                          application_name="pandas")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns that only SQLAlchemy/sqlite3 are "supported"
        df = pd.read_sql_query("SELECT * FROM energy.ghg_emissions WHERE year >= %s", raw, params=(2020,))
    print(df)
    raw.close()


# ----------------------------------------------------------------------------------------------
class OdbcRow(dict):
    """A catalogue row keyed by the driver's column names, also readable case-insensitively."""

    def __getitem__(self, key):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        for k in self:
            if k.lower() == key.lower():
                return dict.__getitem__(self, k)
        raise KeyError(key)


def odbc_rows(cur):
    cols = [d[0] for d in cur.description]
    return [OdbcRow(zip(cols, row)) for row in cur.fetchall()]


def run_odbc(args, declare_fetch):
    import pyodbc

    conn_str = (f"Driver={{PostgreSQL Unicode}};Server={args.host};Port={args.port};"
                f"Database={args.dbname};UID={args.user};CommLog=0;Debug=0;")
    if declare_fetch:
        conn_str += "UseDeclareFetch=1;Fetch=2;"
    else:
        conn_str += "UseDeclareFetch=0;"
    print(conn_str)
    conn = pyodbc.connect(conn_str)
    print("DBMS", conn.getinfo(pyodbc.SQL_DBMS_NAME), conn.getinfo(pyodbc.SQL_DBMS_VER),
          "driver", conn.getinfo(pyodbc.SQL_DRIVER_NAME), conn.getinfo(pyodbc.SQL_DRIVER_VER))
    cur = conn.cursor()
    expected = {}
    rows = odbc_rows(cur.tables())
    print("tables()", [(r["table_schem"], r["table_name"], r["table_type"]) for r in rows])
    expected["tables()"] = rows
    rows = odbc_rows(cur.tables(schema="energy"))
    print("tables(schema='energy')", [(r["table_schem"], r["table_name"]) for r in rows])
    rows = odbc_rows(cur.columns(table="deprivation_index"))
    print("columns(table='deprivation_index')", [(r["column_name"], r["type_name"]) for r in rows])
    expected["columns(table='deprivation_index')"] = rows
    rows = odbc_rows(cur.columns(schema="energy", table="epc_certificates"))
    for r in rows:
        print("  REMARKS", r["column_name"], r["type_name"], repr(r["remarks"]))
    expected["columns(schema='energy', table='epc_certificates')"] = rows
    rows = odbc_rows(cur.getTypeInfo())
    print("getTypeInfo()", [r["type_name"] for r in rows])
    try:
        rows = odbc_rows(cur.primaryKeys("deprivation_index", schema=args.default_schema))
        print("primaryKeys", rows)
    except pyodbc.Error as e:
        print("primaryKeys failed:", e)
    try:
        rows = odbc_rows(cur.statistics("deprivation_index", schema=args.default_schema))
        print("statistics", rows)
    except pyodbc.Error as e:
        print("statistics failed:", e)
    cur.execute("SELECT la_code, la_name, population_2021 FROM local_authorities WHERE region_name = ?", "London")
    print(cur.fetchall(), cur.description)
    cur.execute("SELECT * FROM deprivation_index WHERE imd_decile <= ? ORDER BY imd_rank", 10)
    print(cur.fetchmany(2))
    print(cur.fetchall())
    cur.close()
    conn.commit()
    conn.close()
    if not declare_fetch:
        write_expected(args, "odbc_tables.json", {"tables()": expected.pop("tables()")})
        write_expected(args, "odbc_columns.json", expected)


# ----------------------------------------------------------------------------------------------
def run_asyncpg(args):
    import asyncio

    import asyncpg

    async def session():
        conn = await asyncpg.connect(host=args.host, port=args.port, user=args.user, database=args.dbname,
                                     server_settings={"application_name": "asyncpg"})
        print("server_version", conn.get_server_version())
        rows = await conn.fetch("SELECT la_code, la_name, population_2021 FROM local_authorities "
                                "WHERE region_name = $1", "London")
        print(rows)
        rows = await conn.fetch("SELECT * FROM energy.epc_certificates WHERE lodgement_date >= $1",
                                datetime.date(2015, 1, 1))
        print(rows)
        # A common set-up step: a JSON codec.  Looks the type up in pg_type by name.
        await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
        # A composite (row) value: not a built-in codec, so asyncpg introspects the type in pg_type.
        row = await conn.fetchrow("SELECT d FROM deprivation_index d ORDER BY imd_rank LIMIT 1")
        print(row)
        # Cursor in a transaction: bound portal, fetched in batches.
        async with conn.transaction():
            async for r in conn.cursor("SELECT lsoa_code, imd_rank FROM deprivation_index ORDER BY imd_rank",
                                       prefetch=2):
                print("cursor", r)
        await conn.close()

    asyncio.run(session())


# ----------------------------------------------------------------------------------------------
def run_rpostgres_replay(args):
    """Replay RPostgres 1.4.10's libpq call sequence (see rpostgres_replay notes in the README).

    The SQL strings are built exactly as RPostgres' R code builds them; the libpq calls are the
    ones its C++ code makes: PQexec for PQsetClientEncoding, PQsendQuery for immediate = TRUE,
    PQprepare("") + PQdescribePrepared("") + PQsendQueryPrepared("") (text results, single-row
    mode) for everything else.
    """
    from psycopg import pq

    def lit(conn, s):  # connection_quote_string(): PQescapeLiteral
        return pq.Escaping(conn).escape_literal(s.encode()).decode()

    def ident(conn, s):  # connection_quote_identifier(): PQescapeIdentifier
        return pq.Escaping(conn).escape_identifier(s.encode()).decode()

    def drain(conn):
        results = []
        while True:
            r = conn.get_result()
            if r is None:
                break
            if r.status in (pq.ExecStatus.FATAL_ERROR,):
                print("ERROR", r.error_message.decode())
            results.append(r)
        return results

    def immediate(conn, sql):  # dbSendQuery(immediate = TRUE)
        print("immediate:", sql)
        conn.send_query(sql.encode())
        conn.set_single_row_mode()
        rows = []
        for r in drain(conn):
            rows.extend(r.get_value(i, 0) for i in range(r.ntuples))
        return rows

    def prepared(conn, sql, params=()):  # dbSendQuery(immediate = FALSE) + dbBind + dbFetch
        print("prepared:", sql)
        r = conn.prepare(b"", sql.encode(), None)
        assert r.status == pq.ExecStatus.COMMAND_OK, r.error_message
        spec = conn.describe_prepared(b"")
        assert spec.status == pq.ExecStatus.COMMAND_OK, spec.error_message
        conn.send_query_prepared(b"", [p.encode() for p in params] if params else None,
                                 [0] * len(params) if params else None, 0)
        conn.set_single_row_mode()
        rows = []
        for r in drain(conn):
            for i in range(r.ntuples):
                rows.append(tuple((r.get_value(i, j) or b"").decode() for j in range(r.nfields)))
        print("  ->", rows[:5], "..." if len(rows) > 5 else "")
        return rows

    conninfo = (f"host={args.host} port={args.port} dbname={args.dbname} user={args.user} "
                f"client_encoding=utf8 application_name=rpostgres_replay")
    conn = pq.PGconn.connect(conninfo.encode())
    assert conn.status == pq.ConnStatus.OK, conn.error_message
    # DbConnection::DbConnection(): PQsetClientEncoding(pConn_, "UTF-8") -> PQexec
    res = conn.exec_(b"set client_encoding to 'UTF-8'")
    assert res.status == pq.ExecStatus.COMMAND_OK
    # dbConnect_PqDriver()
    immediate(conn, "SET datestyle to 'iso, mdy'")
    immediate(conn, "SET TIMEZONE = " + lit(conn, "UTC"))
    immediate(conn, "SELECT oid, typname FROM pg_type")

    def list_tables(where_schema=None, where_table=None, order_by=None):
        query = ("SELECT table_schema, table_name \n"
                 "FROM information_schema.tables \n"
                 "WHERE TRUE \n")
        if where_schema is None:
            query += ("  AND (table_schema = ANY(current_schemas(true))) \n"
                      "  AND (table_schema <> 'pg_catalog') \n")
        else:
            query += "  AND " + where_schema
        if where_table is not None:
            query += "  AND " + where_table
        if order_by is not None:
            query += "ORDER BY " + order_by
        return query

    def exists_table(schema, table):
        where_table = "table_name = " + lit(conn, table) + " \n"
        where_schema = None if schema is None else "table_schema = " + lit(conn, schema) + " \n"
        query = "SELECT EXISTS ( \n" + list_tables(where_schema=where_schema, where_table=where_table) + ")"
        return prepared(conn, query)

    def list_fields(schema, table):
        if schema is not None:
            query = "(SELECT 1 AS nr, " + lit(conn, schema) + "::varchar" + " AS table_schema) t"
            only_first = False
        else:
            query = ("(" "SELECT * FROM unnest(current_schemas(true)) WITH ORDINALITY AS tbl(table_schema, nr) \n"
                     "WHERE table_schema != 'pg_catalog'" ") schemas_on_path")
            only_first = True
        query += " " + "INNER JOIN INFORMATION_SCHEMA.COLUMNS USING (table_schema) " + "WHERE table_name = " + \
            lit(conn, table)
        if only_first:
            query = "(SELECT *, rank() OVER (ORDER BY nr) AS rnr " + "FROM " + query + ") tttt WHERE rnr = 1"
        query = "SELECT column_name FROM " + query + " " + "ORDER BY ordinal_position"
        return prepared(conn, query)

    # dbListTables(con)
    prepared(conn, list_tables(order_by="table_type, table_name"))
    # dbListObjects(con)  (what the RStudio / Positron connections pane calls)
    null_varchar = "NULL::text"
    prepared(conn, "SELECT " + null_varchar + " AS schema, table_name AS table FROM ( \n"
             + list_tables(order_by="table_type, table_name") + ") as table_query \n"
             + "UNION ALL\n"
             + "SELECT DISTINCT table_schema AS schema, " + null_varchar + " AS table FROM ( \n"
             + list_tables(where_schema="true") + ") as schema_query;")
    # dbListObjects(con, prefix = Id(schema = "energy"))
    prepared(conn, "SELECT table_schema AS schema, table_name AS table FROM ( \n"
             + list_tables(where_schema="table_schema IN (" + lit(conn, "energy") + ") \n",
                           order_by="table_type, table_name")
             + ") as table_query")
    # dbExistsTable(con, "deprivation_index"); dbExistsTable(con, Id(schema = "energy", table = "ghg_emissions"))
    exists_table(None, "deprivation_index")
    exists_table("energy", "ghg_emissions")
    # dbListFields(con, "deprivation_index"); dbListFields(con, Id(schema = "energy", table = "epc_certificates"))
    list_fields(None, "deprivation_index")
    list_fields("energy", "epc_certificates")
    # dbReadTable(con, "local_authorities"): paste("SELECT * FROM ", name) -> two spaces
    prepared(conn, " ".join(["SELECT * FROM ", ident(conn, "local_authorities")]))
    # dbReadTable(con, Id(schema = "energy", table = "ghg_emissions"))
    prepared(conn, " ".join(["SELECT * FROM ", ident(conn, "energy") + "." + ident(conn, "ghg_emissions")]))
    # dbGetQuery(con, "... WHERE region_name = 'London'")
    prepared(conn, "SELECT la_code, la_name, population_2021 FROM local_authorities WHERE region_name = 'London'")
    # dbGetQuery(con, "... WHERE region_name = $1", params = list("London"))
    prepared(conn, "SELECT la_code, la_name, population_2021 FROM local_authorities WHERE region_name = $1",
             ["London"])
    # dbDisconnect(con): connection_release() -> PQfinish, no statement
    conn.finish()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("client")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", default="postgres")
    ap.add_argument("--dbname", default="lake")
    ap.add_argument("--default-schema", default="main")
    ap.add_argument("--expected-dir")
    args = ap.parse_args()
    runners = {
        "psycopg": run_psycopg,
        "psycopg2": run_psycopg2,
        "sqlalchemy": run_sqlalchemy,
        "pandas": run_pandas,
        "odbc": lambda a: run_odbc(a, False),
        "odbc_declarefetch": lambda a: run_odbc(a, True),
        "asyncpg": run_asyncpg,
        "rpostgres_replay": run_rpostgres_replay,
    }
    if args.client not in runners:
        sys.exit(f"unknown client {args.client}; one of {', '.join(runners)}")
    runners[args.client](args)


if __name__ == "__main__":
    main()
