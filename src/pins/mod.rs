//! The pins board writer: after each publish, every published table and view (views
//! materialised) is written as a pin that R `pins` and Python `pins` read with `board_folder()` /
//! `board_s3()` and `pin_read()` — one parquet file per version, `data.txt` with the descriptions,
//! a `_pins.yaml` manifest, versions pruned to `[pins] keep_versions`. The exact format and its
//! sources are in docs/pins-format.md.
//!
//! A pin is rewritten only when its table changed: each version's `data.txt` carries the lake's
//! fingerprint, so the board heals itself (a publish interrupted while writing pins leaves the
//! previous versions readable, and the next run writes what is missing).

pub mod board;
pub mod meta;

use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};
use tokio::runtime::Runtime;

use crate::config::{Config, Location};
use crate::lake::{Lake, quote_ident, sql_string};
use crate::publish::progress::Progress;
use crate::publish::state::{self, PublishedRecord};
use board::{Board, BoardError, MANIFEST};
use meta::{PinMeta, Yaml, int_or_float};

/// The key in each version's `user:` metadata that records which lake content it holds.
const FINGERPRINT_KEY: &str = "lakegate_fingerprint";

#[derive(Debug, thiserror::Error)]
pub enum PinsError {
    #[error(transparent)]
    Board(#[from] BoardError),
    #[error("writing pin {pin} failed (the previous version stays readable): {message}")]
    Write { pin: String, message: String },
    #[error("reading the lake's publish record failed: {0}")]
    Lake(String),
    #[error(
        "interrupted while writing pins: the lake is published, every pin stays readable at its \
         previous version, and the next publish writes the missing ones"
    )]
    Interrupted,
}

/// The pin a table is written to: the table name in schema `main`, `schema.table` otherwise,
/// lower-cased, with characters outside `[a-z0-9._-]` replaced by `_` (the rule in
/// docs/pins-format.md §9: safe for both readers and for case-insensitive file systems).
pub fn pin_name(schema: &str, table: &str) -> String {
    let raw = if schema == "main" {
        table.to_string()
    } else {
        format!("{schema}.{table}")
    };
    let mut name: String = raw
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    while name.contains("..") {
        name = name.replace("..", "._");
    }
    let name = name.trim_start_matches(['.', '-', '_']).to_string();
    let mut name = name.trim_end_matches(['.', '-']).to_string();
    if name.is_empty() {
        name = "pin".into();
    }
    if name.len() > 128 {
        let hash = xxhash_rust::xxh64::xxh64(raw.as_bytes(), 0);
        name.truncate(110);
        name = format!("{}_{hash:016x}", name.trim_end_matches(['.', '-']));
    }
    name
}

/// Pin names for every table and view of a lake, all different. [`pin_name`] maps several
/// tables to one name when they differ only in case or in characters it replaces (`Sales` and
/// `sales`, `a b` and `a_b`); then each of them gets `-` and 5 hex digits of a hash of its exact
/// schema and name appended, except one whose name already is its pin name, which keeps it.
/// The result depends only on the set of tables, never on their order.
pub fn pin_names(objects: &[(&str, &str)]) -> Vec<String> {
    let plain: Vec<String> = objects.iter().map(|(s, n)| pin_name(s, n)).collect();
    let exact = |i: usize| {
        let (s, n) = objects[i];
        plain[i] == crate::publish::source::display_name(s, n)
    };
    let suffixed = |i: usize, digits: usize| {
        let (s, n) = objects[i];
        let hash = format!(
            "{:016x}",
            xxhash_rust::xxh64::xxh64(format!("{s}\0{n}").as_bytes(), 0)
        );
        let mut base = plain[i].clone();
        base.truncate(128 - 1 - digits);
        format!("{}-{}", base.trim_end_matches(['.', '-']), &hash[..digits])
    };
    let mut names = plain.clone();
    for i in 0..objects.len() {
        let group: Vec<usize> = (0..objects.len())
            .filter(|&j| plain[j] == plain[i])
            .collect();
        if group.len() == 1 {
            continue;
        }
        let keeper = {
            let exacts: Vec<usize> = group.iter().copied().filter(|&j| exact(j)).collect();
            (exacts.len() == 1).then(|| exacts[0])
        };
        if keeper != Some(i) {
            names[i] = suffixed(i, 5);
        }
    }
    // A suffixed name that happens to equal another table's name gets the whole hash.
    for i in 0..objects.len() {
        if names[i] != plain[i] && names.iter().filter(|n| **n == names[i]).count() > 1 {
            names[i] = suffixed(i, 16);
        }
    }
    names
}

