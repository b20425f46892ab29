"""datatrove MinHash deduplication, its four stages as in examples/minhash_deduplication.py:
signatures -> buckets -> clusters -> filter (reads the shards again, writes the kept docs).

Usage: datatrove_minhash.py DATA_DIR WORK_DIR WORKERS
"""
import sys
import time

from common import input_bytes, report
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup import MinhashDedupSignature
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from datatrove.utils.hashing import HashConfig


def main() -> None:
    data_dir, work, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    # The example's defaults: 5-grams, 14 buckets x 8 hashes, 64-bit hashes.
    config = MinhashConfig(hash_config=HashConfig(precision=64), num_buckets=14, hashes_per_bucket=8, n_grams=5)
    tasks = workers

    def reader():
        return JsonlReader(data_dir, glob_pattern="*.jsonl")

    signatures = LocalPipelineExecutor(
        pipeline=[reader(), MinhashDedupSignature(output_folder=f"{work}/signatures", config=config)],
        tasks=tasks,
        workers=workers,
        logging_dir=f"{work}/logs/signatures",
    )
    buckets = LocalPipelineExecutor(
        pipeline=[
            MinhashDedupBuckets(input_folder=f"{work}/signatures", output_folder=f"{work}/buckets", config=config)
        ],
        tasks=config.num_buckets,
        workers=workers,
        logging_dir=f"{work}/logs/buckets",
        depends=signatures,
    )
    clusters = LocalPipelineExecutor(
        pipeline=[
            MinhashDedupCluster(input_folder=f"{work}/buckets", output_folder=f"{work}/remove_ids", config=config)
        ],
        tasks=1,
        logging_dir=f"{work}/logs/clusters",
        depends=buckets,
    )
    filtering = LocalPipelineExecutor(
        pipeline=[
            reader(),
            MinhashDedupFilter(
                input_folder=f"{work}/remove_ids", exclusion_writer=JsonlWriter(f"{work}/removed")
            ),
            JsonlWriter(f"{work}/deduplicated"),
        ],
        tasks=tasks,
        workers=workers,
        logging_dir=f"{work}/logs/filter",
        depends=clusters,
    )
    start = time.perf_counter()
    filtering.run()  # runs its dependencies first
    seconds = time.perf_counter() - start
    report("datatrove MinHash dedup (4 stages)", seconds, input_bytes(data_dir), 0, workers=workers)


if __name__ == "__main__":
    main()
