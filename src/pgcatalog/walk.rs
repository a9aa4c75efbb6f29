//! A mutable walk over the parts of sqlparser's tree that a SELECT can hold, calling a
//! [`Visitor`]'s hooks. (sqlparser's own `VisitorMut` needs its `visitor` feature, whose derive
//! crate for sqlparser 0.64 is not available from the registry this project builds from; and a
//! catalogue query needs only the SELECT side of the tree.)
//!
//! Order: [`Visitor::pre_query`] / [`Visitor::post_query`] around a query;
//! [`Visitor::pre_select`] before a SELECT's parts; [`Visitor::table_factor`] before a FROM item's
//! parts; [`Visitor::pre_expr`] before an expression's children and [`Visitor::post_expr`] after
//! them. A node replaced by a `pre_` hook is walked as it is after the replacement. Kinds of
//! node not listed here (DuckDB-foreign syntax such as JSON tables) are left unvisited.

use sqlparser::ast::{
    AccessExpr, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentClause,
    FunctionArguments, GroupByExpr, InTarget, JoinConstraint, JoinOperator, LimitClause, OrderBy,
    OrderByKind, Query, Select, SelectItem, SetExpr, Statement, Subscript, TableFactor,
    TableWithJoins, WindowType,
};

pub trait Visitor {
    fn pre_query(&mut self, _query: &mut Query) {}
    fn post_query(&mut self, _query: &mut Query) {}
    fn pre_select(&mut self, _select: &mut Select) {}
    fn table_factor(&mut self, _table: &mut TableFactor) {}
    fn pre_expr(&mut self, _expr: &mut Expr) {}
    fn post_expr(&mut self, _expr: &mut Expr) {}
}

pub fn statement<V: Visitor>(v: &mut V, s: &mut Statement) {
    if let Statement::Query(q) = s {
        query(v, q);
    }
}

pub fn query<V: Visitor>(v: &mut V, q: &mut Query) {
    v.pre_query(q);
    if let Some(with) = &mut q.with {
        for cte in &mut with.cte_tables {
            query(v, &mut cte.query);
        }
    }
    set_expr(v, &mut q.body);
    if let Some(order_by) = &mut q.order_by {
        order_by_clause(v, order_by);
    }
    match &mut q.limit_clause {
        Some(LimitClause::LimitOffset {
            limit,
            offset,
            limit_by,
        }) => {
            if let Some(l) = limit {
                expr(v, l);
            }
            if let Some(o) = offset {
                expr(v, &mut o.value);
            }
            limit_by.iter_mut().for_each(|e| expr(v, e));
        }
        Some(LimitClause::OffsetCommaLimit { offset, limit }) => {
            expr(v, offset);
            expr(v, limit);
        }
        None => {}
    }
    v.post_query(q);
}

fn order_by_clause<V: Visitor>(v: &mut V, order_by: &mut OrderBy) {
    if let OrderByKind::Expressions(items) = &mut order_by.kind {
        for item in items {
            expr(v, &mut item.expr);
        }
    }
}

fn set_expr<V: Visitor>(v: &mut V, body: &mut SetExpr) {
    match body {
        SetExpr::Select(s) => select(v, s),
        SetExpr::Query(q) => query(v, q),
        SetExpr::SetOperation { left, right, .. } => {
            set_expr(v, left);
            set_expr(v, right);
        }
        SetExpr::Values(values) => {
            for row in &mut values.rows {
                row.iter_mut().for_each(|e| expr(v, e));
            }
        }
        _ => {}
    }
}

fn select<V: Visitor>(v: &mut V, s: &mut Select) {
    v.pre_select(s);
    if let Some(sqlparser::ast::Distinct::On(exprs)) = &mut s.distinct {
        exprs.iter_mut().for_each(|e| expr(v, e));
    }
    for item in &mut s.projection {
        match item {
            SelectItem::UnnamedExpr(e)
            | SelectItem::ExprWithAlias { expr: e, .. }
            | SelectItem::ExprWithAliases { expr: e, .. } => expr(v, e),
            _ => {}
        }
    }
    for t in &mut s.from {
        table_with_joins(v, t);
    }
    if let Some(e) = &mut s.selection {
        expr(v, e);
    }
    if let GroupByExpr::Expressions(exprs, _) = &mut s.group_by {
        exprs.iter_mut().for_each(|e| expr(v, e));
    }
    if let Some(e) = &mut s.having {
        expr(v, e);
    }
    if let Some(e) = &mut s.qualify {
        expr(v, e);
    }
}

