"""The servers a run starts on 127.0.0.1, built on the test-support classes of
``tests/python/support`` (which stop every child, even when a run fails half-way):

- PostgreSQL 15 with settings fit for a benchmark on this machine (a large shared_buffers so the
  tables stay in memory, as DuckDB's do; enough connections for 200 idle clients and pgbench's 64;
  no durability costs), as an unprivileged OS user when we are root;
- Garage, the S3 server of workload 4;
- ``lakegate serve`` on a lake, with ``pid`` for its CPU time and memory.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "python"))

from support import extension_root, require_extensions  # noqa: E402
from support.garage import GarageServer  # noqa: E402
from support.lakegate import LakegateServer, run as run_lakegate, write_config  # noqa: E402
from support.postgres import PostgresServer  # noqa: E402

from . import machine  # noqa: E402

#: postgresql.conf for the benchmark: every table fits in shared_buffers (DuckDB reads the lake's
#: parquet from the page cache too), parallel query on both cores, no fsync (nor in DuckDB).
POSTGRES_SETTINGS = {
    "max_connections": 300,
    "shared_buffers": "4GB",
    "effective_cache_size": "8GB",
    "work_mem": "64MB",
    "maintenance_work_mem": "512MB",
    "max_parallel_workers_per_gather": 2,
    "wal_level": "minimal",
    "max_wal_senders": 0,
    "max_wal_size": "8GB",
    "checkpoint_timeout": "1h",
    "fsync": False,
    "synchronous_commit": False,
}


class Postgres:
    """A benchmark PostgreSQL 15 holding database ``bench``."""

    def __init__(self):
        self.server = PostgresServer(settings=POSTGRES_SETTINGS, startup_timeout=120)

    def start(self) -> "Postgres":
        self.server.start()
        self.server.create_database("bench")
        return self

    def stop(self) -> None:
        self.server.stop()

    @property
    def pid(self) -> int:
        return self.server._proc.pid  # the postmaster, leader of the server's process group

    def dsn(self) -> str:
        return self.server.dsn("bench")

    def psql(self, sql: str) -> str:
        return self.server.psql(sql, dbname="bench")

    def cpu(self) -> float:
        """CPU seconds of the whole server so far (postmaster, backends, parallel workers)."""
        return machine.family_cpu(self.pid)

    def mark(self) -> None:
        """Remembers the server's processes before a measurement (see ``settle``)."""
        self._marked = set(machine.family_pids(self.pid))

    def settle(self, timeout: float = 5.0) -> None:
        """Waits until the backends started since ``mark`` have exited and been reaped, so that
        their CPU time has moved into the postmaster's children time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not set(machine.family_pids(self.pid)) - getattr(self, "_marked", set()):
                return
            time.sleep(0.02)

    def pss_kb(self) -> int:
        return machine.family_pss_kb(self.pid)

    def pgbench_args(self) -> list[str]:
        s = self.server
        return ["-h", s.host, "-p", str(s.port), "-U", s.superuser, "bench"]

    def version(self) -> str:
        return self.psql("SHOW server_version").strip()


class Garage:
    """A single-node Garage with bucket ``bench`` and a read-write key."""

    def __init__(self):
        self.server = GarageServer()

    def start(self) -> "Garage":
        self.server.start()
        self.server.create_bucket("bench")
        return self

    def stop(self) -> None:
        self.server.stop()

    def env(self) -> dict[str, str]:
        """AWS_* variables for lakegate (its credential chain)."""
        return self.server.env()

    def s3_config(self) -> dict:
        """lakegate's ``[s3]`` section for this server."""
        return self.server.s3_config()

    def duckdb_secret_sql(self) -> str:
        return self.server.duckdb_secret_sql()


def lake_config(dir: Path, *, catalog: str, data_path: str, source: Path, s3: dict | None = None,
                threads: int | None = None) -> Path:
    """Writes ``dir/lakegate.toml`` for a lake (no pins board: workload 4 measures the lake
    write against DuckDB's COPY; pins are a second copy of the data)."""
    lake = {"catalog": catalog, "data_path": data_path, "threads": threads}
    if os.environ.get("LAKEGATE_EXTENSION_DIR"):
        lake["extension_directory"] = extension_root()
    sections = {
        "lake": lake,
        "pins": {"board": ""},
        "publish": {"source": source},
        "server": {"max_connections": 400, "idle_session_timeout": "0s"},
    }
    if s3 is not None:
        sections["s3"] = s3
    return write_config(dir, **sections)


class Lakegate:
    """``lakegate serve`` on a lake, as user ``analyst``."""

    def __init__(self, binary: Path, config: Path, env: dict | None = None):
        self.server = LakegateServer(config, env=env, binary=binary, startup_timeout=120)

    def start(self) -> "Lakegate":
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    @property
    def pid(self) -> int:
        return self.server._proc.pid

    def dsn(self) -> str:
        return self.server.dsn()

    def cpu(self) -> float:
        return machine.process_cpu(self.pid)

    def pgbench_args(self) -> list[str]:
        s = self.server
        return ["-h", "127.0.0.1", "-p", str(s.port), "-U", s.user, s.dbname]

    def log(self) -> str:
        return self.server.stderr_text()


__all__ = [
    "Garage",
    "Lakegate",
    "Postgres",
    "REPO",
    "lake_config",
    "require_extensions",
    "run_lakegate",
]
