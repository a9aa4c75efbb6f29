//! The rewrite rules: each a small type in its own file, with a doc comment quoting the client SQL
//! that needs it, and tests as SQL-in → SQL-out pairs. [`RULES`] is the one ordered list.
//!
//! A rule acts on one node at a time, at one of five moments of the walk over the parse tree:
//! [`Rule::select`] and [`Rule::table_factor`] before the node's children, [`Rule::pre_expr`]
//! before an expression's children (so it sees `x::regclass::text` whole) and [`Rule::post_expr`]
//! after them (so it sees arguments already rewritten), and [`Rule::post_query`] after a whole
//! query. A rule that changes something sets
//! [`Context::changed`]; an unchanged statement is passed on as the client wrote it.

use sqlparser::ast::{
    DataType, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList,
    FunctionArguments, Ident, ObjectName, ObjectNamePart, Query, Select, TableFactor, Value,
    ValueWithSpan,
};
use sqlparser::tokenizer::Span;

pub mod array_concat;
pub mod array_literal;
pub mod collate;
pub mod columns;
pub mod functions;
pub mod heap_order;
pub mod json_object;
pub mod regclass;
pub mod regex;
pub mod relations;
pub mod types;

/// What a rule may know about where it is.
#[derive(Default)]
pub struct Context {
    /// The CTE names of each enclosing query (innermost last), lower-case: a relation named like
    /// one of those is the CTE, not the catalogue.
    pub ctes: Vec<Vec<String>>,
    /// Set by a rule that changed the tree.
    pub changed: bool,
}

impl Context {
    pub fn is_cte(&self, name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        self.ctes.iter().any(|scope| scope.contains(&name))
    }
}

pub trait Rule: Sync {
    fn name(&self) -> &'static str;
    fn select(&self, _select: &mut Select, _cx: &mut Context) {}
    fn table_factor(&self, _table: &mut TableFactor, _cx: &mut Context) {}
    fn pre_expr(&self, _expr: &mut Expr, _cx: &mut Context) {}
    fn post_expr(&self, _expr: &mut Expr, _cx: &mut Context) {}
    /// After a query's parts; `cx.ctes.len()` is its depth (1 = the statement's own query).
    fn post_query(&self, _query: &mut Query, _cx: &mut Context) {}
}

/// The rules, in the order they run at each node. The order matters where two rules could see the
/// same node:
///
/// 1. [`relations`] and [`columns`] first: they only rename catalogue relations (and the
///    `pg_catalog.pg_class.relname`-style references to them), which no other rule looks at.
/// 2. [`regclass`] before [`types`]: it must see `::regclass` / `::regtype` casts (and the
///    `::text` on top of them) before [`types`] maps the remaining PostgreSQL type names.
/// 3. [`regex`] and [`collate`]: psql writes `relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE
///    pg_catalog.default`; each handles its half, in either order.
/// 4. [`array_literal`], [`array_concat`] and [`json_object`] before [`functions`]: independent
///    of the others ([`json_object`] must run before [`functions`] would rename its call).
/// 5. [`functions`] after the rules that create calls to `lakegate.pg` macros (those are
///    already fully qualified, so it leaves them alone).
/// 6. [`heap_order`] acts on whole queries, after [`relations`] renamed their FROM items.
pub static RULES: &[&dyn Rule] = &[
    &relations::CatalogueRelations,
    &columns::QualifiedColumns,
    &regclass::RegCasts,
    &types::PgTypeNames,
    &regex::RegexOperators,
    &collate::DefaultCollation,
    &array_literal::PgArrayLiterals,
    &array_concat::ArrayConcat,
    &json_object::JsonBuildObject,
    &functions::CatalogueFunctions,
    &heap_order::HeapOrder,
];

// ------------------------------------------------------------------------- tree builders

pub fn ident(s: &str) -> Ident {
    Ident::new(s)
}

pub fn object_name(parts: &[&str]) -> ObjectName {
    ObjectName(
        parts
            .iter()
            .map(|p| ObjectNamePart::Identifier(ident(p)))
            .collect(),
    )
}

/// `lakegate.pg.<name>`: a relation or macro of the emulated `pg_catalog`.
pub fn catalogue_name(name: &str) -> ObjectName {
    object_name(&[super::CATALOGUE_DB, "pg", name])
}

/// A call `name(args…)`.
pub fn call(name: ObjectName, args: Vec<Expr>) -> Expr {
    Expr::Function(Function {
        name,
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args
                .into_iter()
                .map(|e| FunctionArg::Unnamed(FunctionArgExpr::Expr(e)))
                .collect(),
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

/// A call of a `lakegate.pg` macro.
pub fn catalogue_call(name: &str, args: Vec<Expr>) -> Expr {
    call(catalogue_name(name), args)
}

pub fn string_literal(s: &str) -> Expr {
    Expr::Value(ValueWithSpan {
        value: Value::SingleQuotedString(s.to_string()),
        span: Span::empty(),
    })
}

pub fn cast(expr: Expr, data_type: DataType) -> Expr {
    Expr::Cast {
        kind: sqlparser::ast::CastKind::Cast,
        expr: Box::new(expr),
        data_type,
        format: None,
    }
}

/// The lower-case identifiers of a name (`pg_catalog.pg_class` → ["pg_catalog", "pg_class"]);
/// `None` if a part is not a plain identifier.
pub fn name_parts(name: &ObjectName) -> Option<Vec<String>> {
    name.0
        .iter()
        .map(|p| p.as_ident().map(|i| i.value.to_ascii_lowercase()))
        .collect()
}

/// The string value of a string literal (any quoting PostgreSQL has).
pub fn string_value(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Value(ValueWithSpan {
            value:
                Value::SingleQuotedString(s)
                | Value::EscapedStringLiteral(s)
                | Value::DoubleQuotedString(s)
                | Value::DollarQuotedString(sqlparser::ast::DollarQuotedString { value: s, .. }),
            ..
        }) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
pub mod testing {
    /// Rewrites `sql` with all rules, or returns it unchanged (as the server would).
    pub fn rewritten(sql: &str) -> String {
        super::super::rewrite::rewrite(sql).unwrap_or_else(|| sql.to_string())
    }
}
