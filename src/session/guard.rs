//! The read-only guard: layer 1 of the read-only defence.
//!
//! Every query that reaches DuckDB is first parsed by DuckDB's own parser
//! (`json_serialize_sql`), so the guard judges exactly the statement DuckDB will run — no
//! differences between two parsers to exploit. It allows only a single SELECT (DuckDB turns
//! `DESCRIBE`, `SHOW`, `SUMMARIZE`, `FROM t`, `VALUES`, `WITH … SELECT` and `PIVOT` subqueries into
//! one); every other statement (INSERT, COPY, ATTACH, DETACH, SET, PRAGMA, CALL, INSTALL, LOAD,
//! EXPORT, …) is refused. Inside a SELECT it allows only table functions from an allow-list
//! (so `read_csv`, `read_blob`, `glob`, `query`, `sqlite_scan`, `duckdb_secrets`,
//! `duckdb_settings` and `ducklake_list_files` are refused), refuses file-path table references
//! (DuckDB's replacement scans: `FROM '/etc/passwd'`) and the DuckLake metadata catalogue.
//!
//! Layers 2 (DuckDB's sandbox) and 3 (the read-only attachment) stop the same things
//! independently; see `Lake::lock_down` and ARCHITECTURE.md.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde_json::Value;

use super::error::{SqlError, code};
use crate::lake::duck::{self, BindValue};

/// Table functions a session may call. Everything else is refused.
const ALLOWED_TABLE_FUNCTIONS: &[&str] = &[
    "range",
    "generate_series",
    "unnest",
    "json_each",
    "json_tree",
    "repeat",
    "repeat_row",
    "generate_subscripts",
    // Introspection that shows no paths, settings or secrets.
    "duckdb_tables",
    "duckdb_columns",
    "duckdb_views",
    "duckdb_schemas",
    "duckdb_functions",
    "duckdb_types",
    "duckdb_constraints",
    "duckdb_indexes",
    "duckdb_keywords",
    "duckdb_sequences",
    "duckdb_dependencies",
    "pragma_table_info",
    "pragma_show",
    "summary",
    // DuckLake history: time travel and change feeds are reads too.
    "ducklake_snapshots",
    "ducklake_table_info",
    "ducklake_table_changes",
    "ducklake_table_insertions",
    "ducklake_table_deletions",
    "ducklake_current_snapshot",
    "ducklake_last_committed_snapshot",
    "snapshots",
    "table_info",
    "table_changes",
    "table_insertions",
    "table_deletions",
    "current_snapshot",
    "last_committed_snapshot",
];

/// Scalar functions that would reveal the process environment or DuckDB's own settings
/// (paths, credentials). PostgreSQL's `current_setting` is lakegate's own, in the `lakegate`
/// catalogue, and stays allowed.
const DENIED_FUNCTIONS: &[&str] = &["getenv", "load_extension", "current_setting"];

/// File-name endings that make a table reference a replacement scan of a file.
const FILE_SUFFIXES: &[&str] = &[
    ".csv", ".tsv", ".txt", ".parquet", ".json", ".jsonl", ".ndjson", ".gz", ".zst", ".xlsx",
    ".db", ".duckdb", ".sqlite", ".arrow", ".avro", ".orc",
];

/// Remembers verdicts per query text: a client repeating a query pays for the parse once.
pub struct Guard {
    verdicts: Mutex<Verdicts>,
}

struct Verdicts {
    map: HashMap<String, Result<(), SqlError>>,
    order: VecDeque<String>,
}

const CACHE_SIZE: usize = 2048;

impl Default for Guard {
    fn default() -> Self {
        Guard {
            verdicts: Mutex::new(Verdicts {
                map: HashMap::new(),
                order: VecDeque::new(),
            }),
        }
    }
}

impl Guard {
    /// Checks that `sql` is a single read-only query. `conn` is any DuckDB connection of the
    /// instance (parsing only; nothing runs).
    pub fn check(&self, conn: &duck::Connection, sql: &str) -> Result<(), SqlError> {
        if let Some(v) = self.verdicts.lock().expect("guard cache").map.get(sql) {
            return v.clone();
        }
        let verdict = check_uncached(conn, sql);
        // Parse failures are not cached: they are cheap and the text may be huge.
        if verdict.is_ok()
            || verdict
                .as_ref()
                .is_err_and(|e| e.code != code::SYNTAX_ERROR)
        {
            let mut v = self.verdicts.lock().expect("guard cache");
            if v.map.len() >= CACHE_SIZE
                && let Some(old) = v.order.pop_front()
            {
                v.map.remove(&old);
            }
            v.order.push_back(sql.to_string());
            v.map.insert(sql.to_string(), verdict.clone());
        }
        verdict
    }
}

