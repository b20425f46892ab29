//! The corpus vocabulary built by the reduce step of the statistics pass: how often each word
//! the lexicon lacks occurs (hashed, so names like "Ushakov" are known to recur), how many words
//! the corpus has, and which 4-digit years it mentions. Memory is bounded: past a set number of
//! distinct words the exact counts fold into a fixed-size count-min sketch. The fold depends only
//! on the number of distinct words, so merging in any order gives the same value.

use super::known::KnownWords;
use super::lexicon::{word_hash, Lexicon, PrehashedMap};
use super::shape;
use super::tokens;
use super::years;
use super::CorrectConfig;
use crate::article::Article;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Counters per sketch row.
const SKETCH_WIDTH: usize = 1 << 18;
/// Rows of the sketch (independent hashes).
const SKETCH_ROWS: usize = 2;

/// Corpus vocabulary: out-of-lexicon word counts, word total and year mentions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vocabulary {
    /// Exact counts of out-of-lexicon words by hash of their lowercase form.
    counts: PrehashedMap<u32>,
    /// Count-min sketch that replaces `counts` once there are too many distinct words.
    sketch: Vec<u32>,
    /// Largest number of exact counts kept (from the config).
    max_words: usize,
    /// Number of word tokens seen.
    words: u64,
    /// Mentions of each 4-digit year.
    years: BTreeMap<u16, u32>,
}

fn sketch_slots(hash: u64) -> [usize; SKETCH_ROWS] {
    let h2 = hash.rotate_left(32).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    [
        (hash as usize) % SKETCH_WIDTH,
        SKETCH_WIDTH + (h2 as usize) % SKETCH_WIDTH,
    ]
}

impl Vocabulary {
    /// The vocabulary of one article. Articles in another language add nothing: their words
    /// say nothing about which English-looking tokens are valid.
    pub fn observe(article: &Article, cfg: &CorrectConfig) -> Vocabulary {
        Vocabulary::observe_marking(article, cfg, &mut KnownWords::default())
    }

    /// `observe`, marking in `known` which chunks of the article are known words (see
    /// `KnownWords`; nothing for an article in another language).
    pub fn observe_marking(
        article: &Article,
        cfg: &CorrectConfig,
        known: &mut KnownWords,
    ) -> Vocabulary {
        let lexicon = Lexicon::english();
        let mut vocab = Vocabulary {
            max_words: cfg.vocabulary_max_words,
            ..Vocabulary::default()
        };
        if article.lang.as_deref().is_some_and(|l| l != "en") {
            return vocab;
        }
        let mut lower = String::new();
        // The cores are gathered first and observed in a loop of their own: called from the
        // scan's three paths, the observation was a function call per word.
        let mut cores = Vec::with_capacity(128);
        for para in &article.paragraphs {
            tokens::for_each_core(para, |start, end| cores.push(start..end));
            known.mark_paragraph(
                cores
                    .drain(..)
                    .map(|core| vocab.observe_core(para, core, cfg, lexicon, &mut lower)),
            );
        }
        vocab.bound();
        vocab
    }

    /// Counts the chunk core `text[range]`: a word (out of the lexicon: by hash), a year, or
    /// neither; answers whether it is a short ASCII word the lexicon knows (see `KnownWords`).
    /// `lower` is scratch space. Always inlined into its one loop (-3.5M instructions per
    /// 10 MB against the compiler's choice).
    #[inline(always)]
    fn observe_core(
        &mut self,
        text: &str,
        range: std::ops::Range<usize>,
        cfg: &CorrectConfig,
        lexicon: &Lexicon,
        lower: &mut String,
    ) -> bool {
        if range.is_empty() {
            return false;
        }
        self.words += 1;
        // Fast path: a short ASCII word, looked up by its shape (for ASCII, alphabetic and
        // lowercase by char and by byte agree).
        if let Some(s) = shape::shape(text.as_bytes(), range.clone()) {
            if s.letters {
                if lexicon.contains_shape(&s) {
                    return true;
                }
                let (buf, len) = shape::key_bytes(s.lower_key);
                let lower = buf.get(..len).unwrap_or_default();
                *self.counts.entry(word_hash(lower)).or_default() += 1;
                return false;
            }
        }
        let Some(core) = text.get(range) else {
            return false;
        };
        let bytes = core.as_bytes();
        if bytes.iter().all(u8::is_ascii_alphabetic) {
            if !lexicon.contains_lowercase_of(bytes) {
                lower.clear();
                lower.push_str(core);
                lower.make_ascii_lowercase();
                *self.counts.entry(word_hash(lower.as_bytes())).or_default() += 1;
            }
            return false;
        }
        if let Some(year) = years::as_year(core, cfg) {
            *self.years.entry(year).or_default() += 1;
            return false;
        }
        if !core.chars().all(char::is_alphabetic) {
            return false;
        }
        lower.clear();
        lower.extend(core.chars().flat_map(char::to_lowercase));
        if !lexicon.contains(lower) {
            *self.counts.entry(word_hash(lower.as_bytes())).or_default() += 1;
        }
        false
    }

