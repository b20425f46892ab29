//! Library errors. Only a run that cannot proceed at all is an `Error`; a bad record is a
//! `Rejected` value (see `ingest`) and the run goes on. An error that wraps an I/O error names
//! what was being done and keeps the I/O error as its `source`, not in its message: printed
//! with its chain (as the CLI does, `{:#}`), the cause then appears once.

use std::path::PathBuf;

/// Why a run could not proceed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// None of the input paths exists or holds a readable file.
    #[error("no input: {0}")]
    NoInput(String),
    /// The output directory cannot be created or written.
    #[error("output directory {path} is not writable")]
    OutputDir {
        /// The directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Writing an output file failed.
    #[error("writing {path}")]
    Write {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Reading a file failed in a way that stops the run (e.g. the spill file written by this run).
    #[error("reading {path}")]
    Read {
        /// The file being read.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An article asked for by id is not in a run's outputs.
    #[error("not found: {0}")]
    NotFound(String),
    /// The configuration is invalid.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The run's own accounting does not add up: a bug, reported loudly rather than hidden.
    #[error("conservation check failed: {0}")]
    Conservation(String),
    /// The thread pool could not be built.
    #[error("thread pool: {0}")]
    ThreadPool(String),
}

/// Result with the library's error.
pub type Result<T> = std::result::Result<T, Error>;
