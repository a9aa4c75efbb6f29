//! The whole catalogue as a Frictionless Data Package (`datapackage.json`), written by every
//! `lakegate publish` after the pins, so that any tool that reads Data Packages (frictionless-py,
//! R `frictionless`, Open Data portals) reads the data dictionary: one resource per table or view
//! with its description, and `schema.fields[]` with each column's name, type and description.
//!
//! ## Where it goes
//!
//! Beside the pins board, never inside it: pins readers treat every entry of the board's root as a
//! pin, and one stray file breaks Python's `pin_search()` (docs/pins-format.md §2.4). So:
//!
//! - by default `<board's parent>/datapackage.json`: for the embedded set-up (`lake/pins/`) that is
//!   `lake/datapackage.json`, and for `s3://bucket/boards/main/` it is
//!   `s3://bucket/boards/datapackage.json`. A board at the root of a bucket has no parent there:
//!   then nothing is written unless `[catalogue] datapackage` says where.
//! - `[catalogue] datapackage = "PATH"` or `"s3://bucket/key"` chooses the place; `""` writes none.
//!   It must lie in a folder (prefix) that contains the board, because the resources' `path`s
//!   are relative to the package (the spec forbids absolute paths and `..`), and it must not lie
//!   inside the board.
//! - Two boards that share a parent would write the same default file: a package that names
//!   another board is never overwritten; the publish says to set `[catalogue] datapackage`.
//!
//! ## What a resource says
//!
//! `name` is the pin name (lower case, `[a-z0-9._-]`, as the spec wants), `path` the newest
//! version of the pin's parquet file relative to the package (with pins off: the dataset's name
//! in the lake, which is what a SQL client queries), `format` parquet, `schema.fields[]` with the
//! Frictionless type mapped from the DuckDB type ([`frictionless_type`]) and `constraints.required`
//! for NOT NULL columns, and a `lakegate` object with what Frictionless has no word for: the
//! schema and table in the lake, kind, row count, the snapshot that last wrote it, the pin, the
//! file's size, and each field's exact DuckDB type. Deliberately absent: `bytes` (frictionless-py
//! compares it with a count its parquet reader never makes, so every resource would fail) and the
//! `uuid` format (it demands RFC 4122 version bits that a DuckDB UUID need not have).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use tokio::runtime::Runtime;

use super::{Column, Dataset};
use crate::config::{Config, Location};
use crate::lake::{Lake, quote_ident};
use crate::pins::board::Board;

pub const FILE_NAME: &str = "datapackage.json";

/// Where the package is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Folder(PathBuf),
    S3 { bucket: String, key: String },
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Folder(p) => write!(f, "{}", p.display()),
            Target::S3 { bucket, key } => write!(f, "s3://{bucket}/{key}"),
        }
    }
}

/// The package's place, and how its resources reach the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub target: Target,
    pub board: Option<Location>,
    /// The board's root relative to the package's folder, with a trailing `/` (e.g. `pins/`).
    pub board_prefix: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DatapackageError {
    #[error("[catalogue] datapackage = '{0}': {1}")]
    Config(String, String),
    #[error(
        "{target} describes another pins board ({other}), not {ours}: it is left as it is. Set \
         [catalogue] datapackage to a path of this lake's own, e.g. beside its board"
    )]
    OtherBoard {
        target: String,
        other: String,
        ours: String,
    },
}

