//! Column references qualified with a catalogue relation's schema-qualified name:
//! `pg_catalog.pg_class.relname` → `lakegate.pg.pg_class.relname` (DuckDB accepts four-part
//! column references), and the same for `information_schema`.
//!
//! SQLAlchemy 2 qualifies every column so:
//! ```sql
//! SELECT pg_catalog.pg_class.relname, pg_catalog.pg_description.description
//! FROM pg_catalog.pg_class LEFT OUTER JOIN pg_catalog.pg_description ON …
//! ```

use sqlparser::ast::Expr;

use super::{Context, Rule, ident};
use crate::pgcatalog::{CATALOGUE_DB, names};

pub struct QualifiedColumns;

impl Rule for QualifiedColumns {
    fn name(&self) -> &'static str {
        "columns"
    }

    fn post_expr(&self, expr: &mut Expr, cx: &mut Context) {
        let Expr::CompoundIdentifier(parts) = expr else {
            return;
        };
        if parts.len() != 3 {
            return;
        }
        let schema = parts[0].value.to_ascii_lowercase();
        let relation = parts[1].value.to_ascii_lowercase();
        let target = match schema.as_str() {
            "pg_catalog" if names::is_pg_relation(&relation) => "pg",
            "information_schema" if names::is_information_schema_relation(&relation) => "pgis",
            _ => return,
        };
        parts.splice(0..1, [ident(CATALOGUE_DB), ident(target)]);
        cx.changed = true;
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::rewritten;

    #[test]
    fn schema_qualified_columns_follow_their_relation() {
        assert_eq!(
            rewritten(
                "SELECT pg_catalog.pg_class.relname FROM pg_catalog.pg_class WHERE pg_catalog.pg_class.relkind = 'r'"
            ),
            "SELECT lakegate.pg.pg_class.relname FROM lakegate.pg.pg_class WHERE lakegate.pg.pg_class.relkind = 'r'"
        );
    }
}
