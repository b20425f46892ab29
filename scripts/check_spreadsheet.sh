#!/usr/bin/env bash
# make check-spreadsheet: opens output/articles.csv in a real spreadsheet (LibreOffice Calc,
# headless) and checks that every cell reads back exactly as written. Also runs newsclean on a
# small generated input full of awkward cells (curly quotes, accents, emoji, CJK, multi-line text,
# formula-like titles, a text over the 32,767-character cell limit), plain and with a BOM, and
# checks those outputs too. Installs LibreOffice Calc from Debian if `soffice` is missing.
# Usage: scripts/check_spreadsheet.sh [ARTICLES.csv ...]   (BIN= the newsclean binary)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/newsclean}
PY=${PYTHON:-python3}

fail() { echo "check-spreadsheet: FAILED: $*" >&2; exit 1; }

apt_install() {
    echo "check-spreadsheet: installing Debian packages: $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null || fail "apt-get update"
    apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "$@" >/dev/null \
        || fail "apt-get install $*"
}

command -v "$PY" >/dev/null || { apt_install python3; PY=python3; }
if ! command -v soffice >/dev/null; then
    apt_install libreoffice-calc
fi
command -v soffice >/dev/null || fail "soffice not found after installing libreoffice-calc"
echo "check-spreadsheet: using $(soffice --version 2>/dev/null | head -n1)"

if [ "$#" -gt 0 ]; then
    csvs=("$@")
else
    [ -f output/articles.csv ] || fail "output/articles.csv not found (run 'make clean-data' first)"
    [ -x "$BIN" ] || fail "newsclean binary $BIN not found (run 'make build' or set BIN=)"
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/newsclean-sheet.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp/in"
    # Awkward cells that must survive the trip into a spreadsheet.
    "$PY" - "$tmp/in/awkward.jsonl" <<'PYEOF'
import json, sys
para = ("The council met on Tuesday to discuss the budget for the coming year, and members "
        "argued at length about the cost of repairs to the old bridge over the river. ")
long_text = "\n\n".join(
    "Paragraph %d of a very long report. %s" % (i, para * 2) for i in range(1, 121))
assert len(long_text) > 32767
records = [
    {"id": "sheet-quotes", "url": "https://example.test/quotes", "site": "Le Café",
     "title": "“Curly” quotes, ‘single’ ones — and an en dash – too",
     "date": "2024-05-01",
     "text": "“We’re délighted,” said Zoë Ångström of São Paulo, naïve façade and all. "
             "The committee’s chair, François Müller, agreed. " + para},
    {"id": "sheet-emoji-cjk", "url": "https://example.test/cjk", "site": "東京新聞",
     "title": "Emoji 🎉🚀 and CJK 漢字かなカナ 한국어",
     "date": "2024-05-02",
     "text": "東京の天気は晴れです。今日は良い日です。🎉 Celebrations 🚀 went on all night in "
             "Seoul (서울) and Beijing (北京). " + para},
    {"id": "sheet-multiline", "url": "https://example.test/multi", "site": "Example",
     "title": "A text with several paragraphs",
     "date": "2024-05-03",
     "text": "First paragraph of the article, " + para + "\n\nSecond paragraph, after a blank "
             "line. " + para + "\n\nThird paragraph: “quoted”, with a comma, and a \"double\" "
             "quote. " + para},
    {"id": "sheet-formula-eq", "url": "https://example.test/eq", "site": "Example",
     "title": "=HYPERLINK(\"http://attacker.test\",\"click\")",
     "date": "2024-05-04",
     "text": "=1+2 is how this text begins, and a spreadsheet must not compute it. " + para},
    {"id": "sheet-formula-at", "url": "https://example.test/at", "site": "Example",
     "title": "@SUM(1+1)*cmd|' /C calc'!A0",
     "date": "2024-05-05",
     "text": "-2 degrees and +3 points: signs at the start of a cell. " + para},
    {"id": "sheet-long", "url": "https://example.test/long", "site": "Example",
     "title": "A very long text", "date": "2024-05-06", "text": long_text},
]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for r in records:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
PYEOF
    # The BOM variant: the --csv-bom flag when this build has it, else the config key.
    if "$BIN" --help 2>/dev/null | grep -q -- '--csv-bom'; then
        bom_args=(--csv-bom)
    else
        "$BIN" --print-config | sed 's/^csv_bom = false/csv_bom = true/' > "$tmp/bom.toml"
        grep -q '^csv_bom = true' "$tmp/bom.toml" || fail "no csv_bom setting in --print-config"
        bom_args=(--config "$tmp/bom.toml")
    fi
    echo "check-spreadsheet: running $BIN on a generated awkward input (plain and with a BOM)"
    # Only normalization: the generated texts share a paragraph on purpose, which dedup would
    # rightly merge, and this check is about the CSV writer, not the cleaning.
    "$BIN" --quiet --stages normalize --input "$tmp/in" --output "$tmp/out" --formats csv >"$tmp/run.log" 2>&1 \
        || { cat "$tmp/run.log" >&2; fail "newsclean failed on the generated input"; }
    "$BIN" --quiet --stages normalize "${bom_args[@]}" --input "$tmp/in" --output "$tmp/out-bom" \
        --formats csv >"$tmp/run-bom.log" 2>&1 \
        || { cat "$tmp/run-bom.log" >&2; fail "newsclean ${bom_args[*]} failed"; }
    head -c3 "$tmp/out-bom/articles.csv" | od -An -tx1 | grep -q 'ef bb bf' \
        || fail "csv_bom = true did not start articles.csv with a UTF-8 BOM"
    # Every generated article must be kept, or the check proves little.
    want=$(wc -l < "$tmp/in/awkward.jsonl")
    got=$("$PY" -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""))) - 1)' "$tmp/out/articles.csv")
    [ "$got" -eq "$want" ] || fail "newsclean kept $got of the $want generated articles"
    csvs=(--awkward "$tmp/out/articles.csv" --awkward "$tmp/out-bom/articles.csv"
          output/articles.csv)
fi

"$PY" scripts/check_spreadsheet.py "${csvs[@]}"
