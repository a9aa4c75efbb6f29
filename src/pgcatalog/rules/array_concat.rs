//! `array || array` → `list_concat(…)`: in PostgreSQL a NULL array concatenated with an array is
//! that array; DuckDB's `||` gives NULL, while its `list_concat` skips NULL inputs as PostgreSQL
//! does. Applied where one side is visibly an array (`ARRAY(SELECT …)`, `ARRAY[…]`).
//!
//! psql `\d+` (reloptions is NULL for a table without options):
//! ```sql
//! pg_catalog.array_to_string(c.reloptions || array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x), ', ')
//! ```

use sqlparser::ast::{BinaryOperator, Expr, FunctionArguments};

use super::{Context, Rule, call, name_parts, object_name};

pub struct ArrayConcat;

fn is_array(expr: &Expr) -> bool {
    match expr {
        Expr::Array(_) => true,
        Expr::Function(f) => {
            matches!(f.args, FunctionArguments::Subquery(_))
                && name_parts(&f.name).as_deref() == Some(&["array".to_string()][..])
        }
        Expr::Nested(e) => is_array(e),
        _ => false,
    }
}

impl Rule for ArrayConcat {
    fn name(&self) -> &'static str {
        "array_concat"
    }

    fn post_expr(&self, expr: &mut Expr, cx: &mut Context) {
        let Expr::BinaryOp {
            left,
            op: BinaryOperator::StringConcat,
            right,
        } = expr
        else {
            return;
        };
        if is_array(left) || is_array(right) {
            *expr = call(
                object_name(&["list_concat"]),
                vec![(**left).clone(), (**right).clone()],
            );
            cx.changed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::rewritten;

    #[test]
    fn null_arrays_concatenate_like_postgres() {
        assert_eq!(
            rewritten(
                "SELECT pg_catalog.array_to_string(c.reloptions || array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x), ', ') FROM pg_catalog.pg_class c"
            ),
            "SELECT array_to_string(list_concat(c.reloptions, array(SELECT 'toast.' || x FROM unnest(tc.reloptions) x (x))), ', ') AS \"array_to_string\" FROM lakegate.pg.pg_class c"
        );
    }
}
