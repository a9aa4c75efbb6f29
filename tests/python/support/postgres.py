"""A throwaway PostgreSQL 15 server on 127.0.0.1, for lakegate's PostgreSQL-catalogue mode and as
the reference server of differential tests (the same query answered by PostgreSQL and lakegate).

It owns the whole life of one cluster:

- a temp dir (owned by the unprivileged OS user ``$LAKEGATE_PG_USER``, default ``lakegate-pg``,
  when we run as root: PostgreSQL refuses to run as root) with the cluster and its log;
- ``initdb`` (UTF8, C.UTF-8, superuser ``postgres``) and ``pg_hba.conf`` allowing only
  127.0.0.1 with ``trust`` or ``scram-sha-256`` (then the superuser gets ``password``);
- ``postgres`` started directly as our child in its own process group, listening on 127.0.0.1 on a
  free port and no Unix socket, with extra ``settings`` (e.g. ``{"log_statement": "all"}``);
- stopping it (fast shutdown, then SIGKILL to the group) and deleting the temp dir, also when
  start-up fails half-way. ``LAKEGATE_KEEP_TMP=1`` keeps the dir.

Usage::

    with PostgresServer(settings={"log_statement": "all"}) as pg:
        pg.psql("CREATE DATABASE lake")             # psql -X -At -v ON_ERROR_STOP=1; returns stdout
        pg.dsn("lake")                              # "host=127.0.0.1 port=… user=postgres dbname=lake"
        with pg.connect("lake") as conn: ...        # psycopg connection
        pg.log_text()                               # the server log

Binaries: ``$PG_BIN`` (folder of initdb/postgres), else /usr/local/bin if it has them, else
/usr/lib/postgresql/15/bin (Debian's postgresql-15); psql is ``$PSQL`` or /usr/bin/psql.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Mapping

from . import LOOPBACK, DependencyMissing, as_user_kwargs, free_port, keep_temp, spawn, stop_process, tail, wait_until

SUPERUSER = "postgres"
AUTH_METHODS = ("trust", "scram-sha-256", "md5")


def pg_bin_dir() -> Path:
    """The folder of ``initdb`` and ``postgres``; raises DependencyMissing if there is none."""
    if os.environ.get("PG_BIN"):
        candidates = [os.environ["PG_BIN"]]
    else:
        candidates = ["/usr/local/bin", "/usr/lib/postgresql/15/bin"]
    for c in candidates:
        if all(os.access(Path(c) / b, os.X_OK) for b in ("initdb", "postgres")):
            return Path(c)
    raise DependencyMissing(
        f"PostgreSQL server binaries (initdb, postgres) not found in {' or '.join(candidates)}; "
        "install them with scripts/install-test-deps (Debian package postgresql-15)"
    )


def psql_bin() -> Path:
    path = Path(os.environ.get("PSQL") or "/usr/bin/psql")
    if not os.access(path, os.X_OK):
        raise DependencyMissing(f"psql not found at {path}; install postgresql-client-15 (scripts/install-test-deps)")
    return path


def server_os_user() -> str | None:
    """The OS user the server runs as: ``$LAKEGATE_PG_USER`` (default lakegate-pg) when we are
    root, else None (ourselves)."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("LAKEGATE_PG_USER") or "lakegate-pg"
    try:
        pwd.getpwnam(name)
    except KeyError:
        raise DependencyMissing(
            f"OS user {name!r} does not exist; PostgreSQL refuses to run as root, so the tests run it "
            "as that user: create it with scripts/install-test-deps"
        ) from None
    return name


