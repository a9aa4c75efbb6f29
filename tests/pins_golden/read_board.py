#!/usr/bin/env python3
"""Read a pins board the way an analyst would, using the Python `pins` package.

Used by lakegate's tests to prove that boards written by lakegate can be read
by pins-python (see docs/pins-format.md). For each pin it prints the
pin_meta() title, description and user metadata, and the pin_read() row count.

Usage:
    python tests/pins_golden/read_board.py BOARD [--json] [--no-verify-hash]

BOARD is either
  * a local folder path            -> pins.board_folder(BOARD)
  * s3://bucket[/prefix]           -> pins.board_s3("bucket/prefix", ...)
    (needs the `s3fs` package). The endpoint and credentials come from the
    environment: the first of LAKEGATE_S3_ENDPOINT, AWS_ENDPOINT_URL_S3,
    AWS_ENDPOINT_URL, FSSPEC_S3_ENDPOINT_URL is used as endpoint_url (omit for
    real AWS); AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN)
    and AWS_REGION / AWS_DEFAULT_REGION are used as usual.

Besides the pins API calls it checks the lakegate invariants from
docs/pins-format.md: pin_search() works on the whole board, every version
directory name is YYYYMMDDTHHMMSSZ-xxxxx, and (unless --no-verify-hash) that
pin_hash equals the xxh64 of the pinned file (pins itself never checks this).

Exit status: 0 if every pin could be read and every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import traceback

VERSION_RE = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{5}$")


def open_board(spec: str):
    import pins

    if spec.startswith("s3://"):
        path = spec[len("s3://"):].strip("/")  # pins-python: no trailing "/"
        opts = {}
        endpoint = next(
            (
                os.environ[k]
                for k in (
                    "LAKEGATE_S3_ENDPOINT",
                    "AWS_ENDPOINT_URL_S3",
                    "AWS_ENDPOINT_URL",
                    "FSSPEC_S3_ENDPOINT_URL",
                )
                if os.environ.get(k)
            ),
            None,
        )
        if endpoint:
            opts["endpoint_url"] = endpoint
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        if region:
            opts["client_kwargs"] = {"region_name": region}
        # cache=None: always read what is on the bucket now, never a stale cache.
        return pins.board_s3(path, cache=None, **opts)
    return pins.board_folder(spec)


def xxh64_of(board, pin_name: str, version: str, filename: str) -> str:
    import xxhash

    h = xxhash.xxh64()
    path = board.construct_path([pin_name, version, filename])
    with board.fs.open(path, "rb") as f:
        while True:
            buf = f.read(1 << 20)
            if not buf:
                break
            h.update(buf)
    return h.hexdigest()


def jsonable(x):
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, float) and (x != x or x in (float("inf"), float("-inf"))):
        return str(x)
    if x is None or isinstance(x, (str, int, float, bool)):
        return x
    return str(x)


def read_pin(board, name: str, verify_hash: bool) -> dict:
    out: dict = {"name": name, "errors": []}
    try:
        versions = board.pin_versions(name, as_df=False)
        out["versions"] = [v.version for v in versions]
        bad = [v for v in out["versions"] if not VERSION_RE.match(v)]
        if bad:
            out["errors"].append(f"version directory names not YYYYMMDDTHHMMSSZ-xxxxx: {bad}")
    except Exception as e:  # noqa: BLE001
        out["errors"].append(f"pin_versions: {type(e).__name__}: {e}")

    try:
        meta = board.pin_meta(name)
        out["version"] = meta.version.version
        out["title"] = meta.title
        out["description"] = meta.description
        out["user"] = jsonable(dict(meta.user) if meta.user is not None else None)
        out["type"] = meta.type
        out["file"] = meta.file
        out["file_size"] = meta.file_size
        out["pin_hash"] = meta.pin_hash
        out["created"] = meta.created
        out["api_version"] = meta.api_version
        if not isinstance(meta.file, str):
            out["errors"].append("data.txt `file` must be a single string (pins-python cannot read multi-file pins)")
        if meta.title is None:
            out["errors"].append("title is missing/null (breaks pins-python pin_search(<text>))")
        if verify_hash and isinstance(meta.file, str):
            actual = xxh64_of(board, name, meta.version.version, meta.file)
            out["pin_hash_actual"] = actual
            if actual != meta.pin_hash:
                out["errors"].append(f"pin_hash {meta.pin_hash} != xxh64(file) {actual}")
            if not meta.version.version.endswith("-" + str(meta.pin_hash)[:5]):
                out["errors"].append("version suffix is not the first 5 chars of pin_hash")
            if not meta.version.version.startswith(str(meta.created) + "-"):
                out["errors"].append("version prefix differs from `created`")
    except Exception as e:  # noqa: BLE001
        out["errors"].append(f"pin_meta: {type(e).__name__}: {e}")

    try:
        df = board.pin_read(name)
        out["rows"] = int(len(df))
        out["columns"] = [str(c) for c in getattr(df, "columns", [])]
    except Exception as e:  # noqa: BLE001
        out["errors"].append(f"pin_read: {type(e).__name__}: {e}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("board", help="folder path or s3://bucket/prefix")
    ap.add_argument("--json", action="store_true", help="print one JSON document")
    ap.add_argument("--no-verify-hash", action="store_true", help="skip the xxh64 check")
    args = ap.parse_args(argv)

    logging.disable(logging.CRITICAL)  # pins logs through `logging`; keep stdout clean
    result: dict = {"board": args.board, "errors": [], "pins": []}
    try:
        board = open_board(args.board)
        names = sorted(board.pin_list())
        result["pin_list"] = names
    except Exception as e:  # noqa: BLE001
        result["errors"].append(f"open/pin_list: {type(e).__name__}: {e}")
        names = []
        board = None

    if board is not None:
        try:
            res = board.pin_search(as_df=False)
            result["pin_search"] = sorted(m.name for m in res)
        except Exception as e:  # noqa: BLE001
            result["errors"].append(f"pin_search: {type(e).__name__}: {e}")
        for name in names:
            result["pins"].append(read_pin(board, name, not args.no_verify_hash))

    ok = not result["errors"] and all(not p["errors"] for p in result["pins"])
    result["ok"] = ok

    if args.json:
        json.dump(jsonable(result), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(f"board: {args.board}")
        print(f"pins:  {len(names)}")
        for e in result["errors"]:
            print(f"ERROR {e}")
        for p in result["pins"]:
            print(f"- {p['name']} @ {p.get('version')}")
            print(f"    title:       {p.get('title')}")
            print(f"    description: {p.get('description')}")
            print(f"    user:        {json.dumps(p.get('user'), ensure_ascii=False)}")
            print(f"    rows:        {p.get('rows')}")
            print(f"    versions:    {', '.join(p.get('versions', []))}")
            for e in p["errors"]:
                print(f"    ERROR {e}")
        print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        sys.exit(1)
