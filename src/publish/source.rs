//! The source: what tables and views a local DuckDB file holds, with their columns, comments
//! and sizes, and which of its column types a DuckLake can store.

use duckdb::Connection;

use crate::lake::{quote_ident, sql_string};

/// The alias the source file is attached under while publishing.
pub const SOURCE_ALIAS: &str = "lakegate_source";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Table,
    View,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Table => "table",
            Kind::View => "view",
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourceColumn {
    pub name: String,
    /// DuckDB's type as the source declares it, e.g. `GEOMETRY('EPSG:27700')`.
    pub data_type: String,
    pub comment: Option<String>,
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourceObject {
    pub schema: String,
    pub name: String,
    pub kind: Kind,
    pub comment: Option<String>,
    pub columns: Vec<SourceColumn>,
    /// For views: DuckDB's `CREATE VIEW …` statement.
    pub view_sql: Option<String>,
    /// DuckDB's row estimate (exact for tables).
    pub estimated_rows: u64,
    /// Bytes the table takes in the source file (blocks in use); 0 for views.
    pub source_bytes: u64,
}

impl SourceObject {
    /// `name` in schema main, `schema.name` elsewhere: how users and filters name it.
    pub fn display_name(&self) -> String {
        display_name(&self.schema, &self.name)
    }

    pub fn source_ref(&self) -> String {
        format!(
            "{}.{}.{}",
            quote_ident(SOURCE_ALIAS),
            quote_ident(&self.schema),
            quote_ident(&self.name)
        )
    }
}

pub fn display_name(schema: &str, name: &str) -> String {
    if schema == "main" {
        name.to_string()
    } else {
        format!("{schema}.{name}")
    }
}

/// Does a filter entry (`name`, `schema.name` or `main.name`) name this object?
pub fn matches_filter(schema: &str, name: &str, filter: &str) -> bool {
    filter == display_name(schema, name) || filter == format!("{schema}.{name}")
}

/// Reads the inventory of the attached source.
pub fn inventory(conn: &Connection) -> duckdb::Result<Vec<SourceObject>> {
    let db = sql_string(SOURCE_ALIAS);
    let mut objects: Vec<SourceObject> = Vec::new();

    let mut stmt = conn.prepare(&format!(
        "SELECT schema_name, table_name, comment, estimated_size
         FROM duckdb_tables() WHERE database_name = {db} AND NOT temporary
         ORDER BY schema_name, table_name"
    ))?;
    let tables = stmt.query_map([], |r| {
        Ok(SourceObject {
            schema: r.get(0)?,
            name: r.get(1)?,
            kind: Kind::Table,
            comment: r.get(2)?,
            columns: vec![],
            view_sql: None,
            estimated_rows: r.get::<_, i64>(3)?.max(0) as u64,
            source_bytes: 0,
        })
    })?;
    for t in tables {
        objects.push(t?);
    }

    let mut stmt = conn.prepare(&format!(
        "SELECT schema_name, view_name, comment, sql
         FROM duckdb_views() WHERE database_name = {db} AND NOT internal AND NOT temporary
         ORDER BY schema_name, view_name"
    ))?;
    let views = stmt.query_map([], |r| {
        Ok(SourceObject {
            schema: r.get(0)?,
            name: r.get(1)?,
            kind: Kind::View,
            comment: r.get(2)?,
            columns: vec![],
            view_sql: r.get(3)?,
            estimated_rows: 0,
            source_bytes: 0,
        })
    })?;
    for v in views {
        objects.push(v?);
    }

    let mut stmt = conn.prepare(&format!(
        "SELECT schema_name, table_name, column_name, data_type, comment, is_nullable
         FROM duckdb_columns() WHERE database_name = {db}
         ORDER BY schema_name, table_name, column_index"
    ))?;
    let columns = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            SourceColumn {
                name: r.get(2)?,
                data_type: r.get(3)?,
                comment: r.get(4)?,
                nullable: r.get(5)?,
            },
        ))
    })?;
    for c in columns {
        let (schema, table, column) = c?;
        if let Some(o) = objects
            .iter_mut()
            .find(|o| o.schema == schema && o.name == table)
        {
            o.columns.push(column);
        }
    }

    let block_size: i64 = conn
        .query_row(
            &format!("SELECT block_size FROM pragma_database_size() WHERE database_name = {db}"),
            [],
            |r| r.get(0),
        )
        .unwrap_or(262_144);
    for o in objects.iter_mut().filter(|o| o.kind == Kind::Table) {
        let target = sql_string(&format!(
            "{}.{}.{}",
            quote_ident(SOURCE_ALIAS),
            quote_ident(&o.schema),
            quote_ident(&o.name)
        ));
        let blocks: i64 = conn
            .query_row(
                &format!(
                    "SELECT count(DISTINCT block_id) FROM pragma_storage_info({target}) WHERE block_id >= 0"
                ),
                [],
                |r| r.get(0),
            )
            .unwrap_or(0);
        o.source_bytes = (blocks * block_size).max(0) as u64;
    }
    Ok(objects)
}

