"""The emulated PostgreSQL catalogue itself (sql/pg_catalog/, src/pgcatalog/), through a real
lakegate on the sample lake: stable OIDs, comments where PostgreSQL keeps them (pg_description,
obj_description, col_description — view columns included), lakegate's internal schema hidden,
information_schema, the session's settings and search path, version(), the reg* casts.
"""

from __future__ import annotations

import hashlib
import re

import psycopg
import pytest

from support import lakegate as lg


def lg_oid(kind: str, schema: str, name: str) -> int:
    """The OID scheme of sql/pg_catalog/lg_base.sql, computed independently."""
    digest = hashlib.md5(f"{kind}:{schema}.{name}".encode()).hexdigest()
    return 16384 + int(digest[:8], 16) % 2147467264


def one(conn, sql: str, params=None):
    row = conn.execute(sql, params).fetchone()
    return row[0] if row is not None and len(row) == 1 else row


@pytest.fixture
def conn(lakegate_server):
    with lakegate_server.connect(autocommit=True) as c:
        yield c


def test_oids_are_derived_from_names_and_stable_across_servers(sample_lake, lakegate_server, lakegate_bin):
    query = (
        "SELECT n.nspname, c.relname, c.oid, n.oid FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "ORDER BY 1, 2"
    )
    with lakegate_server.connect() as c:
        first = c.execute(query).fetchall()
    with lg.LakegateServer(sample_lake.config, binary=lakegate_bin) as other:
        with other.connect() as c:
            second = c.execute(query).fetchall()
    assert first == second
    for nspname, relname, reloid, nspoid in first:
        assert reloid == lg_oid("class", nspname, relname)
        assert nspoid == lg_oid("namespace", "", nspname)
        assert 16384 <= reloid < 2**31


def test_builtin_objects_have_postgres_oids(conn):
    assert one(conn, "SELECT 'pg_catalog.pg_class'::regclass::oid") == 1259
    assert one(conn, "SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog'") == 11
    assert one(conn, "SELECT typname FROM pg_type WHERE oid = 1700") == "numeric"
    assert one(conn, "SELECT typarray FROM pg_type WHERE typname = 'int4'") == 1007
    assert one(conn, "SELECT count(*) FROM pg_description WHERE classoid <> 1259 AND classoid <> 2615") == 0


