//! A query over `pg_attribute` without ORDER BY gets `ORDER BY attrelid, attnum`: PostgreSQL
//! answers such a query in its heap order, which is column order, and clients rely on it; DuckDB's
//! joins return rows in any order.
//!
//! RPostgreSQL's `dbListFields` (the fields come back in the table's column order in PostgreSQL):
//! ```sql
//! select a.attname from pg_attribute a, pg_class c, pg_tables t, pg_namespace nsp
//! where a.attrelid = c.oid and c.relname = tablename and c.relnamespace = nsp.oid and a.attnum > 0
//!   and nspname = current_schema() and schemaname = nspname and tablename = 'deprivation_index'
//! ```
//!
//! Only for a plain top-level SELECT (no DISTINCT, grouping, aggregates, set operation or LIMIT),
//! where adding an order cannot change what is returned.

use sqlparser::ast::{
    Expr, GroupByExpr, Ident, OrderBy, OrderByExpr, OrderByKind, OrderByOptions, Query, Select,
    SelectItem, SetExpr, TableFactor,
};

use super::{Context, Rule, ident, name_parts};
use crate::pgcatalog::CATALOGUE_DB;

pub struct HeapOrder;

const AGGREGATES: &[&str] = &[
    "count",
    "sum",
    "min",
    "max",
    "avg",
    "array_agg",
    "string_agg",
    "bool_and",
    "bool_or",
    "json_agg",
    "jsonb_agg",
];

fn has_aggregate(select: &Select) -> bool {
    select.projection.iter().any(|item| {
        let (SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. }) = item else {
            return false;
        };
        let text = e.to_string().to_ascii_lowercase();
        AGGREGATES.iter().any(|a| text.contains(&format!("{a}(")))
    })
}

/// How the query names pg_attribute (its alias, or its full name), if it reads it.
fn pg_attribute_qualifier(select: &Select) -> Option<Vec<Ident>> {
    let mut factors = vec![];
    for t in &select.from {
        factors.push(&t.relation);
        factors.extend(t.joins.iter().map(|j| &j.relation));
    }
    factors.into_iter().find_map(|f| match f {
        TableFactor::Table {
            name,
            alias,
            args: None,
            ..
        } if name_parts(name).as_deref()
            == Some(&[CATALOGUE_DB.to_string(), "pg".into(), "pg_attribute".into()][..]) =>
        {
            Some(match alias {
                Some(a) => vec![a.name.clone()],
                None => vec![ident(CATALOGUE_DB), ident("pg"), ident("pg_attribute")],
            })
        }
        _ => None,
    })
}

fn column(qualifier: &[Ident], name: &str) -> OrderByExpr {
    let mut parts = qualifier.to_vec();
    parts.push(ident(name));
    OrderByExpr {
        expr: Expr::CompoundIdentifier(parts),
        options: OrderByOptions {
            sort: None,
            nulls_first: None,
        },
        with_fill: None,
    }
}

impl Rule for HeapOrder {
    fn name(&self) -> &'static str {
        "heap_order"
    }

    fn post_query(&self, query: &mut Query, cx: &mut Context) {
        if cx.ctes.len() != 1 || query.order_by.is_some() || query.limit_clause.is_some() {
            return;
        }
        let SetExpr::Select(select) = query.body.as_ref() else {
            return;
        };
        let grouped = !matches!(&select.group_by, GroupByExpr::Expressions(e, _) if e.is_empty());
        if select.distinct.is_some() || grouped || select.having.is_some() || has_aggregate(select)
        {
            return;
        }
        let Some(qualifier) = pg_attribute_qualifier(select) else {
            return;
        };
        query.order_by = Some(OrderBy {
            kind: OrderByKind::Expressions(vec![
                column(&qualifier, "attrelid"),
                column(&qualifier, "attnum"),
            ]),
            interpolate: None,
        });
        cx.changed = true;
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::rewritten;

    #[test]
    fn attributes_come_in_column_order() {
        assert_eq!(
            rewritten(
                "select a.attname from pg_attribute a, pg_class c where a.attrelid = c.oid and c.relname = 't'"
            ),
            "SELECT a.attname FROM lakegate.pg.pg_attribute a, lakegate.pg.pg_class c WHERE a.attrelid = c.oid AND c.relname = 't' ORDER BY a.attrelid, a.attnum"
        );
        // Ordered, aggregated or limited queries are left alone.
        assert_eq!(
            rewritten("select count(*) from pg_attribute"),
            "SELECT count(*) AS \"count\" FROM lakegate.pg.pg_attribute"
        );
    }
}
