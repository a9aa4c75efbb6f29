#!/usr/bin/env python3
"""Turn the PostgreSQL jsonlog of a capture run into tests/client_queries/<client>.sql files.

Usage: extract_queries.py --log postgres.json --out-dir DIR --meta meta.json

The capture script brackets every client run with marker statements sent from a separate psql
session (application_name "capture_marker"):

    SELECT $cap$lakegate-capture:begin:<label>$cap$
    SELECT $cap$lakegate-capture:command:<text>$cap$     (psql only: the backslash command that follows)
    SELECT $cap$lakegate-capture:end:<label>$cap$

Every record of a client backend logged between begin and end belongs to <label> and is written
to <label>.sql.  The server runs with log_statement = 'all' and, for the capture database only,
log_min_messages = debug2, so the log holds, per backend:

    statement: <sql>                          simple-protocol Query message
    parse <stmt>: <sql>                       extended-protocol Parse (DEBUG2)
    bind <portal> to <stmt>                   extended-protocol Bind (DEBUG2)
    execute <stmt>[/<portal>]: <sql>          extended-protocol Execute (+ DETAIL parameters: ...)
    execute fetch from <stmt>/<portal>: <sql> a further Execute on a suspended portal

See tests/client_queries/README.md for the output format.
"""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_queries_format import read_entries  # noqa: E402

MARKER_APP = "capture_marker"
IGNORED_APPS = {MARKER_APP, "capture_setup"}
MARKER_RE = re.compile(r"\$cap\$lakegate-capture:(begin|end|command):(.*?)\$cap\$", re.S)
EXEC_RE = re.compile(r"execute (fetch from )?(\S+): (.*)", re.S)
PARSE_RE = re.compile(r"parse (\S+): (.*)", re.S)
META_RE = re.compile(r"-- [a-z][a-z-]*: ")


class Entry:
    def __init__(self, session, protocol, sql, stmt=None, portal=None, params=None):
        self.session = session
        self.protocol = protocol
        self.sql = sql
        self.stmt = stmt
        self.portal = portal
        self.params = params
        self.command = None
        self.errors = []
        self.notes = []
        self.consumed = False  # parse entries: an Execute of the same statement was logged later
        self.number = None


