//! Configuration: the TOML file, its embedded defaults, and validation.
//!
//! Every key has a default, so running with no file at all gives the embedded set-up (SQLite
//! catalogue, local data folder, local pins board, trust auth on loopback). Unknown keys are an
//! error that names the key and the file, because a misspelt key silently falling back to a
//! default is how a lake ends up somewhere nobody expected.
//!
//! Relative paths in a file are resolved against the directory of that file; with no file they are
//! resolved against the working directory.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// The environment variable that names the config file when `--config` is not given.
pub const CONFIG_ENV: &str = "LAKEGATE_CONFIG";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("invalid config{}: {message}", path.as_ref().map(|p| format!(" file {}", p.display())).unwrap_or_default())]
    Invalid {
        path: Option<PathBuf>,
        message: String,
    },
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub lake: LakeConfig,
    pub s3: S3Config,
    pub pins: PinsConfig,
    pub server: ServerConfig,
    pub publish: PublishConfig,
    pub catalogue: CatalogueConfig,
    /// User name → SCRAM-SHA-256 verifier (`SCRAM-SHA-256$<iter>:<salt>$<stored>:<server>`),
    /// as printed by `lakegate user add NAME`. Empty means trust authentication, which is only
    /// allowed when the server listens on a loopback address.
    pub users: BTreeMap<String, String>,
    /// The file this configuration came from, if any (not a key in the file).
    #[serde(skip)]
    pub source_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LakeConfig {
    /// Where the DuckLake catalogue lives: `sqlite:PATH`, `postgres:<libpq connection string>`
    /// or `duckdb:PATH`.
    pub catalog: String,
    /// Where the parquet files live: a folder, or `s3://bucket/prefix/`.
    pub data_path: String,
    /// DuckDB's extension directory; by default DuckDB's own (`~/.duckdb/extensions`).
    pub extension_directory: Option<PathBuf>,
    /// DuckDB's memory limit for the whole process (e.g. "4GB"); a query that needs more fails with
    /// SQLSTATE 53200 instead of the process being killed. By default DuckDB's (80% of RAM).
    pub memory_limit: Option<String>,
    /// DuckDB worker threads; by default the number of cores.
    pub threads: Option<u32>,
}

