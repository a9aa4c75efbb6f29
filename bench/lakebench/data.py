"""The benchmark's data, made by DuckDB (deterministic: the same sizes give the same rows):

- ``wide``: the streaming and publish table, ``wide_rows`` rows of 15 mixed-type columns (bigint,
  integer, smallint, two doubles, two decimals, three varchars one of them 10% NULL, date,
  timestamp, timestamptz, boolean, real);
- ``small``: 5,000 rows for the small concurrent queries (point lookup by ``id``, aggregate by
  ``grp``);
- TPC-H at scale factor ``tpch_sf`` from DuckDB's ``tpch`` extension (``CALL dbgen``).

All live in one source DuckDB file, which ``lakegate publish`` reads; PostgreSQL gets the same rows
through DuckDB's ``postgres`` extension (binary COPY), then the keys and indexes a PostgreSQL user
would give them, then ``VACUUM ANALYZE``.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from .servers import extension_root

#: The mixed-type table. ``hash(i, k)`` gives independent, repeatable pseudo-random columns.
WIDE_SQL = """
CREATE OR REPLACE TABLE wide AS
SELECT
  i::BIGINT AS id,
  (hash(i) % 1000000)::INTEGER AS k,
  (hash(i, 1) % 30000)::SMALLINT AS small,
  (hash(i, 2) % 1000000) / 1000.0::DOUBLE AS x,
  ((hash(i, 3) % 2000000)::DOUBLE - 1e6) / 7.0 AS y,
  ((hash(i, 4) % 10000000) / 100)::DECIMAL(12,2) AS amount,
  ((hash(i, 5) % 1000000000) / 1000000)::DECIMAL(18,6) AS rate,
  'name-' || (hash(i, 6) % 100000)::VARCHAR AS name,
  ['London','Leeds','Bristol','Cardiff','Glasgow','Belfast','York','Newcastle'][1 + (hash(i, 7) % 8)::INT] AS city,
  CASE WHEN hash(i, 8) % 10 = 0 THEN NULL
       ELSE 'note ' || md5(i::VARCHAR)[1:(10 + hash(i, 9) % 20)::INT] END AS note,
  (DATE '2000-01-01' + (hash(i, 10) % 9000)::INT) AS day,
  (TIMESTAMP '2015-01-01' + to_microseconds((hash(i, 11) % 300000000000000)::BIGINT)) AS created,
  (TIMESTAMPTZ '2020-01-01 00:00:00+00' + to_microseconds((hash(i, 12) % 100000000000000)::BIGINT)) AS updated,
  (hash(i, 13) % 2 = 0) AS active,
  ((hash(i, 14) % 100000) / 1000.0)::REAL AS score
FROM range({rows}) r(i)
"""

SMALL_SQL = """
CREATE OR REPLACE TABLE small AS
SELECT
  i::INTEGER AS id,
  (i % 50)::INTEGER AS grp,
  (hash(i) % 100000) / 100.0::DOUBLE AS val,
  'item ' || i::VARCHAR AS name,
  (DATE '2020-01-01' + (i % 1000)::INT) AS day