/// How a source column is stored in the lake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LakeColumnType {
    /// The type to declare in the lake.
    pub ddl: String,
    /// Whether the value must be cast on the way in (ENUM → VARCHAR, fixed ARRAY → LIST).
    pub cast: bool,
    /// The coordinate reference system of a GEOMETRY column, which DuckLake does not keep.
    pub crs: Option<String>,
    /// A note for the plan when the type changes on the way in.
    pub note: Option<String>,
}

/// Maps a source type to what DuckLake can store, or says why it cannot.
///
/// Checked against DuckDB 1.5.5 with its DuckLake extension (tests/python/test_publish_types.py):
/// - UNION, BIT, BIGNUM: DuckLake refuses them ("Failed to convert DuckDB type to DuckLake").
/// - TIME_NS: DuckDB's parquet writer fails with an internal error that invalidates the whole
///   database instance, so it is refused before anything is written.
/// - HUGEINT and UHUGEINT: DuckDB's parquet writer stores them as DOUBLE, which silently loses
///   digits (and DuckLake then cannot read the extremes back), so they are stored as
///   DECIMAL(38,0), exact for every value of up to 38 digits; a larger value stops the publish
///   with an error naming the column.
/// - ENUM: stored as VARCHAR; a fixed-size ARRAY: stored as a LIST.
/// - GEOMETRY('EPSG:…'): DuckLake keeps plain GEOMETRY; the coordinate system is kept in the
///   publish record (and put back into the pins' GeoParquet).
/// - TIME WITH TIME ZONE: parquet keeps the instant, normalised to UTC (`12:00+02` → `10:00+00`).
/// - INTERVAL: parquet holds non-negative months, days and milliseconds; a negative part or
///   microseconds stop the publish with an error naming the column (checked before writing,
///   since DuckDB drops microseconds silently). Inside a LIST, STRUCT or MAP this is not
///   checked: the plan notes that finer parts are lost.
pub fn lake_type(data_type: &str) -> Result<LakeColumnType, String> {
    let t = data_type.trim();
    let upper = t.to_ascii_uppercase();
    let words = type_words(&upper);
    let has = |w: &str| words.iter().any(|x| x == w);
    let unsupported = |what: &str, why: &str| {
        Err(format!(
            "{what} columns cannot be stored in a DuckLake ({why}); publish a view that casts \
             the column (e.g. to VARCHAR) instead"
        ))
    };
    if has("UNION") {
        return unsupported("UNION", "DuckLake has no union type");
    }
    if has("BIT") || has("BITSTRING") {
        return unsupported("BIT", "DuckLake has no bit-string type");
    }
    if has("BIGNUM") || has("VARINT") {
        return unsupported("BIGNUM", "DuckLake has no arbitrary-precision integer type");
    }
    if has("VARIANT") {
        return unsupported("VARIANT", "lakegate does not publish VARIANT yet");
    }
    if has("TIME_NS") {
        return unsupported("TIME_NS", "DuckDB's parquet writer cannot write it");
    }
    if upper.starts_with("ENUM(") {
        return Ok(LakeColumnType {
            ddl: "VARCHAR".into(),
            cast: true,
            crs: None,
            note: Some("ENUM stored as VARCHAR".into()),
        });
    }
    if has("ENUM") {
        return unsupported(
            "nested ENUM",
            "only a top-level ENUM can be stored, as VARCHAR",
        );
    }
    if upper == "HUGEINT" || upper == "UHUGEINT" {
        return Ok(LakeColumnType {
            ddl: "DECIMAL(38,0)".into(),
            cast: true,
            crs: None,
            note: Some(format!(
                "{upper} stored as DECIMAL(38,0) (parquet would turn it into DOUBLE)"
            )),
        });
    }
    if has("HUGEINT") || has("UHUGEINT") {
        return unsupported(
            "nested HUGEINT",
            "parquet stores HUGEINT as DOUBLE; only a top-level HUGEINT is stored, as DECIMAL(38,0)",
        );
    }
    if upper.starts_with("GEOMETRY") {
        let crs = t
            .find('(')
            .and_then(|open| t.rfind(')').map(|close| &t[open + 1..close]))
            .map(|inner| inner.trim().trim_matches('\'').replace("''", "'"))
            .filter(|s| !s.is_empty());
        let note = crs.is_none().then(|| {
            "GEOMETRY without a coordinate system: the source does not record one (a DuckDB file \
             written with a storage version before v1.5.0 drops it); the pins' GeoParquet will \
             have no CRS"
                .to_string()
        });
        return Ok(LakeColumnType {
            ddl: "GEOMETRY".into(),
            cast: false,
            crs,
            note,
        });
    }
    if let Some(inner) = fixed_array_element(t) {
        if fixed_array_element(inner).is_some() || inner.contains('[') {
            return unsupported(
                "nested fixed-size ARRAY",
                "DuckLake has no fixed-size arrays",
            );
        }
        return Ok(LakeColumnType {
            ddl: format!("{inner}[]"),
            cast: true,
            crs: None,
            note: Some(format!("{t} stored as {inner}[]")),
        });
    }
    if contains_fixed_array(t) {
        return unsupported(
            "nested fixed-size ARRAY",
            "DuckLake has no fixed-size arrays",
        );
    }
    let note = if upper == "TIME WITH TIME ZONE" {
        Some("TIME WITH TIME ZONE stored normalised to UTC (+00)".to_string())
    } else if upper != "INTERVAL" && has("INTERVAL") {
        Some(
            "INTERVAL inside a nested type: parquet keeps whole milliseconds, finer parts are lost"
                .to_string(),
        )
    } else {
        None
    };
    Ok(LakeColumnType {
        ddl: t.to_string(),
        cast: false,
        crs: None,
        note,
    })
}