/// `pin_hash`: XXH64 (seed 0) of the data file's bytes, 16 lowercase hex digits.
pub fn pin_hash_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut hasher = xxhash_rust::xxh64::Xxh64::new(0);
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(format!("{:016x}", hasher.digest()))
}

/// `created`, and the version name's prefix, strictly later than `newest` so the new version
/// sorts last even when two publishes fall in the same second.
pub fn created_after(now: DateTime<Utc>, newest: Option<&str>) -> String {
    // Version names have whole seconds: compare at that precision.
    let mut t = now
        .naive_utc()
        .with_nanosecond(0)
        .expect("zero nanoseconds is valid");
    if let Some(prev) = newest
        .and_then(|v| v.split('-').next())
        .and_then(|c| NaiveDateTime::parse_from_str(c, "%Y%m%dT%H%M%SZ").ok())
        && prev >= t
    {
        t = prev + chrono::Duration::seconds(1);
    }
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn is_version_name(name: &str) -> bool {
    let Some((created, hash)) = name.split_once('-') else {
        return false;
    };
    NaiveDateTime::parse_from_str(created, "%Y%m%dT%H%M%SZ").is_ok()
        && hash.len() == 5
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(Debug, Default)]
pub struct SyncReport {
    pub board: String,
    pub written: Vec<String>,
    pub unchanged: usize,
    pub removed: Vec<String>,
    pub pruned: usize,
}

impl fmt::Display for SyncReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Pins on {}: {} written{}, {} unchanged, {} removed, {} old versions pruned",
            self.board,
            self.written.len(),
            if self.written.is_empty() {
                String::new()
            } else {
                format!(" ({})", self.written.join(", "))
            },
            self.unchanged,
            self.removed.len(),
            self.pruned
        )
    }
}

