//! Output writing: the article files (CSV, JSON Lines, JSON), `duplicates.csv`, `audit.jsonl`
//! and `report.json`. Everything is written into a staging directory inside the output folder
//! and renamed into place only when the run completes, so an interrupted or failed run leaves
//! the previous outputs untouched and no partial file under a final name.

pub mod csv;
pub mod html;
pub mod json;
pub mod report;
pub(crate) mod staging;

pub use report::{Counts, RejectedRecord, Report};

/// Every file a run writes in its output folder (`--formats` chooses among the article files).
pub const OUTPUT_FILES: [&str; 7] = [
    "articles.csv",
    "articles.jsonl",
    "articles.json",
    "audit.jsonl",
    "duplicates.csv",
    "report.json",
    "report.html",
];
pub use staging::Staging;

use crate::article::Article;
use serde::{Deserialize, Serialize};

/// Output settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutputConfig {
    /// Prefix CSV cells that start with `=`, `+`, `-`, `@`, tab or CR with `'` so a spreadsheet
    /// shows them as text instead of running them as formulas (OWASP CSV injection advice).
    pub csv_neutralize_formulas: bool,
    /// Start `articles.csv` with a UTF-8 byte-order mark (helps older Excel detect UTF-8).
    pub csv_bom: bool,
    /// Longest `text` cell in `articles.csv`, in UTF-16 units as Excel counts them (0 = no limit).
    /// Spreadsheets cap a cell at 32,767 and cut the rest silently; newsclean cuts at this limit
    /// itself and says so in the `text_truncated` column. The JSON outputs keep the full text.
    pub csv_max_text_chars: usize,
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            csv_neutralize_formulas: true,
            csv_bom: false,
            csv_max_text_chars: 32_767,
        }
    }
}

/// One kept article as written to every article output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputArticle {
    /// Stable id.
    pub id: String,
    /// Input file (and record number).
    pub source: String,
    /// URL, when known.
    pub url: Option<String>,
    /// Site name, when known.
    pub site: Option<String>,
    /// Title, when known.
    pub title: Option<String>,
    /// Publication date `YYYY-MM-DD`, when known.
    pub date: Option<String>,
    /// Body: paragraphs joined by a blank line.
    pub text: String,
    /// Whitespace-separated words in `text`.
    pub word_count: usize,
    /// xxh3-128 of `text`, 32 hex digits.
    pub content_hash: String,
    /// Detected language code, when known.
    pub lang: Option<String>,
    /// How many dropped duplicates this article stands for.
    pub duplicate_count: u32,
}

impl OutputArticle {
    /// Builds the output record of a kept article.
    pub fn new(article: &Article, duplicate_count: u32) -> Self {
        let text = article.text();
        OutputArticle {
            id: article.id.clone(),
            source: article.source.clone(),
            url: article.url.clone(),
            site: article.site.clone(),
            title: article.title.clone(),
            date: article.date.clone(),
            word_count: article.word_count(),
            content_hash: content_hash(&text),
            text,
            lang: article.lang.clone(),
            duplicate_count,
        }
    }
}

/// The content hash written with each article: xxh3-128 of the text as 32 hex digits.
pub fn content_hash(text: &str) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
}
