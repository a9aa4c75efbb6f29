"""No session can write, read local files, reach the network or read secrets (issue 3, "read-only
in depth"). These tests attack the server over the wire; layer-by-layer tests of DuckDB's
sandbox and of the read-only attachment, without the statement guard in front, are in
tests/readonly_layers.rs."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest

from support import lakegate as lg
from support.lakegate import LakegateServer

SQLSTATE = lambda e: getattr(e, "sqlstate", None)  # noqa: E731

WRITES = [
    "INSERT INTO local_authorities (la_code) VALUES ('x')",
    "UPDATE local_authorities SET la_name = 'x'",
    "DELETE FROM local_authorities",
    "CREATE TABLE evil AS SELECT 1",
    "CREATE VIEW evil AS SELECT 1",
    "DROP TABLE local_authorities",
    "ALTER TABLE local_authorities ADD COLUMN x INT",
    "COMMENT ON TABLE local_authorities IS 'defaced'",
    "TRUNCATE local_authorities",
    "COPY local_authorities FROM STDIN",
    "COPY local_authorities TO '/tmp/lakegate-evil.csv'",
    "COPY (SELECT 1) TO '/tmp/lakegate-evil.csv'",
    "EXPORT DATABASE '/tmp/lakegate-evil'",
    "CHECKPOINT",
    "VACUUM",
    "CREATE SECRET evil (TYPE s3, KEY_ID 'a', SECRET 'b')",
    "CREATE MACRO evil(x) AS x",
]

ESCAPES = [
    "ATTACH '/tmp/lakegate-evil.duckdb' AS evil",
    "ATTACH 'ducklake:sqlite:/tmp/evil.sqlite' AS evil",
    "DETACH lake",
    "USE memory",
    "INSTALL httpfs",
    "LOAD httpfs",
    "FORCE INSTALL httpfs",
    "SET GLOBAL TimeZone = 'UTC'",
    "SET threads = 1",
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "RESET lock_configuration",
    "PRAGMA enable_profiling",
    "CALL duckdb_secrets()",
    "SELECT * FROM duckdb_secrets()",
    "SELECT * FROM duckdb_settings()",
    "SELECT * FROM duckdb_databases()",
    "SELECT * FROM duckdb_extensions()",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_blob('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM 'lake/catalog.sqlite'",
    "SELECT * FROM glob('/*')",
    "SELECT * FROM read_parquet('http://127.0.0.1:9/x.parquet')",
    "SELECT * FROM read_json('https://example.org/x.json')",
    "SELECT * FROM query('INSERT INTO local_authorities (la_code) VALUES (1)')",
    "SELECT * FROM query_table('local_authorities')",
    "SELECT * FROM sqlite_scan('lake/catalog.sqlite', 'ducklake_table')",
    "SELECT * FROM ducklake_list_files('lake', 'local_authorities')",
    "SELECT * FROM __ducklake_metadata_lake.ducklake_metadata",
    "SELECT getenv('HOME')",
    "EXPLAIN ANALYZE INSERT INTO local_authorities (la_code) VALUES ('x')",
    "COPY (INSERT INTO local_authorities (la_code) VALUES ('x') RETURNING *) TO STDOUT",
    "/* hidden */ INSERT INTO local_authorities (la_code) VALUES ('x')",
]


def lake_state(lake_dir: Path) -> tuple:
    files = sorted(str(p.relative_to(lake_dir)) for p in lake_dir.rglob("*") if p.is_file() and not p.name.endswith(("-wal", "-shm")))
    return tuple(files)


@pytest.fixture(scope="module")
def private_lake(tmp_path_factory):
    """A lake of this module's own, so its state can be compared before and after."""
    lake = lg.sample_lake(tmp_path_factory.mktemp("readonly"))
    with LakegateServer(lake.config) as server:
        yield lake, server