    /// Adds `other` into `self`.
    pub fn merge(&mut self, other: Vocabulary) {
        self.max_words = self.max_words.max(other.max_words);
        self.words += other.words;
        for (year, n) in other.years {
            *self.years.entry(year).or_default() += n;
        }
        if !other.sketch.is_empty() {
            self.fold();
            for (mine, theirs) in self.sketch.iter_mut().zip(other.sketch) {
                *mine = mine.saturating_add(theirs);
            }
        }
        for (hash, n) in other.counts {
            *self.counts.entry(hash).or_default() += n;
        }
        self.bound();
    }

    /// Folds the exact counts into the sketch when there are too many (or a sketch exists).
    fn bound(&mut self) {
        if !self.sketch.is_empty() || self.counts.len() > self.max_words {
            self.fold();
        }
    }

    fn fold(&mut self) {
        if self.sketch.is_empty() {
            self.sketch = vec![0; SKETCH_WIDTH * SKETCH_ROWS];
        }
        for (hash, n) in self.counts.drain() {
            for slot in sketch_slots(hash) {
                self.sketch[slot] = self.sketch[slot].saturating_add(n);
            }
        }
    }

    /// Drops the exact counts below `min`: the corrector only asks whether a word occurs at
    /// least `recurrence_min` times, so a corpus's many one-off words (typos among them) need
    /// not be carried through the cleaning pass. `count` then answers 0 for them.
    pub fn retain_recurring(&mut self, min: u32) {
        self.counts.retain(|_, n| *n >= min);
        self.counts.shrink_to_fit();
    }

    /// How often the word (lowercase) occurs in the corpus; 0 for lexicon words, which are not
    /// counted. Once folded into the sketch this can overestimate, never underestimate.
    pub fn count(&self, word: &str) -> u32 {
        let hash = word_hash(word.as_bytes());
        let exact = self.counts.get(&hash).copied().unwrap_or(0);
        if self.sketch.is_empty() {
            return exact;
        }
        let folded = sketch_slots(hash)
            .iter()
            .map(|&s| self.sketch[s])
            .min()
            .unwrap_or(0);
        exact.saturating_add(folded)
    }

    /// Number of word tokens in the corpus.
    pub fn words(&self) -> u64 {
        self.words
    }

    /// Mentions of each 4-digit year in the corpus.
    pub fn years(&self) -> &BTreeMap<u16, u32> {
        &self.years
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> Article {
        Article {
            paragraphs: vec![text.to_string()],
            ..Article::default()
        }
    }

    #[test]
    fn counts_only_out_of_lexicon_words_and_years() {
        let cfg = CorrectConfig::default();
        let v = Vocabulary::observe(&article("Ushakov met Ushakov in 2001, the year."), &cfg);
        assert_eq!(v.count("ushakov"), 2);
        assert_eq!(v.count("the"), 0);
        assert_eq!(v.words(), 7);
        assert_eq!(v.years().get(&2001), Some(&1));
    }

    #[test]
    fn retaining_the_recurring_words_keeps_their_counts() {
        let cfg = CorrectConfig::default();
        let mut v = Vocabulary::observe(&article("Ushakov met Ushakov and Petrov once."), &cfg);
        assert_eq!((v.count("ushakov"), v.count("petrov")), (2, 1));
        v.retain_recurring(2);
        assert_eq!((v.count("ushakov"), v.count("petrov")), (2, 0));
        assert_eq!(
            v.words(),
            6,
            "the token count is the corpus's, not the kept words'"
        );
    }

    #[test]
    fn other_languages_add_nothing() {
        let mut a = article("Ushakov und Ushakov");
        a.lang = Some("de".into());
        let v = Vocabulary::observe(&a, &CorrectConfig::default());
        assert_eq!((v.count("ushakov"), v.words()), (0, 0));
    }

    #[test]
    fn merge_order_does_not_matter_even_past_the_bound() {
        let cfg = CorrectConfig {
            vocabulary_max_words: 2,
            ..CorrectConfig::default()
        };
        let parts: Vec<Vocabulary> = ["qxa qxb", "qxc qxa", "qxd qxa"]
            .iter()
            .map(|t| Vocabulary::observe(&article(t), &cfg))
            .collect();
        let mut forward = Vocabulary::default();
        for p in parts.iter().cloned() {
            forward.merge(p);
        }
        let mut backward = Vocabulary::default();
        for p in parts.into_iter().rev() {
            backward.merge(p);
        }
        assert_eq!(forward, backward);
        assert!(forward.count("qxa") >= 3, "sketch never underestimates");
    }
}
