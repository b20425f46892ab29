"""datasketch: MinHash (128 permutations) over word 5-gram shingles of each document, then
MinHashLSH (threshold 0.8): query for earlier near-duplicates, then insert. Single process
(datasketch has no parallel mode).

Usage: datasketch_lsh.py DATA_DIR
"""
import json
import sys
import time

from common import input_bytes, report, shards
from datasketch import MinHash, MinHashLSH


def main() -> None:
    data_dir = sys.argv[1]
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    docs = dups = 0
    for path in shards(data_dir):
        with open(path, encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                words = doc["text"].lower().split()
                shingles = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
                m = MinHash(num_perm=128)
                m.update_batch([s.encode("utf-8") for s in shingles])
                if lsh.query(m):
                    dups += 1
                lsh.insert(doc["id"], m)
                docs += 1
    seconds = time.perf_counter() - start
    report("datasketch MinHashLSH", seconds, input_bytes(data_dir), docs, duplicates=dups, workers=1)


if __name__ == "__main__":
    main()