@pytest.mark.parametrize("sql", WRITES)
def test_writes_are_refused_read_only(private_lake, sql):
    lake, server = private_lake
    before = lake_state(lake.dir / "lake")
    with server.connect(autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as e:
            conn.execute(sql)
        assert SQLSTATE(e.value) in ("25006", "42501"), (sql, SQLSTATE(e.value), str(e.value))
        assert "read-only" in str(e.value) or "not allowed" in str(e.value)
        assert conn.execute("SELECT count(*) FROM local_authorities").fetchone() == (24,)
    assert lake_state(lake.dir / "lake") == before
    assert not Path("/tmp/lakegate-evil.csv").exists() and not Path("/tmp/lakegate-evil").exists()


@pytest.mark.parametrize("sql", ESCAPES)
def test_escapes_are_refused(private_lake, sql):
    lake, server = private_lake
    with server.connect(autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as e:
            conn.execute(sql)
        assert SQLSTATE(e.value) in ("25006", "42501", "42704"), (sql, SQLSTATE(e.value), str(e.value))
        assert "root:" not in str(e.value)
        # The session is intact, and so is the lake for everyone.
        assert conn.execute("SELECT count(*) FROM local_authorities").fetchone() == (24,)
    with server.connect(autocommit=True) as other:
        assert other.execute("SELECT count(*) FROM energy.ghg_emissions").fetchone() == (3024,)


def test_smuggled_second_statement_does_not_run(private_lake):
    lake, server = private_lake
    with server.connect(autocommit=True) as conn:
        with pytest.raises(psycopg.Error):
            conn.execute("SELECT 1; DETACH lake")
    import subprocess

    res = subprocess.run(["psql", server.dsn(), "-c", "SELECT 1; DETACH lake; SELECT 2"],
                         capture_output=True, text=True)
    assert "not allowed" in res.stderr
    with server.connect(autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM local_authorities").fetchone() == (24,)


def test_reads_of_the_lake_itself_still_work(private_lake):
    _, server = private_lake
    with server.connect(autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0] >= 1
        assert conn.execute("DESCRIBE local_authorities").fetchall()
        assert conn.execute("SUMMARIZE local_authorities").fetchall()
        assert conn.execute("SELECT * FROM duckdb_tables() WHERE database_name = 'lake'").fetchall()


def test_s3_lake_secrets_never_reach_a_client_or_the_log(garage, tmp_path):
    bucket = garage.create_bucket()
    env = garage.env()
    d = tmp_path / "s3lake"
    d.mkdir()
    cfg = lg.write_config(
        d,
        lake=lg.lake_sections({"data_path": f"s3://{bucket}/data/"}),
        s3=garage.s3_config(),
        pins={"board": ""},
        publish={"source": "sample.duckdb"},
    )
    lg.run(["sample", str(d / "sample.duckdb")], config=cfg, cwd=d)
    lg.run(["publish"], config=cfg, env=env, cwd=d)
    secret = env["AWS_SECRET_ACCESS_KEY"]
    with LakegateServer(cfg, env=env) as server:
        with server.connect(autocommit=True) as conn:
            assert conn.execute("SELECT count(*) FROM energy.epc_certificates").fetchone() == (20000,)
            for sql in [
                "SELECT * FROM duckdb_secrets()",
                "SELECT current_setting('s3_secret_access_key')",
                f"SELECT * FROM read_parquet('s3://{bucket}/data/nope.parquet')",
                "SELECT * FROM read_parquet('s3://other-bucket/x.parquet')",
                f"COPY (SELECT 1) TO 's3://{bucket}/data/evil.parquet'",
            ]:
                try:
                    rows = conn.execute(sql).fetchall()
                    text = repr(rows)
                except psycopg.Error as e:
                    text = str(e)
                assert secret not in text and env["AWS_ACCESS_KEY_ID"] not in text, sql
        assert secret not in server.stderr_text()
    assert secret not in cfg.read_text()
