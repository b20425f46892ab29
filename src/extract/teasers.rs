//! Teaser lists glued by the scraper. A list of related stories renders each as a headline and
//! a summary in two elements; a text extractor that drops the markup without a separator
//! runs them together: "Police: 2 In Custody After Death Of StudentA 24-year-old woman and a
//! 28-year-old man have been arrested …", or, where the summary opens with its dateline,
//! "Indian-origin man pleads guilty to fraud scheme in US NEW YORK: An Indian-origin man …".
//! One such line could be chance; a run of them is a list of links, not the article. It only
//! locates; the stripper removes.

use crate::extract::features::StopwordList;

/// Glued lines needed to call a run a teaser list.
const MIN_RUN: usize = 3;
/// Lines (of any kind) allowed between two glued lines of one run ("Latest Headlines", ads).
const MAX_GAP: usize = 2;
/// Words a headline needs before the glue point, and a summary after it.
const MIN_HEADLINE_WORDS: usize = 3;
const MIN_SUMMARY_WORDS: usize = 6;

/// Words (runs of letters and digits) a glued teaser has at the least: a headline and a
/// summary, less the word they share at the glue.
pub const MIN_WORDS: usize = MIN_HEADLINE_WORDS + MIN_SUMMARY_WORDS - 1;

/// The indices of `lines` that belong to runs of glued teasers; only the lines `eligible`
/// says may be (long enough, not removed already) are looked at.
pub fn glued_teaser_lines(
    lines: &[&str],
    eligible: &[bool],
    stop: Option<StopwordList<'_>>,
) -> Vec<usize> {
    let glued: Vec<usize> = lines
        .iter()
        .zip(eligible)
        .enumerate()
        .filter(|(_, (line, &eligible))| {
            eligible && (is_glued_teaser(line, stop) || is_dateline_teaser(line))
        })
        .map(|(i, _)| i)
        .collect();
    let mut found = Vec::new();
    let mut run_start = 0;
    for k in 1..=glued.len() {
        let run_ends = k == glued.len() || glued[k] - glued[k - 1] > MAX_GAP + 1;
        if run_ends {
            if k - run_start >= MIN_RUN {
                found.extend_from_slice(&glued[run_start..k]);
            }
            run_start = k;
        }
    }
    found
}

/// Whether `line` reads as a title-case headline glued to a sentence: at some capital letter
/// with no space before it, the words before are a headline (capitalised but for function
/// words) and the words after read as prose (many start in lower case).
pub fn is_glued_teaser(line: &str, stop: Option<StopwordList<'_>>) -> bool {
    let bytes = line.as_bytes();
    if !opens_like_a_headline(bytes) {
        return false;
    }
    // The glue lies within the headline or the word just past it, so the search ends with
    // the first word a headline cannot hold: in prose, within the first few words.
    let limit = headline_reach(line, stop);
    (1..limit).any(|i| {
        bytes[i].is_ascii_uppercase()
            && glue_before(&line[..i])
            && headline(&line[..i], stop)
            && prose(&line[i..])
    })
}

/// Whether `line` is a headline followed by a summary that opens with an upper-case dateline
/// ("… fraud scheme in US NEW YORK: An Indian-origin man …"): after at least
/// `MIN_HEADLINE_WORDS` words that do not end a sentence, one to three upper-case words of
/// four letters or more in all, the last closed by a colon, then a capitalised word. In an
/// article the dateline opens the first paragraph instead.
pub fn is_dateline_teaser(line: &str) -> bool {
    let bytes = line.as_bytes();
    // Only a colon closing an upper-case word can end a dateline: most colons ("said:") are
    // turned away by the byte before them, without splitting the line into words.
    memchr::memchr_iter(b':', bytes).any(|colon| {
        colon > 0
            && bytes.get(colon + 1) == Some(&b' ')
            && bytes[colon - 1].is_ascii_uppercase()
            && dateline_ends_at(line, colon)
    })
}

