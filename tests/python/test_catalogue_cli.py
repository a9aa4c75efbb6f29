"""Discovery from the command line — ``lakegate catalogue list|search|describe`` in every output
format, parsed back and compared with the sample source's own comments — and the Frictionless Data
Package that ``lakegate publish`` writes beside the pins board.

- JSON and CSV parse back to exactly the datasets, hits and columns the source describes;
  Markdown is a well-formed table; the terminal table wraps long descriptions to the width;
- ``describe`` of an unknown table fails (non-zero) naming it and suggesting the close names;
  a lake that does not exist yet gives the "run lakegate publish first" error; the commands need no
  server;
- ``datapackage.json`` is beside the board (never inside it: pins readers would take it for a pin),
  valid for frictionless-py, and complete: one resource per dataset, pointing at the pin's newest
  parquet file, every field with its type and description;
- ``[catalogue] datapackage`` chooses the place; a place inside the board is refused before the
  publish writes anything.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import duckdb
import pytest

from support import lakegate as lg

# ---------------------------------------------------------------------------------------------
# helpers


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def display(schema: str, name: str) -> str:
    return name if schema == "main" else f"{schema}.{name}"


def source_catalogue(source: Path) -> tuple[dict, dict]:
    """``({display name: (kind, comment, rows)}, {display name: [(column, comment, type)]})``
    from the source DuckDB file."""
    con = duckdb.connect(str(source), read_only=True)
    try:
        datasets = {}
        for schema, name, kind, comment in con.execute(
            """SELECT schema_name, table_name, 'table', comment FROM duckdb_tables()
               WHERE database_name = current_database() AND NOT internal
               UNION ALL
               SELECT schema_name, view_name, 'view', comment FROM duckdb_views()
               WHERE database_name = current_database() AND NOT internal"""
        ).fetchall():
            (rows,) = con.execute(f"SELECT count(*) FROM {quote(schema)}.{quote(name)}").fetchone()
            datasets[display(schema, name)] = (kind, comment, rows)
        columns: dict = {}
        for schema, table, column, comment, data_type in con.execute(
            """SELECT schema_name, table_name, column_name, comment, data_type
               FROM duckdb_columns() WHERE database_name = current_database() AND NOT internal
               ORDER BY schema_name, table_name, column_index"""
        ).fetchall():
            columns.setdefault(display(schema, table), []).append((column, comment, data_type))
        return datasets, columns
    finally:
        con.close()


def catalogue(lake: lg.SampleLake, *args: str, check: bool = True, env: dict | None = None):
    return lg.run(["catalogue", *args], config=lake.config, cwd=lake.dir, check=check, env=env)


def parse_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def markdown_rows(text: str) -> list[list[str]]:
    """The cells of each row of the first Markdown table in ``text`` (header and rule included)."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    assert lines, text
    rows = []
    for line in lines:
        assert line.endswith("|"), line
        cells = re.split(r"(?<!\\)\|", line[1:-1])
        rows.append([c.strip().replace("\\|", "|") for c in cells])
    assert all(len(r) == len(rows[0]) for r in rows), text
    assert set("".join(rows[1])) <= set("-: "), "second line is the header rule"
    return rows


# ---------------------------------------------------------------------------------------------
# list


