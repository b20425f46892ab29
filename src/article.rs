//! The values that flow through the pipeline: a `RawRecord` as read from an input file, and the
//! `Article` that the stages clean. Neither type does any work; stages own the logic.

use serde::{Deserialize, Serialize};

/// One input record as read, before any cleaning: the text plus any metadata the input carried.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawRecord {
    /// Stable id: given by the record, else derived from the file name (and record number).
    pub id: String,
    /// Where the record came from: the file path, with `:N` for the record number in multi-record files.
    pub source: String,
    /// Position of the record in the run's input order (sorted files, then record order).
    pub seq: u64,
    /// URL given by the input, if any.
    pub url: Option<String>,
    /// Title given by the input; wins over extraction.
    pub title: Option<String>,
    /// Date given by the input; normalized to ISO 8601 when recognisable, wins over extraction.
    pub date: Option<String>,
    /// Site name given by the input.
    pub site: Option<String>,
    /// The raw article text.
    pub text: String,
    /// Repairs made while reading (encoding, markup, id clash) that become audit events.
    pub ingest_notes: Vec<IngestNote>,
}

/// A repair made while reading a record, recorded as an `ingest` audit event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestNote {
    /// Reason code, e.g. `encoding:windows_1252`, `markup:html_stripped`, `id:duplicate_renamed`.
    pub reason: String,
    /// What was there before (e.g. the clashing id), or empty.
    pub before: String,
    /// What it became, or empty.
    pub after: String,
}

impl IngestNote {
    /// A note with only a reason code.
    pub fn reason(reason: impl Into<String>) -> Self {
        IngestNote {
            reason: reason.into(),
            ..IngestNote::default()
        }
    }
}

/// An article being cleaned. The body is a list of paragraphs; a paragraph may hold several
/// lines (`\n`-separated) when the input had no blank line between them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id (see `RawRecord::id`).
    pub id: String,
    /// Input file and record number.
    pub source: String,
    /// Position in input order; the tie-breaker of last resort and the output order.
    pub seq: u64,
    /// URL, when known.
    pub url: Option<String>,
    /// Site name, given or extracted.
    pub site: Option<String>,
    /// Title, given or extracted.
    pub title: Option<String>,
    /// Publication date as ISO 8601 (`YYYY-MM-DD`), given or extracted.
    pub date: Option<String>,
    /// Whether the title came from the input record (then extraction must not replace it).
    pub title_given: bool,
    /// Whether the date came from the input record.
    pub date_given: bool,
    /// Body paragraphs in order.
    pub paragraphs: Vec<String>,
    /// Detected language (ISO 639-1 code such as `en`), when known.
    pub lang: Option<String>,
}

impl Article {
    /// Builds an article from a raw record whose text has already been normalized into paragraphs.
    pub fn from_record(record: RawRecord, paragraphs: Vec<String>) -> Self {
        Article {
            title_given: record.title.is_some(),
            date_given: record.date.is_some(),
            id: record.id,
            source: record.source,
            seq: record.seq,
            url: record.url,
            site: record.site,
            title: record.title,
            date: record.date,
            paragraphs,
            lang: None,
        }
    }

    /// The body as written to the outputs: paragraphs joined by a blank line.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }

    /// Number of whitespace-separated words in the body.
    pub fn word_count(&self) -> usize {
        self.paragraphs.iter().map(|p| count_words(p)).sum()
    }

    /// Total bytes of body text (without separators): the "completeness" used to pick a canonical copy.
    pub fn body_len(&self) -> usize {
        self.paragraphs.iter().map(String::len).sum()
    }
}

/// `text.split_whitespace().count()` by bytes: ASCII bytes are classified by a comparison, and
/// only characters outside ASCII are decoded (a few Unicode spaces separate words too). The
/// count runs once per kept article over all its text, so it is worth the byte loop.
pub fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0usize;
    let mut in_word = false;
    let mut pos = 0;
    while pos < bytes.len() {
        let b = bytes[pos];
        let (space, len) = if b < 0x80 {
            (b == b' ' || (b'\t'..=b'\r').contains(&b), 1)
        } else {
            // `pos` is always at a char boundary: ASCII steps one byte, others their length.
            let c = text[pos..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        };
        count += usize::from(!space && !in_word);
        in_word = !space;
        pos += len;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::count_words;
    use proptest::prelude::*;

    #[test]
    fn counts_words_like_split_whitespace() {
        for text in [
            "",
            " ",
            "one",
            "  two  words ",
            "tabs\tand\nnewlines\r\nvt\x0bff\x0c",
            "no\u{a0}break thin\u{2009}space ideo\u{3000}graphic “quoted” café",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn count_words_matches_split_whitespace(text in "[a-z \\t\\n\u{a0}\u{2009}\u{85}é“\u{1F600}]{0,40}") {
            prop_assert_eq!(count_words(&text), text.split_whitespace().count());
        }
    }
}
