//! Date recognition: finds a calendar date written in one of the common news forms and returns
//! it as ISO 8601 (`YYYY-MM-DD`). Forms: "Wednesday, June 26, 2024", "Jun. 26, 2024 10:30 AM ET",
//! "26 June 2024", "26. Juni 2024", "26 de junio de 2024", "2024-06-26" (also with a time),
//! "2024/06/26", URL paths "/2024/06/26/", and numeric "13/07/2024" or "13.07.2024".
//!
//! Numeric day/month rule: when one of the two numbers is above 12 it must be the day; when both
//! are 12 or less, `DateOrder` decides (day first by default, as written in most of the world;
//! choose month first for US sources). It only reads text; choosing which date is the
//! publication date is the metadata extractor's job.

use regex::Regex;
use serde::{Deserialize, Serialize};

/// How an ambiguous numeric date (both numbers 12 or less) is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// Day first: 03/07/2024 is 3 July 2024.
    #[default]
    DayFirst,
    /// Month first: 03/07/2024 is 7 March 2024.
    MonthFirst,
}

/// Month names and abbreviations (English, French, German, Spanish) with their number.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("janvier", 1),
    ("janv", 1),
    ("januar", 1),
    ("jänner", 1),
    ("enero", 1),
    ("february", 2),
    ("feb", 2),
    ("février", 2),
    ("févr", 2),
    ("februar", 2),
    ("febrero", 2),
    ("march", 3),
    ("mar", 3),
    ("mars", 3),
    ("märz", 3),
    ("marzo", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("avr", 4),
    ("abril", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("june", 6),
    ("jun", 6),
    ("juin", 6),
    ("juni", 6),
    ("junio", 6),
    ("july", 7),
    ("jul", 7),
    ("juillet", 7),
    ("juil", 7),
    ("juli", 7),
    ("julio", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("agosto", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("october", 10),
    ("oct", 10),
    ("octobre", 10),
    ("oktober", 10),
    ("octubre", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("december", 12),
    ("dec", 12),
    ("décembre", 12),
    ("déc", 12),
    ("dezember", 12),
    ("diciembre", 12),
];

/// The date patterns (compiled once per process, shared by every parser) and the order that
/// decides ambiguous numeric dates.
#[derive(Debug, Clone)]
pub struct DateParser {
    patterns: Patterns,
    order: DateOrder,
}

/// The regular expressions of `DateParser`. They do not depend on the date order, so they are
/// compiled once per process and shared (a `Regex` clone shares the compiled program): the
/// extractor and the given-date parser of ingest each built their own, ~7 ms apiece, one of
/// them on the reader thread before the first chunk.
#[derive(Debug, Clone)]
struct Patterns {
    iso: Regex,
    ymd_slash: Regex,
    numeric: Regex,
    month_day_year: Regex,
    day_month_year: Regex,
    url: Regex,
    /// A month name anywhere, with the same case folding: the two named-month patterns need one.
    month_hint: Regex,
}

impl Patterns {
    fn compile() -> Result<Patterns, regex::Error> {
        let mut names: Vec<&str> = MONTHS.iter().map(|m| m.0).collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let month = names.join("|");
        Ok(Patterns {
            iso: Regex::new(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?:\b|T)")?,
            ymd_slash: Regex::new(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b")?,
            numeric: Regex::new(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")?,
            month_day_year: Regex::new(&format!(
                r"(?i)\b({month})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
            ))?,
            day_month_year: Regex::new(&format!(
                r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?({month})\.?,?\s+(?:de\s+)?(\d{{4}})\b"
            ))?,
            url: Regex::new(r"/(\d{4})[/-](\d{2})[/-](\d{2})(?:/|-|$)")?,
            month_hint: Regex::new(&format!(r"(?i){month}"))?,
        })
    }
}

impl DateParser {
    /// The date patterns with `order` deciding ambiguous numeric dates.
    pub fn new(order: DateOrder) -> crate::error::Result<Self> {
        static PATTERNS: std::sync::OnceLock<Result<Patterns, String>> = std::sync::OnceLock::new();
        let patterns = PATTERNS
            .get_or_init(|| Patterns::compile().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| crate::error::Error::Config(format!("date pattern: {e}")))?;
        Ok(DateParser {
            patterns: patterns.clone(),
            order,
        })
    }

    /// The first date written in `text`, as ISO 8601.
    pub fn find(&self, text: &str) -> Option<String> {
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        if self.patterns.month_hint.is_match(text) {
            if let Some(c) = self.patterns.month_day_year.captures(text) {
                return iso(num(&c[3])?, month_number(&c[1])?, num(&c[2])?);
            }
            if let Some(c) = self.patterns.day_month_year.captures(text) {
                return iso(num(&c[3])?, month_number(&c[2])?, num(&c[1])?);
            }
        }
        // The numeric forms need their separators (cheap checks before the patterns).
        let (dash, slash, dot) = (text.contains('-'), text.contains('/'), text.contains('.'));
        let ymd = if dash {
            self.patterns.iso.captures(text)
        } else {
            None
        };
        if let Some(c) = ymd.or_else(|| {
            slash
                .then(|| self.patterns.ymd_slash.captures(text))
                .flatten()
        }) {
            return iso(num(&c[1])?, num(&c[2])?, num(&c[3])?);
        }
        let numeric = if slash || dot {
            self.patterns.numeric.captures(text)
        } else {
            None
        };
        if let Some(c) = numeric {
            let (a, b, y) = (num(&c[1])?, num(&c[2])?, num(&c[3])?);
            let (d, m) = match (a > 12, b > 12, self.order) {
                (true, _, _) => (a, b),
                (false, true, _) => (b, a),
                (false, false, DateOrder::DayFirst) => (a, b),
                (false, false, DateOrder::MonthFirst) => (b, a),
            };
            return iso(y, m, d);
        }
        None
    }

    /// The date in a URL path such as `/2024/06/26/slug`.
    pub fn from_url(&self, url: &str) -> Option<String> {
        let c = self.patterns.url.captures(url)?;
        iso(num(&c[1])?, num(&c[2])?, num(&c[3])?)
    }
}

fn num(s: &str) -> Option<u32> {
    s.parse().ok()
}

/// The number of the month `name` names (any case; English, French, German or Spanish, full
/// or abbreviated), if it is one.
pub fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == lower).map(|(_, m)| *m)
}

/// A valid calendar date between 1900 and 2100 as ISO 8601.
fn iso(y: u32, m: u32, d: u32) -> Option<String> {
    if !(1900..=2100).contains(&y) {
        return None;
    }
    // chrono validates the day; the digits are written directly (its formatter costs more than
    // the whole check, and four-digit years in range need no sign or padding rules).
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d).map(|_| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> DateParser {
        DateParser::new(DateOrder::DayFirst).expect("compiles")
    }

    #[test]
    fn english_forms() {
        let p = p();
        assert_eq!(
            p.find("Wednesday, June 26, 2024").as_deref(),
            Some("2024-06-26")
        );
        assert_eq!(p.find("26 June 2024").as_deref(), Some("2024-06-26"));
        assert_eq!(
            p.find("Jun. 26, 2024 10:30 AM ET").as_deref(),
            Some("2024-06-26")
        );
        assert_eq!(
            p.find("Published July 4th, 2023").as_deref(),
            Some("2023-07-04")
        );
        assert_eq!(p.find("June 31, 2024"), None);
        assert_eq!(p.find("In June 2024 it rained"), None);
    }

    #[test]
    fn numeric_forms_and_day_month_rule() {
        let p = p();
        assert_eq!(p.find("2024-06-26").as_deref(), Some("2024-06-26"));
        assert_eq!(
            p.find("2024-06-26T10:30:00Z").as_deref(),
            Some("2024-06-26")
        );
        assert_eq!(p.find("13/07/2024").as_deref(), Some("2024-07-13"));
        assert_eq!(p.find("07/13/2024").as_deref(), Some("2024-07-13"));
        assert_eq!(p.find("03.07.2024").as_deref(), Some("2024-07-03"));
        let us = DateParser::new(DateOrder::MonthFirst).expect("compiles");
        assert_eq!(us.find("03/07/2024").as_deref(), Some("2024-03-07"));
    }

    #[test]
    fn other_languages_and_urls() {
        let p = p();
        assert_eq!(p.find("26 juin 2024").as_deref(), Some("2024-06-26"));
        assert_eq!(p.find("26. Juni 2024").as_deref(), Some("2024-06-26"));
        assert_eq!(p.find("26 de junio de 2024").as_deref(), Some("2024-06-26"));
        assert_eq!(
            p.from_url("https://x.example/2024/06/26/story-slug")
                .as_deref(),
            Some("2024-06-26")
        );
        assert_eq!(p.from_url("https://x.example/2024/06/story"), None);
    }

    #[test]
    fn iso_dates_are_written_as_chrono_formats_them() {
        for y in [1899, 1900, 1999, 2024, 2100, 2101] {
            for m in 0..=13 {
                for d in 0..=32 {
                    let expected = (1900..=2100)
                        .contains(&y)
                        .then(|| chrono::NaiveDate::from_ymd_opt(y as i32, m, d))
                        .flatten()
                        .map(|date| date.format("%Y-%m-%d").to_string());
                    assert_eq!(iso(y, m, d), expected, "{y} {m} {d}");
                }
            }
        }
    }
}
