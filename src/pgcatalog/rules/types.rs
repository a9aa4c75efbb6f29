//! PostgreSQL type names in casts → DuckDB's: `pg_catalog.`-qualified names lose the schema;
//! the catalogue's own types become what the emulation stores them as (`oid` and the remaining
//! reg* → INTEGER, `"char"`, `name`, `pg_node_tree`, `aclitem` → VARCHAR, `int2vector` →
//! SMALLINT[], `oidvector` → INTEGER[], `information_schema.sql_identifier` → VARCHAR, …).
//!
//! psql: `pg_catalog.pg_get_viewdef('16413'::pg_catalog.oid, true)`,
//! `pr.prattrs::pg_catalog.int2[]`; asyncpg: `ti.oid = any($1::oid[])`, `ia.attname::text`;
//! RPostgres: `CAST(table_name AS information_schema.sql_identifier)`-style comparisons.

use sqlparser::ast::{ArrayElemTypeDef, DataType, Expr};

use super::{Context, Rule, name_parts, object_name};

pub struct PgTypeNames;

/// The DuckDB type for a PostgreSQL type, or `None` when DuckDB reads it as it is.
pub fn duckdb_type(data_type: &DataType) -> Option<DataType> {
    match data_type {
        DataType::Regclass => Some(DataType::Integer(None)),
        DataType::Array(ArrayElemTypeDef::SquareBracket(inner, size)) => duckdb_type(inner)
            .map(|t| DataType::Array(ArrayElemTypeDef::SquareBracket(Box::new(t), *size))),
        DataType::Custom(name, modifiers) => {
            let parts = name_parts(name)?;
            let (qualified, last) = match parts.as_slice() {
                [t] => (false, t.as_str()),
                [schema, t] if schema == "pg_catalog" || schema == "information_schema" => {
                    (true, t.as_str())
                }
                _ => return None,
            };
            let mapped = match last {
                "oid" | "xid" | "cid" | "regclass" | "regtype" | "regproc" | "regprocedure"
                | "regnamespace" | "regrole" | "regoper" | "regoperator" | "regconfig"
                | "regdictionary" | "regcollation" | "cardinal_number" => DataType::Integer(None),
                "char" | "name" | "pg_node_tree" | "aclitem" | "bpchar" | "sql_identifier"
                | "character_data" | "yes_or_no" | "pg_lsn" => DataType::Varchar(None),
                "int2vector" => DataType::Array(ArrayElemTypeDef::SquareBracket(
                    Box::new(DataType::SmallInt(None)),
                    None,
                )),
                "oidvector" => DataType::Array(ArrayElemTypeDef::SquareBracket(
                    Box::new(DataType::Integer(None)),
                    None,
                )),
                "time_stamp" => DataType::Custom(object_name(&["TIMESTAMPTZ"]), vec![]),
                "jsonb" => DataType::JSON,
                _ if qualified => DataType::Custom(object_name(&[last]), modifiers.clone()),
                _ => return None,
            };
            Some(mapped)
        }
        _ => None,
    }
}

impl Rule for PgTypeNames {
    fn name(&self) -> &'static str {
        "types"
    }

    fn post_expr(&self, expr: &mut Expr, cx: &mut Context) {
        let Expr::Cast { data_type, .. } = expr else {
            return;
        };
        if let Some(mapped) = duckdb_type(data_type) {
            *data_type = mapped;
            cx.changed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::rewritten;

    #[test]
    fn catalogue_types_become_duckdb_types() {
        assert_eq!(
            rewritten("SELECT pg_catalog.pg_get_viewdef('16413'::pg_catalog.oid, true)"),
            "SELECT lakegate.pg.pg_get_viewdef('16413'::INTEGER, true) AS \"pg_get_viewdef\""
        );
        assert_eq!(
            rewritten(
                "SELECT x FROM pg_type WHERE oid = any($1::oid[]) AND typname::\"char\" = 'a'"
            ),
            "SELECT x FROM lakegate.pg.pg_type WHERE oid = ANY($1::INTEGER[]) AND typname::VARCHAR = 'a'"
        );
        assert_eq!(
            rewritten("SELECT pr.prattrs::pg_catalog.int2[] FROM pg_catalog.pg_publication_rel pr"),
            "SELECT pr.prattrs::int2[] AS \"prattrs\" FROM lakegate.pg.pg_publication_rel pr"
        );
    }
}
