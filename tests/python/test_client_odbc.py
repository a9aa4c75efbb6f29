"""ODBC: pyodbc over psqlODBC ("PostgreSQL Unicode", Debian's odbc-postgresql) against lakegate —
the calls BI tools make: connect, cursor.tables(), cursor.columns(), getTypeInfo(), a parameterised
SELECT. Differential against PostgreSQL 15 holding the same schema.

REMARKS: psqlODBC's SQLColumns and SQLTables never ask the server for comments — the driver itself
fills REMARKS with an empty string (psqlodbc info.c, PGAPI_Columns and PGAPI_Tables:
`set_tuplefield_string(&tuple[COLUMNS_REMARKS], NULL_STRING)`; its catalogue query, captured in
tests/client_queries/odbc.sql, selects no description). No server can change that column, so
`test_remarks_hold_the_descriptions` is an expected failure, and the descriptions reach ODBC tools
through ordinary queries instead (`test_descriptions_by_query`).
"""

from __future__ import annotations

import subprocess
from typing import Iterator

import pytest

from conftest import require
from support import DependencyMissing
from support import catalogue as cat
from support import lakegate as lg

DRIVER = "PostgreSQL Unicode"


def odbc_driver() -> str:
    try:
        out = subprocess.run(["odbcinst", "-q", "-d"], capture_output=True, text=True, timeout=30).stdout
    except FileNotFoundError:
        out = ""
    if f"[{DRIVER}]" not in out:
        raise DependencyMissing(
            f"the ODBC driver {DRIVER!r} is not registered: install odbc-postgresql and unixodbc "
            "(scripts/install-test-deps)"
        )
    try:
        import pyodbc  # noqa: F401
    except ImportError:
        raise DependencyMissing("pyodbc is not installed: pip install pyodbc") from None
    return DRIVER


def connect(host: str, port: int, user: str, database: str = "lake"):
    import pyodbc

    driver = require(odbc_driver)
    return pyodbc.connect(
        f"DRIVER={{{driver}}};SERVER={host};PORT={port};DATABASE={database};UID={user};PWD=;",
        autocommit=True,
        timeout=10,
    )


@pytest.fixture(scope="module")
def capture_server(tmp_path_factory, lakegate_bin, extension_root) -> Iterator[lg.LakegateServer]:
    lake = cat.capture_lake(tmp_path_factory.mktemp("odbc_lake"), binary=lakegate_bin)
    with lg.LakegateServer(lake.config, binary=lakegate_bin) as server:
        yield server


