"""A publish that fails leaves the lake exactly as it was, and says what went wrong and where.

Each case starts from a lake with one published snapshot, makes the next publish fail (missing or
foreign source file, unknown config key, unreachable S3 endpoint, a column the lake cannot store,
a value parquet cannot hold, a view that cannot be re-created), and then checks: non-zero exit, a
message naming the file / key / table and column, and an unchanged lake (snapshot list, every
file of the data folder and of the pins board with its size and modification time, and the
previous data still readable by a plain DuckDB). Interrupting a publish (SIGINT, SIGKILL) is in
test_publish_large.py, where a table is big enough to interrupt it while it is being written.
"""

from __future__ import annotations

import sqlite3

import pytest

from support import free_port
from support.publishing import Lake, make_source, new_lake


def lake_state(lake: Lake) -> tuple:
    """Everything a failed publish must leave as it was."""
    pins_files = {}
    if lake.pins is not None and lake.pins.exists():
        pins_files = {
            str(p.relative_to(lake.pins)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(lake.pins.rglob("*"))
            if p.is_file()
        }
    con = lake.attach()
    try:
        rows = con.execute(
            "SELECT (SELECT count(*) FROM l.main.kept), (SELECT sum(v) FROM l.main.kept), "
            "(SELECT comment FROM duckdb_tables() WHERE database_name = 'l' AND table_name = 'kept')"
        ).fetchone()
    finally:
        con.close()
    return lake.snapshots(), lake.data_files(), pins_files, rows


@pytest.fixture
def lake(tmp_path, lakegate_bin, extension_root) -> Lake:
    lake = new_lake(
        tmp_path,
        [
            "CREATE TABLE kept AS SELECT range AS v FROM range(1000)",
            "COMMENT ON TABLE kept IS 'published before the failure'",
        ],
    )
    lake.publish("--message", "before")
    return lake


def assert_unchanged(lake: Lake, before: tuple) -> None:
    after = lake_state(lake)
    assert after[0] == before[0], "snapshots changed"
    assert after[1] == before[1], "data files changed"
    assert after[2] == before[2], "pins changed"
    assert after[3] == before[3] == (1000, 499500, "published before the failure")


def test_missing_source_file(lake: Lake) -> None:
    before = lake_state(lake)
    res = lake.publish("--source", str(lake.dir / "nope.duckdb"), check=False)
    assert res.returncode != 0
    assert "nope.duckdb" in res.stderr and "does not exist" in res.stderr, res.stderr
    assert_unchanged(lake, before)


@pytest.mark.parametrize("kind", ["text", "sqlite", "empty", "directory"])
def test_source_that_is_not_duckdb(lake: Lake, kind: str) -> None:
    path = lake.dir / f"not-duckdb-{kind}"
    if kind == "text":
        path.write_text("this is not a database\n" * 100)
    elif kind == "sqlite":
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE t (a INTEGER)")
        db.commit()
        db.close()
    elif kind == "empty":
        path.write_bytes(b"")
    else:
        path.mkdir()
    before = lake_state(lake)
    res = lake.publish("--source", str(path), check=False)
    assert res.returncode != 0
    assert path.name in res.stderr, res.stderr
    if kind != "empty":
        assert "not a DuckDB database" in res.stderr, res.stderr
    assert "panicked" not in res.stderr
    assert_unchanged(lake, before)
    if kind in ("text", "sqlite"):
        assert path.stat().st_size > 0  # the source is only ever read


def test_unknown_config_key_names_key_and_file(lake: Lake) -> None:
    bad = lake.dir / "bad.toml"
    bad.write_text(lake.config.read_text().replace("[publish]\n", "[publish]\nsorce = 'x.duckdb'\n"))
    before = lake_state(lake)
    res = lake.publish(config=bad, check=False)
    assert res.returncode != 0
    assert "sorce" in res.stderr and "bad.toml" in res.stderr, res.stderr
    assert_unchanged(lake, before)
    bad.write_text(lake.config.read_text() + "\n[nonsense]\nx = 1\n")
    res = lake.publish(config=bad, check=False)
    assert res.returncode != 0 and "nonsense" in res.stderr and "bad.toml" in res.stderr, res.stderr


def test_unreachable_s3_endpoint(tmp_path, lakegate_bin, extension_root) -> None:
    """A closed port on loopback: the error names the data path and the endpoint, quickly, and
    nothing is created (not even an empty catalogue)."""
    port = free_port()
    lake = new_lake(
        tmp_path,
        ["CREATE TABLE t AS SELECT 1 AS a"],
        data="s3://lake/data/",
        pins=False,
        s3={"region": "garage", "endpoint": f"127.0.0.1:{port}", "url_style": "path", "use_ssl": False},
        env={"AWS_ACCESS_KEY_ID": "GKtest", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "garage"},
    )
    res = lake.publish(check=False, timeout=300)
    assert res.returncode != 0
    assert "s3://lake/data/" in res.stderr and f"127.0.0.1:{port}" in res.stderr, res.stderr
    assert "secret" not in res.stderr + res.stdout
    assert not (tmp_path / "lake").exists()


UNSTORABLE = {
    "union": ("u UNION(n INTEGER, s VARCHAR)", "1", "UNION"),
    "bit": ("b BIT", "'101'::BIT", "BIT"),
    "bignum": ("b BIGNUM", "1", "BIGNUM"),
    "time_ns": ("t TIME_NS", "'12:00:00'::TIME_NS", "TIME_NS"),
    "nested_enum": ("s STRUCT(e ENUM('a', 'b'))", "{'e': 'a'}", "nested ENUM"),
    "nested_hugeint": ("h HUGEINT[]", "[1]", "nested HUGEINT"),
    "nested_fixed_array": ("a INTEGER[2][2]", "[[1, 2], [3, 4]]", "nested fixed-size ARRAY"),
}


@pytest.mark.parametrize("case", sorted(UNSTORABLE))
def test_type_the_lake_cannot_store(lake: Lake, case: str) -> None:
    column, value, what = UNSTORABLE[case]
    make_source(lake.source, [f"CREATE TABLE bad_{case} (id INTEGER, {column})", f"INSERT INTO bad_{case} VALUES (1, {value})"])
    before = lake_state(lake)
    for args in ([], ["--dry-run"]):
        res = lake.publish(*args, check=False)
        assert res.returncode != 0, res.stdout
        col = column.split()[0]
        assert f"bad_{case}.{col}" in res.stderr and what in res.stderr, res.stderr
        assert "publish a view that casts" in res.stderr
        assert_unchanged(lake, before)


VALUES = {
    "hugeint_overflow": ("h HUGEINT", "170141183460469231731687303715884105727", "h (HUGEINT)", "more than 38 digits"),
    "uhugeint_overflow": ("h UHUGEINT", "340282366920938463463374607431768211455", "h (UHUGEINT)", "more than 38 digits"),
    "negative_interval": ("i INTERVAL", "INTERVAL '-1 day'", "i (INTERVAL)", "negative part"),
    "mixed_sign_interval": ("i INTERVAL", "INTERVAL '1 month -1 day'", "i (INTERVAL)", "negative part"),
    "microsecond_interval": ("i INTERVAL", "INTERVAL '1 second 1 microsecond'", "i (INTERVAL)", "finer than a millisecond"),
}


@pytest.mark.parametrize("case", sorted(VALUES))
def test_value_parquet_cannot_hold(lake: Lake, case: str) -> None:
    """Data-dependent: the type is fine, one value is not. Named by table and column, before the
    lake changes (DuckDB itself would drop an interval's microseconds silently)."""
    column, value, named, why = VALUES[case]
    make_source(
        lake.source,
        [f"CREATE TABLE v_{case} (id INTEGER, {column})", f"INSERT INTO v_{case} SELECT range, NULL FROM range(500)",
         f"INSERT INTO v_{case} VALUES (1000, {value})"],
    )
    before = lake_state(lake)
    res = lake.publish(check=False)
    assert res.returncode != 0
    assert f"v_{case}" in res.stderr and named in res.stderr and why in res.stderr, res.stderr
    assert "nothing was committed and the lake is unchanged" in res.stderr
    assert_unchanged(lake, before)


def test_view_that_cannot_be_recreated(lake: Lake) -> None:
    """A view over a table that is not published (excluded) cannot exist in the lake."""
    make_source(lake.source, ["CREATE TABLE hidden AS SELECT 1 AS a", "CREATE VIEW shows_hidden AS SELECT a FROM hidden"])
    cfg = new_lake(lake.dir, publish={"exclude": ["hidden"]})
    before = lake_state(lake)
    res = cfg.publish(check=False)
    assert res.returncode != 0
    assert "shows_hidden" in res.stderr and "view" in res.stderr, res.stderr
    assert_unchanged(lake, before)


def test_a_failure_after_some_tables_were_written_commits_none(lake: Lake) -> None:
    """Tables are written in name order inside one transaction: a good table written before a bad
    one must not appear in the lake either."""
    make_source(
        lake.source,
        [
            "CREATE TABLE a_good AS SELECT range AS x FROM range(100000)",
            "CREATE TABLE b_good AS SELECT range AS x FROM range(100000)",
            "CREATE TABLE z_bad (i INTERVAL)",
            "INSERT INTO z_bad VALUES (INTERVAL '-1 hour')",
            "UPDATE kept SET v = v + 1",
        ],
    )
    before = lake_state(lake)
    res = lake.publish(check=False)
    assert res.returncode != 0
    assert "writing a_good" in res.stderr and "wrote b_good" in res.stderr, res.stderr
    assert_unchanged(lake, before)
    con = lake.attach()
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'l'").fetchall()}
    assert "a_good" not in tables and "b_good" not in tables


def test_a_value_failing_deep_into_a_big_write_leaves_no_file(lake: Lake) -> None:
    """The bad value comes after millions of good rows, so DuckDB has already written part of a
    parquet file when the statement fails: that file goes too."""
    make_source(
        lake.source,
        [
            "CREATE TABLE deep AS SELECT range AS id, (range * 1000)::HUGEINT AS h FROM range(3000000) ORDER BY id",
            "INSERT INTO deep VALUES (3000000, 170141183460469231731687303715884105727)",
        ],
    )
    before = lake_state(lake)
    res = lake.publish(check=False)
    assert res.returncode != 0
    assert "column h (HUGEINT)" in res.stderr and "deep" in res.stderr, res.stderr
    assert_unchanged(lake, before)
