"""A throwaway single-node Garage (S3-compatible object store) on 127.0.0.1, for tests of lakegate's
S3 mode: the lake's parquet data, the pins board, and read-only credentials for a gateway.

It owns the whole life of one server:

- a temp dir holding ``garage.toml`` (SQLite metadata engine, ``replication_factor = 1``, a random
  64-hex ``rpc_secret``), the metadata and data dirs, and the server's log ``garage.log``;
- ``garage server`` on two free loopback ports (RPC and S3 API; no admin or web endpoint: the CLI
  talks to the node over RPC);
- the cluster layout (one node, zone dc1, 1 GB), applied as version 1;
- one read-write-owner access key (``access_key`` / ``secret_key``) that every bucket made with
  ``create_bucket`` grants, plus ``create_key`` for more keys with narrower rights;
- stopping it (SIGTERM, then SIGKILL to the process group) and deleting the temp dir, also when
  start-up fails half-way. ``LAKEGATE_KEEP_TMP=1`` keeps the dir.

Usage::

    with GarageServer() as g:
        g.create_bucket("lake")
        env = {**os.environ, **g.env()}             # AWS_ACCESS_KEY_ID, …, AWS_ENDPOINT_URL
        ro = g.create_key("gateway", bucket="lake", read=True)
        g.env(ro)                                   # the same variables, for the read-only key
        g.s3_config()                               # lakegate's [s3] section for this server
        g.duckdb_secret_sql()                       # CREATE SECRET … for DuckDB's httpfs

The binary is ``$GARAGE_BIN``, else ``~/.cache/lakegate/garage/bin/garage`` (installed by
``scripts/install-test-deps``). CLI output is parsed from Garage 2.5's formats.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import LOOPBACK, DependencyMissing, cache_dir, free_ports, keep_temp, spawn, stop_process, tail, wait_until

GARAGE_VERSION = "2.5.0"
REGION = "garage"


def garage_bin() -> Path:
    """The Garage binary; raises DependencyMissing (with the install command) if absent."""
    path = Path(os.environ.get("GARAGE_BIN") or cache_dir() / "garage" / "bin" / "garage")
    if not os.access(path, os.X_OK):
        raise DependencyMissing(
            f"Garage {GARAGE_VERSION} not found at {path} (GARAGE_BIN); install it with "
            "scripts/install-test-deps (cargo install garage --version 2.5.0 --locked)"
        )
    return path


class GarageError(RuntimeError):
    pass


@dataclass(frozen=True)
class GarageKey:
    """An S3 access key of the server."""

    name: str
    access_key: str
    secret_key: str


class GarageServer:
    """One Garage node; a context manager (``start()`` / ``stop()`` also work)."""

    def __init__(self, *, binary: str | os.PathLike | None = None, startup_timeout: float = 60.0):
        self.binary = Path(binary) if binary else garage_bin()
        self.startup_timeout = startup_timeout
        self.workdir: Path | None = None
        self.rpc_port: int | None = None
        self.s3_port: int | None = None
        self.node_id: str | None = None
        self.key: GarageKey | None = None
        self.buckets: list[str] = []
        self._proc: subprocess.Popen | None = None
        self._names = itertools.count(1)

    # -- life cycle ----------------------------------------------------------------------------

    def __enter__(self) -> "GarageServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> "GarageServer":
        if self._proc is not None:
            raise GarageError("already started")
        self.workdir = Path(tempfile.mkdtemp(prefix="lakegate-garage-"))
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        assert self.workdir is not None
        self.rpc_port, self.s3_port = free_ports(2)
        self.config_path.write_text(
            f"""# Written by tests/python/support/garage.py: a single-node test cluster.
metadata_dir = "{self.workdir / 'meta'}"
data_dir = "{self.workdir / 'data'}"
db_engine = "sqlite"
replication_factor = 1
rpc_bind_addr = "{LOOPBACK}:{self.rpc_port}"
rpc_public_addr = "{LOOPBACK}:{self.rpc_port}"
rpc_secret = "{secrets.token_hex(32)}"

