//! Metadata extraction: fills an article's title, ISO date and site from its header lines (the
//! lines before the first body paragraph), its URL and the fields the input gave. Given fields
//! win. It reads the body and reports which lines carried metadata; it does not remove lines
//! (the boilerplate stage removes them, so switching that stage off keeps the body intact).

use crate::article::Article;
use crate::extract::dates::{DateOrder, DateParser};
use crate::extract::features::ends_like_sentence;
use crate::extract::phrases::PhraseMatcher;
use serde::{Deserialize, Serialize};

/// Metadata extraction settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetadataConfig {
    /// A line with at least this many characters, words and sentence punctuation starts the body.
    pub body_min_chars: usize,
    /// Minimum words of the first body line (see `body_min_chars`).
    pub body_min_words: usize,
    /// When no body line is found, only this many leading lines are searched for metadata.
    pub header_max_lines: usize,
    /// The title is searched among this many lines before the body.
    pub title_window: usize,
    /// Fewest words of a title line.
    pub title_min_words: usize,
    /// Most words of a title line.
    pub title_max_words: usize,
    /// A title candidate with at least this many words is preferred over a shorter, closer one.
    pub title_preferred_words: usize,
    /// Most words of a site-name line.
    pub site_max_words: usize,
    /// Most words of a line that counts as a date line (and is removed as metadata).
    pub date_max_words: usize,
    /// How numeric dates such as 03/07/2024 are read when both numbers are 12 or less.
    pub numeric_date_order: DateOrder,
}

impl Default for MetadataConfig {
    fn default() -> Self {
        MetadataConfig {
            body_min_chars: 100,
            body_min_words: 15,
            header_max_lines: 12,
            title_window: 12,
            title_min_words: 3,
            title_max_words: 30,
            title_preferred_words: 5,
            site_max_words: 4,
            date_max_words: 14,
            numeric_date_order: DateOrder::DayFirst,
        }
    }
}

/// Which body lines carried metadata, so the boilerplate stage can remove them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetadataLines {
    /// (paragraph index, line index within the paragraph, reason) of metadata lines.
    pub lines: Vec<(usize, usize, &'static str)>,
}

impl MetadataLines {
    /// The reason recorded for line `line` of paragraph `para`, if it carried metadata.
    pub fn reason(&self, para: usize, line: usize) -> Option<&'static str> {
        self.lines
            .iter()
            .find(|(p, l, _)| *p == para && *l == line)
            .map(|(_, _, r)| *r)
    }
}

/// Metadata extractor, built once per run.
#[derive(Debug, Clone)]
pub struct MetadataExtractor {
    cfg: MetadataConfig,
    dates: DateParser,
    phrases: PhraseMatcher,
}

impl MetadataExtractor {
    /// Compiles the date patterns and phrase rules.
    pub fn new(cfg: &MetadataConfig) -> crate::error::Result<Self> {
        Ok(MetadataExtractor {
            cfg: cfg.clone(),
            dates: DateParser::new(cfg.numeric_date_order)?,
            phrases: PhraseMatcher::bundled()?,
        })
    }

    /// Fills missing metadata of `article` from its body; returns the lines it came from.
    pub fn extract(&self, article: &mut Article) -> MetadataLines {
        let cfg = &self.cfg;
        // The lines before the first body line (only those are read).
        let mut lines: Vec<(usize, usize, &str)> = Vec::new();
        let mut body_found = false;
        'paragraphs: for (p, para) in article.paragraphs.iter().enumerate() {
            for (l, s) in crate::lines::lines(para).enumerate() {
                let s = s.trim();
                if self.is_body_line(s) {
                    body_found = true;
                    break 'paragraphs;
                }
                lines.push((p, l, s));
            }
        }
        let body_start = if body_found {
            lines.len()
        } else {
            lines.len().min(cfg.header_max_lines)
        };
        let header = &lines[..body_start];
        let mut found = MetadataLines::default();
        let mut lower = String::new();

        // Date: the date line closest to the body, else the URL.
        let date_line = header.iter().rposition(|(_, _, s)| {
            words_up_to(s, cfg.date_max_words.saturating_add(1)) <= cfg.date_max_words
                && self.dates.find(s).is_some()
        });
        if let Some(i) = date_line {
            let (p, l, s) = header[i];
            if article.date.is_none() {
                article.date = self.dates.find(s);
            }
            found.lines.push((p, l, "metadata:date"));
        } else if article.date.is_none() {
            article.date = article.url.as_deref().and_then(|u| self.dates.from_url(u));
        }

