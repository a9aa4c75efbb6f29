"""Workload 3: small queries under concurrency.

A point lookup (``SELECT * FROM small WHERE id = :id``) and a small aggregate (``count, avg, max``
of one of 50 groups) on the 5,000-row table, each run by pgbench with 1, 8 and 64 clients for a
fixed time against lakegate and PostgreSQL (``pgbench -n -f script -c N -j N -T secs -M
extended``: unnamed prepared statements, what most drivers send), interleaved; then the point
lookup at 8 clients with ``-M simple`` (the value inside the SQL text, as psql, psycopg2 and R's
DBI send it) and ``-M prepared`` (a named statement, reused). Latencies come from
pgbench's per-transaction log (``-l``), so p50 and p99 are exact. DuckDB in-process runs the same
queries from N Python threads, one cursor each (DuckDB releases the GIL while it works).

PostgreSQL has the primary key on ``id`` and an index on ``grp``, as its users would.
"""

from __future__ import annotations

import random
import re
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .report import Cell, Row, millis, rate

SCRIPTS = {
    "point lookup": ("\\set id random(1, {rows})\nSELECT * FROM small WHERE id = :id;\n",
                     "SELECT * FROM small WHERE id = ?", lambda rows: (random.randint(1, rows),)),
    "small aggregate": ("\\set g random(0, 49)\nSELECT count(*), avg(val), max(day) FROM small WHERE grp = :g;\n",
                        "SELECT count(*), avg(val), max(day) FROM small WHERE grp = ?",
                        lambda rows: (random.randint(0, 49),)),
}


@dataclass
class Latencies:
    count: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int = 0

    @property
    def qps(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def pgbench(conn_args: list[str], script: str, clients: int, seconds: int, mode: str = "extended") -> Latencies:
    """Runs pgbench; reads every transaction's latency from its log files."""
    with tempfile.TemporaryDirectory(prefix="lakebench-pgbench-") as d:
        path = Path(d) / "script.sql"
        path.write_text(script)
        prefix = str(Path(d) / "log")
        cmd = ["pgbench", "-n", "-f", str(path), "-c", str(clients), "-j", str(clients), "-T", str(seconds),
               "-M", mode, "-l", f"--log-prefix={prefix}", *conn_args]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120)
        if res.returncode != 0:
            raise RuntimeError(f"pgbench failed ({res.returncode}): {res.stderr.strip()[-2000:]}")
        lat = []
        for f in Path(d).glob("log*"):
            for line in f.read_text().splitlines():
                parts = line.split()
                if len(parts) >= 3 and parts[2].isdigit():
                    lat.append(int(parts[2]) / 1000.0)
        failed = re.search(r"number of failed transactions: (\d+)", res.stdout)
        m = re.search(r"duration: (\d+) s", res.stdout)
        duration = float(m.group(1)) if m else float(seconds)
    lat.sort()
    return Latencies(len(lat), duration, percentile(lat, 50), percentile(lat, 99),
                     int(failed.group(1)) if failed else 0)


def duckdb_threads(con, sql: str, params, rows: int, clients: int, seconds: float) -> Latencies:
    """N threads, one DuckDB cursor each, running ``sql`` for ``seconds``."""
    lat: list[list[float]] = [[] for _ in range(clients)]
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def worker(i: int) -> None:
        cur = con.cursor()
        cur.execute("USE lake")
        out = lat[i]
        start.wait()
        while True:
            t = time.perf_counter()
            if t >= stop_at[0]:
                break
            cur.execute(sql, params(rows)).fetchall()
            out.append((time.perf_counter() - t) * 1000)
        cur.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + seconds
    start.wait()
    for t in threads:
        t.join()
    all_ = sorted(x for xs in lat for x in xs)
    return Latencies(len(all_), seconds, percentile(all_, 50), percentile(all_, 99))


@dataclass
class ConcurrencyResult:
    query: str
    clients: int
    lakegate: Latencies
    postgres: Latencies
    #: None: not run (the protocol variants are wire-only)
    duckdb: Latencies | None


def run_concurrency(lakegate, postgres, duck, *, small_rows: int, clients: tuple[int, ...], seconds: int,
                    log) -> list[ConcurrencyResult]:
    out = []
    i = 0
    for query, (script, duck_sql, params) in SCRIPTS.items():
        script = script.format(rows=small_rows)
        for n in clients:
            got = {}
            order = ["lakegate", "postgres", "duckdb"]
            order = order[i % 3:] + order[:i % 3]
            i += 1
            for who in order:
                if who == "duckdb":
                    got[who] = duckdb_threads(duck, duck_sql, params, small_rows, n, seconds)
                else:
                    srv = lakegate if who == "lakegate" else postgres
                    got[who] = pgbench(srv.pgbench_args(), script, n, seconds)
                lt = got[who]
                log(f"  {who:8} {query}, {n:2} clients: {rate(lt.qps, 'q/s')}, p50 {millis(lt.p50_ms)}, "
                    f"p99 {millis(lt.p99_ms)}" + (f", {lt.errors} failed" if lt.errors else ""))
            out.append(ConcurrencyResult(f"{query} (-M extended)", n, got["lakegate"], got["postgres"],
                                         got["duckdb"]))
    # The other two protocols pgbench speaks, for the point lookup at 8 clients: simple (the
    # literal in the text, as psql, psycopg2 and R's DBI send it) and prepared (named, reused).
    script = SCRIPTS["point lookup"][0].format(rows=small_rows)
    n = 8 if 8 in clients else clients[-1]
    for mode in ("simple", "prepared"):
        got = {}
        for who in (["lakegate", "postgres"] if mode == "simple" else ["postgres", "lakegate"]):
            srv = lakegate if who == "lakegate" else postgres
            got[who] = pgbench(srv.pgbench_args(), script, n, seconds, mode=mode)
            lt = got[who]
            log(f"  {who:8} point lookup -M {mode}, {n:2} clients: {rate(lt.qps, 'q/s')}, p50 {millis(lt.p50_ms)}, "
                f"p99 {millis(lt.p99_ms)}")
        out.append(ConcurrencyResult(f"point lookup (-M {mode})", n, got["lakegate"], got["postgres"], None))
    return out


def _cell(lt: Latencies | None) -> Cell:
    if lt is None:
        return Cell.none()
    return Cell(lt.p50_ms, f"p50 {millis(lt.p50_ms)}, p99 {millis(lt.p99_ms)}, {rate(lt.qps, 'q/s')}")


def concurrency_rows(results: list[ConcurrencyResult]) -> list[Row]:
    return [Row("3. small queries", f"{r.query}, {r.clients} client{'s' if r.clients > 1 else ''} (ratio of p50)",
                _cell(r.lakegate), _cell(r.duckdb), _cell(r.postgres), "lower")
            for r in results]
