//! Streaming the input in chunks through a parallel map, with reading on its own thread, and
//! the progress bar.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::{self, ReadResult};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

/// Streams every input item through `map` in parallel chunks, handing results to `reduce` in
/// input order. Reading (file I/O, decompression, parsing) runs on its own thread, a couple of
/// chunks ahead, so it overlaps the parallel map instead of alternating with it; the bounded
/// channel keeps memory at a few chunks.
pub(super) fn stream_chunks<T: Send>(
    cfg: &Config,
    files: &[ingest::InputFile],
    progress: &ProgressBar,
    map: impl Fn(ReadResult) -> T + Sync,
    mut reduce: impl FnMut(Vec<T>) -> Result<()>,
) -> Result<()> {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<(Vec<ReadResult>, u64)>(2);
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new().name("newsclean-read".into());
        let spawned = reader.spawn_scoped(scope, move || {
            let mut chunk: Vec<ReadResult> = Vec::with_capacity(cfg.chunk_size);
            let mut chunk_bytes = 0u64;
            let mut receiver_alive = true;
            ingest::read_all(files, &cfg.ingest, |item, bytes| {
                if !receiver_alive {
                    return;
                }
                chunk.push(item);
                chunk_bytes += bytes;
                if chunk.len() >= cfg.chunk_size {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(cfg.chunk_size));
                    receiver_alive = sender.send((full, chunk_bytes)).is_ok();
                    chunk_bytes = 0;
                }
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
        // On an error the receiver is dropped, which stops the reader from sending more.
        for (items, bytes) in receiver {
            let results: Vec<T> = items.into_par_iter().map(&map).collect();
            progress.inc(bytes);
            reduce(results)?;
        }
        Ok(())
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
