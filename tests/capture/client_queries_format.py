"""Reader for tests/client_queries/<client>.sql (the format is described in that directory's README).

    from client_queries_format import read_entries
    for e in read_entries("tests/client_queries/psql.sql"):
        e["number"], e["meta"]["protocol"], e["sql"]
"""

import re

HEADER_RE = re.compile(r"-- statement (\d+)")
META_RE = re.compile(r"-- ([a-z][a-z-]*): (.*)")


def read_entries(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    entries = []
    i = 0
    while i < len(lines) and not HEADER_RE.fullmatch(lines[i]):
        i += 1  # file header
    while i < len(lines):
        m = HEADER_RE.fullmatch(lines[i])
        if not m:
            if lines[i] == "" and i == len(lines) - 1:
                break
            raise ValueError(f"{path}:{i + 1}: expected '-- statement N', got {lines[i]!r}")
        entry = {"number": int(m.group(1)), "meta": {}, "params": None, "errors": [], "notes": []}
        i += 1
        while i < len(lines):
            mm = META_RE.fullmatch(lines[i])
            if not mm:
                break
            key, value = mm.groups()
            if key == "error":
                entry["errors"].append(value)
            elif key == "note":
                entry["notes"].append(value)
            else:
                entry["meta"][key] = value
            i += 1
        body = []
        while i < len(lines) and lines[i] != ";":
            body.append(lines[i])
            i += 1
        if i >= len(lines):
            raise ValueError(f"{path}: statement {entry['number']} has no terminating ';' line")
        entry["sql"] = "\n".join(body)
        entries.append(entry)
        i += 1
    return entries
