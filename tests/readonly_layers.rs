//! The three read-only layers, each on its own (issue 3: "each of which alone would stop a
//! write"). Layer 1, the statement guard, is tested in `src/session/guard.rs` and over the wire
//! in `tests/python/test_serve_readonly.py`; here statements go straight to DuckDB connections,
//! past the guard, to show what layer 2 (DuckDB's sandbox) and layer 3 (the READ_ONLY DuckLake
//! attachment) stop by themselves — and what they do not, which is why layer 1 exists.

use std::sync::Arc;

use lakegate::config::Config;
use lakegate::lake::duck::{Database, ErrorKind};
use lakegate::lake::{Access, Lake};

/// A folder lake with one table, in a temp dir; returns the dir and its config.
fn lake_with_a_table() -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().display().to_string();
    let config = Config::from_toml(&format!(
        "[lake]\ncatalog = 'sqlite:{base}/lake/catalog.sqlite'\ndata_path = '{base}/lake/data/'\n"
    ))
    .unwrap();
    let lake = Lake::open(&config, Access::ReadWrite, "lake", None).unwrap();
    lake.conn()
        .execute_batch("CREATE TABLE lake.main.t AS SELECT range AS n FROM range(10)")
        .unwrap();
    drop(lake);
    (dir, config)
}

fn session(db: &Arc<Database>) -> lakegate::lake::duck::Connection {
    let c = db.connect().unwrap();
    c.execute_batch("USE lake.main").unwrap();
    c
}

#[test]
fn layer3_read_only_attachment_alone_stops_lake_writes() {
    let (_dir, config) = lake_with_a_table();
    let lake = Lake::open(&config, Access::ReadOnly, "lake", None).unwrap();
    let c = session(lake.database());
    for sql in [
        "INSERT INTO t VALUES (1)",
        "UPDATE t SET n = 0",
        "DELETE FROM t",
        "CREATE TABLE u AS SELECT 1",
        "DROP TABLE t",
        "ALTER TABLE t ADD COLUMN x INTEGER",
        "COMMENT ON TABLE t IS 'x'",
    ] {
        let e = c.execute_batch(sql).unwrap_err();
        assert!(
            e.message.to_lowercase().contains("read-only") || e.message.contains("read only"),
            "{sql}: {}",
            e.message
        );
    }
    // What layer 3 does NOT stop: files and settings (those are layer 2's).
    let copy_target = _dir.path().join("out.csv");
    c.execute_batch(&format!("COPY t TO '{}'", copy_target.display()))
        .unwrap();
    assert!(copy_target.exists());
}

#[test]
fn layer2_sandbox_alone_stops_files_network_extensions_and_settings() {
    let (dir, config) = lake_with_a_table();
    // Writable attachment on purpose: only the sandbox stands in the way.
    let lake = Lake::open(&config, Access::ReadWrite, "lake", None).unwrap();
    lake.lock_down().unwrap();
    let c = session(lake.database());
    let outside = dir.path().join("outside.csv");
    for (sql, kind) in [
        (
            "SELECT * FROM read_csv('/etc/passwd')",
            ErrorKind::Permission,
        ),
        (
            "SELECT * FROM read_text('/etc/passwd')",
            ErrorKind::Permission,
        ),
        ("SELECT * FROM glob('/*')", ErrorKind::Permission),
        (
            "SELECT * FROM read_parquet('http://127.0.0.1:9/x.parquet')",
            ErrorKind::Permission,
        ),
        (
            &format!("COPY t TO '{}'", outside.display()),
            ErrorKind::Permission,
        ),
        (
            "ATTACH '/tmp/lakegate-layer2.duckdb' AS x",
            ErrorKind::Permission,
        ),
        ("INSTALL httpfs", ErrorKind::Permission),
        ("LOAD httpfs", ErrorKind::Permission),
        ("SET enable_external_access = true", ErrorKind::InvalidInput),
        ("SET threads = 1", ErrorKind::InvalidInput),
        ("SET lock_configuration = false", ErrorKind::InvalidInput),
    ] {
        let e = c.execute_batch(sql).unwrap_err();
        assert!(
            e.kind == kind || e.kind == ErrorKind::Permission || e.kind == ErrorKind::InvalidInput,
            "{sql}: {:?} {}",
            e.kind,
            e.message
        );
    }
    assert!(!outside.exists());
    // Per-session settings the server needs stay settable.
    c.execute_batch("SET TimeZone = 'Europe/London'; SET search_path = 'lake.main'")
        .unwrap();
    // What layer 2 alone does NOT stop: writes to the attached lake itself. With the lake
    // attached read-write (which `serve` never does), a session could change it; layers 1 and
    // 3 are what stop that.
    c.execute_batch("INSERT INTO t VALUES (99)").unwrap();
}

#[test]
fn all_layers_together_as_the_server_runs() {
    let (_dir, config) = lake_with_a_table();
    let lake = Lake::open(&config, Access::ReadOnly, "lake", None).unwrap();
    lake.lock_down().unwrap();
    let c = session(lake.database());
    assert!(c.execute_batch("INSERT INTO t VALUES (1)").is_err());
    assert!(
        c.execute_batch("SELECT * FROM read_csv('/etc/passwd')")
            .is_err()
    );
    let guard = lakegate::session::guard::Guard::default();
    for sql in [
        "INSERT INTO t VALUES (1)",
        "COPY t TO 'x.csv'",
        "DETACH lake",
        "SELECT * FROM read_blob('x')",
    ] {
        assert!(guard.check(&c, sql).is_err(), "{sql}");
    }
    let rows: usize = c
        .query_batches("SELECT * FROM t")
        .unwrap()
        .iter()
        .map(|b| b.num_rows())
        .sum();
    assert_eq!(rows, 10);
}
