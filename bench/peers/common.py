"""Helpers shared by the peer scripts: the input shards and the one-line JSON result."""
import glob
import json
import os
import sys


def shards(data_dir: str) -> list[str]:
    """The JSONL shards of a generated corpus, in order."""
    files = sorted(glob.glob(os.path.join(data_dir, "*.jsonl")))
    if not files:
        sys.exit(f"no .jsonl shards in {data_dir}")
    return files


def input_bytes(data_dir: str) -> int:
    return sum(os.path.getsize(f) for f in shards(data_dir))


def report(tool: str, seconds: float, nbytes: int, docs: int, **extra) -> None:
    """Prints the result line that run.sh collects."""
    print(json.dumps({"tool": tool, "seconds": seconds, "bytes": nbytes, "docs": docs, **extra}), flush=True)
