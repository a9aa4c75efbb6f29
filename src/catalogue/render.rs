//! Output of the `lakegate catalogue` commands: a table for people (comfy-table, wrapped to the
//! terminal's width so long descriptions stay readable), and JSON, CSV or Markdown for tools.
//!
//! JSON and CSV carry every field with machine values (bytes, counts, RFC 3339 times); the table and
//! Markdown show the same facts rounded for reading (`113.3 KB`, `3,000`).

use std::io::IsTerminal;

use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets,
};

use super::{Column, Dataset, SearchHit};
use crate::cli::OutputFormat;
use crate::publish::plan::{group_thousands, human_bytes};

/// The width to wrap tables to: `None` lets comfy-table ask the terminal; when the output is not
/// a terminal (a pipe, a file), `$COLUMNS` or 120.
pub fn output_width() -> Option<u16> {
    if std::io::stdout().is_terminal() {
        return None;
    }
    Some(
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|w| *w >= 40)
            .unwrap_or(120),
    )
}

fn table(width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .apply_modifier(comfy_table::modifiers::UTF8_ROUND_CORNERS)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(w) = width {
        t.set_width(w);
    }
    t
}

fn count(n: Option<i64>) -> String {
    n.map(|n| group_thousands(n.max(0) as u64))
        .unwrap_or_else(|| "-".into())
}

fn bytes(n: Option<i64>) -> String {
    n.map(|n| human_bytes(n.max(0) as u64))
        .unwrap_or_else(|| "-".into())
}