        // Title: the headline-like line closest to the body, preferring longer ones.
        let window_start = body_start.saturating_sub(cfg.title_window);
        let mut first_candidate = None;
        let mut title_line = None;
        for i in (window_start..body_start).rev() {
            if Some(i) != date_line && self.is_headline(header[i].2, &mut lower) {
                first_candidate = first_candidate.or(Some(i));
                if words_up_to(header[i].2, cfg.title_preferred_words) >= cfg.title_preferred_words
                {
                    title_line = Some(i);
                    break;
                }
            }
        }
        let title_line = title_line.or(first_candidate);
        // "Title | Site" next to a bare "Title": the bare line is the title.
        let title_line = title_line.map(|i| {
            let line = header[i].2;
            let squashed = squash(line);
            (window_start..body_start)
                .find(|&j| {
                    // Line j must squash to the start or the end of line i's squashed text
                    // (see `repeats_title_squashed`); compared without squashing it first.
                    if j == i || !squashes_to_end_of(header[j].2, &squashed) {
                        return false;
                    }
                    let title = squash(header[j].2);
                    title != squashed && repeats_title_squashed(line, &squashed, &title, "")
                })
                .unwrap_or(i)
        });
        if article.title.is_none() {
            if let Some(i) = title_line {
                let title = collapse_spaces(header[i].2);
                let site = article.site.as_deref().unwrap_or("");
                article.title = Some(strip_site_suffix(&title, site).to_string());
            }
        }

        // Site: the given field, the URL host, or a short name line above the title.
        let site_limit = title_line.unwrap_or(body_start);
        let mut site_line = None;
        if article.site.is_none() {
            article.site = article.url.as_deref().and_then(url_host);
        }
        if article.site.is_none() {
            site_line = (0..site_limit)
                .find(|&i| Some(i) != date_line && self.is_site_name(header[i].2, &mut lower));
            if let Some(i) = site_line {
                article.site = Some(collapse_spaces(header[i].2));
            }
        }
        if let Some(i) = site_line {
            found
                .lines
                .push((header[i].0, header[i].1, "metadata:site"));
        }

        // Every header line that repeats the title (other spacing, site prefix or suffix).
        if let Some(title) = article.title.as_deref() {
            let t = squash(title);
            let site = squash(article.site.as_deref().unwrap_or(""));
            for (i, &(p, l, s)) in header.iter().enumerate() {
                if Some(i) == date_line || Some(i) == site_line {
                    continue;
                }
                if repeats_title(s, &t, &site) {
                    found.lines.push((p, l, "metadata:title"));
                }
            }
        }
        found
    }

    /// Whether `line` reads like a body paragraph (long, sentence punctuation, not page noise).
    fn is_body_line(&self, line: &str) -> bool {
        line.len() >= self.cfg.body_min_chars
            && ends_like_sentence(line)
            && words_up_to(line, self.cfg.body_min_words) >= self.cfg.body_min_words
    }

    /// A headline: a few words, no full stop at the end, not a byline, date or page noise.
    fn is_headline(&self, line: &str, lower: &mut String) -> bool {
        let n = words_up_to(line, self.cfg.title_max_words.saturating_add(1));
        if n < self.cfg.title_min_words || n > self.cfg.title_max_words {
            return false;
        }
        if line.ends_with('.') || line.contains('@') || self.dates.find(line).is_some() {
            return false;
        }
        lower.clear();
        lower.push_str(&line.to_lowercase());
        self.phrases.find(lower).is_none()
    }

    /// A site name: one to a few capitalised words (or a domain), no digits, not page noise.
    fn is_site_name(&self, line: &str, lower: &mut String) -> bool {
        let n = words_up_to(line, self.cfg.site_max_words.saturating_add(1));
        if n == 0 || n > self.cfg.site_max_words || ends_like_sentence(line) {
            return false;
        }
        if line.chars().any(|c| c.is_ascii_digit()) {
            return false;
        }
        let capitalised = line
            .split_whitespace()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase) || w.contains('.'));
        if !capitalised {
            return false;
        }
        lower.clear();
        lower.push_str(&line.to_lowercase());
        self.phrases.find(lower).is_none()
    }
}

/// Parses a date written in one of the common forms (see `dates`) as ISO 8601, reading
/// ambiguous numeric dates day first. For one-off use (given fields); stages use a
/// `MetadataExtractor`, whose parser is built once per run.
pub fn parse_date(text: &str) -> Option<String> {
    static PARSER: std::sync::OnceLock<Option<DateParser>> = std::sync::OnceLock::new();
    PARSER
        .get_or_init(|| DateParser::new(DateOrder::DayFirst).ok())
        .as_ref()?
        .find(text)
}

/// Number of whitespace-separated words.
fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// `words(s)`, counting no further than `limit`.
fn words_up_to(s: &str, limit: usize) -> usize {
    s.split_whitespace().take(limit).count()
}