fn check_uncached(conn: &duck::Connection, sql: &str) -> Result<(), SqlError> {
    let tree = serialize(conn, sql)?;
    let parsed: Value = serde_json::from_str(&tree)
        .map_err(|e| SqlError::internal(format!("guard: unreadable parse tree: {e}")))?;
    if parsed["error"].as_bool() == Some(true) {
        let message = parsed["error_message"].as_str().unwrap_or("").to_string();
        let kind = parsed["error_type"].as_str().unwrap_or("");
        if kind == "not implemented" || message.contains("Only SELECT statements") {
            return Err(refuse_statement(sql));
        }
        // A syntax error: DuckDB's message, as a PostgreSQL syntax error.
        return Err(SqlError::new(
            code::SYNTAX_ERROR,
            message
                .strip_prefix("Parser Error: ")
                .unwrap_or(&message)
                .lines()
                .next()
                .unwrap_or("syntax error")
                .to_string(),
        ));
    }
    let statements = parsed["statements"].as_array().cloned().unwrap_or_default();
    if statements.len() != 1 {
        return Err(SqlError::new(
            code::SYNTAX_ERROR,
            "expected exactly one statement",
        ));
    }
    walk(&statements[0], false)
}

fn serialize(conn: &duck::Connection, sql: &str) -> Result<String, SqlError> {
    let mut stmt = conn
        .prepare("SELECT json_serialize_sql($1::VARCHAR)")
        .map_err(SqlError::from)?;
    stmt.bind(0, &BindValue::Text(sql.to_string()))
        .map_err(SqlError::from)?;
    let mut result = stmt.execute_streaming().map_err(SqlError::from)?;
    let batch = result
        .next_batch()
        .map_err(SqlError::from)?
        .ok_or_else(|| SqlError::internal("guard: no parse tree"))?;
    use duckdb::arrow::array::{Array, AsArray};
    let column = batch.column(0);
    let text = column
        .as_string_opt::<i32>()
        .filter(|a| !a.is_null(0))
        .map(|a| a.value(0).to_string())
        .ok_or_else(|| SqlError::internal("guard: no parse tree"))?;
    Ok(text)
}

fn walk(node: &Value, in_table_function: bool) -> Result<(), SqlError> {
    match node {
        Value::Object(map) => {
            let ty = map.get("type").and_then(Value::as_str).unwrap_or("");
            let class = map.get("class").and_then(Value::as_str).unwrap_or("");
            if ty == "TABLE_FUNCTION" {
                if let Some(function) = map.get("function") {
                    check_table_function(function)?;
                }
                for (k, v) in map {
                    if k != "function" {
                        walk(v, false)?;
                    }
                }
                // The function's own arguments may hold subqueries.
                if let Some(args) = map.get("function").and_then(|f| f.get("children")) {
                    walk(args, false)?;
                }
                return Ok(());
            }
            if ty == "BASE_TABLE" {
                check_base_table(map)?;
            }
            if class == "FUNCTION" && !in_table_function {
                let name = map
                    .get("function_name")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let catalog = map.get("catalog").and_then(Value::as_str).unwrap_or("");
                let schema = map.get("schema").and_then(Value::as_str).unwrap_or("");
                let ours = catalog == "lakegate" || matches!(schema, "pg" | "pgis" | "lakegate");
                if !ours && DENIED_FUNCTIONS.contains(&name.to_ascii_lowercase().as_str()) {
                    return Err(SqlError::not_allowed(&format!("the function {name}()")));
                }
            }
            for v in map.values() {
                walk(v, in_table_function)?;
            }
            Ok(())
        }
        Value::Array(items) => items.iter().try_for_each(|v| walk(v, in_table_function)),
        _ => Ok(()),
    }
}

fn check_table_function(function: &Value) -> Result<(), SqlError> {
    let name = function["function_name"]
        .as_str()
        .unwrap_or("")
        .to_ascii_lowercase();
    let schema = function["schema"]
        .as_str()
        .unwrap_or("")
        .to_ascii_lowercase();
    let catalog = function["catalog"]
        .as_str()
        .unwrap_or("")
        .to_ascii_lowercase();
    // lakegate's own catalogue: discovery (`lakegate.search`) and the pg emulation.
    if catalog == "lakegate"
        || schema == "lakegate"
        || (catalog.is_empty() && matches!(schema.as_str(), "pg" | "pgis"))
    {
        return Ok(());
    }
    if ALLOWED_TABLE_FUNCTIONS.contains(&name.as_str()) {
        return Ok(());
    }
    let what = if name.starts_with("read_") || name == "glob" || name.contains("scan") {
        format!("reading files or other databases with {name}()")
    } else {
        format!("the table function {name}()")
    };
    Err(SqlError::not_allowed(&what))
}

