"""Every DuckDB type an analyst's table may hold survives `lakegate publish`, value for value.

A source with DuckDB's own extreme values (``test_all_types()``: minimum, maximum and NULL of each
type), hand-picked edge cases (NaN and infinities, Unicode of every kind, HUGEINT near its lake
limit, DECIMAL(38,10), GEOMETRY with a coordinate system) and a generated bulk table is published;
then a plain DuckDB (not lakegate code) reads the lake and the source side by side and compares
them row for row with EXCEPT ALL, both ways. Where the lake stores a type differently (ENUM as
VARCHAR, a fixed ARRAY as a LIST, HUGEINT as DECIMAL(38,0), TIME WITH TIME ZONE normalised to UTC,
GEOMETRY without its CRS, which the publish record keeps) the comparison casts the source the same
way, and a separate test checks the lake's types and the plan's notes.
"""

from __future__ import annotations

import json

import pytest

from support.publishing import Lake, columns, except_count, new_lake, quote

# test_all_types() columns a DuckLake can store (the others are refused: see
# test_publish_failures.py): hugeint/uhugeint extremes exceed DECIMAL(38,0) (HUGEINT near that
# limit is in `scalars`); TIME_NS, BIT, UNION, BIGNUM and nested fixed arrays cannot be stored; the
# extreme interval's microseconds are cut to whole milliseconds, all a parquet INTERVAL holds.
TAT_COLUMNS = [
    "bool", "tinyint", "smallint", "int", "bigint", "utinyint", "usmallint", "uint", "ubigint",
    "date", "time", "timestamp", "timestamp_s", "timestamp_ms", "timestamp_ns", "time_tz",
    "timestamp_tz", "float", "double", "dec_4_1", "dec_9_4", "dec_18_6", "dec38_10", "uuid",
    "interval - to_microseconds(datepart('microseconds', interval) % 1000) AS interval", "varchar", "blob", "small_enum", "medium_enum", "large_enum", "int_array",
    "double_array", "date_array", "timestamp_array", "timestamptz_array", "varchar_array",
    "nested_int_array", "struct", "struct_of_arrays", "array_of_structs", "map", "fixed_int_array",
    "fixed_varchar_array", "geometry",
]  # fmt: skip

UNICODE = [
    "emoji 😀👩‍👩‍👧‍👦🏳️‍🌈",
    "right-to-left שלום עולם and العربية",
    "combining e\u0301 vs é, Å vs A\u030a",
    "CJK 東京都 한국어 日本語",
    "zero width \u200b joiner \u200d and BOM \ufeff",
    "quotes ' \" ` and backslash \\ and tab \t and newline \n end",
    "",
    "  leading and trailing spaces  ",
    "math 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and astral 𐍈",
]


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