@pytest.fixture(scope="module")
def reference():
    server = require(lambda: cat.reference_server("main"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def ours(capture_server):
    conn = connect("127.0.0.1", capture_server.port, capture_server.user)
    yield conn
    conn.close()


@pytest.fixture
def theirs(reference):
    conn = connect(reference.host, reference.port, reference.superuser)
    yield conn
    conn.close()


# psqlODBC's extra columns that are OIDs or sizes of PostgreSQL's own storage.
NOT_COMPARED = {"table oid", "field_type", "auto_increment", "physical number"}


def columns(conn, **kw) -> list[dict]:
    cur = conn.cursor()
    cur.columns(**kw)
    names = [d[0] for d in cur.description]
    return [{k: v for k, v in zip(names, row) if k not in NOT_COMPARED} for row in cur.fetchall()]


def test_tables_are_postgres_tables(ours, theirs):
    def rows(conn):
        return sorted(tuple(r)[:4] for r in conn.cursor().tables().fetchall())

    # lakegate also lists its discovery views (schema `lakegate`: datasets, columns).
    mine = rows(ours)
    assert {r[2] for r in mine if r[1] == "lakegate"} >= {"datasets", "columns"}
    assert [r for r in mine if r[1] != "lakegate"] == rows(theirs)


@pytest.mark.parametrize(
    "where",
    [
        {"table": "deprivation_index"},
        {"schema": "energy", "table": "epc_certificates"},
        {"schema": "Odd Schema", "table": "Select"},
        {"schema": "main", "table": "la_deprivation_summary"},
    ],
)
def test_columns_are_postgres_columns(ours, theirs, where):
    assert columns(ours, **where) == columns(theirs, **where)


def test_remarks_are_filled_by_the_driver_not_the_server(ours):
    # psqlODBC builds SQLColumns' REMARKS itself as an empty string and never asks the server
    # for it (psqlodbc info.c, PGAPI_Columns: `set_tuplefield_string(&tuple[COLUMNS_REMARKS],
    # NULL_STRING)`, unchanged at upstream HEAD bc439e8). No server can fill it; ODBC tools get
    # the descriptions by query (next test, and lakegate.columns). If a driver version starts
    # asking, this fails and REMARKS should then hold the descriptions.
    remarks = {c["column_name"]: c["remarks"] for c in columns(ours, schema="energy", table="ghg_emissions")}
    assert set(remarks) == {"la_code", "year", "sector", "emissions_kt_co2e"}
    assert set(remarks.values()) == {""}


def test_descriptions_through_odbc_from_the_discovery_views(ours):
    cur = ours.cursor()
    rows = cur.execute(
        'SELECT name, description FROM lakegate.columns WHERE schema = ? AND "table" = ? ORDER BY position',
        "energy",
        "ghg_emissions",
    ).fetchall()
    assert rows[1][0] == "year" and rows[1][1] == "Calendar year of the emissions estimate."


def test_descriptions_by_query(ours):
    cur = ours.cursor()
    rows = cur.execute(
        "SELECT a.attname, pg_catalog.col_description(a.attrelid, a.attnum) FROM pg_catalog.pg_attribute a "
        "WHERE a.attrelid = '\"Odd Schema\".\"Select\"'::regclass AND a.attnum > 0 ORDER BY a.attnum"
    ).fetchall()
    assert [r[0] for r in rows] == ["from", "Mixed Case", "with space"]
    assert rows[2][1] == "Column with a space; O'Brien said \"hi\".\nZweite Zeile: grüße, 日本語."
    table = cur.execute(
        "SELECT obj_description(c.oid, 'pg_class') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = ? AND c.relname = ?",
        "energy",
        "ghg_emissions",
    ).fetchone()[0]
    assert table.startswith("Territorial greenhouse gas emissions")


def test_type_info_is_postgres_type_info(ours, theirs):
    def rows(conn):
        return [tuple(r)[:3] for r in conn.cursor().getTypeInfo().fetchall()]

    assert rows(ours) == rows(theirs)


def test_parameterised_select(ours, theirs):
    sql = "SELECT la_code, la_name, population_2021 FROM local_authorities WHERE region_name = ? ORDER BY la_code"
    a = [tuple(r) for r in ours.cursor().execute(sql, "London").fetchall()]
    b = [tuple(r) for r in theirs.cursor().execute(sql, "London").fetchall()]
    assert a == b and a


def test_sample_lake_over_odbc(lakegate_server):
    conn = connect("127.0.0.1", lakegate_server.port, lakegate_server.user)
    try:
        cur = conn.cursor()
        tables = {(r.table_schem, r.table_name, r.table_type) for r in cur.tables().fetchall()}
        assert ("energy", "epc_certificates", "TABLE") in tables
        assert ("main", "la_deprivation_summary", "VIEW") in tables
        assert not any(schema == "_lakegate" for schema, _, _ in tables)
        cols = columns(conn, schema="energy", table="epc_certificates")
        assert [c["column_name"] for c in cols][:3] == ["certificate_id", "lsoa_code", "lodgement_date"]
        co2 = next(c for c in cols if c["column_name"] == "co2_emissions_tonnes")
        assert (co2["type_name"], co2["column_size"], co2["decimal_digits"]) == ("numeric", 8, 2)
        n = cur.execute("SELECT count(*) FROM energy.ghg_emissions WHERE year >= ?", 2020).fetchone()[0]
        assert n > 0
    finally:
        conn.close()
