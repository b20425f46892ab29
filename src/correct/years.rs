//! Broken-year repair: a 1-3 or 5-digit number standing where a year belongs (in a list or
//! coordination with 4-digit years, in a date, after "in/since/of/until/..." when a year is
//! mentioned nearby and no noun follows) is replaced by the year at the smallest edit distance
//! among the years the same article mentions, or failing that the corpus, only when that choice
//! is unique. Counts, amounts, ages and percentages ("200 people", "in 200 villages", "1/200",
//! "$200", "20%") never match these contexts.

use super::tokens::Chunk;
use super::CorrectConfig;
use std::collections::BTreeMap;

/// A year repair: the chunk's core becomes `year`.
#[derive(Debug, Clone, PartialEq)]
pub struct YearRepair {
    /// Byte range of the broken number in the paragraph.
    pub range: std::ops::Range<usize>,
    /// The repaired year.
    pub year: u16,
    /// `year:doc_context`, `year:corpus_context` or `year:range`.
    pub reason: &'static str,
    /// Edit distance between number and year.
    pub distance: usize,
}

/// The 4-digit years an article mentions: how often, and where (byte offsets into the body
/// with paragraphs laid end to end).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearMentions {
    /// Mentions per year.
    pub counts: BTreeMap<u16, u32>,
    /// Offsets of the mentions.
    pub offsets: Vec<usize>,
}

impl YearMentions {
    /// Adds the years of one paragraph that starts at `base`.
    pub fn observe(&mut self, text: &str, chunks: &[Chunk], base: usize, cfg: &CorrectConfig) {
        for c in chunks {
            if let Some(y) = as_year(c.core(text), cfg) {
                *self.counts.entry(y).or_default() += 1;
                self.offsets.push(base + c.core_start);
            }
        }
    }

    fn near(&self, offset: usize, window: usize) -> bool {
        self.offsets.iter().any(|&o| o.abs_diff(offset) <= window)
    }
}

/// Why a number stands where a year belongs; the weaker contexts need more evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum YearContext {
    /// In a list or coordination with 4-digit years, or in a date.
    Strong,
    /// After "in/since/until/during" and before a stop or a function word.
    Preposition,
    /// After another preposition ("of", "by", "from"): a year must be mentioned nearby.
    WeakPreposition,
    /// After "the" and before a stop or a singular noun ("the 220 campaign"): only a year the
    /// article itself mentions may be the repair.
    Determiner,
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
];
const PREPOSITIONS: &[&str] = &["in", "since", "until", "till", "during"];
const WEAK_PREPOSITIONS: &[&str] = &["of", "by", "from", "before", "after", "through"];
/// Words after "the N" that show N counts things rather than naming a year.
const COUNTED: &[&str] = &[
    "people", "men", "women", "children", "police", "staff", "million", "billion", "thousand",
    "hundred", "of", "or", "to", "more", "per", "and", "other", "most", "best", "top", "first",
];
const CONNECTORS: &[&str] = &["and", "or", "to", "through", "until", "till", "nor"];
/// Words that may follow a year after a preposition ("in 2019 the ...", "since 2001 when").
const AFTER_YEAR: &[&str] = &[
    "the", "a", "an", "and", "or", "but", "when", "as", "after", "before", "that", "which", "he",
    "she", "it", "they", "we", "i", "there", "this", "his", "her", "their", "its", "to", "in",
    "on", "at", "with", "for", "while", "until", "where",
];

/// The year a chunk core spells, if it is exactly four digits within the configured range.
pub fn as_year(core: &str, cfg: &CorrectConfig) -> Option<u16> {
    if core.len() != 4 || !core.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: u16 = core.parse().ok()?;
    (cfg.year_min..=cfg.year_max)
        .contains(&year)
        .then_some(year)
}

fn core_at<'a>(text: &'a str, chunks: &[Chunk], i: Option<usize>) -> &'a str {
    i.and_then(|i| chunks.get(i)).map_or("", |c| c.core(text))
}

fn is_year_at(text: &str, chunks: &[Chunk], i: Option<usize>, cfg: &CorrectConfig) -> bool {
    as_year(core_at(text, chunks, i), cfg).is_some()
}

fn trail_has(text: &str, chunks: &[Chunk], i: usize, set: &[char]) -> bool {
    chunks.get(i).is_some_and(|c| c.trail(text).contains(set))
}

/// In a list or coordination with a 4-digit year: "1961, 200, and 2021", "2016 through 219".
fn in_year_list(text: &str, chunks: &[Chunk], i: usize, cfg: &CorrectConfig) -> bool {
    let conn = |j: Option<usize>| CONNECTORS.contains(&core_at(text, chunks, j));
    let prev = i.checked_sub(1);
    let prev2 = i.checked_sub(2);
    let left = (is_year_at(text, chunks, prev, cfg)
        && prev.is_some_and(|p| trail_has(text, chunks, p, &[',', '–', '-'])))
        || (conn(prev) && is_year_at(text, chunks, prev2, cfg));
    let right = (trail_has(text, chunks, i, &[',']) && is_year_at(text, chunks, Some(i + 1), cfg))
        || (conn(Some(i + 1)) && is_year_at(text, chunks, Some(i + 2), cfg));
    left || right
}

