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

/// An article's JSON object rendered before dedup has decided how many copies it stands for:
/// everything up to the value of `duplicate_count`, the last field. Rendering happens in the
/// parallel map; writing only appends the count.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonHead(pub Vec<u8>);

/// The serialized end of an object whose `duplicate_count` is 0.
const COUNT_ZERO_END: &[u8] = b"\"duplicate_count\":0}";

impl JsonHead {
    /// Renders `article` (its `duplicate_count` is ignored).
    pub fn render(article: &OutputArticle) -> std::result::Result<Self, serde_json::Error> {
        // The pipeline renders before dedup, with a count of 0: no copy of the text is needed.
        let mut bytes = if article.duplicate_count == 0 {
            serde_json::to_vec(article)?
        } else {
            serde_json::to_vec(&OutputArticle {
                duplicate_count: 0,
                ..article.clone()
            })?
        };
        if !bytes.ends_with(COUNT_ZERO_END) {
            // `duplicate_count` is declared last in OutputArticle; a reordering breaks this.
            return Err(serde::ser::Error::custom(
                "duplicate_count is not the last field of OutputArticle",
            ));
        }
        bytes.truncate(bytes.len() - 2);
        Ok(JsonHead(bytes))
    }

    /// Appends the complete object with `duplicate_count` set to `count`.
    pub fn finish_into(&self, count: u32, out: &mut Vec<u8>) {
        Self::finish_bytes(&self.0, count, out);
    }

    /// `finish_into` for head bytes held elsewhere (a spill record's buffer).
    pub fn finish_bytes(head: &[u8], count: u32, out: &mut Vec<u8>) {
        out.extend_from_slice(head);
        out.extend_from_slice(count.to_string().as_bytes());
        out.push(b'}');
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

    /// Writes one element that is already JSON.
    pub fn write_raw(&mut self, element: &[u8]) -> Result<()> {
        self.file
            .write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
        self.file.write_all(element)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_with_count_is_the_whole_object() {
        let article = OutputArticle {
            id: "a\"1".into(),
            source: "s".into(),
            url: None,
            site: Some("Site".into()),
            title: Some("T".into()),
            date: None,
            text: "line\nline".into(),
            word_count: 2,
            content_hash: "00".into(),
            lang: Some("en".into()),
            duplicate_count: 7,
        };
        let head = JsonHead::render(&article).expect("renders");
        for count in [0, 7, 1234] {
            let mut out = Vec::new();
            head.finish_into(count, &mut out);
            let expected = serde_json::to_vec(&OutputArticle {
                duplicate_count: count,
                ..article.clone()
            })
            .expect("serializes");
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&expected)
            );
        }
    }
}
