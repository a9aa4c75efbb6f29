//! A PostgreSQL array literal (`'{0}'`, `'{a,b}'`) compared with an array column of the catalogue
//! → DuckDB's list literal text (`'[0]'`), which DuckDB can cast to the column's list type.
//! DuckDB reads `'{0}'` as a STRUCT literal and fails to cast it, even on an empty relation.
//!
//! psql `\d`: `CASE WHEN pol.polroles = '{0}' THEN NULL ELSE … END` (pg_policy).

use sqlparser::ast::{BinaryOperator, Expr};

use super::{Context, Rule, string_literal, string_value};
use crate::pgcatalog::names;

pub struct PgArrayLiterals;

fn is_array_column(expr: &Expr) -> bool {
    let last = match expr {
        Expr::Identifier(i) => i,
        Expr::CompoundIdentifier(parts) => match parts.last() {
            Some(i) => i,
            None => return false,
        },
        _ => return false,
    };
    names::is_array_column(&last.value.to_ascii_lowercase())
}

/// `'{a,b}'` → `'[a,b]'`.
fn as_list_literal(expr: &Expr) -> Option<Expr> {
    let s = string_value(expr)?;
    let inner = s.strip_prefix('{')?.strip_suffix('}')?;
    Some(string_literal(&format!("[{inner}]")))
}

impl Rule for PgArrayLiterals {
    fn name(&self) -> &'static str {
        "array_literal"
    }

    fn post_expr(&self, expr: &mut Expr, cx: &mut Context) {
        let Expr::BinaryOp { left, op, right } = expr else {
            return;
        };
        if !matches!(op, BinaryOperator::Eq | BinaryOperator::NotEq) {
            return;
        }
        if is_array_column(left)
            && let Some(list) = as_list_literal(right)
        {
            **right = list;
            cx.changed = true;
        } else if is_array_column(right)
            && let Some(list) = as_list_literal(left)
        {
            **left = list;
            cx.changed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::rewritten;

    #[test]
    fn array_literals_become_lists() {
        assert_eq!(
            rewritten(
                "SELECT CASE WHEN pol.polroles = '{0}' THEN NULL ELSE 1 END AS r FROM pg_catalog.pg_policy pol"
            ),
            "SELECT CASE WHEN pol.polroles = '[0]' THEN NULL ELSE 1 END AS r FROM lakegate.pg.pg_policy pol"
        );
    }
}
