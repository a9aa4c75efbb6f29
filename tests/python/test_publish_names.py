"""Names and comments survive `lakegate publish` exactly.

Identifiers: reserved words, mixed case, spaces, quotes, non-ASCII, several non-main schemas.
Comments (table, view, column, view column) with quotes, newlines, tabs and non-ASCII text. A plain
DuckDB reads the lake and must find every table and view under its exact name with its exact
comments; view-column comments, which DuckLake cannot store, must be in lakegate's publish record
and in the pins (checked with Python `pins`).
"""

from __future__ import annotations

import json

import pins
import pytest

from support.publishing import Lake, columns, comment_of, except_count, literal, new_lake, quote

TRICKY = (
    "It's a \"quoted\" comment;\nwith a second line,\ttabs, a backslash \\ and -- not SQL;\n"
    "Café, Straße, 東京, emoji 😀, RTL שלום, combining e\u0301 — and a trailing newline\n"
)

SCHEMAS = ["main", "Sales Data", "select", "énergie", "ALL CAPS", 'with "quotes"']

# (schema, table) pairs, each with awkward column names.
TABLES = [
    ("main", "Table"),
    ("main", "order"),
    ("main", "with space"),
    ("Sales Data", 'Q1 "Totals"'),
    ("select", "from"),
    ("énergie", "consommation_électrique"),
    ("ALL CAPS", "MixedCase"),
    ('with "quotes"', "it's"),
]
COLUMNS = ["select", "Mixed Case", "with space", 'quo"te', "it's", "ünïcødé 😀", "group", "ID"]


def table_comment(schema: str, table: str) -> str:
    return f"{TRICKY}table {schema}.{table}"


def column_comment(schema: str, table: str, column: str) -> str:
    return f"column {column!r} of {schema}.{table}: {TRICKY}"


def source_sql() -> list[str]:
    stmts = [f"CREATE SCHEMA {quote(s)}" for s in SCHEMAS if s != "main"]
    for schema, table in TABLES:
        q = f"{quote(schema)}.{quote(table)}"
        cols = ", ".join(
            f"{i} + n AS {quote(c)}" if i % 2 == 0 else f"'v' || n || {literal(c)} AS {quote(c)}"
            for i, c in enumerate(COLUMNS)
        )
        stmts.append(f"CREATE TABLE {q} AS SELECT {cols} FROM range(20) t(n)")
        stmts.append(f"COMMENT ON TABLE {q} IS {literal(table_comment(schema, table))}")
        for c in COLUMNS:
            stmts.append(f"COMMENT ON COLUMN {q}.{quote(c)} IS {literal(column_comment(schema, table, c))}")
    # Views in a non-main schema, one referring to another schema, one to a view.
    stmts += [
        'CREATE VIEW "select"."view of ""from""" AS SELECT "select", "Mixed Case" FROM "select"."from" WHERE "select" % 2 = 0',
        f"COMMENT ON VIEW \"select\".\"view of \"\"from\"\"\" IS {literal(table_comment('select', 'view'))}",
        f"COMMENT ON COLUMN \"select\".\"view of \"\"from\"\"\".\"select\" IS {literal('view column: ' + TRICKY)}",
        "COMMENT ON COLUMN \"select\".\"view of \"\"from\"\"\".\"Mixed Case\" IS 'second view column, ''quoted'''",
        'CREATE VIEW "Sales Data"."Joined View" AS SELECT a."ID", b."with space" FROM main."Table" a JOIN "select"."from" b USING ("ID")',
        'CREATE VIEW main."view on a view" AS SELECT count(*) AS "n rows" FROM "select"."view of ""from"""',
        "COMMENT ON COLUMN main.\"view on a view\".\"n rows\" IS 'Zählung der Zeilen 🧮'",
    ]
    # Comments that are empty strings, or absent.
    stmts += [
        "CREATE TABLE main.no_comments (a INTEGER, b VARCHAR)",
        "INSERT INTO main.no_comments VALUES (1, 'x')",
        "CREATE TABLE main.empty_comment (a INTEGER)",
        "INSERT INTO main.empty_comment VALUES (1)",
        "COMMENT ON TABLE main.empty_comment IS ''",
        "COMMENT ON COLUMN main.empty_comment.a IS ''",
    ]
    return stmts


@pytest.fixture(scope="module")
def names_lake(tmp_path_factory: pytest.TempPathFactory, lakegate_bin, extension_root) -> Lake:
    lake = new_lake(tmp_path_factory.mktemp("names"), source_sql())
    lake.publish("--message", "names and comments")
    return lake


def test_every_table_and_schema_is_there_under_its_exact_name(names_lake: Lake) -> None:
    con = names_lake.attach()
    tables = set(
        con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'l' AND schema_name <> '_lakegate'"
        ).fetchall()
    )
    assert tables == set(TABLES) | {("main", "no_comments"), ("main", "empty_comment")}
    views = set(con.execute("SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = 'l'").fetchall())
    assert views == {("select", 'view of "from"'), ("Sales Data", "Joined View"), ("main", "view on a view")}
    schemas = {r[0] for r in con.execute("SELECT schema_name FROM duckdb_schemas() WHERE database_name = 'l'").fetchall()}
    assert set(SCHEMAS) <= schemas


def test_rows_and_column_names_survive(names_lake: Lake) -> None:
    con = names_lake.attach()
    con.execute(f"ATTACH '{names_lake.source}' AS s (READ_ONLY)")
    for schema, table in TABLES:
        assert [c[0] for c in columns(con, "l", schema, table)] == COLUMNS
        q = f"{quote(schema)}.{quote(table)}"
        assert except_count(con, f"s.{q}", f"l.{q}") == (0, 0), q
    for schema, view in [("select", 'view of "from"'), ("Sales Data", "Joined View"), ("main", "view on a view")]:
        q = f"{quote(schema)}.{quote(view)}"
        assert except_count(con, f"s.{q}", f"l.{q}") == (0, 0), q
    assert con.execute('SELECT "n rows" FROM l.main."view on a view"').fetchone()[0] == 10


