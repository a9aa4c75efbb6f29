//! `pg_catalog.pg_class`, unqualified `pg_class`, `information_schema.columns` → the emulated
//! relations `lakegate.pg.pg_class`, `lakegate.pgis.columns`; `pg_catalog.`-qualified table
//! functions (`pg_catalog.generate_series`, `pg_catalog.unnest`) → DuckDB's own.
//!
//! psql `\dt`:
//! ```sql
//! FROM pg_catalog.pg_class c
//!      LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
//! ```
//! asyncpg's type introspection: `FROM pg_type t2, typebases tb` (unqualified; `typebases` is a CTE).
//! RPostgres: `FROM information_schema.tables`. psql `\d` (publications):
//! `FROM pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) s`.
//!
//! A set-returning function of one column, aliased without column names (`generate_series(…) s`),
//! names its column after the alias in PostgreSQL (`prattrs[s]` is the number); in DuckDB the
//! alias would name a row, so the column alias is made explicit: `generate_series(…) AS s(s)`.
//!
//! An unqualified name means the catalogue relation, as in PostgreSQL (where `pg_catalog` is
//! searched before every schema of the search path), unless a CTE of that name is in scope.

use sqlparser::ast::{TableAliasColumnDef, TableFactor};

use super::{Context, Rule, name_parts, object_name};

/// Set-returning functions of one column.
const SCALAR_SET_FUNCTIONS: &[&str] = &[
    "generate_series",
    "generate_subscripts",
    "regexp_split_to_table",
    "string_to_table",
    "unnest",
];
use crate::pgcatalog::{CATALOGUE_DB, names};

pub struct CatalogueRelations;

impl Rule for CatalogueRelations {
    fn name(&self) -> &'static str {
        "relations"
    }

    fn table_factor(&self, table: &mut TableFactor, cx: &mut Context) {
        let TableFactor::Table {
            name, args, alias, ..
        } = table
        else {
            return;
        };
        let Some(parts) = name_parts(name) else {
            return;
        };
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        if args.is_some()
            && let Some(function) = parts.last()
            && SCALAR_SET_FUNCTIONS.contains(function)
            && matches!(parts.as_slice(), [_] | ["pg_catalog", _])
            && let Some(alias) = alias
            && alias.columns.is_empty()
        {
            alias.columns = vec![TableAliasColumnDef::from_name(alias.name.value.clone())];
            cx.changed = true;
        }
        let new = if args.is_some() {
            // A table function: pg_catalog.generate_series / unnest are DuckDB's own; the
            // emulated ones are macros in lakegate.pg.
            match parts.as_slice() {
                ["pg_catalog", f] if names::is_pg_function(f) => {
                    Some(object_name(&[CATALOGUE_DB, "pg", f]))
                }
                ["pg_catalog", f] => Some(object_name(&[f])),
                _ => None,
            }
        } else {
            match parts.as_slice() {
                ["pg_catalog", rel] => Some(object_name(&[CATALOGUE_DB, "pg", rel])),
                ["information_schema", rel] => Some(object_name(&[CATALOGUE_DB, "pgis", rel])),
                [rel] if names::is_pg_relation(rel) && !cx.is_cte(rel) => {
                    Some(object_name(&[CATALOGUE_DB, "pg", rel]))
                }
                _ => None,
            }
        };
        if let Some(new) = new {
            *name = new;
            cx.changed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::rewritten;

    #[test]
    fn catalogue_relations_are_the_emulated_ones() {
        assert_eq!(
            rewritten(
                "SELECT c.relname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            ),
            "SELECT c.relname FROM lakegate.pg.pg_class c LEFT JOIN lakegate.pg.pg_namespace n ON n.oid = c.relnamespace"
        );
        assert_eq!(
            rewritten("SELECT table_name FROM information_schema.tables"),
            "SELECT table_name FROM lakegate.pgis.tables"
        );
        assert_eq!(
            rewritten("SELECT typname FROM pg_type WHERE oid = 23"),
            "SELECT typname FROM lakegate.pg.pg_type WHERE oid = 23"
        );
    }

    #[test]
    fn ctes_and_lake_tables_keep_their_names() {
        assert_eq!(
            rewritten("WITH pg_type AS (SELECT 1 AS oid) SELECT oid FROM pg_type"),
            "WITH pg_type AS (SELECT 1 AS oid) SELECT oid FROM pg_type"
        );
        assert_eq!(
            rewritten("SELECT * FROM main.pg_class_history"),
            "SELECT * FROM main.pg_class_history"
        );
    }

    #[test]
    fn qualified_table_functions_are_duckdbs() {
        assert_eq!(
            rewritten("SELECT s FROM pg_catalog.generate_series(0, 3) s"),
            "SELECT s FROM generate_series(0, 3) s (s)"
        );
    }
}
