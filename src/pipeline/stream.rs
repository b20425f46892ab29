//! Streaming the input in chunks through a parallel map, with reading on its own thread, and
//! the progress bar.

use crate::config::Config;
use crate::error::{Error, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

/// The most items of a chunk one rayon task maps in a row. Without a cap rayon cuts a chunk
/// into a few long runs (2048 items: runs of 512 on two threads), and a run cannot be stolen
/// once started: a thread that finished its runs idled until the other finished its own, up to
/// ~50 ms per chunk (seen in a per-thread timeline, one core idle at every chunk's end). Runs of
/// 8 leave at most eight articles' time of imbalance; shorter runs cost more in task overhead
/// than they save (A/B pairs, 100 MB of JSONL, 2 threads: 8 -4.0% and -4.7% wall against no
/// cap; 32 -1.5% and -2.6%; 2 and 16 ~1.5% slower than 8).
const MAX_ITEMS_PER_TASK: usize = 8;

/// Streams items through `map` in parallel chunks, handing results to `reduce` in input order.
/// Three things overlap: `produce` (reading the input or a spill: file I/O, decompression,
/// parsing) runs on its own thread a couple of chunks ahead, calling its sink with each item
/// and the input bytes it stands for; the parallel map runs on the rayon pool; and `reduce`
/// runs on its own thread on the previous chunk's results, so the pool does not idle while
/// results are written or merged. The bounded channels keep memory at a few chunks.
///
/// On a one-thread pool nothing overlaps: reading, the map and the reduce take turns on the
/// calling thread, so `--threads 1` uses one core (overlapped, it used 1.15-1.3).
pub(super) fn stream_chunks<I: Send, T: Send>(
    cfg: &Config,
    progress: &ProgressBar,
    total_bytes: u64,
    produce: impl FnOnce(&mut dyn FnMut(I, u64) -> bool) + Send,
    map: impl Fn(I) -> T + Sync,
    reduce: impl FnMut(Vec<T>) -> Result<()> + Send,
) -> Result<()> {
    if rayon::current_num_threads() == 1 {
        stream_chunks_serial(cfg, progress, total_bytes, produce, map, reduce)
    } else {
        stream_chunks_overlapped(cfg, progress, total_bytes, produce, map, reduce)
    }
}

/// `stream_chunks` on the calling thread alone.
fn stream_chunks_serial<I, T>(
    cfg: &Config,
    progress: &ProgressBar,
    total_bytes: u64,
    produce: impl FnOnce(&mut dyn FnMut(I, u64) -> bool),
    map: impl Fn(I) -> T,
    mut reduce: impl FnMut(Vec<T>) -> Result<()>,
) -> Result<()> {
    let mut run_chunk = |items: Vec<I>, bytes: u64| -> Result<()> {
        let results: Vec<T> = items.into_iter().map(&map).collect();
        progress.inc(bytes);
        reduce(results)
    };
    let mut outcome = Ok(());
    // A failed reduce stops the reading.
    in_chunks(cfg.chunk_size, total_bytes, produce, |items, bytes| {
        outcome = run_chunk(items, bytes);
        outcome.is_ok()
    });
    outcome
}

/// Runs `produce`, handing its items to `emit` in chunks of up to `size` with the input bytes
/// they stand for; stops reading when `emit` answers false. The first chunks are smaller
/// (`size / 16`, doubling up to `size`): the pool idles until the first chunk is read, which
/// for a 2048-record chunk of JSON was 50 ms of each pass. So are the last ones, when
/// `total_bytes` (what `produce` hands over in all; 0 if unknown) tells the end is near: no
/// chunk is cut larger than half the items still to come (estimated from the bytes per item
/// so far), down to `size / 16`, because the last chunk's reduce runs while the pool waits
/// (a 2048-article reduce was ~20 ms of one core at each pass's end). The sizes depend on
/// `size`, `total_bytes` and the items alone, so every run of a config on an input cuts it the
/// same way, whatever the thread count.
fn in_chunks<I>(
    size: usize,
    total_bytes: u64,
    produce: impl FnOnce(&mut dyn FnMut(I, u64) -> bool),
    mut emit: impl FnMut(Vec<I>, u64) -> bool,
) {
    let smallest = (size / 16).clamp(1, size.max(1));
    let mut target = smallest;
    let mut chunk: Vec<I> = Vec::with_capacity(target);
    let mut chunk_bytes = 0u64;
    let (mut seen_items, mut seen_bytes) = (0u64, 0u64);
    let mut wanted = true;
    produce(&mut |item, bytes| {
        if !wanted {
            return false;
        }
        chunk.push(item);
        chunk_bytes += bytes;
        seen_items += 1;
        seen_bytes += bytes;
        if chunk.len() >= target {
            target = (target * 2).min(size);
            if total_bytes > 0 && seen_bytes > 0 {
                let still_to_come = u128::from(total_bytes.saturating_sub(seen_bytes))
                    * u128::from(seen_items)
                    / u128::from(seen_bytes);
                let half = usize::try_from(still_to_come / 2).unwrap_or(usize::MAX);
                target = target.min(half.max(smallest));
            }
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(target));
            wanted = emit(full, std::mem::take(&mut chunk_bytes));
        }
        wanted
    });
    if wanted && !chunk.is_empty() {
        emit(chunk, chunk_bytes);
    }
}

