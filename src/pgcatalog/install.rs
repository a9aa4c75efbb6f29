//! Loading the emulated catalogue into DuckDB at server start: the SQL files of
//! `sql/pg_catalog/` (compiled into the binary), in dependency order, with the lake's name filled
//! in, plus the few tables that are generated from Rust so they cannot drift from the code they
//! mirror (which PostgreSQL type each DuckDB type is sent as, the session parameters' defaults).

use crate::encode::plan_column;
use crate::lake::{Lake, LakeError, quote_ident, sql_string};
use crate::session::settings::Settings;

use super::CATALOGUE_DB;

/// One SQL file of `sql/pg_catalog/`.
struct SqlFile {
    name: &'static str,
    sql: &'static str,
    /// What to load instead when the file cannot be loaded on this lake (an empty relation of the
    /// same shape), or `None` when failing must fail the start-up.
    fallback: Option<&'static str>,
}

macro_rules! sql_file {
    ($name:literal) => {
        SqlFile {
            name: $name,
            sql: include_str!(concat!("../../sql/pg_catalog/", $name)),
            fallback: None,
        }
    };
    ($name:literal, fallback: $fallback:literal) => {
        SqlFile {
            name: $name,
            sql: include_str!(concat!("../../sql/pg_catalog/", $name)),
            fallback: Some($fallback),
        }
    };
}

/// The files in load order: a file may use only what an earlier one created (DuckDB binds a view
/// when it is created). Generated tables (lg_duck_types, lg_default_settings) come first.
const FILES: &[SqlFile] = &[
    // Static data generated from PostgreSQL (tools/generate_static.py).
    sql_file!("lg_types.sql"),
    sql_file!("lg_system_relations.sql"),
    // The lake: relations, columns, their comments and sizes.
    sql_file!("lg_base.sql"),
    sql_file!(
        "lg_published_columns.sql",
        fallback: "CREATE VIEW lakegate.pg.lg_published_columns AS SELECT CAST(NULL AS VARCHAR) AS schema_name, \
                   CAST(NULL AS VARCHAR) AS table_name, CAST(NULL AS VARCHAR) AS column_name, \
                   CAST(NULL AS VARCHAR) AS comment WHERE false;"
    ),
    sql_file!("lg_column_types.sql"),
    sql_file!(
        "lg_table_sizes.sql",
        fallback: "CREATE VIEW lakegate.pg.lg_table_sizes AS SELECT CAST(NULL AS INTEGER) AS oid, \
                   CAST(NULL AS BIGINT) AS bytes WHERE false;"
    ),
    // Functions. A macro that reads a relation needs it to exist (DuckDB binds it when created),
    // and views that call a macro need the macro.
    sql_file!("functions_names.sql"),
    sql_file!("functions_definitions.sql"),
    sql_file!("functions_visibility.sql"),
    sql_file!("functions_sizes.sql"),
    sql_file!("functions_privileges.sql"),
    sql_file!("functions_session.sql"),
    sql_file!("functions_arrays.sql"),
    // pg_catalog relations.
    sql_file!("pg_namespace.sql"),
    sql_file!("pg_class.sql"),
    sql_file!("pg_attribute.sql"),
    sql_file!("pg_type.sql"),
    sql_file!("pg_description.sql"),
    sql_file!("functions_comments.sql"),
    sql_file!("pg_database.sql"),
    sql_file!("pg_roles.sql"),
    sql_file!("pg_authid.sql"),
    sql_file!("pg_user.sql"),
    sql_file!("pg_auth_members.sql"),
    sql_file!("pg_am.sql"),
    sql_file!("pg_index.sql"),
    sql_file!("pg_constraint.sql"),
    sql_file!("pg_inherits.sql"),
    sql_file!("pg_attrdef.sql"),
    sql_file!("pg_opclass.sql"),
    sql_file!("pg_collation.sql"),
    sql_file!("pg_sequence.sql"),
    sql_file!("pg_tablespace.sql"),
    sql_file!("pg_policy.sql"),
    sql_file!("pg_rewrite.sql"),
    sql_file!("pg_statistic_ext.sql"),
    sql_file!("pg_publication.sql"),
    sql_file!("pg_proc.sql"),
    sql_file!("pg_range.sql"),
    sql_file!("pg_enum.sql"),
    sql_file!("pg_trigger.sql"),
    sql_file!("pg_extension.sql"),
    sql_file!("pg_shdescription.sql"),
    sql_file!("pg_depend.sql"),
    sql_file!("pg_settings.sql"),
    sql_file!("pg_tables.sql"),
    sql_file!("pg_views.sql"),
    sql_file!("pg_matviews.sql"),
    sql_file!("pg_indexes.sql"),
    sql_file!("pg_sequences.sql"),
    // information_schema relations.
    sql_file!("information_schema_schemata.sql"),
    sql_file!("information_schema_tables.sql"),
    sql_file!("information_schema_columns.sql"),
    sql_file!("information_schema_views.sql"),
    sql_file!("information_schema_constraints.sql"),
    sql_file!("information_schema_routines.sql"),
];