/// The bare words of a type string outside double quotes (quoted STRUCT field names are
/// skipped), e.g. `STRUCT("a b" UNION(x INTEGER))` → `STRUCT`, `UNION`, `X`, `INTEGER`.
fn type_words(upper: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in upper.chars() {
        if c == '"' {
            quoted = !quoted;
            continue;
        }
        if !quoted && (c.is_ascii_alphanumeric() || c == '_') {
            current.push(c);
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `INTEGER[3]` → `Some("INTEGER")`.
fn fixed_array_element(t: &str) -> Option<&str> {
    let t = t.trim_end();
    let body = t.strip_suffix(']')?;
    let open = body.rfind('[')?;
    let size = &body[open + 1..];
    (!size.is_empty() && size.chars().all(|c| c.is_ascii_digit())).then(|| &body[..open])
}

fn contains_fixed_array(t: &str) -> bool {
    let bytes = t.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b'['
            && bytes[i + 1..]
                .iter()
                .position(|&c| c == b']')
                .is_some_and(|len| {
                    len > 0 && bytes[i + 1..i + 1 + len].iter().all(u8::is_ascii_digit)
                })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storable_types() {
        assert_eq!(lake_type("INTEGER").unwrap().ddl, "INTEGER");
        assert!(!lake_type("STRUCT(a INTEGER, b VARCHAR)").unwrap().cast);
        let e = lake_type("ENUM('a', 'b')").unwrap();
        assert_eq!((e.ddl.as_str(), e.cast), ("VARCHAR", true));
        let a = lake_type("INTEGER[3]").unwrap();
        assert_eq!((a.ddl.as_str(), a.cast), ("INTEGER[]", true));
        assert_eq!(lake_type("INTEGER[]").unwrap().ddl, "INTEGER[]");
        let g = lake_type("GEOMETRY('EPSG:27700')").unwrap();
        assert_eq!(g.ddl, "GEOMETRY");
        assert_eq!(g.crs.as_deref(), Some("EPSG:27700"));
        assert!(lake_type("UNION(n INTEGER, s VARCHAR)").is_err());
        assert!(lake_type("STRUCT(u UNION(n INTEGER, s VARCHAR))").is_err());
        assert!(lake_type("BIT").is_err());
        assert!(lake_type("BIGNUM").is_err());
        assert!(lake_type("TIME_NS").is_err());
        assert!(lake_type("TIME_NS[]").is_err());
        assert!(lake_type("STRUCT(e ENUM('x'))").is_err());
        assert!(lake_type("STRUCT(a INTEGER[2])").is_err());
        let h = lake_type("HUGEINT").unwrap();
        assert_eq!((h.ddl.as_str(), h.cast), ("DECIMAL(38,0)", true));
        assert_eq!(lake_type("UHUGEINT").unwrap().ddl, "DECIMAL(38,0)");
        assert!(lake_type("HUGEINT[]").is_err());
        assert!(lake_type("STRUCT(x UHUGEINT)").is_err());
        // A quoted field name is not a type.
        assert!(lake_type("STRUCT(\"bit\" INTEGER)").is_ok());
        assert!(lake_type("GEOMETRY").unwrap().note.is_some());
        assert!(lake_type("GEOMETRY('EPSG:27700')").unwrap().note.is_none());
        assert!(lake_type("TIME WITH TIME ZONE").unwrap().note.is_some());
        assert!(
            lake_type("TIMESTAMP WITH TIME ZONE")
                .unwrap()
                .note
                .is_none()
        );
    }

    #[test]
    fn filters_name_main_tables_plainly() {
        assert!(matches_filter("main", "t", "t"));
        assert!(matches_filter("main", "t", "main.t"));
        assert!(matches_filter("energy", "t", "energy.t"));
        assert!(!matches_filter("energy", "t", "t"));
    }
}