/// `stream_chunks` with reading, the map and the reduce overlapped on their own threads.
fn stream_chunks_overlapped<I: Send, T: Send>(
    cfg: &Config,
    progress: &ProgressBar,
    total_bytes: u64,
    produce: impl FnOnce(&mut dyn FnMut(I, u64) -> bool) + Send,
    map: impl Fn(I) -> T + Sync,
    mut reduce: impl FnMut(Vec<T>) -> Result<()> + Send,
) -> Result<()> {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<(Vec<I>, u64)>(2);
    let (result_sender, result_receiver) = std::sync::mpsc::sync_channel::<Vec<T>>(1);
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new().name("newsclean-read".into());
        let spawned = reader.spawn_scoped(scope, move || {
            // The sink answers whether more items are wanted, so a failed run stops reading.
            in_chunks(cfg.chunk_size, total_bytes, produce, |items, bytes| {
                sender.send((items, bytes)).is_ok()
            });
        });
        if let Err(e) = spawned {
            return Err(Error::ThreadPool(format!(
                "starting the reader thread: {e}"
            )));
        }
        let reducer = std::thread::Builder::new().name("newsclean-reduce".into());
        let reducing = reducer.spawn_scoped(scope, move || -> Result<()> {
            // On an error the receiver is dropped, which stops the map loop from sending more.
            for results in result_receiver {
                reduce(results)?;
            }
            Ok(())
        });
        let reducing = match reducing {
            Ok(handle) => handle,
            Err(e) => {
                return Err(Error::ThreadPool(format!(
                    "starting the reduce thread: {e}"
                )))
            }
        };
        // On an error the receiver is dropped, which stops the reader from sending more.
        for (items, bytes) in receiver {
            let results: Vec<T> = items
                .into_par_iter()
                .with_max_len(MAX_ITEMS_PER_TASK)
                .map(&map)
                .collect();
            progress.inc(bytes);
            if result_sender.send(results).is_err() {
                break;
            }
        }
        drop(result_sender);
        match reducing.join() {
            Ok(outcome) => outcome,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

pub(super) fn progress_bar(cfg: &Config, total: u64) -> ProgressBar {
    if cfg.quiet {
        return ProgressBar::hidden();
    }
    // indicatif draws only when stderr is a terminal.
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:12} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Streams 0..n through `stream_chunks` on a pool of `threads`, with a reduce that fails
    /// at chunk `fail_at`; returns the reduced chunks, how many items were produced, and
    /// whether the run failed.
    fn run(threads: usize, n: u64, fail_at: Option<usize>) -> (Vec<Vec<u64>>, u64, bool) {
        run_with_total(threads, n, 0, fail_at)
    }

    /// `run`, telling `stream_chunks` the input is `total` bytes (0: unknown).
    fn run_with_total(
        threads: usize,
        n: u64,
        total: u64,
        fail_at: Option<usize>,
    ) -> (Vec<Vec<u64>>, u64, bool) {
        let cfg = Config {
            chunk_size: 64,
            ..Config::default()
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let mut chunks = Vec::new();
        let mut produced = 0;
        let outcome = pool.install(|| {
            stream_chunks(
                &cfg,
                &ProgressBar::hidden(),
                total,
                |sink| {
                    for i in 0..n {
                        produced += 1;
                        if !sink(i, 1) {
                            return;
                        }
                    }
                },
                |i| i * 10,
                |results| {
                    if Some(chunks.len()) == fail_at {
                        return Err(Error::Config("reduce failed".into()));
                    }
                    chunks.push(results);
                    Ok(())
                },
            )
        });
        (chunks, produced, outcome.is_err())
    }

    #[test]
    fn one_thread_and_two_reduce_the_same_chunks_in_order() {
        let (serial, produced, failed) = run(1, 200, None);
        // Chunks of 4 (64 / 16), then doubling up to the chunk size.
        let sizes: Vec<usize> = serial.iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![4, 8, 16, 32, 64, 64, 12]);
        let flat: Vec<u64> = serial.iter().flatten().copied().collect();
        assert_eq!(flat, (0..200).map(|i| i * 10).collect::<Vec<_>>());
        assert_eq!((produced, failed), (200, false));
        assert_eq!(run(2, 200, None).0, serial);
    }

    #[test]
    fn the_last_chunks_shrink_when_the_total_is_known() {
        let (chunks, produced, failed) = run_with_total(1, 200, 200, None);
        let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
        // Up as without a total; then at most half of what is still to come, down to 4.
        assert_eq!(sizes, vec![4, 8, 16, 32, 64, 38, 19, 9, 5, 4, 1]);
        let flat: Vec<u64> = chunks.iter().flatten().copied().collect();
        assert_eq!(flat, (0..200).map(|i| i * 10).collect::<Vec<_>>());
        assert_eq!((produced, failed), (200, false));
        assert_eq!(run_with_total(2, 200, 200, None).0, chunks);
        // A total that is too small (an estimate) only makes the chunks small, never loses any.
        let (short, _, _) = run_with_total(1, 200, 50, None);
        let sizes: Vec<usize> = short.iter().map(Vec::len).collect();
        let mut expected = vec![4, 8, 16, 11, 5];
        expected.extend([4; 39]);
        assert_eq!(sizes, expected);
    }

    #[test]
    fn chunks_of_one_stay_at_one() {
        let mut sizes = Vec::new();
        in_chunks(
            1,
            3,
            |sink| {
                for i in 0..3 {
                    sink(i, 1);
                }
            },
            |items, bytes| {
                sizes.push((items.len(), bytes));
                true
            },
        );
        assert_eq!(sizes, vec![(1, 1), (1, 1), (1, 1)]);
    }

    #[test]
    fn a_failed_reduce_fails_the_run_and_stops_the_reading() {
        let (chunks, produced, failed) = run(1, 1000, Some(1));
        assert!(failed);
        assert_eq!(chunks, vec![vec![0, 10, 20, 30]]);
        // The serial run stops at the item that completed the failing chunk (4 + 8).
        assert_eq!(produced, 12);
        let (_, produced, failed) = run(2, 1000, Some(1));
        assert!(failed);
        assert!(produced < 1000, "the reader stops too: {produced}");
    }
}
