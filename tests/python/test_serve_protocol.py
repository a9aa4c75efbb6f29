"""`lakegate serve` with real clients: the simple and extended protocols, text and binary
results, cursors, COPY, settings, transactions and errors (issue 3).

Every test talks to a real server on 127.0.0.1 serving the published sample lake."""

from __future__ import annotations

import datetime as dt
import decimal
import subprocess
import threading
import uuid

import psycopg
import psycopg2
import pytest

SQLSTATE = lambda e: getattr(e, "sqlstate", None) or getattr(e, "pgcode", None)  # noqa: E731


def test_startup_parameters_look_like_postgres(lakegate_server):
    with lakegate_server.connect() as conn:
        info = conn.info
        assert info.server_version == 160006
        assert info.parameter_status("server_version").startswith("16.")
        assert info.parameter_status("client_encoding") == "UTF8"
        assert info.parameter_status("DateStyle").startswith("ISO")
        assert info.parameter_status("integer_datetimes") == "on"
        assert info.parameter_status("standard_conforming_strings") == "on"
        assert info.parameter_status("default_transaction_read_only") == "on"
        assert info.parameter_status("TimeZone") == "UTC"
        assert info.backend_pid > 0


def test_simple_query_with_several_statements(lakegate_server):
    out = subprocess.run(
        ["psql", lakegate_server.dsn(), "-At", "-c",
         "SELECT 1; SELECT count(*) FROM local_authorities; SELECT 'a;b'"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    assert out == ["1", "24", "a;b"]


def test_psql_file_and_copy_to_stdout(lakegate_server, tmp_path):
    script = tmp_path / "q.sql"
    script.write_text(
        "SELECT la_code FROM local_authorities ORDER BY la_code LIMIT 2;\n"
        "\\copy (SELECT la_code, population_2021 FROM local_authorities ORDER BY la_code LIMIT 3) to stdout with csv header\n"
    )
    out = subprocess.run(["psql", lakegate_server.dsn(), "-At", "-f", str(script)],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[:2] == ["E06000100", "E06000104"]
    assert out[2] == "la_code,population_2021"
    assert out[3].startswith("E06000100,") and len(out) == 6


def test_extended_protocol_parameters_text_and_binary(lakegate_server):
    with lakegate_server.connect() as conn:
        rows = conn.execute(
            "SELECT la_code, population_2021 FROM local_authorities WHERE population_2021 > %s AND region_name = %s ORDER BY 2",
            (100000, "London"),
        ).fetchall()
        assert rows and all(r[1] > 100000 for r in rows)
        with conn.cursor(binary=True) as cur:
            cur.execute("SELECT %s::INTEGER + 1 AS n, %s::VARCHAR AS s, %s::DATE AS d", (41, "é", dt.date(2024, 1, 2)))
            assert cur.fetchone() == (42, "é", dt.date(2024, 1, 2))
        # the same statement several times: prepared server-side by psycopg after a few runs
        for i in range(8):
            assert conn.execute("SELECT %s::BIGINT * 2", (i,)).fetchone() == (2 * i,)


TYPES_QUERY = """
SELECT true AS b, NULL::BOOLEAN AS bn, 7::TINYINT AS ti, 300::SMALLINT AS si, 70000::INTEGER AS i,
       9000000000::BIGINT AS bi, 170141183460469231731687303715884105727::HUGEINT AS hi,
       255::UTINYINT AS uti, 65535::USMALLINT AS usi, 4294967295::UINTEGER AS ui,
       18446744073709551615::UBIGINT AS ubi, 1.5::FLOAT AS f, -2.25::DOUBLE AS d,
       'NaN'::DOUBLE AS dnan, 'inf'::DOUBLE AS dinf, 123.45::DECIMAL(10,2) AS dec,
       -0.000001::DECIMAL(38,10) AS dec38, 'héllo ✓ 日本' AS v, '{"a": [1, 2]}'::JSON AS j,
       '\\x00\\xFF'::BLOB AS bl, DATE '2024-02-29' AS dt, TIME '13:14:15.5' AS t,
       TIMESTAMP '2024-02-29 13:14:15.123456' AS ts, TIMESTAMPTZ '2024-02-29 13:14:15+00' AS tstz,
       INTERVAL '1 year 2 months 3 days 04:05:06' AS iv,
       '2ac4f7d6-d136-aeec-a9ec-dc87e4872d25'::UUID AS u, [1, 2, NULL] AS l, ['a', 'b c'] AS lt,
       {'x': 1, 'y': 'z'} AS st, MAP {'k': 1} AS m, 'POINT (1 2)'::GEOMETRY AS g
"""

EXPECTED = {
    "b": True, "bn": None, "ti": 7, "si": 300, "i": 70000, "bi": 9000000000,
    "hi": decimal.Decimal("170141183460469231731687303715884105727"),
    "uti": 255, "usi": 65535, "ui": 4294967295,
    "ubi": decimal.Decimal("18446744073709551615"), "f": 1.5, "d": -2.25,
    "dec": decimal.Decimal("123.45"), "dec38": decimal.Decimal("-0.0000010000"),
    "v": "héllo ✓ 日本", "j": {"a": [1, 2]}, "bl": b"\x00\xff", "dt": dt.date(2024, 2, 29),
    "t": dt.time(13, 14, 15, 500000), "ts": dt.datetime(2024, 2, 29, 13, 14, 15, 123456),
    "tstz": dt.datetime(2024, 2, 29, 13, 14, 15, tzinfo=dt.timezone.utc),
    "iv": dt.timedelta(days=365 + 60 + 3, hours=4, minutes=5, seconds=6),
    "u": uuid.UUID("2ac4f7d6-d136-aeec-a9ec-dc87e4872d25"), "l": [1, 2, None], "lt": ["a", "b c"],
    "st": {"x": 1, "y": "z"}, "m": {"k": 1},
    "g": bytes.fromhex("0101000000000000000000f03f0000000000000040"),
}


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_every_type_decodes_in_psycopg(lakegate_server, binary):
    with lakegate_server.connect() as conn, conn.cursor(binary=binary) as cur:
        cur.execute(TYPES_QUERY)
        row = dict(zip([d.name for d in cur.description], cur.fetchone()))
    import math
    assert math.isnan(row.pop("dnan"))
    assert row.pop("dinf") == float("inf")
    iv = row.pop("iv")
    expected_iv = EXPECTED["iv"]
    # psycopg turns months into 30-day blocks: compare what it can represent
    assert iv == expected_iv, (iv, expected_iv)
    for k, v in EXPECTED.items():
        if k == "iv":
            continue
        assert row[k] == v, (k, row[k], v)


def test_type_oids_match_postgres_names(lakegate_server):
    with lakegate_server.connect() as conn, conn.cursor() as cur:
        cur.execute(TYPES_QUERY)
        oids = {d.name: d.type_code for d in cur.description}
    assert oids["b"] == 16 and oids["si"] == 21 and oids["i"] == 23 and oids["bi"] == 20
    assert oids["hi"] == 1700 and oids["ubi"] == 1700 and oids["dec"] == 1700
    assert oids["f"] == 700 and oids["d"] == 701 and oids["v"] == 25 and oids["j"] == 114
    assert oids["bl"] == 17 and oids["dt"] == 1082 and oids["t"] == 1083
    assert oids["ts"] == 1114 and oids["tstz"] == 1184 and oids["iv"] == 1186 and oids["u"] == 2950
    assert oids["l"] == 1007 and oids["lt"] == 1009 and oids["st"] == 114 and oids["g"] == 17


def test_psql_text_rendering(lakegate_server):
    out = subprocess.run(
        ["psql", lakegate_server.dsn(), "-At", "-F", "|", "-c",
         "SELECT 1.5::DECIMAL(10,2), DATE '2024-02-29', TIMESTAMPTZ '2024-02-29 13:14:15+00', "
         "INTERVAL '1 day 02:00:00', [1,2], true, 'x'::BLOB"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert out == "1.50|2024-02-29|2024-02-29 13:14:15+00|1 day 02:00:00|{1,2}|t|\\x78"


def test_time_zone_setting_changes_timestamptz_rendering(lakegate_server):
    with lakegate_server.connect() as conn:
        conn.execute("SET TimeZone = 'Europe/London'")
        assert conn.info.parameter_status("TimeZone") == "Europe/London"
        assert conn.execute("SHOW timezone").fetchone() == ("Europe/London",)
        (text,) = conn.execute("SELECT TIMESTAMPTZ '2024-07-01 12:00:00+00'::VARCHAR").fetchone()
        assert text.endswith("+01"), text
        (value,) = conn.execute("SELECT TIMESTAMPTZ '2024-07-01 12:00:00+00'").fetchone()
        assert value.utcoffset() == dt.timedelta(hours=1)


def test_set_show_reset_and_unknown_parameters(lakegate_server):
    with lakegate_server.connect(autocommit=True) as conn:
        conn.execute("SET application_name = 'notebook'")
        assert conn.execute("SHOW application_name").fetchone() == ("notebook",)
        conn.execute("SET search_path TO energy, public")
        assert conn.execute("SELECT count(*) FROM ghg_emissions").fetchone()[0] == 3024
        assert conn.execute("SELECT count(*) FROM local_authorities").fetchone()[0] == 24
        conn.execute("RESET search_path")
        with pytest.raises(psycopg.Error) as e:
            conn.execute("SELECT count(*) FROM ghg_emissions")
        assert SQLSTATE(e.value) == "42P01"
        conn.execute("SET statement_timeout = '5s'")
        assert conn.execute("SHOW statement_timeout").fetchone() == ("5000",)
        conn.execute("SET extra_float_digits = 3")
        conn.execute("SET client_encoding = 'UTF8'")
        with pytest.raises(psycopg.Error) as e:
            conn.execute("SET no_such_parameter = 1")
        assert SQLSTATE(e.value) == "42704"
        conn.execute("SET myapp.flag = 'on'")
        assert conn.execute("SHOW myapp.flag").fetchone() == ("on",)
        rows = conn.execute("SHOW ALL").fetchall()
        assert any(r[0] == "TimeZone" for r in rows)
        conn.execute("DISCARD ALL")
        assert conn.execute("SHOW application_name").fetchone() == ("",)
        # DuckDB's own SHOW still works for tables
        assert conn.execute("SHOW TABLES").fetchall()


def test_transactions_and_failed_blocks(lakegate_server):
    with lakegate_server.connect() as conn:
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        conn.execute("SELECT 1")
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        with pytest.raises(psycopg.Error) as e:
            conn.execute("SELECT * FROM no_such_table")
        assert SQLSTATE(e.value) == "42P01"
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INERROR
        with pytest.raises(psycopg.Error) as e:
            conn.execute("SELECT 1")
        assert SQLSTATE(e.value) == "25P02"
        conn.rollback()
        assert conn.execute("SELECT 2").fetchone() == (2,)
        conn.commit()
        with pytest.raises(psycopg.Error) as e:
            conn.execute("BEGIN READ WRITE")
        assert SQLSTATE(e.value) == "25006"


def test_errors_have_sqlstates_and_the_session_survives(lakegate_server):
    cases = [
        ("SELECT * FROM nope", "42P01"),
        ("SELECT nope FROM local_authorities", "42703"),
        ("SELEC 1", "42601"),
        ("SELECT 'abc'::INTEGER", "22P02"),
        ("SELECT 1 / 0::INTEGER % 0", None),
        ("SELECT no_such_function(1)", "42883"),
        ("INSERT INTO local_authorities (la_code) VALUES ('x')", "25006"),
        ("SELECT * FROM read_csv('/etc/passwd')", "42501"),
    ]
    with lakegate_server.connect(autocommit=True) as conn:
        for sql, code in cases:
            try:
                conn.execute(sql)
            except psycopg.Error as e:
                if code is not None:
                    assert SQLSTATE(e) == code, (sql, SQLSTATE(e), str(e))
            else:
                assert code is None, sql
            assert conn.execute("SELECT 42").fetchone() == (42,)


def test_named_cursor_streams_300k_rows(lakegate_server):
    with lakegate_server.connect() as conn:
        with conn.cursor(name="big") as cur:
            cur.itersize = 5000
            cur.execute("SELECT range AS n, range * 2 AS m FROM range(300000)")
            total = count = 0
            for n, m in cur:
                count += 1
                total += n
                assert m == 2 * n
        assert count == 300000 and total == sum(range(300000))


def test_sql_cursors_declare_fetch_move_close(lakegate_server):
    with lakegate_server.connect() as conn:
        conn.execute("DECLARE c CURSOR FOR SELECT range AS n FROM range(10)")
        assert conn.execute("FETCH 3 FROM c").fetchall() == [(0,), (1,), (2,)]
        conn.execute("MOVE 2 IN c")
        assert conn.execute("FETCH NEXT FROM c").fetchall() == [(5,)]
        assert conn.execute("FETCH ALL FROM c").fetchall() == [(6,), (7,), (8,), (9,)]
        assert conn.execute("FETCH c").fetchall() == []
        conn.execute("CLOSE c")
        with pytest.raises(psycopg.Error) as e:
            conn.execute("FETCH c")
        assert SQLSTATE(e.value) == "34000"
        conn.rollback()
    with lakegate_server.connect(autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as e:
            conn.execute("DECLARE c CURSOR FOR SELECT 1")
        assert SQLSTATE(e.value) == "25P01"
        conn.execute("DECLARE h CURSOR WITH HOLD FOR SELECT 1 AS x")
        assert conn.execute("FETCH ALL h").fetchall() == [(1,)]


def test_portal_suspension_with_asyncpg_cursor(lakegate_server):
    import asyncio

    import asyncpg

    async def run():
        conn = await asyncpg.connect(host="127.0.0.1", port=lakegate_server.port, user="analyst", database="lake")
        try:
            async with conn.transaction():
                seen = [r["n"] async for r in conn.cursor("SELECT range AS n FROM range($1::BIGINT)", 1000, prefetch=64)]
            return seen
        finally:
            await conn.close()

    assert asyncio.run(run()) == list(range(1000))


def test_copy_to_stdout_text_csv_and_binary(lakegate_server):
    with lakegate_server.connect() as conn, conn.cursor() as cur:
        with cur.copy("COPY (SELECT la_code, population_2021 FROM local_authorities ORDER BY la_code LIMIT 2) TO STDOUT") as copy:
            text = b"".join(bytes(b) for b in copy)
        lines = text.decode().splitlines()
        assert len(lines) == 2 and lines[0].startswith("E06000100\t")
        with cur.copy("COPY (SELECT 'a,b' AS s, NULL::INT AS n) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            csv_text = b"".join(bytes(b) for b in copy).decode()
        assert csv_text == 's,n\n"a,b",\n'
        with cur.copy("COPY (SELECT range::INTEGER AS n FROM range(3)) TO STDOUT (FORMAT binary)") as copy:
            copy.set_types(["int4"])
            assert [r for r in copy.rows()] == [(0,), (1,), (2,)]


def test_psycopg2_and_pandas(lakegate_server):
    import pandas as pd

    conn = psycopg2.connect(lakegate_server.dsn())
    try:
        cur = conn.cursor()
        cur.execute("SELECT la_code, population_2021 FROM local_authorities WHERE la_code = %s", ("E06000100",))
        assert cur.fetchall() == [("E06000100", 225958)]
        df = pd.read_sql_query(
            "SELECT region_name, count(*) AS n FROM local_authorities WHERE population_2021 > %(min)s GROUP BY 1 ORDER BY 1",
            conn, params={"min": 0},
        )
        assert df["n"].sum() == 24
    finally:
        conn.close()


def test_concurrent_sessions(lakegate_server):
    errors: list[BaseException] = []
    results: list[int] = []

    def worker(i: int) -> None:
        try:
            with lakegate_server.connect(autocommit=True) as conn:
                for _ in range(5):
                    (n,) = conn.execute(
                        "SELECT count(*) FROM deprivation_index WHERE imd_decile = %s", (1 + i % 10,)
                    ).fetchone()
                    results.append(n)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert len(results) == 250 and all(n == 300 for n in results)


def test_describe_does_not_execute(lakegate_server):
    # A Describe of a statement that would run for hours returns at once with its columns:
    # prepare() sends Parse/Describe only.
    with lakegate_server.connect() as conn:
        cur = conn.cursor()
        stmt = "SELECT count(*) AS c, max(a.range) AS m FROM range(100000000000) a"
        conn.pgconn.prepare(b"huge", stmt.encode())
        desc = conn.pgconn.describe_prepared(b"huge")
        assert desc.nfields == 2
        assert [desc.fname(i) for i in range(2)] == [b"c", b"m"]
        cur.close()


EXOTIC_QUERY = """
SELECT 'b'::ENUM('a', 'b') AS e, union_value(n := 5)::UNION(n INTEGER, s VARCHAR) AS un,
       '01:02:03+05'::TIMETZ AS ttz, '10110'::BIT AS bits, [[1, 2], [3]] AS nested,
       TIMESTAMP_NS '2024-01-02 03:04:05.123456789' AS tsns, [1, 2, 3]::INTEGER[3] AS arr,
       1::UHUGEINT * 340282366920938463463374607431768211455 AS uhi, 12345678901234567890123::BIGNUM AS bn,
       [{'k': 1}] AS list_of_structs, ['b'::ENUM('a', 'b')] AS enum_list
"""


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_exotic_duckdb_types(lakegate_server, binary):
    with lakegate_server.connect() as conn, conn.cursor(binary=binary) as cur:
        cur.execute(EXOTIC_QUERY)
        oids = {d.name: d.type_code for d in cur.description}
        row = dict(zip(oids, cur.fetchone()))
    assert oids["e"] == 25 and row["e"] == "b"
    assert oids["un"] == 114 and row["un"] == {"n": 5}
    assert oids["ttz"] == 1266 and row["ttz"] == dt.time(1, 2, 3, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert oids["bits"] == 1562
    assert oids["nested"] == 114 and row["nested"] == [[1, 2], [3]]
    assert oids["tsns"] == 1114 and row["tsns"] == dt.datetime(2024, 1, 2, 3, 4, 5, 123456)
    assert oids["arr"] == 1007 and row["arr"] == [1, 2, 3]
    assert oids["uhi"] == 1700 and row["uhi"] == decimal.Decimal("340282366920938463463374607431768211455")
    assert oids["bn"] == 1700 and row["bn"] == decimal.Decimal("12345678901234567890123")
    assert oids["list_of_structs"] == 114 and row["list_of_structs"] == [{"k": 1}]
    assert oids["enum_list"] == 1009 and row["enum_list"] == ["b"]


def test_array_parameters(lakegate_server):
    with lakegate_server.connect() as conn:
        rows = conn.execute(
            "SELECT la_code FROM local_authorities WHERE list_contains(%s, la_code) ORDER BY 1",
            (["E06000100", "E06000104", "nope"],),
        ).fetchall()
        assert rows == [("E06000100",), ("E06000104",)]
        assert conn.execute("SELECT %s::INTEGER[]", ([1, None, 3],)).fetchone() == ([1, None, 3],)