def test_table_and_column_comments_are_exact(names_lake: Lake) -> None:
    con = names_lake.attach()
    for schema, table in TABLES:
        assert comment_of(con, "l", schema, table) == table_comment(schema, table)
        for name, _, comment in columns(con, "l", schema, table):
            assert comment == column_comment(schema, table, name), (schema, table, name)
    assert comment_of(con, "l", "main", "no_comments") is None
    assert [c[2] for c in columns(con, "l", "main", "no_comments")] == [None, None]
    # An empty comment stays empty (DuckDB itself keeps '' apart from no comment).
    con.execute(f"ATTACH '{names_lake.source}' AS s (READ_ONLY)")
    assert comment_of(con, "l", "main", "empty_comment") == comment_of(con, "s", "main", "empty_comment")
    assert columns(con, "l", "main", "empty_comment")[0][2] == columns(con, "s", "main", "empty_comment")[0][2]


def test_view_comment_is_in_the_lake_and_view_column_comments_in_the_record(names_lake: Lake) -> None:
    con = names_lake.attach()
    assert comment_of(con, "l", "select", 'view of "from"') == table_comment("select", "view")
    rec = con.execute(
        "SELECT kind, columns::VARCHAR FROM l._lakegate.published WHERE schema_name = 'select' AND table_name = 'view of \"from\"'"
    ).fetchone()
    assert rec[0] == "view"
    cols = {c["name"]: c["comment"] for c in json.loads(rec[1])}
    assert cols == {"select": "view column: " + TRICKY, "Mixed Case": "second view column, 'quoted'"}


def test_pins_carry_names_and_comments(names_lake: Lake) -> None:
    board = pins.board_folder(str(names_lake.pins))
    listed = board.pin_list()
    con = names_lake.attach()
    recorded = dict(
        ((s, t), p)
        for s, t, p in con.execute("SELECT schema_name, table_name, pin_name FROM l._lakegate.published").fetchall()
    )
    assert len(recorded) == len(TABLES) + 2 + 3
    assert sorted(listed) == sorted(recorded.values())
    assert len(set(recorded.values())) == len(recorded), "pin names must be unique"
    for (schema, table), pin in recorded.items():
        meta = board.pin_meta(pin)
        assert meta.title == (table if schema == "main" else f"{schema}.{table}")
        assert meta.user["schema"] == schema and meta.user["table"] == table
        if (schema, table) in TABLES:
            assert meta.description == table_comment(schema, table)
            assert list(meta.user["columns"]) == COLUMNS
            for c in COLUMNS:
                assert meta.user["columns"][c] == column_comment(schema, table, c)
            df = board.pin_read(pin)
            assert list(df.columns) == COLUMNS and len(df) == 20
    view = board.pin_meta(recorded[("select", 'view of "from"')])
    assert view.user["kind"] == "view"
    assert view.user["columns"] == {"select": "view column: " + TRICKY, "Mixed Case": "second view column, 'quoted'"}
    assert board.pin_meta(recorded[("main", "view on a view")]).user["columns"] == {"n rows": "Zählung der Zeilen 🧮"}


def test_pin_names_follow_the_rules(names_lake: Lake) -> None:
    """Lower case, [a-z0-9._-] only, `schema.table` outside main (docs/pins-format.md §9)."""
    import re

    for pin in pins.board_folder(str(names_lake.pins)).pin_list():
        assert re.fullmatch(r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9_])?", pin) and ".." not in pin, pin
    con = names_lake.attach()
    got = dict(
        ((s, t), p)
        for s, t, p in con.execute("SELECT schema_name, table_name, pin_name FROM l._lakegate.published").fetchall()
    )
    assert got[("main", "Table")] == "table"
    assert got[("select", "from")] == "select.from"
    assert got[("Sales Data", 'Q1 "Totals"')] == "sales_data.q1__totals_"


def test_colliding_pin_names_get_distinct_pins(tmp_path, lakegate_bin, extension_root) -> None:
    lake = new_lake(
        tmp_path,
        [
            'CREATE TABLE "Sales Report" AS SELECT 1 AS a',
            "COMMENT ON TABLE \"Sales Report\" IS 'with a space'",
        ],
    )
    lake.publish()
    board = pins.board_folder(str(lake.pins))
    assert board.pin_list() == ["sales_report"]
    from support.publishing import make_source

    # DuckDB names are case-insensitive, so only replaced characters can collide.
    make_source(lake.source, ["CREATE TABLE sales_report AS SELECT 2 AS a", "COMMENT ON TABLE sales_report IS 'plain'"])
    lake.publish()
    listed = sorted(board.pin_list())
    assert len(listed) == 2 and "sales_report" in listed, listed
    other = next(p for p in listed if p != "sales_report")
    assert re_match(r"sales_report-[0-9a-f]{5}", other)
    assert board.pin_meta("sales_report").description == "plain"
    assert board.pin_meta(other).description == "with a space"
    assert board.pin_read(other)["a"].tolist() == [1]
    assert board.pin_read("sales_report")["a"].tolist() == [2]
    con = lake.attach()
    assert dict(con.execute("SELECT table_name, pin_name FROM l._lakegate.published").fetchall()) == {
        "Sales Report": other,
        "sales_report": "sales_report",
    }


def re_match(pattern: str, s: str) -> bool:
    import re

    return re.fullmatch(pattern, s) is not None
