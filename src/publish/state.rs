//! What lakegate has published, as recorded in the lake itself (`_lakegate.published`, created
//! from `sql/lake/state.sql`). Kept inside the lake so that the record and the data change in
//! the same snapshot: a publish that never commits leaves both as they were.

use duckdb::Connection;

use crate::lake::{quote_ident, sql_string};

pub const STATE_SCHEMA: &str = "_lakegate";
pub const STATE_TABLE: &str = "published";
const STATE_SQL: &str = include_str!("../../sql/lake/state.sql");

/// One published table or view.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PublishedRecord {
    pub schema: String,
    pub name: String,
    pub kind: String,
    /// Columns, types and content: a change here rewrites the data.
    pub fingerprint: String,
    /// Table, view and column comments: a change here only updates comments.
    pub comments_fingerprint: String,
    pub row_count: i64,
    pub snapshot_id: i64,
    pub published_at: String,
    pub source_file: String,
    pub pin_name: Option<String>,
    /// JSON: `[{"name", "source_type", "crs"}]`.
    pub columns: String,
}

/// The lake's publish record, or nothing when the lake is new.
pub fn read(conn: &Connection, alias: &str) -> duckdb::Result<Vec<PublishedRecord>> {
    if !exists(conn, alias)? {
        return Ok(vec![]);
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT schema_name, table_name, kind, fingerprint, comments_fingerprint,
                coalesce(row_count, 0), coalesce(snapshot_id, 0),
                coalesce(strftime(published_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ'), ''),
                coalesce(source_file, ''), pin_name, coalesce(columns::VARCHAR, '[]')
         FROM {}.{}.{} ORDER BY schema_name, table_name",
        quote_ident(alias),
        quote_ident(STATE_SCHEMA),
        quote_ident(STATE_TABLE)
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(PublishedRecord {
            schema: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            fingerprint: r.get(3)?,
            comments_fingerprint: r.get(4)?,
            row_count: r.get(5)?,
            snapshot_id: r.get(6)?,
            published_at: r.get(7)?,
            source_file: r.get(8)?,
            pin_name: r.get(9)?,
            columns: r.get(10)?,
        })
    })?;
    rows.collect()
}

/// SQL that creates the record table if needed (run with the lake as current database).
pub fn create_sql() -> &'static str {
    STATE_SQL
}

/// Whether the lake already has the record table (committed by an earlier publish).
pub fn exists(conn: &Connection, alias: &str) -> duckdb::Result<bool> {
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

/// SQL that keeps the record's later changes inside the catalogue database (DuckLake data
/// inlining) instead of writing a parquet file and a delete file into the data folder on every
/// publish. DuckLake accepts table options only on committed tables, so this runs from the
/// second publish on; any DuckDB with the ducklake extension reads inlined rows as usual.
pub fn inline_sql(alias: &str) -> String {
    format!(
        "CALL {}.set_option('data_inlining_row_limit', 1000000, schema => {}, table_name => {})",
        quote_ident(alias),
        sql_string(STATE_SCHEMA),
        sql_string(STATE_TABLE)
    )
}

/// SQL that replaces the records of the given tables (run inside the publish transaction): one
/// DELETE and one INSERT, since every statement that writes a DuckLake table writes its own file.
pub fn replace_sql(alias: &str, remove: &[(String, String)], insert: &[PublishedRecord]) -> String {
    let table = format!(
        "{}.{}.{}",
        quote_ident(alias),
        quote_ident(STATE_SCHEMA),
        quote_ident(STATE_TABLE)
    );
    let mut sql = String::new();
    if !remove.is_empty() {
        let keys: Vec<String> = remove
            .iter()
            .map(|(schema, name)| format!("({}, {})", sql_string(schema), sql_string(name)))
            .collect();
        sql.push_str(&format!(
            "DELETE FROM {table} WHERE (schema_name, table_name) IN ({});\n",
            keys.join(", ")
        ));
    }
    if !insert.is_empty() {
        let rows: Vec<String> = insert
            .iter()
            .map(|r| {
                format!(
                    "({}, {}, {}, {}, {}, {}, {}, now(), {}, {}, {}::JSON)",
                    sql_string(&r.schema),
                    sql_string(&r.name),
                    sql_string(&r.kind),
                    sql_string(&r.fingerprint),
                    sql_string(&r.comments_fingerprint),
                    r.row_count,
                    r.snapshot_id,
                    sql_string(&r.source_file),
                    r.pin_name
                        .as_deref()
                        .map(sql_string)
                        .unwrap_or_else(|| "NULL".into()),
                    sql_string(&r.columns),
                )
            })
            .collect();
        sql.push_str(&format!(
            "INSERT INTO {table} (schema_name, table_name, kind, fingerprint, comments_fingerprint, \
             row_count, snapshot_id, published_at, source_file, pin_name, columns) VALUES\n{};\n",
            rows.join(",\n")
        ));
    }
    sql
}

/// SQL that changes the pin names of recorded tables (one UPDATE), when a new table's pin name
/// collides with theirs (see [`crate::pins::pin_names`]).
pub fn rename_pins_sql(alias: &str, renamed: &[(String, String, String)]) -> String {
    if renamed.is_empty() {
        return String::new();
    }
    let cases: Vec<String> = renamed
        .iter()
        .map(|(s, n, pin)| {
            format!(
                "WHEN schema_name = {} AND table_name = {} THEN {}",
                sql_string(s),
                sql_string(n),
                sql_string(pin)
            )
        })
        .collect();
    let keys: Vec<String> = renamed
        .iter()
        .map(|(s, n, _)| format!("({}, {})", sql_string(s), sql_string(n)))
        .collect();
    format!(
        "UPDATE {}.{}.{} SET pin_name = CASE {} END WHERE (schema_name, table_name) IN ({});\n",
        quote_ident(alias),
        quote_ident(STATE_SCHEMA),
        quote_ident(STATE_TABLE),
        cases.join(" "),
        keys.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_statement_each_for_delete_and_insert() {
        let record = |name: &str| PublishedRecord {
            schema: "main".into(),
            name: name.into(),
            kind: "table".into(),
            fingerprint: "f".into(),
            comments_fingerprint: "c".into(),
            row_count: 1,
            snapshot_id: 2,
            published_at: String::new(),
            source_file: "s.duckdb".into(),
            pin_name: None,
            columns: "[]".into(),
        };
        let remove = vec![
            ("main".to_string(), "a".to_string()),
            ("x".to_string(), "it's".to_string()),
        ];
        let sql = replace_sql("lake", &remove, &[record("a"), record("b")]);
        assert_eq!(sql.matches("DELETE FROM").count(), 1, "{sql}");
        assert_eq!(sql.matches("INSERT INTO").count(), 1, "{sql}");
        assert!(sql.contains("('x', 'it''s')"), "{sql}");
        assert_eq!(replace_sql("lake", &[], &[]), "");
    }
}