/// Where this configuration writes the package, or `None` when it writes none. Called before a
/// publish starts, so a bad setting fails before anything is written.
pub fn plan(config: &Config) -> anyhow::Result<Option<Plan>> {
    let board = config.pins_board()?;
    let raw = config.catalogue.datapackage.as_deref().map(str::trim);
    let target = match (raw, &board) {
        (Some(""), _) => return Ok(None),
        (Some(raw), _) => parse_target(raw, &config.base_dir())?,
        (None, None) => return Ok(None),
        (None, Some(Location::Folder(root))) => {
            let root = std::path::absolute(root).unwrap_or_else(|_| root.clone());
            let parent = root.parent().unwrap_or(Path::new("/"));
            Target::Folder(parent.join(FILE_NAME))
        }
        (None, Some(Location::S3 { bucket, prefix })) => {
            let trimmed = prefix.trim_end_matches('/');
            if trimmed.is_empty() {
                tracing::warn!(
                    board = %format!("s3://{bucket}/"),
                    "the pins board is at the root of its bucket, so there is no place beside it for \
                     datapackage.json: set [catalogue] datapackage to write one"
                );
                return Ok(None);
            }
            let parent = trimmed.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
            let key = if parent.is_empty() {
                FILE_NAME.to_string()
            } else {
                format!("{parent}/{FILE_NAME}")
            };
            Target::S3 {
                bucket: bucket.clone(),
                key,
            }
        }
    };
    let shown = target.to_string();
    let bad = |m: &str| DatapackageError::Config(shown.clone(), m.to_string());
    let board_prefix = match (&target, &board) {
        (_, None) => None,
        (Target::Folder(file), Some(Location::Folder(root))) => {
            let root = std::path::absolute(root).unwrap_or_else(|_| root.clone());
            let dir = file.parent().unwrap_or(Path::new("/"));
            if file.starts_with(&root) {
                return Err(bad(
                    "it must not be inside the pins board (pins readers would take it for a pin)",
                )
                .into());
            }
            let rel = root.strip_prefix(dir).map_err(|_| {
                bad(&format!(
                    "it must be in a folder that contains the pins board {} (resource paths are relative to the package)",
                    root.display()
                ))
            })?;
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            Some(format!("{}/", rel.join("/")))
        }
        (
            Target::S3 { bucket, key },
            Some(Location::S3 {
                bucket: board_bucket,
                prefix,
            }),
        ) => {
            let dir = key
                .rsplit_once('/')
                .map(|(d, _)| format!("{d}/"))
                .unwrap_or_default();
            if bucket != board_bucket || !prefix.starts_with(&dir) || prefix.len() <= dir.len() {
                if bucket == board_bucket && key.starts_with(prefix.as_str()) {
                    return Err(bad("it must not be inside the pins board (pins readers would take it for a pin)").into());
                }
                return Err(bad(&format!(
                    "it must be in a prefix that contains the pins board s3://{board_bucket}/{prefix} (resource paths are relative to the package)"
                ))
                .into());
            }
            Some(prefix[dir.len()..].to_string())
        }
        _ => {
            return Err(bad(
                "the package and the pins board must both be folders or both be on S3 (resource paths are relative to the package)",
            )
            .into());
        }
    };
    Ok(Some(Plan {
        target,
        board,
        board_prefix,
    }))
}

fn parse_target(raw: &str, base: &Path) -> Result<Target, DatapackageError> {
    if let Some(rest) = raw.strip_prefix("s3://") {
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(DatapackageError::Config(
                raw.into(),
                "names no bucket".into(),
            ));
        }
        let key = key.trim_start_matches('/');
        let key = if key.is_empty() || key.ends_with('/') {
            format!("{key}{FILE_NAME}")
        } else {
            key.to_string()
        };
        return Ok(Target::S3 {
            bucket: bucket.into(),
            key,
        });
    }
    if raw.contains("://") {
        return Err(DatapackageError::Config(
            raw.into(),
            "only local paths and s3:// locations are supported".into(),
        ));
    }
    let path = if Path::new(raw).is_absolute() {
        PathBuf::from(raw)
    } else {
        base.join(raw)
    };
    let path = std::path::absolute(&path).unwrap_or(path);
    Ok(Target::Folder(if raw.ends_with('/') || path.is_dir() {
        path.join(FILE_NAME)
    } else {
        path
    }))
}

/// The parquet file of a pin's newest complete version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinFile {
    /// `<pin>/<version>/<file>`, relative to the board's root.
    pub path: String,
    pub bytes: Option<u64>,
}

