# shellcheck shell=bash disable=SC2034  # variables here are used by the scripts that source it
# Shared helpers for lakegate's scripts (scripts/install-extensions, install-test-deps, test, demo).
#
# Source it; it sets no shell options of its own (each script sets `set -euo pipefail`).
# It owns: the repository root, the cache and build locations every script agrees on, the DuckDB
# version the extensions must match, and small output helpers (log, warn, die, phase timing).
#
#   LAKEGATE_CACHE            cache root                     default $HOME/.cache/lakegate
#   CARGO_TARGET_DIR          cargo's build dir, shared      default $LAKEGATE_CACHE/target
#   LAKEGATE_EXTENSION_DIR    dir holding *.duckdb_extension default $HOME/.duckdb/extensions/v1.5.5/linux_amd64
#   GARAGE_BIN                the Garage binary              default $LAKEGATE_CACHE/garage/bin/garage

LAKEGATE_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAKEGATE_CACHE=${LAKEGATE_CACHE:-$HOME/.cache/lakegate}
# The DuckDB version of the `duckdb` crate (=1.10505.0 is DuckDB 1.5.5) and of the extension wheels.
DUCKDB_VERSION=1.5.5
case $(uname -m) in
    aarch64 | arm64) DUCKDB_PLATFORM=linux_arm64 ;;
    *) DUCKDB_PLATFORM=linux_amd64 ;;
esac
GARAGE_VERSION=2.5.0
GARAGE_ROOT=$LAKEGATE_CACHE/garage
GARAGE_BIN=${GARAGE_BIN:-$GARAGE_ROOT/bin/garage}
# An unprivileged OS user for PostgreSQL servers started by tests (postgres refuses to run as root).
LAKEGATE_PG_USER=${LAKEGATE_PG_USER:-lakegate-pg}

default_extension_dir() {
    echo "${LAKEGATE_EXTENSION_DIR:-$HOME/.duckdb/extensions/v$DUCKDB_VERSION/$DUCKDB_PLATFORM}"
}

cargo_target_dir() {
    echo "${CARGO_TARGET_DIR:-$LAKEGATE_CACHE/target}"
}

# The script's own name, for messages.
_lg_me() { basename "$0"; }

log() { printf '%s: %s\n' "$(_lg_me)" "$*"; }
warn() { printf '%s: warning: %s\n' "$(_lg_me)" "$*" >&2; }
die() {
    printf '%s: error: %s\n' "$(_lg_me)" "$*" >&2
    exit 1
}

# step NAME CMD...: runs CMD; on failure names the failing step and exits with its status.
step() {
    local name=$1
    shift
    local rc=0
    "$@" || rc=$?
    if [ "$rc" != 0 ]; then
        printf '%s: error: step "%s" failed (exit %s): %s\n' "$(_lg_me)" "$name" "$rc" "$*" >&2
        exit "$rc"
    fi
}

# Phase timing: `phase_start NAME` prints a header; `phase_end` prints the elapsed time.
_LG_PHASE=
_LG_PHASE_T0=0
phase_start() {
    _LG_PHASE=$1
    _LG_PHASE_T0=$SECONDS
    printf '\n==== %s ====\n' "$_LG_PHASE"
}
phase_end() {
    local dt=$((SECONDS - _LG_PHASE_T0))
    printf '==== %s: done in %dm%02ds ====\n' "$_LG_PHASE" $((dt / 60)) $((dt % 60))
}

# A python3 that has pip (the machine's CPython 3.11, via pyenv or the system).
python_bin() {
    echo "${PYTHON:-python3}"
}
