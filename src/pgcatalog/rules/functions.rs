//! PostgreSQL functions → the emulation's macros (`lakegate.pg.<name>`) or DuckDB's own:
//!
//! - a function of [`names::PG_FUNCTIONS`], `pg_catalog.`-qualified or not, is the macro: DuckDB
//!   lacks it (`pg_get_userbyid`, `obj_description`, `col_description`, `pg_table_is_visible`, …)
//!   or answers differently under the same name (`version()` must be a PostgreSQL banner,
//!   `format_type` must know PostgreSQL's type OIDs, `current_setting` the session's parameters);
//! - a function of [`names::RENAMED_FUNCTIONS`] is DuckDB's function of another name;
//! - any other `pg_catalog.f(…)` is DuckDB's `f` (`pg_catalog.array_to_string`, `unnest`, `rtrim`).
//!
//! A bare parameter (`to_regtype($1)`) gets a type: DuckDB cannot infer a parameter's type through a
//! macro, and leaves such a statement unbound until execution (its result columns unknown when the
//! client asks for them). Names and settings are text, everything else is a number (an OID).
//!
//! psql `\dt+`: `pg_catalog.pg_get_userbyid(c.relowner)`,
//! `pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid))`,
//! `pg_catalog.obj_description(c.oid, 'pg_class')`; SQLAlchemy: `SELECT pg_catalog.version()`,
//! `pg_catalog.pg_get_constraintdef(…)`; asyncpg: `current_setting('jit')`; psql `\du`:
//! `SELECT current_user`-style keyword functions.

use sqlparser::ast::{
    DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments, Value,
};

use super::{Context, Rule, cast, catalogue_name, name_parts, object_name};

/// Emulated functions whose parameters are names, settings or privileges (text).
const TEXT_ARGUMENTS: &[&str] = &[
    "current_setting",
    "has_any_column_privilege",
    "has_column_privilege",
    "has_database_privilege",
    "has_function_privilege",
    "has_schema_privilege",
    "has_sequence_privilege",
    "has_table_privilege",
    "like_escape",
    "pg_char_to_encoding",
    "pg_get_serial_sequence",
    "quote_ident",
    "set_config",
    "to_regclass",
    "to_regnamespace",
    "to_regproc",
    "to_regrole",
    "to_regtype",
];

/// Gives each bare `$n` argument a type.
fn type_placeholders(name: &str, args: &mut FunctionArguments) {
    let FunctionArguments::List(list) = args else {
        return;
    };
    for (i, arg) in list.args.iter_mut().enumerate() {
        if let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg
            && matches!(e, Expr::Value(v) if matches!(v.value, Value::Placeholder(_)))
        {
            // obj_description(oid, catalogue name): an OID, then a name.
            let text = TEXT_ARGUMENTS.contains(&name)
                || (matches!(name, "obj_description" | "shobj_description") && i == 1);
            let data_type = if text {
                DataType::Varchar(None)
            } else {
                DataType::BigInt(None)
            };
            *e = cast(e.clone(), data_type);
        }
    }
}
use crate::pgcatalog::names;

pub struct CatalogueFunctions;

impl Rule for CatalogueFunctions {
    fn name(&self) -> &'static str {
        "functions"
    }

    fn post_expr(&self, expr: &mut Expr, cx: &mut Context) {
        let Expr::Function(function) = expr else {
            return;
        };
        let Some(parts) = name_parts(&function.name) else {
            return;
        };
        let (qualified, name) = match parts.as_slice() {
            [f] => (false, f.as_str()),
            [schema, f] if schema == "pg_catalog" => (true, f.as_str()),
            _ => return,
        };
        if names::is_pg_function(name) {
            function.name = catalogue_name(name);
            type_placeholders(name, &mut function.args);
            // Keyword functions (`current_user`, `session_user`) have no argument list; a
            // macro call needs one.
            if matches!(function.args, FunctionArguments::None) {
                function.args = FunctionArguments::List(FunctionArgumentList {
                    duplicate_treatment: None,
                    args: vec![],
                    clauses: vec![],
                });
            }
        } else if let Some(duck) = names::renamed_function(name) {
            function.name = object_name(&[duck]);
        } else if qualified {
            function.name = object_name(&[name]);
        } else {
            return;
        }
        cx.changed = true;
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::rewritten;

    #[test]
    fn postgres_functions_are_the_macros() {
        assert_eq!(
            rewritten(
                "SELECT pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\", pg_catalog.obj_description(c.oid, 'pg_class') as \"Description\" FROM pg_catalog.pg_class c"
            ),
            "SELECT lakegate.pg.pg_get_userbyid(c.relowner) AS \"Owner\", lakegate.pg.obj_description(c.oid, 'pg_class') AS \"Description\" FROM lakegate.pg.pg_class c"
        );
        assert_eq!(
            rewritten(
                "SELECT current_setting('jit') AS cur, set_config('jit', 'off', false) AS new"
            ),
            "SELECT lakegate.pg.current_setting('jit') AS cur, lakegate.pg.set_config('jit', 'off', false) AS new"
        );
        assert_eq!(
            rewritten("SELECT current_user, version()"),
            "SELECT lakegate.pg.current_user() AS \"current_user\", lakegate.pg.version() AS \"version\""
        );
    }

    #[test]
    fn bare_parameters_get_a_type() {
        assert_eq!(
            rewritten(
                "SELECT typname FROM pg_type t WHERE t.oid = to_regtype($1) AND pg_type_is_visible($2)"
            ),
            "SELECT typname FROM lakegate.pg.pg_type t WHERE t.oid = lakegate.pg.to_regtype(CAST($1 AS VARCHAR)) AND lakegate.pg.pg_type_is_visible(CAST($2 AS BIGINT))"
        );
    }

    #[test]
    fn other_qualified_functions_are_duckdbs() {
        assert_eq!(
            rewritten(
                "SELECT pg_catalog.array_to_string(d.datacl, E'\\n') AS a FROM pg_catalog.pg_database d"
            ),
            "SELECT array_to_string(d.datacl, E'\\n') AS a FROM lakegate.pg.pg_database d"
        );
    }
}
