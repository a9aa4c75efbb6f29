"""Helpers for the tests of ``lakegate publish`` and of the pins board it writes.

The point of these tests is that the lake and the board are usable WITHOUT lakegate: everything is
checked with a plain DuckDB (the ``duckdb`` package from PyPI, 1.5.5, with the installed
extensions) or with Python ``pins``. Nothing here imports lakegate code.

It owns:

- ``plain_duckdb(*extensions)``: an in-memory DuckDB that loads extensions only from the installed
  extension directory (no autoinstall, no autoload), like an analyst's DuckDB would after
  ``INSTALL``;
- ``make_source(path, sql)``: a source DuckDB file written by that plain DuckDB, in storage version
  v1.5.0 (the first that keeps a GEOMETRY column's coordinate system), spatial loaded;
- ``Lake`` / ``new_lake(dir, …)``: a config (SQLite catalogue, data folder or S3 prefix, pins folder
  or S3 prefix) for one test, with ``publish()`` running the real binary and readers for what a
  test compares: ``snapshots()``, ``data_files()``, ``referenced_files()``, ``attach()``;
- ``Lake.start_publish(...)`` / ``Running.wait_for_line(...)``: a publish running in the background,
  with its stderr followed line by line, for the tests that interrupt one at a known point;
- ``big_source(...)``: a ~1 GB source made once per session; ``run_with_peak_rss(...)``;
- ``s3_lake`` / ``s3_client`` / ``s3_objects``: the same on Garage, and listing its bucket.
"""

from __future__ import annotations

import os
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import duckdb

from . import extension_root
from . import lakegate as lg

#: The DuckDB storage version that keeps GEOMETRY('EPSG:…') (older ones drop the CRS).
STORAGE_VERSION = "v1.5.0"