/// Brings the board in line with the lake: writes a new version of every pin whose table
/// changed, removes pins of tables that are gone, prunes old versions, rewrites the manifest.
pub fn sync(
    lake: &Lake,
    config: &Config,
    location: &Location,
    runtime: &Runtime,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<SyncReport, PinsError> {
    let check_cancel = || {
        if cancel.load(Ordering::SeqCst) {
            Err(PinsError::Interrupted)
        } else {
            Ok(())
        }
    };
    let client = location
        .is_s3()
        .then(|| runtime.block_on(board::s3_client(&config.s3)));
    let board = Board::open(location, client)?;
    let grace = crate::publish::orphan_grace();
    let stale = board.sweep_staging(grace);
    if stale > 0 {
        tracing::info!(
            entries = stale,
            "removed staging files left by an interrupted publish"
        );
    }
    match runtime.block_on(board.sweep_uploads(grace)) {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            uploads = n,
            "aborted uploads left by an interrupted publish"
        ),
        Err(e) => tracing::warn!(error = %e, "could not look for abandoned multipart uploads"),
    }
    let records =
        state::read(lake.conn(), &lake.alias).map_err(|e| PinsError::Lake(e.to_string()))?;
    let keep = config.pins.keep_versions.max(1);
    let mut report = SyncReport {
        board: board.describe(),
        ..SyncReport::default()
    };
    // The record holds each table's pin name; a lake published with pins switched off has
    // none, and gets the same names a publish would give.
    let keys: Vec<(&str, &str)> = records
        .iter()
        .map(|r| (r.schema.as_str(), r.name.as_str()))
        .collect();
    let names = pin_names(&keys);
    let wanted: Vec<(String, &PublishedRecord)> = records
        .iter()
        .zip(names)
        .map(|(r, name)| (r.pin_name.clone().unwrap_or(name), r))
        .collect();

    let existing = runtime.block_on(board.list(""))?;
    for name in &existing {
        if name == MANIFEST {
            continue;
        }
        if !wanted.iter().any(|(p, _)| p == name) && is_managed(&board, runtime, name)? {
            // The table is gone from the lake. Leave the manifest without it first, then delete.
            report.removed.push(name.clone());
        }
    }

    for (pin, record) in &wanted {
        let versions = complete_versions(&board, runtime, pin)?;
        let fingerprint = format!("{}:{}", record.fingerprint, record.comments_fingerprint);
        let current = match versions.last() {
            Some(v) => runtime
                .block_on(board.read_text(&format!("{pin}/{v}/data.txt")))?
                .and_then(|t| meta::read_field(&t, FINGERPRINT_KEY, 2))
                .is_some_and(|f| f == fingerprint),
            None => false,
        };
        if current {
            report.unchanged += 1;
            continue;
        }
        check_cancel()?;
        progress.note(&format!("writing pin {pin}"));
        let written = write_pin(
            lake,
            &board,
            runtime,
            progress,
            cancel,
            pin,
            record,
            &fingerprint,
            versions.last(),
        );
        // A Ctrl-C interrupts the pin's COPY: say so rather than report a failed query.
        check_cancel()?;
        written?;
        report.written.push(pin.clone());
    }

    check_cancel()?;
    // The manifest lists what stays; deletions happen only after readers stop being pointed at
    // them.
    let mut manifest = Vec::new();
    let mut doomed = Vec::new();
    for (pin, _) in &wanted {
        let versions = complete_versions(&board, runtime, pin)?;
        let cut = versions.len().saturating_sub(keep);
        doomed.extend(versions[..cut].iter().map(|v| (pin.clone(), v.clone())));
        manifest.push((pin.clone(), versions[cut..].to_vec()));
    }
    manifest.sort();
    let manifest = meta::render_manifest(&manifest);
    // Rewritten only when it changes, so a publish with nothing new leaves the board untouched.
    if runtime.block_on(board.read_text(MANIFEST))?.as_deref() != Some(manifest.as_str()) {
        runtime.block_on(board.write_manifest(&manifest))?;
    }
    for (pin, version) in &doomed {
        runtime.block_on(board.delete(pin, Some(version)))?;
        report.pruned += 1;
    }
    for pin in &report.removed {
        runtime.block_on(board.delete(pin, None))?;
    }
    sweep(&board, runtime, &wanted)?;
    Ok(report)
}

/// A pin directory lakegate wrote (its versions carry our fingerprint): only those are removed.
fn is_managed(board: &Board, runtime: &Runtime, pin: &str) -> Result<bool, PinsError> {
    for v in runtime.block_on(board.list(pin))?.iter().rev() {
        if let Some(text) = runtime.block_on(board.read_text(&format!("{pin}/{v}/data.txt")))? {
            return Ok(meta::read_field(&text, FINGERPRINT_KEY, 2).is_some());
        }
    }
    Ok(false)
}

/// Versions of a pin that have their data.txt, oldest first.
fn complete_versions(
    board: &Board,
    runtime: &Runtime,
    pin: &str,
) -> Result<Vec<String>, PinsError> {
    let mut complete = Vec::new();
    for v in runtime.block_on(board.list(pin))? {
        if !is_version_name(&v) {
            continue;
        }
        let files = runtime.block_on(board.version_files(pin, &v))?;
        if files.iter().any(|f| f == "data.txt") && files.len() >= 2 {
            complete.push(v);
        }
    }
    Ok(complete)
}

