#!/usr/bin/env bash
# Capture, from a real PostgreSQL 15 server, the exact statements that client libraries send
# while browsing a database, and store them as test data in tests/client_queries/.
#
#   tests/capture/capture_client_queries.sh            # writes tests/client_queries/*.sql + expected/
#
# What it does:
#   1. initdb's a throwaway cluster in a temp dir (as an unprivileged OS user when run as root;
#      the user "pgcap" is created if missing), starts postgres on 127.0.0.1 only, on a free
#      port, trust auth, no Unix socket, log_statement = 'all', log_min_duration_statement = -1,
#      logging to stderr (log_line_prefix '%m [%p] %a ') and jsonlog files.
#   2. creates database "lake" from schema.sql.in (DuckDB's default schema "main" + boundaries,
#      energy, "Odd Schema"), with search_path = main set on the database, and
#      log_min_messages = debug2 for that database only (so Parse messages are logged too).
#   3. drives each client through a browsing session (psql, psycopg, psycopg2, SQLAlchemy,
#      pandas, RPostgreSQL, pyodbc + psqlODBC twice, asyncpg, and a libpq replay of RPostgres),
#      each run bracketed by marker statements from a separate psql session.
#   4. recreates "lake" with the default-schema tables in "public" and captures psql and
#      SQLAlchemy again (<client>_public.sql).
#   5. extract_queries.py splits the jsonlog by the markers into tests/client_queries/<client>.sql.
#   6. stops the server and deletes the temp dir (trap on EXIT, also on failure).
#
# Environment: PG_BIN (dir of initdb/pg_ctl/postgres, default /usr/local/bin), PSQL (default
# /usr/bin/psql), PYTHON (default python3), OUT_DIR (default <repo>/tests/client_queries),
# PGCAP_USER (OS user for the server when run as root, default pgcap).
# Exit status is non-zero if any client session failed (the other files are still written).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT_DIR=${OUT_DIR:-$REPO/tests/client_queries}
PG_BIN=${PG_BIN:-/usr/local/bin}
PSQL=${PSQL:-/usr/bin/psql}
PYTHON=${PYTHON:-python3}
DB_SUPERUSER=postgres
export PAGER=cat PSQL_PAGER=cat LC_ALL=C.UTF-8 PGTZ=UTC PYTHONDONTWRITEBYTECODE=1
unset PGHOST PGPORT PGDATABASE PGUSER PGOPTIONS PGSERVICE PGAPPNAME PGPASSWORD || true

if [ "$(id -u)" = 0 ]; then
    PGCAP_USER=${PGCAP_USER:-pgcap}
    if ! id "$PGCAP_USER" >/dev/null 2>&1; then
        useradd --create-home --shell /bin/bash "$PGCAP_USER"
    fi
    as_pg() { runuser -u "$PGCAP_USER" -- "$@"; }
else
    PGCAP_USER=$(id -un)
    as_pg() { "$@"; }
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lakegate-capture.XXXXXX")
DATA=$WORK/data
LOGDIR=$WORK/log
POSTMASTER_PID=

cleanup() {
    local rc=$?
    set +e
    if [ -f "$DATA/postmaster.pid" ]; then
        POSTMASTER_PID=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null)
        as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >"$WORK/pg_ctl_stop.log" 2>&1 \
            || cat "$WORK/pg_ctl_stop.log" >&2
        # A stopped postmaster may linger as a zombie if nothing reaps it; only a live one counts.
        if [ -n "$POSTMASTER_PID" ] && kill -0 "$POSTMASTER_PID" 2>/dev/null \
            && [ "$(ps -o stat= -p "$POSTMASTER_PID" 2>/dev/null | cut -c1)" != Z ]; then
            echo "postmaster $POSTMASTER_PID did not stop; killing it" >&2
            kill -9 "$POSTMASTER_PID" 2>/dev/null
            sleep 1
        fi
    fi
    rm -rf "$WORK"
    if [ "$rc" = 0 ]; then echo "cleaned up $WORK"; else echo "cleaned up $WORK (exit $rc)" >&2; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
chmod 755 "$WORK"
if [ "$(id -u)" = 0 ]; then chown "$PGCAP_USER" "$WORK"; fi

PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "capture: temp dir $WORK, port $PORT, server OS user $PGCAP_USER"

# ---------------------------------------------------------------------------------------------
# 1. cluster
as_pg "$PG_BIN/initdb" -D "$DATA" -U "$DB_SUPERUSER" -A trust -E UTF8 --locale=C.UTF-8 \
    --lc-messages=C --no-sync --no-instructions >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 1; }
