"""Workload 1: ``SELECT *`` of the big mixed-type table, as rows/s and MB/s.

The same query reaches each server through several clients, because with Python row clients the
client's decoding is most of the cost (DESIGN.md, "Where the time goes when a client reads a big
result"); each figure says which side bounded it, from the CPU time each side used:

- ``psycopg text`` / ``psycopg binary``: psycopg 3 ``cursor.stream()`` making a Python tuple per
  row (client-bound: what a Python analyst gets row by row);
- ``psql COPY``: ``psql -c 'COPY (SELECT * FROM wide) TO STDOUT' > /dev/null`` (the pipeline a
  user runs; psql only copies bytes);
- ``libpq discard``: the extended protocol's DataRows (binary, then text) read by libpq in chunks
  of 10,000 rows and dropped, no Python per row (the server-bound figure of the row path);
- DuckDB in-process on the same lake, fetched as Arrow batches: the floor, what the engine costs
  without a wire.

MB/s is rows/s times the table's size in COPY text form (bytes per row, measured on its first 200,000
rows), one yardstick for every contender and client.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import pq

from . import machine
from .data import attach_lake, duckdb_connect
from .report import Cell, Row, rate, table

QUERY = "SELECT * FROM wide"


@dataclass
class Run:
    rows: int
    span: machine.CpuSpan

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.span.wall if self.span.wall > 0 else 0.0


@dataclass
class Measurement:
    """One client kind: its runs per contender."""

    client: str
    rows_read: int
    runs: dict[str, list[Run]] = field(default_factory=dict)

    def best(self, contender: str) -> Run | None:
        runs = self.runs.get(contender) or []
        return max(runs, key=lambda r: r.rows_per_s) if runs else None


# ---------------------------------------------------------------------------------------------
# the clients: each reads the whole result and returns the row count


def psycopg_stream_rows(dsn: str, sql: str, binary: bool) -> int:
    """psycopg 3 row by row (Python tuples), in chunks of 10,000 rows."""
    n = 0
    with psycopg.connect(dsn, autocommit=True) as conn:
        cur = conn.cursor(binary=binary)
        for _ in cur.stream(sql, size=10_000):
            n += 1
    return n


def libpq_discard_rows(dsn: str, sql: str, binary: bool) -> int:
    """Sends the query through the extended protocol and lets libpq read the DataRows in chunks
    of 10,000 rows, dropping them: no per-row work in Python."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        pgconn = conn.pgconn
        pgconn.send_query_params(sql.encode(), None, result_format=1 if binary else 0)
        pgconn.set_chunked_rows_mode(10_000)
        n = 0
        while True:
            res = pgconn.get_result()
            if res is None:
                break
            if res.status in (pq.ExecStatus.TUPLES_CHUNK, pq.ExecStatus.TUPLES_OK):
                n += res.ntuples
            elif res.status != pq.ExecStatus.COMMAND_OK:
                raise RuntimeError(res.error_message.decode(errors="replace"))
        return n


def psql_copy_rows(dsn: str, sql: str) -> int:
    """``psql -c 'COPY (sql) TO STDOUT' > /dev/null``; the row count from psql's COPY tag is not
    printed with -c, so it is taken as the query's (checked by the caller)."""
    res = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", dsn, "-c", f"COPY ({sql}) TO STDOUT"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=1800)
    if res.returncode != 0:
        raise RuntimeError(f"psql failed: {res.stderr.strip()}")
    return -1


def duckdb_arrow_rows(con, sql: str) -> int:
    """DuckDB in-process, the result fetched as Arrow record batches."""
    n = 0
    for batch in con.execute(sql).to_arrow_reader(1_000_000):
        n += batch.num_rows
    return n


# ---------------------------------------------------------------------------------------------


def copy_text_bytes_per_row(dsn: str, rows: int) -> float:
    """The table's size in COPY text form, per row, from the first ``rows`` rows (the MB/s
    yardstick; PostgreSQL and lakegate send the same bytes)."""
    total = 0
    with psycopg.connect(dsn, autocommit=True) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY ({QUERY} LIMIT {rows}) TO STDOUT") as copy:
            for block in copy:
                total += len(block)
    return total / rows


@dataclass
class StreamingResults:
    measurements: list[Measurement]
    duckdb: list[Run]
    text_bytes_per_row: float
    wide_rows: int
    client_rows: int


