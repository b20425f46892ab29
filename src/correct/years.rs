//! Broken-year repair: a 1-3 or 5-digit number standing where a year belongs (see
//! `years_context`) is replaced by a year one edit away, only when the evidence singles that
//! year out; otherwise it is left. The evidence, strongest first: a year counted from one
//! named just before ("The next year, ... in January 201"); a span back from the article's
//! present year ("18 years after the 201 attacks"); the years the same article mentions,
//! nearest by edit distance and unique; a decade named nearby ("the early 2020s"); then, in
//! the stronger contexts, the corpus's years and the year range. A plan or forecast ("plans to
//! spend ... through November 208") rules out years before the present at every step. The
//! present year is the publication date's, else the corpus's when the article's own years
//! centre on it. Counts, amounts, ages and percentages ("200 people", "in 200 villages",
//! "1/200", "$200", "20%") never match the contexts.

#[path = "years_context.rs"]
mod context;
#[path = "years_cues.rs"]
mod cues;

use super::tokens::Chunk;
use super::CorrectConfig;
pub use context::{year_context, YearContext};
use cues::YearWindow;
use std::collections::BTreeMap;

/// A year repair: the chunk's core becomes `year`.
#[derive(Debug, Clone, PartialEq)]
pub struct YearRepair {
    /// Byte range of the broken number in the paragraph.
    pub range: std::ops::Range<usize>,
    /// The repaired year.
    pub year: u16,
    /// `year:relative`, `year:elapsed`, `year:doc_context`, `year:decade`,
    /// `year:corpus_context` or `year:range`.
    pub reason: &'static str,
    /// Edit distance between number and year.
    pub distance: usize,
}

/// The years an article mentions: how often and where (byte offsets into the body with
/// paragraphs laid end to end), the decades it names, and what it tells of its own date.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearMentions {
    /// Mentions per year.
    pub counts: BTreeMap<u16, u32>,
    /// Offset and year of each mention, in text order.
    pub positions: Vec<(usize, u16)>,
    /// Offset and first year of each decade named ("the early 2020s"), in text order.
    pub decades: Vec<(usize, u16)>,
    /// Year of the article's publication date, when the record or extraction gave one.
    pub published: Option<u16>,
}

impl YearMentions {
    /// Adds the years of one paragraph that starts at `base`.
    pub fn observe(&mut self, text: &str, chunks: &[Chunk], base: usize, cfg: &CorrectConfig) {
        let bytes = text.as_bytes();
        for c in chunks {
            // A year ends in a digit and a decade in a digit and "s": one byte turns away the
            // words, which are most chunks, before their core is sliced.
            if !ends_like_year_or_decade(bytes, c) {
                continue;
            }
            let core = c.core(text);
            if let Some(y) = as_year(core, cfg) {
                *self.counts.entry(y).or_default() += 1;
                self.positions.push((base + c.core_start, y));
            } else if let Some(d) = cues::as_decade(core) {
                if (cfg.year_min..=cfg.year_max).contains(&d) {
                    self.decades.push((base + c.core_start, d));
                }
            }
        }
    }

    /// Takes the publication year from an ISO 8601 date (`YYYY-MM-DD`).
    pub fn set_published(&mut self, date: Option<&str>) {
        self.published = date
            .and_then(|d| d.get(..4))
            .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|y| y.parse().ok());
    }

    /// The article's present year: its publication year, else the corpus's present year when
    /// the article's own years centre on it (their median at most `year_present_max_lag`
    /// years away, or no years at all). An article of another time in a mixed corpus gets
    /// none, and the cues that need one stay silent.
    fn present(&self, corpus_years: &BTreeMap<u16, u32>, cfg: &CorrectConfig) -> Option<u16> {
        if self.published.is_some() {
            return self.published;
        }
        let present = cues::corpus_present(
            corpus_years,
            cfg.year_present_min_mentions,
            cfg.year_present_min_share,
        )?;
        let agrees = self
            .median_year()
            .is_none_or(|m| m.abs_diff(present) <= cfg.year_present_max_lag);
        agrees.then_some(present)
    }

    /// The median of the years mentioned, counting each mention.
    fn median_year(&self) -> Option<u16> {
        let total: u32 = self.counts.values().sum();
        let mut seen = 0;
        self.counts.iter().find_map(|(&y, &n)| {
            seen += n;
            (2 * seen >= total).then_some(y)
        })
    }

    fn near(&self, offset: usize, window: usize) -> bool {
        self.positions
            .iter()
            .chain(&self.decades)
            .any(|&(o, _)| o.abs_diff(offset) <= window)
    }

    /// The last year named before `offset` and at most `window` bytes from it.
    fn last_before(&self, offset: usize, window: usize) -> Option<(usize, u16)> {
        self.positions
            .iter()
            .rev()
            .find(|&&(o, _)| o < offset)
            .filter(|&&(o, _)| offset - o <= window)
            .copied()
    }
}

