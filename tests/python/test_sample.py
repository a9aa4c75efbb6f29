"""The bundled sample source (``lakegate sample``) and the lake published from it, as a plain DuckDB
user sees them: every table, view and column has a comment; the boundaries keep EPSG:27700; the
data is the same on every run; and the published sample (the session's ``sample_lake``, made by
the test infrastructure with the real binary) opens in a plain DuckDB with its tables, views,
comments and rows.
"""

from __future__ import annotations

from support import lakegate as lg
from support.publishing import columns, comment_of, except_count, plain_duckdb

TABLES = {
    ("boundaries", "la_2023"): 24,
    ("energy", "epc_certificates"): 20000,
    ("energy", "ghg_emissions"): 3024,
    ("main", "deprivation_index"): 3000,
    ("main", "local_authorities"): 24,
}
VIEWS = {("main", "la_deprivation_summary"): 24}


def test_every_object_and_column_of_the_sample_has_a_comment(sample_lake) -> None:
    con = plain_duckdb("spatial")
    con.execute(f"ATTACH '{sample_lake.source}' AS s (READ_ONLY)")
    for (schema, name), rows in {**TABLES, **VIEWS}.items():
        assert comment_of(con, "s", schema, name), (schema, name)
        cols = columns(con, "s", schema, name)
        assert cols and all(c[2] for c in cols), (schema, name, [c[0] for c in cols if not c[2]])
        assert con.execute(f'SELECT count(*) FROM s."{schema}"."{name}"').fetchone()[0] == rows


def test_sample_keeps_the_coordinate_system(sample_lake) -> None:
    """Written in DuckDB storage v1.5.0: older storage versions drop GEOMETRY's CRS on disk."""
    con = plain_duckdb()  # no spatial needed to see the declared type
    con.execute(f"ATTACH '{sample_lake.source}' AS s (READ_ONLY)")
    assert dict((n, t) for n, t, _ in columns(con, "s", "boundaries", "la_2023"))["geom"] == "GEOMETRY('EPSG:27700')"
    tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 's'").fetchone()[0]
    assert tags["storage_version"].startswith("v1.5")


def test_sample_is_the_same_every_time(tmp_path, sample_lake, lakegate_bin) -> None:
    again = tmp_path / "again.duckdb"
    lg.run(["sample", again])
    con = plain_duckdb("spatial")
    con.execute(f"ATTACH '{sample_lake.source}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{again}' AS b (READ_ONLY)")
    for schema, name in TABLES:
        q = f'"{schema}"."{name}"'
        if name == "la_2023":
            assert except_count(con, f"(SELECT * REPLACE (ST_AsHEXWKB(geom) AS geom) FROM a.{q})", f"(SELECT * REPLACE (ST_AsHEXWKB(geom) AS geom) FROM b.{q})") == (0, 0)
        else:
            assert except_count(con, f"a.{q}", f"b.{q}") == (0, 0), q
    # It refuses to overwrite a file.
    res = lg.run(["sample", again], check=False)
    assert res.returncode != 0 and "already exists" in res.stderr


def test_plain_duckdb_opens_the_published_sample(sample_lake) -> None:
    con = plain_duckdb("ducklake", "sqlite_scanner", "spatial")
    con.execute(f"ATTACH 'ducklake:sqlite:{sample_lake.catalog}' AS lake (READ_ONLY)")
    con.execute(f"ATTACH '{sample_lake.source}' AS s (READ_ONLY)")
    tables = set(con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'lake' AND schema_name <> '_lakegate'").fetchall())
    assert tables == set(TABLES)
    views = set(con.execute("SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = 'lake'").fetchall())
    assert views == set(VIEWS)
    for (schema, name), rows in {**TABLES, **VIEWS}.items():
        q = f'"{schema}"."{name}"'
        assert con.execute(f"SELECT count(*) FROM lake.{q}").fetchone()[0] == rows
        assert comment_of(con, "lake", schema, name) == comment_of(con, "s", schema, name)
        if (schema, name) in TABLES:
            assert [c[2] for c in columns(con, "lake", schema, name)] == [c[2] for c in columns(con, "s", schema, name)]
    assert except_count(con, "lake.main.deprivation_index", "s.main.deprivation_index") == (0, 0)
    assert except_count(con, "lake.main.la_deprivation_summary", "s.main.la_deprivation_summary") == (0, 0)
    # The lake is plain parquet files in the data folder: DuckDB reads one without the catalogue.
    files = [p for p in sample_lake.data.rglob("*.parquet") if "deprivation_index" in str(p)]
    assert len(files) == 1
    assert con.execute(f"SELECT count(*) FROM '{files[0]}'").fetchone()[0] == 3000


def test_published_sample_output_says_what_it_did(sample_lake) -> None:
    out = sample_lake.publish_output
    assert "6 new, 0 changed, 0 comments only, 0 unchanged, 0 removed" in out
    assert "Published snapshot 1: 6 tables and views written, 26,096 rows" in out
    assert "Pins on" in out and "6 written" in out