as_pg mkdir -p "$LOGDIR"
cat >"$WORK/pg_hba.conf" <<'EOF'
# TYPE  DATABASE  USER  ADDRESS        METHOD
host    all       all   127.0.0.1/32   trust
EOF
as_pg cp "$WORK/pg_hba.conf" "$DATA/pg_hba.conf"
cat >"$WORK/capture.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = ''
max_connections = 30
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
log_timezone = 'UTC'
lc_messages = 'C'
logging_collector = on
log_destination = 'stderr,jsonlog'
log_directory = '$LOGDIR'
log_filename = 'postgres.log'
log_rotation_age = 0
log_rotation_size = 0
log_line_prefix = '%m [%p] %a '
log_statement = 'all'
log_min_duration_statement = -1
log_parameter_max_length = -1
log_min_error_statement = error
EOF
as_pg sh -c "cat '$WORK/capture.conf' >> '$DATA/postgresql.conf'"
as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$WORK/pg_ctl.log" -w -t 60 start >/dev/null \
    || { cat "$WORK/pg_ctl.log" "$LOGDIR"/* >&2 2>/dev/null; exit 1; }
SERVER_VERSION="PostgreSQL $("$PSQL" -X -At -h 127.0.0.1 -p "$PORT" -U "$DB_SUPERUSER" -d postgres -c 'SHOW server_version')"
echo "capture: $SERVER_VERSION"

psql_setup() {
    PGAPPNAME=capture_setup "$PSQL" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "$DB_SUPERUSER" "$@"
}
marker() {
    PGAPPNAME=capture_marker "$PSQL" -X -q -At -h 127.0.0.1 -p "$PORT" -U "$DB_SUPERUSER" -d lake \
        -c "SELECT \$cap\$lakegate-capture:$1\$cap\$" >/dev/null
}
load_db() {  # $1 = schema holding the default-schema tables: main | public
    psql_setup -d postgres -c "DROP DATABASE IF EXISTS lake WITH (FORCE)" -c "CREATE DATABASE lake"
    sed "s/@DEFAULT@/$1/g" "$HERE/schema.sql.in" | psql_setup -d lake -f -
    if [ "$1" = main ]; then
        # The lake has no "public" schema: DuckDB's default schema is presented as "main".
        psql_setup -d lake -c "DROP SCHEMA public"
        psql_setup -d postgres -c "ALTER DATABASE lake SET search_path = main"
    fi
    psql_setup -d postgres -c "ALTER DATABASE lake SET log_min_messages = debug2"
}

FAILED=()
mkdir -p "$WORK/out"
run_client() {  # label command...
    local label=$1; shift
    marker "begin:$label"
    if "$@" >"$WORK/out/$label.out" 2>&1; then
        echo "capture: $label ok"
    else
        echo "capture: $label FAILED; its output:" >&2
        tail -n 40 "$WORK/out/$label.out" >&2
        FAILED+=("$label")
    fi
    marker "end:$label"
}

# ---------------------------------------------------------------------------------------------
# psql: one `psql -c` per command (several -c where "|||" separates them), then one `psql -f`.
psql_session() {  # label default-schema-qualifier(e.g. "main." or "") expected-file-or-empty
    local label=$1 q=$2 expected=$3
    local cmds=(
        '\l'
        '\dn'
        '\dt'
        '\dt+'
        '\dv+'
        "\\d ${q}deprivation_index"
        "\\d+ ${q}deprivation_index"
        '\d boundaries.la_2023'
        '\d+ "Odd Schema"."Select"'
        '\df'
        "\\x|||SELECT * FROM ${q}local_authorities LIMIT 2;"
        '\dt energy.*'
        '\d+ la_deprivation_summary'
        '\dT'
        '\di'
        '\ds'
        '\du'
        "\\copy (select * from ${q}local_authorities) to stdout"
    )
    local cmd n=0 args part parts
    marker "begin:$label"
    for cmd in "${cmds[@]}"; do
        n=$((n + 1))
        args=()
        mapfile -t parts < <(printf '%s\n' "${cmd//|||/$'\n'}")
        for part in "${parts[@]}"; do args+=(-c "$part"); done
        marker "command:${cmd//|||/ then }"
        if ! PGAPPNAME=psql "$PSQL" -X -h 127.0.0.1 -p "$PORT" -U "$DB_SUPERUSER" -d lake "${args[@]}" \
            >"$WORK/out/$label.$n.out" 2>&1; then
            echo "capture: $label: psql ${args[*]} FAILED:" >&2
            cat "$WORK/out/$label.$n.out" >&2
            FAILED+=("$label:$cmd")
        fi
        if [ -n "$expected" ]; then
            case "$cmd" in
                '\dt+'|"\\d+ ${q}deprivation_index"|'\d+ "Odd Schema"."Select"')
                    { printf -- "-- psql -X -d lake -c '%s'\n" "$cmd"; cat "$WORK/out/$label.$n.out"; echo; } >>"$expected" ;;
            esac
        fi
    done
    marker "end:$label"
    echo "capture: $label ok ($n psql -c invocations)"

    # The same commands from a file, in one session.
    : >"$WORK/$label.psql"
    for cmd in "${cmds[@]}"; do printf '%s\n' "${cmd//|||/$'\n'}" >>"$WORK/$label.psql"; done
    run_client "${label}_file" env PGAPPNAME=psql "$PSQL" -X -h 127.0.0.1 -p "$PORT" -U "$DB_SUPERUSER" \
        -d lake -f "$WORK/$label.psql"
}

