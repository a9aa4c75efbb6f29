"""The command line and the order of a run.

    scripts/bench [--quick] [--workdir DIR] [--output FILE] [--only W,…]

A run: make (or reuse, with ``--workdir``) the source DuckDB file → start PostgreSQL and Garage →
workload 4 (publish, which also makes the lake the server reads) → load PostgreSQL → start
``lakegate serve`` → workloads 1 (streaming), 3 (small queries), 2 (TPC-H) → restart lakegate →
workload 5 (memory) → write the report. Every server is stopped at the end, also on failure or
Ctrl-C. The lakegate binary is ``$LAKEGATE_BIN`` (``scripts/bench`` builds it and passes a private
copy, so that another build in the shared target directory cannot swap it mid-run).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psycopg

from . import concurrency, data, machine, memory, publish, streaming, tpch
from .report import Report, Target, seconds
from .servers import REPO, Garage, Lakegate, Postgres, require_extensions
from .sizes import DEFAULT, QUICK

WORKLOADS = ("publish", "streaming", "concurrency", "tpch", "memory")


class Log:
    """Progress lines on stderr, stamped with the minutes since the start."""

    def __init__(self):
        self.t0 = time.monotonic()

    def __call__(self, msg: str) -> None:
        dt = time.monotonic() - self.t0
        print(f"[{int(dt // 60):2d}:{int(dt % 60):02d}] {msg}", file=sys.stderr, flush=True)

    def elapsed(self) -> float:
        return time.monotonic() - self.t0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Benchmark lakegate against DuckDB in-process and PostgreSQL 15; prints one markdown table "
                    "and saves it (bench/results/latest.md by default, bench/results/quick.md with --quick).")
    p.add_argument("--quick", action="store_true", help="small data and short runs: a smoke check of a few minutes")
    p.add_argument("--workdir", type=Path,
                   help="keep data here and reuse the generated source file on the next run (default: a temp dir)")
    p.add_argument("--output", type=Path, help="where to save the markdown report")
    p.add_argument("--only", default=",".join(WORKLOADS),
                   help=f"comma-separated workloads to run (default all: {','.join(WORKLOADS)}); publish always "
                        "runs once, as it makes the lake")
    return p.parse_args(argv)


def lakegate_duckdb_version() -> str:
    """DuckDB inside lakegate, from the ``duckdb`` crate's pinned version (=1.MMmmpp.0 is
    DuckDB MM.mm.pp: 1.10505.0 is 1.5.5)."""
    m = re.search(r'duckdb = \{ version = "=1\.(\d+)(\d\d)(\d\d)\.', (REPO / "Cargo.toml").read_text())
    return f"{int(m.group(1))}.{int(m.group(2))}.{int(m.group(3))}" if m else "?"


def versions(binary: Path, pg: Postgres) -> list[tuple[str, str]]:
    lg_duck = lakegate_duckdb_version()
    return [
        ("lakegate", f"{machine.command_version([str(binary), '--version'])}, git {machine.git_rev(REPO)}, "
                     f"DuckDB {lg_duck} inside"),
        ("DuckDB in-process", f"python duckdb {duckdb.__version__}"),
        ("PostgreSQL", f"{pg.version()} (tuned: {', '.join(f'{k}={v}' for k, v in _pg_tuning().items())})"),
        ("clients", f"psycopg {psycopg.__version__} (libpq {psycopg.pq.version()}), "
                    f"{machine.command_version(['psql', '--version'])}, "
                    f"{machine.command_version(['pgbench', '--version'])}, Python {sys.version.split()[0]}"),
    ]


def _pg_tuning() -> dict:
    from .servers import POSTGRES_SETTINGS

    keys = ("shared_buffers", "work_mem", "max_parallel_workers_per_gather")
    return {k: POSTGRES_SETTINGS[k] for k in keys}


def targets(rep_rows: dict, sizes) -> list[Target]:
    """The issue's targets against this run's figures."""
    out = []

    def ratio(row, other):
        a, b = row.lakegate.value, getattr(row, other).value
        return a / b if a is not None and b not in (None, 0) else None

    for key, label in (("libpq discard, binary", "streaming, server-bound DataRows (binary)"),
                       ("libpq discard, text", "streaming, server-bound DataRows (text)"),
                       ("psql COPY", "streaming, psql COPY")):
        row = rep_rows.get(("1", key))
        if row:
            r = ratio(row, "postgres")
            out.append(Target(label, "≥ 1.5× PostgreSQL's rows/s", f"{r:.2f}×" if r else "—",
                              None if r is None else r >= 1.5))
    row = rep_rows.get(("2", "total"))
    if row:
        r = ratio(row, "duckdb")
        out.append(Target("TPC-H total vs DuckDB", "≤ 1.2× DuckDB in-process", f"{r:.2f}×" if r else "—",
                          None if r is None else r <= 1.2))
        r = ratio(row, "postgres")
        capped = "cap" in row.postgres.text
        out.append(Target("TPC-H total vs PostgreSQL", "≥ 10× faster than PostgreSQL",
                          f"{1 / r:.1f}× faster" + (" (PostgreSQL capped: at least this)" if capped else "")
                          if r else "—", None if r is None else 1 / r >= 10))
    for q in ("point lookup", "small aggregate"):
        row = rep_rows.get(("3", f"{q} (-M extended), 8 clients"))
        if row:
            r = ratio(row, "postgres")
            out.append(Target(f"{q} p50 at 8 clients", "≤ 2× PostgreSQL's p50", f"{r:.2f}×" if r else "—",
                              None if r is None else r <= 2))
    for key, label in (("local folder", "publish to a folder"), ("S3", "publish to S3")):
        row = rep_rows.get(("4", key))
        if row:
            r = ratio(row, "duckdb")
            out.append(Target(label, "≤ 1.2× DuckDB's COPY", f"{r:.2f}×" if r else "—", None if r is None else r <= 1.2))
    small, big = rep_rows.get(("5", "1 client streaming", "small")), rep_rows.get(("5", "1 client streaming", "big"))
    if small and big and small.lakegate.value and big.lakegate.value:
        s, b = small.lakegate.value, big.lakegate.value
        out.append(Target("memory flat while streaming",
                          f"peak with {sizes.wide_rows / 1e6:g}M rows ≤ 1.25× the peak with "
                          f"{sizes.memory_small_rows / 1e6:g}M rows",
                          f"{b / 1024:.0f} MB vs {s / 1024:.0f} MB ({b / s:.2f}×)", b <= 1.25 * s))
    return out


def index_rows(rows) -> dict:
    """Finds the rows the targets need by workload number and a part of their label."""
    found = {}
    for r in rows:
        w = r.workload.split(".")[0]
        for key in ("libpq discard, binary", "libpq discard, text", "psql COPY", "local folder", "S3"):
            if key in r.what:
                found[(w, key)] = r
        if "total" in r.what:
            found[(w, "total")] = r
        for q in ("point lookup", "small aggregate"):
            if r.what.startswith(f"{q} (-M extended), 8 clients"):
                found[(w, f"{q} (-M extended), 8 clients")] = r
        if "1 client streaming" in r.what:
            key = (w, "1 client streaming", "small" if (w, "1 client streaming", "small") not in found else "big")
            found[key] = r
    return found


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = QUICK if args.quick else DEFAULT
    only = {w.strip() for w in args.only.split(",") if w.strip()}
    unknown = only - set(WORKLOADS)
    if unknown:
        raise SystemExit(f"unknown workloads: {', '.join(sorted(unknown))} (known: {', '.join(WORKLOADS)})")
    binary = Path(os.environ.get("LAKEGATE_BIN", "")).resolve()
    if not os.environ.get("LAKEGATE_BIN") or not os.access(binary, os.X_OK):
        raise SystemExit("set LAKEGATE_BIN to the lakegate release binary (scripts/bench does)")
    output = args.output or REPO / "bench" / "results" / ("quick.md" if args.quick else "latest.md")
    require_extensions("ducklake", "sqlite_scanner", "httpfs", "postgres_scanner", "tpch")
    log = Log()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="lakebench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    loads = [("start", machine.loadavg())]
    log(f"lakebench ({sizes.name} size) in {workdir}, {machine.cores()} cores, load {machine.loadavg()}")

    rows, details = [], []
    pg = garage = lg = None
    try:
        source = workdir / "source.duckdb"
        data.make_source(source, wide_rows=sizes.wide_rows, small_rows=sizes.small_rows, tpch_sf=sizes.tpch_sf, log=log)
        garage = Garage().start()
        pg = Postgres().start()

        log("workload 4: publish")
        loads.append(("publish", machine.loadavg()))
        pub = publish.run_publish(binary, workdir, source, garage, sizes.rounds if "publish" in only else 1, log)
        if "publish" in only:
            rows4, details4 = publish.publish_rows(pub, sizes.wide_rows), publish.publish_details(pub)
        garage.stop()
        garage = None

        log("loading PostgreSQL")
        pg_load = data.load_postgres(pg, source, log=log)

        lg = Lakegate(binary, pub.lake_config).start()
        duck = data.duckdb_connect()
        data.attach_lake(duck, pub.lake_catalog, f"{pub.lake_data}/")

        if "streaming" in only:
            log("workload 1: streaming")
            loads.append(("streaming", machine.loadavg()))
            st = streaming.run_streaming(lg, pg, pub.lake_catalog, pub.lake_data, wide_rows=sizes.wide_rows,
                                         client_rows=sizes.client_rows, rounds=sizes.streaming_rounds, log=log)
            rows += streaming.streaming_rows(st)
            details.append(streaming.streaming_details(st))
        if "tpch" in only:
            log("workload 2: TPC-H")
            loads.append(("TPC-H", machine.loadavg()))
            tp = tpch.run_tpch(lg, pg, duck, rounds=sizes.rounds, cap=sizes.pg_query_cap, log=log)
            rows += tpch.tpch_rows(tp, sizes.tpch_sf, sizes.pg_query_cap)
            details.append(tpch.tpch_details(tp, sizes.pg_query_cap))
        if "concurrency" in only:
            log("workload 3: small queries under concurrency")
            loads.append(("small queries", machine.loadavg()))
            cc = concurrency.run_concurrency(lg, pg, duck, small_rows=sizes.small_rows, clients=sizes.clients,
                                             seconds=sizes.pgbench_seconds, log=log)
            rows += concurrency.concurrency_rows(cc)
        if "publish" in only:
            rows += rows4
            details.append(details4)
        duck.close()
        version_lines = versions(binary, pg)
        if "memory" in only:
            log("workload 5: memory (on a freshly started lakegate)")
            loads.append(("memory", machine.loadavg()))
            lg.stop()
            lg = Lakegate(binary, pub.lake_config).start()
            mem = memory.run_memory(lg, pg, wide_rows=sizes.wide_rows, small_rows=sizes.memory_small_rows,
                                    idle=sizes.idle_connections, clients=sizes.streaming_clients, log=log)
            rows += memory.memory_rows(mem)
        loads.append(("end", machine.loadavg()))
    finally:
        for srv in (lg, pg, garage):
            if srv is not None:
                srv.stop()
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)

    rep = Report(f"lakegate benchmark ({sizes.name} size)")
    rep.machine = [
        ("machine", f"{machine.cores()} cores ({machine.cpu_model()}), {machine.mem_total_gb():.0f} GB RAM, shared"),
        ("load average (1/5/15 min)", "; ".join(f"{k}: {v}" for k, v in loads)),
        *version_lines,
        ("sizes", f"big table {sizes.wide_rows:,} rows × 15 columns; TPC-H SF{sizes.tpch_sf:g}; small table "
                  f"{sizes.small_rows:,} rows; pgbench {sizes.pgbench_seconds} s per run; best of {sizes.rounds} "
                  f"interleaved rounds ({sizes.streaming_rounds} for the server-bound streaming clients)"),
        ("run", f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {log.elapsed() / 60:.1f} min in all "
                f"(PostgreSQL load {seconds(pg_load)})"),
    ]
    rep.rows = rows
    rep.targets = targets(index_rows(rows), sizes)
    rep.notes = [
        "Ratios are lakegate's figure ÷ the other contender's, of the figure in the row: for rates (rows/s) "
        "above 1 means lakegate is faster; for times, latencies and memory below 1 means lakegate is faster "
        "or smaller (column *better*).",
        "The contenders are interleaved within each workload (rotating order), so a ratio compares figures "
        "taken under the same machine load; absolute figures move with the load of this shared machine.",
        "DuckDB in-process is Python's duckdb on the same DuckLake (same engine version as lakegate's): the "
        "floor, what the engine costs without the wire. For streaming its figure is Arrow batches.",
        "Streaming: *client-bound* figures measure the Python client's decoding more than the server; the "
        "*server-bound* ones (libpq discard, psql COPY) measure the server. *mixed*: neither side was busy "
        "85% of the time (on 2 shared cores, usually both waiting for a CPU).",
        "Small queries: pgbench's per-transaction log gives exact p50/p99; `-M extended` (unnamed prepared "
        "statements, what most drivers send) unless the row says otherwise; DuckDB in-process runs them from "
        "N Python threads.",
    ]
    rep.details = details
    text = rep.markdown()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    print(text)
    log(f"saved {output} ({log.elapsed() / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