def test_list_json_and_csv_hold_every_dataset_and_description(sample_lake: lg.SampleLake) -> None:
    expected, columns = source_catalogue(sample_lake.source)
    got = json.loads(catalogue(sample_lake, "list", "--format", "json").stdout)
    assert {display(d["schema"], d["name"]) for d in got} == set(expected)
    for d in got:
        kind, comment, rows = expected[display(d["schema"], d["name"])]
        assert (d["kind"], d["description"], d["row_count"]) == (kind, comment, rows)
        assert d["column_count"] == len(columns[display(d["schema"], d["name"])])
        assert d["pin_name"] == display(d["schema"], d["name"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["last_published"])
        assert (d["size_bytes"] or 0) > 0 if kind == "table" else d["size_bytes"] is None

    rows = parse_csv(catalogue(sample_lake, "list", "--format", "csv").stdout)
    assert [(r["schema"], r["name"], r["description"]) for r in rows] == [
        (d["schema"], d["name"], d["description"]) for d in got
    ], "CSV round-trips the same descriptions (commas, quotes and all)"
    assert [int(r["row_count"]) for r in rows] == [d["row_count"] for d in got]


def test_list_markdown_and_table(sample_lake: lg.SampleLake) -> None:
    expected, _ = source_catalogue(sample_lake.source)
    rows = markdown_rows(catalogue(sample_lake, "list", "--format", "markdown").stdout)
    assert rows[0] == ["Dataset", "Kind", "Rows", "Columns", "Size", "Description"]
    body = {r[0].strip("`"): r for r in rows[2:]}
    assert set(body) == set(expected)
    for name, (kind, comment, _) in expected.items():
        assert body[name][1] == kind
        assert body[name][5] == comment

    out = catalogue(sample_lake, "list", env={"COLUMNS": "100"}).stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100, "wrapped to the width"
    flat = re.sub(r"[\s│┆]+", " ", out)
    for name, (_, comment, _) in expected.items():
        assert name in out
        # A long description is wrapped over several lines, its words all there in order.
        assert " ".join(comment.split()[:4]) in flat, comment
    assert "6 datasets" in out


# ---------------------------------------------------------------------------------------------
# search


def test_search_in_every_format(sample_lake: lg.SampleLake) -> None:
    hits = json.loads(catalogue(sample_lake, "search", "suppressed", "--format", "json").stdout)
    assert hits == [
        {
            "schema": "main",
            "name": "deprivation_index",
            "kind": "table",
            "matched_in": "column: population_mid_2019",
            "score": hits[0]["score"],
            "snippet": "population_mid_2019: Mid-2019 population estimate of the LSOA (persons); "
            "NULL where the estimate was suppressed.",
        }
    ]
    assert hits[0]["score"] > 0

    many = json.loads(catalogue(sample_lake, "search", "deprivation decile", "--format", "json").stdout)
    assert {h["name"] for h in many[:2]} == {"deprivation_index", "la_deprivation_summary"}
    rows = parse_csv(catalogue(sample_lake, "search", "deprivation decile", "--format", "csv").stdout)
    assert [(r["name"], float(r["score"]), r["matched_in"], r["snippet"]) for r in rows] == [
        (h["name"], h["score"], h["matched_in"], h["snippet"]) for h in many
    ]
    md = markdown_rows(catalogue(sample_lake, "search", "deprivation decile", "--format", "markdown").stdout)
    assert md[0] == ["Dataset", "Kind", "Score", "Matched in", "Description"]
    assert [r[0].strip("`") for r in md[2:]] == [display(h["schema"], h["name"]) for h in many]

    table = catalogue(sample_lake, "search", "suppressed").stdout
    assert "deprivation_index" in table and "population_mid_2019" in table
    assert "1 match" in table

    none = catalogue(sample_lake, "search", "qwertyuiop").stdout
    assert "No dataset matches" in none
    assert json.loads(catalogue(sample_lake, "search", "qwertyuiop", "--format", "json").stdout) == []

    empty = catalogue(sample_lake, "search", " - ", check=False)
    assert empty.returncode != 0
    assert "nothing to search for" in empty.stderr


# ---------------------------------------------------------------------------------------------
# describe


@pytest.mark.parametrize("name", ["la_deprivation_summary", "energy.epc_certificates"])
def test_describe_in_every_format(sample_lake: lg.SampleLake, name: str) -> None:
    expected, columns = source_catalogue(sample_lake.source)
    kind, comment, rows = expected[name]
    got = json.loads(catalogue(sample_lake, "describe", name, "--format", "json").stdout)
    assert display(got["schema"], got["name"]) == name
    assert (got["kind"], got["description"], got["row_count"]) == (kind, comment, rows)
    assert [(c["name"], c["description"]) for c in got["columns"]] == [(c, d) for c, d, _ in columns[name]]
    assert [c["position"] for c in got["columns"]] == list(range(1, len(columns[name]) + 1))

    rows_csv = parse_csv(catalogue(sample_lake, "describe", name, "--format", "csv").stdout)
    assert [(r["name"], r["type"], r["description"]) for r in rows_csv] == [
        (c["name"], c["type"], c["description"] or "") for c in got["columns"]
    ]

    md = catalogue(sample_lake, "describe", name, "--format", "markdown").stdout
    assert md.startswith(f"## `{name}` ({kind})")
    assert comment in md
    cells = markdown_rows(md)
    assert cells[0] == ["#", "Column", "Type", "Nullable", "Description"]
    assert [(r[1].strip("`"), r[4]) for r in cells[2:]] == [(c, d) for c, d, _ in columns[name]]

    table = catalogue(sample_lake, "describe", name, env={"COLUMNS": "120"}).stdout
    assert max(len(line) for line in table.splitlines()) <= 120
    for column, _, _ in columns[name]:
        assert column in table
    assert f"SELECT * FROM {name}" in table


def test_describe_unknown_table_fails_with_suggestions(sample_lake: lg.SampleLake) -> None:
    res = catalogue(sample_lake, "describe", "deprivaton_index", check=False)
    assert res.returncode != 0
    assert "no table or view named 'deprivaton_index'" in res.stderr
    assert "did you mean deprivation_index?" in res.stderr
    assert res.stdout == ""
    # A table of another schema named without its schema is found as a suggestion.
    res = catalogue(sample_lake, "describe", "epc_certificates", check=False)
    assert res.returncode != 0
    assert "energy.epc_certificates" in res.stderr
    # Case does not matter when the name is unambiguous.
    assert json.loads(catalogue(sample_lake, "describe", "Energy.EPC_Certificates", "--format", "json").stdout)[
        "name"
    ] == "epc_certificates"


def test_catalogue_without_a_lake_says_to_publish_first(tmp_path: Path) -> None:
    config = lg.write_config(tmp_path, lake=lg.lake_sections(), pins={"board": "lake/pins/"})
    res = lg.run(["catalogue", "list"], config=config, cwd=tmp_path, check=False)
    assert res.returncode != 0
    assert "there is no lake at" in res.stderr and "run `lakegate publish` first" in res.stderr
    assert not (tmp_path / "lake").exists(), "a read-only command creates nothing"


# ---------------------------------------------------------------------------------------------
# the Data Package


def frictionless():
    try:
        import frictionless as fl
    except ImportError:
        pytest.fail(
            "missing test dependency: the `frictionless` Python package "
            "(pip install -r tests/python/requirements.txt, or scripts/install-test-deps)",
            pytrace=False,
        )
    return fl


def check_package(path: Path, source: Path) -> dict:
    """Validates the package with frictionless-py (metadata and data) and checks it is complete;
    returns the descriptor."""
    fl = frictionless()
    descriptor = json.loads(path.read_text())
    errors = [e.message for e in fl.Package.metadata_validate(descriptor)]
    assert errors == [], errors

    fields = {
        (r["name"], f["name"]): f for r in descriptor["resources"] for f in r["schema"]["fields"]
    }
    report = fl.validate(str(path))
    for task in report.tasks:
        for error in task.errors:
            field = fields.get((task.name, getattr(error, "field_name", None)), {})
            duck_type = field.get("lakegate", {}).get("type", "")
            # frictionless-py reads parquet through pandas: NULLs of integer columns arrive as
            # float NaN, and UUIDs as uuid.UUID objects. Neither is a fault of the package.
            known = error.type == "type-error" and (
                (getattr(error, "cell", None) == "nan" and field.get("type") == "integer") or duck_type == "UUID"
            )
            assert known, f"{task.name}: {error.message}"
    assert report.errors == []

    expected, columns = source_catalogue(source)
    resources = {r["title"]: r for r in descriptor["resources"]}
    assert set(resources) == set(expected)
    for name, (kind, comment, rows) in expected.items():
        r = resources[name]
        assert r["name"] == name.lower(), "the pin name"
        assert r["description"] == comment
        assert r["format"] == "parquet" and r["profile"] == "tabular-data-resource"
        assert r["lakegate"]["kind"] == kind and r["lakegate"]["row_count"] == rows
        assert r["lakegate"]["schema"] == (name.split(".")[0] if "." in name else "main")
        assert isinstance(r["lakegate"]["snapshot"], int)
        assert [(f["name"], f.get("description")) for f in r["schema"]["fields"]] == [
            (c, d) for c, d, _ in columns[name]
        ]
        assert all(f["type"] in {"string", "integer", "number", "boolean", "date", "time", "datetime", "any"}
                   for f in r["schema"]["fields"])
        assert not r["path"].startswith(("/", ".")) and ".." not in r["path"]
        file = path.parent / r["path"]
        assert file.is_file(), file
    types = {(r["title"], f["name"]): f["type"] for r in descriptor["resources"] for f in r["schema"]["fields"]}
    assert types[("energy.epc_certificates", "co2_emissions_tonnes")] == "number"
    assert types[("energy.epc_certificates", "lodgement_date")] == "date"
    assert types[("energy.epc_certificates", "inspected_at")] == "datetime"
    assert types[("energy.epc_certificates", "is_new_build")] == "boolean"
    assert types[("deprivation_index", "imd_rank")] == "integer"
    return descriptor


def newest_version(pins: Path, pin: str) -> str:
    return sorted(p.name for p in (pins / pin).iterdir())[-1]


def test_datapackage_is_written_beside_the_board_valid_and_complete(sample_lake: lg.SampleLake) -> None:
    path = sample_lake.pins.parent / "datapackage.json"
    assert path.is_file(), sample_lake.publish_output
    assert "Data Package" in sample_lake.publish_output
    # Nothing but pins (and the manifest) in the board's root.
    assert sorted(p.name for p in sample_lake.pins.iterdir() if not p.is_dir()) == ["_pins.yaml"]
    descriptor = check_package(path, sample_lake.source)
    for r in descriptor["resources"]:
        pin = r["lakegate"]["pin"]
        assert r["path"] == f"pins/{pin}/{newest_version(sample_lake.pins, pin)}/{pin}.parquet"

    # pins itself still sees exactly the pins: no stray entry from the package.
    import pins

    board = pins.board_folder(str(sample_lake.pins))
    assert sorted(board.pin_list()) == sorted(r["name"] for r in descriptor["resources"])


def test_datapackage_place_is_configurable_and_never_inside_the_board(tmp_path: Path, lakegate_bin: Path) -> None:
    lake = lg.sample_lake(tmp_path, binary=lakegate_bin, publish=False)
    inside = lg.write_config(
        tmp_path,
        name="inside.toml",
        lake=lg.lake_sections(),
        pins={"board": "lake/pins/"},
        publish={"source": "sample.duckdb"},
        catalogue={"datapackage": "lake/pins/datapackage.json"},
    )
    res = lg.run(["publish"], config=inside, cwd=tmp_path, check=False, binary=lakegate_bin)
    assert res.returncode != 0
    assert "must not be inside the pins board" in res.stderr
    assert not (tmp_path / "lake").exists(), "refused before anything was written"

    chosen = lg.write_config(
        tmp_path,
        name="chosen.toml",
        lake=lg.lake_sections(),
        pins={"board": "lake/pins/"},
        publish={"source": "sample.duckdb"},
        catalogue={"datapackage": "catalogue.datapackage.json"},
    )
    res = lg.run(["publish"], config=chosen, cwd=tmp_path, binary=lakegate_bin)
    path = tmp_path / "catalogue.datapackage.json"
    assert f"Data Package {path}" in res.stdout
    assert not (lake.pins.parent / "datapackage.json").exists()
    descriptor = check_package(path, lake.source)
    assert all(r["path"].startswith("lake/pins/") for r in descriptor["resources"])

    # A change re-publishes: the package follows the pin to its new version.
    src = duckdb.connect(str(lake.source))
    try:
        src.execute("UPDATE local_authorities SET population_2021 = population_2021 + 1")
    finally:
        src.close()
    lg.run(["publish"], config=chosen, cwd=tmp_path, binary=lakegate_bin)
    descriptor = json.loads(path.read_text())
    la = next(r for r in descriptor["resources"] if r["name"] == "local_authorities")
    assert la["path"] == f"lake/pins/local_authorities/{newest_version(lake.pins, 'local_authorities')}/local_authorities.parquet"
    assert len(list((lake.pins / "local_authorities").iterdir())) == 2

    # A package that describes another board (two boards sharing a parent) is never overwritten.
    foreign = json.dumps({"name": "other", "resources": [], "lakegate": {"pins_board": "/elsewhere/pins/"}})
    path.write_text(foreign)
    res = lg.run(["publish"], config=chosen, cwd=tmp_path, binary=lakegate_bin, check=False)
    assert res.returncode != 0
    assert "describes another pins board (/elsewhere/pins/)" in res.stderr
    assert path.read_text() == foreign


def test_datapackage_beside_an_s3_board(tmp_path: Path, lakegate_bin: Path, garage) -> None:
    import boto3

    bucket = garage.create_bucket()
    env = garage.env()
    config = lg.write_config(
        tmp_path,
        lake=lg.lake_sections(),
        s3=garage.s3_config(),
        pins={"board": f"s3://{bucket}/boards/main/"},
        publish={"source": "sample.duckdb"},
    )
    lg.run(["sample", tmp_path / "sample.duckdb"], config=config, cwd=tmp_path, env=env, binary=lakegate_bin)
    res = lg.run(["publish"], config=config, cwd=tmp_path, env=env, binary=lakegate_bin)
    assert f"Data Package s3://{bucket}/boards/datapackage.json" in res.stdout

    s3 = boto3.client(
        "s3",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    )
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="boards/")["Contents"]}
    assert "boards/datapackage.json" in keys
    assert not [k for k in keys if k.startswith("boards/main/") and "datapackage" in k], "never inside the board"
    descriptor = json.loads(s3.get_object(Bucket=bucket, Key="boards/datapackage.json")["Body"].read())
    fl = frictionless()
    assert [e.message for e in fl.Package.metadata_validate(descriptor)] == []
    expected, _ = source_catalogue(tmp_path / "sample.duckdb")
    assert {r["title"] for r in descriptor["resources"]} == set(expected)
    for r in descriptor["resources"]:
        assert r["path"].startswith(f"main/{r['name']}/") and r["path"].endswith(".parquet"), r["path"]
        assert f"boards/{r['path']}" in keys, r["path"]
    assert descriptor["lakegate"]["pins_board"] == f"s3://{bucket}/boards/main/"


