//! `json_build_object(k1, v1, k2, v2, …)` → the JSON text `{"k1":v1,…}` built with string
//! functions (`lakegate.pg.lg_json_string` / `lg_json_value`) and cast to JSON. DuckDB's
//! `json_object` would answer the same, but DuckDB leaves a prepared statement unbound when a JSON
//! function's argument holds a parameter, so the result columns of SQLAlchemy's reflection query
//! would be unknown at Describe time.
//!
//! SQLAlchemy 2 `get_columns`:
//! ```sql
//! (SELECT json_build_object($2::VARCHAR, pg_catalog.pg_attribute.attidentity = $3::VARCHAR,
//!                           $4::VARCHAR, pg_catalog.pg_sequence.seqstart, …) …)
//! ```

use sqlparser::ast::{
    BinaryOperator, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
};

use super::{Context, Rule, cast, catalogue_call, name_parts, string_literal};

pub struct JsonBuildObject;

fn concat(left: Expr, right: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(left),
        op: BinaryOperator::StringConcat,
        right: Box::new(right),
    }
}

impl Rule for JsonBuildObject {
    fn name(&self) -> &'static str {
        "json_object"
    }

    fn post_expr(&self, expr: &mut Expr, cx: &mut Context) {
        let Expr::Function(function) = expr else {
            return;
        };
        let Some(parts) = name_parts(&function.name) else {
            return;
        };
        if !matches!(
            parts
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice(),
            ["json_build_object" | "jsonb_build_object"]
                | ["pg_catalog", "json_build_object" | "jsonb_build_object"]
        ) {
            return;
        }
        let FunctionArguments::List(list) = &function.args else {
            return;
        };
        let args: Option<Vec<Expr>> = list
            .args
            .iter()
            .map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
                _ => None,
            })
            .collect();
        let Some(args) = args.filter(|a| a.len() % 2 == 0) else {
            return;
        };
        let mut text = string_literal("{");
        for (i, pair) in args.chunks(2).enumerate() {
            if i > 0 {
                text = concat(text, string_literal(","));
            }
            text = concat(
                text,
                catalogue_call("lg_json_string", vec![pair[0].clone()]),
            );
            text = concat(text, string_literal(":"));
            text = concat(text, catalogue_call("lg_json_value", vec![pair[1].clone()]));
        }
        text = concat(text, string_literal("}"));
        *expr = cast(Expr::Nested(Box::new(text)), DataType::JSON);
        cx.changed = true;
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::rewritten;

    #[test]
    fn json_objects_are_built_as_text() {
        assert_eq!(
            rewritten(
                "SELECT json_build_object($1::VARCHAR, a, 'b', 2) AS j FROM pg_catalog.pg_class"
            ),
            "SELECT CAST(('{' || lakegate.pg.lg_json_string($1::VARCHAR) || ':' || lakegate.pg.lg_json_value(a) || ',' || lakegate.pg.lg_json_string('b') || ':' || lakegate.pg.lg_json_value(2) || '}') AS JSON) AS j FROM lakegate.pg.pg_class"
        );
    }
}
