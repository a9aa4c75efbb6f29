"""lakebench: how fast lakegate is next to DuckDB in-process and a real PostgreSQL 15.

Run it with ``scripts/bench [--quick]`` (or ``python3 -m lakebench`` from ``bench/`` with
``LAKEGATE_BIN`` set). It builds its own data, starts its own servers on 127.0.0.1 (lakegate,
PostgreSQL 15, Garage for S3), runs five workloads with the contenders interleaved, and prints one
markdown table of figures and ratios measured in the same run, saved to
``bench/results/latest.md``.

Modules, in the order a run uses them:

- ``sizes``: the default and ``--quick`` sizes (rows, scale factor, durations, rounds);
- ``machine``: cores, load, versions, and the CPU time and memory of server processes;
- ``servers``: PostgreSQL (tuned for a benchmark), Garage, and ``lakegate serve``;
- ``data``: the source DuckDB file (a 10M-row mixed-type table, a 5,000-row table, TPC-H) and
  the same tables loaded into PostgreSQL;
- ``publish``: workload 4, ``lakegate publish`` against DuckDB's own ``COPY … TO`` parquet;
- ``streaming``: workload 1, ``SELECT *`` of the big table through each client;
- ``memory``: workload 5, the server's peak RSS while streaming and with idle connections;
- ``concurrency``: workload 3, pgbench point lookups and small aggregates;
- ``tpch``: workload 2, the 22 TPC-H queries;
- ``report``: the markdown table;
- ``cli``: the command line and the order of it all.
"""
