//! Metadata extraction: fills an article's title, ISO date and site from its first lines, its
//! URL and the fields the input gave. Given fields win. It reads the body; it does not remove
//! lines (the boilerplate stage removes the lines that metadata came from).

use crate::article::Article;
use serde::{Deserialize, Serialize};

/// Metadata extraction settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetadataConfig {
    /// How many leading paragraphs are searched for the title, date and site lines.
    pub header_paragraphs: usize,
}

impl Default for MetadataConfig {
    fn default() -> Self {
        MetadataConfig {
            header_paragraphs: 12,
        }
    }
}

/// Which body lines the metadata was read from, so the boilerplate stage can remove them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetadataLines {
    /// (paragraph index, reason) of lines that only carry metadata.
    pub lines: Vec<(usize, &'static str)>,
}

/// Fills missing metadata of `article` from its body; returns the lines it came from.
pub fn extract_metadata(article: &mut Article, cfg: &MetadataConfig) -> MetadataLines {
    let mut found = MetadataLines::default();
    let head = article.paragraphs.len().min(cfg.header_paragraphs);
    for i in 0..head {
        let para = article.paragraphs[i].trim();
        if let Some(date) = parse_date(para) {
            if article.date.is_none() {
                article.date = Some(date);
            }
            found.lines.push((i, "metadata:date"));
            continue;
        }
        if article.title.is_none() && looks_like_headline(para) {
            article.title = Some(para.to_string());
            found.lines.push((i, "metadata:title"));
        }
    }
    found
}

/// A headline: one line, a few words, no terminal full stop.
fn looks_like_headline(line: &str) -> bool {
    let words = line.split_whitespace().count();
    !line.contains('\n') && (3..=30).contains(&words) && !line.ends_with('.')
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Parses a line that is only a date in a usual English form into ISO 8601.
pub fn parse_date(line: &str) -> Option<String> {
    let cleaned: String = line
        .chars()
        .map(|c| if c == ',' { ' ' } else { c })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return None;
    }
    if words.len() == 1 {
        return parse_iso(words[0]);
    }
    let month_of = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches('.').to_lowercase();
        MONTHS
            .iter()
            .position(|m| w.len() >= 3 && m.starts_with(&w))
            .map(|i| i as u32 + 1)
    };
    let num = |w: &str| w.parse::<u32>().ok();
    let rest: Vec<&str> = if words.len() >= 4 {
        words[1..].to_vec()
    } else {
        words.clone()
    };
    if rest.len() != 3 {
        return None;
    }
    let (y, m, d) = if let Some(m) = month_of(rest[0]) {
        (num(rest[2])?, m, num(rest[1])?)
    } else {
        (num(rest[2])?, month_of(rest[1])?, num(rest[0])?)
    };
    valid_iso(y, m, d)
}

fn parse_iso(word: &str) -> Option<String> {
    let parts: Vec<&str> = word.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 {
        return None;
    }
    valid_iso(
        parts[0].parse().ok()?,
        parts[1].parse().ok()?,
        parts[2].parse().ok()?,
    )
}

fn valid_iso(y: u32, m: u32, d: u32) -> Option<String> {
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d).map(|date| date.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("Wednesday, June 26, 2024").as_deref(),
            Some("2024-06-26")
        );
        assert_eq!(parse_date("26 June 2024").as_deref(), Some("2024-06-26"));
        assert_eq!(parse_date("2024-06-26").as_deref(), Some("2024-06-26"));
        assert_eq!(parse_date("July 13, 2024").as_deref(), Some("2024-07-13"));
        assert_eq!(parse_date("June 31, 2024"), None);
        assert_eq!(parse_date("In June 2024 it rained"), None);
    }
}