def test_internal_schema_is_hidden(conn):
    assert one(conn, "SELECT count(*) FROM pg_namespace WHERE nspname = '_lakegate'") == 0
    assert one(conn, "SELECT count(*) FROM pg_class WHERE relname = 'published'") == 0
    assert one(conn, "SELECT count(*) FROM information_schema.tables WHERE table_schema = '_lakegate'") == 0
    assert one(conn, "SELECT count(*) FROM pg_tables WHERE schemaname = '_lakegate'") == 0
    assert one(conn, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '_lakegate'") == 0


def test_comments_of_tables_columns_and_view_columns(conn):
    oid = one(conn, "SELECT 'energy.ghg_emissions'::regclass::oid")
    assert one(conn, "SELECT obj_description(%s, 'pg_class')", [oid]).startswith("Territorial greenhouse gas emissions")
    assert one(conn, "SELECT col_description(%s, 2)", [oid]) == "Calendar year of the emissions estimate."
    assert one(
        conn, "SELECT description FROM pg_description WHERE objoid = %s AND classoid = 'pg_class'::regclass AND objsubid = 4", [oid]
    ).startswith("Greenhouse gas emissions in kilotonnes")
    # DuckLake keeps no comments on view columns: they come from lakegate's publish record.
    view = one(conn, "SELECT 'la_deprivation_summary'::regclass::oid")
    assert one(conn, "SELECT col_description(%s, 5)", [view]) == "Unweighted mean IMD score over the authority's LSOAs."
    n = one(conn, "SELECT count(*) FROM pg_description WHERE objoid = %s AND objsubid > 0", [view])
    assert n == 6


def test_information_schema(conn):
    rows = conn.execute(
        "SELECT column_name, ordinal_position, data_type, numeric_precision, numeric_scale, is_nullable, udt_name "
        "FROM information_schema.columns WHERE table_schema = 'energy' AND table_name = 'epc_certificates' "
        "ORDER BY ordinal_position"
    ).fetchall()
    assert rows[0] == ("certificate_id", 1, "uuid", None, None, "YES", "uuid")
    assert rows[6] == ("co2_emissions_tonnes", 7, "numeric", 8, 2, "YES", "numeric")
    assert rows[3][2] == "timestamp without time zone"
    tables = dict(conn.execute("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'").fetchall())
    assert tables == {"local_authorities": "BASE TABLE", "deprivation_index": "BASE TABLE", "la_deprivation_summary": "VIEW"}


def test_attribute_types_are_what_lakegate_sends(conn):
    """pg_attribute.atttypid is the type the column is announced with when selected."""
    cur = conn.execute("SELECT * FROM energy.epc_certificates LIMIT 0")
    sent = {d.name: d.type_code for d in cur.description}
    stored = dict(
        conn.execute(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = 'energy.epc_certificates'::regclass AND attnum > 0"
        ).fetchall()
    )
    assert stored == sent
    assert one(
        conn,
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
        "WHERE attrelid = 'energy.epc_certificates'::regclass AND attname = 'co2_emissions_tonnes'",
    ) == "numeric(8,2)"


def test_version_is_a_postgres_banner_naming_lakegate(conn):
    banner = one(conn, "SELECT version()")
    assert one(conn, "SELECT pg_catalog.version()") == banner
    assert banner.startswith("PostgreSQL 16.6 (lakegate ")
    assert "DuckDB v1.5.5" in banner
    # SQLAlchemy's own parser of the banner.
    from sqlalchemy.dialects.postgresql.base import PGDialect

    class Conn:
        def exec_driver_sql(self, sql):
            class R:
                def scalar(self):
                    return banner

            return R()

    assert PGDialect()._get_server_version_info(Conn()) == (16, 6)


def test_settings_follow_the_session(conn):
    assert one(conn, "SELECT current_setting('server_version_num')") == "160006"
    assert one(conn, "SELECT current_setting('standard_conforming_strings')") == "on"
    conn.execute("SET search_path = energy, main")
    assert one(conn, "SELECT current_setting('search_path')") == "energy, main"
    assert one(conn, "SELECT current_schema()") == "energy"
    assert one(conn, "SELECT current_schemas(false)") == ["energy", "main"]
    visible = {r[0] for r in conn.execute("SELECT relname FROM pg_class WHERE pg_table_is_visible(oid) AND relkind = 'r'")}
    assert {"epc_certificates", "local_authorities"} <= visible and "la_2023" not in visible
    assert one(conn, "SELECT 'ghg_emissions'::regclass::text") == "ghg_emissions"
    assert one(conn, "SELECT 'boundaries.la_2023'::regclass::text") == "boundaries.la_2023"
    conn.execute("SET TimeZone = 'Europe/London'")
    assert one(conn, "SELECT setting FROM pg_settings WHERE name = 'TimeZone'") == "Europe/London"
    assert one(conn, "SELECT current_user") == "analyst"
    assert one(conn, "SELECT current_database()") == "lake"


def test_regex_operators_match_like_postgres(conn):
    # PostgreSQL's ~ matches anywhere (DuckDB's ~ would need the whole string to match).
    assert one(conn, "SELECT 'deprivation_index' ~ 'index'") is True
    assert one(conn, "SELECT 'deprivation_index' !~ '^index'") is True
    assert one(conn, "SELECT 'ABC' ~* 'b'") is True


def test_sizes_are_the_lake_files(conn):
    size = one(conn, "SELECT pg_table_size('energy.epc_certificates'::regclass)")
    assert size > 0
    assert re.fullmatch(r"\d+ (bytes|kB|MB)", one(conn, "SELECT pg_size_pretty(pg_table_size('energy.epc_certificates'::regclass))"))
    # The argument is a regclass, so a plain name works as in PostgreSQL; NULL stays NULL.
    assert one(conn, "SELECT pg_total_relation_size('energy.epc_certificates')") == size
    assert one(conn, "SELECT pg_relation_size('energy.epc_certificates')") == size
    assert one(conn, "SELECT pg_table_size(NULL)") is None
    assert one(conn, "SELECT pg_size_pretty(10240::bigint)") == "10 kB"
    assert one(conn, "SELECT pg_size_pretty(1234::bigint)") == "1234 bytes"


def test_plain_queries_are_not_rewritten(conn):
    # Column names come from DuckDB for queries that do not touch the catalogue.
    cur = conn.execute("SELECT la_code AS version FROM local_authorities ORDER BY 1 LIMIT 1")
    assert [d.name for d in cur.description] == ["version"]
    # A query mentioning a catalogue word in a string is parsed, and left as it is.
    assert one(conn, "SELECT 'pg_class' AS x") == "pg_class"


def test_unknown_relation_names_are_errors_as_in_postgres(conn):
    # 'name'::regclass and the size functions raise 42P01 for a name that is no relation;
    # to_regclass answers NULL; the session stays usable.
    for sql in ("SELECT 'nope'::regclass", "SELECT pg_total_relation_size('nope')"):
        with pytest.raises(psycopg.errors.UndefinedTable) as failure:
            conn.execute(sql)
        assert failure.value.diag.message_primary == 'relation "nope" does not exist'
    assert one(conn, "SELECT to_regclass('nope')") is None
    assert one(conn, "SELECT to_regclass('deprivation_index')::oid") == lg_oid("class", "main", "deprivation_index")


def test_error_hints_name_the_catalogue_as_clients_know_it(conn):
    with pytest.raises(psycopg.errors.UndefinedTable) as failure:
        conn.execute("SELECT * FROM pg_stat_activity")
    hint = failure.value.diag.message_hint or ""
    assert "pg_catalog.pg_statistic_ext" in hint and "lakegate.pg" not in hint
