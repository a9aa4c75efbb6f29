"""Workload 2: the 22 TPC-H queries on the lake (lakegate, DuckDB in-process) and on PostgreSQL.

The SQL is DuckDB's ``tpch_queries()``, which runs unchanged on PostgreSQL 15 (dates are written
as ``CAST('…' AS date)``, ``extract(year FROM …)``, ``substring(… FROM … FOR …)``). Each query runs
on every contender before the next query starts, in a rotating order; lakegate and DuckDB run it
``rounds`` times and the best time counts; PostgreSQL runs it once under a ``statement_timeout``
cap (some TPC-H queries take PostgreSQL minutes) and a capped query is reported as "> cap". The
result sizes are compared, so a contender that answers differently fails the run.

lakegate and PostgreSQL are read with psycopg (``fetchall``), DuckDB with ``fetchall`` too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import psycopg

from .report import Cell, Row, seconds, table


def tpch_queries(duck) -> list[tuple[int, str]]:
    duck.execute("LOAD tpch")
    return [(int(n), q) for n, q in duck.execute("SELECT query_nr, query FROM tpch_queries() ORDER BY 1").fetchall()]


@dataclass
class QueryTimes:
    number: int
    lakegate: list[float] = field(default_factory=list)
    duckdb: list[float] = field(default_factory=list)
    #: None: stopped by the cap
    postgres: float | None = None
    rows: int = 0


def _timed(fn) -> tuple[float, int]:
    t = time.perf_counter()
    n = len(fn())
    return time.perf_counter() - t, n


def run_tpch(lakegate, postgres, duck, *, rounds: int, cap: float, log) -> list[QueryTimes]:
    queries = tpch_queries(duck)
    lg = psycopg.connect(lakegate.dsn(), autocommit=True)
    pg = psycopg.connect(postgres.dsn(), autocommit=True)
    pg.execute(f"SET statement_timeout = {int(cap * 1000)}")
    out = []
    try:
        for i, (n, sql) in enumerate(queries):
            qt = QueryTimes(n)
            runs = []
            for r in range(rounds):
                runs += ["lakegate", "duckdb"] if (i + r) % 2 == 0 else ["duckdb", "lakegate"]
            runs.insert(i % (len(runs) + 1), "postgres")
            counts = {}
            for who in runs:
                if who == "lakegate":
                    dt, counts[who] = _timed(lambda: lg.execute(sql).fetchall())
                    qt.lakegate.append(dt)
                elif who == "duckdb":
                    dt, counts[who] = _timed(lambda: duck.execute(sql).fetchall())
                    qt.duckdb.append(dt)
                else:
                    try:
                        qt.postgres, counts[who] = _timed(lambda: pg.execute(sql).fetchall())
                    except psycopg.errors.QueryCanceled:
                        qt.postgres = None
            if len(set(counts.values())) != 1:
                raise RuntimeError(f"TPC-H Q{n}: result sizes differ: {counts}")
            qt.rows = counts["duckdb"]
            out.append(qt)
            pgt = f"{qt.postgres:.2f} s" if qt.postgres is not None else f"> {cap:g} s"
            log(f"  Q{n:02}: lakegate {min(qt.lakegate):.3f} s, DuckDB {min(qt.duckdb):.3f} s, PostgreSQL {pgt}")
    finally:
        lg.close()
        pg.close()
    return out


def _totals(results: list[QueryTimes], cap: float) -> tuple[float, float, float, int]:
    lg = sum(min(q.lakegate) for q in results)
    dk = sum(min(q.duckdb) for q in results)
    capped = sum(1 for q in results if q.postgres is None)
    pg = sum(q.postgres if q.postgres is not None else cap for q in results)
    return lg, dk, pg, capped


def tpch_rows(results: list[QueryTimes], sf: float, cap: float) -> list[Row]:
    lg, dk, pg, capped = _totals(results, cap)
    pg_text = seconds(pg) if not capped else f"> {pg:.1f} s ({capped} queries stopped at the {cap:g} s cap)"
    return [Row("2. analytics", f"TPC-H SF{sf:g}, total of the 22 queries (best of each)",
                Cell(lg, seconds(lg)), Cell(dk, seconds(dk)), Cell(pg, pg_text), "lower")]


def tpch_details(results: list[QueryTimes], cap: float) -> str:
    lines = []
    for q in results:
        lg, dk = min(q.lakegate), min(q.duckdb)
        pg = f"{q.postgres:.3f}" if q.postgres is not None else f"> {cap:g}"
        ratio_pg = f"{lg / q.postgres:.3f}" if q.postgres else "—"
        lines.append([f"Q{q.number}", f"{lg:.3f}", f"{dk:.3f}", pg, f"{lg / dk:.2f}", ratio_pg, str(q.rows)])
    lg, dk, pg, capped = _totals(results, cap)
    lines.append(["total", f"{lg:.3f}", f"{dk:.3f}", f"{'> ' if capped else ''}{pg:.3f}", f"{lg / dk:.2f}",
                  f"{lg / pg:.3f}", ""])
    return ("### 2. TPC-H: per query (seconds; lakegate and DuckDB best of the rounds, PostgreSQL one run)\n\n"
            + table(["query", "lakegate", "DuckDB", "PostgreSQL", "lakegate/DuckDB", "lakegate/PostgreSQL", "rows"],
                    lines))
