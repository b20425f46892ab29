//! Streaming the input in chunks through a parallel map, with reading on its own thread, and
//! the progress bar.

use crate::config::Config;
use crate::error::{Error, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

/// Streams items through `map` in parallel chunks, handing results to `reduce` in input order.
/// Three things overlap: `produce` (reading the input or a spill: file I/O, decompression,
/// parsing) runs on its own thread a couple of chunks ahead, calling its sink with each item
/// and the input bytes it stands for; the parallel map runs on the rayon pool; and `reduce`
/// runs on its own thread on the previous chunk's results, so the pool does not idle while
/// results are written or merged. The bounded channels keep memory at a few chunks.
pub(super) fn stream_chunks<I: Send, T: Send>(
    cfg: &Config,
    progress: &ProgressBar,
    produce: impl FnOnce(&mut dyn FnMut(I, u64) -> bool) + Send,
    map: impl Fn(I) -> T + Sync,
    mut reduce: impl FnMut(Vec<T>) -> Result<()> + Send,
) -> Result<()> {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<(Vec<I>, u64)>(2);
    let (result_sender, result_receiver) = std::sync::mpsc::sync_channel::<Vec<T>>(1);
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new().name("newsclean-read".into());
        let spawned = reader.spawn_scoped(scope, move || {
            let mut chunk: Vec<I> = Vec::with_capacity(cfg.chunk_size);
            let mut chunk_bytes = 0u64;
            let mut receiver_alive = true;
            // The sink answers whether more items are wanted, so a failed run stops reading.
            produce(&mut |item, bytes| {
                if !receiver_alive {
                    return false;
                }
                chunk.push(item);
                chunk_bytes += bytes;
                if chunk.len() >= cfg.chunk_size {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(cfg.chunk_size));
                    receiver_alive = sender.send((full, chunk_bytes)).is_ok();
                    chunk_bytes = 0;
                }
                receiver_alive
            });
            if receiver_alive && !chunk.is_empty() {
                let _ = sender.send((chunk, chunk_bytes));
            }
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
            let results: Vec<T> = items.into_par_iter().map(&map).collect();
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
