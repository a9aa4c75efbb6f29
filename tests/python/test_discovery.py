"""Discovery inside the server: ``lakegate.datasets``, ``lakegate.columns`` and
``lakegate.search(term)``, queried over the PostgreSQL protocol like an analyst would (psycopg).

What is checked, against the sample source's own comments (read from the source DuckDB file, so
the expectations are not copied by hand):

- every published table and view is listed once, with its description, kind, row and column
  counts, parquet size (tables), snapshot, publish time and pin name; lakegate's own record
  (schema ``_lakegate``) is not;
- every column of every table and view is listed in order with its description — including the
  view's columns, whose comments live only in lakegate's publish record — and its nullability;
- search finds a table by a word that appears in one column's description and nowhere else,
  ranks name matches above description matches, and works in every session;
- a session cannot change the shared catalogue objects;
- a publish that lands while the server runs appears in ``lakegate.datasets``, ``columns`` and
  ``search`` on the next query, without a restart.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import psycopg
import pytest

from support import lakegate as lg

# ---------------------------------------------------------------------------------------------
# the source's own catalogue: what the gateway must show


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def source_catalogue(source: Path) -> tuple[dict, dict]:
    """``({(schema, name): (kind, comment, rows)}, {(schema, table): [(position, column, comment,
    nullable)]})`` from the source DuckDB file."""
    con = duckdb.connect(str(source), read_only=True)
    try:
        objects = con.execute(
            """SELECT schema_name, table_name, 'table', comment FROM duckdb_tables()
               WHERE database_name = current_database() AND NOT internal
               UNION ALL
               SELECT schema_name, view_name, 'view', comment FROM duckdb_views()
               WHERE database_name = current_database() AND NOT internal"""
        ).fetchall()
        datasets = {}
        for schema, name, kind, comment in objects:
            (rows,) = con.execute(f"SELECT count(*) FROM {quote(schema)}.{quote(name)}").fetchone()
            datasets[(schema, name)] = (kind, comment, rows)
        columns: dict = {}
        for schema, table, position, column, comment, nullable in con.execute(
            """SELECT schema_name, table_name, column_index, column_name, comment, is_nullable
               FROM duckdb_columns() WHERE database_name = current_database() AND NOT internal
               ORDER BY schema_name, table_name, column_index"""
        ).fetchall():
            columns.setdefault((schema, table), []).append((position, column, comment, nullable))
        return datasets, columns
    finally:
        con.close()


def query(conn: psycopg.Connection, sql: str, params=None) -> list[dict]:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        names = [d.name for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def texts(source: Path) -> list[tuple[str, str, str]]:
    """Every searchable text of the source as ``(dataset, place, text)``."""
    datasets, columns = source_catalogue(source)
    out = []
    for (schema, name), (_, comment, _) in datasets.items():
        out.append((f"{schema}.{name}", "name", name))
        out.append((f"{schema}.{name}", "description", comment or ""))
    for (schema, table), cols in columns.items():
        for _, column, comment, _ in cols:
            out.append((f"{schema}.{table}", "column", column))
            out.append((f"{schema}.{table}", f"description of {column}", comment or ""))
    return out


# ---------------------------------------------------------------------------------------------
# datasets and columns


def test_datasets_lists_every_table_and_view_with_its_description(
    sample_lake: lg.SampleLake, lakegate_server: lg.LakegateServer
) -> None:
    expected, expected_columns = source_catalogue(sample_lake.source)
    with lakegate_server.connect() as conn:
        rows = query(conn, "SELECT * FROM lakegate.datasets")
    assert list(rows[0]) == [
        "schema",
        "name",
        "kind",
        "description",
        "row_count",
        "column_count",
        "size_bytes",
        "last_published",
        "snapshot_id",
        "pin_name",
    ]
    got = {(r["schema"], r["name"]): r for r in rows}
    assert len(got) == len(rows), "each dataset once"
    assert set(got) == set(expected), "every published table and view, and nothing else"
    assert not any(s.startswith("_lakegate") for s, _ in got)
    for key, (kind, comment, count) in expected.items():
        r = got[key]
        assert r["kind"] == kind, key
        assert r["description"] == comment, key
        assert r["row_count"] == count, key
        assert r["column_count"] == len(expected_columns[key]), key
        assert isinstance(r["snapshot_id"], int) and r["snapshot_id"] >= 1, key
        assert r["last_published"] is not None, key
        pin = key[1] if key[0] == "main" else f"{key[0]}.{key[1]}"
        assert r["pin_name"] == pin, key
        if kind == "table":
            assert r["size_bytes"] > 0, key
        else:
            assert r["size_bytes"] is None, key
    # The view is there, as a view.
    assert got[("main", "la_deprivation_summary")]["kind"] == "view"


def test_columns_show_every_description_including_view_columns(
    sample_lake: lg.SampleLake, lakegate_server: lg.LakegateServer
) -> None:
    _, expected = source_catalogue(sample_lake.source)
    with lakegate_server.connect() as conn:
        rows = query(conn, 'SELECT * FROM lakegate.columns ORDER BY schema, "table", position')
    assert list(rows[0]) == ["schema", "table", "position", "name", "type", "description", "nullable"]
    got: dict = {}
    for r in rows:
        got.setdefault((r["schema"], r["table"]), []).append(
            (r["position"], r["name"], r["description"], r["nullable"])
        )
    assert got == expected
    # The view's columns have descriptions although DuckLake cannot store them.
    view = got[("main", "la_deprivation_summary")]
    assert all(desc for _, _, desc, _ in view), view
    types = {(r["table"], r["name"]): r["type"] for r in rows}
    assert types[("epc_certificates", "co2_emissions_tonnes")] == "DECIMAL(8,2)"
    assert types[("la_2023", "geom")].startswith("GEOMETRY")


# ---------------------------------------------------------------------------------------------
# search


def test_search_finds_a_table_by_a_word_only_in_one_column_description(
    sample_lake: lg.SampleLake, lakegate_server: lg.LakegateServer
) -> None:
    word = "suppressed"
    where = [(d, place) for d, place, text in texts(sample_lake.source) if re.search(rf"\b{word}", text, re.I)]
    assert where == [("main.deprivation_index", "description of population_mid_2019")], (
        f"the sample no longer has '{word}' in exactly one column description: {where}"
    )
    with lakegate_server.connect() as conn:
        hits = query(conn, "SELECT * FROM lakegate.search(%s)", [word])
    assert list(hits[0]) == ["schema", "name", "kind", "matched_in", "score", "snippet"]
    assert [(h["schema"], h["name"]) for h in hits] == [("main", "deprivation_index")]
    hit = hits[0]
    assert hit["kind"] == "table"
    assert hit["matched_in"] == "column: population_mid_2019"
    assert word in hit["snippet"] and hit["snippet"].startswith("population_mid_2019: ")
    assert hit["score"] > 0


def test_search_ranks_names_above_descriptions(lakegate_server: lg.LakegateServer) -> None:
    with lakegate_server.connect() as conn:
        hits = query(conn, "SELECT * FROM lakegate.search('deprivation')")
        names = [h["name"] for h in hits]
        # Both datasets named after deprivation come before the one that only mentions it in a
        # column description.
        assert set(names[:2]) == {"deprivation_index", "la_deprivation_summary"}, hits
        assert "epc_certificates" in names[2:], hits
        assert all(a["score"] >= b["score"] for a, b in zip(hits, hits[1:]))
        assert hits[0]["matched_in"].startswith("name")
        # Plurals fold onto singulars, schema-qualified names match, several words rank by how
        # many are found.
        assert query(conn, "SELECT name FROM lakegate.search('boundary')")[0]["name"] == "la_2023"
        assert query(conn, "SELECT name FROM lakegate.search('emissions co2')")[0]["name"] in (
            "ghg_emissions",
            "epc_certificates",
        )
        assert query(conn, "SELECT name FROM lakegate.search('energy.epc_certificates')")[0]["name"] == (
            "epc_certificates"
        )
        assert query(conn, "SELECT * FROM lakegate.search('qwertyuiop')") == []


def test_catalogue_objects_serve_every_session_and_cannot_be_changed(lakegate_server: lg.LakegateServer) -> None:
    first = lakegate_server.connect()
    second = lakegate_server.connect(autocommit=True)
    try:
        a = query(first, "SELECT name FROM lakegate.datasets ORDER BY name")
        b = query(second, "SELECT name FROM lakegate.datasets ORDER BY name")
        assert a == b and len(a) >= 6
        for statement in (
            "DROP VIEW lakegate.datasets",
            "CREATE OR REPLACE VIEW lakegate.datasets AS SELECT 1",
            "DROP MACRO TABLE lakegate.search",
        ):
            with pytest.raises(psycopg.Error):
                with second.cursor() as cur:
                    cur.execute(statement)
        assert query(second, "SELECT name FROM lakegate.datasets ORDER BY name") == a
        assert query(second, "SELECT count(*) AS n FROM lakegate.search('decile')")[0]["n"] >= 1
    finally:
        first.close()
        second.close()


def test_discovery_views_describe_themselves_through_the_pg_catalogue(
    lakegate_server: lg.LakegateServer,
) -> None:
    """psql's \\dv+ / \\d+ and SQLAlchemy read these: the discovery views and every one of their
    columns carry a description, as the lake's datasets do."""
    conn = lakegate_server.connect(autocommit=True)
    try:
        for view, columns in (
            ("datasets", ["schema", "name", "kind", "description", "row_count", "column_count",
                          "size_bytes", "last_published", "snapshot_id", "pin_name"]),
            ("columns", ["schema", "table", "position", "name", "type", "description", "nullable"]),
        ):
            rows = query(
                conn,
                "SELECT obj_description(c.oid, 'pg_class') AS d FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'lakegate' AND c.relname = %s AND c.relkind = 'v'",
                (view,),
            )
            assert len(rows) == 1 and rows[0]["d"].startswith("Every "), rows
            described = query(
                conn,
                "SELECT a.attname, col_description(a.attrelid, a.attnum) AS d FROM pg_attribute a "
                "WHERE a.attrelid = %s::regclass AND a.attnum > 0 ORDER BY a.attnum",
                (f"lakegate.{view}",),
            )
            assert [r["attname"] for r in described] == columns
            assert all(r["d"] for r in described), described
        pin_name = query(conn, "SELECT col_description('lakegate.datasets'::regclass, 10) AS d")
        assert "pins" in pin_name[0]["d"]
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# a publish while the server runs