py_client() {  # label client [extra args]
    local label=$1 client=$2; shift 2
    run_client "$label" env PGAPPNAME="$label" "$PYTHON" "$HERE/clients.py" "$client" --port "$PORT" \
        --user "$DB_SUPERUSER" "$@"
}

mkdir -p "$OUT_DIR/expected"
EXPECTED_TMP=$WORK/expected
mkdir -p "$EXPECTED_TMP"

# ---------------------------------------------------------------------------------------------
# Main-schema variant.
load_db main
{
    echo "-- PostgreSQL 15 psql output for the key describe commands (main-schema variant,"
    echo "-- search_path = main), written by tests/capture/capture_client_queries.sh."
    echo "-- Server: $SERVER_VERSION"
    echo
} >"$EXPECTED_TMP/psql_describe.txt"
psql_session psql "main." "$EXPECTED_TMP/psql_describe.txt"
py_client psycopg psycopg
py_client psycopg2 psycopg2
py_client sqlalchemy sqlalchemy --expected-dir "$EXPECTED_TMP"
py_client pandas pandas --default-schema main
run_client rpostgresql env PGAPPNAME=rpostgresql Rscript "$HERE/client_rpostgresql.R" "$PORT" "$DB_SUPERUSER"
# psqlODBC: a private odbcinst.ini (ODBCSYSINI) registers "PostgreSQL Unicode" without touching the
# system one, with CommLog/Debug off (the Debian default CommLog=1 leaves /tmp/psqlodbc_*.log files).
ODBC_DRIVER_SO=${ODBC_DRIVER_SO:-$(ls /usr/lib/*/odbc/psqlodbcw.so /usr/lib/odbc/psqlodbcw.so 2>/dev/null | head -n 1 || true)}
if [ -n "$ODBC_DRIVER_SO" ]; then
    mkdir -p "$WORK/odbc"
    printf '[PostgreSQL Unicode]\nDescription=PostgreSQL ODBC driver (Unicode version)\nDriver=%s\nDebug=0\nCommLog=0\n' \
        "$ODBC_DRIVER_SO" >"$WORK/odbc/odbcinst.ini"
    : >"$WORK/odbc/odbc.ini"
    export ODBCSYSINI="$WORK/odbc" ODBCINSTINI=odbcinst.ini ODBCINI="$WORK/odbc/odbc.ini"
else
    echo "capture: psqlodbcw.so not found; using the system's ODBC driver registration" >&2
fi
py_client odbc odbc --default-schema main --expected-dir "$EXPECTED_TMP"
py_client odbc_declarefetch odbc_declarefetch --default-schema main
unset ODBCSYSINI ODBCINSTINI ODBCINI
py_client asyncpg asyncpg
py_client rpostgres rpostgres_replay

# Public-schema variant.
load_db public
psql_session psql_public "" ""
py_client sqlalchemy_public sqlalchemy --default-schema public

# ---------------------------------------------------------------------------------------------
# Extract.  The syslogger writes asynchronously: wait until the last end marker is in the file.
for _ in $(seq 1 50); do
    grep -q 'lakegate-capture:end:sqlalchemy_public' "$LOGDIR/postgres.json" 2>/dev/null && break
    sleep 0.2
done
"$PYTHON" "$HERE/meta.py" "$SERVER_VERSION" >"$WORK/meta.json"
# Columns (and their types) of every pg_catalog / information_schema relation, for worklist.py.
psql_setup -d lake -At -c "SELECT json_object_agg(rel, cols) FROM (
    SELECT n.nspname || '.' || c.relname AS rel,
           json_object_agg(a.attname, format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum) AS cols
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname IN ('pg_catalog', 'information_schema') AND c.relkind IN ('r', 'v', 'm')
    GROUP BY 1) s" >"$WORK/catalog_columns.json"
"$PYTHON" "$HERE/extract_queries.py" --log "$LOGDIR/postgres.json" --out-dir "$OUT_DIR" \
    --meta "$WORK/meta.json" --compare psql=psql_file --compare psql_public=psql_public_file
cp "$EXPECTED_TMP"/* "$OUT_DIR/expected/"
if "$PYTHON" -c 'import pglast' 2>/dev/null; then
    "$PYTHON" "$HERE/worklist.py" --queries-dir "$OUT_DIR" --catalog-columns "$WORK/catalog_columns.json" \
        --out "$OUT_DIR/WORKLIST.md"
else
    echo "capture: pglast not importable (pip install pglast); $OUT_DIR/WORKLIST.md not regenerated" >&2
fi

if [ "${#FAILED[@]}" -gt 0 ]; then
    echo "capture: FAILED sessions: ${FAILED[*]}" >&2
    exit 1
fi
echo "capture: done; files in $OUT_DIR"
