//! Atomic run output: files are written into `OUT/.newsclean-staging-PID/` and moved into
//! `OUT/` by `commit` only after the whole run succeeded. Dropping an uncommitted staging area
//! removes it, so a failed run changes nothing in `OUT/`.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Name prefix of staging directories (followed by the process id).
pub const STAGING_PREFIX: &str = ".newsclean-staging-";

/// Held while a run of this process moves its outputs into place, so that an interruption
/// (`abandon`) either waits for the move to end or keeps it from starting: the output folder
/// holds all of the old files or all of the new ones, never a mix.
static PUBLISHING: Mutex<()> = Mutex::new(());

/// The staging directory a run of this process uses in `out_dir`.
pub fn staging_dir(out_dir: &Path) -> PathBuf {
    out_dir.join(format!("{STAGING_PREFIX}{}", std::process::id()))
}

/// Abandons the run of this process that writes to `out_dir`: removes its staging directory
/// (a large run's is gigabytes of scratch files), leaving the outputs in `out_dir` as they
/// were. Waits for a publishing in progress to end. While the returned guard is held, no run of
/// this process publishes: the caller (a signal handler) holds it until the process exits.
pub fn abandon(out_dir: &Path) -> MutexGuard<'static, ()> {
    let held = PUBLISHING.lock().unwrap_or_else(PoisonError::into_inner);
    remove_dir_racing_writers(&staging_dir(out_dir));
    held
}

/// Removes `dir`, which the run's threads may still be writing into: a file they create while
/// the folder is being emptied makes the removal fail, so it is tried again a few times.
pub(crate) fn remove_dir_racing_writers(dir: &Path) {
    for _ in 0..20 {
        match std::fs::remove_dir_all(dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            _ => return,
        }
    }
}

/// A staging directory for one run's outputs.
#[derive(Debug)]
pub struct Staging {
    out_dir: PathBuf,
    dir: PathBuf,
    files: Vec<String>,
    committed: bool,
    /// The final syncs of the finished files, still running (see `StagedFile::finish`).
    final_syncs: FinalSyncs,
}

/// Final syncs in flight, with the path of each file.
type FinalSyncs = Arc<Mutex<Vec<(PathBuf, SyncThread)>>>;

/// A sync running on a thread of its own.
type SyncThread = std::thread::JoinHandle<std::io::Result<()>>;

/// Waits for `sync`, if any: its outcome, or its panic resumed here.
fn joined(sync: Option<SyncThread>) -> std::io::Result<()> {
    match sync.map(std::thread::JoinHandle::join) {
        None => Ok(()),
        Some(Ok(outcome)) => outcome,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
    }
}

impl Staging {
    /// Creates the output directory if needed and a fresh staging directory inside it.
    pub fn create(out_dir: &Path) -> Result<Staging> {
        let fail = |source| Error::OutputDir {
            path: out_dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(out_dir).map_err(fail)?;
        remove_abandoned_staging(out_dir);
        let dir = staging_dir(out_dir);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(fail)?;
        }
        std::fs::create_dir(&dir).map_err(fail)?;
        Ok(Staging {
            out_dir: out_dir.to_path_buf(),
            dir,
            files: Vec::new(),
            committed: false,
            final_syncs: FinalSyncs::default(),
        })
    }

    /// Path of a scratch file in the staging area that is not published.
    pub fn scratch_path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Creates an output file `name` in the staging area; it is published by `commit`.
    pub fn create_file(&mut self, name: &str) -> Result<StagedFile> {
        let path = self.dir.join(name);
        let file = File::create(&path).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        self.files.push(name.to_string());
        Ok(StagedFile {
            writer: BufWriter::with_capacity(1 << 20, file),
            path,
            unsynced: 0,
            syncing: None,
            final_syncs: Arc::clone(&self.final_syncs),
        })
    }