fn check_base_table(map: &serde_json::Map<String, Value>) -> Result<(), SqlError> {
    let table = map.get("table_name").and_then(Value::as_str).unwrap_or("");
    let catalog = map
        .get("catalog_name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let schema = map.get("schema_name").and_then(Value::as_str).unwrap_or("");
    let lower = table.to_ascii_lowercase();
    if table.contains('/')
        || table.contains('\\')
        || table.contains("://")
        || FILE_SUFFIXES.iter().any(|s| lower.ends_with(s))
    {
        return Err(SqlError::not_allowed(&format!(
            "reading the file '{table}'"
        )));
    }
    if catalog.starts_with("__ducklake_metadata") || schema.starts_with("__ducklake_metadata") {
        return Err(SqlError::not_allowed(
            "reading the lake's metadata catalogue",
        ));
    }
    Ok(())
}

/// The refusal for a statement that is not a query, worded by what it would have done.
pub fn refuse_statement(sql: &str) -> SqlError {
    let words: Vec<String> = sql
        .split_whitespace()
        .take(3)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_ascii_uppercase()
        })
        .collect();
    let first = words.first().cloned().unwrap_or_default();
    match first.as_str() {
        "INSERT" | "UPDATE" | "DELETE" | "MERGE" | "TRUNCATE" | "UPSERT" | "REPLACE" => {
            SqlError::read_only(&first)
        }
        "CREATE" | "DROP" | "ALTER" | "COMMENT" | "GRANT" | "REVOKE" | "VACUUM" | "CHECKPOINT"
        | "ANALYZE" | "REINDEX" | "CLUSTER" | "REFRESH" | "IMPORT" => {
            let what = words.iter().take(2).cloned().collect::<Vec<_>>().join(" ");
            SqlError::read_only(&what)
        }
        "COPY" | "EXPORT" => SqlError::read_only("COPY").with_hint(
            "Only COPY (query) TO STDOUT is supported: it streams the result to the client.",
        ),
        "ATTACH" | "DETACH" | "USE" => SqlError::not_allowed(&format!("{first} of a database")),
        "INSTALL" | "LOAD" | "FORCE" | "UPDATE_EXTENSIONS" => {
            SqlError::not_allowed("installing or loading DuckDB extensions")
        }
        "PRAGMA" | "CALL" | "SET" | "RESET" => {
            SqlError::not_allowed(&format!("{first} of DuckDB settings or procedures"))
        }
        "PREPARE" | "EXECUTE" => SqlError::new(
            code::FEATURE_NOT_SUPPORTED,
            "SQL-level PREPARE/EXECUTE is not supported; use the extended query protocol (your driver's parameters)",
        ),
        _ => SqlError::new(
            code::READ_ONLY_SQL_TRANSACTION,
            format!(
                "only queries are allowed on this read-only server, not \"{}\"",
                sql.split_whitespace().take(4).collect::<Vec<_>>().join(" ")
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn conn() -> duck::Connection {
        let db = Arc::new(duck::Database::open_in_memory(&[]).unwrap());
        let c = db.connect().unwrap();
        c.execute_batch("CREATE TABLE t(a INTEGER)").unwrap();
        c
    }

    #[test]
    fn allows_reads() {
        let g = Guard::default();
        let c = conn();
        for q in [
            "SELECT 1",
            "SELECT * FROM t WHERE a = $1",
            "WITH x AS (SELECT a FROM t) SELECT * FROM x",
            "FROM t SELECT a",
            "DESCRIBE t",
            "SHOW TABLES",
            "SUMMARIZE t",
            "VALUES (1), (2)",
            "SELECT * FROM range(10) r, unnest([1,2]) u",
            "SELECT * FROM lakegate.search('x')",
            "SELECT [1,2], {'a': 1}, list_transform([1], x -> x + 1)",
        ] {
            assert_eq!(g.check(&c, q), Ok(()), "{q}");
        }
    }

    #[test]
    fn refuses_writes_and_escapes() {
        let g = Guard::default();
        let c = conn();
        let cases = [
            ("INSERT INTO t VALUES (1)", "25006"),
            ("DELETE FROM t", "25006"),
            ("CREATE TABLE u AS SELECT 1", "25006"),
            ("DROP TABLE t", "25006"),
            ("COPY t TO '/tmp/x.csv'", "25006"),
            ("ATTACH '/tmp/x.db' AS x", "42501"),
            ("DETACH lake", "42501"),
            ("INSTALL httpfs", "42501"),
            ("LOAD httpfs", "42501"),
            ("SET threads = 1", "42501"),
            ("PRAGMA enable_profiling", "42501"),
            ("CALL duckdb_secrets()", "42501"),
            ("SELECT * FROM read_csv('/etc/passwd')", "42501"),
            ("SELECT * FROM read_blob('x')", "42501"),
            ("SELECT * FROM '/etc/passwd'", "42501"),
            ("SELECT * FROM 'data.parquet'", "42501"),
            ("SELECT * FROM glob('/*')", "42501"),
            ("SELECT * FROM query('SELECT 1')", "42501"),
            ("SELECT * FROM duckdb_secrets()", "42501"),
            ("SELECT * FROM duckdb_settings()", "42501"),
            ("SELECT * FROM ducklake_list_files('lake', 't')", "42501"),
            (
                "SELECT * FROM t WHERE a IN (SELECT * FROM read_parquet('x'))",
                "42501",
            ),
            (
                "SELECT * FROM __ducklake_metadata_lake.ducklake_metadata",
                "42501",
            ),
            ("SELEC 1", "42601"),
            ("SELECT 1; SELECT 2", "42601"),
        ];
        for (q, code) in cases {
            let e = g.check(&c, q).unwrap_err();
            assert_eq!(e.code, code, "{q}: {e}");
        }
    }
}
