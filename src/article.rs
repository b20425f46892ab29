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

/// `text.split_whitespace().count()` by bytes: 64 ASCII bytes at a time from their whitespace
/// mask (a word starts at a non-space byte after a space), then eight, decoding only
/// characters outside ASCII, since a few Unicode spaces separate words too. The count runs
/// once per kept article over all its text.
pub fn count_words(text: &str) -> usize {
    use crate::swar::{byte_mask, classes64, in_range, HIGH_BITS};
    let bytes = text.as_bytes();
    let mut count = 0usize;
    let mut after_space = true;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(block) = bytes
            .get(i..i + 64)
            .and_then(|b| <&[u8; 64]>::try_from(b).ok())
        {
            let classes = classes64(block);
            if classes.non_ascii == 0 {
                let spaces = classes.space;
                let starts = !spaces & ((spaces << 1) | u64::from(after_space));
                count += starts.count_ones() as usize;
                after_space = spaces >> 63 != 0;
                i += 64;
                continue;
            }
        }
        if let Some(block) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(block);
            let x = u64::from_le_bytes(word);
            if x & HIGH_BITS == 0 {
                // ASCII whitespace as `char::is_whitespace` has it: tab, LF, VT, FF, CR, space.
                let spaces = byte_mask(in_range(x, b'\t', b'\r') | in_range(x, b' ', b' '));
                let starts = !spaces & ((spaces << 1) | u32::from(after_space)) & 0xFF;
                count += starts.count_ones() as usize;
                after_space = spaces & 0x80 != 0;
                i += 8;
                continue;
            }
        }
        // `i` is always at a character boundary: blocks are whole ASCII bytes, and characters
        // are stepped whole.
        let (space, len) = match bytes[i] {
            b if b < 0x80 => (b == b' ' || (b'\t'..=b'\r').contains(&b), 1),
            _ => text[i..]
                .chars()
                .next()
                .map_or((true, 1), |c| (c.is_whitespace(), c.len_utf8())),
        };
        count += usize::from(!space && after_space);
        after_space = space;
        i += len;
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
            "\u{a0}",
            "a\u{85}b\u{1680}c\u{2028}d\u{2029}e\u{202f}f\u{205f}g\u{200a}h",
            "’quoted’ — dash… “and” – more",
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
        fn count_words_matches_split_whitespace(
            text in "[a-z \\t\\n\\r\u{b}\u{c}\u{a0}\u{85}\u{1680}\u{2000}\u{2009}\u{200a}\u{200b}\u{2028}\u{202f}\u{205f}\u{3000}é“’—…\u{1F600}]{0,40}"
        ) {
            prop_assert_eq!(count_words(&text), text.split_whitespace().count());
        }

        #[test]
        fn count_words_matches_split_whitespace_on_long_ascii_runs(
            text in "([a-z]{0,12}[ \\t\\n\\r\u{b}\u{c}\u{1c}\u{1f}]{0,3}){0,30}(\u{a0}|é|\u{3000})?([a-z ]{0,20})"
        ) {
            prop_assert_eq!(count_words(&text), text.split_whitespace().count());
        }
    }
}
