"""Workload 5: the server's memory while it streams and while clients sit idle.

On a freshly started server: its resident memory at rest; with ``idle_connections`` clients
connected (each ran ``SELECT 1``, so its session exists); its peak while one client streams
``memory_small_rows`` rows and then the whole big table (the peak must not grow with the result
size: rows stream, they are not collected); and its peak while ``streaming_clients`` clients
stream the big table at once.

lakegate is one process: its peak is the kernel's VmHWM (reset before each phase through
``/proc/PID/clear_refs``). PostgreSQL is a process per connection sharing a buffer pool: its figure
is the sum of the proportional set sizes (PSS) of all its processes, sampled every 100 ms, so that
shared memory is counted once.

The streaming clients are separate processes reading DataRows through libpq and dropping them
(``streaming.libpq_discard_rows``), so they keep the server busy rather than waiting on Python.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from . import machine
from .report import Cell, Row, megabytes

BENCH_DIR = Path(__file__).resolve().parents[1]

CLIENT = ("import sys; from lakebench.streaming import libpq_discard_rows; "
          "print(libpq_discard_rows(sys.argv[1], sys.argv[2], True))")


def stream_in_processes(dsn: str, sql: str, clients: int) -> None:
    """Runs ``clients`` separate discard clients at once and waits for all of them."""
    env = {**os.environ, "PYTHONPATH": str(BENCH_DIR)}
    procs = [subprocess.Popen([sys.executable, "-c", CLIENT, dsn, sql], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(clients)]
    for p in procs:
        out, err = p.communicate(timeout=1800)
        if p.returncode != 0:
            raise RuntimeError(f"streaming client failed: {err.strip()}")


def hold_idle_connections(dsn: str, n: int) -> list:
    conns = []
    for _ in range(n):
        c = psycopg.connect(dsn, autocommit=True)
        c.execute("SELECT 1").fetchall()
        conns.append(c)
    return conns


@dataclass
class MemoryResults:
    #: phase → kB, per contender
    lakegate: dict[str, int] = field(default_factory=dict)
    postgres: dict[str, int] = field(default_factory=dict)
    phases: list[str] = field(default_factory=list)


def _lakegate_peak(lg, action) -> int:
    machine.reset_peak(lg.pid)
    with machine.PeakSampler(lambda: machine.rss_kb(lg.pid)) as s:
        action()
    return max(machine.hwm_kb(lg.pid), s.peak)


def _postgres_peak(pg, action) -> int:
    with machine.PeakSampler(pg.pss_kb, interval=0.1) as s:
        action()
    return s.peak


def run_memory(lakegate, postgres, *, wide_rows: int, small_rows: int, idle: int, clients: int, log) -> MemoryResults:
    res = MemoryResults()
    # The smaller result by key, not LIMIT (DuckDB's LIMIT keeps insertion order by buffering).
    full, part = "SELECT * FROM wide", f"SELECT * FROM wide WHERE id < {small_rows}"
    phases = [
        ("at rest, just started", lambda dsn: time.sleep(0.5)),
        (f"{idle} idle connections", None),
        (f"1 client streaming {small_rows / 1e6:g}M rows", lambda dsn: stream_in_processes(dsn, part, 1)),
        (f"1 client streaming {wide_rows / 1e6:g}M rows", lambda dsn: stream_in_processes(dsn, full, 1)),
        (f"{clients} clients streaming {wide_rows / 1e6:g}M rows each", lambda dsn: stream_in_processes(dsn, full, clients)),
    ]
    res.phases = [p for p, _ in phases]
    for name, action in phases:
        for who, srv, peak in (("lakegate", lakegate, _lakegate_peak), ("postgres", postgres, _postgres_peak)):
            if action is None:
                conns = hold_idle_connections(srv.dsn(), idle)
                time.sleep(1.0)
                kb = machine.rss_kb(srv.pid) if who == "lakegate" else srv.pss_kb()
                for c in conns:
                    c.close()
                time.sleep(0.5)
            else:
                kb = peak(srv, lambda: action(srv.dsn()))
            getattr(res, who)[name] = kb
            log(f"  {who:8} {name}: {megabytes(kb)}")
    return res


def memory_rows(res: MemoryResults) -> list[Row]:
    rows = []
    for name in res.phases:
        lg, pg = res.lakegate.get(name), res.postgres.get(name)
        label = "RSS" if "idle" in name else "peak RSS"
        rows.append(Row("5. memory", f"server {label}: {name}", Cell(lg, megabytes(lg)), Cell.none(),
                        Cell(pg, megabytes(pg) + " (PSS, all processes)"), "lower"))
    return rows