/// In a date: "November 15, 219", "August 216", "October of 200".
fn in_date(text: &str, chunks: &[Chunk], i: usize) -> bool {
    let month = |j: Option<usize>| MONTHS.contains(&core_at(text, chunks, j));
    let prev = i.checked_sub(1);
    let prev2 = i.checked_sub(2);
    let day = |j: Option<usize>| {
        let d = core_at(text, chunks, j);
        d.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
    };
    month(prev)
        || (day(prev) && month(prev2))
        || (core_at(text, chunks, prev) == "of" && month(prev2))
}

/// After a preposition from `set`, with no noun following ("since 199, flipping", "in 216. And").
fn after_preposition(text: &str, chunks: &[Chunk], i: usize, set: &[&str]) -> bool {
    let prev = core_at(text, chunks, i.checked_sub(1)).to_ascii_lowercase();
    if !set.contains(&prev.as_str()) {
        return false;
    }
    let ends = trail_has(text, chunks, i, &['.', ',', ';', ':', '!', '?', ')']);
    let next = core_at(text, chunks, Some(i + 1));
    ends || i + 1 == chunks.len() || AFTER_YEAR.contains(&next)
}

/// What follows the number fits a year: a stop, a connector, a function word, a capitalised
/// word or nothing; not a counted noun ("2004 and 216 people").
fn followed_like_year(text: &str, chunks: &[Chunk], i: usize) -> bool {
    if trail_has(text, chunks, i, &['.', ',', ';', ':', '!', '?', ')']) || i + 1 >= chunks.len() {
        return true;
    }
    let next = core_at(text, chunks, Some(i + 1));
    CONNECTORS.contains(&next)
        || AFTER_YEAR.contains(&next)
        || !next.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
}

/// After "the" (or "the early/late/mid"), before a stop or a singular noun.
fn after_determiner(text: &str, chunks: &[Chunk], i: usize) -> bool {
    let prev = core_at(text, chunks, i.checked_sub(1)).to_ascii_lowercase();
    let prev2 = core_at(text, chunks, i.checked_sub(2)).to_ascii_lowercase();
    let the =
        prev == "the" || (matches!(prev.as_str(), "early" | "late" | "mid") && prev2 == "the");
    if !the {
        return false;
    }
    if trail_has(text, chunks, i, &['.', ',', ';', ':', '!', '?', ')']) {
        return true;
    }
    let next = core_at(text, chunks, Some(i + 1));
    next.len() > 2
        && next.bytes().all(|b| b.is_ascii_lowercase())
        && !next.ends_with('s')
        && !COUNTED.contains(&next)
}

/// Why chunk `i` is a bare number where a year belongs, if it is.
pub fn year_context(
    text: &str,
    chunks: &[Chunk],
    i: usize,
    cfg: &CorrectConfig,
) -> Option<YearContext> {
    let chunk = chunks.get(i)?;
    let core = chunk.core(text);
    let digits = core.len();
    if !core.bytes().all(|b| b.is_ascii_digit()) || !(digits <= 3 || digits == 5) || digits == 0 {
        return None;
    }
    // Amounts, ranks and percentages: "$200", "#200", "200%", "No. 200", "200 percent".
    if chunk.lead(text).contains(['$', '£', '€', '#', '/'])
        || chunk.trail(text).contains(['%', '/'])
    {
        return None;
    }
    let prev = core_at(text, chunks, i.checked_sub(1));
    let next = core_at(text, chunks, Some(i + 1)).to_ascii_lowercase();
    if matches!(prev, "No" | "no" | "Nos" | "number") || next.starts_with("percent") {
        return None;
    }
    if (in_year_list(text, chunks, i, cfg) || in_date(text, chunks, i))
        && followed_like_year(text, chunks, i)
    {
        Some(YearContext::Strong)
    } else if after_preposition(text, chunks, i, PREPOSITIONS) {
        Some(YearContext::Preposition)
    } else if after_preposition(text, chunks, i, WEAK_PREPOSITIONS) {
        Some(YearContext::WeakPreposition)
    } else if after_determiner(text, chunks, i) {
        Some(YearContext::Determiner)
    } else {
        None
    }
}

/// The years at the smallest edit distance (at most `max_distance`) from `number`.
fn nearest(
    number: &str,
    mentions: &BTreeMap<u16, u32>,
    max_distance: usize,
) -> (Vec<(u16, u32)>, usize) {
    let mut best: Vec<(u16, u32)> = Vec::new();
    let mut best_d = usize::MAX;
    for (&year, &n) in mentions {
        let d = strsim::levenshtein(number, &year.to_string());
        if d > max_distance || d > best_d {
            continue;
        }
        if d < best_d {
            best.clear();
            best_d = d;
        }
        best.push((year, n));
    }
    (best, best_d)
}

