//! The reg* alias types: a cast to `regclass`, `regtype`, `regnamespace`, `regrole` or `regproc`
//! turns a name into an OID (resolving unqualified names on the search path), and a reg* value
//! prints as the name. DuckDB has no such types; the emulation has macros for both directions
//! (`lakegate.pg.lg_regclass_in` / `lg_regclass_out`, …, in `functions_names.sql`):
//!
//! - `'pg_catalog.pg_class'::regclass`, `CAST($2 AS REGCLASS)`, `CAST(f(...) AS REGCLASS)` (a name)
//!   → `lg_regclass_in(…)`;
//! - `c.oid::regclass` in a WHERE clause (an OID already) → `c.oid`;
//! - `c.oid::regclass::text`, and `c.oid::regclass` as a result column (PostgreSQL prints the
//!   name) → `lg_regclass_out(c.oid)`.
//!
//! SQLAlchemy: `pg_catalog.pg_description.classoid = CAST($2 AS REGCLASS)` (with $2 = 'pg_class');
//! psql `\d`: `SELECT c.oid::pg_catalog.regclass FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i`,
//! `c.reloftype::pg_catalog.regtype::pg_catalog.text`,
//! `stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS nsp`; asyncpg: `t.oid::regtype::text`.

use sqlparser::ast::{DataType, Expr, Select, SelectItem, Value, ValueWithSpan};

use super::{Context, Rule, cast, catalogue_call, name_parts};

pub struct RegCasts;

/// The reg* type a data type names, as the stem of its macros ("regclass" → lg_regclass_in).
pub fn reg_kind(data_type: &DataType) -> Option<&'static str> {
    let name = match data_type {
        DataType::Regclass => return Some("regclass"),
        DataType::Custom(name, modifiers) if modifiers.is_empty() => name_parts(name)?,
        _ => return None,
    };
    let last = match name.as_slice() {
        [t] => t.as_str(),
        [schema, t] if schema == "pg_catalog" => t.as_str(),
        _ => return None,
    };
    Some(match last {
        "regclass" => "regclass",
        "regtype" => "regtype",
        "regnamespace" => "regnamespace",
        "regrole" => "regrole",
        "regproc" | "regprocedure" | "regoper" | "regoperator" | "regconfig" | "regdictionary"
        | "regcollation" => "regproc",
        _ => return None,
    })
}

/// Is this a cast target that makes text (`text`, `varchar`, `name`, `pg_catalog.text`)?
fn is_text_type(data_type: &DataType) -> bool {
    match data_type {
        DataType::Text
        | DataType::Varchar(_)
        | DataType::String(_)
        | DataType::CharacterVarying(_) => true,
        DataType::Custom(name, _) => matches!(
            name_parts(name).as_deref(),
            Some([t]) | Some([_, t]) if matches!(t.as_str(), "text" | "varchar" | "name")
        ),
        _ => false,
    }
}

/// An expression that already holds an OID (a column or a number): casting it to a reg* type
/// changes only how it prints.
fn holds_oid(expr: &Expr) -> bool {
    match expr {
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => true,
        Expr::Value(ValueWithSpan {
            value: Value::Number(..),
            ..
        }) => true,
        Expr::Nested(e) => holds_oid(e),
        _ => false,
    }
}

fn integer() -> DataType {
    DataType::Integer(None)
}

/// `expr` as an OID of the `kind` reg* type.
fn to_oid(kind: &str, expr: Expr) -> Expr {
    if holds_oid(&expr) {
        match expr {
            Expr::Value(_) => cast(expr, integer()),
            other => other,
        }
    } else {
        catalogue_call(
            &format!("lg_{kind}_in"),
            vec![cast(expr, DataType::Varchar(None))],
        )
    }
}

