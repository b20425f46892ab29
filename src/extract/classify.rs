//! Line classification in the style of jusText, on plain text. Each line first gets a class
//! from its own evidence (metadata, phrase rule, corpus repetition, length and stopword
//! density); then short and near-good lines are resolved by their context: a short line
//! between article paragraphs is a subheading (kept), one among page noise is dropped, one
//! next to a photo credit is a caption (dropped). It decides; it does not edit the article.

use crate::extract::features::LineFeatures;
use crate::extract::regions::{keep_main_span, mark_menus};

/// The class of a line, as in jusText.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Article text.
    Good,
    /// Probably article text; decided by its neighbours.
    NearGood,
    /// Too short to judge alone; decided by its neighbours.
    Short,
    /// Not article text.
    Bad,
}

/// The evidence about one line and, after `resolve`, the decision.
#[derive(Debug, Clone, Copy)]
pub struct Verdict {
    /// Current class (final after `resolve`).
    pub class: Class,
    /// Class from the line's own evidence, before context.
    pub initial: Class,
    /// Reason code when the line is removed.
    pub reason: &'static str,
    /// Removed for sure (metadata, phrase, repetition): context cannot bring it back.
    pub hard: bool,
    /// Ignored when looking for a neighbour's class (inline ads, credits, metadata lines).
    pub transparent: bool,
    /// A photo or image credit line: its short neighbours are captions.
    pub credit: bool,
    /// The line reads like a sentence (ends with sentence punctuation, a few words).
    pub sentence: bool,
    /// Length in characters.
    pub chars: usize,
    /// Most words start with a capital letter (menu items, names, headlines).
    pub capitalised: bool,
}

impl Verdict {
    /// A line removed for sure, with `reason`.
    pub fn hard(reason: &'static str, transparent: bool, credit: bool) -> Verdict {
        Verdict {
            class: Class::Bad,
            initial: Class::Bad,
            reason,
            hard: true,
            transparent,
            credit,
            sentence: false,
            chars: 0,
            capitalised: false,
        }
    }
}

/// Thresholds of the jusText-style classes (from `BoilerplateConfig`).
#[derive(Debug, Clone, Copy)]
pub struct BlockThresholds {
    /// Lines shorter than this (chars) are `Short`.
    pub length_low: usize,
    /// Lines at least this long (chars) with enough stopwords are `Good`.
    pub length_high: usize,
    /// Sentence-like lines at least this long (chars) with enough stopwords are `Good` too.
    pub length_sentence: usize,
    /// Stopword density below this makes a line `Bad`.
    pub stopwords_low: f32,
    /// Stopword density at or above this (and length) makes a line `Good`.
    pub stopwords_high: f32,
    /// Lines with this many menu separators and no sentence end are `Bad`.
    pub max_separators: usize,
    /// This many consecutive short capitalised lines without sentence ends are a menu.
    pub menu_run: usize,
    /// Text lines separated by at most this many other lines belong to one region.
    pub region_gap: usize,
    /// A region is part of the article when its text is at least this share of the largest one.
    pub region_min_share: f32,
}

/// The class of a line from its own features.
pub fn initial_verdict(f: &LineFeatures, t: &BlockThresholds) -> Verdict {
    let sentence = f.terminal && f.words >= 3;
    let (class, reason) = if f.separators >= t.max_separators && !f.terminal {
        (Class::Bad, "block:separators")
    } else if f.chars < t.length_low {
        (Class::Short, "block:short_context")
    } else {
        match f.stopword_density {
            Some(d)
                if d >= t.stopwords_high
                    && (f.chars >= t.length_high
                        || (f.terminal && f.chars >= t.length_sentence)) =>
            {
                (Class::Good, "block:good")
            }
            Some(d) if d >= t.stopwords_low => (Class::NearGood, "block:near_good_context"),
            // Long sentences dense in names still read as text.
            Some(d) if f.terminal && f.chars >= t.length_sentence && d >= t.stopwords_low / 2.0 => {
                (Class::NearGood, "block:near_good_context")
            }
            Some(_) => (Class::Bad, "block:low_stopwords"),
            // No stopword list for the language: judge by length and punctuation only.
            None if f.terminal && f.chars >= t.length_sentence => (Class::Good, "block:good"),
            None if f.terminal => (Class::NearGood, "block:near_good_context"),
            None => (Class::Bad, "block:no_sentence"),
        }
    };
    Verdict {
        class,
        initial: class,
        reason,
        hard: false,
        transparent: false,
        credit: false,
        sentence,
        chars: f.chars,
        capitalised: f.capitalised >= 0.5,
    }
}