    /// Waits for the final syncs of the files finished so far; the first error, with its
    /// file. `commit` waits for them anyway; a run calls this before it stops its clock, so
    /// its time counts them.
    pub fn wait_for_syncs(&self) -> Result<()> {
        let syncs = std::mem::take(
            &mut *self
                .final_syncs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let mut outcome = Ok(());
        for (path, sync) in syncs {
            if let (Ok(()), Err(source)) = (&outcome, joined(Some(sync))) {
                outcome = Err(Error::Write { path, source });
            }
        }
        outcome
    }

    /// Moves every staged output file into the output directory (each rename is atomic), once
    /// each is on disk.
    pub fn commit(mut self) -> Result<()> {
        self.wait_for_syncs()?;
        let _publishing = PUBLISHING.lock().unwrap_or_else(PoisonError::into_inner);
        // An interruption while the syncs ran removed the files: nothing is published.
        if !self.dir.exists() {
            return Err(Error::Write {
                path: self.dir.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::Interrupted,
                    "the run was abandoned before its outputs were published",
                ),
            });
        }
        for name in &self.files {
            let from = self.dir.join(name);
            let to = self.out_dir.join(name);
            std::fs::rename(&from, &to).map_err(|source| Error::Write { path: to, source })?;
        }
        self.committed = true;
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // The files' syncs end before their folder goes.
        let _ = self.wait_for_syncs();
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Write for StagedFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.writer.write(buf)?;
        self.wrote(n).map_err(std::io::Error::other)?;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// Removes staging directories left by runs that were killed (their process is gone), so an
/// interrupted run leaves no litter beyond the next run. Only checked where `/proc` exists.
fn remove_abandoned_staging(out_dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(STAGING_PREFIX) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Bytes written to a staged file between two background syncs. The run's end waits for the
/// last one of each file: at 32 MB that wait was ~25 ms of a 100 MB run's end (the CPU idle);
/// at 8 MB it is ~5 ms, with no change in the CPU time (4 MB gained nothing more).
const SYNC_EVERY: u64 = 8 << 20;

/// A buffered output file in the staging area that reports errors with its path.
///
/// Every `SYNC_EVERY` bytes the data written so far is synced to disk on a background thread,
/// so the sync that `finish` waits for (before the file may be published) only covers the
/// tail: otherwise a run ends waiting for its whole output to reach the disk.
pub struct StagedFile {
    writer: BufWriter<File>,
    path: PathBuf,
    /// Bytes written since the last background sync started.
    unsynced: u64,
    /// The background sync in flight, if any.
    syncing: Option<SyncThread>,
    /// Where `finish` leaves the file's final sync for `Staging::commit` to wait for.
    final_syncs: FinalSyncs,
}

impl StagedFile {
    /// Writes bytes.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        self.writer
            .write_all(bytes)
            .map_err(|source| self.write_error(source))?;
        self.wrote(bytes.len())
    }

    /// The file's path (for error messages).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Counts `n` bytes written and starts a background sync when enough are unsynced and
    /// no sync is in flight.
    fn wrote(&mut self, n: usize) -> Result<()> {
        self.unsynced += n as u64;
        if self.unsynced < SYNC_EVERY || self.syncing.as_ref().is_some_and(|s| !s.is_finished()) {
            return Ok(());
        }
        self.join_sync()?;
        let file = self.flushed_handle()?;
        // Without a thread (the system refused one) the final sync does all the work.
        self.syncing = std::thread::Builder::new()
            .name("newsclean-sync".into())
            .spawn(move || {
                file.sync_data()?;
                drop_synced_pages(&file);
                Ok(())
            })
            .ok();
        self.unsynced = 0;
        Ok(())
    }

    /// Flushes the buffered bytes to the file and returns a second handle to it, for a sync on
    /// another thread.
    fn flushed_handle(&mut self) -> Result<File> {
        self.writer
            .flush()
            .map_err(|source| self.write_error(source))?;
        self.writer
            .get_ref()
            .try_clone()
            .map_err(|source| self.write_error(source))
    }

    /// Waits for the background sync in flight, if any, and reports its error.
    fn join_sync(&mut self) -> Result<()> {
        joined(self.syncing.take()).map_err(|source| self.write_error(source))
    }

    fn write_error(&self, source: std::io::Error) -> Error {
        Error::Write {
            path: self.path.clone(),
            source,
        }
    }

    /// Flushes the file and starts its final sync to disk, which `Staging::commit` waits for
    /// before publishing anything. The run's last files are finished one after another, each
    /// sync a wait for the disk (20-25 ms for the tail of an article file, with the CPU idle):
    /// started here, they overlap each other and the writing of the files after.
    pub fn finish(mut self) -> Result<()> {
        let file = self.flushed_handle()?;
        // The background sync in flight (of the last `SYNC_EVERY` bytes or so, started near
        // the end) is waited for by the final one, not here.
        let in_flight = self.syncing.take();
        let thread = std::thread::Builder::new().name("newsclean-sync".into());
        let spawned = thread.spawn(move || {
            joined(in_flight)?;
            file.sync_all()
        });
        match spawned {
            Ok(sync) => {
                self.final_syncs
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((self.path.clone(), sync));
                Ok(())
            }
            // Without a thread, the sync is waited for here; it covers what the one in
            // flight was writing.
            Err(_) => self
                .writer
                .get_ref()
                .sync_all()
                .map_err(|source| self.write_error(source)),
        }
    }
}

/// Asks the kernel to drop the file's clean pages, those a sync has just written, from the
/// page cache. The run will not read them again, and a page freed now is the one its next
/// write gets, instead of the cache growing with the output (3.6 GB for the 1 GB corpus) on
/// fresh pages, which on a VM cost several times a recycled one. Advice only: pages still
/// dirty stay, and an error changes nothing.
fn drop_synced_pages(file: &File) {
    #[cfg(target_os = "linux")]
    let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::DontNeed);
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_abandoned_run_publishes_nothing() {
        let out = tempfile::tempdir().unwrap();
        std::fs::write(out.path().join("a.txt"), "previous").unwrap();
        let mut staging = Staging::create(out.path()).unwrap();
        let mut file = staging.create_file("a.txt").unwrap();
        file.write_all(b"new").unwrap();
        file.finish().unwrap();
        drop(abandon(out.path()));
        assert!(!staging_dir(out.path()).exists());
        assert!(staging.commit().is_err());
        assert_eq!(
            std::fs::read_to_string(out.path().join("a.txt")).unwrap(),
            "previous"
        );
        let names: Vec<_> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.txt"]);
    }

    #[test]
    fn a_file_synced_in_the_background_is_published_whole() {
        let out = tempfile::tempdir().unwrap();
        let mut staging = Staging::create(out.path()).unwrap();
        let mut file = staging.create_file("big.bin").unwrap();
        // Past the sync threshold through both ways of writing, in pieces that do not divide it.
        let piece: Vec<u8> = (0..=250u8).cycle().take(1_000_003).collect();
        let pieces = (2 * SYNC_EVERY) as usize / piece.len() + 2;
        for i in 0..pieces {
            if i % 2 == 0 {
                file.write_all(&piece).unwrap();
            } else {
                Write::write_all(&mut file, &piece).unwrap();
            }
        }
        assert!(file.syncing.is_some(), "a background sync was started");
        file.finish().unwrap();
        assert_eq!(
            staging.final_syncs.lock().unwrap().len(),
            1,
            "the final sync is left for commit"
        );
        staging.commit().unwrap();
        let written = std::fs::read(out.path().join("big.bin")).unwrap();
        assert_eq!(written.len(), pieces * piece.len());
        assert!(written.chunks(piece.len()).all(|c| c == piece.as_slice()));
    }

    #[test]
    fn finished_files_are_synced_before_commit_and_a_dropped_staging_leaves_nothing() {
        let out = tempfile::tempdir().unwrap();
        let mut staging = Staging::create(out.path()).unwrap();
        for name in ["a.txt", "b.txt"] {
            let mut file = staging.create_file(name).unwrap();
            file.write_all(name.as_bytes()).unwrap();
            file.finish().unwrap();
        }
        assert_eq!(staging.final_syncs.lock().unwrap().len(), 2);
        staging.wait_for_syncs().unwrap();
        assert!(staging.final_syncs.lock().unwrap().is_empty());
        let mut file = staging.create_file("c.txt").unwrap();
        file.write_all(b"c").unwrap();
        file.finish().unwrap();
        let dir = staging.dir.clone();
        drop(staging);
        assert!(!dir.exists(), "an uncommitted staging area is removed");
        assert!(
            !out.path().join("a.txt").exists(),
            "and nothing is published"
        );
    }
}
