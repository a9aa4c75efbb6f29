"""R DBI with RPostgreSQL (Debian's r-cran-rpostgresql) against lakegate, through Rscript:
dbConnect, dbListTables, dbExistsTable, dbListFields (in column order), dbReadTable, dbGetQuery —
on the sample lake and on the awkward "Odd Schema"."Select". Differential against PostgreSQL 15 for
the same calls on the capture schema.

RPostgres (the analysts' usual driver) is not packaged here; what it sends is covered by the
replay of tests/client_queries/rpostgres.sql (test_client_replay.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Iterator

import pytest

from conftest import require
from support import DependencyMissing
from support import catalogue as cat
from support import lakegate as lg

# Prints one JSON-ish line per result, "key<TAB>value", which Python reads back.
SCRIPT = r"""
suppressMessages(library(DBI)); suppressMessages(library(RPostgreSQL))
args <- commandArgs(trailingOnly = TRUE)
con <- dbConnect(PostgreSQL(), host = args[1], port = as.integer(args[2]), user = args[3], dbname = "lake")
out <- function(key, value) cat(key, "\t", paste(value, collapse = "\x1f"), "\n", sep = "")
out("tables", sort(dbListTables(con)))
out("exists", dbExistsTable(con, "deprivation_index"))
out("exists_schema", dbExistsTable(con, c("energy", "ghg_emissions")))
out("exists_missing", dbExistsTable(con, "no_such_table"))
out("fields", dbListFields(con, "local_authorities"))
out("fields_schema", dbListFields(con, c("energy", "epc_certificates")))
la <- dbReadTable(con, "local_authorities")
out("read_names", names(la))
out("read_rows", nrow(la))
ghg <- dbReadTable(con, c("energy", "ghg_emissions"))
out("read_schema_rows", nrow(ghg))
q <- dbGetQuery(con, "SELECT la_code, population_2021 FROM local_authorities WHERE region_name = 'London' ORDER BY la_code")
out("query", q$la_code)
odd <- dbGetQuery(con, 'SELECT "from", "Mixed Case", "with space" FROM "Odd Schema"."Select" ORDER BY "from"')
out("odd", odd[["Mixed Case"]])
d <- dbGetQuery(con, "SELECT obj_description(c.oid, 'pg_class') AS d FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'energy' AND c.relname = 'ghg_emissions'")
out("comment", gsub("\n", "\\n", d$d, fixed = TRUE))
invisible(dbDisconnect(con))
"""


def rscript() -> str:
    path = shutil.which("Rscript")
    if not path:
        raise DependencyMissing("Rscript not found: install r-base-core, r-cran-dbi and r-cran-rpostgresql")
    probe = subprocess.run([path, "-e", "library(RPostgreSQL)"], capture_output=True, text=True, timeout=120)
    if probe.returncode != 0:
        raise DependencyMissing(f"R package RPostgreSQL is missing (r-cran-rpostgresql): {probe.stderr.strip()}")
    return path


def run_r(host: str, port: int, user: str, tmp_path) -> dict[str, list[str]]:
    script = tmp_path / "browse.R"
    script.write_text(SCRIPT)
    res = subprocess.run([require(rscript), str(script), host, str(port), user], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, f"Rscript failed:\n{res.stdout}\n{res.stderr}"
    out = {}
    for line in res.stdout.splitlines():
        key, _, value = line.partition("\t")
        out[key] = value.split("\x1f") if value else []
    return out


@pytest.fixture(scope="module")
def capture_server(tmp_path_factory, lakegate_bin, extension_root) -> Iterator[lg.LakegateServer]:
    lake = cat.capture_lake(tmp_path_factory.mktemp("r_lake"), binary=lakegate_bin)
    with lg.LakegateServer(lake.config, binary=lakegate_bin) as server:
        yield server


@pytest.fixture(scope="module")
def reference():
    server = require(lambda: cat.reference_server("main"))
    try:
        yield server
    finally:
        server.stop()


def test_rpostgresql_answers_like_postgres(capture_server, reference, tmp_path):
    ours = run_r("127.0.0.1", capture_server.port, capture_server.user, tmp_path)
    ref = run_r(reference.host, reference.port, reference.superuser, tmp_path)
    assert ours == ref, json.dumps({"lakegate": ours, "postgres": ref}, indent=1, ensure_ascii=False)
    assert ours["fields"] == ["la_code", "la_name", "region_name", "country", "population_2021", "area_hectares"]
    assert ours["odd"] == ["café", "日本"]
    assert ours["comment"][0].startswith("Territorial greenhouse gas emissions")


def test_rpostgresql_on_the_sample_lake(lakegate_server, tmp_path):
    out = run_r("127.0.0.1", lakegate_server.port, lakegate_server.user, tmp_path)
    assert set(out["tables"]) >= {"local_authorities", "deprivation_index", "la_2023", "epc_certificates", "ghg_emissions"}
    assert "published" not in out["tables"]
    assert out["exists"] == ["TRUE"] and out["exists_schema"] == ["TRUE"] and out["exists_missing"] == ["FALSE"]
    assert out["read_rows"] == ["24"] and out["read_schema_rows"] == ["3024"]
