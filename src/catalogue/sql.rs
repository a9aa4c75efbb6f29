//! The discovery objects' SQL: `sql/catalogue/*.sql`, compiled in, one file per object, run in
//! file-name order. The files name the lake through placeholders, filled in here because the lake's
//! alias is configurable (`[server] database` for the server, `lake` for the command line):
//!
//! - `{{lake_name}}`: the alias as a string literal (`duckdb_tables()` filters, `ducklake_table_info`);
//! - `{{metadata}}`: DuckLake's metadata catalogue, `"__ducklake_metadata_<alias>"`;
//! - `{{published}}`: lakegate's publish record, `"<alias>"."_lakegate"."published"` — or, for a
//!   lake that has none yet (created, but its first publish never committed), an empty stand-in
//!   with the same columns, since a view cannot be created over a table that does not exist.

use crate::lake::{quote_ident, sql_string};
use crate::publish::state::{STATE_SCHEMA, STATE_TABLE};

/// The files, in the order they are run.
pub const FILES: &[(&str, &str)] = &[
    (
        "00_internal_schema.sql",
        include_str!("../../sql/catalogue/00_internal_schema.sql"),
    ),
    (
        "01_stem.sql",
        include_str!("../../sql/catalogue/01_stem.sql"),
    ),
    (
        "02_words.sql",
        include_str!("../../sql/catalogue/02_words.sql"),
    ),
    (
        "03_published.sql",
        include_str!("../../sql/catalogue/03_published.sql"),
    ),
    (
        "04_table_bytes.sql",
        include_str!("../../sql/catalogue/04_table_bytes.sql"),
    ),
    (
        "10_datasets.sql",
        include_str!("../../sql/catalogue/10_datasets.sql"),
    ),
    (
        "11_columns.sql",
        include_str!("../../sql/catalogue/11_columns.sql"),
    ),
    (
        "20_search_documents.sql",
        include_str!("../../sql/catalogue/20_search_documents.sql"),
    ),
    (
        "21_snippet.sql",
        include_str!("../../sql/catalogue/21_snippet.sql"),
    ),
    (
        "22_search.sql",
        include_str!("../../sql/catalogue/22_search.sql"),
    ),
];

/// An empty relation with the publish record's columns.
const NO_RECORD: &str = "(SELECT NULL::VARCHAR AS schema_name, NULL::VARCHAR AS table_name, \
     NULL::VARCHAR AS kind, NULL::BIGINT AS row_count, NULL::BIGINT AS snapshot_id, \
     NULL::TIMESTAMPTZ AS published_at, NULL::VARCHAR AS source_file, NULL::VARCHAR AS pin_name, \
     NULL::VARCHAR AS columns WHERE false)";

/// The SQL of one file with the placeholders filled in for the lake attached as `alias`.
pub fn render(template: &str, alias: &str, has_record: bool) -> String {
    let published = if has_record {
        format!(
            "{}.{}.{}",
            quote_ident(alias),
            quote_ident(STATE_SCHEMA),
            quote_ident(STATE_TABLE)
        )
    } else {
        NO_RECORD.to_string()
    };
    template
        .replace("{{lake_name}}", &sql_string(alias))
        .replace(
            "{{metadata}}",
            &quote_ident(&format!("__ducklake_metadata_{alias}")),
        )
        .replace("{{published}}", &published)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_filled() {
        for (name, text) in FILES {
            for has_record in [true, false] {
                let sql = render(text, "it's \"odd\"", has_record);
                assert!(!sql.contains("{{"), "{name} keeps a placeholder");
            }
        }
        let sql = render("FROM {{published}} WHERE db = {{lake_name}}", "lake", true);
        assert_eq!(
            sql,
            "FROM \"lake\".\"_lakegate\".\"published\" WHERE db = 'lake'"
        );
    }

    #[test]
    fn files_are_in_run_order_and_headed() {
        let names: Vec<&str> = FILES.iter().map(|(n, _)| *n).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sql/catalogue"))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".sql"))
            .count();
        assert_eq!(on_disk, FILES.len(), "every sql/catalogue file is loaded");
        for (name, text) in FILES {
            assert!(text.starts_with("-- "), "{name} starts with what it is");
        }
    }
}
