"""psql (15) against lakegate: the backslash commands analysts browse with, end to end.

- Differential: `\\dt+`, `\\dv+`, `\\dn`, `\\d`, `\\d+` (with the column descriptions, on the awkward
  "Odd Schema"."Select" too) print what PostgreSQL 15 prints for the same schema, comments and rows,
  except for the documented differences (``normalise``).
- End to end on the sample lake: every command the issue lists runs with `-c` and from a `-f` file,
  without an error, and shows the descriptions.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Iterator

import pytest

from conftest import require
from support import catalogue as cat
from support import lakegate as lg
from support.postgres import psql_bin


@pytest.fixture(scope="module")
def capture_server(tmp_path_factory, lakegate_bin, extension_root) -> Iterator[lg.LakegateServer]:
    lake = cat.capture_lake(tmp_path_factory.mktemp("psql_lake"), binary=lakegate_bin)
    with lg.LakegateServer(lake.config, binary=lakegate_bin) as server:
        yield server


@pytest.fixture(scope="module")
def reference():
    server = require(lambda: cat.reference_server("main"))
    try:
        yield server
    finally:
        server.stop()


def psql(host: str, port: int, user: str, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(PAGER="cat", PSQL_PAGER="cat", PGCONNECT_TIMEOUT="10")
    return subprocess.run(
        [str(require(psql_bin)), "-X", "-h", host, "-p", str(port), "-U", user, "-d", "lake", "-v", "ON_ERROR_STOP=1", *args],
        capture_output=True, text=True, env=env, input=input, timeout=60,
    )


def on_lakegate(server: lg.LakegateServer, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return psql("127.0.0.1", server.port, server.user, *args, input=input)


def on_postgres(pg, *args: str) -> subprocess.CompletedProcess:
    return psql(pg.host, pg.port, pg.superuser, *args)


def normalise(text: str) -> str:
    """Owners (`postgres` in PostgreSQL, `lakegate` in lakegate) and `\\dt+`'s Size (heap pages in
    PostgreSQL, parquet bytes in lakegate) differ by design; psql pads columns to their widest
    value, so the unaligned format (-A) is compared."""
    text = re.sub(r"\|(postgres|lakegate)\|", "|<owner>|", text)
    text = re.sub(r"\|(postgres|lakegate)$", "|<owner>", text, flags=re.M)
    text = re.sub(r"\|\d+ (bytes|kB|MB)\|", "|<size>|", text)
    return text


DIFFERENTIAL = [
    r"\dt+",
    r"\dv+",
    r"\dt energy.*",
    r"\d main.deprivation_index",
    r"\d+ main.deprivation_index",
    r"\d boundaries.la_2023",
    r'\d+ "Odd Schema"."Select"',
    r"\d+ energy.epc_certificates",
]


@pytest.mark.parametrize("command", DIFFERENTIAL)
def test_describe_prints_what_postgres_prints(command, capture_server, reference):
    ours = on_lakegate(capture_server, "-A", "-c", command)
    ref = on_postgres(reference, "-A", "-c", command)
    assert ref.returncode == 0, ref.stderr
    assert ours.returncode == 0, ours.stderr
    assert normalise(ours.stdout) == normalise(ref.stdout)


def test_schemas_are_postgres_schemas_plus_lakegate(capture_server, reference):
    # Unaligned rows: "name|owner" (schema names may hold spaces).
    ours = on_lakegate(capture_server, "-A", "-t", "-c", r"\dn")
    ref = on_postgres(reference, "-A", "-t", "-c", r"\dn")
    assert ours.returncode == 0, ours.stderr
    ours_names = {line.split("|")[0] for line in ours.stdout.splitlines()}
    ref_names = {line.split("|")[0] for line in ref.stdout.splitlines()}
    # lakegate adds its discovery schema `lakegate`; otherwise the same schemas.
    assert ours_names - {"lakegate"} == ref_names


def test_view_columns_show_their_descriptions(capture_server):
    out = on_lakegate(capture_server, "-c", r"\d+ la_deprivation_summary")
    assert out.returncode == 0, out.stderr
    assert "Unweighted mean IMD score over the authority's LSOAs." in out.stdout
    assert "View definition:" in out.stdout


SAMPLE_COMMANDS = [
    r"\l",
    r"\dn",
    r"\dt",
    r"\dt+",
    r"\dv+",
    r"\d local_authorities",
    r"\d+ deprivation_index",
    r"\d energy.epc_certificates",
    r"\d+ boundaries.la_2023",
    r"\df",
    r"\dT",
    r"\di",
    r"\du",
]


@pytest.mark.parametrize("command", SAMPLE_COMMANDS)
def test_meta_commands_work_on_the_sample_lake(command, lakegate_server):
    out = on_lakegate(lakegate_server, "-c", command)
    assert out.returncode == 0, out.stderr
    assert "ERROR" not in out.stderr


def test_descriptions_on_the_sample_lake(lakegate_server):
    tables = on_lakegate(lakegate_server, "-c", r"\dt+ *.*").stdout
    assert "Energy Performance Certificates (EPC) lodged for domestic buildings" in tables
    assert "_lakegate" not in tables
    columns = on_lakegate(lakegate_server, "-c", r"\d+ deprivation_index").stdout
    assert "National rank of the IMD score, where 1 is the most deprived LSOA." in columns
    view = on_lakegate(lakegate_server, "-c", r"\dv+").stdout
    assert "Deprivation summary per local authority" in view


def test_a_script_file_and_expanded_display(lakegate_server, tmp_path: Path):
    script = tmp_path / "browse.sql"
    script.write_text("\n".join(SAMPLE_COMMANDS) + "\n\\x\nSELECT * FROM main.local_authorities ORDER BY la_code LIMIT 2;\n")
    out = on_lakegate(lakegate_server, "-f", str(script))
    assert out.returncode == 0, out.stderr
    assert "-[ RECORD 1 ]" in out.stdout
    assert "Expanded display is on." in out.stdout
    assert "List of relations" in out.stdout
