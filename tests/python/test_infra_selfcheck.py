"""Self-checks of the test infrastructure itself, none of which needs the lakegate binary:

- Garage: a single node starts on loopback, DuckDB's httpfs (pip duckdb 1.5.5 with the extension
  from the installed extension directory) writes and reads parquet in a bucket, the AWS variables
  of ``GarageServer.env()`` work for an AWS SDK (boto3), a read-only key can read but not write,
  and a stopped server leaves no process, port or directory behind;
- PostgreSQL: a server starts on 127.0.0.1 as the unprivileged OS user with the requested settings,
  trust and SCRAM authentication behave, and stopping cleans up;
- the DuckDB extensions scripts/install-extensions installs are all present and load;
- support.lakegate: the TOML writer round-trips through tomllib, ``run`` reports failures with
  both outputs, and ``LakegateServer`` waits for, talks to and stops a stand-in binary that
  speaks just enough of the PostgreSQL protocol (including one that ignores SIGTERM, and one that
  fails at start-up).
"""

from __future__ import annotations

import os
import socket
import sys
import textwrap
import uuid
from pathlib import Path

import duckdb
import psycopg
import pytest

import support
from support import lakegate as lg
from support.garage import GarageServer
from support.postgres import PostgresServer

# ---------------------------------------------------------------------------------------------
# helpers