SOURCE_SQL = [
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
    f"CREATE TABLE extremes AS SELECT row_number() OVER () AS row_id, {', '.join(TAT_COLUMNS)} FROM test_all_types()",
    """
    CREATE TABLE scalars (
        id INTEGER, ti TINYINT, si SMALLINT, i INTEGER, bi BIGINT,
        uti UTINYINT, usi USMALLINT, ui UINTEGER, ubi UBIGINT,
        hi HUGEINT, uhi UHUGEINT,
        d38 DECIMAL(38,10), d5 DECIMAL(5,2), d18 DECIMAL(18,4), d38_0 DECIMAL(38,0),
        f FLOAT, db DOUBLE, v VARCHAR, b BOOLEAN,
        dt DATE, tm TIME, ts TIMESTAMP, ts_s TIMESTAMP_S, ts_ms TIMESTAMP_MS, ts_ns TIMESTAMP_NS,
        tstz TIMESTAMPTZ, ttz TIMETZ, iv INTERVAL, u UUID, bl BLOB,
        l INTEGER[], ls VARCHAR[], st STRUCT(a INTEGER, "b c" VARCHAR, d DOUBLE[]), m MAP(VARCHAR, INTEGER),
        j JSON, g GEOMETRY('EPSG:27700'), e mood, arr DOUBLE[3]
    )""",
    f"""
    INSERT INTO scalars VALUES
    (1, -128, -32768, -2147483648, -9223372036854775808, 0, 0, 0, 0,
     -99999999999999999999999999999999999999, 0,
     -9999999999999999999999999999.9999999999, -999.99, 0.0001, 99999999999999999999999999999999999999,
     'nan'::FLOAT, 'nan'::DOUBLE, {_sql_str(UNICODE[0])}, NULL,
     DATE '0001-01-01', TIME '00:00:00', TIMESTAMP '1970-01-01', TIMESTAMP_S '2000-01-01 00:00:01',
     TIMESTAMP_MS '2000-01-01 00:00:00.123', TIMESTAMP_NS '2000-01-01 00:00:00.123456789',
     TIMESTAMPTZ '2024-03-31 01:30:00+00', TIMETZ '12:00:00+02', INTERVAL '1 year 2 months 3 days 04:05:06.789',
     '00000000-0000-0000-0000-000000000000', '\\x00\\xFF\\x00'::BLOB,
     [1, NULL, 3], ['a', NULL, ''], {{'a': 1, 'b c': 'x', 'd': [1.5, NULL]}}, MAP {{'k': 1, 'l': NULL}},
     '{{"a": [1, 2, {{"b": null}}], "ü": "ß"}}', ST_GeomFromText('POINT(400000 100000)'), 'sad', [1.0, 2.0, 3.0]),
    (2, 127, 32767, 2147483647, 9223372036854775807, 255, 65535, 4294967295, 18446744073709551615,
     99999999999999999999999999999999999999, 99999999999999999999999999999999999999,
     9999999999999999999999999999.9999999999, 999.99, -1.5, -99999999999999999999999999999999999999,
     'inf'::FLOAT, '-inf'::DOUBLE, {_sql_str(UNICODE[1])}, true,
     DATE '9999-12-31', TIME '23:59:59.999999', TIMESTAMP '2262-04-11 23:47:16', TIMESTAMP_S '1677-09-22 00:00:00',
     TIMESTAMP_MS '2262-04-11 23:47:16.854', TIMESTAMP_NS '2262-04-11 23:47:16.854775806',
     TIMESTAMPTZ '1900-01-01 00:00:00+05:30', TIMETZ '23:59:59.999999-15:59', INTERVAL '0 seconds',
     'ffffffff-ffff-ffff-ffff-ffffffffffff', ''::BLOB,
     [], [], {{'a': NULL, 'b c': NULL, 'd': []}}, MAP {{}},
     'null', ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))'), 'happy', [NULL, 0.0, -0.0]),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     'inf'::FLOAT, 'inf'::DOUBLE, NULL, false,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL,
     ST_GeomFromText('MULTILINESTRING((0 0, 1 1), (2 2, 3 3))'), NULL, NULL),
    (4, 0, 0, 0, 0, 1, 1, 1, 1, 12345678901234567890123456789, 1,
     0.0000000001, 0.01, 0.0, 0, '-inf'::FLOAT, 5e-324, {_sql_str(UNICODE[2])}, NULL,
     DATE '2024-02-29', TIME '12:34:56.000001', TIMESTAMP '2024-02-29 12:34:56.000001', TIMESTAMP_S '2024-02-29 12:34:56',
     TIMESTAMP_MS '2024-02-29 12:34:56.789', TIMESTAMP_NS '1677-09-22 00:00:00.000000001',
     TIMESTAMPTZ '2024-10-27 01:30:00+01', TIMETZ '00:00:00+00', INTERVAL '1 millisecond',
     '123e4567-e89b-12d3-a456-426614174000', 'lakegate'::BLOB,
     [2147483647, -2147483648], ['😀'], {{'a': -1, 'b c': '', 'd': NULL}}, MAP {{'': 0}},
     '[]', ST_GeomFromText('POINT EMPTY'), 'ok', [1e308, -1e308, 5e-324])
    """,
    "INSERT INTO scalars (id, v, b) SELECT 100 + i, s, NULL FROM (SELECT unnest(?) AS s, generate_subscripts(?, 1) AS i)",
    """
    CREATE TABLE generated AS
    SELECT
        i::BIGINT AS id,
        (i % 127)::TINYINT AS small,
        hash(i)::UBIGINT AS h,
        (hash(i) % 1000000)::HUGEINT * 1000000000000 AS big,
        ((hash(i, 'd') % 100000000) / 1000.0)::DECIMAL(18,3) AS amount,
        CASE WHEN i % 13 = 0 THEN 'nan'::DOUBLE ELSE (hash(i, 'x') % 100000) / 7.0 END AS ratio,
        CASE WHEN i % 7 = 0 THEN NULL ELSE i % 2 = 0 END AS flag,
        'row ' || i || ' ' || chr((19968 + i % 20000)::INTEGER) || chr((128512 + i % 64)::INTEGER) AS label,
        DATE '2000-01-01' + (i % 9000)::INTEGER AS day,
        TIMESTAMP '2000-01-01' + to_microseconds((hash(i, 't') % 800000000000000)::BIGINT) AS at,
        TIMESTAMPTZ '2000-01-01 00:00:00+00' + to_seconds(i::BIGINT) AS at_tz,
        to_days((i % 400)::INTEGER) + to_milliseconds(i::BIGINT) AS span,
        md5(i::VARCHAR)::UUID AS uid,
        encode('blob ' || i) AS bytes,
        [i, i + 1, NULL][1:(i % 4)::INTEGER] AS ints,
        {'k': i % 10, 'name': 'n' || i} AS rec,
        MAP {'a': i, 'b': i * 2} AS pairs,
        ('{"i": ' || i || '}')::JSON AS doc,
        ST_Point(400000 + i % 1000, 100000 + i // 1000)::GEOMETRY('EPSG:27700') AS pt,
        (['sad', 'ok', 'happy'][(i % 3) + 1])::mood AS feeling
    FROM range(30000) t(i)
    """,
]


