"""Opens articles.csv in LibreOffice Calc (headless) and checks that every cell reads back exactly
as written. Standard library only.
Usage: check_spreadsheet.py [--awkward GENERATED.csv ...] ARTICLES.csv [...]
(run by scripts/check_spreadsheet.sh, which installs LibreOffice first; an --awkward file must
also still contain every awkward case the generated input has, see AWKWARD).

Each CSV is converted to .ods twice, with an explicit CSV import filter (UTF-8, comma, double
quote, first line 1, "detect special numbers" off):
  1. "as text": every column imported as Text except word_count (Standard, so it is a number).
     Every cell must read back exactly as Python's csv module parses it (accents, curly quotes,
     emoji, CJK, newlines kept in one cell, neutralized cells keep their leading ').
  2. "as a careless user": every column Standard and "evaluate formulas" ON, the riskiest import.
     No cell may hold a formula, and every neutralized cell must read back as its text.
Cells longer than 32,767 characters fail: that is Excel's cell limit (LibreOffice keeps longer
cells, Excel cuts them), so articles.csv must truncate and flag them (text_truncated).
"""

import csv
from collections import Counter
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
T = "{%s}" % NS["table"]
X = "{%s}" % NS["text"]
O = "{%s}" % NS["office"]

CELL_LIMIT = 32767
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_COLUMNS = {"word_count"}

# LibreOffice CSV filter options, comma-separated tokens:
#  1 field separator (44 = ,)   2 text delimiter (34 = ")   3 character set (76 = UTF-8)
#  4 first line (1)             5 column formats "col/fmt/..." (1 Standard, 2 Text)
#  6 language (1033 = en-US, so "." is the decimal separator)
#  7 quoted field as text       8 detect special numbers    9 save as shown (export only)
# 10 export formulas (export)  11 remove spaces            12 sheet to export (export only)
# 13 evaluate formulas         14 include BOM (export only)
def csv_filter(col_formats, evaluate_formulas):
    return "CSV:44,34,76,1,%s,1033,false,false,false,false,false,-1,%s" % (
        col_formats, "true" if evaluate_formulas else "false")


def convert(csv_paths, filt, outdir, profile):
    """Converts CSV files (distinct base names) to .ods in one soffice run; returns .ods paths."""
    os.makedirs(outdir, exist_ok=True)
    cmd = ["soffice", "-env:UserInstallation=file://" + profile, "--headless", "--norestore",
           "--nolockcheck", "--infilter=" + filt, "--convert-to", "ods", "--outdir", outdir]
    r = subprocess.run(cmd + list(csv_paths), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=900)
    out = []
    for p in csv_paths:
        ods = os.path.join(outdir, os.path.splitext(os.path.basename(p))[0] + ".ods")
        if r.returncode != 0 or not os.path.exists(ods):
            sys.exit("check-spreadsheet: FAILED: soffice could not convert %s (exit %d):\n%s"
                     % (p, r.returncode, r.stdout))
        out.append(ods)
    return out


def para_text(el):
    """Text of an ODF paragraph: text:s (spaces), text:tab, text:line-break, nested spans."""
    out = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == X + "s":
            out.append(" " * int(child.get(X + "c", "1")))
        elif tag == X + "tab":
            out.append("\t")
        elif tag == X + "line-break":
            out.append("\n")
        else:  # text:span, text:a, ...
            out.append(para_text(child))
        out.append(child.tail or "")
    return "".join(out)


def cell_value(cell):
    """(value_type, shown text, formula or None) of one table:table-cell."""
    vtype = cell.get(O + "value-type")
    formula = cell.get(T + "formula")
    if cell.get(O + "string-value") is not None:
        text = cell.get(O + "string-value")
    else:
        text = "\n".join(para_text(p) for p in cell.findall(X + "p"))
    return vtype, text, formula


