//! `COLLATE pg_catalog.default` (and `"C"`, `"POSIX"`) → nothing: DuckDB has no collations of
//! those names, and its default (binary) order is PostgreSQL's "C".
//!
//! psql's name patterns:
//! ```sql
//! WHERE c.relname OPERATOR(pg_catalog.~) '^(deprivation_index)$' COLLATE pg_catalog.default
//! ```

use sqlparser::ast::Expr;

use super::{Context, Rule, name_parts};

pub struct DefaultCollation;

impl Rule for DefaultCollation {
    fn name(&self) -> &'static str {
        "collate"
    }

    fn post_expr(&self, expr: &mut Expr, cx: &mut Context) {
        let Expr::Collate {
            expr: inner,
            collation,
        } = expr
        else {
            return;
        };
        let Some(parts) = name_parts(collation) else {
            return;
        };
        let last = parts.last().map(String::as_str).unwrap_or("");
        if parts.first().map(String::as_str) == Some("pg_catalog")
            || matches!(last, "default" | "c" | "posix" | "ucs_basic")
        {
            *expr = std::mem::replace(
                inner.as_mut(),
                Expr::Value(sqlparser::ast::Value::Null.into()),
            );
            cx.changed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::rewritten;

    #[test]
    fn postgres_collations_are_dropped() {
        assert_eq!(
            rewritten("SELECT 1 AS \"?column?\" FROM t WHERE a = 'x' COLLATE pg_catalog.default"),
            "SELECT 1 AS \"?column?\" FROM t WHERE a = 'x'"
        );
        assert_eq!(
            rewritten("SELECT a FROM t ORDER BY a COLLATE \"C\""),
            "SELECT a FROM t ORDER BY a"
        );
    }
}
