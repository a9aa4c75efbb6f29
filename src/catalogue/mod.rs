//! Discovery: the lake's datasets and columns with their descriptions, searchable, inside the
//! server (`lakegate.datasets`, `lakegate.columns`, `lakegate.search(term)`), from the command
//! line (`lakegate catalogue …`), and as a Frictionless Data Package written beside the pins.
//!
//! One implementation serves both: the SQL objects of `sql/catalogue/` ([`sql`]) are created in
//! the in-memory catalogue `lakegate` — by the server once at start, before the sandbox is locked
//! (the attached database is shared by every session), and by each `lakegate catalogue` command in
//! its own process, which then reads them like any client would. They are views over DuckDB's
//! live catalogue of the lake (`duckdb_tables()`, `duckdb_views()`, `duckdb_columns()`) joined
//! with lakegate's publish record (`_lakegate.published`: view-column comments, source types
//! with their coordinate systems, pin names) and DuckLake's file accounting, so a publish that
//! lands while the server runs is visible to the next query without a restart.
//!
//! ## Search: plain scoring, not DuckDB's `fts` extension
//!
//! `lakegate.search(term)` is a table macro that scores word matches with weights by where they
//! match (dataset name 10, column name 6, description 4, column description 2; prefix matches
//! 60%; plurals folded). `fts` was measured against it (DuckDB 1.5.5, this machine) and rejected:
//!
//! - an `fts` index is built from a real table, once: it would be a copy of the catalogue that a
//!   publish makes stale until something notices and rebuilds it (about 1.3 s for a lake of 200
//!   tables × 50 columns: 1.0 s to materialise the 20,404 texts, 0.34 s `create_fts_index`), in a
//!   database that every session reads; the plain macro reads the live catalogue on every call;
//! - its default tokenizer drops digits, so `co2`, `2021` or an `E01` code never match — common
//!   words in statistics catalogues; `fts` also needs loading before the lock-down;
//! - both are fast enough for a catalogue search. Through the gateway (psycopg, warm), plain
//!   scoring answers in 35–80 ms on the sample lake and 130–300 ms on 200 tables × 50 columns
//!   (20,404 texts; `lakegate.datasets` 87 ms, `lakegate.columns` 78 ms there); `fts` answered in
//!   5–30 ms per query, plus the rebuilds. Plain scoring also matches word beginnings (`depriv`).
//!
//! `row_count` comes from the publish record (DuckLake's own count as a fallback), not from
//! `duckdb_tables().estimated_size`, which loads every table's statistics on first use (1.6 s for
//! 200 tables — every CLI call would pay it).
//!
//! Submodules: [`sql`] (the SQL files and their placeholders), [`render`] (table, JSON, CSV and
//! Markdown output), [`datapackage`] (the Data Package export).

pub mod datapackage;
pub mod render;
pub mod sql;

use duckdb::Connection;

use crate::cli::CatalogueCommand;
use crate::lake::{Lake, LakeError, sql_string};
use crate::pgcatalog::CATALOGUE_DB;
use crate::publish::state::{STATE_SCHEMA, STATE_TABLE};

/// One table or view, as `lakegate.datasets` shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Dataset {
    pub schema: String,
    pub name: String,
    pub kind: String,
    pub description: Option<String>,
    pub row_count: Option<i64>,
    pub column_count: Option<i64>,
    pub size_bytes: Option<i64>,
    /// UTC, RFC 3339.
    pub last_published: Option<String>,
    pub snapshot_id: Option<i64>,
    pub pin_name: Option<String>,
}

impl Dataset {
    /// `name` in schema main, `schema.name` otherwise: how a query names it.
    pub fn display_name(&self) -> String {
        crate::publish::source::display_name(&self.schema, &self.name)
    }
}

/// One column, as `lakegate.columns` shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Column {
    pub schema: String,
    pub table: String,
    pub position: i32,
    pub name: String,
    #[serde(rename = "type")]
    pub data_type: String,
    pub description: Option<String>,
    pub nullable: bool,
}

/// One result of `lakegate.search(term)`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    pub schema: String,
    pub name: String,
    pub kind: String,
    pub matched_in: String,
    pub score: f64,
    pub snippet: Option<String>,
}

impl SearchHit {
    pub fn display_name(&self) -> String {
        crate::publish::source::display_name(&self.schema, &self.name)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error(
        "no table or view named '{name}' in the lake{}; `lakegate catalogue list` shows them all",
        suggestion(.suggestions)
    )]
    UnknownTable {
        name: String,
        suggestions: Vec<String>,
    },
    #[error(
        "nothing to search for: give one or more words, e.g. `lakegate catalogue search deprivation`"
    )]
    EmptySearch,
    #[error("reading the lake's catalogue failed: {0}")]
    Query(String),
}

fn suggestion(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => format!(" (did you mean {one}?)"),
        _ => format!(" (did you mean one of: {}?)", names.join(", ")),
    }
}

impl From<duckdb::Error> for CatalogueError {
    fn from(e: duckdb::Error) -> Self {
        CatalogueError::Query(crate::publish::first_line(&e.to_string()))
    }
}

/// Runs a `lakegate catalogue` command and returns its output.
pub fn run_command(lake: &Lake, command: CatalogueCommand) -> anyhow::Result<String> {
    install(lake)?;
    let conn = lake.conn();
    let width = render::output_width();
    Ok(match command {
        CatalogueCommand::List(f) => render::datasets(&datasets(conn)?, f.format, width),
        CatalogueCommand::Search { term, format } => {
            let hits = search(conn, &term)?;
            render::search(&term, &hits, format.format, width)
        }
        CatalogueCommand::Describe { table, format } => {
            let all = datasets(conn)?;
            let dataset = resolve(&all, &table)?;
            let columns = columns_of(conn, &dataset.schema, &dataset.name)?;
            render::describe(dataset, &columns, format.format, width)
        }
    })
}

