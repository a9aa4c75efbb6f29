//! The bundled sample source: a small regional-statistics DuckDB file with a comment on every
//! table, view and column (`sql/sample/regional_statistics.sql`), for the README's first command,
//! the tests and the benchmark.

use std::path::Path;

use anyhow::{Context, bail};

const SAMPLE_SQL: &str = include_str!("../sql/sample/regional_statistics.sql");

/// The oldest DuckDB storage format that keeps a GEOMETRY column's coordinate system.
pub const STORAGE_VERSION: &str = "v1.5.0";

/// Writes the sample source to a new DuckDB file at `path`.
pub fn create(path: &Path, extension_directory: Option<&Path>) -> anyhow::Result<()> {
    if path.exists() {
        bail!(
            "{} already exists; remove it or choose another path",
            path.display()
        );
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    // Storage version v1.5.0: older storage versions (DuckDB's default for new files) silently
    // drop a GEOMETRY column's coordinate system, and the boundaries must keep EPSG:27700.
    let mut config = duckdb::Config::default()
        .enable_autoload_extension(false)?
        .with("autoinstall_known_extensions", "false")?
        .with("storage_compatibility_version", STORAGE_VERSION)?;
    if let Some(dir) = extension_directory {
        config = config.with("extension_directory", dir.display().to_string())?;
    }
    let result = (|| {
        let conn = duckdb::Connection::open_with_flags(path, config)?;
        let dir = crate::lake::extensions::directory(&conn);
        // The boundaries table uses EPSG:27700, which only the spatial extension knows.
        crate::lake::extensions::load(&conn, "spatial", &dir)?;
        conn.execute_batch(SAMPLE_SQL)
            .context("running the sample script")?;
        anyhow::Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(path);
        let _ = std::fs::remove_file(path.with_extension("duckdb.wal"));
    }
    result
}
