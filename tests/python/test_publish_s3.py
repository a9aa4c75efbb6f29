"""Publishing to S3: a real Garage server on 127.0.0.1, the lake's data under
``s3://<bucket>/lake/`` and the pins board under ``s3://<bucket>/boards/main/``.

Credentials reach lakegate only through the AWS variables (the config file has none). A plain
DuckDB with httpfs (not lakegate code) then reads the lake — with the read-write key and with a
read-only one — and finds the tables, views, comments and rows of the source; the bucket holds
nothing but the lake's parquet files and the pins layout; a re-publish with nothing changed writes
no object; a changed table writes only its own.
"""

from __future__ import annotations

import pytest

from support.garage import GarageServer
from support.publishing import columns, comment_of, except_count, make_source, s3_lake
from support.publishing import s3_objects as objects

DATAPACKAGE = "boards/datapackage.json"

SAMPLE = {
    ("boundaries", "la_2023"),
    ("energy", "epc_certificates"),
    ("energy", "ghg_emissions"),
    ("main", "deprivation_index"),
    ("main", "local_authorities"),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, garage: GarageServer, lakegate_bin, extension_root):
    bucket = garage.create_bucket()
    lake = s3_lake(tmp_path_factory.mktemp("s3"), garage, bucket, sample=True)
    out = lake.publish("--message", "to garage")
    return lake, bucket, out


def test_config_has_no_credentials_and_output_shows_none(published, garage: GarageServer) -> None:
    lake, _, out = published
    text = lake.config.read_text()
    assert garage.access_key not in text and garage.secret_key not in text
    assert garage.secret_key not in out.stdout + out.stderr
    assert "Published snapshot 1" in out.stdout