[s3_api]
s3_region = "{REGION}"
api_bind_addr = "{LOOPBACK}:{self.s3_port}"
root_domain = ".s3.garage.localhost"
"""
        )
        self.config_path.chmod(0o600)
        self._proc = spawn(
            [self.binary, "-c", self.config_path, "server"],
            env=self._env(),
            log_path=self.log_path,
        )
        # `garage status` answers once the node's RPC is up.
        wait_until(
            lambda: self._cli("status", check=False).returncode == 0,
            timeout=self.startup_timeout,
            what=f"garage server (RPC {LOOPBACK}:{self.rpc_port}) to answer `garage status`",
            interval=0.2,
            abort=self._exited,
        )
        self.node_id = self.garage("node", "id", "-q").strip().split("@", 1)[0]
        if not re.fullmatch(r"[0-9a-f]{64}", self.node_id):
            raise GarageError(f"unexpected `garage node id` output: {self.node_id!r}")
        self.garage("layout", "assign", "-z", "dc1", "-c", "1G", self.node_id)
        self.garage("layout", "apply", "--version", "1")
        self.key = self.create_key("lakegate-test-rw")
        # The S3 API answers any request (403 without credentials) once it listens.
        wait_until(
            self._s3_answers,
            timeout=self.startup_timeout,
            what=f"Garage's S3 API on {self.endpoint}",
            interval=0.2,
            abort=self._exited,
        )

    def stop(self) -> None:
        """Stops the server and deletes its temp dir; safe to call more than once."""
        proc, self._proc = self._proc, None
        stop_process(proc, signal.SIGTERM, timeout=15)
        if self.workdir is not None and not keep_temp():
            shutil.rmtree(self.workdir, ignore_errors=True)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    # -- where it is ---------------------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        assert self.workdir is not None, "not started"
        return self.workdir / "garage.toml"

    @property
    def log_path(self) -> Path:
        assert self.workdir is not None, "not started"
        return self.workdir / "garage.log"

    @property
    def endpoint(self) -> str:
        """``127.0.0.1:PORT`` of the S3 API, as DuckDB's ENDPOINT and lakegate's ``[s3] endpoint``."""
        return f"{LOOPBACK}:{self.s3_port}"

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, as boto3 / s3fs / ``AWS_ENDPOINT_URL`` want it."""
        return f"http://{self.endpoint}"

    @property
    def access_key(self) -> str:
        assert self.key is not None, "not started"
        return self.key.access_key

    @property
    def secret_key(self) -> str:
        assert self.key is not None, "not started"
        return self.key.secret_key

    def log_text(self) -> str:
        return tail(self.log_path, 20000) if self.workdir else ""

    # -- buckets and keys ----------------------------------------------------------------------

    def create_bucket(self, name: str | None = None) -> str:
        """Creates a bucket that the server's read-write key owns; returns its name."""
        name = name or f"bucket{next(self._names)}"
        self.garage("bucket", "create", name)
        self.allow(name, self.key, read=True, write=True, owner=True)
        self.buckets.append(name)
        return name

    def create_key(
        self,
        name: str | None = None,
        *,
        bucket: str | None = None,
        read: bool = False,
        write: bool = False,
        owner: bool = False,
    ) -> GarageKey:
        """Creates an access key; with ``bucket``, grants it the given rights on that bucket."""
        name = name or f"key{next(self._names)}"
        out = self.garage("key", "create", name)
        key_id = re.search(r"^Key ID:\s*(GK[0-9a-f]+)\s*$", out, re.M)
        secret = re.search(r"^Secret key:\s*([0-9a-f]+)\s*$", out, re.M)
        if not key_id:
            raise GarageError(f"no key ID in `garage key create` output:\n{out}")
        access_key = key_id.group(1)
        if secret:
            secret_key = secret.group(1)
        else:  # older/newer formats may hide it; ask explicitly
            secret_key = self.garage("key", "info", "--secret-key", access_key).strip()
        key = GarageKey(name=name, access_key=access_key, secret_key=secret_key)
        if bucket is not None and (read or write or owner):
            self.allow(bucket, key, read=read, write=write, owner=owner)
        return key

    def read_only_key(self, bucket: str, name: str | None = None) -> GarageKey:
        """A new key that may only read ``bucket`` (what a serving gateway should hold)."""
        return self.create_key(name, bucket=bucket, read=True)

    def allow(self, bucket: str, key: GarageKey | None, *, read=False, write=False, owner=False) -> None:
        assert key is not None
        flags = [f for f, on in (("--read", read), ("--write", write), ("--owner", owner)) if on]
        if not flags:
            raise ValueError("allow() needs at least one of read, write, owner")
        self.garage("bucket", "allow", *flags, bucket, "--key", key.access_key)

    # -- client settings -----------------------------------------------------------------------

    def env(self, key: GarageKey | None = None) -> dict[str, str]:
        """The AWS credential-chain variables for ``key`` (default: the read-write key). Merge into
        a child's environment: lakegate takes S3 credentials only from the AWS chain."""
        key = key or self.key
        assert key is not None, "not started"
        return {
            "AWS_ACCESS_KEY_ID": key.access_key,
            "AWS_SECRET_ACCESS_KEY": key.secret_key,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": self.url,
        }

    def s3_config(self) -> dict[str, object]:
        """lakegate's ``[s3]`` section for this server."""
        return {"region": REGION, "endpoint": self.endpoint, "url_style": "path", "use_ssl": False}

    def duckdb_secret_sql(self, key: GarageKey | None = None, name: str = "garage") -> str:
        """``CREATE SECRET`` for DuckDB's httpfs with ``key`` (default: the read-write key)."""
        key = key or self.key
        assert key is not None, "not started"
        return (
            f"CREATE OR REPLACE SECRET {name} (TYPE s3, KEY_ID '{key.access_key}', "
            f"SECRET '{key.secret_key}', REGION '{REGION}', ENDPOINT '{self.endpoint}', "
            "URL_STYLE 'path', USE_SSL false)"
        )

    # -- the CLI ---------------------------------------------------------------------------------

    def garage(self, *args: str, timeout: float = 60.0) -> str:
        """Runs ``garage -c garage.toml ARGS…`` against this node; returns stdout, raises on failure."""
        return self._cli(*args, timeout=timeout).stdout

    def _cli(self, *args: str, check: bool = True, timeout: float = 60.0) -> subprocess.CompletedProcess:
        cmd = [str(self.binary), "-c", str(self.config_path), *args]
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env=self._env(), timeout=timeout, stdin=subprocess.DEVNULL
        )
        if check and proc.returncode != 0:
            raise GarageError(
                f"`garage {' '.join(args)}` failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"
                f"\n--- server log (tail) ---\n{tail(self.log_path, 3000)}"
            )
        return proc

    @staticmethod
    def _env() -> dict[str, str]:
        # Only our config file decides: drop GARAGE_* settings (RPC host, secrets) from outside.
        env = {k: v for k, v in os.environ.items() if not k.startswith("GARAGE_")}
        env.setdefault("RUST_LOG", "garage=info")
        return env

    def _exited(self) -> str | None:
        if self._proc is not None and self._proc.poll() is not None:
            return f"garage server exited with status {self._proc.returncode}:\n{tail(self.log_path)}"
        return None

    def _s3_answers(self) -> bool:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
        try:
            opener.open(self.url + "/", timeout=2)
        except urllib.error.HTTPError:
            return True  # 403 without credentials: it answers
        return True