/// What the package says about itself.
#[derive(Debug, Clone)]
pub struct PackageInfo {
    pub name: String,
    pub snapshot: Option<i64>,
    pub board: Option<String>,
    pub created: String,
}

/// Writes the package for the lake as it is now; returns a line for the publish's output.
pub fn export(lake: &Lake, config: &Config, runtime: &Runtime) -> anyhow::Result<Option<String>> {
    let Some(plan) = plan(config)? else {
        return Ok(None);
    };
    super::install(lake)?;
    let conn = lake.conn();
    let datasets = super::datasets(conn)?;
    let columns = super::columns(conn)?;
    let snapshot: Option<i64> = conn
        .query_row(
            &format!(
                "SELECT id FROM {}.current_snapshot()",
                quote_ident(&lake.alias)
            ),
            [],
            |r| r.get(0),
        )
        .ok();
    let client = if matches!(plan.target, Target::S3 { .. })
        || plan.board.as_ref().is_some_and(Location::is_s3)
    {
        Some(runtime.block_on(crate::pins::board::s3_client(&config.s3)))
    } else {
        None
    };
    let mut files = HashMap::new();
    let mut board_shown = None;
    if let Some(location) = &plan.board {
        let board = Board::open(location, client.clone())?;
        board_shown = Some(board.describe());
        for d in &datasets {
            let pin = resource_name(d);
            if let Some(file) = runtime.block_on(newest_file(&board, &pin))? {
                files.insert(pin, file);
            }
        }
    }
    let info = PackageInfo {
        name: crate::pins::pin_name("main", &lake.alias),
        snapshot,
        board: board_shown.clone(),
        created: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    };
    let package = package(
        &info,
        &datasets,
        &columns,
        &files,
        plan.board_prefix.as_deref(),
    );
    let mut text = serde_json::to_string_pretty(&package)?;
    text.push('\n');
    let shown = plan.target.to_string();
    let existing = read(&plan.target, client.as_ref(), runtime)?;
    if let (Some(existing), Some(ours)) = (existing, &board_shown)
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(&existing)
        && let Some(other) = v["lakegate"]["pins_board"].as_str()
        && other != ours
    {
        return Err(DatapackageError::OtherBoard {
            target: shown,
            other: other.to_string(),
            ours: ours.clone(),
        }
        .into());
    }
    write(&plan.target, client.as_ref(), runtime, &text)
        .with_context(|| format!("writing the Data Package {shown}"))?;
    Ok(Some(format!(
        "Data Package {shown}: {} resources",
        datasets.len()
    )))
}

/// The resource (and pin) name of a dataset.
fn resource_name(d: &Dataset) -> String {
    d.pin_name
        .clone()
        .unwrap_or_else(|| crate::pins::pin_name(&d.schema, &d.name))
}

