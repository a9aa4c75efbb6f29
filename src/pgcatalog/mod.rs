//! PostgreSQL catalogue emulation: `pg_catalog` and `information_schema` as PostgreSQL clients
//! query them (psql's `\d`, SQLAlchemy's inspector, RPostgres, psqlODBC), over DuckDB's own
//! catalogue of the lake, with every table and column comment visible.
//!
//! Two halves:
//!
//! - SQL views and macros, one file per emulated relation or function group in
//!   `sql/pg_catalog/`, loaded at server start ([`install`]) into the in-memory DuckDB catalogue
//!   `lakegate`: schema `pg` stands for `pg_catalog` and `pgis` for `information_schema`, because
//!   DuckDB refuses to create schemas with those names. OIDs are derived from names, so they are
//!   the same in every session and on every gateway (see `sql/pg_catalog/lg_base.sql`).
//! - Rewrite rules ([`rules`]) that take client SQL naming PostgreSQL's catalogue (or using
//!   PostgreSQL syntax DuckDB reads differently) to those objects, on sqlparser's parse tree
//!   ([`rewrite`]), never by string replacement. A query that does not mention the catalogue is not
//!   even parsed (a cheap lexical check first), and one sqlparser cannot parse (DuckDB-only
//!   syntax) passes through unchanged.
//!
//! # Layout
//!
//! - [`rewrite`]: the driver — lexical fast path, parse, apply the rules in order, print.
//! - [`rules`]: one rule per file, registered in one ordered list.
//! - [`names`]: the emulated relations and functions, by PostgreSQL name.
//! - [`walk`]: the walk over sqlparser's tree that applies them.
//! - [`install`]: loading `sql/pg_catalog/*.sql` and the generated tables.

pub mod install;
pub mod names;
pub mod rewrite;
pub mod rules;
pub mod walk;

use crate::lake::Lake;

/// The in-memory DuckDB catalogue that holds lakegate's own objects.
pub const CATALOGUE_DB: &str = "lakegate";

/// The rewriter shared by all sessions. It holds no per-session state: everything the catalogue
/// needs to know about a session (its search path, parameters and user) reaches DuckDB through
/// the session's own connection settings ([`session_sql`]).
#[derive(Default)]
pub struct Catalogue {}

impl Catalogue {
    pub fn new() -> Catalogue {
        Catalogue {}
    }

    /// Rewrites `sql` when it speaks PostgreSQL's catalogue; returns it unchanged otherwise.
    pub fn rewrite(&self, sql: &str) -> String {
        match rewrite::rewrite(sql) {
            Some(rewritten) => {
                tracing::debug!(original = sql, rewritten = %rewritten, "catalogue rewrite");
                rewritten
            }
            None => sql.to_string(),
        }
    }
}

/// Creates the `lakegate` catalogue database and loads the emulation into it. Runs once at
/// server start, before the sandbox is locked.
pub fn install(lake: &Lake) -> Result<(), crate::lake::LakeError> {
    install::install(lake)
}

/// The statements a session runs on each of its DuckDB connections (after any change of its
/// parameters) so that `current_setting()`, `pg_settings` and `current_user` see that session.
pub fn session_sql(user: &str, settings: &[(String, String)]) -> String {
    install::session_sql(user, settings)
}