def run_streaming(lakegate, postgres, lake_catalog: Path, lake_data: Path, *, wide_rows: int,
                  client_rows: int, rounds: int, log) -> StreamingResults:
    servers = {"lakegate": lakegate, "postgres": postgres}
    # A prefix by key, not LIMIT: DuckDB's LIMIT keeps insertion order by buffering.
    full = QUERY
    prefix = QUERY if client_rows >= wide_rows else f"{QUERY} WHERE id < {client_rows}"
    clients = [
        ("libpq discard, binary", full, wide_rows, lambda dsn, sql: libpq_discard_rows(dsn, sql, True), rounds),
        ("libpq discard, text", full, wide_rows, lambda dsn, sql: libpq_discard_rows(dsn, sql, False), rounds),
        ("psql COPY … TO STDOUT > /dev/null", full, wide_rows, psql_copy_rows, rounds),
        ("psycopg text", prefix, client_rows, lambda dsn, sql: psycopg_stream_rows(dsn, sql, False), 1),
        ("psycopg binary", prefix, client_rows, lambda dsn, sql: psycopg_stream_rows(dsn, sql, True), 1),
    ]
    duck = duckdb_connect()
    attach_lake(duck, lake_catalog, f"{lake_data}/")
    duck_runs: list[Run] = []
    measurements = [Measurement(name, rows) for name, _, rows, _, _ in clients]
    for r in range(rounds):
        # DuckDB first in even rounds, last in odd ones; the servers alternate within each client.
        def duck_round():
            with machine.CpuMeter() as m:
                n = duckdb_arrow_rows(duck, QUERY)
            duck_runs.append(Run(n, m.span))
            log(f"  DuckDB in-process Arrow: {rate(n / m.span.wall)} ({m.span.describe()})")

        if r % 2 == 0:
            duck_round()
        for ci, ((name, sql, rows, fn, client_rounds), meas) in enumerate(zip(clients, measurements)):
            if r >= client_rounds:
                continue
            order = ["lakegate", "postgres"] if (r + ci) % 2 == 0 else ["postgres", "lakegate"]
            for who in order:
                srv = servers[who]
                with machine.CpuMeter(srv) as m:
                    n = fn(srv.dsn(), sql)
                if n < 0:
                    n = rows
                elif n != rows:
                    raise RuntimeError(f"{who} {name}: read {n} rows, expected {rows}")
                meas.runs.setdefault(who, []).append(Run(n, m.span))
                log(f"  {who:8} {name}: {rate(n / m.span.wall)} ({m.span.describe()}, {m.span.bound()})")
        if r % 2 == 1:
            duck_round()
    duck.close()
    bytes_per_row = copy_text_bytes_per_row(postgres.dsn(), min(wide_rows, 200_000))
    return StreamingResults(measurements, duck_runs, bytes_per_row, wide_rows, client_rows)


def _cell(run: Run | None, bytes_per_row: float) -> Cell:
    if run is None:
        return Cell.none()
    mbs = run.rows_per_s * bytes_per_row / 1e6
    return Cell(run.rows_per_s, f"{rate(run.rows_per_s)}, {mbs:.0f} MB/s ({run.span.bound()})")


def streaming_rows(res: StreamingResults) -> list[Row]:
    bpr = res.text_bytes_per_row
    best_duck = max(res.duckdb, key=lambda r: r.rows_per_s)
    duck_cell = Cell(best_duck.rows_per_s, f"{rate(best_duck.rows_per_s)}, {best_duck.rows_per_s * bpr / 1e6:.0f} MB/s (Arrow)")
    rows = []
    for m in res.measurements:
        what = f"SELECT * ({m.rows_read / 1e6:g}M rows): {m.client}"
        rows.append(Row("1. streaming", what, _cell(m.best("lakegate"), bpr), duck_cell,
                        _cell(m.best("postgres"), bpr), "higher"))
    return rows


def streaming_details(res: StreamingResults) -> str:
    lines = []
    for m in res.measurements:
        for who in ("lakegate", "postgres"):
            for i, run in enumerate(m.runs.get(who, [])):
                lines.append([m.client, who, str(i + 1), rate(run.rows_per_s), run.span.describe(), run.span.bound()])
    for i, run in enumerate(res.duckdb):
        lines.append(["Arrow batches", "DuckDB in-process", str(i + 1), rate(run.rows_per_s), run.span.describe(),
                      "engine (both cores)"])
    return (
        "### 1. Streaming: every run, and which side bounded it\n\n"
        f"Bound: the side whose CPU time covered ≥ 85% of the wall time (one client thread can use at most "
        f"one core; on 2 cores client and server also compete). The table's COPY text form is "
        f"{res.text_bytes_per_row:.1f} bytes/row (MB/s above = rows/s × that).\n\n"
        + table(["client", "contender", "run", "rate", "CPU", "bound"], lines)
    )