def test_datapackage_to_s3_with_pins_off(tmp_path: Path, lakegate_bin: Path, garage) -> None:
    import boto3

    bucket = garage.create_bucket()
    env = garage.env()
    config = lg.write_config(
        tmp_path,
        lake=lg.lake_sections(),
        s3=garage.s3_config(),
        pins={"board": ""},
        publish={"source": "sample.duckdb"},
        catalogue={"datapackage": f"s3://{bucket}/catalogue/"},
    )
    lg.run(["sample", tmp_path / "sample.duckdb"], config=config, cwd=tmp_path, env=env, binary=lakegate_bin)
    res = lg.run(["publish"], config=config, cwd=tmp_path, env=env, binary=lakegate_bin)
    assert f"Data Package s3://{bucket}/catalogue/datapackage.json" in res.stdout
    s3 = boto3.client(
        "s3",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    )
    descriptor = json.loads(s3.get_object(Bucket=bucket, Key="catalogue/datapackage.json")["Body"].read())
    assert [e.message for e in frictionless().Package.metadata_validate(descriptor)] == []
    expected, columns = source_catalogue(tmp_path / "sample.duckdb")
    # No pins: each resource names the dataset as a SQL client queries it.
    assert {r["path"] for r in descriptor["resources"]} == set(expected)
    for r in descriptor["resources"]:
        assert [(f["name"], f.get("description")) for f in r["schema"]["fields"]] == [
            (c, d) for c, d, _ in columns[r["title"]]
        ]
