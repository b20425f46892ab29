//! Ingest: finds the input files (directories walked recursively, in sorted order) and reads
//! each into `RawRecord`s, one format per submodule. A record that cannot be used becomes a
//! `Rejected` naming the file, the record number and the reason; nothing is dropped silently.
//! Reading is streaming: a multi-record file is read record by record.

mod csv;
mod decode;
mod discover;
mod html;
mod json;
mod jsonl;
mod mojibake;
mod text;

pub use decode::decode_bytes;
pub use discover::{discover, Compression, Discovery, Format, InputFile, OwnOutputs, SkippedFile};

use crate::article::{IngestNote, RawRecord};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Ingest settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// JSONL/CSV fields tried, in order, for the article text.
    pub text_fields: Vec<String>,
    /// A record (a file, a JSON line, a CSV row) larger than this many bytes is rejected.
    pub max_record_bytes: u64,
    /// A compressed file that expands beyond this many bytes is cut there and its rest rejected.
    pub max_decompressed_bytes: u64,
    /// An article with a line longer than this many bytes is rejected (no real text has one).
    pub max_line_bytes: u64,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            text_fields: vec!["text".into(), "content".into(), "body".into()],
            max_record_bytes: 16 * 1024 * 1024,
            max_decompressed_bytes: 4 * 1024 * 1024 * 1024,
            max_line_bytes: 1024 * 1024,
        }
    }
}

/// A record that could not be used, with where it was and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    /// The record's id when it could be read, else `file:record`.
    pub id: String,
    /// File path with `:N` for the record (line) number.
    pub source: String,
    /// Position in input order.
    pub seq: u64,
    /// Short stable reason code (`json:syntax`, `csv:field_count`, `empty_text`, `io:read`, ...).
    pub reason: String,
    /// Human-readable detail.
    pub detail: String,
}

/// One item read from the input: a usable record or a rejection.
pub type ReadResult = std::result::Result<RawRecord, Rejected>;

/// Reads every record of `files`, in order, calling `sink` for each (streaming: one file open at
/// a time, records handed out as they are parsed). `seq` numbers every item, rejected or not.
/// Ids are made unique here, the one sequential point: a later record whose id was already
/// seen gets `~2`, `~3`, ... appended, and the rename is audited.
pub fn read_all(files: &[InputFile], cfg: &IngestConfig, mut sink: impl FnMut(ReadResult, u64)) {
    let mut seq = 0u64;
    let mut seen_ids: HashSet<String> = HashSet::new();
    for file in files {
        let mut emit = |item: ReadResult, bytes: u64| {
            let item = match item.and_then(|r| check_line_length(r, cfg)) {
                Ok(mut r) => {
                    r.seq = seq;
                    if !seen_ids.insert(r.id.clone()) {
                        let renamed = (2u64..)
                            .map(|n| format!("{}~{n}", r.id))
                            .find(|candidate| !seen_ids.contains(candidate))
                            .unwrap_or_default();
                        seen_ids.insert(renamed.clone());
                        r.ingest_notes.push(IngestNote {
                            reason: "id:duplicate_renamed".into(),
                            before: std::mem::replace(&mut r.id, renamed.clone()),
                            after: renamed,
                        });
                    }
                    Ok(r)
                }
                Err(mut rej) => {
                    rej.seq = seq;
                    Err(rej)
                }
            };
            seq += 1;
            sink(item, bytes);
        };
        match file.format {
            Format::Text => text::read(file, cfg, &mut emit),
            Format::Jsonl => jsonl::read(file, cfg, &mut emit),
            Format::Json => json::read(file, cfg, &mut emit),
            Format::Csv => csv::read(file, cfg, &mut emit),
        }
    }
}

