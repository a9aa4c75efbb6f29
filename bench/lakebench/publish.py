"""Workload 4: publishing the big table.

``lakegate publish --table wide`` into a fresh lake (a local folder; then a bucket of the Garage
S3 server), against DuckDB's own ``COPY (SELECT * FROM wide) TO '….parquet'`` of the same source
table (local, and to Garage through httpfs), and a re-publish of the folder lake with nothing
changed. Each is timed from the start of the process (lakegate) or of the connection (DuckDB) to
its end; rounds interleave the four contenders in a rotating order. The first folder lake is then
completed with every other table (``small``, TPC-H) and becomes the lake the server reads.

lakegate does more than the COPY: it fingerprints the table (a ``count(*)`` and a content hash, one
read of the source) so that an unchanged table is not written again, writes the DuckLake metadata
and comments, and commits one snapshot. PostgreSQL has no counterpart.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .data import duckdb_connect
from .report import Cell, Row, seconds, table
from .servers import lake_config, run_lakegate


@dataclass
class PublishResults:
    folder: list[float] = field(default_factory=list)
    s3: list[float] = field(default_factory=list)
    republish: list[float] = field(default_factory=list)
    copy_folder: list[float] = field(default_factory=list)
    copy_s3: list[float] = field(default_factory=list)
    lake_bytes: int = 0
    copy_bytes: int = 0
    #: the lake the server will read: its config, catalogue file and data folder
    lake_config: Path | None = None
    lake_catalog: Path | None = None
    lake_data: Path | None = None
    complete_seconds: float = 0.0


def _folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def lakegate_publish(binary: Path, config: Path, *, table: str | None = "wide", env: dict | None = None) -> float:
    """Runs ``lakegate publish`` (only ``table`` when given); returns its wall seconds."""
    args = ["publish", "--message", "lakebench"]
    if table:
        args += ["--table", table]
    t = time.perf_counter()
    run_lakegate(args, config=config, env=env, binary=binary, cwd=config.parent, timeout=1800)
    return time.perf_counter() - t


def duckdb_copy(source: Path, target: str, *, secret_sql: str | None = None) -> float:
    """DuckDB's ``COPY (SELECT * FROM wide) TO target`` (parquet, DuckDB's defaults), timed from
    opening the connection."""
    t = time.perf_counter()
    con = duckdb_connect()
    try:
        if secret_sql:
            con.execute("LOAD httpfs")
            con.execute(secret_sql)
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        con.execute(f"COPY (SELECT * FROM src.main.wide) TO '{target}' (FORMAT parquet)")
    finally:
        con.close()
    return time.perf_counter() - t


def run_publish(binary: Path, workdir: Path, source: Path, garage, rounds: int, log) -> PublishResults:
    res = PublishResults()
    s3_env = garage.env()
    secret = garage.duckdb_secret_sql()

    def fresh(d: Path) -> Path:
        """A lake made by an earlier run in a kept workdir is stale: start from nothing."""
        shutil.rmtree(d, ignore_errors=True)
        return d

    def lg_folder(r: int) -> None:
        d = fresh(workdir / f"lake-folder-{r}")
        cfg = lake_config(d, catalog="sqlite:lake/catalog.sqlite", data_path="lake/data/", source=source)
        res.folder.append(lakegate_publish(binary, cfg))
        log(f"  lakegate publish → folder: {res.folder[-1]:.2f} s")
        res.republish.append(lakegate_publish(binary, cfg))
        log(f"  lakegate re-publish, unchanged: {res.republish[-1]:.2f} s")
        if r == 0:
            res.lake_config, res.lake_catalog, res.lake_data = cfg, d / "lake" / "catalog.sqlite", d / "lake" / "data"
            res.lake_bytes = _folder_bytes(d / "lake" / "data")

    def lg_s3(r: int) -> None:
        d = fresh(workdir / f"lake-s3-{r}")
        cfg = lake_config(d, catalog="sqlite:lake/catalog.sqlite", data_path=f"s3://bench/lake-{r}/",
                          source=source, s3=garage.s3_config())
        res.s3.append(lakegate_publish(binary, cfg, env=s3_env))
        log(f"  lakegate publish → S3: {res.s3[-1]:.2f} s")

    def duck_folder(r: int) -> None:
        out = workdir / f"copy-{r}.parquet"
        res.copy_folder.append(duckdb_copy(source, str(out)))
        res.copy_bytes = out.stat().st_size
        out.unlink()
        log(f"  DuckDB COPY → parquet file: {res.copy_folder[-1]:.2f} s")

    def duck_s3(r: int) -> None:
        res.copy_s3.append(duckdb_copy(source, f"s3://bench/copy-{r}/wide.parquet", secret_sql=secret))
        log(f"  DuckDB COPY → S3: {res.copy_s3[-1]:.2f} s")

    steps = [lg_folder, duck_folder, lg_s3, duck_s3]
    for r in range(rounds):
        for step in steps[r % len(steps):] + steps[:r % len(steps)]:
            step(r)

    # The lake the server will read: the first folder lake, completed with every other table.
    t = time.perf_counter()
    lakegate_publish(binary, res.lake_config, table=None)
    res.complete_seconds = time.perf_counter() - t
    log(f"  lakegate publish of the other tables (small, TPC-H): {res.complete_seconds:.1f} s")
    return res


def publish_rows(res: PublishResults, wide_rows: int) -> list[Row]:
    lg, lgs3 = min(res.folder), min(res.s3)
    cp, cps3 = min(res.copy_folder), min(res.copy_s3)
    n = f"{wide_rows / 1e6:g}M-row table"
    return [
        Row("4. publish", f"{n} → local folder (lakegate publish vs DuckDB COPY TO parquet)",
            Cell(lg, seconds(lg)), Cell(cp, seconds(cp)), Cell.none(), "lower"),
        Row("4. publish", f"{n} → S3 (Garage on 127.0.0.1)",
            Cell(lgs3, seconds(lgs3)), Cell(cps3, seconds(cps3)), Cell.none(), "lower"),
        Row("4. publish", "re-publish, nothing changed (folder)",
            Cell(min(res.republish), seconds(min(res.republish))), Cell.none(), Cell.none(), "lower"),
    ]


def publish_details(res: PublishResults) -> str:
    def all_(xs):
        return ", ".join(f"{x:.2f}" for x in xs)

    rows = [
        ["lakegate publish → folder", all_(res.folder)],
        ["DuckDB COPY → parquet file", all_(res.copy_folder)],
        ["lakegate publish → S3", all_(res.s3)],
        ["DuckDB COPY → S3", all_(res.copy_s3)],
        ["lakegate re-publish (unchanged)", all_(res.republish)],
    ]
    return (
        "### 4. Publish: every round (seconds; the table shows the best)\n\n"
        + table(["contender", "seconds per round"], rows)
        + f"\n\nBytes written: lakegate's lake {res.lake_bytes / 1e6:.0f} MB of parquet, DuckDB's COPY "
        f"{res.copy_bytes / 1e6:.0f} MB. Completing the served lake with the other tables (small, "
        f"TPC-H) took {res.complete_seconds:.1f} s."
    )


__all__ = ["PublishResults", "publish_details", "publish_rows", "run_publish"]
