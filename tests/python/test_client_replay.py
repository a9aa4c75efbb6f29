"""Replay of the captured client sessions (tests/client_queries/<client>.sql): every statement each
client sent while browsing a real PostgreSQL 15 runs against lakegate without error and answers
with the same shape — column names, column types where comparable, and rows (normalised where the
two servers legitimately differ, see ``normalise``) — as a real PostgreSQL 15 holding the same
schema, comments and rows answers it live.

Both sides hold the capture schema (support/catalogue.py): lakegate serves it published into a
lake, PostgreSQL has it loaded exactly as the capture did, so its relation OIDs are the captured
ones; statements that carry a captured OID (psql's `WHERE c.oid = '16393'`) get lakegate's OID for
the same relation on the lakegate side.
"""

from __future__ import annotations

import re
from typing import Iterator

import psycopg
import pytest

from conftest import require
from support import catalogue as cat
from support import lakegate as lg
from support.postgres import PostgresServer

CLIENTS = [
    "psql",
    "psql_public",
    "psycopg",
    "psycopg2",
    "sqlalchemy",
    "sqlalchemy_public",
    "pandas",
    "rpostgresql",
    "rpostgres",
    "odbc",
    "odbc_declarefetch",
    "asyncpg",
]

# Statements whose answer differs from PostgreSQL's on purpose or for a reason outside the
# catalogue, found by (client pattern, SQL pattern): what is not compared, and why.
ALLOWED = [
    # Lake tables are parquet files: `\dt+`'s Size is their bytes, not PostgreSQL's heap pages.
    (r"psql", r"pg_table_size", {"columns": ["Size"]}),
    # \l: one database (the lake); PostgreSQL also lists postgres, template0, template1.
    (r"psql", r"FROM pg_catalog\.pg_database", {"rows": "lakegate serves one database"}),
    # \du: lakegate's roles are `lakegate` (the owner) and the session's user.
    (r"psql", r"FROM pg_catalog\.pg_roles r", {"rows": "different roles"}),
    # \d+ on a view: DuckDB keeps the view's SQL as DuckDB wrote it back, not PostgreSQL's deparse.
    (r"psql", r"pg_get_viewdef", {"rows": "view definition text is DuckDB's"}),
    # version(): lakegate's banner ("PostgreSQL 16.6 (lakegate …, DuckDB …) …").
    (r".*", r"version\(\)", {"rows": "version banner"}),
    # PostgreSQL's built-in operator classes are not listed: a lake has no indexes to use them.
    (r".*", r"pg_opclass\.opcname", {"rows": "no operator classes"}),
    # Not a catalogue query: DuckDB names `count(*)` count_star() (the session names result columns
    # as DuckDB does; PostgreSQL's names are kept for rewritten catalogue queries).
    (r".*", r"^SELECT count\(\*\) FROM deprivation_index$", {"columns_named": "DuckDB"}),
    # Captured with the tables in `public`, whose name SQLAlchemy then sends as the default schema;
    # lakegate's default schema is `main`, which a live SQLAlchemy sends (test_client_sqlalchemy).
    (r"_public", r"pg_namespace\.nspname = \$\d+::VARCHAR", {"rows": "default schema is main"}),
    # asyncpg: lakegate's jit setting defaults to off; composite (row) values are sent as json, so
    # there are no row types to introspect.
    (r"asyncpg", r"current_setting\('jit'\)", {"rows": "jit is off"}),
    (r"asyncpg", r"typeinfo_tree", {"rows": "no composite types"}),
    (r"asyncpg", r"^SELECT d FROM deprivation_index d", {"rows": "rows as json", "types": "json"}),
    # pg_type has PostgreSQL's own types; a lake's tables have no row types (see pg_type.sql).
    (r"rpostgres$", r"FROM pg_type", {"rows": "no row types for lake tables"}),
]


# Result columns that name a schema (psql's `\dn` calls it "Name").
SCHEMA_COLUMNS = {"nspname", "Schema", "schemaname", "table_schema", "schema_name", "schema", "Name"}


def allowance(client: str, sql: str) -> dict:
    out: dict = {}
    for client_re, sql_re, what in ALLOWED:
        if re.search(client_re, client) and re.search(sql_re, sql):
            out.update(what)
    return out


# Statements that fail for reasons outside the catalogue emulation, each with its owner's issue.
KNOWN_FAILURES: dict = {}


@pytest.fixture(scope="module")
def capture_lake(tmp_path_factory: pytest.TempPathFactory, lakegate_bin, extension_root) -> cat.CaptureLake:
    return cat.capture_lake(tmp_path_factory.mktemp("capture_lake"), binary=lakegate_bin)


@pytest.fixture(scope="module")
def capture_server(capture_lake: cat.CaptureLake, lakegate_bin) -> Iterator[lg.LakegateServer]:
    with lg.LakegateServer(capture_lake.config, binary=lakegate_bin) as server:
        yield server


def _reference(variant: str) -> Iterator[PostgresServer]:
    server = require(lambda: cat.reference_server(variant))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def reference_main() -> Iterator[PostgresServer]:
    yield from _reference("main")


@pytest.fixture(scope="module")
def reference_public() -> Iterator[PostgresServer]:
    yield from _reference("public")


OID_QUERY = (
    "SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'v') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
)


def oid_map(pg: PostgresServer, server: lg.LakegateServer) -> dict[str, str]:
    """Captured (= reference) relation OID → lakegate's OID of the same relation."""
    with pg.connect("lake") as c:
        ref = {(("main" if n == "public" else n), r): str(o) for o, n, r in c.execute(OID_QUERY)}
    with server.connect(autocommit=True) as c:
        ours = {(n, r): str(o) for o, n, r in c.execute(OID_QUERY)}
    assert set(ref) <= set(ours), f"relations missing from lakegate: {set(ref) - set(ours)}"
    return {ref[k]: ours[k] for k in ref}