def test_plain_duckdb_reads_the_lake_over_httpfs(published, garage: GarageServer) -> None:
    lake, bucket, _ = published
    con = lake.attach()
    con.execute(f"ATTACH '{lake.source}' AS s (READ_ONLY)")
    tables = set(con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'l' AND schema_name <> '_lakegate'").fetchall())
    assert tables == SAMPLE
    for schema, table in SAMPLE | {("main", "la_deprivation_summary")}:
        q = f'"{schema}"."{table}"'
        geo = "boundaries" == schema
        if geo:
            assert except_count(con, f"(SELECT la_code, ST_AsHEXWKB(geom) FROM s.{q})", f"(SELECT la_code, ST_AsHEXWKB(geom) FROM l.{q})") == (0, 0)
        else:
            assert except_count(con, f"s.{q}", f"l.{q}") == (0, 0), q
        assert comment_of(con, "l", schema, table) == comment_of(con, "s", schema, table)
        if table != "la_deprivation_summary":
            assert [c[2] for c in columns(con, "l", schema, table)] == [c[2] for c in columns(con, "s", schema, table)]
    files = {r[0] for r in con.execute("SELECT data_file FROM ducklake_list_files('l', 'epc_certificates', schema => 'energy')").fetchall()}
    assert files and all(f.startswith(f"s3://{bucket}/lake/energy/epc_certificates/") for f in files), files


def test_read_only_key_can_read_but_not_write(published, garage: GarageServer) -> None:
    lake, bucket, _ = published
    ro = garage.read_only_key(bucket)
    con = lake.attach()
    con.execute(garage.duckdb_secret_sql(ro, name="lakegate_readonly"))
    con.execute("DROP SECRET garage")
    assert con.execute("SELECT count(*) FROM l.main.deprivation_index").fetchone()[0] == 3000
    with pytest.raises(Exception):
        con.execute(f"COPY (SELECT 1) TO 's3://{bucket}/lake/intruder.parquet'")
    assert f"lake/intruder.parquet" not in objects(garage, bucket)


def test_bucket_holds_only_the_lake_and_the_board(published, garage: GarageServer) -> None:
    lake, bucket, _ = published
    keys = objects(garage, bucket)
    assert not [k for k in keys if k.endswith("/")], "no directory-marker objects"
    lake_keys = {k for k in keys if k.startswith("lake/")}
    board_keys = {k for k in keys if k.startswith("boards/main/")}
    # Beside the board (never in it): the catalogue's Data Package (src/catalogue/datapackage.rs).
    assert lake_keys | board_keys | {DATAPACKAGE} == set(keys)
    referenced = {f"lake/{p}" for p in lake.referenced_files()}
    assert lake_keys == referenced
    tables = {tuple(k.split("/")[1:3]) for k in lake_keys}
    assert tables == SAMPLE | {("_lakegate", "published")}
    assert len(lake_keys) == 6
    pins = {k.split("/")[2] for k in board_keys if not k.endswith("_pins.yaml")}
    assert pins == {"boundaries.la_2023", "deprivation_index", "energy.epc_certificates", "energy.ghg_emissions", "la_deprivation_summary", "local_authorities"}
    for k in board_keys - {"boards/main/_pins.yaml"}:
        _, _, pin, version, name = k.split("/")
        assert name in ("data.txt", f"{pin}.parquet"), k


def test_republish_unchanged_writes_no_object(published, garage: GarageServer) -> None:
    """No lake or pins object. (The Data Package beside the board is the catalogue's; it is
    rewritten on every publish, with a new `created` time.)"""
    lake, bucket, _ = published
    before = objects(garage, bucket)
    snaps = lake.snapshots()
    out = lake.publish()
    assert "Nothing to publish" in out.stdout
    after = objects(garage, bucket)
    before.pop(DATAPACKAGE, None)
    after.pop(DATAPACKAGE, None)
    assert after == before
    assert lake.snapshots() == snaps


def test_changed_table_writes_only_its_objects(tmp_path, garage: GarageServer, lakegate_bin, extension_root) -> None:
    bucket = garage.create_bucket()
    lake = s3_lake(tmp_path, garage, bucket, sample=True)
    lake.publish()
    before = objects(garage, bucket, "lake/")
    make_source(lake.source, "UPDATE energy.ghg_emissions SET emissions_kt_co2e = 0 WHERE sector = 'Waste'")
    lake.publish("--message", "waste")
    after = objects(garage, bucket, "lake/")
    assert set(before) <= set(after) and all(after[k] == before[k] for k in before)
    new = set(after) - set(before)
    assert new and all(k.startswith("lake/energy/ghg_emissions/") for k in new), new
    con = lake.attach()
    assert con.execute("SELECT sum(emissions_kt_co2e) FROM l.energy.ghg_emissions WHERE sector = 'Waste'").fetchone()[0] == 0
    assert lake.snapshots()[-1][1:] == ("lakegate-tests", "waste")


def test_no_credentials_is_a_clear_error(tmp_path, garage: GarageServer, lakegate_bin, extension_root) -> None:
    bucket = garage.create_bucket()
    lake = s3_lake(tmp_path, garage, bucket, source_sql=["CREATE TABLE t AS SELECT 1 AS a"])
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "AWS_ACCESS_KEY_ID": "",
        "AWS_SECRET_ACCESS_KEY": "",
        "AWS_EC2_METADATA_DISABLED": "true",
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "none"),
    }
    import os

    full = {k: v for k, v in {**os.environ, **garage.env(), **env}.items() if v != ""}
    full.pop("AWS_ACCESS_KEY_ID", None)
    full.pop("AWS_SECRET_ACCESS_KEY", None)
    import subprocess

    from support import lakegate as lg

    res = subprocess.run(
        [str(lg.lakegate_bin()), "--config", str(lake.config), "publish"],
        cwd=lake.dir,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode != 0
    assert "no AWS credentials found" in res.stderr, res.stderr
    assert objects(garage, bucket) == {}
    assert not (tmp_path / "lake").exists()


def test_wrong_credentials_leave_nothing(tmp_path, garage: GarageServer, lakegate_bin, extension_root) -> None:
    bucket = garage.create_bucket()
    lake = s3_lake(tmp_path, garage, bucket, source_sql=["CREATE TABLE t AS SELECT 1 AS a"])
    res = lake.publish(check=False, env={"AWS_SECRET_ACCESS_KEY": "0" * 64})
    assert res.returncode != 0
    assert f"s3://{bucket}/lake/" in res.stderr, res.stderr
    assert objects(garage, bucket) == {}
    assert not (tmp_path / "lake").exists()
