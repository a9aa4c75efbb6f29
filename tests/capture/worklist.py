#!/usr/bin/env python3
"""Derive the catalogue-emulation work list from the captured client statements.

Usage: worklist.py --queries-dir tests/client_queries [--catalog-columns cols.json] --out WORKLIST.md

Parses every captured statement with pglast (libpg_query: the real PostgreSQL grammar; install with
`pip install pglast`) and lists, with the clients that use each:
  statement kinds, SET/SHOW/current_setting/set_config settings, catalogue relations (pg_catalog and
  information_schema) and the columns read from each, functions (with aggregate/window/variadic
  flags), functions used in FROM, casts (:: and CAST), operators (including OPERATOR(schema.op)
  and op ANY/ALL), sub-link kinds (ARRAY(SELECT ...), EXISTS, IN/ANY (SELECT ...), scalar),
  COLLATE clauses, SQL value functions (current_user, ...), and other syntax (WITH RECURSIVE,
  WITH ORDINALITY, window clauses, FILTER, LATERAL, UNION, DISTINCT ON, array subscripts, ...).

--catalog-columns is a JSON object {"schema.relation": [column, ...]} dumped from a real server
(capture_client_queries.sh writes it); with it, unqualified column references are attributed to
the catalogue relations of the statement that have a column of that name.
"""

import argparse
import collections
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_queries_format import read_entries  # noqa: E402

try:
    import pglast
    from pglast import ast
except ImportError:  # pragma: no cover
    sys.exit("worklist.py needs pglast (pip install pglast)")

CATALOG_SCHEMAS = ("pg_catalog", "information_schema")
SRFS = {"unnest", "generate_series", "generate_subscripts", "json_each", "jsonb_each", "regexp_matches",
        "json_array_elements", "jsonb_array_elements", "pg_get_keywords"}
ESTRING_RE = re.compile(r"(?<![A-Za-z0-9_$])[Ee]'")
TYPE_ALIASES = {"int2": "smallint", "int4": "integer", "int8": "bigint", "float4": "real",
                "float8": "double precision", "bool": "boolean", "varchar": "varchar", "bpchar": "char"}


def client_of(label):
    return label[:-len("_public")] if label.endswith("_public") else label


def names(lst):
    return [n.sval if isinstance(n, ast.String) else str(n) for n in (lst or ())]


def type_name(tn, sql=None):
    """The type as written: pg_catalog-qualified only if the SQL text spells it so (the grammar
    also qualifies SQL-standard names such as VARCHAR or INTEGER)."""
    parts = names(tn.names)
    if len(parts) == 2 and parts[0] == "pg_catalog":
        written = sql is not None and tn.location is not None and tn.location >= 0 and \
            sql[tn.location:tn.location + 11].lower() == "pg_catalog."
        parts = [parts[0] + "." + parts[1]] if written else [TYPE_ALIASES.get(parts[1], parts[1])]
    s = ".".join(parts)
    if tn.typmods:
        s += "(n)"
    if tn.arrayBounds:
        s += "[]"
    return s


def walk(node, parents=()):
    """Yield (node, parents) for every ast.Node under node."""
    if isinstance(node, ast.Node):
        yield node, parents
        for field in type(node).__slots__:
            value = getattr(node, field, None)
            if isinstance(value, (ast.Node, list, tuple)):
                yield from walk(value, parents + (node,))
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from walk(item, parents)


def const_str(node):
    if isinstance(node, ast.A_Const) and isinstance(node.val, ast.String):
        return node.val.sval
    if isinstance(node, ast.TypeCast):
        return const_str(node.arg)
    return None


