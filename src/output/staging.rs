//! Atomic run output: files are written into `OUT/.newsclean-staging-PID/` and moved into
//! `OUT/` by `commit` only after the whole run succeeded. Dropping an uncommitted staging area
//! removes it, so a failed run changes nothing in `OUT/`.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Name prefix of staging directories (followed by the process id).
pub const STAGING_PREFIX: &str = ".newsclean-staging-";

/// A staging directory for one run's outputs.
#[derive(Debug)]
pub struct Staging {
    out_dir: PathBuf,
    dir: PathBuf,
    files: Vec<String>,
    committed: bool,
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
        let dir = out_dir.join(format!("{STAGING_PREFIX}{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(fail)?;
        }
        std::fs::create_dir(&dir).map_err(fail)?;
        Ok(Staging {
            out_dir: out_dir.to_path_buf(),
            dir,
            files: Vec::new(),
            committed: false,
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
        })
    }

    /// Moves every staged output file into the output directory (each rename is atomic).
    pub fn commit(mut self) -> Result<()> {
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
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Write for StagedFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
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

/// A buffered output file in the staging area that reports errors with its path.
pub struct StagedFile {
    writer: BufWriter<File>,
    path: PathBuf,
}

impl StagedFile {
    /// Writes bytes.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        self.writer.write_all(bytes).map_err(|source| Error::Write {
            path: self.path.clone(),
            source,
        })
    }

    /// The file's path (for error messages).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes and syncs the file to disk.
    pub fn finish(mut self) -> Result<()> {
        let path = self.path.clone();
        let wrap = |source| Error::Write {
            path: path.clone(),
            source,
        };
        self.writer.flush().map_err(wrap)?;
        self.writer.get_ref().sync_all().map_err(wrap)
    }
}