fn is_version_name(name: &str) -> bool {
    let Some((created, hash)) = name.split_once('-') else {
        return false;
    };
    chrono::NaiveDateTime::parse_from_str(created, "%Y%m%dT%H%M%SZ").is_ok()
        && hash.len() == 5
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

async fn newest_file(board: &Board, pin: &str) -> anyhow::Result<Option<PinFile>> {
    let mut versions: Vec<String> = board
        .list(pin)
        .await?
        .into_iter()
        .filter(|v| is_version_name(v))
        .collect();
    versions.sort();
    for version in versions.iter().rev() {
        let Some(meta) = board
            .read_text(&format!("{pin}/{version}/data.txt"))
            .await?
        else {
            continue;
        };
        let Some(file) = crate::pins::meta::read_field(&meta, "file", 0) else {
            continue;
        };
        if !board.version_files(pin, version).await?.contains(&file) {
            continue;
        }
        let bytes =
            crate::pins::meta::read_field(&meta, "file_size", 0).and_then(|s| s.parse().ok());
        return Ok(Some(PinFile {
            path: format!("{pin}/{version}/{file}"),
            bytes,
        }));
    }
    Ok(None)
}

/// The Data Package descriptor; its fields serialise in the order written here.
#[derive(Debug, serde::Serialize)]
pub struct Package {
    pub profile: &'static str,
    pub name: String,
    pub title: String,
    pub description: &'static str,
    pub created: String,
    pub resources: Vec<Resource>,
    pub lakegate: PackageExtras,
}

#[derive(Debug, serde::Serialize)]
pub struct PackageExtras {
    pub snapshot: Option<i64>,
    pub pins_board: Option<String>,
    pub generator: &'static str,
}

#[derive(Debug, serde::Serialize)]
pub struct Resource {
    pub name: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mediatype: Option<&'static str>,
    pub profile: &'static str,
    pub schema: TableSchema,
    pub lakegate: ResourceExtras,
}

#[derive(Debug, serde::Serialize)]
pub struct TableSchema {
    pub fields: Vec<Field>,
}

#[derive(Debug, serde::Serialize)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraints: Option<Constraints>,
    pub lakegate: FieldExtras,
}

#[derive(Debug, serde::Serialize)]
pub struct Constraints {
    pub required: bool,
}

#[derive(Debug, serde::Serialize)]
pub struct FieldExtras {
    /// The exact type (`DECIMAL(8,2)`, `GEOMETRY('EPSG:27700')`, `UUID`).
    #[serde(rename = "type")]
    pub duckdb_type: String,
}

#[derive(Debug, serde::Serialize)]
pub struct ResourceExtras {
    pub schema: String,
    pub table: String,
    pub kind: String,
    pub row_count: Option<i64>,
    pub snapshot: Option<i64>,
    pub last_published: Option<String>,
    pub pin: Option<String>,
    /// Bytes of the pin's parquet file. Not Frictionless' `bytes`: frictionless-py compares
    /// that with what its parquet reader counts, which is nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
}

/// The Data Package descriptor of the catalogue.
pub fn package(
    info: &PackageInfo,
    datasets: &[Dataset],
    columns: &[Column],
    files: &HashMap<String, PinFile>,
    board_prefix: Option<&str>,
) -> Package {
    let resources = datasets
        .iter()
        .map(|d| {
            let name = resource_name(d);
            let fields = columns
                .iter()
                .filter(|c| c.schema == d.schema && c.table == d.name)
                .map(|c| Field {
                    name: c.name.clone(),
                    field_type: frictionless_type(&c.data_type),
                    description: c.description.clone(),
                    constraints: (!c.nullable).then_some(Constraints { required: true }),
                    lakegate: FieldExtras {
                        duckdb_type: c.data_type.clone(),
                    },
                })
                .collect();
            let file = files.get(&name).zip(board_prefix);
            Resource {
                title: d.display_name(),
                description: d.description.clone(),
                // Without a pin to point at: the name a SQL client queries in the lake.
                path: match file {
                    Some((f, prefix)) => format!("{prefix}{}", f.path),
                    None => d.display_name(),
                },
                format: file.map(|_| "parquet"),
                mediatype: file.map(|_| "application/vnd.apache.parquet"),
                profile: "tabular-data-resource",
                schema: TableSchema { fields },
                lakegate: ResourceExtras {
                    schema: d.schema.clone(),
                    table: d.name.clone(),
                    kind: d.kind.clone(),
                    row_count: d.row_count,
                    snapshot: d.snapshot_id,
                    last_published: d.last_published.clone(),
                    pin: d.pin_name.clone(),
                    file_size: file.and_then(|(f, _)| f.bytes),
                },
                name,
            }
        })
        .collect();
    Package {
        profile: "data-package",
        name: info.name.clone(),
        title: format!("lakegate catalogue: {}", info.name),
        description: "Every table and view published to the lake, with the descriptions of its \
                      columns. Each resource is the newest version of the dataset's pin (a parquet \
                      file); the same datasets are served over the PostgreSQL protocol by lakegate.",
        created: info.created.clone(),
        resources,
        lakegate: PackageExtras {
            snapshot: info.snapshot,
            pins_board: info.board.clone(),
            generator: concat!("lakegate ", env!("CARGO_PKG_VERSION")),
        },
    }
}