/// `s` with runs of whitespace made single spaces.
fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The host of `url` without `www.`.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split("://").nth(1)?;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_lowercase())
}

/// Text without whitespace, lowercased: equal for the same title written with other spacing.
fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    squash_into(s, &mut out);
    out
}

/// `squash` into `out` (replacing its content); ASCII is handled byte by byte.
fn squash_into(s: &str, out: &mut String) {
    out.clear();
    for c in s.chars() {
        if c.is_ascii() {
            // The ASCII characters `char::is_whitespace` accepts.
            if !matches!(c, ' ' | '\t'..='\r') {
                out.push(c.to_ascii_lowercase());
            }
        } else if !c.is_whitespace() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Separators between a title and a site name.
const SITE_SEPARATORS: [&str; 6] = [" | ", " - ", " – ", " — ", " :: ", "|"];

/// `title` without a trailing " | Site" (or " - Site", ...) naming `site`.
fn strip_site_suffix<'a>(title: &'a str, site: &str) -> &'a str {
    if site.is_empty() {
        return title;
    }
    for sep in SITE_SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            if squash(tail) == squash(site) && !head.trim().is_empty() {
                return head.trim();
            }
        }
    }
    title
}

/// Whether `line` is `title` again: other spacing, or with a site name before or after it.
pub fn is_title_repeat(line: &str, title: &str, site: &str) -> bool {
    repeats_title(line, &squash(title), &squash(site))
}

/// `is_title_repeat` with the title and site already squashed (see `squash`).
fn repeats_title(line: &str, t: &str, site: &str) -> bool {
    // Every form needs the title at the start or the end of the squashed line (see
    // `repeats_title_squashed`); comparing character by character usually fails at once.
    !quick_reject(line, t)
        && (squash_starts_with(line, t) || squash_ends_with(line, t))
        && repeats_title_squashed(line, &squash(line), t, site)
}

/// The characters of `squash(s)`, one by one.
fn squashed_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
}

/// The characters of `squash(s)`, last first.
fn squashed_chars_rev(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .rev()
        .filter(|c| !c.is_whitespace())
        .flat_map(|c| c.to_lowercase().rev())
}

/// Whether `squash(line)` starts with `t`.
fn squash_starts_with(line: &str, t: &str) -> bool {
    let mut head = squashed_chars(line);
    t.chars().all(|c| head.next() == Some(c))
}

/// Whether `squash(line)` ends with `t`.
fn squash_ends_with(line: &str, t: &str) -> bool {
    let mut tail = squashed_chars_rev(line);
    t.chars().rev().all(|c| tail.next() == Some(c))
}

/// Whether `squash(part)` is a prefix or a suffix of `squashed`.
fn squashes_to_end_of(part: &str, squashed: &str) -> bool {
    let mut head = squashed.chars();
    let mut tail = squashed.chars().rev();
    squashed_chars(part).all(|c| head.next() == Some(c))
        || squashed_chars_rev(part).all(|c| tail.next() == Some(c))
}

/// Cheap exit of `repeats_title`: the line must hold at least as many non-space bytes as the
/// title.
fn quick_reject(line: &str, t: &str) -> bool {
    t.is_empty() || line.bytes().filter(|b| !b.is_ascii_whitespace()).count() < t.len()
}

