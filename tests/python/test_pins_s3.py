"""The pins board on S3 (Garage on 127.0.0.1), read by Python `pins` with ``board_s3``.

The prefix form matters (docs/pins-format.md §1): lakegate's ``[pins] board`` is
``s3://<bucket>/boards/main/`` (R: ``board_s3(bucket, prefix = "boards/main/")``), and Python
takes ``board_s3("<bucket>/boards/main")`` without the trailing slash. Checked here: pin_list,
pin_read equal to the source, pin_meta descriptions and column descriptions, pin_versions after a
change, pin_search, read_board.py's checks, pruning, and a publish killed while it uploads a big
pin (multipart, invisible until complete): every pin stays readable at its previous version, and
the next publish aborts the abandoned upload and catches the board up.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid

import pandas as pd
import pins
import pytest

from support import repo_root
from support.garage import GarageServer
from support.publishing import big_source, columns, comment_of, make_source, new_lake, plain_duckdb, s3_client, s3_lake
from support.publishing import s3_objects as objects

PINS = {
    "boundaries.la_2023": ("boundaries", "la_2023"),
    "deprivation_index": ("main", "deprivation_index"),
    "energy.epc_certificates": ("energy", "epc_certificates"),
    "energy.ghg_emissions": ("energy", "ghg_emissions"),
    "la_deprivation_summary": ("main", "la_deprivation_summary"),
    "local_authorities": ("main", "local_authorities"),
}


def board_s3(garage: GarageServer, bucket: str, prefix: str = "boards/main"):
    return pins.board_s3(
        f"{bucket}/{prefix}",
        cache=None,
        endpoint_url=garage.url,
        key=garage.access_key,
        secret=garage.secret_key,
        client_kwargs={"region_name": "garage"},
    )


@pytest.fixture(scope="module")
def s3_board(tmp_path_factory: pytest.TempPathFactory, garage: GarageServer, lakegate_bin, extension_root):
    bucket = garage.create_bucket()
    lake = s3_lake(tmp_path_factory.mktemp("pins_s3"), garage, bucket, sample=True)
    lake.publish("--message", "first")
    first = {p: list(board_s3(garage, bucket).pin_versions(p)["version"]) for p in PINS}
    make_source(lake.source, "UPDATE energy.epc_certificates SET current_rating = 'A' WHERE current_efficiency > 95")
    lake.publish("--message", "second")
    return lake, bucket, first


def test_read_board_checks_pass_on_s3(s3_board, garage: GarageServer) -> None:
    lake, bucket, _ = s3_board
    env = {**os.environ, **garage.env()}
    res = subprocess.run(
        [sys.executable, str(repo_root() / "tests" / "pins_golden" / "read_board.py"), f"s3://{bucket}/boards/main", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    report = json.loads(res.stdout)
    assert res.returncode == 0 and report["ok"], json.dumps(report, indent=1)[:4000] + res.stderr
    assert report["pin_list"] == sorted(PINS)


def test_pin_list_read_and_meta_on_s3(s3_board, garage: GarageServer) -> None:
    lake, bucket, _ = s3_board
    board = board_s3(garage, bucket)
    assert sorted(board.pin_list()) == sorted(PINS)
    con = plain_duckdb("spatial")
    con.execute(f"ATTACH '{lake.source}' AS s (READ_ONLY)")
    for pin, (schema, table) in PINS.items():
        got = board.pin_read(pin)
        want = con.execute(f'SELECT * FROM s."{schema}"."{table}"').arrow().read_all().to_pandas()
        for df in (got, want):
            for c in df.columns:
                df[c] = df[c].map(lambda v: str(v) if isinstance(v, uuid.UUID) else v)
        key = list(got.columns[:2])
        pd.testing.assert_frame_equal(
            got.sort_values(key).reset_index(drop=True), want.sort_values(key).reset_index(drop=True), check_dtype=False
        )
        meta = board.pin_meta(pin)
        assert meta.title == pin
        assert meta.description == comment_of(con, "s", schema, table)
        assert list(meta.user["columns"].items()) == [(n, c) for n, _, c in columns(con, "s", schema, table)]
    assert board.pin_meta("la_deprivation_summary").user["columns"]["lsoa_count"] == "Number of LSOAs in the authority."
    assert board.pin_meta("boundaries.la_2023").user["column_types"]["geom"] == "GEOMETRY('EPSG:27700')"


def test_pin_versions_and_search_on_s3(s3_board, garage: GarageServer) -> None:
    lake, bucket, first = s3_board
    board = board_s3(garage, bucket)
    for pin in PINS:
        versions = list(board.pin_versions(pin)["version"])
        if pin == "energy.epc_certificates":
            assert len(versions) == 2 and versions[0] == first[pin][0] < versions[1]
        else:
            assert versions == first[pin], pin
    assert sorted(board.pin_search("deprivation")["name"]) == ["deprivation_index", "la_deprivation_summary"]
    old = list(board.pin_versions("energy.epc_certificates")["version"])[0]
    assert (board.pin_read("energy.epc_certificates", version=old)["current_rating"] == "A").sum() < (
        board.pin_read("energy.epc_certificates")["current_rating"] == "A"
    ).sum()


def test_board_keys_are_the_pins_layout_only(s3_board, garage: GarageServer) -> None:
    lake, bucket, _ = s3_board
    keys = objects(garage, bucket, "boards/main/")
    assert not [k for k in keys if k.endswith("/")]
    board = board_s3(garage, bucket)
    expected = {"boards/main/_pins.yaml"}
    for pin in PINS:
        for v in board.pin_versions(pin)["version"]:
            expected |= {f"boards/main/{pin}/{v}/data.txt", f"boards/main/{pin}/{v}/{pin}.parquet"}
    assert set(keys) == expected
    uploads = s3_client(garage).list_multipart_uploads(Bucket=bucket).get("Uploads", [])
    assert uploads == []


def test_pruning_on_s3(tmp_path, garage: GarageServer, lakegate_bin, extension_root) -> None:
    bucket = garage.create_bucket()
    lake = s3_lake(tmp_path, garage, bucket, source_sql=["CREATE TABLE t AS SELECT 0 AS n"])
    lake.config.write_text(lake.config.read_text().replace(f'board = "s3://{bucket}/boards/main/"', f'board = "s3://{bucket}/boards/main/"\nkeep_versions = 2'))
    for i in range(3):
        make_source(lake.source, f"UPDATE t SET n = {i}")
        lake.publish()
    board = board_s3(garage, bucket)
    versions = list(board.pin_versions("t")["version"])
    assert len(versions) == 2
    assert board.pin_read("t")["n"].tolist() == [2]
    keys = objects(garage, bucket, "boards/main/t/")
    assert {k.split("/")[3] for k in keys} == set(versions)


def test_publish_killed_while_uploading_a_big_pin(tmp_path, tmp_path_factory, garage: GarageServer, lakegate_bin, extension_root) -> None:
    """The pin's parquet goes up as a multipart upload, invisible until complete; data.txt only
    after it. Killed mid-upload, nothing of the new version is visible."""
    import shutil

    src = tmp_path / "src.duckdb"
    shutil.copy(big_source(tmp_path_factory.getbasetemp(), rows=3_000_000), src)
    bucket = garage.create_bucket()
    # The lake in a folder (fast), the board on Garage.
    lake = new_lake(tmp_path, source=src, pins=f"s3://{bucket}/boards/main/", s3=garage.s3_config(), env=garage.env())
    lake.publish()
    board = board_s3(garage, bucket)
    before = {p: list(board.pin_versions(p)["version"]) for p in ("big", "small")}
    keys_before = objects(garage, bucket)
    make_source(src, ["UPDATE big SET r = -r WHERE id % 1000 = 0", "UPDATE small SET x = 7"])

    run = lake.start_publish()
    try:
        run.wait_for_line(lambda l: l.startswith("uploading pin big"), timeout=900, what="'uploading pin big'")
        # Wait until the multipart upload exists (an observable event on the server), then kill.
        client = s3_client(garage)
        from support import wait_until

        wait_until(
            lambda: client.list_multipart_uploads(Bucket=bucket).get("Uploads"),
            timeout=300,
            what="the multipart upload of the big pin to start",
            interval=0.05,
            abort=lambda: f"publish exited with {run.proc.poll()}" if run.proc.poll() is not None else None,
        )
        run.signal(signal.SIGKILL)
        assert run.wait(timeout=120) == -signal.SIGKILL
    finally:
        run.kill_group()

    assert objects(garage, bucket) == keys_before, "no key of the new version may be visible"
    board = board_s3(garage, bucket)
    assert {p: list(board.pin_versions(p)["version"]) for p in ("big", "small")} == before
    assert board.pin_read("small")["x"].tolist() == [1]
    assert len(board.pin_search("big")) == 1
    assert client.list_multipart_uploads(Bucket=bucket).get("Uploads"), "the killed upload is pending"

    out = lake.publish(env={"LAKEGATE_ORPHAN_GRACE": "0s"})
    assert "Nothing to publish" in out.stdout  # the lake had committed; only the pins were behind
    board = board_s3(garage, bucket)
    assert {p: len(board.pin_versions(p)) for p in ("big", "small")} == {"big": 2, "small": 2}
    assert board.pin_read("small")["x"].tolist() == [7]
    assert client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    assert board.pin_meta("big").user["row_count"] == 3_000_000
