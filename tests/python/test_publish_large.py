"""Big tables: a table larger than DuckDB's memory limit publishes (DuckDB streams it into parquet,
no 2 GB object limit, no table loaded whole), and a publish interrupted while it writes one —
killed outright (SIGKILL) or stopped with Ctrl-C (SIGINT) — leaves the previous snapshot readable
and complete; the next publish succeeds and sweeps what the killed one left behind.

The big source (~1 GB, 13 M rows of barely compressible text) is made once per session
(support.publishing.big_source). Interrupts are sent when the publish prints "writing big" on
stderr (an observable event, not a sleep); writing the table takes many seconds after that line.
"""

from __future__ import annotations

import os
import signal
import subprocess

import pins
import pytest

from support import lakegate as lg
from support.publishing import BIG_ROWS, Lake, big_source, new_lake, run_with_peak_rss


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, lakegate_bin, extension_root):
    return big_source(tmp_path_factory.getbasetemp())


def test_table_larger_than_memory_limit_publishes(tmp_path, big) -> None:
    lake = new_lake(tmp_path, source=big, lake={"memory_limit": "256MB", "threads": 2})
    status, out, err, rss = run_with_peak_rss(
        [str(lg.lakegate_bin()), "--config", str(lake.config), "publish", "--message", "big"],
        lake.dir,
        lg.lakegate_env(),
    )
    assert status == 0, out + err
    assert big.stat().st_size > 900_000_000  # the table really is ~4x the memory limit
    # Streaming: far below the table's size (DuckDB's limit covers its buffers, not all memory).
    assert rss < 700_000_000, f"peak RSS {rss / 1e6:.0f} MB"
    con = lake.attach()
    con.execute(f"ATTACH '{big}' AS s (READ_ONLY)")
    q = "SELECT count(*), sum(hash(id, a, b, c, r)::HUGEINT) FROM {}.main.big"
    assert con.execute(q.format("l")).fetchone() == con.execute(q.format("s")).fetchone()
    assert con.execute("SELECT count(*) FROM l.main.big").fetchone()[0] == BIG_ROWS
    # One pin, one parquet file with many row groups (never split into several files).
    board = pins.board_folder(str(lake.pins))
    meta = board.pin_meta("big")
    assert meta.file == "big.parquet" and meta.user["row_count"] == BIG_ROWS
    version = board.pin_versions("big")["version"].tolist()[-1]
    files = sorted(p.name for p in (lake.pins / "big" / version).iterdir())
    assert files == ["big.parquet", "data.txt"]
    pq = lake.pins / "big" / version / "big.parquet"
    assert meta.file_size == pq.stat().st_size > 300_000_000
    groups, rows = con.execute(
        f"SELECT count(DISTINCT row_group_id), sum(row_group_num_rows) FILTER (WHERE column_id = 0) FROM parquet_metadata('{pq}')"
    ).fetchone()
    assert rows == BIG_ROWS and groups > 50


def wait_and_signal(lake: Lake, sig: int, line: str, *args: str, env=None) -> tuple[int, str]:
    run = lake.start_publish(*args, env=env)
    try:
        run.wait_for_line(lambda l: l.startswith(line), timeout=900, what=f"'{line}' on stderr")
        run.signal(sig)
        status = run.wait(timeout=300)
    finally:
        run.kill_group()
    return status, run.stderr


def test_sigkill_while_writing_a_big_table(tmp_path, big) -> None:
    lake = new_lake(tmp_path, source=big)
    lake.publish("--table", "small", "--message", "small only")
    snaps = lake.snapshots()
    board_before = sorted(str(p.relative_to(lake.pins)) for p in lake.pins.rglob("*"))

    status, err = wait_and_signal(lake, signal.SIGKILL, "writing big", "--message", "killed")
    assert status == -signal.SIGKILL, err

    # The previous snapshot is intact and is still the latest.
    assert lake.snapshots() == snaps
    con = lake.attach()
    assert con.execute("SELECT x FROM l.main.small").fetchall() == [(1,)]
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'l'").fetchall()}
    assert "big" not in tables
    assert sorted(str(p.relative_to(lake.pins)) for p in lake.pins.rglob("*")) == board_before
    con.close()

    # The next publish succeeds; files the killed one left (uncommitted parquet) are swept once
    # they are older than the grace period (0 here: no other publish is running).
    out = lake.publish("--message", "after the kill", env={"LAKEGATE_ORPHAN_GRACE": "0s"})
    assert "new        table big" in out.stdout
    assert [s[2] for s in lake.snapshots()][-1] == "after the kill"
    assert set(lake.data_files()) == lake.referenced_files()
    con = lake.attach()
    assert con.execute("SELECT count(*) FROM l.main.big").fetchone()[0] == BIG_ROWS