/// Whether the colon at byte `colon` of `line` closes a dateline with a headline before it
/// and a summary after it (see `is_dateline_teaser`).
fn dateline_ends_at(line: &str, colon: usize) -> bool {
    let summary = &line[colon + 1..];
    if !summary.trim_start().starts_with(|c: char| c.is_uppercase())
        || summary.split_whitespace().count() < MIN_SUMMARY_WORDS
    {
        return false;
    }
    let head: Vec<&str> = line[..colon + 1].split_whitespace().collect();
    // The dateline is the last one to three words before the colon.
    (1..=3.min(head.len())).any(|len| {
        let start = head.len() - len;
        start >= MIN_HEADLINE_WORDS
            && !head[start - 1].ends_with(['.', '!', '?', ':', ';'])
            && is_dateline(&head[start..])
    })
}

/// Whether `words` (ending with the one the colon closes) is a dateline: upper-case words
/// of four letters or more in all.
fn is_dateline(words: &[&str]) -> bool {
    let mut letters = 0;
    for (i, word) in words.iter().enumerate() {
        let body = if i + 1 == words.len() {
            match word.strip_suffix(':') {
                Some(body) => body,
                None => return false,
            }
        } else {
            word
        };
        if body.is_empty()
            || !body
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'.' || b == b'-')
        {
            return false;
        }
        letters += body.bytes().filter(u8::is_ascii_uppercase).count();
    }
    letters >= 4
}

/// A cheap first test, run on every line: the first word is capitalised or a number, and the
/// second too or short (a function word: "of", "in", "the"). Prose mostly fails it at its
/// second word ("The island ferry …").
fn opens_like_a_headline(bytes: &[u8]) -> bool {
    let mut words = bytes.split(|b| *b == b' ').filter(|w| !w.is_empty());
    let capitalised = |w: &[u8]| {
        w.first()
            .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || !b.is_ascii())
    };
    match (words.next(), words.next()) {
        (Some(first), Some(second)) => {
            capitalised(first) && (capitalised(second) || second.len() <= 3)
        }
        _ => false,
    }
}

/// How a word stands in a headline: `Some(true)` capitalised, `Some(false)` a number, a
/// function word or no word at all (punctuation), `None` a word no headline holds (a small
/// word that is not a function word).
fn headline_word(word: &str, stop: Option<StopwordList<'_>>) -> Option<bool> {
    match word.chars().find(|c| c.is_alphanumeric()) {
        Some(c) if c.is_uppercase() => Some(true),
        // Numbers stand in headlines and sentences alike: allowed, not counted.
        Some(c) if c.is_ascii_digit() => Some(false),
        None => Some(false),
        _ if stop.is_some_and(|s| s.contains_ascii_lower(word)) => Some(false),
        _ => None,
    }
}

/// The byte offset just past the first word of `line` that no headline holds (the line's
/// length when there is none).
fn headline_reach(line: &str, stop: Option<StopwordList<'_>>) -> usize {
    let mut offset = 0;
    for word in line.split_inclusive(char::is_whitespace) {
        offset += word.len();
        if headline_word(word.trim_end(), stop).is_none() {
            return offset;
        }
    }
    line.len()
}

/// Whether `head` ends the way a headline glued to the next text does: a small letter, a
/// digit, or closing punctuation. A full stop is left out: "U.S." is no glue.
fn glue_before(head: &str) -> bool {
    head.ends_with(|c: char| {
        c.is_ascii_lowercase()
            || c.is_ascii_digit()
            || matches!(c, '?' | '!' | ')' | '"' | '\'' | '’' | '”')
    })
}