/// The Frictionless Table Schema type of a DuckDB type.
pub fn frictionless_type(duckdb_type: &str) -> &'static str {
    let t = duckdb_type.trim().to_ascii_uppercase();
    if t.ends_with(']') {
        return "array";
    }
    let base = t.split('(').next().unwrap_or("").trim();
    match base {
        "VARCHAR" | "TEXT" | "STRING" | "CHAR" | "BPCHAR" | "UUID" | "BLOB" | "BYTEA"
        | "BINARY" | "VARBINARY" | "ENUM" | "BIT" | "BITSTRING" => "string",
        "TINYINT" | "SMALLINT" | "INTEGER" | "INT" | "BIGINT" | "HUGEINT" | "UTINYINT"
        | "USMALLINT" | "UINTEGER" | "UBIGINT" | "UHUGEINT" | "INT1" | "INT2" | "INT4" | "INT8"
        | "VARINT" | "BIGNUM" => "integer",
        "DOUBLE" | "FLOAT" | "REAL" | "DECIMAL" | "NUMERIC" | "FLOAT4" | "FLOAT8" => "number",
        "BOOLEAN" | "BOOL" => "boolean",
        "DATE" => "date",
        "TIME" | "TIME WITH TIME ZONE" | "TIMETZ" | "TIME_NS" => "time",
        "TIMESTAMP"
        | "TIMESTAMP WITH TIME ZONE"
        | "TIMESTAMPTZ"
        | "TIMESTAMP_S"
        | "TIMESTAMP_MS"
        | "TIMESTAMP_NS"
        | "DATETIME" => "datetime",
        "INTERVAL" => "duration",
        "STRUCT" | "MAP" => "object",
        // GEOMETRY (WKB in GeoParquet, not GeoJSON), JSON (any JSON value), UNION, …
        _ => "any",
    }
}

