"""The pins board a publish writes, read by Python `pins` (PyPI) as an analyst would, offline.

The bundled sample is published twice into a lake with a folder board, with one table changed in
between. Python pins must then list every table and the view, read each one equal to the source,
show its description and column descriptions (a view's too), list exactly one new version for the
changed table only, and find pins with pin_search; tests/pins_golden/read_board.py's checks
(pin_search over the whole board, version names, pin_hash = xxh64 of the file, created = version
prefix) must pass. Also: pruning to keep_versions, the manifest, the parquet file documenting itself,
GeoParquet with the coordinate system, and column types R's reader cannot take stored flat.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pandas as pd
import pins
import pytest
import xxhash
import yaml

from support import repo_root
from support.publishing import Lake, columns, comment_of, make_source, new_lake, plain_duckdb

PINS = {
    "boundaries.la_2023": ("boundaries", "la_2023"),
    "deprivation_index": ("main", "deprivation_index"),
    "energy.epc_certificates": ("energy", "epc_certificates"),
    "energy.ghg_emissions": ("energy", "ghg_emissions"),
    "la_deprivation_summary": ("main", "la_deprivation_summary"),
    "local_authorities": ("main", "local_authorities"),
}


#: The table changed between the two publishes, and the view computed from it.
CHANGED = {"deprivation_index", "la_deprivation_summary"}


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory, lakegate_bin, extension_root) -> Lake:
    lake = new_lake(tmp_path_factory.mktemp("pins_folder"), sample=True)
    lake.publish("--message", "first")
    lake.first_versions = {p: list(pins.board_folder(str(lake.pins)).pin_versions(p)["version"]) for p in PINS}  # type: ignore[attr-defined]
    make_source(lake.source, "UPDATE deprivation_index SET imd_score = imd_score + 0.5 WHERE imd_decile = 1")
    lake.publish("--message", "second")
    return lake


@pytest.fixture
def board(lake: Lake):
    return pins.board_folder(str(lake.pins))


def source_con(lake: Lake):
    con = plain_duckdb("spatial")
    con.execute(f"ATTACH '{lake.source}' AS s (READ_ONLY)")
    return con


def read_board(board: str, env=None) -> dict:
    res = subprocess.run(
        [sys.executable, str(repo_root() / "tests" / "pins_golden" / "read_board.py"), board, "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    report = json.loads(res.stdout)
    assert res.returncode == 0 and report["ok"], json.dumps(report, indent=1)[:5000] + res.stderr
    return report


def test_read_board_checks_pass(lake: Lake) -> None:
    report = read_board(str(lake.pins))
    assert report["pin_list"] == sorted(PINS)
    assert report["pin_search"] == sorted(PINS)
    for p in report["pins"]:
        assert p["pin_hash_actual"] == p["pin_hash"]
        assert p["type"] == "parquet" and p["api_version"] == 1 and p["file"] == f"{p['name']}.parquet"


def test_pin_list_and_nothing_else_in_the_board(lake: Lake, board) -> None:
    assert sorted(board.pin_list()) == sorted(PINS)
    assert sorted(p.name for p in lake.pins.iterdir()) == sorted([*PINS, "_pins.yaml"])
    for pin in PINS:
        for version in (lake.pins / pin).iterdir():
            assert sorted(f.name for f in version.iterdir()) == sorted([f"{pin}.parquet", "data.txt"])


def test_manifest_lists_every_version_oldest_first(lake: Lake, board) -> None:
    manifest = yaml.safe_load((lake.pins / "_pins.yaml").read_text())
    assert list(manifest) == sorted(PINS)
    for pin, entries in manifest.items():
        versions = list(board.pin_versions(pin)["version"])
        assert entries == [f"{pin}/{v}/" for v in versions]


def normalise(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for c in df.columns:
        if df[c].map(lambda v: isinstance(v, uuid.UUID)).any():
            df[c] = df[c].map(lambda v: None if v is None else str(v))
    return df.sort_values(list(df.columns[:2])).reset_index(drop=True)


@pytest.mark.parametrize("pin", sorted(PINS))
def test_pin_read_equals_the_source(lake: Lake, board, pin: str) -> None:
    schema, table = PINS[pin]
    got = board.pin_read(pin)
    con = source_con(lake)
    want = con.execute(f'SELECT * FROM s."{schema}"."{table}"').arrow().read_all().to_pandas()
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want) > 0
    pd.testing.assert_frame_equal(normalise(got), normalise(want), check_dtype=False)


@pytest.mark.parametrize("pin", sorted(PINS))
def test_pin_meta_has_the_descriptions(lake: Lake, board, pin: str) -> None:
    schema, table = PINS[pin]
    con = source_con(lake)
    meta = board.pin_meta(pin)
    assert meta.title == pin
    assert meta.description == comment_of(con, "s", schema, table)
    src_cols = columns(con, "s", schema, table)
    assert list(meta.user["columns"].items()) == [(n, c) for n, _, c in src_cols]
    assert list(meta.user["column_types"].items()) == [(n, t) for n, t, _ in src_cols]
    assert meta.user["schema"] == schema and meta.user["table"] == table
    assert meta.user["kind"] == ("view" if pin == "la_deprivation_summary" else "table")
    assert meta.user["source"] == "source.duckdb"
    rows = con.execute(f'SELECT count(*) FROM s."{schema}"."{table}"').fetchone()[0]
    assert meta.user["row_count"] == rows
    lake_con = lake.attach()
    snapshot = lake_con.execute(
        "SELECT snapshot_id FROM l._lakegate.published WHERE schema_name = ? AND table_name = ?", [schema, table]
    ).fetchone()[0]
    assert meta.user["lake_snapshot"] == snapshot == (2 if pin in CHANGED else 1)


def test_view_column_descriptions_reach_the_pin(lake: Lake, board) -> None:
    meta = board.pin_meta("la_deprivation_summary")
    assert meta.user["columns"]["mean_imd_score"] == "Unweighted mean IMD score over the authority's LSOAs."
    assert meta.user["columns"]["lsoas_in_most_deprived_decile"].startswith("Number of the authority's LSOAs")


def test_one_new_version_for_the_changed_table_only(lake: Lake, board) -> None:
    """deprivation_index changed; so did the view computed from it (its content hash changed)."""
    first = lake.first_versions  # type: ignore[attr-defined]
    for pin in PINS:
        versions = list(board.pin_versions(pin)["version"])
        if pin in CHANGED:
            assert len(versions) == 2 and versions[0] == first[pin][0] and versions[1] > versions[0]
        else:
            assert versions == first[pin], pin
    old, new = list(board.pin_versions("deprivation_index")["version"])
    q = "imd_decile == 1"
    assert (board.pin_read("deprivation_index", version=new).query(q)["imd_score"].sum()
            - board.pin_read("deprivation_index", version=old).query(q)["imd_score"].sum()) == pytest.approx(
        0.5 * len(board.pin_read("deprivation_index").query(q))
    )
    assert board.pin_meta("deprivation_index", version=old).user["lake_snapshot"] == 1


def test_pin_search_finds_by_name_and_title(board) -> None:
    found = board.pin_search("deprivation")
    assert sorted(found["name"]) == ["deprivation_index", "la_deprivation_summary"]
    assert sorted(board.pin_search("energy")["name"]) == ["energy.epc_certificates", "energy.ghg_emissions"]


def test_version_name_hash_and_size(lake: Lake, board) -> None:
    for pin in PINS:
        meta = board.pin_meta(pin)
        version = meta.version.version
        path = lake.pins / pin / version / meta.file
        data = path.read_bytes()
        assert meta.pin_hash == xxhash.xxh64(data).hexdigest()
        assert meta.file_size == len(data)
        assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{5}", version)
        created = meta.created if isinstance(meta.created, str) else meta.created.strftime("%Y%m%dT%H%M%SZ")
        assert version == f"{created}-{meta.pin_hash[:5]}"
        text = (lake.pins / pin / version / "data.txt").read_text()
        assert list(yaml.safe_load(text))[:11] == [
            "file", "file_size", "pin_hash", "type", "title", "description", "tags", "urls", "created",
            "api_version", "user",
        ]  # fmt: skip


def test_parquet_file_documents_itself(lake: Lake, board) -> None:
    meta = board.pin_meta("energy.epc_certificates")
    path = lake.pins / "energy.epc_certificates" / meta.version.version / meta.file
    con = plain_duckdb()
    kv = {k.decode(): v.decode() for k, v in con.execute(f"SELECT key, value FROM parquet_kv_metadata('{path}')").fetchall()}
    assert kv["lakegate.table"] == "energy.epc_certificates"
    assert kv["lakegate.description"] == meta.description
    described = json.loads(kv["lakegate.column_descriptions"])
    assert list(described.items()) == list(meta.user["columns"].items())  # column order kept
    assert json.loads(kv["lakegate.column_types"])["co2_emissions_tonnes"] == "DECIMAL(8,2)"
    codecs = {r[0] for r in con.execute(f"SELECT DISTINCT compression FROM parquet_metadata('{path}')").fetchall()}
    assert codecs <= {"ZSTD", "SNAPPY", "UNCOMPRESSED"}, codecs  # what R's nanoparquet reads


def test_geometry_pin_is_geoparquet_with_its_crs(lake: Lake, board) -> None:
    meta = board.pin_meta("boundaries.la_2023")
    assert meta.user["column_types"]["geom"] == "GEOMETRY('EPSG:27700')"
    path = lake.pins / "boundaries.la_2023" / meta.version.version / meta.file
    con = plain_duckdb("spatial")
    geo = json.loads(
        con.execute(f"SELECT value FROM parquet_kv_metadata('{path}') WHERE key = 'geo'").fetchone()[0].decode()
    )
    assert geo["primary_column"] == "geom"
    column = geo["columns"]["geom"]
    assert column["encoding"] == "WKB" and column["geometry_types"] == ["Polygon"]
    assert column["crs"]["id"] == {"authority": "EPSG", "code": 27700}, column["crs"].get("id")
    # A plain DuckDB reads it back with the coordinate system, and the same shapes as the source.
    assert con.execute(f"SELECT typeof(geom) FROM '{path}' LIMIT 1").fetchone()[0] == "GEOMETRY('EPSG:27700')"
    con.execute(f"ATTACH '{lake.source}' AS s (READ_ONLY)")
    assert con.execute(
        f"SELECT count(*) FROM (SELECT la_code, ST_AsHEXWKB(geom) FROM '{path}' "
        "EXCEPT SELECT la_code, ST_AsHEXWKB(geom) FROM s.boundaries.la_2023)"
    ).fetchone()[0] == 0


def test_old_versions_are_pruned_to_keep_versions(tmp_path, lakegate_bin, extension_root) -> None:
    lake = new_lake(tmp_path, ["CREATE TABLE t AS SELECT 0 AS n", "CREATE TABLE u AS SELECT 0 AS n"], publish={})
    cfg = lake.config.read_text().replace('board = "lake/pins/"', 'board = "lake/pins/"\nkeep_versions = 2')
    lake.config.write_text(cfg)
    board = pins.board_folder(str(lake.pins))
    seen = []
    for i in range(4):
        if i:
            make_source(lake.source, f"UPDATE t SET n = {i}")
        out = lake.publish()
        seen.append(list(board.pin_versions("t")["version"])[-1])
        assert ("1 old versions pruned" in out.stdout) == (i >= 2), out.stdout
    assert list(board.pin_versions("t")["version"]) == seen[-2:]
    assert board.pin_read("t")["n"].tolist() == [3]
    assert len(board.pin_versions("u")) == 1
    assert yaml.safe_load((lake.pins / "_pins.yaml").read_text())["t"] == [f"t/{v}/" for v in seen[-2:]]
    assert sorted(p.name for p in (lake.pins / "t").iterdir()) == seen[-2:]


def test_columns_r_cannot_read_are_stored_flat(tmp_path, lakegate_bin, extension_root) -> None:
    """R pins reads parquet with nanoparquet: flat columns only, no INTERVAL; and parquet has no
    128-bit integer. Such columns are stored as JSON text / text / DECIMAL(38,0) in the pin, and
    `stored_as` says so; the lake keeps them as they are."""
    lake = new_lake(
        tmp_path,
        [
            """CREATE TABLE nested AS SELECT 1 AS id, [1, 2, NULL] AS l, {'a': 1, 'b': 'x'} AS s,
               MAP {'k': 2} AS m, [1.5, 2.5]::DOUBLE[2] AS arr, INTERVAL '1 day 2 hours' AS iv,
               123456789012345678901234567890::HUGEINT AS h, 'ok' AS plain""",
            "CREATE TABLE bigs AS SELECT 9223372036854775807::BIGINT AS x FROM range(3)",
            "CREATE VIEW wide AS SELECT sum(x) AS total FROM bigs",
        ],
    )
    lake.publish()
    board = pins.board_folder(str(lake.pins))
    df = board.pin_read("nested")
    row = df.iloc[0]
    assert json.loads(row["l"]) == [1, 2, None]
    assert json.loads(row["s"]) == {"a": 1, "b": "x"}
    assert json.loads(row["m"]) == {"k": 2}
    assert json.loads(row["arr"]) == [1.5, 2.5]
    assert row["iv"] == "1 day 02:00:00"
    assert str(row["h"]) == "123456789012345678901234567890"
    assert row["plain"] == "ok"
    meta = board.pin_meta("nested")
    assert meta.user["stored_as"] == {"l": "JSON text", "s": "JSON text", "m": "JSON text", "arr": "JSON text", "iv": "text"}
    assert meta.user["column_types"]["arr"] == "DOUBLE[2]"
    # A view's HUGEINT (sum() of a BIGINT gives one) is exact in its pin (DOUBLE would not be).
    assert str(board.pin_read("wide")["total"].iloc[0]) == str(3 * 9223372036854775807)
    assert board.pin_meta("wide").user["stored_as"] == {"total": "DECIMAL(38,0)"}