/// Rejects a record holding a line longer than `max_line_bytes`.
fn check_line_length(record: RawRecord, cfg: &IngestConfig) -> ReadResult {
    // No line is longer than the whole text: most records are shorter than the limit, and
    // their lines need not be measured (this runs on the reader thread, for every record).
    if record.text.len() as u64 <= cfg.max_line_bytes {
        return Ok(record);
    }
    let longest = crate::lines::split_newlines(&record.text)
        .map(str::len)
        .max()
        .unwrap_or(0) as u64;
    if longest <= cfg.max_line_bytes {
        return Ok(record);
    }
    Err(Rejected {
        id: record.id,
        source: record.source,
        seq: record.seq,
        reason: "limit:line_bytes".into(),
        detail: format!(
            "a line of {longest} bytes is longer than max_line_bytes ({})",
            cfg.max_line_bytes
        ),
    })
}

/// Builds a rejection for `file` at record `record` (1-based; 0 for the whole file).
pub(crate) fn reject(
    file: &InputFile,
    record: u64,
    reason: &str,
    detail: impl Into<String>,
) -> Rejected {
    let source = if record == 0 {
        file.display()
    } else {
        format!("{}:{}", file.display(), record)
    };
    Rejected {
        id: source.clone(),
        source,
        seq: 0,
        reason: reason.to_string(),
        detail: detail.into(),
    }
}

/// Repairs a record's text, whatever its format, before it is normalized: markup stripped
/// from a text that is an HTML page or fragment (scraped JSON and CSV often carry the page's
/// `content` as HTML), then mojibake decoded ("Itâ€™s" → "It’s", see `mojibake`). Each repair
/// made is a note for the audit. Runs on the parallel map, not on the reading thread.
pub fn repair_text(text: String, notes: &mut Vec<IngestNote>) -> String {
    let text = if html::looks_like_html(&text) {
        notes.push(IngestNote::reason("markup:html_stripped"));
        html::html_to_text(&text)
    } else {
        text
    };
    match mojibake::repair(&text) {
        Some(repaired) => {
            notes.push(IngestNote::reason("encoding:mojibake_repaired"));
            repaired
        }
        None => text,
    }
}

/// The fields a structured record (JSONL object, CSV row) may carry, already as strings.
#[derive(Debug, Default)]
pub(crate) struct RecordFields {
    pub id: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub site: Option<String>,
    pub text: Option<String>,
}

impl RecordFields {
    /// Turns the fields into a record, or a rejection when there is no usable text.
    pub(crate) fn into_record(self, file: &InputFile, record: u64) -> ReadResult {
        let source = format!("{}:{}", file.display(), record);
        let text = match self.text {
            Some(t) if !t.trim().is_empty() => t,
            Some(_) => {
                let mut rej = reject(file, record, "empty_text", "the text field is empty");
                if let Some(id) = self.id {
                    rej.id = id;
                }
                return Err(rej);
            }
            None => {
                let mut rej = reject(
                    file,
                    record,
                    "missing_text",
                    "no text field (tried the configured text_fields)",
                );
                if let Some(id) = self.id {
                    rej.id = id;
                }
                return Err(rej);
            }
        };
        let non_empty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        let given_date = non_empty(self.date);
        let date = given_date.as_deref().and_then(normalize_given_date);
        // A date the record gives but no reader of dates understands is not passed on as it
        // is (`date` is ISO 8601 or empty in every output); the audit keeps it.
        let ingest_notes = match (given_date, &date) {
            (Some(given), None) => vec![IngestNote {
                reason: "metadata:date_unrecognised".into(),
                before: given.trim().to_string(),
                after: String::new(),
            }],
            _ => Vec::new(),
        };
        Ok(RawRecord {
            id: non_empty(self.id).unwrap_or_else(|| format!("{}:{}", file.stem(), record)),
            source,
            seq: 0,
            url: non_empty(self.url),
            title: non_empty(self.title).map(|t| t.trim().to_string()),
            date,
            site: non_empty(self.site).map(|s| s.trim().to_string()),
            text,
            ingest_notes,
        })
    }
}

