//! PostgreSQL's regular-expression operators → `regexp_matches`: in PostgreSQL `a ~ b` is true
//! when `b` matches anywhere in `a`; DuckDB's `~` means a *full* match, so `'abc' ~ 'b'` is true in
//! PostgreSQL and false in DuckDB. `OPERATOR(pg_catalog.~)` is the same operator, schema-qualified;
//! other `OPERATOR(pg_catalog.op)` spellings become the plain operator.
//!
//! psql:
//! ```sql
//! WHERE c.relname OPERATOR(pg_catalog.~) '^(deprivation_index)$' COLLATE pg_catalog.default
//!   AND n.nspname !~ '^pg_toast'
//! ```

use sqlparser::ast::{BinaryOperator, Expr, UnaryOperator};

use super::{Context, Rule, call, object_name, string_literal};

pub struct RegexOperators;

/// (case-insensitive, negated) for a regex operator.
fn regex_kind(op: &BinaryOperator) -> Option<(bool, bool)> {
    match op {
        BinaryOperator::PGRegexMatch => Some((false, false)),
        BinaryOperator::PGRegexIMatch => Some((true, false)),
        BinaryOperator::PGRegexNotMatch => Some((false, true)),
        BinaryOperator::PGRegexNotIMatch => Some((true, true)),
        BinaryOperator::PGCustomBinaryOperator(parts) => match custom_symbol(parts)? {
            "~" => Some((false, false)),
            "~*" => Some((true, false)),
            "!~" => Some((false, true)),
            "!~*" => Some((true, true)),
            _ => None,
        },
        _ => None,
    }
}

/// The operator symbol of `OPERATOR(pg_catalog.op)` / `OPERATOR(op)`.
fn custom_symbol(parts: &[String]) -> Option<&str> {
    match parts {
        [op] => Some(op.as_str()),
        [schema, op] if schema.eq_ignore_ascii_case("pg_catalog") => Some(op.as_str()),
        _ => None,
    }
}

fn plain_operator(symbol: &str) -> Option<BinaryOperator> {
    Some(match symbol {
        "=" => BinaryOperator::Eq,
        "<>" | "!=" => BinaryOperator::NotEq,
        "<" => BinaryOperator::Lt,
        "<=" => BinaryOperator::LtEq,
        ">" => BinaryOperator::Gt,
        ">=" => BinaryOperator::GtEq,
        "+" => BinaryOperator::Plus,
        "-" => BinaryOperator::Minus,
        "*" => BinaryOperator::Multiply,
        "/" => BinaryOperator::Divide,
        "%" => BinaryOperator::Modulo,
        "||" => BinaryOperator::StringConcat,
        "~~" => BinaryOperator::PGLikeMatch,
        "~~*" => BinaryOperator::PGILikeMatch,
        "!~~" => BinaryOperator::PGNotLikeMatch,
        "!~~*" => BinaryOperator::PGNotILikeMatch,
        _ => return None,
    })
}

impl Rule for RegexOperators {
    fn name(&self) -> &'static str {
        "regex"
    }

    fn post_expr(&self, expr: &mut Expr, cx: &mut Context) {
        let Expr::BinaryOp { left, op, right } = expr else {
            return;
        };
        if let Some((insensitive, negated)) = regex_kind(op) {
            let mut args = vec![(**left).clone(), (**right).clone()];
            if insensitive {
                args.push(string_literal("i"));
            }
            let matches = call(object_name(&["regexp_matches"]), args);
            *expr = if negated {
                Expr::UnaryOp {
                    op: UnaryOperator::Not,
                    expr: Box::new(matches),
                }
            } else {
                matches
            };
            cx.changed = true;
        } else if let BinaryOperator::PGCustomBinaryOperator(parts) = op
            && let Some(plain) = custom_symbol(parts).and_then(plain_operator)
        {
            *expr = Expr::Nested(Box::new(Expr::BinaryOp {
                left: left.clone(),
                op: plain,
                right: right.clone(),
            }));
            cx.changed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::rewritten;

    #[test]
    fn regex_operators_match_anywhere() {
        assert_eq!(
            rewritten(
                "SELECT 1 AS \"?column?\" FROM t WHERE n.nspname !~ '^pg_toast' AND a ~* 'x'"
            ),
            "SELECT 1 AS \"?column?\" FROM t WHERE NOT regexp_matches(n.nspname, '^pg_toast') AND regexp_matches(a, 'x', 'i')"
        );
        assert_eq!(
            rewritten(
                "SELECT 1 AS \"?column?\" FROM t WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default"
            ),
            "SELECT 1 AS \"?column?\" FROM t WHERE regexp_matches(c.relname, '^(t)$')"
        );
    }

    #[test]
    fn other_qualified_operators_become_plain() {
        assert_eq!(
            rewritten("SELECT 1 AS \"?column?\" FROM t WHERE a OPERATOR(pg_catalog.=) 1"),
            "SELECT 1 AS \"?column?\" FROM t WHERE (a = 1)"
        );
    }
}