def conversion(name: str, source_type: str) -> str:
    """How to compare a source column with its lake column in plain DuckDB."""
    col = quote(name)
    t = source_type.upper()
    if t.startswith("ENUM("):
        return f"{col}::VARCHAR"
    if t.endswith("]") and t[t.rfind("[") + 1 : -1].isdigit():
        return f"{col}::{source_type[: source_type.rfind('[')]}[]"
    if t in ("HUGEINT", "UHUGEINT"):
        return f"{col}::DECIMAL(38,0)"
    if t.startswith("GEOMETRY"):
        return f"ST_AsHEXWKB({col})"
    if t == "TIME WITH TIME ZONE":
        # The instant of the day (parquet normalises to UTC, modulo 24 h).
        return f"(((epoch({col}) - extract('timezone' FROM {col})) % 86400 + 86400) % 86400)"
    return col


@pytest.fixture(scope="module")
def types_lake(tmp_path_factory: pytest.TempPathFactory, lakegate_bin, extension_root) -> Lake:
    d = tmp_path_factory.mktemp("types")
    lake = new_lake(d, pins=False)
    from support.publishing import plain_duckdb

    con = plain_duckdb("spatial")
    con.execute(f"ATTACH '{lake.source}' AS src (STORAGE_VERSION 'v1.5.0')")
    con.execute("USE src")
    for stmt in SOURCE_SQL:
        if "unnest(?)" in stmt:
            con.execute(stmt, [UNICODE, UNICODE])
        else:
            con.execute(stmt)
    con.execute("USE memory")
    con.close()
    out = lake.publish("--message", "every type")
    lake.output = out.stdout + out.stderr  # type: ignore[attr-defined]
    return lake