def plain_duckdb(*extensions: str, path: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection loading ``extensions`` from the installed extension directory only."""
    con = duckdb.connect(path)
    con.execute(f"SET extension_directory = '{extension_root()}'")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    for name in extensions:
        con.execute(f"LOAD {name}")
    return con


def make_source(path: str | os.PathLike, sql: str | Sequence[str] = ()) -> Path:
    """Writes a new source DuckDB file at ``path`` by running ``sql`` (one script, or a list of
    statements) in it with a plain DuckDB; spatial is loaded, so GEOMETRY('EPSG:27700') works.
    An existing file is extended (the statements run against it)."""
    path = Path(path)
    con = plain_duckdb("spatial")
    try:
        version = "" if path.exists() else f" (STORAGE_VERSION '{STORAGE_VERSION}')"
        con.execute(f"ATTACH '{path}' AS src{version}")
        con.execute("USE src")
        for stmt in [sql] if isinstance(sql, str) else sql:
            con.execute(stmt)
        con.execute("USE memory")
        con.execute("DETACH src")
    finally:
        con.close()
    return path


def quote(ident: str) -> str:
    return '"' + ident.replace('"', '""') + '"'


def literal(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


@dataclass
class Lake:
    """One test's lake: a config, a source, a SQLite catalogue, and data/pins (folder or S3)."""

    dir: Path
    config: Path
    source: Path
    catalog: Path
    data: Path | str  # a folder, or an s3:// URL
    pins: Path | str | None
    env: dict[str, str] = field(default_factory=dict)
    #: SQL that lets a plain DuckDB reach S3 (CREATE SECRET …), when data or pins are on S3.
    s3_secret_sql: str | None = None

    # -- running lakegate -------------------------------------------------------------------------

    def publish(
        self,
        *args: str,
        check: bool = True,
        env: Mapping[str, str] | None = None,
        config: Path | None = None,
        timeout: float = 900.0,
    ) -> subprocess.CompletedProcess:
        return lg.run(
            ["publish", *args],
            config=config or self.config,
            env={**self.env, **(env or {})},
            check=check,
            cwd=self.dir,
            timeout=timeout,
        )

    def start_publish(self, *args: str, env: Mapping[str, str] | None = None) -> "Running":
        cmd = [str(lg.lakegate_bin()), "--config", str(self.config), "publish", *args]
        proc = subprocess.Popen(
            cmd,
            cwd=self.dir,
            env=lg.lakegate_env({**self.env, **(env or {})}),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        return Running(proc)

    # -- reading the lake as a plain DuckDB user --------------------------------------------------

    def attach(self, alias: str = "l", *extra: str) -> duckdb.DuckDBPyConnection:
        """A plain DuckDB with the lake attached READ_ONLY as ``alias`` (ducklake + sqlite, and
        httpfs + the secret for S3, spatial for geometry)."""
        exts = ["ducklake", "sqlite_scanner", "spatial", *extra]
        if self.s3_secret_sql:
            exts.append("httpfs")
        con = plain_duckdb(*dict.fromkeys(exts))
        if self.s3_secret_sql:
            con.execute(self.s3_secret_sql)
        con.execute(f"ATTACH 'ducklake:sqlite:{self.catalog}' AS {alias} (READ_ONLY)")
        return con

    def snapshots(self) -> list[tuple]:
        """``(snapshot_id, author, commit_message)`` of every snapshot, oldest first (empty when
        there is no catalogue yet)."""
        if not self.catalog.exists():
            return []
        con = self.attach()
        try:
            return con.execute(
                "SELECT snapshot_id, author, commit_message FROM l.snapshots() ORDER BY snapshot_id"
            ).fetchall()
        finally:
            con.close()

    def data_files(self) -> dict[str, tuple[int, int]]:
        """Every file under the data folder: relative path → (size, mtime_ns)."""
        assert isinstance(self.data, Path), "data_files() is for folder lakes"
        if not self.data.exists():
            return {}
        return {
            str(p.relative_to(self.data)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(self.data.rglob("*"))
            if p.is_file()
        }

    def referenced_files(self) -> set[str]:
        """Data and delete files the catalogue references (in any snapshot), relative to the data
        path, as DuckLake records them."""
        con = self.attach()
        try:
            rows = con.execute(
                """
                SELECT coalesce(s.path, '') || coalesce(t.path, '') || f.path
                FROM __ducklake_metadata_l.ducklake_data_file f
                JOIN __ducklake_metadata_l.ducklake_table t USING (table_id)
                JOIN __ducklake_metadata_l.ducklake_schema s USING (schema_id)
                UNION ALL
                SELECT coalesce(s.path, '') || coalesce(t.path, '') || f.path
                FROM __ducklake_metadata_l.ducklake_delete_file f
                JOIN __ducklake_metadata_l.ducklake_table t USING (table_id)
                JOIN __ducklake_metadata_l.ducklake_schema s USING (schema_id)
                """
            ).fetchall()
        finally:
            con.close()
        return {r[0] for r in rows}

    def table_files(self, schema: str, table: str) -> dict[str, tuple[int, int]]:
        """The data folder's files of one table (by DuckLake's folder layout ``schema/table/``)."""
        prefix = f"{schema}/{table}/"
        return {k: v for k, v in self.data_files().items() if k.startswith(prefix)}


class Running:
    """A background ``lakegate publish`` whose stderr is read line by line."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.lines: list[str] = []
        self.stdout = ""
        self._cond = threading.Condition()
        self._done = False
        self._err = threading.Thread(target=self._read_err, daemon=True)
        self._out = threading.Thread(target=self._read_out, daemon=True)
        self._err.start()
        self._out.start()

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._done = True
            self._cond.notify_all()

    def _read_out(self) -> None:
        assert self.proc.stdout is not None
        self.stdout = self.proc.stdout.read()

    def wait_for_line(self, predicate, timeout: float = 600.0, what: str = "a line") -> str:
        """Blocks until a stderr line satisfies ``predicate`` (returns it); fails if the process
        ends first or after ``timeout`` seconds."""
        seen = 0
        with self._cond:
            while True:
                while seen < len(self.lines):
                    line = self.lines[seen]
                    seen += 1
                    if predicate(line):
                        return line
                if self._done:
                    raise AssertionError(
                        f"publish ended (exit {self.proc.wait()}) before {what}:\n"
                        + "\n".join(self.lines)
                        + "\n--- stdout ---\n"
                        + self.stdout
                    )
                if not self._cond.wait(timeout=timeout):
                    raise AssertionError(f"timed out after {timeout}s waiting for {what}:\n" + "\n".join(self.lines))

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def wait(self, timeout: float = 600.0) -> int:
        status = self.proc.wait(timeout=timeout)
        self._err.join(timeout=30)
        self._out.join(timeout=30)
        return status

    def kill_group(self) -> None:
        """SIGKILL to the whole process group (safety net in a finally)."""
        try:
            os.killpg(self.proc.pid, 9)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)


def sample_source(path: str | os.PathLike) -> Path:
    """The bundled sample source (``lakegate sample``) at ``path``."""
    lg.run(["sample", os.fspath(path)])
    return Path(path)


#: The big source's table: ~13 M rows, ~1 GB in DuckDB's file, of barely compressible text.
BIG_ROWS = 13_000_000


def big_source(basetemp: Path, rows: int = BIG_ROWS) -> Path:
    """A source with table ``big`` (``rows`` rows: id, three md5 texts, a double; ~1 GB for the
    default) and table ``small`` (one row), made once per test session under ``basetemp`` (pass
    ``tmp_path_factory.getbasetemp()``) and shared: publishes only ever read their source."""
    path = basetemp / f"big-source-{rows}" / "big.duckdb"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("big.duckdb.tmp")
    tmp.unlink(missing_ok=True)
    statements = [
        f"""CREATE TABLE big AS SELECT i AS id, md5(i::VARCHAR) AS a, md5((i + 1)::VARCHAR) AS b,
            md5((i + 2)::VARCHAR) || md5((i + 3)::VARCHAR) AS c, hash(i) / 1e19 AS r
            FROM range({rows}) t(i)""",
        "COMMENT ON TABLE big IS 'A table larger than the memory limit of the publish.'",
        "CREATE TABLE small AS SELECT 1 AS x",
        "COMMENT ON TABLE small IS 'A small table.'",
    ]
    # In a child process: DuckDB's memory for a 1 GB table would otherwise stay in the test
    # process (and in the peak RSS every child it forks inherits on Linux).
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); "
        "from support.publishing import make_source; make_source(sys.argv[2], json.loads(sys.argv[3]))"
    )
    import json
    import sys

    subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).resolve().parents[1]), str(tmp), json.dumps(statements)],
        check=True,
        timeout=1200,
    )
    tmp.rename(path)
    return path


#: Runs argv[1:] as a grandchild of a small Python and prints its peak RSS (bytes) on stderr:
#: on Linux a child's ru_maxrss starts from its parent's RSS at fork, so forking the measured
#: process from the (large) test process would count the test's memory too.
_PEAK_RSS_HELPER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write("\\nlakegate-test-peak-rss=%d\\n" % (usage.ru_maxrss * 1024))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_with_peak_rss(cmd: Sequence[str], cwd, env, timeout: float = 1200) -> tuple[int, str, str, int]:
    """Runs ``cmd``; returns (status, stdout, stderr, its own peak RSS in bytes)."""
    import sys

    res = subprocess.run(
        [sys.executable, "-S", "-c", _PEAK_RSS_HELPER, *map(str, cmd)],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    err, _, tail = res.stderr.rpartition("\nlakegate-test-peak-rss=")
    return res.returncode, res.stdout, err, int(tail.strip())


def new_lake(
    dir: str | os.PathLike,
    source_sql: str | Sequence[str] | None = None,
    *,
    pins: bool | str = True,
    data: str | None = None,
    lake: Mapping[str, object] | None = None,
    publish: Mapping[str, object] | None = None,
    s3: Mapping[str, object] | None = None,
    env: Mapping[str, str] | None = None,
    s3_secret_sql: str | None = None,
    source_name: str = "source.duckdb",
    sample: bool = False,
    source: Path | None = None,
) -> Lake:
    """A config in ``dir`` (SQLite catalogue ``lake/catalog.sqlite``; data ``data`` or
    ``lake/data/``; pins ``pins`` if a string, ``lake/pins/`` if True, none if False) publishing
    ``dir/<source_name>`` (or the existing file ``source``): the bundled sample with ``sample``,
    then ``source_sql`` run in it."""
    d = Path(dir).resolve()
    d.mkdir(parents=True, exist_ok=True)
    if source is not None:
        source_name = str(source)
    source = Path(source) if source is not None else d / source_name
    if sample:
        sample_source(source)
    if source_sql is not None:
        make_source(source, source_sql)
    lake_section = lg.lake_sections({**({"data_path": data} if data else {}), **(lake or {})})
    board = "lake/pins/" if pins is True else (pins or "")
    sections: dict[str, dict] = {
        "lake": lake_section,
        "pins": {"board": board},
        "publish": {"source": source_name, "author": "lakegate-tests", **(publish or {})},
    }
    if s3:
        sections["s3"] = dict(s3)
    config = lg.write_config(d, **sections)
    data_loc: Path | str = data if data and data.startswith("s3://") else d / (data or "lake/data/")
    pins_loc: Path | str | None
    if not board:
        pins_loc = None
    elif board.startswith("s3://"):
        pins_loc = board
    else:
        pins_loc = d / board
    return Lake(
        dir=d,
        config=config,
        source=source,
        catalog=d / "lake" / "catalog.sqlite",
        data=data_loc,
        pins=pins_loc,
        env=dict(env or {}),
        s3_secret_sql=s3_secret_sql,
    )


def except_count(con: duckdb.DuckDBPyConnection, left: str, right: str) -> tuple[int, int]:
    """Rows of ``left`` missing from ``right`` and vice versa (multiset: EXCEPT ALL)."""
    a = con.execute(f"SELECT count(*) FROM (FROM {left} EXCEPT ALL FROM {right})").fetchone()[0]
    b = con.execute(f"SELECT count(*) FROM (FROM {right} EXCEPT ALL FROM {left})").fetchone()[0]
    return a, b


def columns(con: duckdb.DuckDBPyConnection, database: str, schema: str, table: str) -> list[tuple]:
    """``(name, type, comment)`` of a table's or view's columns, in order."""
    return con.execute(
        "SELECT column_name, data_type, comment FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = ? AND table_name = ? ORDER BY column_index",
        [database, schema, table],
    ).fetchall()


def comment_of(con: duckdb.DuckDBPyConnection, database: str, schema: str, name: str) -> str | None:
    row = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? AND table_name = ? "
        "UNION ALL SELECT comment FROM duckdb_views() WHERE database_name = ? AND schema_name = ? AND view_name = ?",
        [database, schema, name] * 2,
    ).fetchone()
    assert row is not None, f"no table or view {schema}.{name} in {database}"
    return row[0]


def names(items: Iterable[tuple]) -> list:
    return [i[0] for i in items]


# -- S3 (Garage) ---------------------------------------------------------------------------------


def s3_client(garage):
    """A boto3 S3 client for a ``support.garage.GarageServer`` with its read-write key."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=garage.url,
        aws_access_key_id=garage.access_key,
        aws_secret_access_key=garage.secret_key,
        region_name="garage",
    )


def s3_objects(garage, bucket: str, prefix: str = "") -> dict[str, tuple[str, int]]:
    """key → (ETag, size) of every object under ``prefix``."""
    out = {}
    for page in s3_client(garage).get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for o in page.get("Contents", []):
            out[o["Key"]] = (o["ETag"], o["Size"])
    return out


def s3_lake(dir, garage, bucket: str, **kwargs) -> Lake:
    """A lake whose data is ``s3://<bucket>/lake/`` and board ``s3://<bucket>/boards/main/`` on
    Garage; credentials only in the environment (the AWS variables), never in the config."""
    return new_lake(
        dir,
        data=f"s3://{bucket}/lake/",
        pins=f"s3://{bucket}/boards/main/",
        s3=garage.s3_config(),
        env=garage.env(),
        s3_secret_sql=garage.duckdb_secret_sql(),
        **kwargs,
    )