impl Rule for RegCasts {
    fn name(&self) -> &'static str {
        "regclass"
    }

    /// A reg* result column prints as a name, as if cast to text.
    fn select(&self, select: &mut Select, _cx: &mut Context) {
        for item in &mut select.projection {
            let expr = match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
                _ => continue,
            };
            if let Expr::Cast { data_type, .. } = &*expr
                && reg_kind(data_type).is_some()
            {
                *expr = cast(expr.clone(), DataType::Text);
            }
        }
    }

    fn pre_expr(&self, expr: &mut Expr, cx: &mut Context) {
        let Expr::Cast {
            expr: inner,
            data_type,
            ..
        } = expr
        else {
            return;
        };
        // x::regclass::text → the name.
        if is_text_type(data_type)
            && let Expr::Cast {
                expr: value,
                data_type: reg,
                ..
            } = inner.as_ref()
            && let Some(kind) = reg_kind(reg)
        {
            let oid = to_oid(kind, (**value).clone());
            *expr = catalogue_call(&format!("lg_{kind}_out"), vec![oid]);
            cx.changed = true;
            return;
        }
        // x::regclass → the OID.
        if let Some(kind) = reg_kind(data_type) {
            *expr = to_oid(kind, (**inner).clone());
            cx.changed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::rewritten;

    #[test]
    fn names_become_oids() {
        assert_eq!(
            rewritten(
                "SELECT 1 AS \"?column?\" FROM pg_catalog.pg_description d WHERE d.classoid = CAST($2 AS REGCLASS)"
            ),
            "SELECT 1 AS \"?column?\" FROM lakegate.pg.pg_description d WHERE d.classoid = lakegate.pg.lg_regclass_in(CAST($2 AS VARCHAR))"
        );
        assert_eq!(
            rewritten("SELECT 'pg_catalog.pg_class'::regclass AS c"),
            // A result column prints the name back, as PostgreSQL does.
            "SELECT lakegate.pg.lg_regclass_out(lakegate.pg.lg_regclass_in(CAST('pg_catalog.pg_class' AS VARCHAR))) AS c"
        );
        assert_eq!(
            rewritten(
                "SELECT 1 AS \"?column?\" FROM t WHERE x = '16393'::regclass AND y = 23::regtype"
            ),
            "SELECT 1 AS \"?column?\" FROM t WHERE x = lakegate.pg.lg_regclass_in(CAST('16393' AS VARCHAR)) AND y = CAST(23 AS INTEGER)"
        );
    }

    #[test]
    fn oids_print_as_names() {
        assert_eq!(
            rewritten(
                "SELECT CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END FROM pg_catalog.pg_class c"
            ),
            "SELECT CASE WHEN c.reloftype = 0 THEN '' ELSE lakegate.pg.lg_regtype_out(c.reloftype) END AS \"reloftype\" FROM lakegate.pg.pg_class c"
        );
        assert_eq!(
            rewritten(
                "SELECT stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS nsp FROM pg_catalog.pg_statistic_ext"
            ),
            "SELECT lakegate.pg.lg_regnamespace_out(stxnamespace) AS nsp FROM lakegate.pg.pg_statistic_ext"
        );
        assert_eq!(
            rewritten(
                "SELECT c.oid::pg_catalog.regclass FROM pg_catalog.pg_class c ORDER BY c.oid::pg_catalog.regclass::pg_catalog.text"
            ),
            "SELECT lakegate.pg.lg_regclass_out(c.oid) AS \"oid\" FROM lakegate.pg.pg_class c ORDER BY lakegate.pg.lg_regclass_out(c.oid)"
        );
    }

    #[test]
    fn oid_columns_compared_as_regclass_stay_oids() {
        assert_eq!(
            rewritten(
                "SELECT 1 AS \"?column?\" FROM pg_catalog.pg_class c WHERE c.oid::regclass = 5"
            ),
            "SELECT 1 AS \"?column?\" FROM lakegate.pg.pg_class c WHERE c.oid = 5"
        );
    }
}