/// What the SQL files' placeholders stand for on this server.
pub struct Placeholders {
    /// The lake's DuckDB name (the database clients connect to).
    pub lake: String,
    /// The version banner `version()` returns.
    pub banner: String,
    /// When the server started (`pg_postmaster_start_time()`), as a timestamptz literal's text.
    pub start_time: String,
}

impl Placeholders {
    fn fill(&self, sql: &str) -> String {
        sql.replace("@LAKE_NAME@", &sql_string(&self.lake))
            .replace(
                "@METADATA@",
                &quote_ident(&format!("__ducklake_metadata_{}", self.lake)),
            )
            .replace("@LAKE@", &quote_ident(&self.lake))
            .replace("@VERSION_BANNER@", &sql_string(&self.banner))
            .replace("@START_TIME@", &sql_string(&self.start_time))
    }
}

/// The `version()` banner: PostgreSQL-shaped (SQLAlchemy, psqlODBC and others parse
/// "PostgreSQL 16.6" out of it), naming lakegate and the DuckDB underneath.
pub fn version_banner(duckdb_version: &str) -> String {
    format!(
        "PostgreSQL {} (lakegate {}, DuckDB {}) on {}-pc-linux-gnu, compiled by rustc, 64-bit",
        crate::session::settings::SERVER_VERSION,
        env!("CARGO_PKG_VERSION"),
        duckdb_version,
        std::env::consts::ARCH,
    )
}

/// Creates the `lakegate` catalogue database and loads the emulation into it.
pub fn install(lake: &Lake) -> Result<(), LakeError> {
    let conn = lake.conn();
    conn.execute_batch(&format!(
        "ATTACH ':memory:' AS {CATALOGUE_DB}; CREATE SCHEMA {CATALOGUE_DB}.pg; CREATE SCHEMA {CATALOGUE_DB}.pgis;"
    ))?;
    let duckdb_version: String = conn.query_row("SELECT version()", [], |r| r.get(0))?;
    let start_time: String = conn.query_row("SELECT CAST(now() AS VARCHAR)", [], |r| r.get(0))?;
    let placeholders = Placeholders {
        lake: lake.alias.clone(),
        banner: version_banner(&duckdb_version),
        start_time,
    };
    conn.execute_batch(&duck_types_sql(lake)?)?;
    conn.execute_batch(&default_settings_sql())?;
    for file in FILES {
        let sql = placeholders.fill(file.sql);
        if let Err(e) = conn.execute_batch(&sql) {
            match file.fallback {
                Some(fallback) => {
                    tracing::info!(file = file.name, error = %e, "catalogue: using the empty fallback");
                    conn.execute_batch(fallback)?;
                }
                None => {
                    return Err(LakeError::DuckDb(format!(
                        "sql/pg_catalog/{}: {e}",
                        file.name
                    )));
                }
            }
        }
    }
    Ok(())
}