def test_a_publish_while_serving_shows_up_without_restart(tmp_path: Path, lakegate_bin: Path) -> None:
    lake = lg.sample_lake(tmp_path, binary=lakegate_bin)
    with lg.LakegateServer(lake.config, binary=lakegate_bin) as server:
        with server.connect(autocommit=True) as conn:
            before = query(conn, "SELECT name, snapshot_id FROM lakegate.datasets")
            assert "air_quality" not in [r["name"] for r in before]
            assert query(conn, "SELECT * FROM lakegate.search('zorblax')") == []

            src = duckdb.connect(str(lake.source))
            try:
                src.execute("CREATE TABLE air_quality AS SELECT range AS site_id, 20.5 + range AS no2 FROM range(5)")
                src.execute("COMMENT ON TABLE air_quality IS 'Air quality monitoring sites.'")
                src.execute("COMMENT ON COLUMN air_quality.no2 IS 'Annual mean NO2 concentration (zorblax units).'")
            finally:
                src.close()
            lg.run(["publish"], config=lake.config, binary=lakegate_bin, cwd=lake.dir)

            # The same session, a new query: no restart, no reconnect.
            after = {r["name"]: r for r in query(conn, "SELECT * FROM lakegate.datasets")}
            assert after["air_quality"]["description"] == "Air quality monitoring sites."
            assert after["air_quality"]["row_count"] == 5
            assert after["air_quality"]["snapshot_id"] > max(r["snapshot_id"] for r in before)
            assert after["air_quality"]["pin_name"] == "air_quality"
            cols = query(conn, "SELECT name, description FROM lakegate.columns WHERE \"table\" = 'air_quality'")
            assert cols == [
                {"name": "site_id", "description": None},
                {"name": "no2", "description": "Annual mean NO2 concentration (zorblax units)."},
            ]
            hits = query(conn, "SELECT name, matched_in FROM lakegate.search('zorblax')")
            assert hits == [{"name": "air_quality", "matched_in": "column: no2"}]
        # A session opened after the publish sees it too.
        with server.connect() as conn:
            assert query(conn, "SELECT count(*) AS n FROM lakegate.datasets WHERE name = 'air_quality'") == [{"n": 1}]