fn text(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn right(s: String) -> Cell {
    Cell::new(s).set_alignment(CellAlignment::Right)
}

/// Keeps the short columns whole, so only descriptions wrap.
fn keep_whole(t: &mut Table, columns: &[usize]) {
    for &i in columns {
        if let Some(c) = t.column_mut(i) {
            c.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
}

pub fn datasets(all: &[Dataset], format: OutputFormat, width: Option<u16>) -> String {
    match format {
        OutputFormat::Json => json(&all),
        OutputFormat::Csv => csv(
            &[
                "schema",
                "name",
                "kind",
                "description",
                "row_count",
                "column_count",
                "size_bytes",
                "last_published",
                "snapshot_id",
                "pin_name",
            ],
            all.iter().map(|d| {
                vec![
                    d.schema.clone(),
                    d.name.clone(),
                    d.kind.clone(),
                    text(&d.description),
                    opt(d.row_count),
                    opt(d.column_count),
                    opt(d.size_bytes),
                    text(&d.last_published),
                    opt(d.snapshot_id),
                    text(&d.pin_name),
                ]
            }),
        ),
        OutputFormat::Markdown => markdown(
            &["Dataset", "Kind", "Rows", "Columns", "Size", "Description"],
            all.iter().map(|d| {
                vec![
                    format!("`{}`", d.display_name()),
                    d.kind.clone(),
                    count(d.row_count),
                    count(d.column_count),
                    bytes(d.size_bytes),
                    text(&d.description),
                ]
            }),
        ),
        OutputFormat::Table => {
            if all.is_empty() {
                return "The lake has no tables or views yet.\n".into();
            }
            let mut t = table(width);
            t.set_header(["Dataset", "Kind", "Rows", "Columns", "Size", "Description"]);
            for d in all {
                t.add_row(vec![
                    Cell::new(d.display_name()),
                    Cell::new(&d.kind),
                    right(count(d.row_count)),
                    right(count(d.column_count)),
                    right(bytes(d.size_bytes)),
                    Cell::new(text(&d.description)),
                ]);
            }
            keep_whole(&mut t, &[0, 1, 2, 3, 4]);
            format!(
                "{t}\n{} datasets. `lakegate catalogue describe NAME` shows a dataset's columns.\n",
                all.len()
            )
        }
    }
}

pub fn search(term: &str, hits: &[SearchHit], format: OutputFormat, width: Option<u16>) -> String {
    match format {
        OutputFormat::Json => json(&hits),
        OutputFormat::Csv => csv(
            &["schema", "name", "kind", "matched_in", "score", "snippet"],
            hits.iter().map(|h| {
                vec![
                    h.schema.clone(),
                    h.name.clone(),
                    h.kind.clone(),
                    h.matched_in.clone(),
                    h.score.to_string(),
                    text(&h.snippet),
                ]
            }),
        ),
        OutputFormat::Markdown => markdown(
            &["Dataset", "Kind", "Score", "Matched in", "Description"],
            hits.iter().map(|h| {
                vec![
                    format!("`{}`", h.display_name()),
                    h.kind.clone(),
                    format!("{:.2}", h.score),
                    h.matched_in.clone(),
                    text(&h.snippet),
                ]
            }),
        ),
        OutputFormat::Table => {
            if hits.is_empty() {
                return format!(
                    "No dataset matches \"{term}\". `lakegate catalogue list` shows them all.\n"
                );
            }
            let mut t = table(width);
            t.set_header(["Dataset", "Kind", "Score", "Matched in", "Description"]);
            for h in hits {
                t.add_row(vec![
                    Cell::new(h.display_name()),
                    Cell::new(&h.kind),
                    right(format!("{:.2}", h.score)),
                    // One place per line: a long column name then breaks no other.
                    Cell::new(h.matched_in.replace(", ", "\n")),
                    Cell::new(text(&h.snippet)),
                ]);
            }
            keep_whole(&mut t, &[0, 1, 2]);
            if let Some(c) = t.column_mut(3) {
                c.set_constraint(ColumnConstraint::UpperBoundary(Width::Percentage(30)));
            }
            format!(
                "{t}\n{} {} for \"{term}\", best first.\n",
                hits.len(),
                if hits.len() == 1 { "match" } else { "matches" }
            )
        }
    }
}

#[derive(serde::Serialize)]
struct Described<'a> {
    #[serde(flatten)]
    dataset: &'a Dataset,
    columns: &'a [Column],
}

pub fn describe(
    d: &Dataset,
    columns: &[Column],
    format: OutputFormat,
    width: Option<u16>,
) -> String {
    match format {
        OutputFormat::Json => json(&Described {
            dataset: d,
            columns,
        }),
        OutputFormat::Csv => csv(
            &[
                "schema",
                "table",
                "position",
                "name",
                "type",
                "description",
                "nullable",
            ],
            columns.iter().map(|c| {
                vec![
                    c.schema.clone(),
                    c.table.clone(),
                    c.position.to_string(),
                    c.name.clone(),
                    c.data_type.clone(),
                    text(&c.description),
                    c.nullable.to_string(),
                ]
            }),
        ),
        OutputFormat::Markdown => {
            let mut out = format!("## `{}` ({})\n\n", d.display_name(), d.kind);
            if let Some(desc) = &d.description {
                out.push_str(&format!("{}\n\n", desc.trim()));
            }
            for (k, v) in facts(d) {
                out.push_str(&format!("- **{k}:** {v}\n"));
            }
            out.push('\n');
            out.push_str(&markdown(
                &["#", "Column", "Type", "Nullable", "Description"],
                columns.iter().map(|c| {
                    vec![
                        c.position.to_string(),
                        format!("`{}`", c.name),
                        format!("`{}`", c.data_type),
                        yes_no(c.nullable).into(),
                        text(&c.description),
                    ]
                }),
            ));
            out
        }
        OutputFormat::Table => {
            let mut head = table(width);
            head.add_row(vec![
                Cell::new("Dataset"),
                Cell::new(format!("{} ({})", d.display_name(), d.kind)),
            ]);
            head.add_row(vec![
                Cell::new("Description"),
                Cell::new(
                    d.description
                        .clone()
                        .unwrap_or_else(|| "(no description)".into()),
                ),
            ]);
            for (k, v) in facts(d) {
                head.add_row(vec![Cell::new(k), Cell::new(v)]);
            }
            keep_whole(&mut head, &[0]);
            let mut cols = table(width);
            cols.set_header(["#", "Column", "Type", "Nullable", "Description"]);
            for c in columns {
                cols.add_row(vec![
                    right(c.position.to_string()),
                    Cell::new(&c.name),
                    Cell::new(&c.data_type),
                    Cell::new(yes_no(c.nullable)),
                    Cell::new(text(&c.description)),
                ]);
            }
            keep_whole(&mut cols, &[0, 1, 3]);
            if let Some(c) = cols.column_mut(2) {
                c.set_constraint(ColumnConstraint::UpperBoundary(Width::Percentage(25)));
            }
            format!("{head}\n{cols}\n")
        }
    }
}

/// The facts about a dataset shown under its description.
fn facts(d: &Dataset) -> Vec<(&'static str, String)> {
    let mut facts = vec![
        ("Rows", count(d.row_count)),
        ("Columns", count(d.column_count)),
    ];
    if d.kind == "table" {
        facts.push(("Size", bytes(d.size_bytes)));
    }
    if let Some(at) = &d.last_published {
        let snapshot = d
            .snapshot_id
            .map(|s| format!(" (snapshot {s})"))
            .unwrap_or_default();
        facts.push(("Last published", format!("{at}{snapshot}")));
    }
    if let Some(pin) = &d.pin_name {
        facts.push(("Pin", pin.clone()));
    }
    facts.push(("Query", format!("SELECT * FROM {}", query_name(d))));
    facts
}

/// The dataset's name as SQL: quoted where a plain name would not parse.
fn query_name(d: &Dataset) -> String {
    let ident = |s: &str| {
        let plain = s
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if plain {
            s.to_string()
        } else {
            crate::lake::quote_ident(s)
        }
    };
    if d.schema == "main" {
        ident(&d.name)
    } else {
        format!("{}.{}", ident(&d.schema), ident(&d.name))
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("catalogue values serialise");
    s.push('\n');
    s
}

/// RFC 4180 CSV: a header, then one line per row; fields quoted when they need it.
pub fn csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = String::new();
    let line = |fields: &mut dyn Iterator<Item = &str>, out: &mut String| {
        let quoted: Vec<String> = fields.map(csv_field).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    };
    line(&mut header.iter().copied(), &mut out);
    for row in rows {
        line(&mut row.iter().map(String::as_str), &mut out);
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A GitHub-flavoured Markdown table; pipes escaped, line breaks as `<br>`.
pub fn markdown(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let cell = |s: &str| {
        s.trim()
            .replace('|', "\\|")
            .replace("\r\n", "<br>")
            .replace('\n', "<br>")
    };
    let mut out = format!(
        "| {} |\n|{}|\n",
        header
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | "),
        header.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    );
    for row in rows {
        out.push_str(&format!(
            "| {} |\n",
            row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}
