//! The lake: one in-process DuckDB instance with the DuckLake catalogue attached.
//!
//! This module owns everything about reaching the data: the DuckDB instance and its settings,
//! the extensions, the S3 secret built from the AWS credential chain, the DuckLake `ATTACH`
//! (read-write for `publish`, read-only for `serve`), and the sandbox that locks a serving
//! instance down. It knows nothing of the wire protocol or of publishing plans.
//!
//! - [`extensions`]: which extensions a lake needs and how they are loaded or installed;
//! - [`s3`]: credentials from `aws-config` turned into a DuckDB secret;
//! - [`duck`]: a thin safe layer over DuckDB's C API for what the `duckdb` crate does not expose
//!   (prepared-statement metadata before execution, streaming chunks, interrupts).

pub mod duck;
pub mod extensions;
pub mod s3;
pub mod types;

use std::path::Path;
use std::sync::Arc;

use duckdb::Connection;

use crate::config::{CatalogLocation, Config, Location, S3Config};
use duck::Database;

pub use s3::S3Credentials;

/// The name of the DuckDB secret holding the S3 credentials.
const S3_SECRET: &str = "lakegate_s3";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `publish`: the catalogue and data may be written.
    ReadWrite,
    /// `serve` and the catalogue commands: attached READ_ONLY.
    ReadOnly,
}

#[derive(Debug, thiserror::Error)]
pub enum LakeError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Extension(#[from] extensions::MissingExtension),
    #[error("there is no lake at {0} yet: run `lakegate publish` first (or check [lake] catalog)")]
    NoLake(String),
    #[error("cannot open the lake catalogue {catalog}: {message}")]
    Attach { catalog: String, message: String },
    #[error("cannot prepare the lake's data folder {path}: {source}")]
    DataFolder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot switch the SQLite catalogue {path} to WAL mode: {message}")]
    Wal { path: String, message: String },
    #[error("cannot reach the lake's data path {url}: {message}")]
    Unreachable { url: String, message: String },
    #[error("DuckDB: {0}")]
    DuckDb(String),
}

impl From<duckdb::Error> for LakeError {
    fn from(e: duckdb::Error) -> Self {
        LakeError::DuckDb(e.to_string())
    }
}

/// An open lake. Dropping it closes the DuckDB instance.
pub struct Lake {
    /// Connection used for set-up and for the process's own queries (publish, catalogue).
    /// Declared before `database` so it is closed first.
    conn: Connection,
    database: Arc<Database>,
    /// The name the lake is attached under inside DuckDB.
    pub alias: String,
    pub catalog: CatalogLocation,
    pub data: Location,
    pub access: Access,
    s3: Option<S3Config>,
    s3_region: Option<String>,
}

impl Lake {
    /// Opens the DuckDB instance and attaches the lake. `s3` carries credentials when the
    /// configuration uses S3 (resolved beforehand, because the AWS chain is asynchronous).
    pub fn open(
        config: &Config,
        access: Access,
        alias: &str,
        s3: Option<&S3Credentials>,
    ) -> Result<Lake, LakeError> {
        let catalog = config.catalog()?;
        let data = config.data_path()?;

        let mut settings: Vec<(&str, String)> = vec![
            ("autoinstall_known_extensions", "false".into()),
            ("autoload_known_extensions", "false".into()),
            ("allow_unsigned_extensions", "false".into()),
            ("allow_community_extensions", "false".into()),
        ];
        if let Some(dir) = config.extension_directory() {
            settings.push(("extension_directory", dir.display().to_string()));
        }
        if let Some(limit) = &config.lake.memory_limit {
            settings.push(("memory_limit", limit.clone()));
        }
        if let Some(threads) = config.lake.threads {
            settings.push(("threads", threads.to_string()));
        }
        let database = Arc::new(Database::open_in_memory(&settings).map_err(LakeError::DuckDb)?);
        let conn = database.connection_for_setup()?;

        let ext_dir = extensions::directory(&conn);
        for name in extensions::required(config) {
            extensions::load(&conn, name, &ext_dir)?;
        }

        let s3_region = config
            .s3
            .region
            .clone()
            .or_else(|| config.s3.endpoint.as_ref().map(|_| "us-east-1".into()));
        let lake = Lake {
            conn,
            database,
            alias: alias.to_string(),
            catalog,
            data,
            access,
            s3: config.uses_s3().then(|| config.s3.clone()),
            s3_region,
        };
        if let Some(creds) = s3 {
            lake.set_s3_credentials(creds)?;
        }
        lake.attach()?;
        Ok(lake)
    }

