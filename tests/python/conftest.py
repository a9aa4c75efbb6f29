"""pytest fixtures for lakegate's end-to-end tests: real servers on 127.0.0.1, cleaned up always.

Fixtures (see ``support/`` for the classes):

- ``lakegate_bin`` (session): Path of the built lakegate binary (``support.lakegate.lakegate_bin``).
- ``extension_root`` (session): DuckDB's ``extension_directory`` holding the installed
  extensions (for ``SET extension_directory`` and lakegate's ``[lake] extension_directory``).
- ``garage`` (session): a started ``GarageServer`` (S3 on 127.0.0.1); make buckets with
  ``garage.create_bucket()``, read-only keys with ``garage.read_only_key(bucket)``.
- ``postgres_factory`` (per test): ``postgres_factory(auth="trust", settings={...})`` starts a
  ``PostgresServer``; every server it started is stopped and deleted after the test.
- ``sample_lake`` (session): ``SampleLake`` — the bundled sample published into a temp dir
  (SQLite catalogue, data and pins folders). Treat it as read-only; tests that publish build
  their own with ``support.lakegate.sample_lake(tmp_path)``.
- ``lakegate_server`` (session): ``LakegateServer`` serving ``sample_lake``; ``.dsn()`` connects as
  analyst to database lake.

Policy: a missing dependency is a test FAILURE with a message saying how to install it, never a
skip; skipped tests count as defects in this project, so a skip (from ``pytest.skip``,
``importorskip`` or a ``skip`` mark) is reported as a failure too. ``pytest.xfail`` is unaffected.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import pytest

import support
from support import DependencyMissing
from support import lakegate as lg
from support.garage import GarageServer
from support.postgres import PostgresServer

T = TypeVar("T")


def require(fn: Callable[[], T]) -> T:
    """Calls ``fn``; a DependencyMissing becomes a test failure with its install hint."""
    try:
        return fn()
    except DependencyMissing as e:
        pytest.fail(f"missing test dependency: {e}", pytrace=False)


@pytest.fixture(scope="session")
def lakegate_bin() -> Path:
    return require(lg.lakegate_bin)


@pytest.fixture(scope="session")
def extension_root() -> Path:
    return require(support.require_extensions)


@pytest.fixture(scope="session")
def garage() -> Iterator[GarageServer]:
    server = require(GarageServer)
    with server:
        yield server


@pytest.fixture
def postgres_factory() -> Iterator[Callable[..., PostgresServer]]:
    started: list[PostgresServer] = []

    def start(**kwargs) -> PostgresServer:
        server = PostgresServer(**kwargs)
        started.append(server)
        require(server.start)
        return server

    try:
        yield start
    finally:
        for server in reversed(started):
            server.stop()


@pytest.fixture(scope="session")
def sample_lake(tmp_path_factory: pytest.TempPathFactory, lakegate_bin: Path, extension_root: Path) -> lg.SampleLake:
    return lg.sample_lake(tmp_path_factory.mktemp("sample_lake"), binary=lakegate_bin)


@pytest.fixture(scope="session")
def lakegate_server(sample_lake: lg.SampleLake, lakegate_bin: Path) -> Iterator[lg.LakegateServer]:
    with lg.LakegateServer(sample_lake.config, binary=lakegate_bin) as server:
        yield server


def pytest_configure(config: pytest.Config) -> None:
    """SIGTERM (scripts/test's timeout, a cancelled CI job) stops the run like Ctrl-C does, so
    fixture finalizers still stop the servers they started."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"terminated by signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Reports a skipped test as failed: in this project a skip hides a defect."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"test was skipped, and skipped tests count as failures in lakegate: {reason}"


# The capture lake (tests/capture/schema.sql.in published) served by lakegate, and a real
# PostgreSQL 15 loaded with the same schema: shared by the client tests (test_client_*.py),
# which only read.
@pytest.fixture(scope="session")
def capture_server(tmp_path_factory, lakegate_bin, extension_root):
    from support import catalogue as cat

    lake = cat.capture_lake(tmp_path_factory.mktemp("client_lake"), binary=lakegate_bin)
    with lg.LakegateServer(lake.config, binary=lakegate_bin) as server:
        yield server


@pytest.fixture(scope="session")
def reference():
    from support import catalogue as cat

    server = require(lambda: cat.reference_server("main"))
    try:
        yield server
    finally:
        server.stop()