def test_sigint_while_writing_a_big_table(tmp_path, big) -> None:
    lake = new_lake(tmp_path, source=big)
    lake.publish("--table", "small")
    before = (lake.snapshots(), lake.data_files())
    status, err = wait_and_signal(lake, signal.SIGINT, "writing big")
    assert status == 130, err
    assert "interrupted" in err and "lake is unchanged" in err, err
    assert (lake.snapshots(), lake.data_files()) == before
    con = lake.attach()
    assert con.execute("SELECT x FROM l.main.small").fetchall() == [(1,)]


def test_sigkill_while_writing_pins_keeps_every_pin_readable(tmp_path, big) -> None:
    """Pins are written after the lake's commit. A publish killed while it writes a big pin leaves
    every pin at its previous version (folder boards: each version is staged beside the board and
    renamed in), Python pins reads the whole board, and the next publish catches the pins up."""
    import shutil

    src = tmp_path / "src.duckdb"
    shutil.copy(big, src)
    lake = new_lake(tmp_path, source=src)
    lake.publish("--message", "v1")
    board = pins.board_folder(str(lake.pins))
    v1 = {p: board.pin_versions(p)["version"].tolist() for p in board.pin_list()}
    assert all(len(v) == 1 for v in v1.values())
    from support.publishing import make_source

    make_source(src, ["UPDATE small SET x = 2", "UPDATE big SET r = r + 1 WHERE id < 10"])
    status, err = wait_and_signal(lake, signal.SIGKILL, "writing pin big", "--message", "v2")
    assert status == -signal.SIGKILL
    assert lake.snapshots()[-1][2] == "v2"  # the lake committed before the pins were written

    # Every pin still reads, at its previous version; the whole board is clean for pins-python.
    board = pins.board_folder(str(lake.pins))
    assert {p: board.pin_versions(p)["version"].tolist() for p in board.pin_list()} == v1
    assert board.pin_read("small")["x"].tolist() == [1]
    assert len(board.pin_search("small")) == 1
    entries = sorted(p.name for p in lake.pins.iterdir())
    assert entries == ["_pins.yaml", "big", "small"], entries

    lake.publish()  # the lake is current; only the pins are caught up
    board = pins.board_folder(str(lake.pins))
    assert {p: len(board.pin_versions(p)) for p in board.pin_list()} == {"big": 2, "small": 2}
    assert board.pin_read("small")["x"].tolist() == [2]
    assert board.pin_meta("big").user["lake_snapshot"] == 2


def test_sigint_while_writing_pins(tmp_path, big) -> None:
    """Ctrl-C after the lake has committed, while a pin is written: exit 130 at once, the message
    says the lake is published and the pins catch up next time; the board is as before."""
    lake = new_lake(tmp_path, source=big)
    lake.publish("--table", "small")
    board_before = sorted(str(p.relative_to(lake.pins)) for p in lake.pins.rglob("*"))
    status, err = wait_and_signal(lake, signal.SIGINT, "writing pin big")
    assert status == 130, err
    assert "interrupted while writing pins" in err and "the lake is published" in err, err
    assert sorted(str(p.relative_to(lake.pins)) for p in lake.pins.rglob("*")) == board_before
    assert [s[0] for s in lake.snapshots()] == [0, 1, 2]
    out = lake.publish()
    assert "Nothing to publish" in out.stdout and "1 written (big)" in out.stdout, out.stdout