/// Whether the chunk's core may be a year (`as_year`) or a decade (`cues::as_decade`): it ends
/// in an ASCII digit, or in a digit and "s". A necessary condition only, read from two bytes.
#[inline]
fn ends_like_year_or_decade(text: &[u8], chunk: &Chunk) -> bool {
    let Some(core) = text.get(chunk.core_start..chunk.core_end) else {
        return false;
    };
    match core {
        [.., last] if last.is_ascii_digit() => true,
        [.., digit, b's'] => digit.is_ascii_digit(),
        _ => false,
    }
}

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

/// The years at the smallest edit distance (at most `max_distance`) from `number`.
fn nearest(
    number: &str,
    mentions: &BTreeMap<u16, u32>,
    max_distance: usize,
) -> (Vec<(u16, u32)>, usize) {
    let mut best: Vec<(u16, u32)> = Vec::new();
    let mut best_d = usize::MAX;
    for (&year, &n) in mentions {
        let d = year_distance(number, year);
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

/// The years of the configured range at most `max_distance` edits from `number`, in order.
pub fn candidates(number: &str, max_distance: usize, cfg: &CorrectConfig) -> Vec<u16> {
    // Every edit changes the length by at most one: most numbers are too short or too long
    // for any year, and are answered without a comparison.
    if number.len().abs_diff(4) > max_distance {
        return Vec::new();
    }
    // Spelling out works for four-digit years (the usual range); any other range is scanned.
    let four_digit_range = cfg.year_min >= 1000 && cfg.year_max <= 9999;
    if max_distance <= 1 && four_digit_range && number.bytes().all(|d| d.is_ascii_digit()) {
        return years_one_edit_from(number, max_distance, cfg);
    }
    (cfg.year_min..=cfg.year_max)
        .filter(|&y| year_distance(number, y) <= max_distance)
        .collect()
}

/// `candidates` for a string of digits and at most one edit, by spelling out the four-digit
/// strings one edit away (at most 40) instead of measuring every year of the range.
fn years_one_edit_from(digits: &str, max_distance: usize, cfg: &CorrectConfig) -> Vec<u16> {
    let d = digits.as_bytes();
    let mut spelled: Vec<[u8; 4]> = Vec::with_capacity(40);
    match d.len() {
        3 if max_distance == 1 => {
            for at in 0..=3 {
                for digit in b'0'..=b'9' {
                    let mut y = [0u8; 4];
                    y[..at].copy_from_slice(&d[..at]);
                    y[at] = digit;
                    y[at + 1..].copy_from_slice(&d[at..]);
                    spelled.push(y);
                }
            }
        }
        4 => {
            spelled.push([d[0], d[1], d[2], d[3]]);
            if max_distance == 1 {
                for at in 0..4 {
                    for digit in b'0'..=b'9' {
                        let mut y = [d[0], d[1], d[2], d[3]];
                        y[at] = digit;
                        spelled.push(y);
                    }
                }
            }
        }
        5 if max_distance == 1 => {
            for at in 0..5 {
                let mut y = [0u8; 4];
                y[..at].copy_from_slice(&d[..at]);
                y[at..].copy_from_slice(&d[at + 1..]);
                spelled.push(y);
            }
        }
        _ => {}
    }
    let mut years: Vec<u16> = spelled
        .iter()
        // A leading zero is not how a year is written ("0216" is not 216).
        .filter(|y| y[0] != b'0')
        .map(|y| y.iter().fold(0u16, |n, &c| n * 10 + u16::from(c - b'0')))
        .filter(|y| (cfg.year_min..=cfg.year_max).contains(y))
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// The Levenshtein distance between `number` and the decimal digits of `year`, as
/// `strsim::levenshtein` counts it, without allocating: called for every year of the range
/// at every year site.
pub fn year_distance(number: &str, year: u16) -> usize {
    const MAX_LEN: usize = 8;
    let (digits, start) = year_digits(year);
    let a = number.as_bytes();
    // Byte distance equals char distance only for ASCII; anything else (or longer) takes the
    // general route.
    if a.len() > MAX_LEN || !a.is_ascii() {
        return strsim::levenshtein(number, &year.to_string());
    }
    let b = &digits[start..];
    let mut prev = [0usize; MAX_LEN + 1];
    let mut row = [0usize; MAX_LEN + 1];
    for (j, slot) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *slot = j;
    }
    for (i, &ca) in a.iter().enumerate() {
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            row[j + 1] = substitute.min(prev[j + 1] + 1).min(row[j] + 1);
        }
        prev = row;
    }
    prev[b.len()]
}

/// The decimal digits of `year` in a stack buffer, and where they start in it.
fn year_digits(year: u16) -> ([u8; 5], usize) {
    let mut bytes = [b'0'; 5];
    let mut start = bytes.len();
    let mut n = year;
    loop {
        start -= 1;
        bytes[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return (bytes, start);
        }
    }
}

/// The only year in the configured range one edit away from `number` ("216" -> 2016), if any.
fn only_year_in_range(number: &str, cfg: &CorrectConfig) -> Option<u16> {
    match candidates(number, 1, cfg).as_slice() {
        [y] => Some(*y),
        _ => None,
    }
}

/// The only year of `years` inside `window`, if exactly one is.
fn only_in(years: &[u16], window: YearWindow) -> Option<u16> {
    let mut inside = years.iter().filter(|&&y| window.contains(y));
    match (inside.next(), inside.next()) {
        (Some(&y), None) => Some(y),
        _ => None,
    }
}

/// Years mentioned in the sentence around chunk `i`: a sentence rarely names the same year
/// twice, so these are unlikely to be what a broken number in it stood for.
fn sentence_years(text: &str, chunks: &[Chunk], i: usize, cfg: &CorrectConfig) -> Vec<u16> {
    chunks[cues::sentence_of(chunks, i)]
        .iter()
        .filter_map(|c| as_year(c.core(text), cfg))
        .collect()
}

/// What the repairs of one paragraph draw on besides its own words.
struct Evidence<'a> {
    article: &'a YearMentions,
    corpus_years: &'a BTreeMap<u16, u32>,
    cfg: &'a CorrectConfig,
    /// The article's present year, worked out when a cue first needs it.
    present: std::cell::OnceCell<Option<u16>>,
    /// Offset and year of the repairs made so far in the paragraph (anchors of "the next year").
    repaired: Vec<(usize, u16)>,
}

