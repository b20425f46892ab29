//! JSON writers: `articles.jsonl` (one object per line), `articles.json` (one array) and
//! `audit.jsonl` (one event per line).

use super::staging::StagedFile;
use super::OutputArticle;
use crate::audit::AuditEvent;
use crate::error::{Error, Result};
use serde::Serialize;

fn to_json<T: Serialize>(file: &StagedFile, value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::Write {
        path: file.path().to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })
}

/// Streams objects into a JSON Lines file.
pub struct JsonLinesWriter {
    file: StagedFile,
}

impl JsonLinesWriter {
    /// Wraps a staged file.
    pub fn new(file: StagedFile) -> Self {
        JsonLinesWriter { file }
    }

    /// Writes one object and a newline.
    pub fn write<T: Serialize>(&mut self, value: &T) -> Result<()> {
        let mut bytes = to_json(&self.file, value)?;
        bytes.push(b'\n');
        self.file.write_all(&bytes)
    }

    /// Writes bytes that already are JSON lines (each ending in a newline).
    pub fn write_raw(&mut self, lines: &[u8]) -> Result<()> {
        self.file.write_all(lines)
    }

    /// Finishes the file.
    pub fn finish(self) -> Result<()> {
        self.file.finish()
    }
}

/// Streams objects into one JSON array, one element per line.
pub struct JsonArrayWriter {
    file: StagedFile,
    count: usize,
}

impl JsonArrayWriter {
    /// Starts the array.
    pub fn new(mut file: StagedFile) -> Result<Self> {
        file.write_all(b"[")?;
        Ok(JsonArrayWriter { file, count: 0 })
    }

    /// Writes one element.
    pub fn write(&mut self, article: &OutputArticle) -> Result<()> {
        let bytes = to_json(&self.file, article)?;
        self.file
            .write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
        self.file.write_all(&bytes)?;
        self.count += 1;
        Ok(())
    }

    /// Closes the array and finishes the file.
    pub fn finish(mut self) -> Result<()> {
        self.file
            .write_all(if self.count == 0 { b"]\n" } else { b"\n]\n" })?;
        self.file.finish()
    }
}

/// One line of `audit.jsonl`: an event with the article it belongs to.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct AuditRecord {
    /// Article id.
    pub id: String,
    /// Article source.
    pub source: String,
    /// The event.
    #[serde(flatten)]
    pub event: AuditEvent,
}
