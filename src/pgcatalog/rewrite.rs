//! The rewrite driver: lexical fast path → sqlparser (PostgreSQL dialect) → the rules, in order,
//! over the parse tree → print. A statement no rule changed is returned as the client wrote it
//! (never re-printed), so the rewrite can only touch what it understands.

use sqlparser::ast::{Expr, Ident, Query, Select, SelectItem, SetExpr, Statement, TableFactor};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::rules::{self, Context};
use super::walk::{self, Visitor};

/// Words whose presence makes a statement worth parsing (matched case-insensitively anywhere in
/// the text, so a false positive only costs a parse). Everything the rules act on contains one:
/// catalogue names (`pg_`, `information_schema`), the reg* types, PostgreSQL's regex operators
/// (`~`, `OPERATOR(…)`), `COLLATE`, and the emulated functions whose names do not start with `pg_`.
const TRIGGERS: &[&str] = &[
    "pg_",
    "information_schema",
    "regclass",
    "regtype",
    "regnamespace",
    "regproc",
    "regrole",
    "regoper",
    "regconfig",
    "regdictionary",
    "~",
    "operator",
    "collate",
    "version",
    "current_setting",
    "set_config",
    "current_schema",
    "current_user",
    "current_role",
    "session_user",
    "current_database",
    "current_catalog",
    "_description",
    "format_type",
    "quote_ident",
    "_privilege",
    "array_upper",
    "array_lower",
    "like_escape",
    "json_build_object",
    "jsonb_build_object",
    "inet_",
    "txid_current",
];

/// Does `sql` possibly need a rewrite? Cheap: one lower-casing pass and substring searches.
pub fn mentions_catalogue(sql: &str) -> bool {
    // A query without any letter of the triggers' alphabet cannot contain one; the common tiny
    // queries ("SELECT 1", "SELECT * FROM t WHERE a = $1") pass through after one pass.
    let lower = sql.to_ascii_lowercase();
    TRIGGERS.iter().any(|t| lower.contains(t))
}

/// Rewrites one statement; `None` when it needs no rewrite or cannot be parsed.
pub fn rewrite(sql: &str) -> Option<String> {
    if !mentions_catalogue(sql) {
        return None;
    }
    let mut statements = Parser::parse_sql(&PostgreSqlDialect {}, sql).ok()?;
    if statements.len() != 1 {
        return None;
    }
    let mut statement = statements.pop()?;
    let top_names = top_level_names(&statement);
    let mut visitor = Apply {
        cx: Context::default(),
    };
    walk::statement(&mut visitor, &mut statement);
    if !visitor.cx.changed {
        return None;
    }
    restore_top_level_names(&mut statement, &top_names);
    Some(statement.to_string())
}

/// Runs every rule at every node (see [`rules::RULES`] for the order).
struct Apply {
    cx: Context,
}

impl Visitor for Apply {
    fn pre_query(&mut self, query: &mut Query) {
        let names = query
            .with
            .as_ref()
            .map(|w| {
                w.cte_tables
                    .iter()
                    .map(|c| c.alias.name.value.to_ascii_lowercase())
                    .collect()
            })
            .unwrap_or_default();
        self.cx.ctes.push(names);
    }

    fn post_query(&mut self, query: &mut Query) {
        for rule in rules::RULES {
            rule.post_query(query, &mut self.cx);
        }
        self.cx.ctes.pop();
    }

    fn pre_select(&mut self, select: &mut Select) {
        for rule in rules::RULES {
            rule.select(select, &mut self.cx);
        }
    }

    fn table_factor(&mut self, table: &mut TableFactor) {
        for rule in rules::RULES {
            rule.table_factor(table, &mut self.cx);
        }
    }

    fn pre_expr(&mut self, expr: &mut Expr) {
        for rule in rules::RULES {
            rule.pre_expr(expr, &mut self.cx);
        }
    }

    fn post_expr(&mut self, expr: &mut Expr) {
        for rule in rules::RULES {
            rule.post_expr(expr, &mut self.cx);
        }
    }
}

/// The first SELECT of a statement's top-level query: the one whose column names the client sees.
fn top_select(statement: &mut Statement) -> Option<&mut Select> {
    let Statement::Query(query) = statement else {
        return None;
    };
    let mut body = query.body.as_mut();
    loop {
        match body {
            SetExpr::Select(select) => return Some(select),
            SetExpr::SetOperation { left, .. } => body = left.as_mut(),
            SetExpr::Query(q) => body = q.body.as_mut(),
            _ => return None,
        }
    }
}

/// PostgreSQL's name for each unaliased result column of the top-level SELECT (`None` for items
/// that keep their name whatever a rule does: aliased ones, plain columns, wildcards).
fn top_level_names(statement: &Statement) -> Vec<Option<String>> {
    let mut copy = statement.clone();
    let Some(select) = top_select(&mut copy) else {
        return vec![];
    };
    select
        .projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(Expr::Identifier(_) | Expr::CompoundIdentifier(_)) => None,
            SelectItem::UnnamedExpr(e) => Some(pg_column_name(e)),
            _ => None,
        })
        .collect()
}

