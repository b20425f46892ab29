//! Time cues around a broken year, read from the words of its own sentence: a year counted
//! from another one ("the next year", "two years later"), a span back from the article's
//! present ("18 years ago", "remain ..., 18 years after"), a plan or forecast ("will", "plans
//! to"), and decades ("the early 2020s"). Each cue narrows the years the number may stand for;
//! none picks a year by itself. Also finds a corpus's present year.

use super::super::tokens::Chunk;
use std::collections::BTreeMap;

/// A closed range of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearWindow {
    /// First year of the window.
    pub first: u16,
    /// Last year of the window.
    pub last: u16,
}

impl YearWindow {
    /// Whether `year` lies in the window.
    pub fn contains(&self, year: u16) -> bool {
        (self.first..=self.last).contains(&year)
    }
}

/// The chunk range of the sentence holding chunk `i`.
pub fn sentence_of(chunks: &[Chunk], i: usize) -> std::ops::Range<usize> {
    let start = (0..=i.min(chunks.len().saturating_sub(1)))
        .rev()
        .find(|&j| chunks[j].sentence_start)
        .unwrap_or(0);
    let end = (i + 1..chunks.len())
        .find(|&j| chunks[j].sentence_start)
        .unwrap_or(chunks.len());
    start..end
}

fn lower_at(text: &str, chunks: &[Chunk], j: usize) -> String {
    chunks
        .get(j)
        .map_or(String::new(), |c| c.core(text).to_lowercase())
}

/// A small count written as digits or as a word ("18", "two", "a").
fn count_word(word: &str) -> Option<u16> {
    const WORDS: &[&str] = &[
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    if matches!(word, "a" | "an") {
        return Some(1);
    }
    if let Some(i) = WORDS.iter().position(|w| *w == word) {
        return u16::try_from(i + 1).ok();
    }
    if word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok().filter(|n| (1..=200).contains(n));
    }
    None
}

/// A cue spanning chunks `first..=last` reaches chunk `i` after it: a cue opening its sentence
/// ("The next year, ...", "About three years ago, ...") sets the time of the whole sentence;
/// one inside it reaches only across words, not across a coordination or a clause stop ("up
/// from $38,373 a year ago and from $34,410 in October 215" is another time). A day before
/// the number ("September 11, 201") is no stop.
fn reaches(text: &str, chunks: &[Chunk], first: usize, last: usize, i: usize) -> bool {
    const OPENERS: &[&str] = &[
        "about", "some", "nearly", "almost", "roughly", "just", "then",
    ];
    const BREAKS: &[&str] = &[
        "and", "or", "but", "while", "whereas", "than", "from", "compared", "versus", "vs",
    ];
    let start = sentence_of(chunks, i).start;
    if first == start
        || (first == start + 1 && OPENERS.contains(&lower_at(text, chunks, start).as_str()))
    {
        return true;
    }
    (last + 1..i).all(|j| {
        let Some(c) = chunks.get(j) else {
            return false;
        };
        let day = j + 1 == i
            && c.core(text)
                .parse::<u8>()
                .is_ok_and(|d| (1..=31).contains(&d));
        !BREAKS.contains(&lower_at(text, chunks, j).as_str())
            && (day || !c.trail(text).contains([',', ';', ':', '(', ')']))
    })
}

/// A year counted from the last year named before it: `(first chunk of the cue, years to
/// add)`. "the next year" / "the following year" / "a year later" add one, "the previous year"
/// / "a year earlier" take one, "N years later/earlier" add or take N. Only cues before chunk
/// `i` in its sentence that reach it count; "a year after 216" makes the number the anchor,
/// not the target, so "after" and "before" are not cues here.
pub fn relative_step(text: &str, chunks: &[Chunk], i: usize) -> Option<(usize, i32)> {
    let sentence = sentence_of(chunks, i);
    let mut found = None;
    for j in sentence.start..i {
        let w = lower_at(text, chunks, j);
        if w != "year" && w != "years" {
            continue;
        }
        let before = j.checked_sub(1).map(|k| lower_at(text, chunks, k));
        let before2 = j.checked_sub(2).map(|k| lower_at(text, chunks, k));
        let after = lower_at(text, chunks, j + 1);
        let cue = match (before2.as_deref(), before.as_deref(), after.as_str()) {
            (Some("the"), Some("next" | "following" | "subsequent"), _) if w == "year" => {
                Some((j - 2, j, 1))
            }
            (Some("the"), Some("previous" | "preceding"), _) if w == "year" => Some((j - 2, j, -1)),
            (_, Some(n), "later") => count_word(n).map(|n| (j - 1, j + 1, i32::from(n))),
            (_, Some(n), "earlier") => count_word(n).map(|n| (j - 1, j + 1, -i32::from(n))),
            _ => None,
        };
        if let Some((first, last, step)) = cue {
            if first >= sentence.start && last < i && reaches(text, chunks, first, last, i) {
                found = Some((first, step));
            }
        }
    }
    found
}