/// A given date as ISO 8601 (`YYYY-MM-DD`): one of the forms `parse_date` reads, a compact
/// `YYYYMMDD`, or a Unix time in seconds (9 or 10 digits) or milliseconds (12 or 13 digits),
/// as feeds and APIs give them. `None` when it is none of these.
fn normalize_given_date(date: &str) -> Option<String> {
    let trimmed = date.trim();
    let digits = trimmed.bytes().all(|b| b.is_ascii_digit());
    if digits && trimmed.len() == 8 {
        return chrono::NaiveDate::parse_from_str(trimmed, "%Y%m%d")
            .ok()
            .map(|d| d.format("%Y-%m-%d").to_string());
    }
    if digits && matches!(trimmed.len(), 9 | 10 | 12 | 13) {
        let number: i64 = trimmed.parse().ok()?;
        let seconds = if trimmed.len() > 10 {
            number / 1000
        } else {
            number
        };
        return chrono::DateTime::from_timestamp(seconds, 0)
            .map(|t| t.date_naive().format("%Y-%m-%d").to_string());
    }
    let head = trimmed.get(..10).unwrap_or(trimmed);
    crate::extract::metadata::parse_date(head)
        .or_else(|| crate::extract::metadata::parse_date(trimmed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str) -> RawRecord {
        RawRecord {
            text: text.to_string(),
            ..RawRecord::default()
        }
    }

    #[test]
    fn given_dates_become_iso_or_are_audited_and_dropped() {
        let file = InputFile {
            path: "in/feed.jsonl".into(),
            format: Format::Jsonl,
            compression: Compression::None,
            bytes: 0,
        };
        let with_date = |date: &str| {
            RecordFields {
                date: Some(date.to_string()),
                text: Some("Body.".into()),
                ..RecordFields::default()
            }
            .into_record(&file, 1)
            .expect("a record")
        };
        for (given, iso) in [
            ("2021-03-03T10:45:00+05:00", "2021-03-03"),
            ("02/03/2021", "2021-03-02"),
            ("Tue, 02 Mar 2021 10:00:00 GMT", "2021-03-02"),
            ("1700000000", "2023-11-14"),
            ("1700000000123", "2023-11-14"),
            ("20210303", "2021-03-03"),
            ("2021/03/03", "2021-03-03"),
            ("03.03.2021", "2021-03-03"),
            ("2021-03-03 10:00", "2021-03-03"),
            ("Wednesday, March 3rd, 2021", "2021-03-03"),
        ] {
            let r = with_date(given);
            assert_eq!(r.date.as_deref(), Some(iso), "{given}");
            assert!(r.ingest_notes.is_empty(), "{given}");
        }
        for given in [
            "20211303",
            // A month or a year is not a date (`date` is a day or nothing).
            "2021-03",
            "March 2021",
            "31/02/2020",
            "2020-13-45",
            "yesterday",
            "0000-00-00",
            "12345",
        ] {
            let r = with_date(given);
            assert_eq!(r.date, None, "{given}");
            assert_eq!(r.ingest_notes.len(), 1, "{given}");
            assert_eq!(r.ingest_notes[0].reason, "metadata:date_unrecognised");
            assert_eq!(r.ingest_notes[0].before, given);
        }
    }

    #[test]
    fn only_a_line_over_the_limit_rejects_a_record() {
        let cfg = IngestConfig {
            max_line_bytes: 8,
            ..IngestConfig::default()
        };
        // Longer than the limit in all, every line within it.
        for text in [
            "12345678\n12345678",
            "short",
            "12345678",
            "\n\n1234\r\n5678\n",
        ] {
            assert!(check_line_length(record(text), &cfg).is_ok(), "{text:?}");
        }
        for text in ["123456789", "ok\n123456789", "12345678\n123456789\nok"] {
            let rejected = check_line_length(record(text), &cfg).expect_err(text);
            assert_eq!(rejected.reason, "limit:line_bytes", "{text:?}");
        }
    }
}
