"""Driving the real ``lakegate`` binary from tests: finding it, writing its TOML config, running its
commands, and serving a lake on a free loopback port.

It owns:

- ``lakegate_bin()``: ``$LAKEGATE_BIN``, else ``$CARGO_TARGET_DIR/release/lakegate``, else
  ``~/.cache/lakegate/target/release/lakegate`` (scripts/test builds it and sets LAKEGATE_BIN);
- ``write_config(dir, **sections)`` / ``to_toml(sections)``: lakegate's config file
  (``[lake] [s3] [pins] [server] [publish] [users]``) from plain dicts;
- ``run(args, config=…)``: one command, output captured, with a timeout; ``LakegateError`` carries
  the command, status, stdout and stderr;
- ``LakegateServer(config_path)``: ``lakegate serve`` on a free 127.0.0.1 port, written into a copy
  of the config beside the original (so relative paths resolve the same), waited for until a
  PostgreSQL client can connect, stopped with SIGTERM then SIGKILL, always;
- ``sample_lake(dir)``: the bundled sample source published into a lake in ``dir`` (SQLite
  catalogue, data and pins in folders), the starting point of most end-to-end tests.

Usage::

    lake = sample_lake(tmp_path)                       # SampleLake(dir, config, source, …)
    run(["catalogue", "list", "--format", "json"], config=lake.config).stdout
    with LakegateServer(lake.config) as srv:
        with psycopg.connect(srv.dsn()) as conn: ...   # user analyst, database lake

Environment passed to lakegate: ours, plus ``env`` (e.g. ``GarageServer.env()``), with
``LAKEGATE_LOG`` defaulting to "info" and ``LAKEGATE_CONFIG`` removed (configs are explicit).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from . import (
    LOOPBACK,
    DependencyMissing,
    extension_root,
    free_port,
    keep_temp,
    spawn,
    stop_process,
    tail,
    wait_until,
)

#: Order of the sections in a written config (others follow, sorted).
SECTIONS = ("lake", "s3", "pins", "server", "publish", "users")


def lakegate_bin() -> Path:
    """The lakegate binary; raises DependencyMissing (saying how to build it) if absent."""
    if os.environ.get("LAKEGATE_BIN"):
        path = Path(os.environ["LAKEGATE_BIN"])
    else:
        target = os.environ.get("CARGO_TARGET_DIR") or Path.home() / ".cache" / "lakegate" / "target"
        path = Path(target) / "release" / "lakegate"
    if not os.access(path, os.X_OK):
        raise DependencyMissing(
            f"lakegate binary not found at {path}: build it with "
            "`CARGO_TARGET_DIR=~/.cache/lakegate/target cargo build --release` (scripts/test does), "
            "or point LAKEGATE_BIN at it"
        )
    return path


# ---------------------------------------------------------------------------------------------
# config


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _toml_string(s: str) -> str:
    out = ['"']
    for c in s:
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, os.PathLike):
        return _toml_string(os.fspath(v))
    if isinstance(v, str):
        return _toml_string(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} {v!r} as a TOML value")


def to_toml(sections: Mapping[str, Mapping[str, object]]) -> str:
    """TOML text for ``{section: {key: value}}``; values: str, Path, bool, int, float, lists of
    those. ``None`` values are left out (the key keeps lakegate's default)."""
    order = [s for s in SECTIONS if s in sections] + sorted(s for s in sections if s not in SECTIONS)
    lines = []
    for name in order:
        body = sections[name]
        if body is None:
            continue
        lines.append(f"[{_toml_key(name)}]")
        for k, v in body.items():
            if v is not None:
                lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
        lines.append("")
    return "\n".join(lines)


def write_config(dir: str | os.PathLike, name: str = "lakegate.toml", **sections: Mapping[str, object]) -> Path:
    """Writes ``dir/name`` from keyword sections and returns its path, e.g.
    ``write_config(d, lake={"catalog": "sqlite:lake/catalog.sqlite"}, server={"listen": "127.0.0.1:0"})``.
    Relative paths in it resolve against ``dir``."""
    path = Path(dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Written by tests/python/support/lakegate.py\n" + to_toml(sections))
    return path


def read_config(path: str | os.PathLike) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


# ---------------------------------------------------------------------------------------------
# running commands


class LakegateError(RuntimeError):
    def __init__(self, args: Sequence[str], returncode: int, stdout: str, stderr: str):
        self.cmd, self.returncode, self.stdout, self.stderr = list(args), returncode, stdout, stderr
        super().__init__(
            f"`{' '.join(self.cmd)}` exited with {returncode}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
        )


def lakegate_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment lakegate runs with: ours without LAKEGATE_CONFIG, LAKEGATE_LOG=info by
    default, then ``env`` on top."""
    out = {k: v for k, v in os.environ.items() if k != "LAKEGATE_CONFIG"}
    out.setdefault("LAKEGATE_LOG", "info")
    out.update(env or {})
    return out


def run(
    args: Sequence[str | os.PathLike],
    config: str | os.PathLike | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    input: str | None = None,
    timeout: float = 600.0,
    cwd: str | os.PathLike | None = None,
    binary: str | os.PathLike | None = None,
) -> subprocess.CompletedProcess:
    """Runs ``lakegate [--config CONFIG] ARGS…``; stdout and stderr captured as text. With
    ``check`` a non-zero exit raises LakegateError (with both outputs)."""
    cmd = [str(binary or lakegate_bin())]
    if config is not None:
        cmd += ["--config", os.fspath(config)]
    cmd += [os.fspath(a) for a in args]
    proc = subprocess.run(
        cmd,
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=lakegate_env(env),
        timeout=timeout,
        cwd=cwd,
    )
    if check and proc.returncode != 0:
        raise LakegateError(cmd, proc.returncode, proc.stdout, proc.stderr)
    return proc


# ---------------------------------------------------------------------------------------------
# serving


class LakegateServer:
    """``lakegate serve`` on 127.0.0.1:<free port>; a context manager (or ``start()`` / ``stop()``).

    The server runs from ``<config stem>.serve-<port>.toml``, a copy of ``config_path`` in the same
    folder with ``[server] listen`` replaced; it is deleted on stop. Start-up waits until a
    PostgreSQL connection as ``user`` to ``dbname`` succeeds (or is refused by the server itself,
    e.g. for its password: the server answers either way), and fails with the server's stderr if
    it exits first.
    """

    def __init__(
        self,
        config_path: str | os.PathLike,
        env: Mapping[str, str] | None = None,
        *,
        user: str = "analyst",
        password: str | None = None,
        dbname: str | None = None,
        startup_timeout: float = 120.0,
        stop_timeout: float = 15.0,
        binary: str | os.PathLike | None = None,
    ):
        self.source_config = Path(config_path)
        self.stop_timeout = stop_timeout
        self.env = dict(env or {})
        self.user = user
        self.password = password
        self.startup_timeout = startup_timeout
        self.binary = Path(binary) if binary else lakegate_bin()
        config = read_config(self.source_config)
        self.dbname = dbname or config.get("server", {}).get("database", "lake")
        self._config = config
        self.port: int | None = None
        self.config_path: Path | None = None
        self._logdir: Path | None = None
        self._final_log = ""  # the output, once stop() has removed the log dir
        self._proc: subprocess.Popen | None = None

    def __enter__(self) -> "LakegateServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> "LakegateServer":
        if self._proc is not None:
            raise RuntimeError("already started")
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        self.port = free_port()
        config = {k: dict(v) if isinstance(v, dict) else v for k, v in self._config.items()}
        config.setdefault("server", {})["listen"] = f"{LOOPBACK}:{self.port}"
        self.config_path = self.source_config.with_name(f"{self.source_config.stem}.serve-{self.port}.toml")
        self.config_path.write_text(
            f"# Written by tests/python/support/lakegate.py from {self.source_config.name}\n" + to_toml(config)
        )
        self._logdir = Path(tempfile.mkdtemp(prefix="lakegate-serve-"))
        self._proc = spawn(
            [self.binary, "--config", self.config_path, "serve"],
            env=lakegate_env(self.env),
            cwd=self.config_path.parent,
            log_path=self.log_path,
        )
        wait_until(
            self._answers,
            timeout=self.startup_timeout,
            what=f"lakegate serve on {LOOPBACK}:{self.port} to accept a PostgreSQL connection",
            interval=0.2,
            abort=self._exited,
        )

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL to the process group after ``stop_timeout`` s (default 15); removes
        the serving config. Returns the exit status. Safe to call more than once."""
        proc, self._proc = self._proc, None
        status = stop_process(proc, signal.SIGTERM, timeout=self.stop_timeout)
        if self.config_path is not None:
            self.config_path.unlink(missing_ok=True)
        if self._logdir is not None:
            self._final_log = self.stderr_text()
            if not keep_temp():
                shutil.rmtree(self._logdir, ignore_errors=True)
            self._logdir = None
        return status

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def log_path(self) -> Path:
        assert self._logdir is not None, "not started"
        return self._logdir / "serve.log"

    def stderr_text(self) -> str:
        """What the server has written (stderr and stdout, interleaved), also after stop()."""
        if self._logdir is None:
            return self._final_log
        return tail(self.log_path, 1_000_000)

    def dsn(self, user: str | None = None, dbname: str | None = None, password: str | None = None, **params) -> str:
        """A libpq connection string: ``host=127.0.0.1 port=… user=analyst dbname=lake`` plus
        ``params`` (e.g. ``sslmode="disable"``, ``application_name="x"``)."""
        parts = {"host": LOOPBACK, "port": self.port, "user": user or self.user, "dbname": dbname or self.dbname}
        pw = password if password is not None else self.password
        if pw is not None:
            parts["password"] = pw
        parts.update(params)
        return " ".join(f"{k}={_libpq_value(str(v))}" for k, v in parts.items())

    def url(self, user: str | None = None, dbname: str | None = None) -> str:
        """``postgresql://analyst@127.0.0.1:PORT/lake`` (no password), for SQLAlchemy & co."""
        return f"postgresql://{user or self.user}@{LOOPBACK}:{self.port}/{dbname or self.dbname}"

    def connect(self, **kwargs):
        """A psycopg connection to the server (``dsn()`` keywords accepted: user, dbname, password)."""
        import psycopg

        dsn_kw = {k: kwargs.pop(k) for k in ("user", "dbname", "password") if k in kwargs}
        kwargs.setdefault("connect_timeout", 10)
        return psycopg.connect(self.dsn(**dsn_kw), **kwargs)

    def _answers(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self.dsn(), connect_timeout=2, sslmode="prefer"):
                return True
        except psycopg.OperationalError as e:
            # A refusal sent by the server (wrong password, TLS required, …) is an answer from a
            # running server: it is up. Connection refused / timeouts are not.
            if re.search(r"FATAL|ERROR:|password|authentication|SSL|TLS", str(e)):
                return True
            raise

    def _exited(self) -> str | None:
        if self._proc is not None and self._proc.poll() is not None:
            return f"lakegate serve exited with status {self._proc.returncode}:\n{tail(self.log_path)}"
        return None


def _libpq_value(v: str) -> str:
    if v and all(c.isalnum() or c in "-_.~/:" for c in v):
        return v
    return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"


# ---------------------------------------------------------------------------------------------
# the sample lake


@dataclass(frozen=True)
class SampleLake:
    """A published sample lake; every path is absolute."""

    dir: Path
    config: Path
    source: Path
    catalog: Path
    data: Path
    pins: Path
    publish_output: str


def lake_sections(extra_lake: Mapping[str, object] | None = None) -> dict[str, object]:
    """The ``[lake]`` section of the embedded default (relative paths), with ``extension_directory``
    set when ``LAKEGATE_EXTENSION_DIR`` points elsewhere than DuckDB's default."""
    lake: dict[str, object] = {"catalog": "sqlite:lake/catalog.sqlite", "data_path": "lake/data/"}
    if os.environ.get("LAKEGATE_EXTENSION_DIR"):
        lake["extension_directory"] = extension_root()
    lake.update(extra_lake or {})
    return lake


def sample_lake(
    dir: str | os.PathLike,
    *,
    env: Mapping[str, str] | None = None,
    binary: str | os.PathLike | None = None,
    publish: bool = True,
) -> SampleLake:
    """Writes the bundled sample source ``dir/sample.duckdb`` (``lakegate sample``), a config
    ``dir/lakegate.toml`` (SQLite catalogue lake/catalog.sqlite, data lake/data/, pins lake/pins/,
    source sample.duckdb) and, with ``publish``, publishes it."""
    d = Path(dir).resolve()
    d.mkdir(parents=True, exist_ok=True)
    config = write_config(
        d,
        lake=lake_sections(),
        pins={"board": "lake/pins/"},
        publish={"source": "sample.duckdb"},
    )
    source = d / "sample.duckdb"
    if not source.exists():
        run(["sample", source], config=config, env=env, binary=binary, cwd=d)
    out = ""
    if publish:
        res = run(["publish", "--message", "tests: sample lake"], config=config, env=env, binary=binary, cwd=d)
        out = res.stdout + res.stderr
    return SampleLake(
        dir=d,
        config=config,
        source=source,
        catalog=d / "lake" / "catalog.sqlite",
        data=d / "lake" / "data",
        pins=d / "lake" / "pins",
        publish_output=out,
    )


__all__ = [
    "DependencyMissing",
    "LakegateError",
    "LakegateServer",
    "SampleLake",
    "lake_sections",
    "lakegate_bin",
    "lakegate_env",
    "read_config",
    "run",
    "sample_lake",
    "to_toml",
    "write_config",
]
