"""Loads articles.jsonl with pandas and with Hugging Face `datasets` and validates it against the
JSON Schema. Usage: check_ml.py ARTICLES.jsonl SCHEMA.json (run by scripts/check_ml.sh)."""

import json
import sys

# Columns and their types come from the schema (its `required` list, in file order).
STRING, NULLABLE_STRING, INT, COLUMNS = [], [], [], []


def columns_from_schema(schema):
    for col in schema["required"]:
        t = schema["properties"][col]["type"]
        t = sorted(t) if isinstance(t, list) else [t]
        if t == ["string"]:
            STRING.append(col)
        elif t == ["null", "string"]:
            NULLABLE_STRING.append(col)
        elif t == ["integer"]:
            INT.append(col)
        else:
            sys.exit("check-ml: FAILED: schema type %s of %s is not handled by check_ml.py"
                     % (t, col))
        COLUMNS.append(col)

errors = []


def fail(msg):
    errors.append(msg)
    print(f"check-ml: {msg}", file=sys.stderr)


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    elif raw:
        fail(f"{path}: last line has no newline")
    records = []
    for n, line in enumerate(lines, 1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as e:
            fail(f"{path}:{n}: not JSON: {e}")
            records.append(None)
    return records


def check_schema(records, schema_path):
    import jsonschema

    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    bad = 0
    for n, rec in enumerate(records, 1):
        if rec is None:
            continue
        errs = sorted(validator.iter_errors(rec), key=lambda e: list(e.path))
        if errs:
            bad += 1
            if bad <= 10:
                for e in errs[:3]:
                    where = "/".join(str(p) for p in e.path) or "(object)"
                    fail(f"line {n}: schema: {where}: {e.message[:200]}")
    ids = [r["id"] for r in records if isinstance(r, dict) and "id" in r]
    if len(set(ids)) != len(ids):
        fail(f"ids are not unique: {len(ids) - len(set(ids))} repeated")
    return bad == 0


def check_pandas(path, records):
    import pandas as pd
    from pandas.api import types as t

    # dtype=False: keep values as written. With pandas' defaults, read_json guesses types and
    # turns all-digit ids into integers and the `date` column into datetimes.
    df = pd.read_json(path, lines=True, dtype=False)
    ok = True
    if len(df) != len(records):
        fail(f"pandas: {len(df)} rows, file has {len(records)} lines")
        ok = False
    if list(df.columns) != COLUMNS:
        fail(f"pandas: columns {list(df.columns)}, expected {COLUMNS}")
        ok = False
    for col in INT:
        if col in df and str(df[col].dtype) != "int64" and len(df):
            fail(f"pandas: column {col} has dtype {df[col].dtype}, expected int64")
            ok = False
    for col in STRING + NULLABLE_STRING:
        if col not in df or not len(df):
            continue
        s = df[col]
        present = s.dropna()
        if col in STRING and len(present) != len(s):
            fail(f"pandas: column {col} has {len(s) - len(present)} missing values")
            ok = False
        if len(present) == 0:
            continue  # all null: pandas cannot know a type, and that is fine
        if not (t.is_string_dtype(s) or t.is_object_dtype(s)):
            fail(f"pandas: column {col} has dtype {s.dtype}, expected strings")
            ok = False
        elif not all(isinstance(v, str) for v in present):
            fail(f"pandas: column {col} holds non-string values")
            ok = False
    # Values survive the round trip exactly (text with newlines, emoji, CJK ...).
    if ok:
        for i, rec in enumerate(records):
            if rec is None:
                continue
            for col in COLUMNS:
                v = df.at[i, col]
                v = None if (not isinstance(v, str) and pd.isna(v)) else v
                w = rec.get(col)
                if col in INT:
                    v = int(v)
                if v != w:
                    fail(f"pandas: row {i + 1} column {col}: {str(v)[:60]!r} != {str(w)[:60]!r}")
                    ok = False
                    break
    return ok, df


def check_datasets(path, records):
    import datasets
    from datasets import load_dataset

    datasets.disable_progress_bars()
    ds = load_dataset("json", data_files=path, split="train")
    ok = True
    if ds.num_rows != len(records):
        fail(f"datasets: {ds.num_rows} rows, file has {len(records)} lines")
        ok = False
    if list(ds.column_names) != COLUMNS:
        fail(f"datasets: columns {ds.column_names}, expected {COLUMNS}")
        ok = False
    for col in COLUMNS:
        if col not in ds.features:
            continue
        feat = ds.features[col]
        dtype = getattr(feat, "dtype", repr(feat))
        if col in INT:
            want = {"int64"}
        elif col in STRING:
            want = {"string", "large_string"}
        else:
            # a column that is null on every line is inferred as type "null"
            want = {"string", "large_string"}
            if col == "date":
                # Arrow's JSON reader parses ISO dates: the column comes back as timestamps
                want.add("timestamp[s]")
            if all(r.get(col) is None for r in records if r):
                want.add("null")
        if dtype not in want:
            fail(f"datasets: column {col} has type {dtype}, expected {' or '.join(sorted(want))}")
            ok = False
    if ok:
        for i, row in enumerate(ds):
            if hasattr(row.get("date"), "strftime"):
                row["date"] = row["date"].strftime("%Y-%m-%d")
            if row != records[i]:
                diff = [c for c in COLUMNS if row.get(c) != records[i].get(c)]
                fail(f"datasets: row {i + 1} differs from the file in {diff}")
                ok = False
                break
    if ok and ds.features["date"].dtype.startswith("timestamp"):
        print("check-ml: note: datasets reads `date` as %s (Arrow parses ISO dates); pass "
              "features= with Value('string') to keep the text" % ds.features["date"].dtype)
    return ok


def main():
    path, schema_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        columns_from_schema(json.load(f))
    records = read_lines(path)
    n = len(records)
    if n == 0:
        sys.exit("check-ml: FAILED: %s has no rows: nothing to check" % path)
    schema_ok = check_schema(records, schema_path)
    try:
        pandas_ok, _ = check_pandas(path, records)
    except Exception as e:  # a loader that raises is the failure this check is for
        pandas_ok = False
        fail("pandas.read_json(lines=True) raised %s: %s" % (type(e).__name__, e))
    try:
        datasets_ok = check_datasets(path, records)
    except Exception as e:
        datasets_ok = False
        fail("datasets.load_dataset('json') raised %s: %s" % (type(e).__name__, e))
    word = lambda b: "ok" if b else "FAILED"
    line = (f"ml: {n} rows, pandas {word(pandas_ok)}, datasets {word(datasets_ok)}, "
            f"schema {word(schema_ok)}")
    print(line)
    if errors:
        print(f"check-ml: FAILED with {len(errors)} problem(s), see above", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
