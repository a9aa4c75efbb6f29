"""Shared plumbing for lakegate's Python tests: where things are, free loopback ports, waiting,
and starting/stopping child processes so that nothing outlives a test run.

It owns:

- the locations every script and test agrees on (repository root, ``~/.cache/lakegate``, DuckDB's
  extension directory for DuckDB 1.5.5), each overridable by the same environment variables as
  ``scripts/lib/common.sh``;
- ``free_port()`` / ``free_ports(n)``: ports on 127.0.0.1 that were free a moment ago;
- ``wait_until()``: poll a condition with a deadline, failing with a message that says what;
- ``spawn()`` / ``stop_process()``: a child in its own process group (so its children die with it),
  stopped with a polite signal, then SIGKILL to the whole group; every child still alive when the
  interpreter exits is killed by an ``atexit`` hook, even if a fixture's finalizer never ran;
- ``DependencyMissing``: raised when something the tests need is not installed; the fixtures turn
  it into a test failure (never a skip) whose message says how to install it.

The servers themselves live in ``support.garage``, ``support.postgres`` and ``support.lakegate``.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import platform
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Callable, Iterable, Mapping, TypeVar

#: The DuckDB of the ``duckdb`` crate (=1.10505.0) and of the PyPI extension wheels.
DUCKDB_VERSION = "1.5.5"

#: The extensions ``scripts/install-extensions`` installs, by the file name DuckDB loads.
EXTENSION_FILES = (
    "httpfs",
    "ducklake",
    "sqlite_scanner",
    "postgres_scanner",
    "icu",
    "spatial",
    "aws",
    "fts",
    "tpch",
)

LOOPBACK = "127.0.0.1"

T = TypeVar("T")


class DependencyMissing(RuntimeError):
    """Something the tests need is not installed; the message says how to install it."""


def repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


def cache_dir() -> Path:
    """``$LAKEGATE_CACHE``, by default ``~/.cache/lakegate`` (builds, wheels, Garage)."""
    return Path(os.environ.get("LAKEGATE_CACHE") or Path.home() / ".cache" / "lakegate")


def duckdb_platform() -> str:
    return "linux_arm64" if platform.machine() in ("aarch64", "arm64") else "linux_amd64"


def extension_dir() -> Path:
    """The folder holding ``*.duckdb_extension`` files: ``$LAKEGATE_EXTENSION_DIR``, by default
    ``~/.duckdb/extensions/v1.5.5/linux_amd64`` (what ``scripts/install-extensions`` fills)."""
    env = os.environ.get("LAKEGATE_EXTENSION_DIR")
    if env:
        return Path(env)
    return Path.home() / ".duckdb" / "extensions" / f"v{DUCKDB_VERSION}" / duckdb_platform()


def extension_root() -> Path:
    """DuckDB's ``extension_directory`` setting (and lakegate's ``[lake] extension_directory``) for
    ``extension_dir()``: DuckDB itself appends ``v1.5.5/<platform>``."""
    d = extension_dir()
    if d.name != duckdb_platform() or d.parent.name != f"v{DUCKDB_VERSION}":
        raise DependencyMissing(
            f"LAKEGATE_EXTENSION_DIR={d} must end in v{DUCKDB_VERSION}/{duckdb_platform()}, "
            "the folder DuckDB loads extensions from"
        )
    return d.parent.parent


def require_extensions(*names: str) -> Path:
    """Fails with an install hint unless the named extensions (all by default) are installed;
    returns ``extension_root()``."""
    missing = [n for n in (names or EXTENSION_FILES) if not (extension_dir() / f"{n}.duckdb_extension").is_file()]
    if missing:
        raise DependencyMissing(
            f"DuckDB extensions missing from {extension_dir()}: {', '.join(missing)}; "
            "run scripts/install-extensions (or scripts/install-test-deps)"
        )
    return extension_root()


def keep_temp() -> bool:
    """``LAKEGATE_KEEP_TMP=1`` keeps servers' temp dirs (configs, logs, data) for debugging."""
    return os.environ.get("LAKEGATE_KEEP_TMP", "") not in ("", "0")


# ---------------------------------------------------------------------------------------------
# ports and waiting


def free_ports(n: int) -> list[int]:
    """``n`` distinct TCP ports on 127.0.0.1 that are free now (held open together while chosen,
    so they differ; another process could still take one before it is used)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((LOOPBACK, 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def free_port() -> int:
    return free_ports(1)[0]


def port_open(port: int, host: str = LOOPBACK, timeout: float = 0.5) -> bool:
    """True if something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(
    condition: Callable[[], T],
    *,
    timeout: float,
    what: str,
    interval: float = 0.1,
    abort: Callable[[], str | None] | None = None,
) -> T:
    """Calls ``condition`` until it returns something truthy, and returns that.

    ``abort`` is called between tries; a string it returns (e.g. "the server exited: ...") ends the
    wait at once with that reason. Raises ``TimeoutError`` naming ``what`` after ``timeout``
    seconds, with the last exception ``condition`` raised, if any.
    """
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while True:
        try:
            result = condition()
            if result:
                return result
        except Exception as e:  # noqa: BLE001 - any failure means "not yet"
            last_error = e
        if abort is not None:
            reason = abort()
            if reason:
                raise RuntimeError(f"gave up waiting for {what}: {reason}")
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_error})" if last_error else ""
            raise TimeoutError(f"timed out after {timeout:g}s waiting for {what}{detail}")
        time.sleep(interval)


# ---------------------------------------------------------------------------------------------
# child processes

_live: dict[int, subprocess.Popen] = {}


def spawn(
    args: Iterable[str | os.PathLike],
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike | None = None,
    log_path: str | os.PathLike | None = None,
    user: str | None = None,
) -> subprocess.Popen:
    """Starts a long-running child in a new session (its own process group), stdin closed,
    stdout+stderr appended to ``log_path`` (or discarded). ``user``: run as that OS user (only
    when we are root). The child is killed at interpreter exit if still running."""
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    try:
        proc = subprocess.Popen(
            [str(a) for a in args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
            **as_user_kwargs(user),
        )
    finally:
        if log_path:
            out.close()
    _live[proc.pid] = proc
    return proc


def as_user_kwargs(user: str | None) -> dict:
    """Popen/run keyword arguments that run the child as OS user ``user`` (only when we are
    root; otherwise, or with None, nothing)."""
    if user is None or os.geteuid() != 0:
        return {}
    import pwd

    pw = pwd.getpwnam(user)
    return {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}


def stop_process(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int | None:
    """Sends ``sig`` to ``proc`` alone, waits up to ``timeout`` s, then SIGKILLs its whole process
    group (children included) and reaps it. Safe to call twice. Returns the exit status."""
    if proc is None:
        return None
    try:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(sig)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        # Whatever the leader did, leave nothing of its group behind (postgres backends, …).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        return proc.returncode
    finally:
        _live.pop(proc.pid, None)


@atexit.register
def _kill_leftovers() -> None:
    for proc in list(_live.values()):
        stop_process(proc, signal.SIGKILL, timeout=2)


def tail(path: str | os.PathLike, max_chars: int = 4000) -> str:
    """The end of a log file, for error messages ('' if absent)."""
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return ""
    return text if len(text) <= max_chars else "…" + text[-max_chars:]