fn table_with_joins<V: Visitor>(v: &mut V, t: &mut TableWithJoins) {
    table_factor(v, &mut t.relation);
    for join in &mut t.joins {
        table_factor(v, &mut join.relation);
        let constraint = match &mut join.join_operator {
            JoinOperator::Join(c)
            | JoinOperator::Inner(c)
            | JoinOperator::Left(c)
            | JoinOperator::LeftOuter(c)
            | JoinOperator::Right(c)
            | JoinOperator::RightOuter(c)
            | JoinOperator::FullOuter(c)
            | JoinOperator::CrossJoin(c)
            | JoinOperator::Semi(c)
            | JoinOperator::LeftSemi(c)
            | JoinOperator::RightSemi(c)
            | JoinOperator::Anti(c)
            | JoinOperator::LeftAnti(c)
            | JoinOperator::RightAnti(c) => Some(c),
            JoinOperator::AsOf {
                match_condition,
                constraint,
            } => {
                expr(v, match_condition);
                Some(constraint)
            }
            _ => None,
        };
        if let Some(JoinConstraint::On(e)) = constraint {
            expr(v, e);
        }
    }
}

fn table_factor<V: Visitor>(v: &mut V, t: &mut TableFactor) {
    v.table_factor(t);
    match t {
        TableFactor::Table {
            args: Some(args), ..
        } => function_args(v, &mut args.args),
        TableFactor::Derived { subquery, .. } => query(v, subquery),
        TableFactor::TableFunction { expr: e, .. } => expr(v, e),
        TableFactor::Function { args, .. } => function_args(v, args),
        TableFactor::UNNEST { array_exprs, .. } => array_exprs.iter_mut().for_each(|e| expr(v, e)),
        TableFactor::NestedJoin {
            table_with_joins: t,
            ..
        } => table_with_joins(v, t),
        _ => {}
    }
}

fn function_args<V: Visitor>(v: &mut V, args: &mut [FunctionArg]) {
    for arg in args {
        let a = match arg {
            FunctionArg::Named { arg, .. }
            | FunctionArg::ExprNamed { arg, .. }
            | FunctionArg::Unnamed(arg) => arg,
        };
        if let FunctionArgExpr::Expr(e) = a {
            expr(v, e);
        }
    }
}

fn function<V: Visitor>(v: &mut V, f: &mut Function) {
    for args in [&mut f.parameters, &mut f.args] {
        match args {
            FunctionArguments::List(list) => {
                function_args(v, &mut list.args);
                for clause in &mut list.clauses {
                    match clause {
                        FunctionArgumentClause::OrderBy(items) => {
                            items.iter_mut().for_each(|i| expr(v, &mut i.expr))
                        }
                        FunctionArgumentClause::Where(e) | FunctionArgumentClause::Limit(e) => {
                            expr(v, e)
                        }
                        _ => {}
                    }
                }
            }
            FunctionArguments::Subquery(q) => query(v, q),
            FunctionArguments::None => {}
        }
    }
    if let Some(filter) = &mut f.filter {
        expr(v, filter);
    }
    if let Some(WindowType::WindowSpec(spec)) = &mut f.over {
        spec.partition_by.iter_mut().for_each(|e| expr(v, e));
        spec.order_by.iter_mut().for_each(|i| expr(v, &mut i.expr));
    }
    f.within_group.iter_mut().for_each(|i| expr(v, &mut i.expr));
}

