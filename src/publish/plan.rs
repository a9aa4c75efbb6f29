//! The publish plan: for each table and view, whether it is new, changed, unchanged or removed,
//! decided by content (fingerprints computed by DuckDB), never by file times.

use std::fmt::Write as _;

use duckdb::Connection;
use sha2::{Digest, Sha256};

use super::source::{Kind, LakeColumnType, SourceObject, display_name, lake_type};
use super::state::PublishedRecord;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    New,
    /// Columns, types or rows changed: the data is rewritten.
    Changed,
    /// Only comments changed: comments are updated, no data file is written.
    Comments,
    Unchanged,
    Removed,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::New => "new",
            Action::Changed => "changed",
            Action::Comments => "comments",
            Action::Unchanged => "unchanged",
            Action::Removed => "removed",
        }
    }

    /// Whether this action changes the lake.
    pub fn writes(self) -> bool {
        !matches!(self, Action::Unchanged)
    }
}

/// One table or view in the plan.
#[derive(Debug, Clone)]
pub struct PlannedObject {
    pub schema: String,
    pub name: String,
    pub kind: Kind,
    pub action: Action,
    /// The source object (absent for removed ones).
    pub source: Option<SourceObject>,
    /// How each source column is stored (parallel to `source.columns`).
    pub lake_types: Vec<LakeColumnType>,
    pub fingerprint: String,
    pub comments_fingerprint: String,
    pub rows: u64,
    /// Source bytes for new and changed tables; lake bytes for the others.
    pub bytes: u64,
    pub notes: Vec<String>,
}

impl PlannedObject {
    pub fn display_name(&self) -> String {
        display_name(&self.schema, &self.name)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub objects: Vec<PlannedObject>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("{table}.{column} has type {data_type}: {reason}")]
    UnsupportedType {
        table: String,
        column: String,
        data_type: String,
        reason: String,
    },
    #[error("reading {table} from the source failed: {message}")]
    Read { table: String, message: String },
}

/// The data fingerprint: DuckDB version, columns and types, row count and an order-independent
/// content hash computed by DuckDB (`sum(hash(row))`), so re-publishing identical rows in another
/// order is still "unchanged".
pub fn data_fingerprint(
    duckdb_version: &str,
    object: &SourceObject,
    rows: u64,
    content_hash: &str,
) -> String {
    let columns: Vec<_> = object
        .columns
        .iter()
        .map(|c| (&c.name, &c.data_type, c.nullable))
        .collect();
    sha256_json(&serde_json::json!({
        "duckdb": duckdb_version,
        "kind": object.kind,
        "columns": columns,
        "view_sql": object.view_sql,
        "rows": rows,
        "content": content_hash,
    }))
}

/// The comments fingerprint: table and column comments.
pub fn comments_fingerprint(object: &SourceObject) -> String {
    let columns: Vec<_> = object
        .columns
        .iter()
        .map(|c| (&c.name, &c.comment))
        .collect();
    sha256_json(&serde_json::json!({ "comment": object.comment, "columns": columns }))
}

fn sha256_json(value: &serde_json::Value) -> String {
    hex::encode(Sha256::digest(value.to_string().as_bytes()))
}

/// Counts rows and hashes the content of a source table or view, in DuckDB.
pub fn content_hash(conn: &Connection, object: &SourceObject) -> Result<(u64, String), PlanError> {
    conn.query_row(
        &format!(
            "SELECT count(*)::BIGINT, coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM {} AS t",
            object.source_ref()
        ),
        [],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?)),
    )
    .map_err(|e| PlanError::Read {
        table: object.display_name(),
        message: e.to_string(),
    })
}