/// The index one step before (`back`) or after `j`, or `None` past the page edge.
fn step(j: usize, back: bool, len: usize) -> Option<usize> {
    if back {
        j.checked_sub(1)
    } else {
        Some(j + 1).filter(|&k| k < len)
    }
}

/// Nearest class before (`back`) or after `i`, skipping transparent lines, short lines and
/// (when `skip_near`) near-good lines; the page edge counts as `Bad`.
fn neighbour(v: &[Verdict], i: usize, back: bool, skip_near: bool) -> Class {
    let mut j = i;
    while let Some(k) = step(j, back, v.len()) {
        j = k;
        let c = v[j].class;
        if v[j].transparent || c == Class::Short || (skip_near && c == Class::NearGood) {
            continue;
        }
        return c;
    }
    Class::Bad
}

/// Class of the first line before (`back`) or after `i` that is not a short sentence,
/// skipping transparent lines: the line a run of short sentences hangs from.
fn beyond_short_sentences(v: &[Verdict], i: usize, back: bool) -> Class {
    let mut j = i;
    while let Some(k) = step(j, back, v.len()) {
        j = k;
        if v[j].transparent || (v[j].class == Class::Short && v[j].sentence) {
            continue;
        }
        return v[j].class;
    }
    Class::Bad
}