fn read(
    target: &Target,
    client: Option<&aws_sdk_s3::Client>,
    runtime: &Runtime,
) -> anyhow::Result<Option<String>> {
    match target {
        Target::Folder(path) => match std::fs::read_to_string(path) {
            Ok(s) => Ok(Some(s)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
        },
        Target::S3 { bucket, key } => {
            let client = client.context("no S3 client")?;
            runtime.block_on(async {
                match client.get_object().bucket(bucket).key(key).send().await {
                    Ok(out) => {
                        let bytes = out.body.collect().await?.into_bytes();
                        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
                    }
                    Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
                    Err(e) => Err(anyhow::anyhow!("cannot read s3://{bucket}/{key}: {e:?}")),
                }
            })
        }
    }
}

/// Replaces the package at once: readers see the old one or the new one, never half of it.
fn write(
    target: &Target,
    client: Option<&aws_sdk_s3::Client>,
    runtime: &Runtime,
    text: &str,
) -> anyhow::Result<()> {
    match target {
        Target::Folder(path) => {
            let dir = path.parent().unwrap_or(Path::new("."));
            std::fs::create_dir_all(dir)?;
            let mut tmp = tempfile::Builder::new()
                .prefix(".datapackage-")
                .suffix(".tmp")
                .tempfile_in(dir)?;
            std::io::Write::write_all(&mut tmp, text.as_bytes())?;
            tmp.as_file().sync_all()?;
            tmp.persist(path)?;
            Ok(())
        }
        Target::S3 { bucket, key } => {
            let client = client.context("no S3 client")?;
            runtime.block_on(
                client
                    .put_object()
                    .bucket(bucket)
                    .key(key)
                    .content_type("application/json")
                    .body(aws_sdk_s3::primitives::ByteStream::from(
                        text.as_bytes().to_vec(),
                    ))
                    .send(),
            )?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_map_to_frictionless() {
        for (duck, fl) in [
            ("VARCHAR", "string"),
            ("UUID", "string"),
            ("INTEGER", "integer"),
            ("HUGEINT", "integer"),
            ("DECIMAL(8,2)", "number"),
            ("DOUBLE", "number"),
            ("BOOLEAN", "boolean"),
            ("DATE", "date"),
            ("TIME", "time"),
            ("TIMESTAMP", "datetime"),
            ("TIMESTAMP WITH TIME ZONE", "datetime"),
            ("TIMESTAMP_NS", "datetime"),
            ("INTERVAL", "duration"),
            ("INTEGER[]", "array"),
            ("VARCHAR[3]", "array"),
            ("STRUCT(a INTEGER, b VARCHAR)", "object"),
            ("MAP(VARCHAR, INTEGER)", "object"),
            ("GEOMETRY('EPSG:27700')", "any"),
            ("GEOMETRY", "any"),
            ("JSON", "any"),
            ("ENUM('a', 'b')", "string"),
        ] {
            assert_eq!(frictionless_type(duck), fl, "{duck}");
        }
    }

    fn config(toml: &str) -> Config {
        let mut c = Config::from_toml(toml).unwrap();
        c.source_file = Some(PathBuf::from("/srv/lakegate/lakegate.toml"));
        c
    }

    #[test]
    fn default_place_is_beside_the_board() {
        let p = plan(&config("")).unwrap().unwrap();
        assert_eq!(
            p.target,
            Target::Folder(PathBuf::from("/srv/lakegate/lake/datapackage.json"))
        );
        assert_eq!(p.board_prefix.as_deref(), Some("pins/"));

        let p = plan(&config("[pins]\nboard = 's3://bucket/boards/main/'\n"))
            .unwrap()
            .unwrap();
        assert_eq!(
            p.target,
            Target::S3 {
                bucket: "bucket".into(),
                key: "boards/datapackage.json".into()
            }
        );
        assert_eq!(p.board_prefix.as_deref(), Some("main/"));

        let p = plan(&config("[pins]\nboard = 's3://bucket/pins'\n"))
            .unwrap()
            .unwrap();
        assert_eq!(
            p.target,
            Target::S3 {
                bucket: "bucket".into(),
                key: "datapackage.json".into()
            }
        );
        assert_eq!(p.board_prefix.as_deref(), Some("pins/"));

        // A board at a bucket's root has no "beside"; pins off and "" write nothing.
        assert_eq!(
            plan(&config("[pins]\nboard = 's3://bucket/'\n")).unwrap(),
            None
        );
        assert_eq!(plan(&config("[pins]\nboard = ''\n")).unwrap(), None);
        assert_eq!(
            plan(&config("[catalogue]\ndatapackage = ''\n")).unwrap(),
            None
        );
    }

    #[test]
    fn configured_place_must_contain_the_board_and_not_be_in_it() {
        let p = plan(&config("[catalogue]\ndatapackage = 'datapackage.json'\n"))
            .unwrap()
            .unwrap();
        assert_eq!(
            p.target,
            Target::Folder(PathBuf::from("/srv/lakegate/datapackage.json"))
        );
        assert_eq!(p.board_prefix.as_deref(), Some("lake/pins/"));

        let inside = plan(&config(
            "[catalogue]\ndatapackage = 'lake/pins/datapackage.json'\n",
        ))
        .unwrap_err()
        .to_string();
        assert!(inside.contains("inside the pins board"), "{inside}");
        let apart = plan(&config(
            "[catalogue]\ndatapackage = '/var/www/datapackage.json'\n",
        ))
        .unwrap_err()
        .to_string();
        assert!(apart.contains("contains the pins board"), "{apart}");
        let inside_s3 = plan(&config(
            "[pins]\nboard = 's3://b/pins/'\n[catalogue]\ndatapackage = 's3://b/pins/dp.json'\n",
        ))
        .unwrap_err()
        .to_string();
        assert!(inside_s3.contains("inside the pins board"), "{inside_s3}");
        let mixed = plan(&config(
            "[pins]\nboard = 's3://b/pins/'\n[catalogue]\ndatapackage = 'dp.json'\n",
        ))
        .unwrap_err()
        .to_string();
        assert!(mixed.contains("both"), "{mixed}");
        // Pins off: any place will do, resources name the lake's tables.
        let p = plan(&config(
            "[pins]\nboard = ''\n[catalogue]\ndatapackage = 's3://b/catalogue/'\n",
        ))
        .unwrap()
        .unwrap();
        assert_eq!(
            p.target,
            Target::S3 {
                bucket: "b".into(),
                key: "catalogue/datapackage.json".into()
            }
        );
        assert_eq!(p.board_prefix, None);
    }

    #[test]
    fn resources_point_at_the_newest_pin_file() {
        let d = Dataset {
            schema: "energy".into(),
            name: "epc".into(),
            kind: "table".into(),
            description: Some("Certificates.".into()),
            row_count: Some(3),
            column_count: Some(2),
            size_bytes: Some(100),
            last_published: Some("2024-01-01T00:00:00Z".into()),
            snapshot_id: Some(4),
            pin_name: Some("energy.epc".into()),
        };
        let columns = vec![
            Column {
                schema: "energy".into(),
                table: "epc".into(),
                position: 1,
                name: "id".into(),
                data_type: "UUID".into(),
                description: Some("Identifier.".into()),
                nullable: false,
            },
            Column {
                schema: "energy".into(),
                table: "epc".into(),
                position: 2,
                name: "co2".into(),
                data_type: "DECIMAL(8,2)".into(),
                description: None,
                nullable: true,
            },
        ];
        let mut files = HashMap::new();
        files.insert(
            "energy.epc".to_string(),
            PinFile {
                path: "energy.epc/20240101T000000Z-abcde/energy.epc.parquet".into(),
                bytes: Some(42),
            },
        );
        let info = PackageInfo {
            name: "lake".into(),
            snapshot: Some(4),
            board: Some("/x/pins".into()),
            created: "2024-01-01T00:00:00Z".into(),
        };
        let p = serde_json::to_value(package(
            &info,
            std::slice::from_ref(&d),
            &columns,
            &files,
            Some("pins/"),
        ))
        .unwrap();
        let r = &p["resources"][0];
        assert_eq!(r["name"], "energy.epc");
        assert_eq!(
            r["path"],
            "pins/energy.epc/20240101T000000Z-abcde/energy.epc.parquet"
        );
        assert_eq!(r["format"], "parquet");
        assert_eq!(r["lakegate"]["file_size"], 42);
        assert_eq!(r["schema"]["fields"][0]["type"], "string");
        assert_eq!(r["schema"]["fields"][0]["lakegate"]["type"], "UUID");
        assert_eq!(r["schema"]["fields"][0]["constraints"]["required"], true);
        assert_eq!(r["schema"]["fields"][1]["type"], "number");
        assert!(r["schema"]["fields"][1].get("description").is_none());
        assert_eq!(r["lakegate"]["row_count"], 3);
        assert_eq!(r["lakegate"]["schema"], "energy");
        // No pin: the lake's name for it.
        let p =
            serde_json::to_value(package(&info, &[d], &columns, &HashMap::new(), None)).unwrap();
        assert_eq!(p["resources"][0]["path"], "energy.epc");
        assert!(p["resources"][0].get("format").is_none());
    }

    #[test]
    fn version_names() {
        assert!(is_version_name("20240103T030405Z-58c0f"));
        assert!(!is_version_name("20240103T030405Z-58c0fa"));
        assert!(!is_version_name("stage-x"));
    }
}
