//! Where a bare number stands in place of a year: in a list or coordination with 4-digit
//! years, in a date, after a preposition or "the" with nothing counted following. Reads the
//! words around the number only; which year it was is decided in `years`. Counts, amounts,
//! ranks and percentages ("200 people", "$200", "No. 200", "20%") match none of these.

use super::super::tokens::Chunk;
use super::super::CorrectConfig;
use super::as_year;

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

/// A date used as a modifier, with "the" before the month: "the September 11, 201 attacks",
/// "the November 219 election". A count cannot stand there, so a noun may follow.
fn date_as_modifier(text: &str, chunks: &[Chunk], i: usize) -> bool {
    let month = |j: usize| MONTHS.contains(&core_at(text, chunks, Some(j)));
    let day = |j: usize| {
        core_at(text, chunks, Some(j))
            .parse::<u8>()
            .is_ok_and(|d| (1..=31).contains(&d))
    };
    let month_at = match i {
        0 => None,
        1 => month(0).then_some(0),
        _ if month(i - 1) => Some(i - 1),
        _ if day(i - 1) && month(i - 2) => Some(i - 2),
        _ => None,
    };
    month_at.is_some_and(|m| core_at(text, chunks, m.checked_sub(1)).eq_ignore_ascii_case("the"))
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
    let listed_or_dated = (in_year_list(text, chunks, i, cfg) || in_date(text, chunks, i))
        && followed_like_year(text, chunks, i);
    if listed_or_dated || date_as_modifier(text, chunks, i) {
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