def read_records(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{n}: not JSON: {e}")


def segment(records):
    """Split the log into {label: [records]} using the marker statements."""
    segments = {}
    current = None
    for rec in records:
        if rec.get("backend_type") != "client backend":
            continue
        app = rec.get("application_name", "")
        msg = rec.get("message", "")
        if app == MARKER_APP:
            m = MARKER_RE.search(msg)
            if not m or not msg.startswith("statement: "):
                continue
            kind, value = m.group(1), m.group(2)
            if kind == "begin":
                if current is not None:
                    sys.exit(f"marker begin:{value} while {current} is open")
                current = value
                if value in segments:
                    sys.exit(f"label {value} captured twice")
                segments[value] = []
            elif kind == "end":
                if current != value:
                    sys.exit(f"marker end:{value} does not close {current}")
                current = None
            else:
                if current is None:
                    sys.exit("command marker outside a segment")
                segments[current].append({"__command__": value})
            continue
        if app in IGNORED_APPS or current is None:
            continue
        segments[current].append(rec)
    if current is not None:
        sys.exit(f"segment {current} never ended")
    return segments


def build_entries(records):
    entries = []
    sessions = {}
    apps = {}
    last_by_session = {}
    pending_parse = {}  # (session, stmt) -> parse Entry not yet executed
    command = None
    for rec in records:
        if "__command__" in rec:
            command = rec["__command__"]
            continue
        pid = rec["pid"]
        if pid not in sessions:
            sessions[pid] = len(sessions) + 1
        session = sessions[pid]
        apps.setdefault(session, rec.get("application_name", ""))
        msg = rec.get("message", "")
        severity = rec.get("error_severity", "")
        entry = None
        if severity in ("ERROR", "FATAL", "PANIC"):
            target = last_by_session.get(session)
            stmt_text = rec.get("statement")
            # An error raised by a Parse (the statement never got to Execute) belongs to the parse.
            for key, parse in list(pending_parse.items()):
                if key[0] == session and stmt_text is not None and parse.sql == stmt_text:
                    target = parse
            if target is not None:
                target.errors.append(f"{rec.get('state_code', '')} {msg}")
            continue
        if severity == "LOG" and msg.startswith("statement: "):
            entry = Entry(session, "simple", msg[len("statement: "):])
        elif severity == "LOG" and msg.startswith("execute "):
            m = EXEC_RE.fullmatch(msg)
            if not m:
                sys.exit(f"cannot parse execute message: {msg[:200]}")
            fetch, name, sql = m.groups()
            stmt, _, portal = name.partition("/")
            params = None
            detail = rec.get("detail", "")
            if detail.startswith("parameters: "):
                params = detail[len("parameters: "):]
            entry = Entry(session, "extended-fetch" if fetch else "extended", sql, stmt, portal or None, params)
            parse = pending_parse.get((session, stmt))
            if parse is not None and parse.sql == sql:
                parse.consumed = True
                del pending_parse[(session, stmt)]
                start = entries.index(parse) + 1
                between = [e for e in entries[start:] if e.session == session and e.protocol != "parse"]
                if between:
                    entry.notes.append("parsed (Parse message) before the preceding statement(s) "
                                       "of this session were executed; executed here")
        elif msg.startswith("parse ") and severity.startswith("DEBUG"):
            m = PARSE_RE.fullmatch(msg)
            if not m:
                sys.exit(f"cannot parse parse message: {msg[:200]}")
            stmt, sql = m.groups()
            entry = Entry(session, "parse", sql, stmt)
            pending_parse[(session, stmt)] = entry
        if entry is None:
            continue
        if command is not None:
            entry.command = command
        entries.append(entry)
        last_by_session[session] = entry
    # Parse messages that were followed by an Execute are represented by the execute entry.
    out = []
    for e in entries:
        if e.protocol == "parse":
            if e.consumed:
                continue
            e.protocol = "parse-only"
            e.notes.append("Parse (and usually Describe) only: this statement text was never executed")
        out.append(e)
    for n, e in enumerate(out, 1):
        e.number = n
    return out, apps


def format_params(params):
    if "\n" in params or "\r" in params:
        return "-- params-json: " + json.dumps(params, ensure_ascii=False)
    return "-- params: " + params


def render(label, meta, entries, apps):
    lines = []
    info = meta.get("clients", {}).get(label, {})
    lines.append(f"-- lakegate client-query capture: {label}")
    for text in info.get("description", []):
        lines.append(f"-- {text}")
    lines.append("--")
    verb = info.get("captured_verb", "Captured")
    lines.append(f"-- {verb} from a real {meta.get('server_version', 'PostgreSQL')} server by")
    lines.append("--   tests/capture/capture_client_queries.sh")
    if meta.get("captured_at"):
        lines.append(f"-- at {meta['captured_at']}.")
    for text in info.get("versions", []):
        lines.append(f"-- {text}")
    app_list = sorted(set(apps.values()))
    lines.append(f"-- Sessions: {len(apps)}; application_name(s) seen: {', '.join(repr(a) for a in app_list)}")
    lines.append(f"-- Statements: {len(entries)}")
    lines.append("--")
    lines.append("-- Format (see tests/client_queries/README.md): every entry starts with a line")
    lines.append("-- '-- statement N', then metadata lines '-- key: value' (session, protocol, prepared,")
    lines.append("-- portal, params or params-json, command, error, note), then the SQL text exactly as")
    lines.append("-- the server received it, then a line containing only ';'.  The SQL is everything")
    lines.append("-- between the metadata and that line, minus the final newline.  Text before the")
    lines.append("-- first '-- statement' line is this header.")
    lines.append("")
    for e in entries:
        if any(line == ";" for line in e.sql.split("\n")):
            sys.exit(f"{label}: statement {e.number} contains a line with only ';'")
        if META_RE.match(e.sql) or e.sql.startswith("-- statement "):
            sys.exit(f"{label}: statement {e.number} starts like a metadata line")
        lines.append(f"-- statement {e.number}")
        lines.append(f"-- session: {e.session}")
        lines.append(f"-- protocol: {e.protocol}")
        if e.stmt is not None:
            lines.append(f"-- prepared: {e.stmt}")
        if e.portal:
            lines.append(f"-- portal: {e.portal}")
        if e.params is not None:
            lines.append(format_params(e.params))
        if e.command is not None:
            lines.append(f"-- command: {e.command}")
        for err in e.errors:
            lines.append(f"-- error: {err}".replace("\n", " "))
        for note in e.notes:
            lines.append(f"-- note: {note}")
        lines.append(e.sql)
        lines.append(";")
    return "\n".join(lines) + "\n"


def statements_only(entries):
    return [(e.protocol, e.sql, e.params) for e in entries]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--meta", required=True)
    ap.add_argument("--compare", action="append", default=[],
                    help="A=B: check that segments A and B sent the same statements; write B only if not")
    args = ap.parse_args()
    with open(args.meta, encoding="utf-8") as f:
        meta = json.load(f)
    segments = segment(read_records(args.log))
    built = {label: build_entries(recs) for label, recs in segments.items()}
    skip = set()
    for spec in args.compare:
        a, b = spec.split("=")
        if a in built and b in built:
            if statements_only(built[a][0]) == statements_only(built[b][0]):
                print(f"{b}: same {len(built[b][0])} statements as {a}; not written separately")
                skip.add(b)
                stale = os.path.join(args.out_dir, f"{b}.sql")
                if os.path.exists(stale):
                    os.remove(stale)
            else:
                print(f"WARNING: {b} differs from {a}; writing {b}.sql too")
    summary = {}
    for label, (entries, apps) in built.items():
        if label in skip:
            continue
        path = os.path.join(args.out_dir, f"{label}.sql")
        with open(path, "w", encoding="utf-8") as f:
            f.write(render(label, meta, entries, apps))
        # Round trip through the reader the tests use.
        back = read_entries(path)
        if [(b["sql"], b["meta"].get("protocol")) for b in back] != [(e.sql, e.protocol) for e in entries]:
            sys.exit(f"{path}: does not read back as written")
        counts = {}
        for e in entries:
            counts[e.protocol] = counts.get(e.protocol, 0) + 1
        summary[label] = (len(entries), counts, len(apps))
        print(f"{path}: {len(entries)} statements {counts} in {len(apps)} session(s)")
        if not entries:
            print(f"WARNING: {label}: no statements captured")
    return 0


if __name__ == "__main__":
    sys.exit(main())