/// `lakegate.pg.lg_duck_types(name, oid)`: for every scalar DuckDB type (by each of its names, and
/// by the spelling duckdb_columns() uses), the PostgreSQL type OID that [`plan_column`] sends a
/// column of that type as. Nested and parameterised types are derived from these in
/// `lg_column_types.sql`.
fn duck_types_sql(lake: &Lake) -> Result<String, LakeError> {
    let conn = lake.conn();
    let mut stmt = conn.prepare(
        "SELECT DISTINCT type_name FROM duckdb_types() WHERE database_name = 'system' ORDER BY 1",
    )?;
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let duck = lake
        .database()
        .connect()
        .map_err(|e| LakeError::DuckDb(e.to_string()))?;
    let mut rows = std::collections::BTreeMap::new();
    for name in names {
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' ')
        {
            continue;
        }
        // Types that need parameters (DECIMAL is fine, ENUM/LIST/STRUCT/MAP/UNION are not) fail here.
        let sql = format!("SELECT CAST(NULL AS {name}) AS v, typeof(CAST(NULL AS {name})) AS t");
        let Ok(prepared) = duck.prepare(&sql) else {
            continue;
        };
        let Some(column) = prepared.columns().into_iter().next() else {
            continue;
        };
        let oid = plan_column(&column.ty).pg.oid;
        rows.insert(name.to_ascii_uppercase(), oid);
        if let Ok(spelled) = conn.query_row(&sql, [], |r| r.get::<_, String>(1)) {
            rows.entry(spelled.to_ascii_uppercase()).or_insert(oid);
        }
    }
    let values: Vec<String> = rows
        .iter()
        .map(|(name, oid)| format!("({}, {oid})", sql_string(name)))
        .collect();
    Ok(format!(
        "CREATE TABLE {CATALOGUE_DB}.pg.lg_duck_types (name VARCHAR PRIMARY KEY, oid INTEGER);\n\
         INSERT INTO {CATALOGUE_DB}.pg.lg_duck_types VALUES {};",
        values.join(", ")
    ))
}

/// `lakegate.pg.lg_default_settings(name, display_name, setting, read_only)`: every session
/// parameter's default (what `current_setting()` answers when the session has not put its own
/// values in the `lakegate_settings` variable), plus the server facts clients read that SHOW does
/// not list.
fn default_settings_sql() -> String {
    let defaults = Settings::new(&[], &Default::default());
    let mut probe = Settings::new(&[], &Default::default());
    let mut rows: Vec<(String, String, String, bool)> = defaults
        .all()
        .into_iter()
        .map(|(name, value)| {
            let read_only = probe.set(&name, Some(&value)).is_err();
            (name.to_ascii_lowercase(), name, value, read_only)
        })
        .collect();
    for (name, value) in EXTRA_SETTINGS {
        if !rows.iter().any(|r| r.0 == *name) {
            rows.push((name.to_string(), name.to_string(), value.to_string(), true));
        }
    }
    let values: Vec<String> = rows
        .iter()
        .map(|(name, display, value, ro)| {
            format!(
                "({}, {}, {}, {ro})",
                sql_string(name),
                sql_string(display),
                sql_string(value)
            )
        })
        .collect();
    format!(
        "CREATE TABLE {CATALOGUE_DB}.pg.lg_default_settings (name VARCHAR, display_name VARCHAR, \
         setting VARCHAR, read_only BOOLEAN);\n\
         INSERT INTO {CATALOGUE_DB}.pg.lg_default_settings VALUES {};",
        values.join(", ")
    )
}

/// Server facts that clients read with `current_setting()` but that are no session parameter.
const EXTRA_SETTINGS: &[(&str, &str)] = &[
    // SQLAlchemy's table reflection compares pg_am.amname with it.
    ("default_table_access_method", "heap"),
    ("default_tablespace", ""),
    ("data_directory_mode", "0700"),
    ("wal_level", "replica"),
    ("shared_preload_libraries", ""),
];

/// The statements a session runs on each of its DuckDB connections so that the catalogue sees the
/// session: its parameters (for `current_setting()` and `pg_settings`) and its user.
pub fn session_sql(user: &str, settings: &[(String, String)]) -> String {
    let entries: Vec<String> = settings
        .iter()
        .map(|(k, v)| format!("{}: {}", sql_string(&k.to_ascii_lowercase()), sql_string(v)))
        .collect();
    format!(
        "SET VARIABLE lakegate_settings = MAP {{{}}}; SET VARIABLE lakegate_user = {};",
        entries.join(", "),
        sql_string(user)
    )
}