/// Removes what crashed runs left behind inside our pins: version folders without `data.txt`
/// or without data (docs/pins-format.md §13.4). They would break Python's `pin_search`.
fn sweep(
    board: &Board,
    runtime: &Runtime,
    wanted: &[(String, &PublishedRecord)],
) -> Result<(), PinsError> {
    for (pin, _) in wanted {
        for v in runtime.block_on(board.list(pin))? {
            let files = runtime.block_on(board.version_files(pin, &v))?;
            let complete = files.iter().any(|f| f == "data.txt") && files.len() >= 2;
            if !complete || !is_version_name(&v) {
                tracing::warn!(pin, version = v, "removing an incomplete pin version");
                runtime.block_on(board.delete(pin, Some(&v)))?;
            }
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write_pin(
    lake: &Lake,
    board: &Board,
    runtime: &Runtime,
    progress: &dyn Progress,
    cancel: &AtomicBool,
    pin: &str,
    record: &PublishedRecord,
    fingerprint: &str,
    newest: Option<&String>,
) -> Result<(), PinsError> {
    let fail = |message: String| PinsError::Write {
        pin: pin.to_string(),
        message,
    };
    // Ctrl-C interrupts a running COPY; one that arrives just before the COPY starts is seen
    // before the version is published, so an interrupted run never adds a version.
    let check_cancel = || {
        if cancel.load(Ordering::SeqCst) {
            Err(PinsError::Interrupted)
        } else {
            Ok(())
        }
    };
    let stage = board.stage_dir()?;
    let file = format!("{pin}.parquet");
    let data_path = stage.path().join(&file);
    let details = table_details(lake, record).map_err(&fail)?;

    // The parquet file documents itself too: the table comment, the column descriptions and
    // the source types travel in its key-value metadata (JSON objects in column order).
    let kv = format!(
        "{{'lakegate.table': {}, 'lakegate.description': {}, 'lakegate.column_descriptions': {}, 'lakegate.column_types': {}}}",
        sql_string(&crate::publish::source::display_name(
            &record.schema,
            &record.name
        )),
        sql_string(details.comment.as_deref().unwrap_or("")),
        sql_string(&json_object(
            details
                .columns
                .iter()
                .map(|c| (c.name.as_str(), c.comment.clone().into()))
        )),
        sql_string(&json_object(
            details
                .columns
                .iter()
                .map(|c| (c.name.as_str(), c.source_type.clone().into()))
        )),
    );
    let mut stored_as: Vec<(String, Yaml)> = Vec::new();
    let select: Vec<String> = details
        .columns
        .iter()
        .map(|c| {
            let (expr, conversion) = pin_column(c);
            if let Some(what) = conversion {
                stored_as.push((c.name.clone(), Yaml::Str(what.to_string())));
            }
            expr
        })
        .collect();
    let copy = format!(
        "COPY (SELECT {} FROM {}) TO {} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880, KV_METADATA {kv})",
        select.join(", "),
        crate::lake::qualified(&lake.alias, &record.schema, &record.name),
        sql_string(&data_path.display().to_string())
    );
    check_cancel()?;
    lake.conn()
        .execute_batch(&copy)
        .map_err(|e| fail(crate::publish::first_line(&e.to_string())))?;
    let file_size = std::fs::metadata(&data_path)
        .map_err(|e| fail(e.to_string()))?
        .len();
    let hash = pin_hash_file(&data_path).map_err(|e| fail(e.to_string()))?;
    let created = created_after(Utc::now(), newest.map(String::as_str));
    let version = format!("{created}-{}", &hash[..5]);

    let columns: Vec<(String, Yaml)> = details
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.comment.clone().into()))
        .collect();
    let types: Vec<(String, Yaml)> = details
        .columns
        .iter()
        .map(|c| (c.name.clone(), Yaml::Str(c.source_type.clone())))
        .collect();
    let mut meta = PinMeta {
        file: file.clone(),
        file_size,
        pin_hash: hash,
        title: crate::publish::source::display_name(&record.schema, &record.name),
        description: details.comment.clone(),
        tags: None,
        urls: None,
        created,
        user: vec![
            ("columns".into(), Yaml::Map(columns)),
            ("column_types".into(), Yaml::Map(types)),
            ("schema".into(), Yaml::Str(record.schema.clone())),
            ("table".into(), Yaml::Str(record.name.clone())),
            ("kind".into(), Yaml::Str(record.kind.clone())),
            (
                "row_count".into(),
                int_or_float(record.row_count.max(0) as u64),
            ),
            ("lake_snapshot".into(), Yaml::Int(record.snapshot_id)),
            ("source".into(), Yaml::Str(record.source_file.clone())),
        ],
    };
    if !stored_as.is_empty() {
        meta.user.push(("stored_as".into(), Yaml::Map(stored_as)));
    }
    meta.user
        .push((FINGERPRINT_KEY.into(), Yaml::Str(fingerprint.to_string())));
    std::fs::write(stage.path().join("data.txt"), meta.render())
        .map_err(|e| fail(e.to_string()))?;
    check_cancel()?;
    if matches!(board, Board::S3 { .. }) {
        progress.note(&format!(
            "uploading pin {pin} ({})",
            crate::publish::plan::human_bytes(file_size)
        ));
    }
    runtime.block_on(board.publish_version(pin, &version, stage.path(), &file))?;
    Ok(())
}

struct ColumnDetails {
    name: String,
    comment: Option<String>,
    source_type: String,
    /// The column's type in the lake.
    lake_type: String,
    crs: Option<String>,
}

/// The SELECT expression that writes a lake column into a pin's parquet file, and what it is
/// stored as when that is not its own type. A pin must be readable by R `pins` too, whose
/// reader (nanoparquet) takes only flat columns and no INTERVAL (docs/pins-format.md §10), and
/// parquet has no 128-bit integer (DuckDB would write a lossy DOUBLE).
fn pin_column(c: &ColumnDetails) -> (String, Option<&'static str>) {
    let col = quote_ident(&c.name);
    let upper = c.lake_type.to_ascii_uppercase();
    let as_name = |expr: String| format!("{expr} AS {col}");
    if let Some(crs) = &c.crs {
        // DuckLake drops a geometry's coordinate system; put it back so the pin is GeoParquet
        // with its CRS.
        return (
            as_name(format!("{col}::GEOMETRY({})", sql_string(crs))),
            None,
        );
    }
    if upper.ends_with(']') || upper.starts_with("STRUCT(") || upper.starts_with("MAP(") {
        return (
            as_name(format!("to_json({col})::VARCHAR")),
            Some("JSON text"),
        );
    }
    match upper.as_str() {
        "HUGEINT" | "UHUGEINT" => (
            as_name(format!("{col}::DECIMAL(38,0)")),
            Some("DECIMAL(38,0)"),
        ),
        "INTERVAL" => (as_name(format!("{col}::VARCHAR")), Some("text")),
        _ => (col, None),
    }
}

/// A JSON object with the keys in the given order (serde_json's map would sort them).
fn json_object<'a>(entries: impl Iterator<Item = (&'a str, serde_json::Value)>) -> String {
    let fields: Vec<String> = entries
        .map(|(k, v)| format!("{}:{}", serde_json::Value::from(k), v))
        .collect();
    format!("{{{}}}", fields.join(","))
}