    /// Creates or replaces the S3 secret (also used to refresh temporary credentials).
    pub fn set_s3_credentials(&self, creds: &S3Credentials) -> Result<(), LakeError> {
        let Some(s3) = &self.s3 else { return Ok(()) };
        let sql = s3::create_secret_sql(S3_SECRET, s3, self.s3_region.as_deref(), creds);
        // The statement holds the secret: report DuckDB's message, never the statement.
        self.conn
            .execute_batch(&sql)
            .map_err(|e| LakeError::DuckDb(format!("creating the S3 secret failed: {e}")))
    }

    fn attach(&self) -> Result<(), LakeError> {
        if self.access == Access::ReadWrite {
            // Before anything is created: a publish to an unreachable S3 leaves no catalogue.
            self.check_s3_reachable()?;
        }
        let shown = self.catalog.to_string();
        match (&self.catalog, self.access) {
            (CatalogLocation::Sqlite(p) | CatalogLocation::DuckDb(p), Access::ReadOnly)
                if !p.exists() =>
            {
                return Err(LakeError::NoLake(shown));
            }
            (CatalogLocation::Sqlite(p), Access::ReadWrite) => prepare_sqlite_catalog(p)?,
            (CatalogLocation::DuckDb(p), Access::ReadWrite) => create_parent(p)?,
            _ => {}
        }
        if let (Location::Folder(dir), Access::ReadWrite) = (&self.data, self.access) {
            std::fs::create_dir_all(dir).map_err(|source| LakeError::DataFolder {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let data_url = match &self.data {
            Location::Folder(dir) => {
                let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.clone());
                Location::Folder(abs).url()
            }
            s3 => s3.url(),
        };
        let mut options = vec![format!("DATA_PATH {}", sql_string(&data_url))];
        match self.access {
            Access::ReadOnly => options.push("READ_ONLY".into()),
            // Small tables become parquet files too: a lake read by any DuckDB (and the pins
            // written from it) must not depend on rows inlined into the catalogue database.
            Access::ReadWrite => options.push("DATA_INLINING_ROW_LIMIT 0".into()),
        }
        let sql = format!(
            "ATTACH {} AS {} ({})",
            sql_string(&format!("ducklake:{}", self.catalog.ducklake_spec())),
            quote_ident(&self.alias),
            options.join(", ")
        );
        self.conn
            .execute_batch(&sql)
            .map_err(|e| LakeError::Attach {
                catalog: shown,
                message: redact(&e.to_string(), &self.catalog),
            })?;
        if let CatalogLocation::Sqlite(p) = &self.catalog
            && self.access == Access::ReadWrite
        {
            ensure_wal(p)?;
        }
        Ok(())
    }

    /// Fails, with the location in the message, when the lake's S3 data path cannot be listed
    /// (wrong endpoint, no such bucket, refused credentials).
    fn check_s3_reachable(&self) -> Result<(), LakeError> {
        if !self.data.is_s3() {
            return Ok(());
        }
        let url = self.data.url();
        self.conn
            .execute_batch(&format!(
                "SELECT count(*) FROM glob({})",
                sql_string(&format!("{url}*"))
            ))
            .map_err(|e| LakeError::Unreachable {
                url: url.clone(),
                message: e.to_string().lines().next().unwrap_or_default().to_string(),
            })
    }

    /// The connection this process uses for its own work.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn database(&self) -> &Arc<Database> {
        &self.database
    }

    /// Locks the instance down for serving untrusted queries (layer 2 of the read-only
    /// defence): no file or network access outside the lake's data path, no extension loading,
    /// and no configuration changes but the harmless per-session ones in `allowed_configs`.
    pub fn lock_down(&self) -> Result<(), LakeError> {
        let allowed = match &self.data {
            Location::Folder(dir) => {
                let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.clone());
                Location::Folder(abs).url()
            }
            s3 => s3.url(),
        };
        // httpfs takes AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment as the
        // defaults of these settings, where current_setting() would show them: the lake's
        // credentials live only in the secret, which no session can list.
        if self.s3.is_some() {
            self.conn.execute_batch(
                "SET GLOBAL s3_access_key_id = ''; SET GLOBAL s3_secret_access_key = '';
                 SET GLOBAL s3_session_token = ''; SET GLOBAL http_proxy_password = '';",
            )?;
        }
        let sql = format!(
            "SET allowed_directories = [{}];
             SET enable_external_access = false;
             SET allowed_configs = ['TimeZone', 'search_path', 'schema', 'Calendar'];
             SET lock_configuration = true;",
            sql_string(&allowed)
        );
        self.conn.execute_batch(&sql)?;
        Ok(())
    }
}