def substitute(text: str, mapping: dict[str, str]) -> str:
    return re.sub(r"\b(16[3-9]\d\d)\b", lambda m: mapping.get(m.group(1), m.group(1)), text)


# Types that the two servers spell differently but that a client reads alike: lakegate sends OIDs
# as int4, `name` and `"char"` as text, pg_node_tree as text, oid[] / int2vector as int4[] / int2[].
COMPARABLE = {
    26: 23,  # oid → int4
    19: 25,  # name → text
    18: 25,  # "char" → text
    194: 25,  # pg_node_tree → text
    1043: 25,  # varchar → text
    24: 25,  # regproc → text
    2205: 25,  # regclass (printed) → text
    2206: 25,  # regtype (printed) → text
    4089: 25,  # regnamespace (printed) → text
    1028: 1007,  # oid[] → int4[]
    22: 1005,  # int2vector → int2[]
    30: 1007,  # oidvector → int4[]
    1003: 1009,  # name[] → text[]
    1034: 1009,  # aclitem[] → text[]
    1002: 1009,  # "char"[] → text[]
    12000: 25,
    13238: 25,  # information_schema.sql_identifier → text
    13226: 23,  # information_schema.cardinal_number → int4
    13229: 25,  # information_schema.character_data → text
    13234: 25,  # information_schema.yes_or_no → text
    700: 700,
    114: 114,
}


def comparable(oid: int) -> int:
    return COMPARABLE.get(oid, oid)


def normalise(value: str | None, public: bool = False) -> str | None:
    """Values that legitimately differ between the servers: OIDs of objects (PostgreSQL numbers
    them in creation order, lakegate derives them from names), owners (`postgres` vs `lakegate`),
    and, for the captures made with the tables in `public`, the schema's name (lakegate presents
    the lake's default schema as `main`)."""
    if value is None:
        return None
    if public and value == "public":
        return "main"
    if value == "pg_database_owner":
        return "<role>"
    if re.fullmatch(r"\d{5,10}", value) and int(value) >= 16384:
        return "<oid>"
    if value in ("postgres", "lakegate", "analyst"):
        return "<role>"
    return value


def replay(client: str, pg: PostgresServer, server: lg.LakegateServer) -> list[str]:
    mapping = oid_map(pg, server)
    problems = []
    ours_conns: dict[str, psycopg.Connection] = {}
    ref_conns: dict[str, psycopg.Connection] = {}
    try:
        for entry in cat.read_statements(client):
            key = (client, entry["number"])
            session = entry["meta"].get("session", "1")
            if session not in ours_conns:
                ours_conns[session] = server.connect(autocommit=True)
                ref_conns[session] = pg.connect("lake", autocommit=True)
            protocol = entry["meta"].get("protocol", "simple")
            params = cat.params_of(entry)
            name = entry["meta"].get("prepared", "<unnamed>")
            ref = cat.run_raw(ref_conns[session], entry["sql"], params, protocol, name)
            assert ref.ok, f"{key}: the reference PostgreSQL failed: {ref.error}"
            # psql's OIDs, in statements and parameters.
            our_params = [None if p is None else substitute(p, mapping) for p in params]
            ours = cat.run_raw(ours_conns[session], substitute(entry["sql"], mapping), our_params, protocol, name)
            if key in KNOWN_FAILURES:
                # Like a strict xfail: a known failure that passes must leave the list.
                if ours.ok:
                    problems.append(f"{key}: passes now; remove it from KNOWN_FAILURES")
                continue
            if not ours.ok:
                problems.append(f"{key}: {ours.error}")
                continue
            allowed = allowance(client, entry["sql"])
            if ours.columns != ref.columns and "columns_named" not in allowed:
                problems.append(f"{key}: columns {ours.columns} != PostgreSQL's {ref.columns}")
                continue
            skip = {ref.columns.index(c) for c in allowed.get("columns", [])}
            for i, (a, b) in enumerate(zip(ours.type_oids, ref.type_oids)):
                if i not in skip and comparable(a) != comparable(b) and "types" not in allowed:
                    problems.append(f"{key}: column {ref.columns[i]!r} has type {a}, PostgreSQL's {b}")
            if "rows" in allowed:
                continue

            # lakegate's discovery schema `lakegate` (lakegate.datasets, lakegate.columns) is a
            # schema of the served database: listings of schemas and relations have its rows too.
            schema_columns = [i for i, c in enumerate(ours.columns) if c in SCHEMA_COLUMNS]

            def rows(r: cat.RawResult) -> list[tuple]:
                kept = [
                    tuple(normalise(v, client.endswith("_public")) for i, v in enumerate(row) if i not in skip)
                    for row in r.rows
                    if not (r is ours and any(row[i] == "lakegate" for i in schema_columns))
                ]
                return sorted(kept, key=lambda row: tuple((v is None, v or "") for v in row))

            if rows(ours) != rows(ref):
                problems.append(f"{key}: rows differ\n  lakegate:   {rows(ours)[:6]}\n  PostgreSQL: {rows(ref)[:6]}")
    finally:
        for c in [*ours_conns.values(), *ref_conns.values()]:
            c.close()
    return problems


@pytest.mark.parametrize("client", CLIENTS)
def test_captured_statements_answer_like_postgres(client, capture_server, request):
    pg = request.getfixturevalue("reference_public" if client.endswith("_public") else "reference_main")
    problems = replay(client, pg, capture_server)
    assert not problems, f"{len(problems)} statement(s) of {client} differ:\n" + "\n".join(problems)