/// Builds the plan from the source inventory (already filtered) and the lake's record.
/// `removal_scope` decides which recorded tables a missing source table removes.
pub fn build(
    conn: &Connection,
    duckdb_version: &str,
    sources: Vec<SourceObject>,
    published: &[PublishedRecord],
    lake_bytes: &dyn Fn(&str, &str) -> u64,
    removal_scope: &dyn Fn(&str, &str) -> bool,
) -> Result<Plan, PlanError> {
    let mut objects = Vec::new();
    for source in sources {
        let mut lake_types = Vec::with_capacity(source.columns.len());
        let mut notes = Vec::new();
        for c in &source.columns {
            let t = lake_type(&c.data_type).map_err(|reason| PlanError::UnsupportedType {
                table: source.display_name(),
                column: c.name.clone(),
                data_type: c.data_type.clone(),
                reason,
            })?;
            // A view is re-created from its SQL, so casts do not apply to it in the lake.
            if let Some(note) = &t.note
                && (source.kind == Kind::Table || !t.cast)
            {
                notes.push(format!("{}: {note}", c.name));
            }
            lake_types.push(t);
        }
        let (rows, hash) = content_hash(conn, &source)?;
        let fingerprint = data_fingerprint(duckdb_version, &source, rows, &hash);
        let comments_fp = comments_fingerprint(&source);
        let previous = published
            .iter()
            .find(|p| p.schema == source.schema && p.name == source.name);
        let action = match previous {
            None => Action::New,
            Some(p) if p.fingerprint != fingerprint || p.kind != source.kind.as_str() => {
                Action::Changed
            }
            Some(p) if p.comments_fingerprint != comments_fp => Action::Comments,
            Some(_) => Action::Unchanged,
        };
        let bytes = match (action, previous) {
            (Action::New | Action::Changed, _) | (_, None) => source.source_bytes,
            (_, Some(p)) => lake_bytes(&p.schema, &p.name),
        };
        objects.push(PlannedObject {
            schema: source.schema.clone(),
            name: source.name.clone(),
            kind: source.kind,
            action,
            lake_types,
            fingerprint,
            comments_fingerprint: comments_fp,
            rows,
            bytes,
            notes,
            source: Some(source),
        });
    }
    for p in published {
        let still_there = objects
            .iter()
            .any(|o| o.schema == p.schema && o.name == p.name);
        if !still_there && removal_scope(&p.schema, &p.name) {
            objects.push(PlannedObject {
                schema: p.schema.clone(),
                name: p.name.clone(),
                kind: if p.kind == "view" {
                    Kind::View
                } else {
                    Kind::Table
                },
                action: Action::Removed,
                source: None,
                lake_types: vec![],
                fingerprint: p.fingerprint.clone(),
                comments_fingerprint: p.comments_fingerprint.clone(),
                rows: p.row_count.max(0) as u64,
                bytes: lake_bytes(&p.schema, &p.name),
                notes: vec![],
            });
        }
    }
    objects.sort_by(|a, b| (a.kind, &a.schema, &a.name).cmp(&(b.kind, &b.schema, &b.name)));
    Ok(Plan { objects })
}

impl Plan {
    pub fn count(&self, action: Action) -> usize {
        self.objects.iter().filter(|o| o.action == action).count()
    }

    pub fn has_changes(&self) -> bool {
        self.objects.iter().any(|o| o.action.writes())
    }

    /// The plan as a readable table (the dry run's output, and the head of a real run's).
    pub fn render(&self) -> String {
        let width = self
            .objects
            .iter()
            .map(|o| o.display_name().chars().count())
            .max()
            .unwrap_or(5)
            .max(5);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "  {:<10} {:<5} {:<width$} {:>12} {:>10}",
            "action", "kind", "table", "rows", "bytes"
        );
        for o in &self.objects {
            let _ = writeln!(
                out,
                "  {:<10} {:<5} {:<width$} {:>12} {:>10}",
                o.action.label(),
                o.kind.as_str(),
                o.display_name(),
                group_thousands(o.rows),
                if o.kind == Kind::View {
                    "-".into()
                } else {
                    human_bytes(o.bytes)
                },
            );
            for note in &o.notes {
                let _ = writeln!(out, "  {:<10} {:<5} {:<width$}   note: {note}", "", "", "");
            }
        }
        let _ = write!(
            out,
            "  {} new, {} changed, {} comments only, {} unchanged, {} removed",
            self.count(Action::New),
            self.count(Action::Changed),
            self.count(Action::Comments),
            self.count(Action::Unchanged),
            self.count(Action::Removed)
        );
        out
    }
}

pub fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_readable() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(1234567), "1,234,567");
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_500_000), "1.5 MB");
    }
}
