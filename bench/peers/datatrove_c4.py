"""datatrove: JsonlReader -> C4QualityFilter -> JsonlWriter over the JSONL shards.

Usage: datatrove_c4.py DATA_DIR WORK_DIR WORKERS

C4QualityFilter counts sentences with datatrove's English tokenizer, which is spaCy's blank
"en" pipeline (no model download). NLTK punkt is not needed for English, so this runs offline.
"""
import sys
import time

from common import input_bytes, report
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.filters import C4QualityFilter
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter


def main() -> None:
    data_dir, work, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    executor = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(data_dir, glob_pattern="*.jsonl"),
            C4QualityFilter(),
            JsonlWriter(f"{work}/c4-output"),
        ],
        tasks=workers,
        workers=workers,
        logging_dir=f"{work}/c4-logs",
    )
    start = time.perf_counter()
    stats = executor.run()
    seconds = time.perf_counter() - start
    docs = 0
    try:
        for step in stats.stats:
            if "Reader" in step.name or "📖" in step.name:
                docs = int(step.stats.get("documents", {}).total) if "documents" in step.stats else docs
    except Exception:  # the stats layout differs between versions; docs is informative only
        pass
    report("datatrove C4QualityFilter", seconds, input_bytes(data_dir), docs, workers=workers)


if __name__ == "__main__":
    main()
