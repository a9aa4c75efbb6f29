"""What a publish writes, and only that: one DuckLake snapshot per publish, labelled with the
--message and the author; nothing at all when nothing changed; only the changed table's files when
one table changed; no data file for a comment-only change; removals; --table, include/exclude and
--dry-run.

Every check reads the lake with a plain DuckDB and lists the data folder itself (paths, sizes,
modification times) before and after, so "no file written" is observed, not inferred.
"""

from __future__ import annotations

import pins
import pytest

from support.publishing import Lake, comment_of, make_source, new_lake

SAMPLE_TABLES = {
    ("boundaries", "la_2023"),
    ("energy", "epc_certificates"),
    ("energy", "ghg_emissions"),
    ("main", "deprivation_index"),
    ("main", "local_authorities"),
}


def board_files(lake: Lake) -> dict[str, tuple[int, int]]:
    assert lake.pins is not None
    return {
        str(p.relative_to(lake.pins)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(lake.pins.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def lake(tmp_path, lakegate_bin, extension_root) -> Lake:
    lake = new_lake(tmp_path, sample=True)
    lake.publish("--message", "first publish")
    return lake


def test_first_publish_is_one_snapshot_with_message_and_author(lake: Lake) -> None:
    snaps = lake.snapshots()
    # Snapshot 0 is DuckLake's own (the catalogue's creation); the publish is exactly one more.
    assert [s[0] for s in snaps] == [0, 1]
    assert snaps[1][1:] == ("lakegate-tests", "first publish")
    con = lake.attach()
    changes = con.execute("SELECT changes FROM l.snapshots() WHERE snapshot_id = 1").fetchone()[0]
    created = {tuple(t.split(".", 1)) for t in changes["tables_created"]}
    assert SAMPLE_TABLES <= created
    assert changes["views_created"] == ["main.la_deprivation_summary"]


def test_first_publish_writes_one_file_per_table(lake: Lake) -> None:
    """The sample's 5 tables are 5 parquet files, plus one for lakegate's publish record (whose
    rows were once written by one INSERT each: 11 files), and nothing else."""
    files = lake.data_files()
    by_table = {}
    for path in files:
        schema, table, _ = path.split("/")
        by_table.setdefault((schema, table), []).append(path)
    assert set(by_table) == SAMPLE_TABLES | {("_lakegate", "published")}
    assert all(len(v) == 1 for v in by_table.values()), by_table
    assert set(files) == lake.referenced_files()


def test_republish_unchanged_writes_nothing(lake: Lake) -> None:
    before_files, before_snaps, before_pins = lake.data_files(), lake.snapshots(), board_files(lake)
    out = lake.publish("--message", "again")
    assert "Nothing to publish" in out.stdout, out.stdout
    assert "6 unchanged" in out.stdout
    assert lake.snapshots() == before_snaps
    assert lake.data_files() == before_files
    assert board_files(lake) == before_pins
    assert "0 written" in out.stdout


def test_changed_table_rewrites_only_itself(lake: Lake) -> None:
    before = lake.data_files()
    make_source(lake.source, "UPDATE energy.ghg_emissions SET emissions_kt_co2e = emissions_kt_co2e + 1 WHERE year = 2010")
    out = lake.publish("--message", "ghg fix")
    assert "changed    table energy.ghg_emissions" in out.stdout, out.stdout
    assert "1 changed, 0 comments only, 5 unchanged" in out.stdout
    snaps = lake.snapshots()
    assert [s[0] for s in snaps] == [0, 1, 2] and snaps[2][2] == "ghg fix"
    after = lake.data_files()
    new_or_changed = {p for p in after if before.get(p) != after[p]}
    assert {p for p in before if p not in after} == set(), "no file may disappear"
    assert new_or_changed and all(p.startswith("energy/ghg_emissions/") for p in new_or_changed), new_or_changed
    # The new rows are in the lake, and the previous snapshot still has the old ones.
    con = lake.attach()
    con.execute(f"ATTACH '{lake.source}' AS s (READ_ONLY)")
    q = "SELECT sum(emissions_kt_co2e) FROM {} WHERE year = 2010"
    assert con.execute(q.format("l.energy.ghg_emissions")).fetchone() == con.execute(q.format("s.energy.ghg_emissions")).fetchone()
    old = con.execute(q.format("l.energy.ghg_emissions AT (VERSION => 1)")).fetchone()[0]
    new = con.execute(q.format("l.energy.ghg_emissions")).fetchone()[0]
    assert new - old == con.execute("SELECT count(*) FROM s.energy.ghg_emissions WHERE year = 2010").fetchone()[0]
    # Only that table's pin got a new version.
    board = pins.board_folder(str(lake.pins))
    versions = {p: len(board.pin_versions(p)) for p in board.pin_list()}
    assert versions == {p: (2 if p == "energy.ghg_emissions" else 1) for p in versions}
    assert board.pin_meta("energy.ghg_emissions").user["lake_snapshot"] == 2
    assert board.pin_meta("deprivation_index").user["lake_snapshot"] == 1


def test_rows_in_another_order_are_unchanged(lake: Lake) -> None:
    """The fingerprint hashes content, not row order or file times."""
    make_source(
        lake.source,
        [
            "CREATE TABLE main.tmp AS SELECT * FROM main.local_authorities ORDER BY la_name DESC",
            "DELETE FROM main.local_authorities",
            "INSERT INTO main.local_authorities SELECT * FROM main.tmp",
            "DROP TABLE main.tmp",
        ],
    )
    out = lake.publish()
    assert "Nothing to publish" in out.stdout, out.stdout


def test_comment_only_change_writes_no_data_file(lake: Lake) -> None:
    before = lake.data_files()
    make_source(
        lake.source,
        [
            "COMMENT ON TABLE main.local_authorities IS 'Local authorities, revised description.'",
            "COMMENT ON COLUMN main.local_authorities.la_name IS 'Name, revised.'",
        ],
    )
    out = lake.publish("--message", "comments")
    assert "comments   table local_authorities" in out.stdout, out.stdout
    assert [s[0] for s in lake.snapshots()] == [0, 1, 2]
    assert lake.data_files() == before
    con = lake.attach()
    assert comment_of(con, "l", "main", "local_authorities") == "Local authorities, revised description."
    assert (
        con.execute(
            "SELECT comment FROM duckdb_columns() WHERE database_name = 'l' AND table_name = 'local_authorities' AND column_name = 'la_name'"
        ).fetchone()[0]
        == "Name, revised."
    )
    # A pin version is immutable: the new description is a new version.
    board = pins.board_folder(str(lake.pins))
    assert len(board.pin_versions("local_authorities")) == 2
    meta = board.pin_meta("local_authorities")
    assert meta.description == "Local authorities, revised description."
    assert meta.user["columns"]["la_name"] == "Name, revised."


def test_removed_table_is_removed_and_the_dry_run_shows_it(lake: Lake) -> None:
    make_source(lake.source, "DROP TABLE energy.ghg_emissions")
    before_files, before_snaps = lake.data_files(), lake.snapshots()
    dry = lake.publish("--dry-run")
    assert "removed    table energy.ghg_emissions" in dry.stdout, dry.stdout
    assert "1 removed" in dry.stdout and "Dry run: nothing was written." in dry.stdout
    assert (lake.data_files(), lake.snapshots()) == (before_files, before_snaps)

    out = lake.publish("--message", "drop ghg")
    assert "removed    table energy.ghg_emissions" in out.stdout
    con = lake.attach()
    tables = set(con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'l'").fetchall())
    assert ("energy", "ghg_emissions") not in tables
    assert ("energy", "epc_certificates") in tables
    assert con.execute("SELECT count(*) FROM l._lakegate.published WHERE table_name = 'ghg_emissions'").fetchone()[0] == 0
    # Time travel still shows it in the previous snapshot.
    assert con.execute("SELECT count(*) FROM l.energy.ghg_emissions AT (VERSION => 1)").fetchone()[0] == 3024
    board = pins.board_folder(str(lake.pins))
    assert "energy.ghg_emissions" not in board.pin_list()
    assert "energy.epc_certificates" in board.pin_list()


def test_table_option_publishes_only_that_table_and_removes_nothing(lake: Lake) -> None:
    make_source(
        lake.source,
        [
            "UPDATE main.local_authorities SET population_2021 = population_2021 + 1",
            "UPDATE main.deprivation_index SET imd_score = imd_score + 1",
            "DROP TABLE energy.ghg_emissions",
        ],
    )
    before = lake.data_files()
    out = lake.publish("--table", "local_authorities", "--message", "one table")
    assert "changed    table local_authorities" in out.stdout
    plan = out.stdout.split("Published")[0]
    assert "deprivation_index" not in plan and "removed" not in plan.replace("0 removed", ""), plan
    after = lake.data_files()
    changed = {p for p in after if before.get(p) != after[p]}
    assert changed and all(p.startswith("main/local_authorities/") for p in changed), changed
    con = lake.attach()
    con.execute(f"ATTACH '{lake.source}' AS s (READ_ONLY)")
    assert con.execute("SELECT count(*) FROM l.energy.ghg_emissions").fetchone()[0] == 3024
    q = "SELECT sum(imd_score) FROM {}.main.deprivation_index"
    assert con.execute(q.format("l")).fetchone() != con.execute(q.format("s")).fetchone()
    q = "SELECT sum(population_2021) FROM {}.main.local_authorities"
    assert con.execute(q.format("l")).fetchone() == con.execute(q.format("s")).fetchone()
    # A schema-qualified name works too, and an unknown one is an error that lists the tables.
    lake.publish("--table", "main.deprivation_index")
    assert con.execute("SELECT sum(imd_score) FROM l.main.deprivation_index").fetchone() == con.execute(
        "SELECT sum(imd_score) FROM s.main.deprivation_index"
    ).fetchone()
    bad = lake.publish("--table", "nope", check=False)
    assert bad.returncode != 0
    assert "nope" in bad.stderr and "deprivation_index" in bad.stderr and "source.duckdb" in bad.stderr


def test_include_and_exclude(tmp_path, lakegate_bin, extension_root) -> None:
    lake = new_lake(
        tmp_path,
        sample=True,
        publish={"include": ["deprivation_index", "energy.epc_certificates", "energy.ghg_emissions", "la_deprivation_summary", "local_authorities"], "exclude": ["energy.ghg_emissions"]},
    )
    lake.publish()
    con = lake.attach()
    names = set(con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'l' AND schema_name <> '_lakegate'").fetchall())
    assert names == {("main", "deprivation_index"), ("energy", "epc_certificates"), ("main", "local_authorities")}
    assert sorted(pins.board_folder(str(lake.pins)).pin_list()) == sorted(
        ["deprivation_index", "energy.epc_certificates", "local_authorities", "la_deprivation_summary"]
    )
    con.close()
    # Without filters, the rest arrives (the same lake, another config) ...
    lake = new_lake(tmp_path)
    out = lake.publish()
    assert "2 new" in out.stdout and "4 unchanged" in out.stdout, out.stdout
    # ... and a table that leaves the include/exclude scope is not removed: it is no longer
    # lakegate's to manage in this configuration.
    lake = new_lake(tmp_path, publish={"exclude": ["local_authorities"]})
    make_source(lake.source, "DROP VIEW la_deprivation_summary")
    out = lake.publish()
    assert "local_authorities" not in out.stdout
    assert "removed    view  la_deprivation_summary" in out.stdout
    con = lake.attach()
    names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'l'").fetchall()}
    assert {"local_authorities", "la_2023", "ghg_emissions"} <= names


def test_dry_run_changes_nothing(tmp_path, lakegate_bin, extension_root) -> None:
    lake = new_lake(tmp_path, sample=True)
    out = lake.publish("--dry-run")
    assert "6 new" in out.stdout and "Dry run: nothing was written." in out.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lakegate.toml", "source.duckdb"], "a dry run creates no lake"
    lake.publish()
    make_source(lake.source, ["UPDATE main.local_authorities SET area_hectares = 0", "COMMENT ON TABLE energy.ghg_emissions IS 'x'"])
    before = (lake.data_files(), lake.snapshots(), board_files(lake), lake.catalog.read_bytes())
    out = lake.publish("--dry-run")
    assert "changed    table local_authorities" in out.stdout
    assert "comments   table energy.ghg_emissions" in out.stdout
    assert (lake.data_files(), lake.snapshots(), board_files(lake), lake.catalog.read_bytes()) == before


def test_many_publishes_keep_the_record_small(lake: Lake) -> None:
    """lakegate's own record is one file from the first publish; later publishes keep its few
    changed rows inside the catalogue database instead of adding two files each."""
    for i in range(3):
        make_source(lake.source, f"UPDATE main.local_authorities SET population_2021 = {i}")
        lake.publish()
    record = [p for p in lake.data_files() if p.startswith("_lakegate/")]
    assert len(record) == 1, record
    assert len(lake.snapshots()) == 5
    con = lake.attach()
    rows = con.execute("SELECT snapshot_id FROM l._lakegate.published WHERE table_name = 'local_authorities'").fetchall()
    assert rows == [(4,)]


def test_a_table_that_becomes_a_view_and_back(lake: Lake) -> None:
    make_source(
        lake.source,
        [
            "CREATE TABLE la_copy AS SELECT * FROM local_authorities",
            "DROP TABLE local_authorities",
            "CREATE VIEW local_authorities AS SELECT * FROM la_copy",
            "COMMENT ON VIEW local_authorities IS 'now a view'",
            "DROP VIEW la_deprivation_summary",
            "CREATE TABLE la_deprivation_summary AS SELECT 1 AS one",
        ],
    )
    out = lake.publish("--message", "kinds swapped")
    assert "changed    view  local_authorities" in out.stdout, out.stdout
    assert "changed    table la_deprivation_summary" in out.stdout, out.stdout
    con = lake.attach()
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE database_name = 'l' AND view_name = 'local_authorities'").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM l.main.local_authorities").fetchone()[0] == 24
    assert comment_of(con, "l", "main", "local_authorities") == "now a view"
    assert con.execute("SELECT one FROM l.main.la_deprivation_summary").fetchall() == [(1,)]
    board = pins.board_folder(str(lake.pins))
    assert board.pin_meta("local_authorities").user["kind"] == "view"
    assert board.pin_meta("la_deprivation_summary").user["kind"] == "table"
