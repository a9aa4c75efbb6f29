"""`lakegate serve`: authentication, TLS, connection limits, cancel, timeouts, disconnects, and a
publish landing while the server runs (issue 3). Each test starts its own server on 127.0.0.1
when it needs a special configuration."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import psycopg
import pytest

from support import lakegate as lg
from support.lakegate import LakegateServer

SQLSTATE = lambda e: getattr(e, "sqlstate", None)  # noqa: E731

REPO = Path(__file__).resolve().parents[2]


def serving_config(sample_lake, tmp_path: Path, **server) -> Path:
    """A config serving the shared sample lake, with extra [server] keys."""
    cfg = lg.read_config(sample_lake.config)
    lake = dict(cfg["lake"])
    base = sample_lake.dir
    lake["catalog"] = "sqlite:" + str(base / "lake" / "catalog.sqlite")
    lake["data_path"] = str(base / "lake" / "data") + "/"
    sections = {"lake": lake, "server": server}
    users = server.pop("users", None)
    if users:
        sections["users"] = users
    return lg.write_config(tmp_path, **sections)


def verifier(lakegate_bin, name: str, password: str) -> str:
    out = subprocess.run([str(lakegate_bin), "user", "add", name], input=password + "\n",
                         capture_output=True, text=True, check=True).stdout
    line = [l for l in out.splitlines() if l.startswith(name)][0]
    return line.split("=", 1)[1].strip().strip('"')


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("certs")
    subprocess.run([str(REPO / "certs" / "make-dev-cert"), str(out)], check=True, capture_output=True)
    return out


def test_wrong_database_is_3d000(lakegate_server):
    with pytest.raises(psycopg.OperationalError) as e:
        psycopg.connect(lakegate_server.dsn(dbname="other"), connect_timeout=5)
    assert 'database "other" does not exist' in str(e.value)


def test_scram_users_and_wrong_password(sample_lake, tmp_path, lakegate_bin):
    v = verifier(lakegate_bin, "analyst", "correct horse")
    assert v.startswith("SCRAM-SHA-256$4096:")
    cfg = serving_config(sample_lake, tmp_path, users={"analyst": v})
    with LakegateServer(cfg, password="correct horse") as server:
        with psycopg.connect(server.dsn(), connect_timeout=5) as conn:
            assert conn.execute("SELECT count(*) FROM local_authorities").fetchone() == (24,)
        with pytest.raises(psycopg.OperationalError) as e:
            psycopg.connect(server.dsn(password="wrong"), connect_timeout=5)
        assert "password authentication failed" in str(e.value)
        with pytest.raises(psycopg.OperationalError) as e:
            psycopg.connect(server.dsn(user="nobody", password="correct horse"), connect_timeout=5)
        assert "password authentication failed" in str(e.value)
    # The password itself is nowhere in the config or the log.
    assert "correct horse" not in cfg.read_text()
    assert "correct horse" not in server.stderr_text()


def test_tls_required_and_verify_full(sample_lake, tmp_path, certs, lakegate_bin):
    v = verifier(lakegate_bin, "analyst", "pw")
    cfg = serving_config(
        sample_lake, tmp_path, users={"analyst": v},
        tls_cert=str(certs / "server.crt"), tls_key=str(certs / "server.key"), require_tls=True,
    )
    with LakegateServer(cfg, password="pw") as server:
        for mode in ("require", "verify-full"):
            dsn = server.dsn(sslmode=mode, sslrootcert=str(certs / "ca.crt"), host="localhost")
            with psycopg.connect(dsn, connect_timeout=5) as conn:
                assert conn.pgconn.ssl_in_use
                assert conn.execute("SHOW ssl").fetchone() == ("on",)
        with psycopg.connect(server.dsn(sslmode="require", channel_binding="require"), connect_timeout=5) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        with pytest.raises(psycopg.OperationalError) as e:
            psycopg.connect(server.dsn(sslmode="disable"), connect_timeout=5)
        assert "requires TLS" in str(e.value)
        out = subprocess.run(
            ["psql", server.dsn(sslmode="verify-full", sslrootcert=str(certs / "ca.crt"), host="localhost"),
             "-Atc", "SELECT count(*) FROM local_authorities"],
            capture_output=True, text=True, env={"PGPASSWORD": "pw", "PATH": "/usr/bin:/bin"},
        )
        assert out.returncode == 0 and out.stdout.strip() == "24", out.stderr


def test_non_loopback_without_users_is_refused(sample_lake, tmp_path, lakegate_bin):
    cfg = serving_config(sample_lake, tmp_path, listen="0.0.0.0:5999")
    res = lg.run(["serve"], config=cfg, check=False, timeout=60)
    assert res.returncode != 0
    assert "loopback" in res.stderr


def test_max_connections_is_53300(sample_lake, tmp_path):
    cfg = serving_config(sample_lake, tmp_path, max_connections=2)
    with LakegateServer(cfg) as server:
        a = psycopg.connect(server.dsn(), connect_timeout=5)
        b = psycopg.connect(server.dsn(), connect_timeout=5)
        try:
            with pytest.raises(psycopg.OperationalError) as e:
                psycopg.connect(server.dsn(), connect_timeout=5)
            assert "too many clients" in str(e.value)
        finally:
            a.close()
            b.close()
        # Slots are freed when connections end.
        with psycopg.connect(server.dsn(), connect_timeout=5) as c:
            assert c.execute("SELECT 1").fetchone() == (1,)


def test_idle_session_timeout_closes_with_57p05(sample_lake, tmp_path):
    cfg = serving_config(sample_lake, tmp_path, idle_session_timeout="1s")
    with LakegateServer(cfg) as server:
        conn = psycopg.connect(server.dsn(), connect_timeout=5, autocommit=True)
        conn.execute("SELECT 1")
        # Wait for the server's own report that it closed the session (not a timing guess).
        lg.wait_until(lambda: "closing an idle session" in server.stderr_text(), timeout=60,
                      what="the idle session to be closed")
        with pytest.raises(psycopg.OperationalError) as e:
            conn.execute("SELECT 1")
        assert "idle-session timeout" in str(e.value) or "closed" in str(e.value).lower()
        conn.close()


LONG_QUERY = "SELECT count(*) FROM range(1000000000000) a"


def test_cancel_request_interrupts_duckdb(lakegate_server):
    with lakegate_server.connect(autocommit=True) as conn:
        started = threading.Event()
        result: dict = {}

        def run():
            started.set()
            try:
                conn.execute(LONG_QUERY)
            except psycopg.Error as e:
                result["error"] = e

        t = threading.Thread(target=run)
        t.start()
        started.wait()
        # Keep cancelling until the query reports it was cancelled: no timing assumption about
        # when the query reached DuckDB.
        while t.is_alive():
            conn.cancel_safe(timeout=5)
            t.join(0.2)
        assert SQLSTATE(result["error"]) == "57014"
        assert "user request" in str(result["error"])
        assert conn.execute("SELECT 42").fetchone() == (42,)


def test_statement_timeout_is_57014(lakegate_server):
    with lakegate_server.connect(autocommit=True) as conn:
        conn.execute("SET statement_timeout = 200")
        with pytest.raises(psycopg.Error) as e:
            conn.execute(LONG_QUERY)
        assert SQLSTATE(e.value) == "57014"
        assert "statement timeout" in str(e.value)
        conn.execute("SET statement_timeout = 0")
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_client_disconnect_stops_its_query(sample_lake, tmp_path):
    cfg = serving_config(sample_lake, tmp_path)
    with LakegateServer(cfg) as server:
        # psql streams COPY output as it arrives: once a line is out, the query is running.
        client = subprocess.Popen(
            ["psql", server.dsn(), "-c",
             "COPY (SELECT range AS n, repeat('x', 100) AS pad FROM range(10000000000)) TO STDOUT"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        try:
            assert client.stdout.readline().startswith(b"0\t")
        finally:
            client.kill()  # the socket goes away without a Terminate message
            client.wait()
        lg.wait_until(lambda: "no longer wanted" in server.stderr_text(), timeout=60,
                      what="the server to stop the abandoned query")
        with psycopg.connect(server.dsn(), connect_timeout=5) as other:
            assert other.execute("SELECT 1").fetchone() == (1,)


def test_publish_while_serving_is_visible_to_new_transactions(tmp_path):
    lake = lg.sample_lake(tmp_path / "live")
    with LakegateServer(lake.config) as server:
        with psycopg.connect(server.dsn(), connect_timeout=5) as conn:
            assert conn.execute("SELECT count(*) FROM local_authorities").fetchone() == (24,)
            conn.commit()
            import duckdb

            src = duckdb.connect(str(lake.source))
            src.execute("CREATE TABLE main.new_table AS SELECT 1 AS x")
            src.execute("COMMENT ON TABLE main.new_table IS 'added while serving'")
            src.execute("COMMENT ON COLUMN main.new_table.x IS 'a column'")
            src.execute("DELETE FROM local_authorities WHERE la_code = 'E06000100'")
            src.close()
            # An open transaction of another client must not block the publish (WAL catalogue).
            holder = psycopg.connect(server.dsn(), connect_timeout=5)
            holder.execute("SELECT 1")
            try:
                lg.run(["publish"], config=lake.config, cwd=lake.dir)
            finally:
                holder.close()
            assert conn.execute("SELECT count(*) FROM local_authorities").fetchone() == (23,)
            assert conn.execute("SELECT x FROM new_table").fetchone() == (1,)


def test_memory_limit_is_a_clean_53200(sample_lake, tmp_path):
    cfg_path = serving_config(sample_lake, tmp_path)
    cfg = lg.read_config(cfg_path)
    cfg["lake"]["memory_limit"] = "200MB"
    cfg_path.write_text(lg.to_toml(cfg))
    with LakegateServer(cfg_path) as server:
        with server.connect(autocommit=True) as conn:
            with pytest.raises(psycopg.Error) as e:
                # An aggregate whose state cannot spill: a list of 200M integers (~1.6 GB).
                conn.execute("SELECT length(list(range)) FROM range(200000000)")
            assert SQLSTATE(e.value) == "53200", str(e.value)
            assert conn.execute("SELECT count(*) FROM local_authorities").fetchone() == (24,)
        assert server.running