/// Creates the discovery objects in the `lakegate` catalogue (server start, before the
/// lock-down; and in each `lakegate catalogue` command). Attaches the in-memory `lakegate`
/// database when nobody has yet.
pub fn install(lake: &Lake) -> Result<(), LakeError> {
    let conn = lake.conn();
    conn.execute_batch(&format!(
        "ATTACH IF NOT EXISTS ':memory:' AS {CATALOGUE_DB}"
    ))?;
    let has_record = record_exists(conn, &lake.alias)?;
    if !has_record {
        tracing::warn!(
            lake = %lake.alias,
            "the lake has no publish record yet: the catalogue shows its tables, without pin names, \
             publish times or view-column descriptions, until the server restarts after a publish"
        );
    }
    for (name, template) in sql::FILES {
        conn.execute_batch(&sql::render(template, &lake.alias, has_record))
            .map_err(|e| LakeError::DuckDb(format!("sql/catalogue/{name}: {e}")))?;
    }
    Ok(())
}

fn record_exists(conn: &Connection, alias: &str) -> Result<bool, LakeError> {
    let n: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = {} AND schema_name = {} AND table_name = {}",
            sql_string(alias),
            sql_string(STATE_SCHEMA),
            sql_string(STATE_TABLE)
        ),
        [],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// Every dataset, as `lakegate.datasets` lists them.
pub fn datasets(conn: &Connection) -> Result<Vec<Dataset>, CatalogueError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT schema, name, kind, description, row_count, column_count, size_bytes,
                strftime(last_published AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ'),
                snapshot_id, pin_name
         FROM {CATALOGUE_DB}.main.datasets"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(Dataset {
            schema: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            description: r.get(3)?,
            row_count: r.get(4)?,
            column_count: r.get(5)?,
            size_bytes: r.get(6)?,
            last_published: r.get(7)?,
            snapshot_id: r.get(8)?,
            pin_name: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The columns of every dataset (`table` = None) or of one, in order.
pub fn columns(conn: &Connection) -> Result<Vec<Column>, CatalogueError> {
    query_columns(conn, "")
}

pub fn columns_of(
    conn: &Connection,
    schema: &str,
    table: &str,
) -> Result<Vec<Column>, CatalogueError> {
    query_columns(
        conn,
        &format!(
            "WHERE schema = {} AND \"table\" = {}",
            sql_string(schema),
            sql_string(table)
        ),
    )
}

fn query_columns(conn: &Connection, filter: &str) -> Result<Vec<Column>, CatalogueError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT schema, \"table\", position, name, type, description, nullable
         FROM {CATALOGUE_DB}.main.columns {filter}"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(Column {
            schema: r.get(0)?,
            table: r.get(1)?,
            position: r.get(2)?,
            name: r.get(3)?,
            data_type: r.get(4)?,
            description: r.get(5)?,
            nullable: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// `lakegate.search(term)`, best first.
pub fn search(conn: &Connection, term: &str) -> Result<Vec<SearchHit>, CatalogueError> {
    if !term.chars().any(char::is_alphanumeric) {
        return Err(CatalogueError::EmptySearch);
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT schema, name, kind, matched_in, score, snippet FROM {CATALOGUE_DB}.main.search({})",
        sql_string(term)
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(SearchHit {
            schema: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            matched_in: r.get(3)?,
            score: r.get(4)?,
            snippet: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The dataset `wanted` names: `name` (schema main), `schema.name`, or `main.name`; exact first,
/// then ignoring case. Unknown names fail with the closest names as suggestions.
pub fn resolve<'a>(all: &'a [Dataset], wanted: &str) -> Result<&'a Dataset, CatalogueError> {
    let wanted = wanted.trim();
    let names = |d: &Dataset| [d.display_name(), format!("{}.{}", d.schema, d.name)];
    if let Some(d) = all.iter().find(|d| names(d).iter().any(|n| n == wanted)) {
        return Ok(d);
    }
    let lower = wanted.to_lowercase();
    let folded: Vec<&Dataset> = all
        .iter()
        .filter(|d| names(d).iter().any(|n| n.to_lowercase() == lower))
        .collect();
    if let [one] = folded.as_slice() {
        return Ok(one);
    }
    Err(CatalogueError::UnknownTable {
        name: wanted.to_string(),
        suggestions: suggest(all, wanted),
    })
}

/// Up to three dataset names close to `wanted`: by edit distance (of the whole name or of the
/// bare table name), or containing it.
fn suggest(all: &[Dataset], wanted: &str) -> Vec<String> {
    let lower = wanted.to_lowercase();
    let bare = lower.rsplit('.').next().unwrap_or(&lower).to_string();
    let mut scored: Vec<(f64, String)> = all
        .iter()
        .filter_map(|d| {
            let display = d.display_name();
            let full = display.to_lowercase();
            let name = d.name.to_lowercase();
            let mut score = strsim::normalized_damerau_levenshtein(&lower, &full)
                .max(strsim::normalized_damerau_levenshtein(&bare, &name))
                .max(strsim::jaro_winkler(&bare, &name) - 0.15);
            if bare.len() >= 3 && (name.contains(&bare) || bare.contains(&name)) {
                score = score.max(0.8);
            }
            (score >= 0.6).then_some((score, display))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests;
