#!/usr/bin/env bash
# make check-ml: loads output/articles.jsonl the way ML pipelines do (pandas and the Hugging Face
# `datasets` JSON loader, offline) and validates every line against schema/article.schema.json.
# Installs its own virtual environment (scripts/.venv-ml) from PyPI with the pinned versions in
# scripts/requirements-ml.txt. Run from anywhere; paths are relative to the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=scripts/.venv-ml
REQ=scripts/requirements-ml.txt
JSONL=${1:-output/articles.jsonl}

fail() { echo "check-ml: FAILED: $*" >&2; exit 1; }

[ -f "$JSONL" ] || fail "$JSONL not found (run 'make clean-data' first)"

PY=${PYTHON:-python3}
command -v "$PY" >/dev/null || {
    echo "check-ml: installing python3 (Debian package)"
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o DPkg::Lock::Timeout=600 python3 python3-venv >/dev/null
    PY=python3
}

# (Re)create the venv when it is missing or its requirements changed.
stamp="$VENV/.requirements.sha256"
want=$(sha256sum "$REQ" | cut -d' ' -f1)
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    rm -rf "$VENV"
    if ! "$PY" -m venv "$VENV" 2>/dev/null; then
        echo "check-ml: installing python3-venv (Debian package)"
        apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            -o DPkg::Lock::Timeout=600 python3-venv >/dev/null
        rm -rf "$VENV"
        "$PY" -m venv "$VENV"
    fi
    echo "check-ml: installing into $VENV from PyPI: pandas, datasets, jsonschema and their" \
        "dependencies ($(grep -Ecv '^\s*(#|$)' "$REQ") pinned packages in $REQ)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQ" \
        || fail "pip install -r $REQ"
    echo "$want" > "$stamp"
fi

# Offline: the `json` builder ships inside `datasets`; nothing may be fetched from a hub.
export HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
# A throw-away cache, so the check neither reads nor leaves anything in ~/.cache/huggingface.
if [ -z "${HF_HOME:-}" ]; then
    HF_HOME=$(mktemp -d)
    export HF_HOME
    trap 'rm -rf "$HF_HOME"' EXIT
fi
"$VENV/bin/python" scripts/check_ml.py "$JSONL" schema/article.schema.json
