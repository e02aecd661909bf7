# Shared by scripts/main-job and scripts/test: create or refresh .venv from pyproject.toml.
# Skipped quickly when pyproject.toml, the extras and the Python version are unchanged.

find_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "burro: error: Python 3.11 or newer not found — install python3.11 (or newer) and retry" >&2
    return 1
}

ensure_venv() {  # $1: comma-separated extras, e.g. "all,dev"
    local extras=$1 python project installed extra
    python=$(find_python) || return 1
    project="$(sha256sum pyproject.toml | cut -d' ' -f1) $("$python" -V 2>&1)"
    # The stamp is "<pyproject hash> <python version>" then the installed extras, one a line.
    if [ -x .venv/bin/python ] && [ "$(head -n 1 .venv/.burro-stamp 2>/dev/null)" = "$project" ]; then
        installed=$(tail -n +2 .venv/.burro-stamp)
        for extra in ${extras//,/ }; do
            grep -qx "$extra" <<<"$installed" || { installed=""; break; }
        done
        [ -n "$installed" ] && return 0
        extras="$extras,$(paste -sd, <<<"$(tail -n +2 .venv/.burro-stamp)")"  # keep what is there
    fi
    echo "burro: setting up .venv (extras: $extras); this takes a few minutes the first time" >&2
    [ -x .venv/bin/python ] || "$python" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip >&2
    .venv/bin/python -m pip install --quiet -e ".[$extras]" >&2
    { echo "$project"; tr ',' '\n' <<<"$extras" | grep -v '^$' | sort -u; } > .venv/.burro-stamp
}

ensure_debian_packages() {  # $@: "command:package" pairs; installs the missing ones
    local pair missing=()
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "burro: installing Debian packages: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}