/// Gives rewritten top-level expressions the names PostgreSQL would have given the originals
/// (DuckDB names an unaliased expression after its text: `lakegate.pg.version()`, not `version`).
fn restore_top_level_names(statement: &mut Statement, names: &[Option<String>]) {
    let Some(select) = top_select(statement) else {
        return;
    };
    for (item, name) in select.projection.iter_mut().zip(names) {
        // An untyped NULL result column is text in PostgreSQL (SQLAlchemy: `NULL AS relhasoids`).
        if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item
            && matches!(e, Expr::Value(v) if v.value == sqlparser::ast::Value::Null)
        {
            *e = rules::cast(e.clone(), sqlparser::ast::DataType::Varchar(None));
        }
        let (Some(name), SelectItem::UnnamedExpr(expr)) = (name, &*item) else {
            continue;
        };
        *item = SelectItem::ExprWithAlias {
            expr: expr.clone(),
            alias: Ident::with_quote('"', name.clone()),
        };
    }
}

/// PostgreSQL's FigureColname: the name a result column gets from its expression. Each rule
/// below returns the name with PostgreSQL's "strength" (2: a column or function name, 1: a type
/// name or "case", 0: none), as `FigureColnameInternal` does: a CASE is named after its ELSE
/// branch when that has a strong name, a cast after its argument when that has one.
pub fn pg_column_name(expr: &Expr) -> String {
    fn figure(expr: &Expr) -> (Option<String>, u8) {
        let strong = |s: &str| (Some(s.to_string()), 2);
        match expr {
            Expr::Identifier(i) => strong(&i.value),
            Expr::CompoundIdentifier(parts) => match parts.last() {
                Some(i) => strong(&i.value),
                None => (None, 0),
            },
            Expr::Function(f) => match f.name.0.last().and_then(|p| p.as_ident()) {
                Some(i) => strong(&i.value.to_ascii_lowercase()),
                None => (None, 0),
            },
            Expr::Cast {
                expr, data_type, ..
            } => {
                let inner = figure(expr);
                if inner.1 > 1 {
                    inner
                } else {
                    (Some(type_column_name(&data_type.to_string())), 1)
                }
            }
            Expr::TypedString(t) => (Some(type_column_name(&t.data_type.to_string())), 1),
            Expr::Nested(e) | Expr::Collate { expr: e, .. } => figure(e),
            Expr::Case { else_result, .. } => match else_result.as_deref().map(figure) {
                Some(named) if named.1 > 1 => named,
                _ => (Some("case".into()), 1),
            },
            Expr::Trim { trim_where, .. } => strong(match trim_where {
                Some(sqlparser::ast::TrimWhereField::Leading) => "ltrim",
                Some(sqlparser::ast::TrimWhereField::Trailing) => "rtrim",
                _ => "btrim",
            }),
            Expr::Substring { .. } => strong("substring"),
            Expr::Position { .. } => strong("position"),
            Expr::Extract { .. } => strong("extract"),
            Expr::Exists { .. } => strong("exists"),
            Expr::Array(_) => strong("array"),
            Expr::Subquery(q) => match q.body.as_ref() {
                SetExpr::Select(s) => match s.projection.first() {
                    Some(SelectItem::UnnamedExpr(e)) => figure(e),
                    Some(SelectItem::ExprWithAlias { alias, .. }) => strong(&alias.value),
                    _ => (None, 0),
                },
                _ => (None, 0),
            },
            _ => (None, 0),
        }
    }
    figure(expr).0.unwrap_or_else(|| "?column?".to_string())
}

/// The column name PostgreSQL gives a cast to `type_sql` ("integer" → "int4").
fn type_column_name(type_sql: &str) -> String {
    let t = type_sql.to_ascii_lowercase();
    let t = t
        .rsplit('.')
        .next()
        .unwrap_or(&t)
        .trim_matches('"')
        .to_string();
    let base = t.split(['(', '[']).next().unwrap_or("").trim().to_string();
    match base.as_str() {
        "integer" | "int" => "int4".into(),
        "smallint" => "int2".into(),
        "bigint" => "int8".into(),
        "boolean" => "bool".into(),
        "real" => "float4".into(),
        "double precision" => "float8".into(),
        "character varying" => "varchar".into(),
        "timestamp with time zone" => "timestamptz".into(),
        "timestamp without time zone" | "timestamp" => "timestamp".into(),
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_queries_are_not_parsed() {
        assert!(!mentions_catalogue("SELECT 1"));
        assert!(!mentions_catalogue(
            "SELECT la_code, region_name, current_rating FROM local_authorities WHERE a = $1"
        ));
        assert!(mentions_catalogue("select * from PG_CLASS"));
        assert!(mentions_catalogue("SELECT version()"));
        assert_eq!(rewrite("SELECT * FROM local_authorities"), None);
    }

    #[test]
    fn unparsable_and_untouched_queries_pass_unchanged() {
        // DuckDB-only syntax sqlparser cannot read.
        assert_eq!(rewrite("FROM pg_class SELECT 1"), None);
        // Mentions a trigger word but needs nothing.
        assert_eq!(rewrite("SELECT version FROM releases"), None);
    }

    #[test]
    fn rewritten_columns_keep_postgres_names() {
        assert_eq!(
            rewrite("SELECT pg_catalog.version()").as_deref(),
            Some("SELECT lakegate.pg.version() AS \"version\"")
        );
        assert_eq!(
            rewrite("SELECT c.oid::pg_catalog.regclass FROM pg_catalog.pg_class c").as_deref(),
            Some(
                "SELECT lakegate.pg.lg_regclass_out(c.oid) AS \"oid\" FROM lakegate.pg.pg_class c"
            )
        );
    }
}