/// One broken number and where it stands.
struct Site<'a> {
    text: &'a str,
    chunks: &'a [Chunk],
    i: usize,
    base: usize,
    context: YearContext,
    /// The years of its own sentence, which it is unlikely to repeat.
    same_sentence: Vec<u16>,
}

impl Site<'_> {
    fn core(&self) -> &str {
        self.chunks[self.i].core(self.text)
    }

    fn offset(&self) -> usize {
        self.base + self.chunks[self.i].core_start
    }
}

impl Evidence<'_> {
    fn present(&self) -> Option<u16> {
        *self
            .present
            .get_or_init(|| self.article.present(self.corpus_years, self.cfg))
    }

    /// The window `mid` +- the configured tolerance of the present year.
    fn around(&self, mid: u16) -> YearWindow {
        let tol = self.cfg.year_present_tolerance;
        YearWindow {
            first: mid.saturating_sub(tol),
            last: mid.saturating_add(tol),
        }
    }

    /// The year `site` stands for, with the reason, if the evidence singles one out.
    fn decide(&self, site: &Site) -> Option<(u16, &'static str)> {
        let cfg = self.cfg;
        let core = site.core();
        let cands: Vec<u16> = candidates(core, cfg.year_max_distance, cfg)
            .into_iter()
            .filter(|y| !site.same_sentence.contains(y))
            .collect();
        // A year counted from the last one named before the cue: the cue decides alone.
        if let Some((cue, step)) = cues::relative_step(site.text, site.chunks, site.i) {
            let cue_offset = site.base + site.chunks[cue].core_start;
            let window = cfg.year_window_chars;
            let anchor = self
                .repaired
                .iter()
                .rev()
                .find(|&&(o, _)| o < cue_offset && cue_offset - o <= window)
                .copied()
                .into_iter()
                .chain(self.article.last_before(cue_offset, window))
                .max_by_key(|&(o, _)| o);
            if let Some((_, anchor)) = anchor {
                let target = u16::try_from(i32::from(anchor) + step).ok()?;
                return cands.contains(&target).then_some((target, "year:relative"));
            }
        }
        // A span back from the article's present year: the cue decides alone.
        if let (Some(back), Some(present)) = (
            cues::years_back(site.text, site.chunks, site.i),
            self.present(),
        ) {
            let window = self.around(present.checked_sub(back)?);
            return only_in(&cands, window).map(|y| (y, "year:elapsed"));
        }
        // A plan or forecast is about the present year or later.
        let floor = cues::future_cue(site.text, site.chunks, site.i)
            .then(|| self.present())
            .flatten();
        let open = |y: &u16| !site.same_sentence.contains(y) && floor.is_none_or(|f| *y >= f);
        // The article's own years, nearest by edit distance.
        let mut mentions = self.article.counts.clone();
        mentions.retain(|y, _| open(y));
        let lead = Some(cfg.year_tie_min_lead);
        if let Some((year, _)) = closest_year(core, &mentions, cfg.year_max_distance, lead) {
            return Some((year, "year:doc_context"));
        }
        if !nearest(core, &mentions, cfg.year_max_distance).0.is_empty() {
            return None;
        }
        // A decade named nearby, outside the number's own sentence (a sentence rarely names
        // the same time twice), narrows the candidates to it.
        if let Some(window) = self.decade_window(site) {
            let cands: Vec<u16> = cands.into_iter().filter(open).collect();
            return only_in(&cands, window).map(|y| (y, "year:decade"));
        }
        // The corpus, then the year range, decide only for the stronger contexts (weaker
        // ones need the article's own evidence).
        if site.context > YearContext::Preposition {
            return None;
        }
        let frequent: BTreeMap<u16, u32> = self
            .corpus_years
            .iter()
            .filter(|(y, &n)| n >= cfg.corpus_year_min_mentions && open(y))
            .map(|(&y, &n)| (y, n))
            .collect();
        closest_year(core, &frequent, cfg.year_max_distance, None)
            .map(|(y, _)| (y, "year:corpus_context"))
            .or_else(|| {
                // A year long before every year the article names (or, naming none, the
                // corpus's present) is more likely a count ("2012, 852 Ions"): the range
                // alone does not reach it.
                let earliest = self.article.counts.keys().next().copied().or_else(|| {
                    cues::corpus_present(
                        self.corpus_years,
                        cfg.year_present_min_mentions,
                        cfg.year_present_min_share,
                    )
                });
                let oldest = earliest.map_or(0, |y| y.saturating_sub(cfg.year_range_max_age));
                only_year_in_range(core, cfg)
                    .filter(|y| open(y) && *y >= oldest)
                    .map(|y| (y, "year:range"))
            })
    }

    /// The decades named within the year window of `site`, outside its own sentence, as one
    /// window from the first year of the earliest to the last of the latest.
    fn decade_window(&self, site: &Site) -> Option<YearWindow> {
        let sentence = cues::sentence_of(site.chunks, site.i);
        let first = site.base + site.chunks[sentence.start].start;
        let last = site.base + site.chunks[sentence.end - 1].end;
        let offset = site.offset();
        let decades = self
            .article
            .decades
            .iter()
            .filter(|&&(o, _)| o.abs_diff(offset) <= self.cfg.year_window_chars)
            .filter(|&&(o, _)| !(first..last).contains(&o))
            .map(|&(_, d)| d);
        Some(YearWindow {
            first: decades.clone().min()?,
            last: decades.max()?.saturating_add(9),
        })
    }
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
    let mut evidence = Evidence {
        article,
        corpus_years,
        cfg,
        present: std::cell::OnceCell::new(),
        repaired: Vec::new(),
    };
    let bytes = text.as_bytes();
    for (i, chunk) in chunks.iter().enumerate() {
        // Most chunks are words: their first byte rules them out before the core is sliced.
        if chunk.core_start < chunk.core_end
            && bytes
                .get(chunk.core_start)
                .is_some_and(|b| !b.is_ascii_digit())
        {
            continue;
        }
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
        let site = Site {
            text,
            chunks,
            i,
            base,
            context,
            same_sentence: sentence_years(text, chunks, i, cfg),
        };
        if let Some((year, reason)) = evidence.decide(&site) {
            evidence.repaired.push((site.offset(), year));
            out.push(YearRepair {
                range: chunk.core_start..chunk.core_end,
                year,
                reason,
                distance: year_distance(core, year),
            });
        }
    }
    out
}

#[cfg(test)]
#[path = "years_tests.rs"]
mod tests;