/// Resolves short and near-good lines by context, marks captions and position reasons.
pub fn resolve(v: &mut [Verdict], t: &BlockThresholds) {
    let n = v.len();
    mark_menus(v, t.menu_run);
    // A page without a single good line (a language with few function words, or short
    // paragraphs throughout): its best sentences become the anchors instead.
    if !v.iter().any(|x| x.class == Class::Good) {
        for x in v.iter_mut() {
            if x.class == Class::NearGood && x.sentence && x.chars >= t.length_sentence {
                x.class = Class::Good;
                x.initial = Class::Good;
            }
        }
    }
    // Short lines: decided by the nearest non-short neighbours.
    let mut decided = Vec::with_capacity(n);
    for i in 0..n {
        if v[i].class != Class::Short {
            decided.push(v[i].class);
            continue;
        }
        let prev = neighbour(v, i, true, true);
        let next = neighbour(v, i, false, true);
        let class = match (prev, next) {
            (Class::Good, Class::Good) => Class::Good,
            // A short sentence next to article text, or in a run of short sentences that is
            // (a quote and the closing line of a brief: "No injuries were reported.").
            (Class::Good, _)
                if v[i].sentence && beyond_short_sentences(v, i, true) == Class::Good =>
            {
                Class::Good
            }
            (_, Class::Good)
                if v[i].sentence && beyond_short_sentences(v, i, false) == Class::Good =>
            {
                Class::Good
            }
            (Class::Bad, Class::Bad) => {
                let near = neighbour(v, i, true, false) == Class::NearGood
                    || neighbour(v, i, false, false) == Class::NearGood;
                if near && v[i].sentence {
                    Class::Good
                } else {
                    Class::Bad
                }
            }
            _ => {
                let near = neighbour(v, i, true, false) == Class::NearGood
                    || neighbour(v, i, false, false) == Class::NearGood;
                if near {
                    Class::Good
                } else {
                    Class::Bad
                }
            }
        };
        decided.push(class);
    }
    for (verdict, class) in v.iter_mut().zip(&decided) {
        if verdict.class == Class::Short {
            verdict.class = if *class == Class::Good {
                Class::NearGood
            } else {
                Class::Bad
            };
        }
    }
    // Near-good lines (including resolved short ones): dropped only among bad neighbours.
    let mut decided = Vec::with_capacity(n);
    for i in 0..n {
        if v[i].class != Class::NearGood {
            decided.push(v[i].class);
            continue;
        }
        let prev = neighbour(v, i, true, true);
        let next = neighbour(v, i, false, true);
        decided.push(if prev == Class::Bad && next == Class::Bad {
            Class::Bad
        } else {
            Class::Good
        });
    }
    for (verdict, class) in v.iter_mut().zip(decided) {
        verdict.class = class;
    }
    // Captions: a kept short line next to a credit line.
    for i in 0..n {
        if v[i].class == Class::Good && v[i].initial == Class::Short {
            let by_credit = (i > 0 && v[i - 1].credit) || (i + 1 < n && v[i + 1].credit);
            if by_credit {
                v[i].class = Class::Bad;
                v[i].reason = "block:caption";
            }
        }
    }
    keep_main_span(v, t);
    // Position reasons for context-dropped lines outside the article's span.
    let first = v.iter().position(|x| x.class == Class::Good);
    let last = v.iter().rposition(|x| x.class == Class::Good);
    for (i, x) in v.iter_mut().enumerate() {
        if x.class == Class::Bad && !x.hard && x.reason != "block:caption" {
            if first.is_none_or(|f| i < f) {
                x.reason = "position:head";
            } else if last.is_some_and(|l| i > l) {
                x.reason = "position:tail";
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(class: Class, sentence: bool) -> Verdict {
        Verdict {
            class,
            initial: class,
            reason: "test",
            hard: false,
            transparent: false,
            credit: false,
            sentence,
            chars: 100,
            capitalised: false,
        }
    }

    const T: BlockThresholds = BlockThresholds {
        length_low: 70,
        length_high: 200,
        length_sentence: 100,
        stopwords_low: 0.25,
        stopwords_high: 0.3,
        max_separators: 2,
        menu_run: 5,
        region_gap: 2,
        region_min_share: 0.3,
    };

    fn classes(v: &[Verdict]) -> Vec<Class> {
        v.iter().map(|x| x.class).collect()
    }

    #[test]
    fn subheading_between_paragraphs_is_kept() {
        use Class::*;
        let mut v = vec![line(Good, true), line(Short, false), line(Good, true)];
        resolve(&mut v, &T);
        assert_eq!(classes(&v), [Good, Good, Good]);
    }

    #[test]
    fn a_run_of_short_sentences_after_the_text_is_kept_but_not_short_fragments() {
        use Class::*;
        // A brief's last lines: a one-line quote, then its closing sentence.
        let mut v = vec![line(Good, true), line(Short, true), line(Short, true)];
        resolve(&mut v, &T);
        assert_eq!(classes(&v), [Good, Good, Good]);
        // A fragment (no sentence) breaks the run: what follows it is not attached.
        let mut v = vec![
            line(Good, true),
            line(Short, true),
            line(Short, false),
            line(Short, true),
        ];
        resolve(&mut v, &T);
        assert_eq!(classes(&v), [Good, Good, Bad, Bad]);
        assert_eq!(v[3].reason, "position:tail");
    }

    #[test]
    fn short_lines_among_noise_are_dropped_with_position() {
        use Class::*;
        let mut v = vec![
            line(Short, false),
            line(Good, true),
            line(Bad, false),
            line(Short, false),
        ];
        resolve(&mut v, &T);
        assert_eq!(classes(&v), [Bad, Good, Bad, Bad]);
        assert_eq!(v[0].reason, "position:head");
        assert_eq!(v[3].reason, "position:tail");
    }

    #[test]
    fn caption_next_to_credit_is_dropped() {
        use Class::*;
        let mut v = vec![
            line(Good, true),
            Verdict::hard("keyword:credit", true, true),
            line(Short, false),
            line(Good, true),
        ];
        resolve(&mut v, &T);
        assert_eq!(classes(&v), [Good, Bad, Bad, Good]);
        assert_eq!(v[2].reason, "block:caption");
    }

    #[test]
    fn closing_quote_after_article_is_kept() {
        use Class::*;
        let mut v = vec![line(Good, true), line(Short, true), line(Bad, false)];
        resolve(&mut v, &T);
        assert_eq!(classes(&v), [Good, Good, Bad]);
    }

    #[test]
    fn runs_of_capitalised_short_lines_are_menus() {
        use Class::*;
        let item = Verdict {
            capitalised: true,
            ..line(Short, false)
        };
        let mut v = vec![line(Good, true)];
        v.extend(std::iter::repeat_n(item, 5));
        v.push(line(Good, true));
        resolve(&mut v, &T);
        assert_eq!(v[3].class, Bad);
        assert_eq!(v[3].reason, "block:menu");
        let mut v = vec![line(Good, true), item, line(Good, true)];
        resolve(&mut v, &T);
        assert_eq!(v[1].class, Good);
    }

    #[test]
    fn near_good_among_noise_is_dropped() {
        use Class::*;
        let mut v = vec![
            line(Bad, false),
            line(NearGood, true),
            line(Bad, false),
            line(Good, true),
        ];
        resolve(&mut v, &T);
        assert_eq!(classes(&v), [Bad, Bad, Bad, Good]);
    }
}
