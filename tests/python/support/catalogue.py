"""The PostgreSQL catalogue tests' shared pieces: the *capture lake* (the schema the client queries
in tests/client_queries/ were captured on, published into a lakegate lake), the same schema loaded
into a real PostgreSQL 15 as the reference, the captured statements, and replaying them.

- ``capture_schema_sql(default)``: tests/capture/schema.sql.in for PostgreSQL (``default`` = main |
  public), exactly as tests/capture/capture_client_queries.sh loads it;
- ``duckdb_schema_sql()``: the same schema translated for DuckDB (types, bytea literals; PostgreSQL's
  own commands dropped) — tables main.local_authorities, main.deprivation_index, boundaries.la_2023,
  energy.epc_certificates, energy.ghg_emissions, view main.la_deprivation_summary, and the awkward
  "Odd Schema"."Select" (reserved word, mixed case, spaces; comments with quotes, a newline,
  non-ASCII), all with their rows and comments;
- ``capture_lake(dir)``: that schema in a DuckDB file, published with ``lakegate publish``;
- ``load_reference(pg)``: the schema loaded into a PostgreSQL server the way the capture did (so
  the relation OIDs equal the captured ones: 16393 is main.deprivation_index);
- ``read_statements(client)`` / ``params_of(entry)``: the captured statements and their parameters;
- ``run_raw(conn, entry)``: one statement on a psycopg connection through libpq, with the protocol
  the client used (simple, or extended with text parameters), returning a ``RawResult``.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import repo_root
from . import lakegate as lg

CLIENT_QUERIES = repo_root() / "tests" / "client_queries"
SCHEMA_IN = repo_root() / "tests" / "capture" / "schema.sql.in"

sys.path.insert(0, str(repo_root() / "tests" / "capture"))
from client_queries_format import read_entries  # noqa: E402


# ---------------------------------------------------------------------------------------------
# the schema


def capture_schema_sql(default: str = "main") -> str:
    return SCHEMA_IN.read_text().replace("@DEFAULT@", default)


def duckdb_schema_sql() -> str:
    """schema.sql.in (default schema ``main``) as DuckDB SQL."""
    sql = capture_schema_sql("main")
    out = []
    for line in sql.split("\n"):
        if line.startswith("\\") or line.startswith("SET client_min_messages") or line.startswith("COMMENT ON SCHEMA"):
            continue
        out.append(line)
    sql = "\n".join(out)
    sql = sql.replace("CREATE SCHEMA IF NOT EXISTS main;", "")
    sql = re.sub(r"decode\('([0-9a-f]+)', 'hex'\)", r"from_hex('\1')", sql)
    sql = re.sub(r"\bdouble precision\b", "DOUBLE", sql)
    sql = re.sub(r"\bbytea\b", "BLOB", sql)
    sql = re.sub(r"\bnumeric\((\d+),(\d+)\)", r"DECIMAL(\1,\2)", sql)
    sql = re.sub(r"::numeric\b", "::DECIMAL(18,3)", sql)
    return sql


@dataclass(frozen=True)
class CaptureLake:
    dir: Path
    config: Path
    source: Path


def capture_lake(dir: str | Path, binary: str | Path | None = None) -> CaptureLake:
    """The capture schema in ``dir/source.duckdb``, published into a lake in ``dir``."""
    import duckdb

    d = Path(dir).resolve()
    d.mkdir(parents=True, exist_ok=True)
    source = d / "source.duckdb"
    con = duckdb.connect(str(source))
    try:
        con.execute(duckdb_schema_sql())
    finally:
        con.close()
    config = lg.write_config(d, lake=lg.lake_sections(), publish={"source": "source.duckdb"})
    lg.run(["publish", "--message", "tests: capture lake"], config=config, binary=binary, cwd=d)
    return CaptureLake(dir=d, config=config, source=source)


def reference_server(variant: str = "main"):
    """A started PostgreSQL 15 with the capture schema loaded (see ``load_reference``); the caller
    stops it. Raises DependencyMissing when PostgreSQL is not installed."""
    from .postgres import PostgresServer

    server = PostgresServer()
    server.start()
    try:
        load_reference(server, variant)
    except BaseException:
        server.stop()
        raise
    return server


def load_reference(pg, variant: str = "main") -> None:
    """Loads the capture schema into database ``lake`` of ``pg`` as capture_client_queries.sh did:
    first the ``main`` variant, then (for ``public``) the ``public`` one in a re-created database, so
    that the relation OIDs are the captured ones."""
    variants = ["main"] if variant == "main" else ["main", "public"]
    for v in variants:
        pg.psql("DROP DATABASE IF EXISTS lake WITH (FORCE)")
        pg.psql("CREATE DATABASE lake")
        pg.psql(capture_schema_sql(v), dbname="lake")
        if v == "main":
            pg.psql("DROP SCHEMA public", dbname="lake")
            pg.psql("ALTER DATABASE lake SET search_path = main")


# ---------------------------------------------------------------------------------------------
# the captured statements


def read_statements(client: str) -> list[dict]:
    """The entries of tests/client_queries/<client>.sql that were executed (not portal re-fetches)."""
    return [e for e in read_entries(CLIENT_QUERIES / f"{client}.sql") if e["meta"].get("protocol") != "extended-fetch"]


PARAM_RE = re.compile(r"\$(\d+) = ('(?:[^']|'')*'|NULL)")


def params_of(entry: dict) -> list[str | None]:
    meta = entry["meta"]
    if "params-json" in meta:
        values = json.loads(meta["params-json"])
        if isinstance(values, dict):
            return [values[k] for k in sorted(values, key=lambda k: int(k.lstrip("$")))]
        return list(values)
    found = {int(n): (None if v == "NULL" else v[1:-1].replace("''", "'")) for n, v in PARAM_RE.findall(meta.get("params", ""))}
    return [found[i] for i in sorted(found)]


_PREPARED: dict[int, set[str]] = {}


def _prepared(conn) -> set[str]:
    """The statement names prepared on ``conn`` so far."""
    return _PREPARED.setdefault(id(conn.pgconn), set())


@dataclass
class RawResult:
    ok: bool
    error: str = ""
    columns: list[str] = field(default_factory=list)
    type_oids: list[int] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)


def run_raw(conn, sql: str, params: list[str | None] | None, protocol: str, prepared: str = "<unnamed>") -> RawResult:
    """Runs one statement through libpq on psycopg connection ``conn`` (autocommit): a simple
    Query when ``protocol`` is "simple", else Parse/Bind/Execute with text parameters of unknown
    type, as the clients' drivers did — into the named prepared statement ``prepared`` (prepared
    once per connection) unless it is "<unnamed>". Rows come back as text."""
    from psycopg.pq import ExecStatus

    pg = conn.pgconn
    values = [None if p is None else p.encode() for p in (params or [])]
    if protocol == "simple":
        for name in re.findall(r'DEALLOCATE "?([^";]+)"?', sql):
            _prepared(conn).discard(name)
        res = pg.exec_(sql.encode())
    elif prepared == "<unnamed>":
        res = pg.exec_params(sql.encode(), values)
    else:
        done = _prepared(conn)
        if prepared not in done:
            res = pg.prepare(prepared.encode(), sql.encode())
            if res.status == ExecStatus.FATAL_ERROR:
                return RawResult(False, error=res.error_message.decode(errors="replace").strip())
            done.add(prepared)
        res = pg.exec_prepared(prepared.encode(), values)
    if res.status == ExecStatus.FATAL_ERROR:
        return RawResult(False, error=res.error_message.decode(errors="replace").strip())
    out = RawResult(True)
    if res.status == ExecStatus.TUPLES_OK:
        out.columns = [res.fname(i).decode() for i in range(res.nfields)]
        out.type_oids = [res.ftype(i) for i in range(res.nfields)]
        for r in range(res.ntuples):
            out.rows.append(tuple(None if res.get_value(r, c) is None else res.get_value(r, c).decode() for c in range(res.nfields)))
    return out