FROM range(1, {rows} + 1) r(i)
ORDER BY i
"""

TPCH_TABLES = ("region", "nation", "part", "supplier", "partsupp", "customer", "orders", "lineitem")

#: Keys and the foreign-key indexes a PostgreSQL user would create for TPC-H.
TPCH_PG_INDEXES = """
ALTER TABLE region ADD PRIMARY KEY (r_regionkey);
ALTER TABLE nation ADD PRIMARY KEY (n_nationkey);
ALTER TABLE part ADD PRIMARY KEY (p_partkey);
ALTER TABLE supplier ADD PRIMARY KEY (s_suppkey);
ALTER TABLE partsupp ADD PRIMARY KEY (ps_partkey, ps_suppkey);
ALTER TABLE customer ADD PRIMARY KEY (c_custkey);
ALTER TABLE orders ADD PRIMARY KEY (o_orderkey);
ALTER TABLE lineitem ADD PRIMARY KEY (l_orderkey, l_linenumber);
CREATE INDEX ON lineitem (l_partkey, l_suppkey);
CREATE INDEX ON orders (o_custkey);
CREATE INDEX ON partsupp (ps_suppkey);
CREATE INDEX ON customer (c_nationkey);
CREATE INDEX ON supplier (s_nationkey);
"""

OTHER_PG_INDEXES = """
ALTER TABLE wide ADD PRIMARY KEY (id);
ALTER TABLE small ADD PRIMARY KEY (id);
CREATE INDEX ON small (grp);
"""


def duckdb_connect(path: str | Path = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that loads extensions from the installed files only (offline)."""
    con = duckdb.connect(str(path))
    con.execute(f"SET extension_directory = '{extension_root()}'")
    con.execute("SET autoinstall_known_extensions = false; SET autoload_known_extensions = true")
    return con


def make_source(path: Path, *, wide_rows: int, small_rows: int, tpch_sf: float, log) -> dict[str, float]:
    """Writes the source DuckDB file; returns seconds per step. Reuses a file made with the
    same sizes (its ``.stamp`` says which)."""
    stamp = path.with_suffix(".stamp")
    wanted = f"wide={wide_rows} small={small_rows} sf={tpch_sf}"
    if path.exists() and stamp.exists() and stamp.read_text() == wanted:
        log(f"reusing {path} ({wanted})")
        return {}
    path.unlink(missing_ok=True)
    times = {}
    con = duckdb_connect(path)
    try:
        t = time.perf_counter()
        con.execute(WIDE_SQL.format(rows=int(wide_rows)))
        times["wide"] = time.perf_counter() - t
        log(f"generated wide: {wide_rows:,} rows in {times['wide']:.1f} s")
        con.execute(SMALL_SQL.format(rows=int(small_rows)))
        t = time.perf_counter()
        con.execute("LOAD tpch")
        con.execute(f"CALL dbgen(sf={tpch_sf})")
        times["tpch"] = time.perf_counter() - t
        log(f"generated TPC-H SF{tpch_sf:g} in {times['tpch']:.1f} s")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    stamp.write_text(wanted)
    return times


def load_postgres(pg, source: Path, *, log) -> float:
    """Copies every table of ``source`` into PostgreSQL database ``bench``, then adds keys and
    indexes and analyses. Returns the seconds it took."""
    t = time.perf_counter()
    con = duckdb_connect()
    try:
        con.execute("LOAD postgres_scanner")
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        con.execute(f"ATTACH '{pg.dsn()}' AS pg (TYPE postgres)")
        for name in ("wide", "small", *TPCH_TABLES):
            t1 = time.perf_counter()
            con.execute(f"CREATE TABLE pg.public.{name} AS SELECT * FROM src.main.{name}")
            log(f"  PostgreSQL: loaded {name} in {time.perf_counter() - t1:.1f} s")
        con.execute("DETACH pg")
    finally:
        con.close()
    t1 = time.perf_counter()
    pg.psql(OTHER_PG_INDEXES + TPCH_PG_INDEXES + "VACUUM ANALYZE;")
    log(f"  PostgreSQL: keys, indexes, VACUUM ANALYZE in {time.perf_counter() - t1:.1f} s")
    return time.perf_counter() - t


def attach_lake(con: duckdb.DuckDBPyConnection, catalog_file: Path, data_path: str, alias: str = "lake") -> None:
    """Attaches a published lake READ_ONLY in a Python DuckDB (the in-process contender), as
    lakegate itself does, and makes it the default catalogue (plain table names resolve)."""
    con.execute("LOAD ducklake; LOAD sqlite_scanner")
    con.execute(f"ATTACH 'ducklake:sqlite:{catalog_file}' AS {alias} (READ_ONLY, DATA_PATH '{data_path}')")
    con.execute(f"USE {alias}")