impl Default for LakeConfig {
    fn default() -> Self {
        LakeConfig {
            catalog: "sqlite:lake/catalog.sqlite".into(),
            data_path: "lake/data/".into(),
            extension_directory: None,
            memory_limit: None,
            threads: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct S3Config {
    pub region: Option<String>,
    /// `host:port` of an S3-compatible endpoint (Garage, MinIO, …); AWS when absent.
    pub endpoint: Option<String>,
    pub url_style: UrlStyle,
    pub use_ssl: bool,
    /// AWS profile to take credentials from (`~/.aws/config` / `credentials`, SSO).
    pub profile: Option<String>,
}

impl Default for S3Config {
    fn default() -> Self {
        S3Config {
            region: None,
            endpoint: None,
            url_style: UrlStyle::Vhost,
            use_ssl: true,
            profile: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UrlStyle {
    Path,
    Vhost,
}

impl UrlStyle {
    pub fn as_str(self) -> &'static str {
        match self {
            UrlStyle::Path => "path",
            UrlStyle::Vhost => "vhost",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PinsConfig {
    /// The pins board: a folder or `s3://bucket/prefix/`. Set to "" to not write pins.
    pub board: String,
    /// How many versions of each pin to keep.
    pub keep_versions: usize,
}

impl Default for PinsConfig {
    fn default() -> Self {
        PinsConfig {
            board: "lake/pins/".into(),
            keep_versions: 5,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    /// The database name clients connect to; any other name is refused with 3D000.
    pub database: String,
    pub max_connections: usize,
    /// Close a session that has sent nothing for this long (e.g. "1h"); "0s" disables.
    #[serde(with = "humantime_serde")]
    pub idle_session_timeout: Duration,
    /// Default `statement_timeout` of new sessions (e.g. "5min"); "0s" means none. Clients can
    /// change theirs with `SET statement_timeout`.
    #[serde(with = "humantime_serde")]
    pub statement_timeout: Duration,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// Refuse clients that do not use TLS (needs `tls_cert` and `tls_key`).
    pub require_tls: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: "127.0.0.1:5433".parse().expect("valid default address"),
            database: "lake".into(),
            max_connections: 100,
            idle_session_timeout: Duration::from_secs(8 * 3600),
            statement_timeout: Duration::ZERO,
            tls_cert: None,
            tls_key: None,
            require_tls: false,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PublishConfig {
    /// The local DuckDB file to publish.
    pub source: Option<PathBuf>,
    /// Only these tables (`name` for schema main, or `schema.name`); all when empty.
    pub include: Vec<String>,
    /// Never these tables.
    pub exclude: Vec<String>,
    /// Recorded as the author of each snapshot; by default the OS user name.
    pub author: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CatalogueConfig {
    /// Where `lakegate publish` writes the Frictionless Data Package (`datapackage.json`) that
    /// describes every dataset: a file path or `s3://bucket/key`, in a folder that contains the
    /// pins board; "" to write none. By default beside the board, never inside it:
    /// `<board's parent>/datapackage.json` (see src/catalogue/datapackage.rs).
    pub datapackage: Option<String>,
}

/// Where the DuckLake catalogue lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogLocation {
    Sqlite(PathBuf),
    Postgres(String),
    DuckDb(PathBuf),
}

impl CatalogLocation {
    /// The string DuckDB's `ATTACH 'ducklake:…'` expects after `ducklake:`.
    pub fn ducklake_spec(&self) -> String {
        match self {
            CatalogLocation::Sqlite(p) => format!("sqlite:{}", p.display()),
            CatalogLocation::Postgres(c) => format!("postgres:{c}"),
            CatalogLocation::DuckDb(p) => p.display().to_string(),
        }
    }
}

impl fmt::Display for CatalogLocation {
    /// A form that is safe to print: a PostgreSQL connection string may hold a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogLocation::Sqlite(p) => write!(f, "sqlite:{}", p.display()),
            CatalogLocation::DuckDb(p) => write!(f, "duckdb:{}", p.display()),
            CatalogLocation::Postgres(c) => {
                let redacted: Vec<String> = c
                    .split_whitespace()
                    .map(|kv| match kv.split_once('=') {
                        Some((k, _)) if k.eq_ignore_ascii_case("password") => {
                            format!("{k}=********")
                        }
                        _ => kv.to_string(),
                    })
                    .collect();
                write!(f, "postgres:{}", redacted.join(" "))
            }
        }
    }
}

/// A place for files: a local folder or an S3 prefix. Used for the lake's data and the pins board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Folder(PathBuf),
    S3 { bucket: String, prefix: String },
}

impl Location {
    pub fn is_s3(&self) -> bool {
        matches!(self, Location::S3 { .. })
    }

    /// The location as DuckDB names it, with a trailing slash.
    pub fn url(&self) -> String {
        match self {
            Location::Folder(p) => {
                let s = p.display().to_string();
                if s.ends_with('/') { s } else { format!("{s}/") }
            }
            Location::S3 { bucket, prefix } => format!("s3://{bucket}/{prefix}"),
        }
    }

    fn parse(raw: &str, base: &Path) -> Result<Location, String> {
        if let Some(rest) = raw.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(format!("'{raw}' names no bucket"));
            }
            let mut prefix = prefix.trim_matches('/').to_string();
            if !prefix.is_empty() {
                prefix.push('/');
            }
            Ok(Location::S3 {
                bucket: bucket.to_string(),
                prefix,
            })
        } else if raw.contains("://") {
            Err(format!(
                "'{raw}': only local folders and s3:// locations are supported"
            ))
        } else {
            Ok(Location::Folder(resolve(base, Path::new(raw))))
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url())
    }
}

fn resolve(base: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

impl Config {
    /// Loads the configuration: `explicit` (from `--config`), else `$LAKEGATE_CONFIG`, else the
    /// embedded defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let from_env = std::env::var_os(CONFIG_ENV).map(PathBuf::from);
        match explicit.map(Path::to_path_buf).or(from_env) {
            Some(path) => Config::from_file(&path),
            None => Ok(Config::default()),
        }
    }

    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config = Config::from_toml(&text).map_err(|message| ConfigError::Parse {
            path: path.to_path_buf(),
            message,
        })?;
        config.source_file = Some(path.to_path_buf());
        Ok(config)
    }

    /// Parses TOML text; the error message names the offending key and its line.
    pub fn from_toml(text: &str) -> Result<Config, String> {
        toml::from_str::<Config>(text).map_err(|e| e.to_string().trim_end().to_string())
    }

    /// The directory relative paths are resolved against.
    pub fn base_dir(&self) -> PathBuf {
        self.source_file
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."))
    }

    fn invalid(&self, message: String) -> ConfigError {
        ConfigError::Invalid {
            path: self.source_file.clone(),
            message,
        }
    }

    pub fn catalog(&self) -> Result<CatalogLocation, ConfigError> {
        let raw = self.lake.catalog.trim();
        let base = self.base_dir();
        if let Some(p) = raw.strip_prefix("sqlite:") {
            Ok(CatalogLocation::Sqlite(resolve(&base, Path::new(p))))
        } else if let Some(c) = raw.strip_prefix("postgres:") {
            Ok(CatalogLocation::Postgres(c.to_string()))
        } else if let Some(p) = raw.strip_prefix("duckdb:") {
            Ok(CatalogLocation::DuckDb(resolve(&base, Path::new(p))))
        } else {
            Err(self.invalid(format!(
                "[lake] catalog = '{raw}': expected 'sqlite:PATH', 'postgres:<connection string>' or 'duckdb:PATH'"
            )))
        }
    }

    pub fn data_path(&self) -> Result<Location, ConfigError> {
        Location::parse(self.lake.data_path.trim(), &self.base_dir())
            .map_err(|m| self.invalid(format!("[lake] data_path {m}")))
    }

    /// The pins board, or `None` when pins are switched off (`board = ""`).
    pub fn pins_board(&self) -> Result<Option<Location>, ConfigError> {
        let raw = self.pins.board.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        Location::parse(raw, &self.base_dir())
            .map(Some)
            .map_err(|m| self.invalid(format!("[pins] board {m}")))
    }

    pub fn publish_source(&self, override_path: Option<&Path>) -> Result<PathBuf, ConfigError> {
        match (override_path, &self.publish.source) {
            (Some(p), _) => Ok(p.to_path_buf()),
            (None, Some(p)) => Ok(resolve(&self.base_dir(), p)),
            (None, None) => Err(self.invalid(
                "no source DuckDB file: set [publish] source or pass --source PATH".into(),
            )),
        }
    }

    pub fn extension_directory(&self) -> Option<PathBuf> {
        self.lake
            .extension_directory
            .as_ref()
            .map(|p| resolve(&self.base_dir(), p))
    }

    pub fn tls_files(&self) -> Result<Option<(PathBuf, PathBuf)>, ConfigError> {
        let base = self.base_dir();
        match (&self.server.tls_cert, &self.server.tls_key) {
            (Some(c), Some(k)) => Ok(Some((resolve(&base, c), resolve(&base, k)))),
            (None, None) if self.server.require_tls => {
                Err(self.invalid("[server] require_tls = true needs tls_cert and tls_key".into()))
            }
            (None, None) => Ok(None),
            _ => Err(self.invalid("[server] tls_cert and tls_key must be given together".into())),
        }
    }

    /// Checks what the serve command needs beyond parsing.
    pub fn validate_for_serve(&self) -> Result<(), ConfigError> {
        self.catalog()?;
        self.data_path()?;
        self.tls_files()?;
        if self.users.is_empty() && !self.server.listen.ip().is_loopback() {
            return Err(self.invalid(format!(
                "[server] listen = {} is not a loopback address, but no [users] are configured: \
                 trust authentication is only allowed on 127.0.0.1/::1. Add users with \
                 `lakegate user add NAME` or listen on 127.0.0.1.",
                self.server.listen
            )));
        }
        for (name, verifier) in &self.users {
            if !verifier.starts_with("SCRAM-SHA-256$") {
                return Err(self.invalid(format!(
                    "[users] {name}: expected a SCRAM-SHA-256 verifier as printed by `lakegate user add {name}`"
                )));
            }
        }
        if self.server.max_connections == 0 {
            return Err(self.invalid("[server] max_connections must be at least 1".into()));
        }
        Ok(())
    }

    pub fn uses_s3(&self) -> bool {
        matches!(self.data_path(), Ok(l) if l.is_s3())
            || matches!(self.pins_board(), Ok(Some(l)) if l.is_s3())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_embedded_setup() {
        let c = Config::default();
        assert_eq!(
            c.catalog().unwrap(),
            CatalogLocation::Sqlite(PathBuf::from("./lake/catalog.sqlite"))
        );
        assert_eq!(
            c.data_path().unwrap(),
            Location::Folder(PathBuf::from("./lake/data/"))
        );
        assert_eq!(c.server.listen.to_string(), "127.0.0.1:5433");
        assert_eq!(c.server.database, "lake");
        assert_eq!(c.pins.keep_versions, 5);
        c.validate_for_serve().unwrap();
    }

    #[test]
    fn unknown_key_is_named() {
        let err = Config::from_toml("[lake]\ncatalgo = 'sqlite:x'\n").unwrap_err();
        assert!(err.contains("catalgo"), "{err}");
        let err = Config::from_toml("[nonsense]\n").unwrap_err();
        assert!(err.contains("nonsense"), "{err}");
    }

    #[test]
    fn unknown_key_error_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lakegate.toml");
        std::fs::write(&path, "[server]\nlisten = '127.0.0.1:1'\nport = 5\n").unwrap();
        let err = Config::from_file(&path).unwrap_err().to_string();
        assert!(err.contains("lakegate.toml"), "{err}");
        assert!(err.contains("port"), "{err}");
    }

    #[test]
    fn s3_locations_parse() {
        let c = Config::from_toml(
            "[lake]\ndata_path = 's3://lake/data'\n[pins]\nboard = 's3://lake/pins/'\n",
        )
        .unwrap();
        assert_eq!(
            c.data_path().unwrap(),
            Location::S3 {
                bucket: "lake".into(),
                prefix: "data/".into()
            }
        );
        assert_eq!(c.data_path().unwrap().url(), "s3://lake/data/");
        assert!(c.uses_s3());
        assert!(
            Config::from_toml("[lake]\ndata_path = 'gs://x/'\n")
                .unwrap()
                .data_path()
                .is_err()
        );
    }

    #[test]
    fn relative_paths_follow_the_config_file() {
        let mut c = Config::from_toml("[lake]\ncatalog = 'sqlite:cat.sqlite'\n").unwrap();
        c.source_file = Some(PathBuf::from("/etc/lakegate/lakegate.toml"));
        assert_eq!(
            c.catalog().unwrap(),
            CatalogLocation::Sqlite(PathBuf::from("/etc/lakegate/cat.sqlite"))
        );
    }

    #[test]
    fn postgres_password_is_not_displayed() {
        let c = CatalogLocation::Postgres("host=db dbname=lake password=hunter2".into());
        let shown = c.to_string();
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(c.ducklake_spec().contains("hunter2"));
    }

    #[test]
    fn non_loopback_without_users_is_refused() {
        let c = Config::from_toml("[server]\nlisten = '0.0.0.0:5433'\n").unwrap();
        let err = c.validate_for_serve().unwrap_err().to_string();
        assert!(err.contains("loopback"), "{err}");
    }

    #[test]
    fn durations_are_human() {
        let c = Config::from_toml("[server]\nidle_session_timeout = '30min'\n").unwrap();
        assert_eq!(c.server.idle_session_timeout, Duration::from_secs(1800));
    }
}