def duck(extension_root: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with httpfs loaded from the installed extension directory only."""
    con = duckdb.connect()
    con.execute(f"SET extension_directory = '{extension_root}'")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("LOAD httpfs")
    return con


def pid_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# ---------------------------------------------------------------------------------------------
# DuckDB extensions


def test_installed_extensions_are_all_present_and_httpfs_loads(extension_root: Path) -> None:
    files = {p.name for p in (extension_root / f"v{support.DUCKDB_VERSION}" / support.duckdb_platform()).iterdir()}
    assert {f"{n}.duckdb_extension" for n in support.EXTENSION_FILES} <= files
    con = duck(extension_root)
    loaded = dict(con.execute("SELECT extension_name, loaded FROM duckdb_extensions()").fetchall())
    assert loaded["httpfs"] is True
    assert con.execute("PRAGMA version").fetchone()[0] == f"v{support.DUCKDB_VERSION}"


# ---------------------------------------------------------------------------------------------
# Garage


def test_garage_is_a_healthy_single_node_on_loopback(garage: GarageServer) -> None:
    host, port = garage.endpoint.split(":")
    assert host == "127.0.0.1" and int(port) > 0
    status = garage.garage("status")
    assert garage.node_id[:16] in status
    assert "NO ROLE ASSIGNED" not in status  # the layout was applied
    assert garage.garage("layout", "show").count("dc1") >= 1
    env = garage.env()
    assert env["AWS_REGION"] == "garage"
    assert env["AWS_ENDPOINT_URL"] == f"http://{garage.endpoint}"
    assert env["AWS_ACCESS_KEY_ID"].startswith("GK") and len(env["AWS_SECRET_ACCESS_KEY"]) == 64


def test_garage_bucket_is_writable_and_readable_through_duckdb_httpfs(
    garage: GarageServer, extension_root: Path
) -> None:
    bucket = garage.create_bucket(f"rw-{uuid.uuid4().hex[:8]}")
    con = duck(extension_root)
    con.execute(garage.duckdb_secret_sql())
    con.execute(f"COPY (SELECT 1 AS x, 'a' AS y UNION ALL SELECT 2, 'b') TO 's3://{bucket}/dir/x.parquet'")
    assert con.execute(f"SELECT x, y FROM 's3://{bucket}/dir/x.parquet' ORDER BY x").fetchall() == [(1, "a"), (2, "b")]
    assert con.execute(f"SELECT file FROM glob('s3://{bucket}/**')").fetchall() == [(f"s3://{bucket}/dir/x.parquet",)]


def test_garage_env_works_for_an_aws_sdk(
    garage: GarageServer, extension_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """lakegate takes S3 credentials and the endpoint from the AWS chain: check the variables with
    another AWS SDK, on an object DuckDB wrote."""
    import boto3

    bucket = garage.create_bucket()
    duck(extension_root).execute(garage.duckdb_secret_sql()).execute(
        f"COPY (SELECT 42 AS answer) TO 's3://{bucket}/answer.parquet'"
    )
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(k, raising=False)
    for k, v in garage.env().items():
        monkeypatch.setenv(k, v)
    s3 = boto3.client("s3")
    listed = s3.list_objects_v2(Bucket=bucket)
    assert [o["Key"] for o in listed["Contents"]] == ["answer.parquet"]
    body = s3.get_object(Bucket=bucket, Key="answer.parquet")["Body"].read()
    assert body[:4] == b"PAR1"


def test_garage_read_only_key_reads_but_cannot_write(garage: GarageServer, extension_root: Path) -> None:
    bucket = garage.create_bucket()
    rw = duck(extension_root)
    rw.execute(garage.duckdb_secret_sql())
    rw.execute(f"COPY (SELECT 7 AS x) TO 's3://{bucket}/seed.parquet'")

    ro_key = garage.read_only_key(bucket)
    assert ro_key.access_key != garage.access_key
    ro = duck(extension_root)
    ro.execute(garage.duckdb_secret_sql(ro_key))
    assert ro.execute(f"SELECT x FROM 's3://{bucket}/seed.parquet'").fetchall() == [(7,)]
    with pytest.raises(duckdb.Error, match=r"(?i)403|forbidden|access ?denied"):
        ro.execute(f"COPY (SELECT 1 AS x) TO 's3://{bucket}/forbidden.parquet'")
    # Nothing was written, as the read-write key sees.
    assert rw.execute(f"SELECT file FROM glob('s3://{bucket}/*')").fetchall() == [(f"s3://{bucket}/seed.parquet",)]
    # And a key with no grant on the bucket cannot even read it.
    stranger = garage.create_key()
    other = duck(extension_root)
    other.execute(garage.duckdb_secret_sql(stranger))
    with pytest.raises(duckdb.Error, match=r"(?i)403|forbidden|access ?denied"):
        other.execute(f"SELECT * FROM 's3://{bucket}/seed.parquet'")


def test_garage_server_stop_leaves_nothing_behind() -> None:
    with GarageServer() as g:
        pid, workdir, port = g._proc.pid, g.workdir, g.s3_port
        assert pid_alive(pid) and workdir.is_dir() and support.port_open(port)
        g.create_bucket("scratch")
    assert not pid_alive(pid)
    assert not workdir.exists()
    assert not support.port_open(port)
    g.stop()  # a second stop is harmless


# ---------------------------------------------------------------------------------------------
# PostgreSQL


def test_postgres_answers_on_loopback_with_settings(postgres_factory) -> None:
    pg: PostgresServer = postgres_factory(settings={"log_statement": "all", "application_name": "selfcheck"})
    assert pg.psql("SHOW server_version_num").strip().startswith("15")
    assert pg.psql("SHOW listen_addresses").strip() == "127.0.0.1"
    assert pg.psql("SHOW log_statement").strip() == "all"
    pg.create_database("lake")
    with pg.connect("lake") as conn:
        assert conn.execute("SELECT current_database(), 40 + 2").fetchone() == ("lake", 42)
    assert "SELECT current_database(), 40 + 2" in pg.log_text()  # log_statement = all reached the log
    with pytest.raises(RuntimeError, match="does_not_exist"):
        pg.psql("SELECT * FROM does_not_exist")


def test_postgres_runs_as_the_unprivileged_os_user(postgres_factory) -> None:
    pg: PostgresServer = postgres_factory()
    uid = next(
        int(line.split()[1]) for line in Path(f"/proc/{pg._proc.pid}/status").read_text().splitlines()
        if line.startswith("Uid:")
    )
    if os.geteuid() == 0:
        import pwd

        assert pg.os_user == (os.environ.get("LAKEGATE_PG_USER") or "lakegate-pg")
        assert uid == pwd.getpwnam(pg.os_user).pw_uid != 0
    else:
        assert uid == os.geteuid()
    assert Path(pg.psql("SHOW data_directory").strip()) == pg.data_dir


def test_postgres_scram_auth_requires_the_password(postgres_factory) -> None:
    pg: PostgresServer = postgres_factory(auth="scram-sha-256", password="s3cret 'quoted'")
    assert pg.psql("SHOW password_encryption").strip() == "scram-sha-256"
    with pg.connect() as conn:  # dsn() carries the superuser's password
        assert conn.execute("SELECT 1").fetchone() == (1,)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(pg.dsn(password="wrong"), connect_timeout=5)
    pg.create_role("analyst", password="pw")
    with pg.connect(user="analyst", password="pw") as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("analyst",)


def test_postgres_trust_auth_needs_no_password(postgres_factory) -> None:
    pg: PostgresServer = postgres_factory()
    with psycopg.connect(f"host=127.0.0.1 port={pg.port} user=postgres dbname=postgres", connect_timeout=5) as c:
        assert c.execute("SELECT 1").fetchone() == (1,)


def test_postgres_stop_leaves_nothing_behind() -> None:
    with PostgresServer() as pg:
        pid, workdir, port = pg._proc.pid, pg.workdir, pg.port
        assert pid_alive(pid) and support.port_open(port)
    assert not pid_alive(pid)
    assert not workdir.exists()
    assert not support.port_open(port)


# ---------------------------------------------------------------------------------------------
# support.lakegate without the real binary

STUB = textwrap.dedent(
    '''\
    #!{python}
    """A stand-in for `lakegate`: `serve` speaks just enough PostgreSQL wire protocol to accept a
    connection; STUB_MODE=fail exits at start-up, STUB_MODE=stubborn ignores SIGTERM and starts a
    grandchild, STUB_MODE=refuse answers every startup with a password error; any other command
    echoes and exits 3."""
    import os, signal, socket, struct, subprocess, sys, tomllib

    args = sys.argv[1:]
    config = None
    if args[:1] == ["--config"]:
        config, args = args[1], args[2:]
    if args[:1] != ["serve"]:
        print("stub stdout", args)
        print("stub stderr LAKEGATE_LOG=%s LAKEGATE_CONFIG=%s" % (
            os.environ.get("LAKEGATE_LOG"), os.environ.get("LAKEGATE_CONFIG")), file=sys.stderr)
        sys.exit(3)
    mode = os.environ.get("STUB_MODE", "serve")
    if mode == "fail":
        print("error: invalid config file: stub refuses to start", file=sys.stderr)
        sys.exit(2)
    if mode == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        child = subprocess.Popen(["sleep", "300"])
        print("grandchild", child.pid, file=sys.stderr, flush=True)
    with open(config, "rb") as f:
        host, port = tomllib.load(f)["server"]["listen"].rsplit(":", 1)
    srv = socket.create_server((host, int(port)))
    print("stub listening on %s:%s" % (host, port), file=sys.stderr, flush=True)

    def recv(c, n):
        buf = b""
        while len(buf) < n:
            chunk = c.recv(n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return buf

    def msg(kind, payload):
        return kind + struct.pack("!I", len(payload) + 4) + payload

    while True:
        c, _ = srv.accept()
        with c:
            try:
                while True:
                    body = recv(c, struct.unpack("!I", recv(c, 4))[0] - 4)
                    if struct.unpack("!I", body[:4])[0] in (80877103, 80877104):  # SSL/GSS request
                        c.sendall(b"N")
                        continue
                    break
                fields = body[4:].split(b"\\0")
                params = dict(zip(fields[0::2], fields[1::2]))
                print("startup user=%s database=%s" % (params.get(b"user", b"").decode(),
                      params.get(b"database", b"").decode()), file=sys.stderr, flush=True)
                if mode == "refuse":
                    c.sendall(msg(b"E", b"SFATAL\\0VFATAL\\0C28P01\\0M"
                                  b"password authentication failed for user\\0\\0"))
                    continue
                out = msg(b"R", struct.pack("!I", 0))
                for k, v in (("server_version", "15.0-stub"), ("server_encoding", "UTF8"),
                             ("client_encoding", "UTF8"), ("DateStyle", "ISO, MDY"),
                             ("integer_datetimes", "on"), ("standard_conforming_strings", "on")):
                    out += msg(b"S", k.encode() + b"\\0" + v.encode() + b"\\0")
                out += msg(b"K", struct.pack("!II", os.getpid(), 1)) + msg(b"Z", b"I")
                c.sendall(out)
                while recv(c, 1) != b"X":
                    recv(c, struct.unpack("!I", recv(c, 4))[0] - 4)
            except (EOFError, ConnectionError):
                pass
    '''
)


@pytest.fixture
def stub_bin(tmp_path: Path) -> Path:
    path = tmp_path / "bin" / "lakegate"
    path.parent.mkdir()
    path.write_text(STUB.format(python=sys.executable))
    path.chmod(0o755)
    return path


def test_write_config_round_trips_through_tomllib(tmp_path: Path) -> None:
    sections = {
        "lake": {"catalog": "postgres:host=127.0.0.1 port=5 dbname='x y'", "data_path": "s3://b/p/", "threads": 2,
                 "memory_limit": "1GB", "extension_directory": tmp_path / "ext", "skipped": None},
        "s3": {"region": "garage", "endpoint": "127.0.0.1:3900", "url_style": "path", "use_ssl": False},
        "pins": {"board": "pins/", "keep_versions": 3},
        "server": {"listen": "127.0.0.1:0", "idle_session_timeout": "1h", "require_tls": True},
        "publish": {"include": ["a", "boundaries.la_2023"], "exclude": [], "author": 'Ann "Q" \\ \u00e9\n'},
        "users": {"analyst": "SCRAM-SHA-256$4096:abc$def:ghi", "odd name": "x"},
    }
    path = lg.write_config(tmp_path, **sections)
    assert path == tmp_path / "lakegate.toml"
    loaded = lg.read_config(path)
    expected = {k: {kk: (os.fspath(vv) if isinstance(vv, Path) else vv) for kk, vv in v.items() if vv is not None}
                for k, v in sections.items()}
    assert loaded == expected
    assert list(loaded) == ["lake", "s3", "pins", "server", "publish", "users"]


def test_lakegate_bin_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LAKEGATE_BIN", str(tmp_path / "nope"))
    with pytest.raises(support.DependencyMissing, match="cargo build --release"):
        lg.lakegate_bin()
    monkeypatch.delenv("LAKEGATE_BIN")
    monkeypatch.setenv("CARGO_TARGET_DIR", str(tmp_path / "target"))
    with pytest.raises(support.DependencyMissing, match=str(tmp_path / "target" / "release" / "lakegate")):
        lg.lakegate_bin()


def test_run_reports_failure_with_both_outputs(stub_bin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAKEGATE_CONFIG", "/should/not/leak.toml")
    monkeypatch.delenv("LAKEGATE_LOG", raising=False)
    config = lg.write_config(tmp_path, lake={"catalog": "sqlite:c.sqlite"})
    with pytest.raises(lg.LakegateError) as err:
        lg.run(["catalogue", "list"], config=config, binary=stub_bin)
    e = err.value
    assert e.returncode == 3
    assert e.cmd == [str(stub_bin), "--config", str(config), "catalogue", "list"]
    assert "stub stdout ['catalogue', 'list']" in e.stdout
    assert "LAKEGATE_LOG=info LAKEGATE_CONFIG=None" in e.stderr
    res = lg.run(["x"], binary=stub_bin, check=False, env={"LAKEGATE_LOG": "debug"})
    assert res.returncode == 3 and "LAKEGATE_LOG=debug" in res.stderr


def test_lakegate_server_waits_serves_and_stops(stub_bin: Path, tmp_path: Path) -> None:
    config = lg.write_config(tmp_path, lake={"catalog": "sqlite:lake/catalog.sqlite"},
                             server={"listen": "127.0.0.1:5433", "database": "lake"})
    with lg.LakegateServer(config, binary=stub_bin) as srv:
        serving = srv.config_path
        assert serving.parent == config.parent and serving != config
        assert lg.read_config(serving)["server"] == {"listen": f"127.0.0.1:{srv.port}", "database": "lake"}
        assert lg.read_config(config)["server"]["listen"] == "127.0.0.1:5433"  # the original is untouched
        assert srv.dsn() == f"host=127.0.0.1 port={srv.port} user=analyst dbname=lake"
        with srv.connect() as conn:
            assert conn.info.parameter_status("server_version") == "15.0-stub"
        with psycopg.connect(srv.dsn(user="someone", dbname="lake", application_name="x y"), connect_timeout=5):
            pass
        pid = srv._proc.pid
        assert "stub listening on 127.0.0.1:%d" % srv.port in srv.stderr_text()
    assert "startup user=someone database=lake" in srv.stderr_text()
    assert not pid_alive(pid)
    assert not serving.exists()
    assert not support.port_open(srv.port)


def test_lakegate_server_start_failure_shows_stderr(stub_bin: Path, tmp_path: Path) -> None:
    config = lg.write_config(tmp_path)
    srv = lg.LakegateServer(config, env={"STUB_MODE": "fail"}, binary=stub_bin, startup_timeout=30)
    with pytest.raises(RuntimeError, match="stub refuses to start") as err:
        srv.start()
    assert "exited with status 2" in str(err.value)
    assert not srv.running
    assert not srv.config_path.exists()
    assert srv._logdir is None  # its temp dir is gone, its output kept:
    assert "stub refuses to start" in srv.stderr_text()
    srv.stop()


def test_lakegate_server_counts_an_auth_refusal_as_up(stub_bin: Path, tmp_path: Path) -> None:
    config = lg.write_config(tmp_path, users={"analyst": "SCRAM-SHA-256$4096:x$y:z"})
    with lg.LakegateServer(config, env={"STUB_MODE": "refuse"}, binary=stub_bin) as srv:
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            srv.connect()
        assert srv.running


def test_lakegate_server_kills_a_process_that_ignores_sigterm(stub_bin: Path, tmp_path: Path) -> None:
    config = lg.write_config(tmp_path)
    srv = lg.LakegateServer(config, env={"STUB_MODE": "stubborn"}, binary=stub_bin, stop_timeout=1)
    with srv:
        pid = srv._proc.pid
        grandchild = int(srv.stderr_text().split("grandchild ", 1)[1].split()[0])
        assert pid_alive(grandchild)
    assert not pid_alive(pid)
    assert not pid_alive(grandchild)  # the whole process group went


def test_free_ports_are_distinct_and_bindable() -> None:
    ports = support.free_ports(5)
    assert len(set(ports)) == 5
    for p in ports:
        with socket.create_server(("127.0.0.1", p)):
            pass
