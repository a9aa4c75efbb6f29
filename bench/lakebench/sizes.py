"""How big each workload is: the default size (the issue's: 10M rows, TPC-H SF1, 1/8/64 clients,
which must finish within 15 minutes on a 2-core machine) and ``--quick`` (a smoke run of a few
minutes that exercises every path with small data)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    name: str
    #: rows of the mixed-type table streamed (workload 1) and published (workload 4)
    wide_rows: int
    #: rows read by the client-bound Python row clients (psycopg text/binary), ``WHERE id <
    #: client_rows`` when fewer than wide_rows: they decode every value in Python at ~0.3-0.6M
    #: rows/s whatever the server, so a prefix tells the same rate in less time
    client_rows: int
    #: rows of the table the small queries run on (workload 3)
    small_rows: int
    #: TPC-H scale factor (workload 2)
    tpch_sf: float
    #: per-query cap for PostgreSQL's TPC-H queries (statement_timeout), seconds
    pg_query_cap: float
    #: how long each pgbench run lasts, seconds
    pgbench_seconds: int
    #: concurrent clients of workload 3
    clients: tuple[int, ...]
    #: rounds of the interleaved measurements (the best round is reported)
    rounds: int
    #: rounds of the server-bound streaming clients (the noisiest figures, and the targets')
    streaming_rounds: int
    #: rows of the smaller streaming run of workload 5 (compared with wide_rows)
    memory_small_rows: int
    #: idle connections held open in workload 5
    idle_connections: int
    #: concurrent streaming clients in workload 5
    streaming_clients: int


DEFAULT = Sizes(
    name="default",
    wide_rows=10_000_000,
    client_rows=10_000_000,
    small_rows=5_000,
    tpch_sf=1,
    pg_query_cap=30.0,
    pgbench_seconds=6,
    clients=(1, 8, 64),
    rounds=2,
    streaming_rounds=3,
    memory_small_rows=1_000_000,
    idle_connections=200,
    streaming_clients=4,
)

QUICK = Sizes(
    name="quick",
    wide_rows=200_000,
    client_rows=100_000,
    small_rows=5_000,
    tpch_sf=0.01,
    pg_query_cap=10.0,
    pgbench_seconds=2,
    clients=(1, 8, 64),
    rounds=1,
    streaming_rounds=1,
    memory_small_rows=20_000,
    idle_connections=200,
    streaming_clients=4,
)