/// The unique year at the smallest edit distance from `number` among `mentions`, within
/// `max_distance`. With `tie_lead`, a tie goes to the year mentioned at least that many times
/// more often than any other.
pub fn closest_year(
    number: &str,
    mentions: &BTreeMap<u16, u32>,
    max_distance: usize,
    tie_lead: Option<u32>,
) -> Option<(u16, usize)> {
    let (mut best, d) = nearest(number, mentions, max_distance);
    best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    match (best.as_slice(), tie_lead) {
        ([(y, _)], _) => Some((*y, d)),
        ([(y, n), (_, m), ..], Some(lead)) if *n >= m.saturating_add(lead.max(1)) => Some((*y, d)),
        _ => None,
    }
}

/// The only year in the configured range one edit away from `number` ("216" -> 2016), if any.
fn only_year_in_range(number: &str, cfg: &CorrectConfig) -> Option<u16> {
    let mut found = None;
    let bytes = number.as_bytes();
    let mut buf = Vec::with_capacity(bytes.len() + 1);
    // Years one digit longer (a digit dropped) or shorter (a digit doubled).
    for pos in 0..=bytes.len() {
        for digit in b'0'..=b'9' {
            buf.clear();
            buf.extend_from_slice(&bytes[..pos]);
            buf.push(digit);
            buf.extend_from_slice(&bytes[pos..]);
            if let Some(y) = std::str::from_utf8(&buf).ok().and_then(|s| as_year(s, cfg)) {
                if found.is_some_and(|f| f != y) {
                    return None;
                }
                found = Some(y);
            }
        }
    }
    for pos in 0..bytes.len() {
        buf.clear();
        buf.extend_from_slice(&bytes[..pos]);
        buf.extend_from_slice(&bytes[pos + 1..]);
        if let Some(y) = std::str::from_utf8(&buf).ok().and_then(|s| as_year(s, cfg)) {
            if found.is_some_and(|f| f != y) {
                return None;
            }
            found = Some(y);
        }
    }
    found
}

/// Years mentioned in the sentence around chunk `i`: a sentence rarely names the same year
/// twice, so these are unlikely to be what a broken number in it stood for.
fn sentence_years(text: &str, chunks: &[Chunk], i: usize, cfg: &CorrectConfig) -> Vec<u16> {
    let start = (0..=i)
        .rev()
        .find(|&j| chunks[j].sentence_start)
        .unwrap_or(0);
    let end = (i + 1..chunks.len())
        .find(|&j| chunks[j].sentence_start)
        .unwrap_or(chunks.len());
    chunks[start..end]
        .iter()
        .filter_map(|c| as_year(c.core(text), cfg))
        .collect()
}

/// Repairs for the broken years of one paragraph starting at `base`, given the article's and
/// the corpus's years.
pub fn repairs(
    text: &str,
    chunks: &[Chunk],
    base: usize,
    article: &YearMentions,
    corpus_years: &BTreeMap<u16, u32>,
    cfg: &CorrectConfig,
) -> Vec<YearRepair> {
    let mut out = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let core = chunk.core(text);
        if !core.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Some(context) = year_context(text, chunks, i, cfg) else {
            continue;
        };
        if context == YearContext::WeakPreposition
            && !article.near(base + chunk.core_start, cfg.year_window_chars)
        {
            continue;
        }
        let same_sentence = sentence_years(text, chunks, i, cfg);
        let mut mentions = article.counts.clone();
        mentions.retain(|y, _| !same_sentence.contains(y));
        let (near, _) = nearest(core, &mentions, cfg.year_max_distance);
        let lead = Some(cfg.year_tie_min_lead);
        let found = match closest_year(core, &mentions, cfg.year_max_distance, lead) {
            Some((year, d)) => Some((year, d, "year:doc_context")),
            // The corpus, then the year range, decide only when the article has no near year
            // and the context is strong (weaker contexts need the article's own year).
            None if near.is_empty() && context <= YearContext::Preposition => {
                let mut frequent: BTreeMap<u16, u32> = corpus_years
                    .iter()
                    .filter(|(_, &n)| n >= cfg.corpus_year_min_mentions)
                    .map(|(&y, &n)| (y, n))
                    .collect();
                frequent.retain(|y, _| !same_sentence.contains(y));
                closest_year(core, &frequent, cfg.year_max_distance, None)
                    .map(|(y, d)| (y, d, "year:corpus_context"))
                    .or_else(|| {
                        only_year_in_range(core, cfg)
                            .filter(|y| !same_sentence.contains(y))
                            .map(|y| (y, 1, "year:range"))
                    })
            }
            None => None,
        };
        if let Some((year, distance, reason)) = found {
            out.push(YearRepair {
                range: chunk.core_start..chunk.core_end,
                year,
                reason,
                distance,
            });
        }
    }
    out
}

#[cfg(test)]
#[path = "years_tests.rs"]
mod tests;