class Worklist:
    def __init__(self, catalog_columns):
        self.catalog_columns = catalog_columns
        self.items = collections.defaultdict(lambda: collections.defaultdict(set))
        self.columns = collections.defaultdict(lambda: collections.defaultdict(set))
        self.parse_errors = []
        self.counts = collections.Counter()

    def add(self, category, item, client):
        self.items[category][item].add(client)

    def relation_key(self, rv, cte_names):
        schema = rv.schemaname
        rel = rv.relname
        if schema is None:
            if rel in cte_names:
                return None
            if rel.startswith("pg_"):
                schema = "pg_catalog"
            else:
                return None
        if schema not in CATALOG_SCHEMAS:
            return None
        return f"{schema}.{rel}"

    def statement(self, client, sql):
        try:
            stmts = pglast.parse_sql(sql)
        except pglast.parser.ParseError as e:
            self.parse_errors.append((client, str(e), sql[:120]))
            return
        if len(stmts) > 1:
            self.add("syntax", "several statements in one Query message (simple protocol)", client)
        if ESTRING_RE.search(sql):
            self.add("syntax", "E'...' escape string literal", client)
        for raw in stmts:
            self.sql = sql
            self.one(client, raw.stmt)

    def col_type(self, rel, col):
        cols = self.catalog_columns.get(rel) or {}
        return cols.get(col) if isinstance(cols, dict) else None

    def expr_type(self, node, aliases, relations):
        """A short description of an operand: catalogue column type, literal kind, cast, ..."""
        if isinstance(node, ast.ColumnRef):
            parts = names(node.fields)
            if len(parts) >= 2:
                rel = aliases.get(".".join(parts[:-1]))
                t = self.col_type(rel, parts[-1]) if rel else None
            else:
                found = [self.col_type(r, parts[0]) for r in set(relations) if self.col_type(r, parts[0])]
                t = found[0] if len(set(found)) == 1 else None
            return t or "column"
        if isinstance(node, ast.A_Const):
            if node.isnull:
                return "NULL"
            v = node.val
            return {"String": "'literal'", "Integer": "integer literal", "Float": "numeric literal",
                    "Boolean": "boolean literal", "BitString": "bit literal"}.get(type(v).__name__, "literal")
        if isinstance(node, ast.TypeCast):
            return type_name(node.typeName, self.sql)
        if isinstance(node, ast.ParamRef):
            return "$n"
        if isinstance(node, ast.FuncCall):
            return names(node.funcname)[-1] + "()"
        if isinstance(node, ast.SubLink):
            return "(subquery)"
        if isinstance(node, ast.A_ArrayExpr):
            inner = {self.expr_type(e, aliases, relations) for e in node.elements or ()}
            return "ARRAY[" + ", ".join(sorted(inner)) + "]"
        if isinstance(node, ast.A_Indirection):
            return "x[i]"
        if isinstance(node, ast.A_Expr):
            return "(" + ".".join(names(node.name)) + " expression)"
        return type(node).__name__

    def one(self, client, stmt):
        kind = type(stmt).__name__
        detail = kind
        if isinstance(stmt, ast.TransactionStmt):
            detail = f"TransactionStmt {stmt.kind.name.replace('TRANS_STMT_', '')}"
        elif isinstance(stmt, ast.VariableSetStmt):
            detail = "VariableSetStmt (SET)"
            self.add("settings", f"SET {stmt.name}", client)
        elif isinstance(stmt, ast.VariableShowStmt):
            detail = "VariableShowStmt (SHOW)"
            self.add("settings", f"SHOW {stmt.name}", client)
        elif isinstance(stmt, ast.CopyStmt):
            detail = f"CopyStmt ({'query' if stmt.query else 'table'} TO {'STDOUT' if not stmt.filename else 'file'})"
        elif isinstance(stmt, ast.DeclareCursorStmt):
            detail = "DeclareCursorStmt (DECLARE ... CURSOR" + (" WITH HOLD" if stmt.options & 0x20 else "") + ")"
        self.add("statements", detail, client)

        cte_names = set()
        aliases = {}
        relations = []
        for node, parents in walk(stmt):
            if isinstance(node, ast.CommonTableExpr):
                cte_names.add(node.ctename)
        for node, parents in walk(stmt):
            if isinstance(node, ast.RangeVar):
                key = self.relation_key(node, cte_names)
                if key:
                    relations.append(key)
                    self.add("relations", key, client)
                    aliases[node.alias.aliasname if node.alias else node.relname] = key
                    if node.schemaname:
                        aliases[f"{node.schemaname}.{node.relname}"] = key
        for node, parents in walk(stmt):
            if isinstance(node, ast.FuncCall):
                fname = ".".join(names(node.funcname))
                flags = []
                if node.over is not None:
                    flags.append("OVER")
                if node.agg_filter is not None:
                    flags.append("FILTER")
                if node.agg_order:
                    flags.append("ORDER BY in call")
                if node.agg_distinct:
                    flags.append("DISTINCT")
                if node.agg_star:
                    flags.append("*")
                if node.func_variadic:
                    flags.append("VARIADIC")
                if node.args and not node.agg_star:
                    sig = ", ".join(self.expr_type(a, aliases, relations) for a in node.args)
                    self.add("function_signatures", f"{fname}({sig})", client)
                in_from = any(isinstance(p, ast.RangeFunction) for p in parents[-2:])
                self.add("functions", fname + (" [" + ", ".join(flags) + "]" if flags else ""), client)
                if in_from:
                    self.add("from_functions", fname, client)
                elif fname.split(".")[-1] in SRFS:
                    self.add("syntax", f"set-returning function in SELECT list ({fname})", client)
                if fname.split(".")[-1] in ("current_setting", "set_config") and node.args:
                    s = const_str(node.args[0])
                    if s:
                        self.add("settings", f"{fname.split('.')[-1]}('{s}')", client)
            elif isinstance(node, ast.RangeFunction):
                if node.ordinality:
                    self.add("syntax", "WITH ORDINALITY", client)
                if node.lateral:
                    self.add("syntax", "LATERAL function", client)
            elif isinstance(node, ast.TypeCast):
                t = type_name(node.typeName, self.sql)
                arg = node.arg
                what = "param" if isinstance(arg, ast.ParamRef) else \
                    "literal" if isinstance(arg, ast.A_Const) else "expr"
                self.add("casts", f"{t}  (from {what})", client)
            elif isinstance(node, ast.A_Expr):
                opname = ".".join(names(node.name))
                k = node.kind.name.replace("AEXPR_", "")
                label = {
                    "OP": f"{opname}" if "." not in opname else f"OPERATOR({opname})",
                    "OP_ANY": f"{opname} ANY(array)",
                    "OP_ALL": f"{opname} ALL(array)",
                    "IN": f"{'NOT IN' if opname == '<>' else 'IN'} (list)",
                    "LIKE": "NOT LIKE" if opname == "!~~" else "LIKE",
                    "ILIKE": "NOT ILIKE" if opname == "!~~*" else "ILIKE",
                    "SIMILAR": f"SIMILAR TO ({opname})",
                    "DISTINCT": "IS DISTINCT FROM",
                    "NOT_DISTINCT": "IS NOT DISTINCT FROM",
                    "NULLIF": "NULLIF",
                    "BETWEEN": "BETWEEN",
                    "NOT_BETWEEN": "NOT BETWEEN",
                }.get(k, f"{k} {opname}")
                if node.lexpr is None and k == "OP":
                    label = f"prefix {label}"
                self.add("operators", label, client)
                if k in ("OP", "OP_ANY", "OP_ALL", "IN", "LIKE", "ILIKE") and node.lexpr is not None:
                    lt = self.expr_type(node.lexpr, aliases, relations)
                    if isinstance(node.rexpr, (list, tuple)):
                        rt = "(" + ", ".join(sorted({self.expr_type(e, aliases, relations) for e in node.rexpr})) + ")"
                    else:
                        rt = self.expr_type(node.rexpr, aliases, relations)
                    if k in ("OP_ANY", "OP_ALL"):
                        rt = f"{k[3:]}({rt})"
                    negated = opname in ("<>", "!~~", "!~~*")
                    op = {"IN": "NOT IN" if negated else "IN",
                          "LIKE": "NOT LIKE" if negated else "LIKE",
                          "ILIKE": "NOT ILIKE" if negated else "ILIKE",
                          "OP_ANY": opname, "OP_ALL": opname}.get(k, label)
                    self.add("operator_signatures", f"{lt} {op} {rt}", client)
            elif isinstance(node, ast.SubLink):
                k = node.subLinkType.name.replace("_SUBLINK", "")
                if k == "ANY":
                    label = "IN (SELECT ...)" if not node.operName else f"{'.'.join(names(node.operName))} ANY (SELECT ...)"
                else:
                    label = {"ARRAY": "ARRAY(SELECT ...)", "EXISTS": "EXISTS (SELECT ...)",
                             "EXPR": "scalar subquery (SELECT ...)", "ALL": "ALL (SELECT ...)"}.get(k, k)
                self.add("sublinks", label, client)
            elif isinstance(node, ast.CollateClause):
                self.add("syntax", f"COLLATE {'.'.join(names(node.collname))}", client)
            elif isinstance(node, ast.SQLValueFunction):
                self.add("functions", node.op.name.replace("SVFOP_", "").lower() + " (SQL value function, no parens)",
                         client)
            elif isinstance(node, ast.A_ArrayExpr):
                self.add("syntax", "ARRAY[...] constructor", client)
            elif isinstance(node, ast.A_Indirection):
                if any(isinstance(i, ast.A_Indices) for i in node.indirection):
                    self.add("syntax", "array subscript x[i]", client)
            elif isinstance(node, ast.CoalesceExpr):
                self.add("syntax", "COALESCE", client)
            elif isinstance(node, ast.CaseExpr):
                self.add("syntax", "CASE" + (" expr WHEN" if node.arg is not None else " WHEN"), client)
            elif isinstance(node, ast.MinMaxExpr):
                self.add("syntax", node.op.name.replace("IS_", ""), client)
            elif isinstance(node, ast.NullTest):
                self.add("syntax", "IS [NOT] NULL", client)
            elif isinstance(node, ast.BooleanTest):
                self.add("syntax", "IS [NOT] TRUE/FALSE", client)
            elif isinstance(node, ast.RowExpr):
                self.add("syntax", "ROW(...)", client)
            elif isinstance(node, ast.ParamRef):
                self.add("syntax", "$n parameter", client)
            elif isinstance(node, ast.WithClause):
                self.add("syntax", "WITH RECURSIVE" if node.recursive else "WITH (CTE)", client)
            elif isinstance(node, ast.RangeSubselect):
                self.add("syntax", "LATERAL subquery" if node.lateral else "subquery in FROM", client)
            elif isinstance(node, ast.JoinExpr):
                jt = node.jointype.name.replace("JOIN_", "")
                extra = " USING" if node.usingClause else " NATURAL" if node.isNatural else ""
                self.add("syntax", f"{jt} JOIN{extra}", client)
            elif isinstance(node, ast.SelectStmt):
                if node.op and node.op.name != "SETOP_NONE":
                    self.add("syntax", node.op.name.replace("SETOP_", "") + (" ALL" if node.all else ""), client)
                if node.distinctClause:
                    self.add("syntax", "DISTINCT ON" if any(node.distinctClause) else "SELECT DISTINCT", client)
                if node.fromClause and len(node.fromClause) > 1:
                    self.add("syntax", "comma join (FROM a, b)", client)
                if node.windowClause:
                    self.add("syntax", "WINDOW clause", client)
                if node.groupClause:
                    self.add("syntax", "GROUP BY", client)
                if node.havingClause is not None:
                    self.add("syntax", "HAVING", client)
                if node.limitCount is not None:
                    self.add("syntax", "LIMIT", client)
                if node.limitOffset is not None:
                    self.add("syntax", "OFFSET", client)
                if node.valuesLists:
                    self.add("syntax", "VALUES", client)
                if node.lockingClause:
                    self.add("syntax", "FOR UPDATE/SHARE", client)
                if node.sortClause:
                    self.add("syntax", "ORDER BY", client)
                    for sb in node.sortClause:
                        if isinstance(sb.node, ast.A_Const) and isinstance(sb.node.val, ast.Integer):
                            self.add("syntax", "ORDER BY <position>", client)
                        if sb.sortby_nulls and sb.sortby_nulls.name != "SORTBY_NULLS_DEFAULT":
                            self.add("syntax", "ORDER BY ... NULLS FIRST/LAST", client)
            elif isinstance(node, ast.ColumnRef):
                fields = node.fields
                if any(isinstance(f, ast.A_Star) for f in fields):
                    if len(fields) == 1:
                        for rel in set(relations):
                            self.columns[rel]["*"].add(client)
                    else:
                        rel = aliases.get(".".join(names(fields[:-1])))
                        if rel:
                            self.columns[rel]["*"].add(client)
                    continue
                parts = names(fields)
                if len(parts) >= 2:
                    rel = aliases.get(".".join(parts[:-1]))
                    if rel:
                        self.columns[rel][parts[-1]].add(client)
                elif self.catalog_columns:
                    col = parts[0]
                    for rel in set(relations):
                        if col in self.catalog_columns.get(rel, ()):
                            self.columns[rel][col].add(client)

    def render(self, per_client_counts):
        out = []
        out.append("# Catalogue work list (generated)")
        out.append("")
        out.append("Generated by `tests/capture/worklist.py` from the captured statements in this directory")
        out.append("(parsed with pglast / libpg_query).  Client names: `_public` variants are folded into their")
        out.append("client; `rpostgres` is reconstructed from source (see rpostgres.sql).  Do not edit by hand:")
        out.append("re-run `tests/capture/capture_client_queries.sh`.")
        out.append("")
        out.append("| file | statements |")
        out.append("| --- | --- |")
        for label, n in sorted(per_client_counts.items()):
            out.append(f"| {label}.sql | {n} |")
        out.append("")
        sections = [
            ("statements", "Statement kinds"),
            ("settings", "Settings read or written"),
            ("relations", "Catalogue relations"),
            ("functions", "Functions (as written; flags in brackets)"),
            ("from_functions", "Set-returning functions used in FROM"),
            ("function_signatures", "Function calls with argument kinds (catalogue column types, literals, casts, $n)"),
            ("casts", "Casts (`::type` and `CAST(... AS type)`; SQL-standard type names shown as PostgreSQL spells them)"),
            ("operators", "Operators"),
            ("operator_signatures", "Operator operand kinds (catalogue column types resolved; 'literal' = untyped string constant, i.e. an implicit coercion)"),
            ("sublinks", "Sub-queries in expressions"),
            ("syntax", "Other syntax"),
        ]
        for key, title in sections:
            out.append(f"## {title}")
            out.append("")
            out.append("| item | clients |")
            out.append("| --- | --- |")
            for item in sorted(self.items.get(key, {}), key=str.lower):
                clients = ", ".join(sorted(self.items[key][item]))
                out.append(f"| `{item}` | {clients} |")
            out.append("")
            if key == "relations":
                out.append("### Columns read from each catalogue relation")
                out.append("")
                out.append("Qualified references resolved through the statement's aliases; unqualified ones")
                out.append("attributed to every catalogue relation of the statement that has such a column.")
                out.append("")
                for rel in sorted(self.columns):
                    cols = self.columns[rel]
                    def fmt(c):
                        t = self.col_type(rel, c)
                        return f"`{c}`" + (f" {t}" if t else "") + f" ({', '.join(sorted(cols[c]))})"
                    out.append(f"* **{rel}**: " + "; ".join(fmt(c) for c in sorted(cols)))
                out.append("")
        out.append("## Per client")
        out.append("")
        out.append("The same items, inverted: what each client needs (operand-kind and syntax rows omitted).")
        out.append("")
        clients = sorted({c for cat in self.items.values() for cl in cat.values() for c in cl})
        for client in clients:
            out.append(f"### {client}")
            out.append("")
            for key, title in (("statements", "statements"), ("settings", "settings"),
                               ("relations", "relations"), ("functions", "functions"),
                               ("casts", "casts"), ("operators", "operators"), ("sublinks", "sub-queries")):
                got = sorted((i for i, cl in self.items.get(key, {}).items() if client in cl), key=str.lower)
                if got:
                    out.append(f"* {title}: " + ", ".join(f"`{i}`" for i in got))
            out.append("")
        if self.parse_errors:
            out.append("## Statements pglast could not parse")
            out.append("")
            for client, err, sql in self.parse_errors:
                out.append(f"* {client}: {err}: `{sql}`")
            out.append("")
        return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries-dir", required=True)
    ap.add_argument("--catalog-columns")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    catalog_columns = {}
    if args.catalog_columns:
        with open(args.catalog_columns, encoding="utf-8") as f:
            catalog_columns = json.load(f)
    wl = Worklist(catalog_columns)
    counts = {}
    for name in sorted(os.listdir(args.queries_dir)):
        if not name.endswith(".sql"):
            continue
        label = name[:-4]
        entries = read_entries(os.path.join(args.queries_dir, name))
        counts[label] = len(entries)
        for e in entries:
            if e["meta"].get("protocol") == "extended-fetch":
                continue  # the same portal again
            wl.statement(client_of(label), e["sql"])
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(wl.render(counts) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