struct TableDetails {
    comment: Option<String>,
    columns: Vec<ColumnDetails>,
}

/// The table's comment and columns as the lake has them now, with the source types and
/// coordinate systems from the publish record.
fn table_details(lake: &Lake, record: &PublishedRecord) -> Result<TableDetails, String> {
    let conn = lake.conn();
    let recorded: Vec<serde_json::Value> =
        serde_json::from_str(&record.columns).unwrap_or_default();
    let comment: Option<String> = conn
        .query_row(
            &format!(
                "SELECT comment FROM duckdb_tables() WHERE database_name = {0} AND schema_name = {1} AND table_name = {2}
                 UNION ALL
                 SELECT comment FROM duckdb_views() WHERE database_name = {0} AND schema_name = {1} AND view_name = {2}",
                sql_string(&lake.alias),
                sql_string(&record.schema),
                sql_string(&record.name)
            ),
            [],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    let mut stmt = conn
        .prepare(&format!(
            "SELECT column_name, comment, data_type FROM duckdb_columns()
             WHERE database_name = {} AND schema_name = {} AND table_name = {} ORDER BY column_index",
            sql_string(&lake.alias),
            sql_string(&record.schema),
            sql_string(&record.name)
        ))
        .map_err(|e| e.to_string())?;
    let columns = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(|e| e.to_string())?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(name, comment, lake_type)| {
            let rec = recorded.iter().find(|c| c["name"] == name.as_str());
            // View columns' comments live only in the publish record (DuckLake cannot hold them).
            let comment =
                comment.or_else(|| rec.and_then(|c| c["comment"].as_str()).map(str::to_string));
            ColumnDetails {
                lake_type: lake_type.clone(),
                source_type: rec
                    .and_then(|c| c["source_type"].as_str())
                    .unwrap_or(&lake_type)
                    .to_string(),
                crs: rec.and_then(|c| c["crs"].as_str()).map(str::to_string),
                name,
                comment,
            }
        })
        .collect();
    Ok(TableDetails { comment, columns })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_names_follow_the_rules() {
        assert_eq!(pin_name("main", "deprivation_index"), "deprivation_index");
        assert_eq!(
            pin_name("energy", "epc_certificates"),
            "energy.epc_certificates"
        );
        assert_eq!(pin_name("Odd Schema", "Select"), "odd_schema.select");
        assert_eq!(pin_name("main", ".hidden"), "hidden");
        let long = pin_name("main", &"x".repeat(300));
        assert!(long.len() <= 128, "{long}");
    }

    #[test]
    fn colliding_pin_names_are_made_unique() {
        let objects = [
            ("main", "sales"),
            ("main", "Sales"),
            ("main", "SALES"),
            ("main", "a b"),
            ("main", "A B"),
            ("energy", "x"),
        ];
        let names = pin_names(&objects);
        assert_eq!(names[0], "sales");
        assert!(
            names[1].starts_with("sales-") && names[1].len() == 11,
            "{names:?}"
        );
        assert!(names[2].starts_with("sales-"), "{names:?}");
        assert!(names[3].starts_with("a_b-") && names[4].starts_with("a_b-"));
        assert_eq!(names[5], "energy.x");
        let unique: std::collections::BTreeSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        // Order does not matter.
        let mut reversed = objects;
        reversed.reverse();
        let mut again = pin_names(&reversed);
        again.reverse();
        assert_eq!(again, names);
        // Without a collision, names are the plain ones.
        assert_eq!(pin_names(&[("main", "Sales")]), vec!["sales"]);
    }

    #[test]
    fn hash_matches_the_test_vectors() {
        let dir = tempfile::tempdir().unwrap();
        for (bytes, expected) in [
            (&b""[..], "ef46db3751d8e999"),
            (b"abc", "44bc2cf5ad770999"),
            (b"hello pins\n", "2f5b4f5e267bbff1"),
        ] {
            let p = dir.path().join("f");
            std::fs::write(&p, bytes).unwrap();
            assert_eq!(pin_hash_file(&p).unwrap(), expected);
        }
        let golden = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/pins_golden/python/energy.epc_certificates/20240103T030405Z-58c0f/energy.epc_certificates.parquet"
        );
        assert_eq!(
            pin_hash_file(Path::new(golden)).unwrap(),
            "58c0f099c180791c"
        );
    }

    #[test]
    fn versions_sort_strictly_later() {
        let now = DateTime::parse_from_rfc3339("2024-01-03T03:04:05Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(created_after(now, None), "20240103T030405Z");
        assert_eq!(
            created_after(now, Some("20240103T030405Z-58c0f")),
            "20240103T030406Z"
        );
        assert_eq!(
            created_after(now, Some("20240102T000000Z-58c0f")),
            "20240103T030405Z"
        );
        // Later within the same second still sorts after it.
        let later = DateTime::parse_from_rfc3339("2024-01-03T03:04:05.75Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            created_after(later, Some("20240103T030405Z-58c0f")),
            "20240103T030406Z"
        );
        assert!(is_version_name("20240103T030405Z-58c0f"));
        assert!(!is_version_name("20240103T030405Z-58c0fa"));
        assert!(!is_version_name("stage-x"));
    }
}