def compare_table(lake: Lake, table: str) -> None:
    con = lake.attach()
    con.execute(f"ATTACH '{lake.source}' AS s (READ_ONLY)")
    src_cols = columns(con, "s", "main", table)
    lake_cols = columns(con, "l", "main", table)
    assert [c[0] for c in src_cols] == [c[0] for c in lake_cols], "column names or order differ"
    exprs = ", ".join(conversion(n, t) for n, t, _ in src_cols)
    left = f"(SELECT {exprs} FROM s.main.{quote(table)})"
    right = f"(SELECT {exprs} FROM l.main.{quote(table)})"
    n_src = con.execute(f"SELECT count(*) FROM s.main.{quote(table)}").fetchone()[0]
    n_lake = con.execute(f"SELECT count(*) FROM l.main.{quote(table)}").fetchone()[0]
    assert n_src == n_lake and n_src > 0
    if except_count(con, left, right) == (0, 0):
        return
    # Say which columns differ, with examples.
    problems = []
    for name, t, _ in src_cols:
        e = conversion(name, t)
        diff = except_count(con, f"(SELECT {e} FROM s.main.{quote(table)})", f"(SELECT {e} FROM l.main.{quote(table)})")
        if diff != (0, 0):
            ex = con.execute(
                f"SELECT ({e})::VARCHAR FROM s.main.{quote(table)} EXCEPT ALL SELECT ({e})::VARCHAR FROM l.main.{quote(table)} LIMIT 3"
            ).fetchall()
            problems.append(f"{name} ({t}): {diff} e.g. {ex}")
    pytest.fail(f"{table}: rows differ between source and lake:\n" + "\n".join(problems))


@pytest.mark.parametrize("table", ["extremes", "scalars", "generated"])
def test_every_value_survives(types_lake: Lake, table: str) -> None:
    compare_table(types_lake, table)


def test_row_hashes_match_for_types_stored_unchanged(types_lake: Lake) -> None:
    """A second, independent check: DuckDB's hash of every row over the columns whose type and
    value the lake keeps as is (not TIME WITH TIME ZONE, normalised to UTC), summed, is the same
    on both sides."""
    con = types_lake.attach()
    con.execute(f"ATTACH '{types_lake.source}' AS s (READ_ONLY)")
    for table in ("extremes", "scalars", "generated"):
        src = columns(con, "s", "main", table)
        lake = dict((n, t) for n, t, _ in columns(con, "l", "main", table))
        same = [quote(n) for n, t, _ in src if lake[n] == t and t != "TIME WITH TIME ZONE"]
        assert len(same) >= len(src) - 8, (table, src, lake)
        cols = ", ".join(same)
        q = "SELECT sum(hash({cols})::HUGEINT), count(*) FROM {t}"
        a = con.execute(q.format(cols=cols, t=f"s.main.{quote(table)}")).fetchone()
        b = con.execute(q.format(cols=cols, t=f"l.main.{quote(table)}")).fetchone()
        assert a == b, table


def test_lake_types_and_plan_notes(types_lake: Lake) -> None:
    con = types_lake.attach()
    con.execute(f"ATTACH '{types_lake.source}' AS s (READ_ONLY)")
    lake = {n: t for n, t, _ in columns(con, "l", "main", "scalars")}
    src = {n: t for n, t, _ in columns(con, "s", "main", "scalars")}
    assert src["g"] == "GEOMETRY('EPSG:27700')"
    expected_changes = {
        "hi": "DECIMAL(38,0)",
        "uhi": "DECIMAL(38,0)",
        "e": "VARCHAR",
        "arr": "DOUBLE[]",
        "g": "GEOMETRY",
    }
    for name, t in src.items():
        assert lake[name] == expected_changes.get(name, t), name
    out = types_lake.output  # type: ignore[attr-defined]
    for note in [
        "hi: HUGEINT stored as DECIMAL(38,0)",
        "uhi: UHUGEINT stored as DECIMAL(38,0)",
        "e: ENUM stored as VARCHAR",
        "arr: DOUBLE[3] stored as DOUBLE[]",
        "ttz: TIME WITH TIME ZONE stored normalised to UTC",
    ]:
        assert note in out, out


def test_geometry_crs_is_recorded(types_lake: Lake) -> None:
    """DuckLake keeps plain GEOMETRY; the coordinate system lives in lakegate's publish record."""
    con = types_lake.attach()
    cols = json.loads(
        con.execute(
            "SELECT columns::VARCHAR FROM l._lakegate.published WHERE schema_name = 'main' AND table_name = 'generated'"
        ).fetchone()[0]
    )
    pt = next(c for c in cols if c["name"] == "pt")
    assert pt["source_type"] == "GEOMETRY('EPSG:27700')"
    assert pt["crs"] == "EPSG:27700"
    feeling = next(c for c in cols if c["name"] == "feeling")
    assert feeling["source_type"].startswith("ENUM(")
