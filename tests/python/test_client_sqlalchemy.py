"""SQLAlchemy 2 (postgresql+psycopg) and pandas against lakegate.

- Differential: the inspector's answers on the capture lake equal PostgreSQL 15's for the same
  schema and comments — schema, table and view names, columns (name, type, nullability, default,
  comment), table comments, keys, indexes and constraints (none), has_table — except that lakegate
  also lists its discovery schema `lakegate`.
- End to end on the sample lake: reflection with comments, MetaData.reflect, pandas read_sql_table
  and read_sql_query with parameters.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from conftest import require
from support import catalogue as cat
from support import lakegate as lg


def engine(url: str):
    import sqlalchemy as sa

    return sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"), poolclass=sa.pool.NullPool)


@pytest.fixture(scope="module")
def capture_server(tmp_path_factory, lakegate_bin, extension_root) -> Iterator[lg.LakegateServer]:
    lake = cat.capture_lake(tmp_path_factory.mktemp("sqlalchemy_lake"), binary=lakegate_bin)
    with lg.LakegateServer(lake.config, binary=lakegate_bin) as server:
        yield server


@pytest.fixture(scope="module")
def reference():
    server = require(lambda: cat.reference_server("main"))
    try:
        yield server
    finally:
        server.stop()


SCHEMAS = ["main", "boundaries", "energy", "Odd Schema"]


def reflect(url: str) -> dict:
    """Everything the inspector says about the capture schema, as plain data."""
    import sqlalchemy as sa

    e = engine(url)
    try:
        i = sa.inspect(e)
        out: dict = {
            "default_schema_name": i.default_schema_name,
            "schemas": sorted(set(i.get_schema_names()) - {"lakegate"}),
        }
        for schema in SCHEMAS:
            tables = sorted(i.get_table_names(schema=schema))
            views = sorted(i.get_view_names(schema=schema))
            out[f"{schema}.tables"] = tables
            out[f"{schema}.views"] = views
            for t in tables + views:
                key = f"{schema}.{t}"
                out[key + ".columns"] = [
                    {k: (str(v) if k == "type" else v) for k, v in c.items()} for c in i.get_columns(t, schema=schema)
                ]
                out[key + ".comment"] = i.get_table_comment(t, schema=schema)
                out[key + ".has_table"] = i.has_table(t, schema=schema)
            for t in tables:
                key = f"{schema}.{t}"
                out[key + ".pk"] = i.get_pk_constraint(t, schema=schema)
                out[key + ".fks"] = i.get_foreign_keys(t, schema=schema)
                out[key + ".indexes"] = i.get_indexes(t, schema=schema)
                out[key + ".unique"] = i.get_unique_constraints(t, schema=schema)
                out[key + ".checks"] = i.get_check_constraints(t, schema=schema)
        out["default.tables"] = sorted(i.get_table_names())
        out["has_table(missing)"] = i.has_table("no_such_table")
        md = sa.MetaData()
        md.reflect(e, schema="energy")
        out["reflect(energy)"] = {
            name: [(c.name, str(c.type), c.comment) for c in t.columns] + [("table comment", t.comment)]
            for name, t in md.tables.items()
        }
        return out
    finally:
        e.dispose()


def test_inspector_answers_like_postgres(capture_server, reference):
    ours = reflect(capture_server.url())
    ref = reflect(reference.url("lake"))
    assert ours.keys() == ref.keys()
    different = {k: (ours[k], ref[k]) for k in ref if ours[k] != ref[k]}
    assert not different, "\n".join(f"{k}:\n  lakegate:   {a}\n  PostgreSQL: {b}" for k, (a, b) in different.items())


def test_lakegate_lists_its_discovery_schema(capture_server):
    import sqlalchemy as sa

    e = engine(capture_server.url())
    try:
        assert "lakegate" in sa.inspect(e).get_schema_names()
    finally:
        e.dispose()


def test_reflection_with_comments_on_the_sample_lake(lakegate_server):
    import sqlalchemy as sa

    e = engine(lakegate_server.url())
    try:
        i = sa.inspect(e)
        assert i.default_schema_name == "main"
        assert set(i.get_schema_names()) >= {"main", "boundaries", "energy"}
        assert "_lakegate" not in i.get_schema_names()
        assert set(i.get_table_names()) == {"local_authorities", "deprivation_index"}
        assert set(i.get_table_names(schema="energy")) == {"epc_certificates", "ghg_emissions"}
        assert i.get_view_names() == ["la_deprivation_summary"]
        columns = {c["name"]: c for c in i.get_columns("epc_certificates", schema="energy")}
        assert isinstance(columns["co2_emissions_tonnes"]["type"], sa.Numeric)
        assert (columns["co2_emissions_tonnes"]["type"].precision, columns["co2_emissions_tonnes"]["type"].scale) == (8, 2)
        assert isinstance(columns["certificate_id"]["type"], sa.Uuid)
        assert isinstance(columns["inspected_at"]["type"], sa.TIMESTAMP)
        assert columns["is_new_build"]["comment"] == "True when the certificate was lodged for a newly built dwelling."
        assert i.get_table_comment("deprivation_index")["text"].startswith("English Indices of Deprivation (IMD)")
        view_columns = {c["name"]: c for c in i.get_columns("la_deprivation_summary")}
        assert view_columns["mean_imd_score"]["comment"] == "Unweighted mean IMD score over the authority's LSOAs."
        geom = {c["name"]: c for c in i.get_columns("la_2023", schema="boundaries")}["geom"]
        assert isinstance(geom["type"], sa.LargeBinary)
        assert geom["comment"].startswith("Boundary polygon")
        assert i.get_pk_constraint("deprivation_index") == {"name": None, "constrained_columns": []}
        assert i.get_foreign_keys("deprivation_index") == []
        assert i.get_indexes("deprivation_index") == []
        assert i.get_unique_constraints("deprivation_index") == []
        assert i.has_table("deprivation_index") and i.has_table("ghg_emissions", schema="energy")
        assert not i.has_table("ghg_emissions")
    finally:
        e.dispose()


def test_pandas_reads_tables_and_parameterised_queries(lakegate_server):
    import pandas as pd
    import sqlalchemy as sa

    e = engine(lakegate_server.url())
    try:
        df = pd.read_sql_table("local_authorities", e)
        assert len(df) == 24 and list(df.columns)[:2] == ["la_code", "la_name"]
        ghg = pd.read_sql_table("ghg_emissions", e, schema="energy")
        assert len(ghg) == 3024
        q = pd.read_sql_query(
            sa.text("SELECT la_code, la_name FROM local_authorities WHERE region_name = :region ORDER BY la_code"),
            e,
            params={"region": "London"},
        )
        assert len(q) > 0 and list(q.columns) == ["la_code", "la_name"]
        with lakegate_server.connect() as conn:
            raw = pd.read_sql_query(
                "SELECT lsoa_code, imd_decile FROM deprivation_index WHERE imd_decile <= %(d)s", conn, params={"d": 1}
            )
        assert len(raw) > 0 and set(raw["imd_decile"]) == {1}
    finally:
        e.dispose()


def test_pandas_reads_awkward_names(capture_server):
    import pandas as pd

    e = engine(capture_server.url())
    try:
        df = pd.read_sql_table("Select", e, schema="Odd Schema")
        assert list(df.columns) == ["from", "Mixed Case", "with space"]
        assert df["Mixed Case"].tolist() == ["café", "日本"]
    finally:
        e.dispose()