def read_ods(path):
    """All rows of the first sheet as lists of (value_type, text, formula), trailing empties cut."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("content.xml"))
    sheet = root.find(".//" + T + "table")
    rows = []
    for row in sheet.iter(T + "table-row"):
        cells = []
        for cell in row:
            if cell.tag not in (T + "table-cell", T + "covered-table-cell"):
                continue
            n = int(cell.get(T + "number-columns-repeated", "1"))
            cells.extend([cell_value(cell)] * n)
        while cells and cells[-1][0] is None and cells[-1][1] == "":
            cells.pop()
        n = int(row.get(T + "number-rows-repeated", "1"))
        rows.extend([cells] * n)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def show(s, n=70):
    s = repr(s)
    return s if len(s) <= n else s[: n - 5] + "...'" + " (%d chars)" % (len(s) - 2)


class Checker:
    def __init__(self):
        self.cells = 0
        self.mismatches = 0
        self.too_long = 0
        self.notes = 0

    def bad(self, msg):
        self.mismatches += 1
        if self.mismatches <= 25:
            print("  MISMATCH " + msg, file=sys.stderr)

    def load(self, csv_path):
        """Parses one CSV with Python's csv module and checks the CSV itself; returns the rows."""
        with open(csv_path, encoding="utf-8-sig", newline="") as f:
            expected = list(csv.reader(f, strict=True))
        if not expected:
            sys.exit("check-spreadsheet: FAILED: %s is empty" % csv_path)
        header = expected[0]
        if len(header) not in (9, 10) or header[:9] != [
                "id", "source", "url", "site", "title", "date", "text", "word_count",
                "content_hash"]:
            self.bad("%s: unexpected header %s" % (csv_path, header))
        for r, row in enumerate(expected[1:], 2):
            if len(row) != len(header):
                self.bad("%s row %d: %d fields, header has %d" % (csv_path, r, len(row),
                                                                   len(header)))
        print("check-spreadsheet: %s: %d rows x %d columns" % (csv_path, len(expected) - 1,
                                                              len(header)))
        # Nothing a spreadsheet could run as a formula, nothing over the cell limit.
        for r, row in enumerate(expected[1:], 2):
            for c, v in enumerate(row):
                col = header[c] if c < len(header) else "#%d" % (c + 1)
                if v.startswith(TRIGGERS) and col not in NUMERIC_COLUMNS:
                    self.bad("%s row %d %s: starts with %r and is not neutralized with '"
                             % (csv_path, r, col, v[0]))
                if len(v) > CELL_LIMIT:
                    self.too_long += 1
                    print("  TOO LONG %s row %d %s: %d characters, over the spreadsheet cell "
                          "limit of %d (Excel cuts or refuses it; LibreOffice keeps it). "
                          "Truncate it in the CSV (text_truncated column) and keep the full "
                          "text in JSONL." % (csv_path, r, col, len(v), CELL_LIMIT),
                          file=sys.stderr)
                elif len(v.encode("utf-16-le")) // 2 > CELL_LIMIT:
                    print("  NOTE %s row %d %s: %d characters but %d UTF-16 units; Excel counts "
                          "UTF-16 units against its %d limit" % (csv_path, r, col, len(v),
                          len(v.encode("utf-16-le")) // 2, CELL_LIMIT), file=sys.stderr)
        return expected

    def check_all(self, csv_paths, workdir):
        profile = os.path.join(workdir, "profile")
        tables = [self.load(p) for p in csv_paths]
        # Copies with distinct names, so one soffice run per import filter converts them all.
        copies = []
        for i, p in enumerate(csv_paths):
            q = os.path.join(workdir, "%d_%s" % (i, os.path.basename(p)))
            shutil.copyfile(p, q)
            copies.append(q)
        # 1. strict import: every column Text but word_count; groups by header (column formats).
        groups = {}
        for i, t in enumerate(tables):
            fmts = "/".join("%d/%d" % (c + 1, 1 if h in NUMERIC_COLUMNS else 2)
                            for c, h in enumerate(t[0]))
            groups.setdefault(fmts, []).append(i)
        for n, (fmts, idx) in enumerate(sorted(groups.items())):
            odss = convert([copies[i] for i in idx], csv_filter(fmts, False),
                           os.path.join(workdir, "text%d" % n), profile)
            for i, ods in zip(idx, odss):
                self.compare(csv_paths[i] + " [as text]", tables[i][0], tables[i],
                             read_ods(ods), strict=True)
        # 2. careless import: all Standard, formulas evaluated. A control file whose cell is
        # NOT neutralized must come back as a formula, or this import proves nothing.
        control = os.path.join(workdir, "control_formula.csv")
        with open(control, "w", encoding="utf-8", newline="") as f:
            f.write("id,title\r\nc1,=1+1\r\n")
        odss = convert(copies + [control], csv_filter("", True), os.path.join(workdir, "std"),
                       profile)
        control_rows = read_ods(odss.pop())
        if len(control_rows) < 2 or len(control_rows[1]) < 2 or control_rows[1][1][2] is None:
            sys.exit("check-spreadsheet: FAILED: control: an unneutralized =1+1 did not import "
                     "as a formula with 'evaluate formulas' on, so the formula check is void "
                     "(CSV filter options changed in this LibreOffice?)")
        for i, ods in enumerate(odss):
            self.compare(csv_paths[i] + " [standard, formulas on]", tables[i][0], tables[i],
                         read_ods(ods), strict=False)

    def compare(self, label, header, expected, got, strict):
        if len(got) != len(expected):
            self.bad("%s: %d rows in the sheet, %d in the CSV" % (label, len(got), len(expected)))
        reinterpreted = Counter()
        for r in range(min(len(got), len(expected))):
            exp_row, got_row = expected[r], got[r]
            if len(got_row) > len(exp_row):
                self.bad("%s row %d: %d cells, CSV has %d fields"
                         % (label, r + 1, len(got_row), len(exp_row)))
            for c, exp in enumerate(exp_row):
                col = header[c] if c < len(header) else "#%d" % (c + 1)
                vtype, text, formula = got_row[c] if c < len(got_row) else (None, "", None)
                self.cells += 1
                where = "%s row %d %s" % (label, r + 1, col)
                if formula is not None:
                    self.bad("%s: holds a formula %s (CSV %s)" % (where, show(formula), show(exp)))
                    continue
                if exp == "":
                    if vtype is not None or text != "":
                        self.bad("%s: expected an empty cell, got %s %s" % (where, vtype,
                                                                            show(text)))
                    continue
                numeric = r > 0 and col in NUMERIC_COLUMNS
                if not strict and exp.startswith("'") and exp[1:2] and exp[1] in TRIGGERS:
                    # neutralized cell under the riskiest import: must stay this exact text
                    if vtype != "string" or text != exp:
                        self.bad("%s: neutralized cell %s read back as %s %s"
                                 % (where, show(exp), vtype, show(text)))
                    continue
                if not strict:
                    if not numeric and (vtype != "string" or text != exp):
                        reinterpreted[col] += 1
                    continue
                want_type = "float" if numeric else "string"
                if vtype != want_type or text != exp:
                    self.bad("%s: CSV %s read back as %s %s" % (where, show(exp), vtype,
                                                                 show(text)))
        if reinterpreted:
            print("  note: %s: %s read as numbers or dates under Standard columns; import "
                  "those columns as Text to keep them as written"
                  % (label, ", ".join("%d %s" % (n, c) for c, n in sorted(reinterpreted.items()))))


AWKWARD = {
    "a title neutralized from =": lambda r, h: r[h.index("title")].startswith("'="),
    "a title neutralized from @": lambda r, h: r[h.index("title")].startswith("'@"),
    "a multi-line text": lambda r, h: "\n" in r[h.index("text")],
    "curly quotes": lambda r, h: any(q in "".join(r) for q in "\u201c\u201d\u2018\u2019"),
    "accents": lambda r, h: any(a in "".join(r) for a in "\u00e9\u00eb\u00e7\u00e3\u00c5"),
    "an emoji": lambda r, h: any(ord(ch) >= 0x1F300 for ch in "".join(r)),
    "CJK": lambda r, h: any(0x4E00 <= ord(ch) <= 0x9FFF for ch in "".join(r)),
    "a text over the cell limit (or marked truncated)": lambda r, h: (
        len(r[h.index("text")]) > CELL_LIMIT
        or ("text_truncated" in h and r[h.index("text_truncated")] == "true")),
}


def check_awkward(path):
    """The generated input's CSV must still hold every awkward case, or the check proves little."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    missing = [name for name, test in AWKWARD.items() if not any(test(r, header) for r in rows)]
    if missing:
        sys.exit("check-spreadsheet: FAILED: %s lacks %s (did newsclean drop or change the "
                 "generated articles?)" % (path, ", ".join(missing)))


def main():
    sys.stdout.reconfigure(line_buffering=True)
    args = sys.argv[1:]
    awkward = []
    while args and args[0] == "--awkward":
        awkward.append(args[1])
        args = args[2:]
    paths = awkward + args
    if not paths:
        sys.exit("usage: check_spreadsheet.py [--awkward GENERATED.csv ...] ARTICLES.csv [...]")
    for p in awkward:
        check_awkward(p)
    chk = Checker()
    with tempfile.TemporaryDirectory(prefix="newsclean-calc-") as work:
        chk.check_all(paths, work)
    print("spreadsheet: %d cells checked, %d mismatches, %d over %d characters"
          % (chk.cells, chk.mismatches, chk.too_long, CELL_LIMIT))
    if chk.mismatches or chk.too_long:
        print("check-spreadsheet: FAILED (%d mismatches, %d cells over the %d-character cell "
              "limit)" % (chk.mismatches, chk.too_long, CELL_LIMIT), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