/// Title case: at least `MIN_HEADLINE_WORDS` words, each capitalised, a number or a function
/// word, and at least three in five capitalised. The capitalised fragment of the
/// glued word counts ("Student" in "StudentA"); camel-case words in a sentence ("MacBook")
/// fail on the sentence's small words.
fn headline(head: &str, stop: Option<StopwordList<'_>>) -> bool {
    let (mut words, mut capitals) = (0usize, 0usize);
    for word in head.split_whitespace() {
        words += 1;
        match headline_word(word, stop) {
            Some(true) => capitals += 1,
            // A lone mark ("—", "|") joins two items, not the words of one headline.
            Some(false) if !word.chars().any(char::is_alphanumeric) => return false,
            Some(false) => {}
            // A word neither capitalised nor a function word: a sentence, not a headline.
            None => return false,
        }
    }
    words >= MIN_HEADLINE_WORDS && capitals * 5 >= words * 3
}

/// Prose: at least `MIN_SUMMARY_WORDS` words, two in five starting in lower case.
fn prose(tail: &str) -> bool {
    let (mut words, mut lower) = (0usize, 0usize);
    for word in tail.split_whitespace() {
        words += 1;
        if word.starts_with(|c: char| c.is_lowercase()) {
            lower += 1;
        }
    }
    words >= MIN_SUMMARY_WORDS && lower * 5 >= words * 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::features::Stopwords;

    fn english() -> Stopwords {
        Stopwords::bundled()
    }

    #[test]
    fn a_headline_glued_to_its_summary_is_a_teaser_and_camel_case_is_not() {
        let stop = english();
        let en = stop.for_lang(Some("en"));
        for (line, teaser) in [
            ("Harbour Ferry Returns After Storm RepairsThe island ferry will run twice a day from April.", true),
            ("Is The Bridge Toll Too High?Commuters say they pay more than drivers in any other city.", true),
            ("Council Approves 2025 BudgetThe vote came after a long night of debate in the hall.", true),
            ("Following the 16-inch MacBook Pro, the company plans a smaller model with the same keys.", false),
            ("Officials at the U.S. Embassy said the talks would go on through the night and into Monday.", false),
            ("Harbour Ferry Returns After Storm Repairs", false),
            ("The island ferry will run twice a day from April, the port authority said on Monday.", false),
            ("Share to LinkedInLinkedInShare to FacebookFacebook", false),
        ] {
            assert_eq!(is_glued_teaser(line, en), teaser, "{line}");
        }
    }

    #[test]
    fn a_headline_before_its_summarys_dateline_is_a_teaser() {
        for line in [
            "Port workers vote to end the strike at the harbour NEW YORK: Dock workers voted on Monday to end a strike.",
            "Ferry returns after storm repairs PORT ELLEN: The island ferry will run twice a day from April.",
        ] {
            assert!(is_dateline_teaser(line), "{line}");
        }
        for line in [
            "NEW YORK: Dock workers voted on Monday to end a strike that had closed the port.",
            "That is especially true when we are watching TV: A handful of chips and a drink or two.",
            "The union said it would decide on Monday. LONDON: Dock workers in the capital voted too.",
            "Port workers vote to end the strike at the harbour NEW YORK: Dock workers voted.",
        ] {
            assert!(!is_dateline_teaser(line), "{line}");
        }
    }

    #[test]
    fn only_runs_of_glued_lines_are_teaser_lists() {
        let stop = english();
        let en = stop.for_lang(Some("en"));
        let teaser = "Harbour Ferry Returns After Storm RepairsThe island ferry will run twice a day from April.";
        let prose = "The island ferry will run twice a day from April, the port authority said.";
        let lines = [
            prose,
            teaser,
            prose,
            teaser,
            "Latest Headlines",
            "More",
            teaser,
            prose,
            prose,
            prose,
            teaser,
        ];
        // Lines 1, 3 and 6 are a run (gaps of one and two lines); line 10 stands alone.
        let all = [true; 11];
        assert_eq!(glued_teaser_lines(&lines, &all, en), vec![1, 3, 6]);
        assert!(
            glued_teaser_lines(&lines[..5], &all, en).is_empty(),
            "two glued lines are no list"
        );
        let mut some = all;
        some[3] = false;
        assert!(
            glued_teaser_lines(&lines, &some, en).is_empty(),
            "line 3 not looked at"
        );
    }
}