def _conf_value(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("\\", "\\\\").replace("'", "''") + "'"


class PostgresServer:
    """One PostgreSQL cluster; a context manager (``start()`` / ``stop()`` also work).

    ``auth``: "trust" (default) or "scram-sha-256" / "md5" for TCP connections from 127.0.0.1;
    with a password method the superuser ``postgres`` has ``password`` (default "postgres").
    ``settings``: postgresql.conf parameters, e.g. ``{"log_statement": "all"}``.
    """

    def __init__(
        self,
        *,
        auth: str = "trust",
        password: str = "postgres",
        settings: Mapping[str, object] | None = None,
        startup_timeout: float = 60.0,
    ):
        if auth not in AUTH_METHODS:
            raise ValueError(f"auth must be one of {AUTH_METHODS}")
        self.auth = auth
        self.password = password
        self.settings = dict(settings or {})
        self.startup_timeout = startup_timeout
        self.host = LOOPBACK
        self.port: int | None = None
        self.superuser = SUPERUSER
        self.workdir: Path | None = None
        self.os_user: str | None = None
        self._proc: subprocess.Popen | None = None

    # -- life cycle ----------------------------------------------------------------------------

    def __enter__(self) -> "PostgresServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> "PostgresServer":
        if self._proc is not None:
            raise RuntimeError("already started")
        bindir = pg_bin_dir()
        psql_bin()
        self.os_user = server_os_user()
        self.workdir = Path(tempfile.mkdtemp(prefix="lakegate-pg-"))
        try:
            self._start(bindir)
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self, bindir: Path) -> None:
        assert self.workdir is not None
        if self.os_user is not None:
            pw = pwd.getpwnam(self.os_user)
            os.chown(self.workdir, pw.pw_uid, pw.pw_gid)
        env = self._server_env()
        initdb = [str(bindir / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER, "-E", "UTF8",
                  "--locale=C.UTF-8", "--lc-messages=C", "--no-sync", "--no-instructions",
                  f"--auth={self.auth}"]
        if self.auth != "trust":
            pwfile = self.workdir / "pwfile"
            pwfile.write_text(self.password + "\n")
            if self.os_user is not None:
                os.chown(pwfile, pwd.getpwnam(self.os_user).pw_uid, -1)
            pwfile.chmod(0o600)
            initdb.append(f"--pwfile={pwfile}")
        res = subprocess.run(initdb, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                             timeout=120, cwd=self.workdir, **as_user_kwargs(self.os_user))
        if res.returncode != 0:
            raise RuntimeError(f"initdb failed (exit {res.returncode}):\n{res.stdout}{res.stderr}")
        (self.workdir / "pwfile").unlink(missing_ok=True)

        self.port = free_port()
        hba = self.data_dir / "pg_hba.conf"
        hba.write_text(
            "# Written by tests/python/support/postgres.py: loopback TCP only.\n"
            "# TYPE  DATABASE  USER  ADDRESS        METHOD\n"
            f"host    all       all   127.0.0.1/32   {self.auth}\n"
        )
        conf = {
            "listen_addresses": LOOPBACK,
            "port": self.port,
            "unix_socket_directories": "",
            "max_connections": 30,
            "shared_buffers": "32MB",
            "fsync": False,
            "synchronous_commit": False,
            "full_page_writes": False,
            "timezone": "UTC",
            "log_timezone": "UTC",
            "lc_messages": "C",
            "logging_collector": False,
            "log_destination": "stderr",
            "log_line_prefix": "%m [%p] %a ",
            **self.settings,
        }
        with open(self.data_dir / "postgresql.conf", "a") as f:
            f.write("\n# tests/python/support/postgres.py\n")
            for k, v in conf.items():
                f.write(f"{k} = {_conf_value(v)}\n")
        self._proc = spawn([bindir / "postgres", "-D", self.data_dir], env=env, log_path=self.log_path,
                           user=self.os_user, cwd=self.workdir)
        wait_until(
            self._accepts,
            timeout=self.startup_timeout,
            what=f"postgres on {self.host}:{self.port} to accept connections",
            interval=0.1,
            abort=self._exited,
        )

    def stop(self) -> None:
        """Fast shutdown (SIGINT), then SIGKILL to the process group; deletes the temp dir."""
        proc, self._proc = self._proc, None
        stop_process(proc, signal.SIGINT, timeout=30)
        if self.workdir is not None and not keep_temp():
            shutil.rmtree(self.workdir, ignore_errors=True)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    # -- where it is ---------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        assert self.workdir is not None, "not started"
        return self.workdir / "data"

    @property
    def log_path(self) -> Path:
        assert self.workdir is not None, "not started"
        return self.workdir / "postgres.log"

    def log_text(self) -> str:
        return tail(self.log_path, 200000) if self.workdir else ""

    def dsn(self, dbname: str = "postgres", user: str | None = None, password: str | None = None) -> str:
        """A libpq connection string (what psycopg and lakegate's ``postgres:`` catalogue take).
        The superuser's password is included when a password method is configured."""
        user = user or self.superuser
        if password is None and self.auth != "trust" and user == self.superuser:
            password = self.password
        parts = [f"host={self.host}", f"port={self.port}", f"user={user}", f"dbname={dbname}"]
        if password is not None:
            parts.append(f"password={_libpq_quote(password)}")
        return " ".join(parts)

    def url(self, dbname: str = "postgres", user: str | None = None) -> str:
        """``postgresql://user@127.0.0.1:PORT/dbname`` (no password)."""
        return f"postgresql://{user or self.superuser}@{self.host}:{self.port}/{dbname}"

    # -- using it ------------------------------------------------------------------------------

    def psql(self, sql: str, dbname: str = "postgres", user: str | None = None, check: bool = True) -> str:
        """Runs ``sql`` with ``psql -X -At -v ON_ERROR_STOP=1``; returns stdout (rows as a|b lines).
        Raises RuntimeError with psql's stderr if it fails and ``check``."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(PGCONNECT_TIMEOUT="10", PAGER="cat", PSQL_PAGER="cat")
        if self.auth != "trust":
            env["PGPASSWORD"] = self.password
        res = subprocess.run(
            [str(psql_bin()), "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", self.host, "-p", str(self.port),
             "-U", user or self.superuser, "-d", dbname],
            input=sql, capture_output=True, text=True, env=env, timeout=120,
        )
        if check and res.returncode != 0:
            raise RuntimeError(f"psql failed (exit {res.returncode}) on:\n{sql}\n{res.stderr}")
        return res.stdout

    def connect(self, dbname: str = "postgres", user: str | None = None, password: str | None = None, **kwargs):
        """A psycopg connection (autocommit unless given otherwise)."""
        import psycopg

        kwargs.setdefault("autocommit", True)
        kwargs.setdefault("connect_timeout", 10)
        return psycopg.connect(self.dsn(dbname, user, password), **kwargs)

    def create_database(self, name: str, owner: str | None = None) -> str:
        owner_sql = f" OWNER {_ident(owner)}" if owner else ""
        self.psql(f"CREATE DATABASE {_ident(name)}{owner_sql}")
        return name

    def create_role(self, name: str, password: str | None = None, superuser: bool = False) -> str:
        opts = " LOGIN" + (" SUPERUSER" if superuser else "")
        if password is not None:
            opts += " PASSWORD '" + password.replace("'", "''") + "'"
        self.psql(f"CREATE ROLE {_ident(name)}{opts}")
        return name

    # -- internals -----------------------------------------------------------------------------

    def _server_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC")
        if self.os_user is not None:
            pw = pwd.getpwnam(self.os_user)
            env.update(HOME=pw.pw_dir, USER=self.os_user, LOGNAME=self.os_user)
        return env

    def _accepts(self) -> bool:
        with self.connect("postgres", connect_timeout=2):
            return True

    def _exited(self) -> str | None:
        if self._proc is not None and self._proc.poll() is not None:
            return f"postgres exited with status {self._proc.returncode}:\n{tail(self.log_path)}"
        return None


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _libpq_quote(value: str) -> str:
    if value and all(c.isalnum() or c in "-_.~" for c in value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