/// DuckLake creates its SQLite catalogue in rollback-journal mode; there a reader holding a
/// transaction open (an idle notebook) makes a publish fail with "database is locked". WAL mode,
/// which persists in the file, lets readers keep their snapshot while a publish commits.
/// A new catalogue is created as an empty WAL database that DuckLake then initialises.
fn prepare_sqlite_catalog(path: &Path) -> Result<(), LakeError> {
    create_parent(path)?;
    if !path.exists() {
        ensure_wal(path)?;
    }
    Ok(())
}

fn ensure_wal(path: &Path) -> Result<(), LakeError> {
    let wal_error = |e: rusqlite::Error| LakeError::Wal {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let db = rusqlite::Connection::open(path).map_err(wal_error)?;
    db.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(wal_error)?;
    let mode: String = db
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .map_err(wal_error)?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(path = %path.display(), mode, "SQLite catalogue is not in WAL mode");
    }
    Ok(())
}

fn create_parent(path: &Path) -> Result<(), LakeError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| LakeError::DataFolder {
            path: parent.display().to_string(),
            source,
        })?;
    }
    Ok(())
}

/// Removes a PostgreSQL catalogue's connection string from a message that may echo it.
fn redact(message: &str, catalog: &CatalogLocation) -> String {
    match catalog {
        CatalogLocation::Postgres(conn) if !conn.is_empty() => {
            message.replace(conn.as_str(), "<connection string>")
        }
        _ => message.to_string(),
    }
}

/// A SQL string literal.
pub fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A SQL identifier, always quoted so reserved words, mixed case and spaces survive.
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `"schema"."name"` inside the lake attached as `alias`.
pub fn qualified(alias: &str, schema: &str, name: &str) -> String {
    format!(
        "{}.{}.{}",
        quote_ident(alias),
        quote_ident(schema),
        quote_ident(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_strings_are_quoted() {
        assert_eq!(quote_ident("Mixed \"Case\""), "\"Mixed \"\"Case\"\"\"");
        assert_eq!(sql_string("it's"), "'it''s'");
        assert_eq!(
            qualified("lake", "main", "select"),
            "\"lake\".\"main\".\"select\""
        );
    }

    #[test]
    fn postgres_connection_strings_are_redacted() {
        let c = CatalogLocation::Postgres("host=x password=secret".into());
        assert_eq!(
            redact("failed: host=x password=secret refused", &c),
            "failed: <connection string> refused"
        );
    }
}
