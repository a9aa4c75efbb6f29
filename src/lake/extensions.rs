//! DuckDB extensions: which ones a lake needs, and loading them with an error that says how to
//! install them.
//!
//! Extensions are loaded explicitly, with DuckDB's auto-install and auto-load switched off, so a
//! serving process never fetches code from the network behind a client's query. With internet
//! access a missing extension is installed once with DuckDB's own `INSTALL`; offline (this
//! machine, air-gapped sites) `scripts/install-extensions` fills DuckDB's extension directory from
//! the signed binaries published on PyPI as `duckdb-extension-<name>` wheels.

use duckdb::Connection;

use crate::config::{CatalogLocation, Config};

/// The DuckDB version whose extension binaries we load; extension files are built per version.
pub const DUCKDB_VERSION: &str = "v1.5.5";

/// Extensions the lake needs for a given configuration, in load order.
pub fn required(config: &Config) -> Vec<&'static str> {
    let mut names = vec!["icu", "ducklake"];
    match config.catalog() {
        Ok(CatalogLocation::Sqlite(_)) => names.push("sqlite_scanner"),
        Ok(CatalogLocation::Postgres(_)) => names.push("postgres_scanner"),
        _ => {}
    }
    if config.uses_s3() {
        names.push("httpfs");
    }
    names
}

#[derive(Debug, thiserror::Error)]
#[error(
    "DuckDB extension '{name}' could not be loaded: {reason}\n\
     Install the extensions for DuckDB {version} with `scripts/install-extensions` (offline: it \
     copies the signed binaries from the PyPI wheels duckdb-extension-<name>=={pypi_version} into \
     {dir}), or with internet access run `INSTALL {name}` in DuckDB {version}.",
    version = DUCKDB_VERSION,
    pypi_version = &DUCKDB_VERSION[1..],
)]
pub struct MissingExtension {
    pub name: String,
    pub reason: String,
    pub dir: String,
}

/// Loads `name`, installing it through DuckDB when it is absent and the network allows.
pub fn load(conn: &Connection, name: &str, extension_dir: &str) -> Result<(), MissingExtension> {
    if conn.execute_batch(&format!("LOAD {name}")).is_ok() {
        return Ok(());
    }
    let installed = conn
        .execute_batch(&format!("INSTALL {name}; LOAD {name}"))
        .map_err(|e| MissingExtension {
            name: name.to_string(),
            reason: first_line(&e.to_string()),
            dir: extension_dir.to_string(),
        });
    if installed.is_ok() {
        tracing::info!(
            extension = name,
            "installed DuckDB extension from the network"
        );
    }
    installed
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

/// DuckDB's extension directory for this build, as DuckDB resolves it.
pub fn directory(conn: &Connection) -> String {
    conn.query_row("SELECT current_setting('extension_directory')", [], |r| {
        r.get::<_, String>(0)
    })
    .ok()
    .filter(|s| !s.is_empty())
    .map(|dir| format!("{dir}/{DUCKDB_VERSION}/linux_amd64"))
    .unwrap_or_else(|| {
        let home = std::env::var("HOME").unwrap_or_else(|_| "~".into());
        format!("{home}/.duckdb/extensions/{DUCKDB_VERSION}/linux_amd64")
    })
}