/// `repeats_title` after `quick_reject`, with `squashed` = `squash(line)`.
fn repeats_title_squashed(line: &str, squashed: &str, t: &str, site: &str) -> bool {
    if quick_reject(line, t) {
        return false;
    }
    if squashed == t {
        return true;
    }
    // Every other form is the title before or after a separator: squashing a part of the
    // line gives a prefix or a suffix of the squashed line.
    if !squashed.starts_with(t) && !squashed.ends_with(t) {
        return false;
    }
    let line = collapse_spaces(line);
    for sep in SITE_SEPARATORS {
        if let Some((head, tail)) = line.rsplit_once(sep) {
            let short_tail = words(tail) <= 5 || squash(tail) == site;
            if short_tail && squash(head) == t {
                return true;
            }
        }
        if let Some((head, tail)) = line.split_once(sep) {
            let short_head = words(head) <= 5 || squash(head) == site;
            if short_head && squash(tail) == t {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> Article {
        let paragraphs = text.split("\n\n").map(str::to_string).collect();
        Article {
            paragraphs,
            ..Article::default()
        }
    }

    const BODY: &str = "The council voted on Tuesday to close the old bridge for repairs, and the work is expected to take most of the coming year.";

    #[test]
    fn header_title_date_and_site() {
        let ex = MetadataExtractor::new(&MetadataConfig::default()).expect("builds");
        let mut a = article(&format!(
            "Harbour Gazette\n\nMonday, 13 May 2024\n\nCouncil closes the old bridge for a year\n\nCouncil  closes the old bridge for a year\n\n{BODY}"
        ));
        let lines = ex.extract(&mut a);
        assert_eq!(
            a.title.as_deref(),
            Some("Council closes the old bridge for a year")
        );
        assert_eq!(a.date.as_deref(), Some("2024-05-13"));
        assert_eq!(a.site.as_deref(), Some("Harbour Gazette"));
        assert_eq!(lines.reason(0, 0), Some("metadata:site"));
        assert_eq!(lines.reason(1, 0), Some("metadata:date"));
        assert_eq!(lines.reason(2, 0), Some("metadata:title"));
        assert_eq!(lines.reason(3, 0), Some("metadata:title"));
        assert_eq!(lines.reason(4, 0), None);
    }

    #[test]
    fn given_fields_win_and_url_fills_gaps() {
        let ex = MetadataExtractor::new(&MetadataConfig::default()).expect("builds");
        let mut a = article(&format!("A headline about the bridge\n\n{BODY}"));
        a.title = Some("Given title".into());
        a.url = Some("https://www.gazette.example/2023/01/02/bridge".into());
        ex.extract(&mut a);
        assert_eq!(a.title.as_deref(), Some("Given title"));
        assert_eq!(a.date.as_deref(), Some("2023-01-02"));
        assert_eq!(a.site.as_deref(), Some("gazette.example"));
    }

    #[test]
    fn date_in_the_story_is_not_the_publication_date() {
        let ex = MetadataExtractor::new(&MetadataConfig::default()).expect("builds");
        let mut a = article(&format!(
            "Bridge to close for a year\n\n{BODY}\n\nJune 26, 2024"
        ));
        ex.extract(&mut a);
        assert_eq!(a.date, None);
    }

    /// `repeats_title` as first written.
    fn reference_repeats(line: &str, t: &str, site: &str) -> bool {
        let squash = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect()
        };
        if t.is_empty() || line.bytes().filter(|b| !b.is_ascii_whitespace()).count() < t.len() {
            return false;
        }
        if squash(line) == t {
            return true;
        }
        let line = collapse_spaces(line);
        for sep in SITE_SEPARATORS {
            if let Some((head, tail)) = line.rsplit_once(sep) {
                if (words(tail) <= 5 || squash(tail) == site) && squash(head) == t {
                    return true;
                }
            }
            if let Some((head, tail)) = line.split_once(sep) {
                if (words(head) <= 5 || squash(head) == site) && squash(tail) == t {
                    return true;
                }
            }
        }
        false
    }

    #[test]
    fn title_repeats_agree_with_the_first_version() {
        let titles = [
            "Bridge closes",
            "Ünïcödé Title",
            "ΣΑΣ news",
            "a",
            "İstanbul votes",
        ];
        let parts = [
            "Bridge closes",
            "BRIDGE  closes",
            "Ünïcödé Title",
            "ünïcödé\u{a0}title",
            "ΣΑΣ news",
            "σας NEWS",
            "İstanbul votes",
            "i̇stanbul votes",
            "Gazette",
            "Opinion",
            "a",
            "",
            "The long site name of six words",
        ];
        let seps = [
            "",
            " | ",
            " - ",
            " – ",
            " — ",
            " :: ",
            "|",
            " ",
            "\u{2003}|\u{2003}",
        ];
        for title in titles {
            let t = squash(title);
            for site in ["", "Gazette", "The long site name of six words"] {
                let site = squash(site);
                for a in parts {
                    for sep in seps {
                        for b in parts {
                            let line = format!("{a}{sep}{b}");
                            assert_eq!(
                                repeats_title(&line, &t, &site),
                                reference_repeats(&line, &t, &site),
                                "{line:?} {title:?} {site:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn title_repeats_with_site_suffix() {
        assert!(is_title_repeat(
            "Bridge closes | Gazette",
            "Bridge closes",
            "Gazette"
        ));
        assert!(is_title_repeat(
            "Opinion|Bridge closes",
            "Bridge closes",
            ""
        ));
        assert!(is_title_repeat("Bridge  closes", "Bridge closes", ""));
        assert!(!is_title_repeat("Bridge closes early", "Bridge closes", ""));
        assert_eq!(
            strip_site_suffix("Bridge closes - Gazette", "Gazette"),
            "Bridge closes"
        );
        assert_eq!(
            strip_site_suffix("Meeting | Bridge closes", "Gazette"),
            "Meeting | Bridge closes"
        );
    }
}