pub fn expr<V: Visitor>(v: &mut V, e: &mut Expr) {
    v.pre_expr(e);
    match e {
        Expr::CompoundFieldAccess { root, access_chain } => {
            expr(v, root);
            for access in access_chain {
                match access {
                    AccessExpr::Dot(e) => expr(v, e),
                    AccessExpr::Subscript(Subscript::Index { index }) => expr(v, index),
                    AccessExpr::Subscript(Subscript::Slice {
                        lower_bound,
                        upper_bound,
                        stride,
                    }) => {
                        for b in [lower_bound, upper_bound, stride].into_iter().flatten() {
                            expr(v, b);
                        }
                    }
                }
            }
        }
        Expr::IsFalse(x)
        | Expr::IsNotFalse(x)
        | Expr::IsTrue(x)
        | Expr::IsNotTrue(x)
        | Expr::IsNull(x)
        | Expr::IsNotNull(x)
        | Expr::IsUnknown(x)
        | Expr::IsNotUnknown(x)
        | Expr::Nested(x)
        | Expr::UnaryOp { expr: x, .. }
        | Expr::Cast { expr: x, .. }
        | Expr::Extract { expr: x, .. }
        | Expr::Ceil { expr: x, .. }
        | Expr::Floor { expr: x, .. }
        | Expr::Collate { expr: x, .. }
        | Expr::Named { expr: x, .. }
        | Expr::Prefixed { value: x, .. } => expr(v, x),
        Expr::IsDistinctFrom(a, b)
        | Expr::IsNotDistinctFrom(a, b)
        | Expr::BinaryOp {
            left: a, right: b, ..
        }
        | Expr::AnyOp {
            left: a, right: b, ..
        }
        | Expr::AllOp {
            left: a, right: b, ..
        }
        | Expr::AtTimeZone {
            timestamp: a,
            time_zone: b,
        }
        | Expr::Position { expr: a, r#in: b } => {
            expr(v, a);
            expr(v, b);
        }
        Expr::Like {
            expr: a,
            pattern: b,
            escape_char,
            ..
        }
        | Expr::ILike {
            expr: a,
            pattern: b,
            escape_char,
            ..
        }
        | Expr::SimilarTo {
            expr: a,
            pattern: b,
            escape_char,
            ..
        } => {
            expr(v, a);
            expr(v, b);
            if let Some(c) = escape_char {
                expr(v, c);
            }
        }
        Expr::In {
            expr: x, target, ..
        } => {
            expr(v, x);
            match target {
                InTarget::List(list) => list.iter_mut().for_each(|e| expr(v, e)),
                InTarget::Subquery(q) => query(v, q),
                InTarget::Unnest(u) => expr(v, u),
                _ => {}
            }
        }
        Expr::Between {
            expr: x, low, high, ..
        } => {
            expr(v, x);
            expr(v, low);
            expr(v, high);
        }
        Expr::Substring {
            expr: x,
            substring_from,
            substring_for,
            ..
        } => {
            expr(v, x);
            for b in [substring_from, substring_for].into_iter().flatten() {
                expr(v, b);
            }
        }
        Expr::Trim {
            expr: x,
            trim_what,
            trim_characters,
            ..
        } => {
            expr(v, x);
            if let Some(w) = trim_what {
                expr(v, w);
            }
            if let Some(chars) = trim_characters {
                chars.iter_mut().for_each(|c| expr(v, c));
            }
        }
        Expr::Overlay {
            expr: x,
            overlay_what,
            overlay_from,
            overlay_for,
        } => {
            expr(v, x);
            expr(v, overlay_what);
            expr(v, overlay_from);
            if let Some(f) = overlay_for {
                expr(v, f);
            }
        }
        Expr::Function(f) => function(v, f),
        Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            if let Some(o) = operand {
                expr(v, o);
            }
            for c in conditions {
                expr(v, &mut c.condition);
                expr(v, &mut c.result);
            }
            if let Some(e) = else_result {
                expr(v, e);
            }
        }
        Expr::Exists { subquery, .. } | Expr::Subquery(subquery) => query(v, subquery),
        Expr::GroupingSets(sets) | Expr::Cube(sets) | Expr::Rollup(sets) => {
            sets.iter_mut().flatten().for_each(|e| expr(v, e))
        }
        Expr::Tuple(items) => items.iter_mut().for_each(|e| expr(v, e)),
        Expr::Struct { values, .. } => values.iter_mut().for_each(|e| expr(v, e)),
        Expr::Array(array) => array.elem.iter_mut().for_each(|e| expr(v, e)),
        Expr::Lambda(l) => expr(v, &mut l.body),
        _ => {}
    }
    v.post_expr(e);
}
