#!/usr/bin/env bash
# make check-report: renders output/report.html in a real browser (headless Chromium, Debian
# package) to docs/report.png, and fails if the page logged script or console errors, tried to
# load anything (report.html must be self-contained and work offline) or rendered blank.
# Installs Chromium from Debian if missing.
# Usage: scripts/check_report.sh [PAGE.html] [OUT.png]
#   defaults: output/report.html docs/report.png
set -euo pipefail
cd "$(dirname "$0")/.."

PAGE=${1:-output/report.html}
PNG=${2:-docs/report.png}
PY=${PYTHON:-python3}

fail() { echo "check-report: FAILED: $*" >&2; exit 1; }

apt_install() {
    echo "check-report: installing Debian packages: $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null || fail "apt-get update"
    apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "$@" >/dev/null \
        || fail "apt-get install $*"
}

[ -f "$PAGE" ] || fail "$PAGE not found (run 'make clean-data' first; newsclean writes report.html)"

command -v "$PY" >/dev/null || { apt_install python3; PY=python3; }
CHROMIUM=${CHROMIUM:-}
if [ -z "$CHROMIUM" ]; then
    for c in chromium chromium-browser; do
        command -v "$c" >/dev/null && { CHROMIUM=$c; break; }
    done
fi
if [ -z "$CHROMIUM" ]; then
    apt_install chromium
    CHROMIUM=chromium
fi
command -v "$CHROMIUM" >/dev/null || fail "$CHROMIUM not found after installing chromium"
echo "check-report: using $("$CHROMIUM" --version 2>/dev/null | head -n1)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/newsclean-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Control: a page with a script error must be caught, or the check below proves nothing.
printf '<!doctype html><title>control</title><p>x</p><script>missingFunction()</script>\n' \
    > "$tmp/control.html"
if "$PY" scripts/check_report_errors.py "$CHROMIUM" "$tmp/control.html" >"$tmp/control.log" 2>&1
then
    cat "$tmp/control.log" >&2
    fail "the error detection missed the script error of a control page"
fi

# 1. Script errors, console errors, failed loads, network requests (DevTools protocol).
"$PY" scripts/check_report_errors.py "$CHROMIUM" "$PAGE"

# 2. The screenshot a person would see, as in the README.
mkdir -p "$(dirname "$PNG")"
rm -f "$tmp/shot.png"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules='MAP * ~NOTFOUND' --hide-scrollbars \
    --user-data-dir="$tmp/profile" --window-size=1280,2400 \
    --screenshot="$tmp/shot.png" "file://$(realpath "$PAGE")" >"$tmp/shot.log" 2>&1 \
    || { tail -n 20 "$tmp/shot.log" >&2; fail "chromium could not take the screenshot"; }
[ -s "$tmp/shot.png" ] || { tail -n 20 "$tmp/shot.log" >&2; fail "chromium wrote no screenshot"; }

# 3. Not blank: more than one colour and enough pixels that differ from the background.
"$PY" scripts/check_png.py "$tmp/shot.png"
mv "$tmp/shot.png" "$PNG"
echo "report: $PAGE renders in $("$CHROMIUM" --version 2>/dev/null | awk '{print $1, $2}'), no script errors, not blank; screenshot in $PNG"