/// Words of a clause in the present: "troops remain in Afghanistan, 18 years after ...".
const PRESENT: &[&str] = &[
    "is",
    "are",
    "remain",
    "remains",
    "has",
    "have",
    "still",
    "now",
    "today",
    "continue",
    "continues",
];

/// Years back from the article's present year: "18 years ago", or "18 years after/since"
/// following a clause in the present ("troops remain there, 18 years after the 201 attacks").
/// Only cues before chunk `i` in its sentence that reach it count.
pub fn years_back(text: &str, chunks: &[Chunk], i: usize) -> Option<u16> {
    let sentence = sentence_of(chunks, i);
    let mut found = None;
    for j in sentence.start + 1..i {
        let w = lower_at(text, chunks, j);
        if w != "year" && w != "years" {
            continue;
        }
        let Some(n) = count_word(&lower_at(text, chunks, j - 1)) else {
            continue;
        };
        let back = match lower_at(text, chunks, j + 1).as_str() {
            "ago" => true,
            "after" | "since" => (sentence.start..j - 1)
                .any(|k| PRESENT.contains(&lower_at(text, chunks, k).as_str())),
            _ => false,
        };
        if back && j + 1 < i && reaches(text, chunks, j - 1, j + 1, i) {
            found = Some(n);
        }
    }
    found
}

/// Words that put a plan or forecast ahead of the article's present.
const PLAN_VERBS: &[&str] = &[
    "plans", "plan", "aims", "aim", "hopes", "hope", "intends", "intend", "expects", "expect",
];

/// A plan or forecast reaches chunk `i`: "will", "'ll", "plans to", "hopes to", "aims to",
/// "intends to", "expects to" before it in its sentence ("plans to spend $2.6 billion through
/// November 208"), not "the plant, which will close, opened in 201". Not after "since",
/// which points back.
pub fn future_cue(text: &str, chunks: &[Chunk], i: usize) -> bool {
    if i > 0 && lower_at(text, chunks, i - 1) == "since" {
        return false;
    }
    let sentence = sentence_of(chunks, i);
    (sentence.start..i).any(|j| {
        let w = lower_at(text, chunks, j);
        let last = if w == "will" || w.ends_with("'ll") || w.ends_with("’ll") {
            j
        } else if PLAN_VERBS.contains(&w.as_str()) && lower_at(text, chunks, j + 1) == "to" {
            j + 1
        } else {
            return false;
        };
        last < i && reaches(text, chunks, j, last, i)
    })
}

/// The decade a chunk core names: "2020s", "1990s", "mid-1950s", "early-2000s".
pub fn as_decade(core: &str) -> Option<u16> {
    let digits = core.strip_suffix('s')?;
    let digits = digits.rsplit('-').next()?;
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: u16 = digits.parse().ok()?;
    year.is_multiple_of(10).then_some(year)
}

/// The present year of a corpus: the centre of the three consecutive years it mentions most,
/// when those hold at least `min_share` of its at least `min_mentions` year mentions (a
/// crawl of one season). Ties go to the later year.
pub fn corpus_present(
    years: &BTreeMap<u16, u32>,
    min_mentions: u32,
    min_share: f64,
) -> Option<u16> {
    let total: u32 = years.values().sum();
    if total < min_mentions.max(1) {
        return None;
    }
    let around = |y: u16| -> u32 {
        years
            .range(y.saturating_sub(1)..=y.saturating_add(1))
            .map(|(_, &n)| n)
            .sum()
    };
    let (best, n) = years
        .keys()
        .map(|&y| (y, around(y)))
        .max_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)))?;
    (f64::from(n) >= min_share * f64::from(total)).then_some(best)
}
