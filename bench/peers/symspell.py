"""symspellpy: looks up every word token (max edit distance 2, closest suggestions) of a
sample of the corpus, the first SAMPLE_MB megabytes of article text. Single process.
The dictionary load (82,765 words, prefix length 7) is timed separately.

Usage: symspell.py DATA_DIR SAMPLE_MB
"""
import importlib.resources
import json
import re
import sys
import time

from common import report, shards
from symspellpy import SymSpell, Verbosity

WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def main() -> None:
    data_dir, sample_mb = sys.argv[1], float(sys.argv[2])
    start = time.perf_counter()
    sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    sym.load_dictionary(str(path), term_index=0, count_index=1)
    load = time.perf_counter() - start

    budget = int(sample_mb * 1e6)
    nbytes = docs = tokens = corrected = 0
    start = time.perf_counter()
    for shard in shards(data_dir):
        with open(shard, encoding="utf-8") as f:
            for line in f:
                if nbytes >= budget:
                    break
                nbytes += len(line.encode("utf-8"))
                docs += 1
                for token in WORD.findall(json.loads(line)["text"].lower()):
                    tokens += 1
                    best = sym.lookup(token, Verbosity.CLOSEST, max_edit_distance=2)
                    if best and best[0].term != token:
                        corrected += 1
        if nbytes >= budget:
            break
    seconds = time.perf_counter() - start
    report(
        "symspellpy lookup (edit distance 2)",
        seconds,
        nbytes,
        docs,
        tokens=tokens,
        corrected=corrected,
        dictionary_load_seconds=load,
        workers=1,
        sample=True,
    )


if __name__ == "__main__":
    main()
