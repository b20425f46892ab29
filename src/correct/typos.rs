//! Typo correction for one out-of-lexicon word: candidates from the delete index, each scored
//! as a noisy channel (log frequency of the candidate plus the log likelihood of the slip that
//! would turn it into the token: keyboard neighbour, dropped or doubled letter, swapped
//! letters), with Jaro-Winkler as a sanity floor. A suggestion is made only when the best
//! candidate beats the runner-up by a clear margin and the token does not look like a valid
//! word the lexicon lacks (a derived form, a word the corpus keeps using, or a compound of two
//! frequent words, unless the typo reading beats the compound reading by the same margin).

use super::keyboard;
use super::lexicon::Lexicon;
use super::symspell::{Candidate, DeleteIndex};
use super::vocabulary::Vocabulary;
use super::CorrectConfig;

/// A proposed correction of one word (lowercase).
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The corrected word, lowercase.
    pub word: &'static str,
    /// Reason code: `typo:transpose`, `typo:edit1` or `typo:edit2`.
    pub reason: &'static str,
    /// Log-score margin of the winner over the runner-up (`MAX_MARGIN` without a rival).
    pub margin: f64,
}

/// Which slip turns the candidate into the token, for a distance-1 pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slip {
    /// Two adjacent letters swapped.
    Transpose,
    /// A letter dropped; `true` when it was one of a doubled pair.
    Drop(bool),
    /// A letter inserted; `true` when it is a keyboard neighbour (or copy) of a letter beside it.
    Insert(bool),
    /// A letter replaced; `true` when by a keyboard neighbour.
    Substitute(bool),
    /// A vowel typed for another vowel (a spelling error rather than a slip).
    Vowel,
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Classifies the single edit between `token` and `word` (ASCII, distance 1).
pub fn classify(token: &[u8], word: &[u8]) -> Slip {
    let i = token
        .iter()
        .zip(word)
        .position(|(a, b)| a != b)
        .unwrap_or(token.len().min(word.len()));
    let (t, w) = (token.get(i).copied(), word.get(i).copied());
    match (token.len().cmp(&word.len()), t, w) {
        (std::cmp::Ordering::Less, _, Some(dropped)) => {
            let doubled =
                word.get(i + 1) == Some(&dropped) || (i > 0 && word.get(i - 1) == Some(&dropped));
            Slip::Drop(doubled)
        }
        (std::cmp::Ordering::Greater, Some(extra), _) => {
            let near =
                |j: Option<&u8>| j.is_some_and(|&n| n == extra || keyboard::adjacent(n, extra));
            Slip::Insert(near(token.get(i + 1)) || (i > 0 && near(token.get(i - 1))))
        }
        (std::cmp::Ordering::Equal, Some(a), Some(b)) => {
            if token.get(i + 1) == Some(&b) && word.get(i + 1) == Some(&a) {
                Slip::Transpose
            } else if keyboard::adjacent(a, b) {
                Slip::Substitute(true)
            } else if is_vowel(a) && is_vowel(b) {
                Slip::Vowel
            } else {
                Slip::Substitute(false)
            }
        }
        // Equal strings (not a distance-1 pair): the least likely slip.
        _ => Slip::Substitute(false),
    }
}

/// Log likelihood of the edit from `word` to `token`.
fn channel(cfg: &CorrectConfig, token: &str, word: &str, distance: usize) -> (f64, &'static str) {
    if distance >= 2 {
        return (cfg.log_p_edit2, "typo:edit2");
    }
    match classify(token.as_bytes(), word.as_bytes()) {
        Slip::Transpose => (cfg.log_p_transpose, "typo:transpose"),
        Slip::Drop(true) => (cfg.log_p_drop_double, "typo:edit1"),
        Slip::Drop(false) => (cfg.log_p_drop, "typo:edit1"),
        Slip::Insert(true) => (cfg.log_p_insert_near, "typo:edit1"),
        Slip::Insert(false) => (cfg.log_p_insert_other, "typo:edit1"),
        Slip::Substitute(true) => (cfg.log_p_substitute_near, "typo:edit1"),
        Slip::Vowel => (cfg.log_p_substitute_vowel, "typo:edit1"),
        Slip::Substitute(false) => (cfg.log_p_substitute_other, "typo:edit1"),
    }
}

/// The margin recorded when a candidate has no rival at all.
pub const MAX_MARGIN: f64 = 50.0;

const SUFFIXES: &[&str] = &[
    "s", "y", "es", "ed", "d", "ing", "er", "ers", "ly", "ness", "ment", "ments", "al", "ally",
    "ation", "ations", "ize", "ized", "izes", "izing", "able", "ity", "ist", "ists", "ism",
];
const PREFIXES: &[&str] = &[
    "un", "re", "non", "pre", "co", "de", "dis", "mis", "over", "under", "out", "multi", "micro",
    "mega", "mid", "anti", "post", "sub", "super", "inter", "intra", "self", "semi", "cross",
    "counter", "trans", "ultra", "hyper", "cyber", "tele", "bio", "eco", "geo", "neo", "pro", "up",
    "down",
];

/// Whether English spelling lets `suffix` follow `stem` as it stands: "-d" only completes a
/// final "e" ("agree-d", not "allow-d"), "-es" only follows a sibilant or "o" ("box-es",
/// "hero-es", not "look-es"). Other suffixes are not checked.
fn takes_suffix(stem: &str, suffix: &str) -> bool {
    match suffix {
        "d" => stem.ends_with('e'),
        "es" => ["s", "x", "z", "ch", "sh", "o"]
            .iter()
            .any(|end| stem.ends_with(end)),
        _ => true,
    }
}

/// Whether `word` (lowercase, not in the lexicon) is a regular derivation the lexicon lacks: a
/// stem in use with a suffix (as English spells it) or a prefix. Stems must have a corpus
/// frequency: the list of valid words without one holds rare words ("alated") that happen to
/// sit one slip inside common ones ("realated").
fn looks_affixed(lexicon: &Lexicon, word: &str) -> bool {
    let known = |w: &str| w.len() >= 3 && lexicon.count(w) > 0;
    let mut buf = String::with_capacity(word.len() + 1);
    for suffix in SUFFIXES {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.len() >= 4 && known(stem) && takes_suffix(stem, suffix) {
                return true;
            }
            buf.clear();
            buf.push_str(stem);
            buf.push('e');
            if stem.len() >= 3 && suffix.starts_with(['i', 'e', 'a']) && known(&buf) {
                return true;
            }
        }
    }
    PREFIXES.iter().any(|prefix| {
        word.strip_prefix(prefix)
            .is_some_and(|rest| rest.len() >= 4 && known(rest))
    })
}

/// When `word` splits into two frequent words (a compound the lexicon lacks), the log
/// frequency of the rarer part of the best split: how plausible the compound is, to weigh
/// against a typo reading of the same token.
pub fn compound_log_count(lexicon: &Lexicon, word: &str, cfg: &CorrectConfig) -> Option<f64> {
    (3..word.len().saturating_sub(2))
        .filter(|&i| word.is_char_boundary(i))
        .filter_map(|i| {
            let rarer = lexicon.count(&word[..i]).min(lexicon.count(&word[i..]));
            (word.len() - i >= 3 && rarer >= cfg.compound_part_min_count)
                .then(|| (rarer as f64).ln())
        })
        .reduce(f64::max)
}

/// Scores the candidates of `token` and returns the winner if it wins clearly.
/// `min_count` is the lowest frequency the winner may have (stricter for capitalised and
/// very short words).
pub fn suggest(
    cfg: &CorrectConfig,
    lexicon: &Lexicon,
    index: &DeleteIndex,
    vocabulary: &Vocabulary,
    token: &str,
    min_count: u64,
) -> Option<Suggestion> {
    let candidates: Vec<Candidate> = index.candidates(lexicon, token);
    if candidates.is_empty() {
        return None;
    }
    let mut best: Option<(f64, Candidate, &'static str)> = None;
    let mut second = f64::NEG_INFINITY;
    for cand in candidates {
        let word = lexicon.word(cand.id);
        let count = lexicon.count_of(cand.id).max(cfg.known_word_count).max(1);
        let (log_p, reason) = channel(cfg, token, word, cand.distance);
        let score = (count as f64).ln() + log_p;
        // Two edits away only a frequent word may win (the index reaches rarer words there too,
        // through the token's deletes); it still counts as a rival.
        if cand.distance >= 2 && lexicon.count_of(cand.id) < cfg.min_count_edit2 {
            second = second.max(score);
            continue;
        }
        match best {
            Some((b, _, _)) if score <= b => second = second.max(score),
            _ => {
                if let Some((b, _, _)) = best {
                    second = second.max(b);
                }
                best = Some((score, cand, reason));
            }
        }
    }
    let (score, cand, reason) = best?;
    let word = lexicon.word(cand.id);
    let count = lexicon.count_of(cand.id);
    // Without a rival the margin is unbounded; cap it so the audit score stays a number.
    let margin = (score - second).min(MAX_MARGIN);
    if count < min_count || margin < cfg.margin || lexicon.is_name(cand.id) {
        return None;
    }
    if cand.distance == 1
        && channel(cfg, token, word, 1).0 < cfg.min_slip_log_p
        && margin < cfg.rare_slip_margin
    {
        return None;
    }
    // Jaro-Winkler is a sanity floor for two-edit corrections; for one edit in a short word it
    // punishes a plain swap ("teh") far too much.
    if cand.distance >= 2 && strsim::jaro_winkler(token, word) < cfg.min_jaro_winkler {
        return None;
    }
    if looks_affixed(lexicon, token) {
        return None;
    }
    // A compound of two frequent words stands unless the typo reading is clearly likelier.
    if compound_log_count(lexicon, token, cfg)
        .is_some_and(|compound| score < compound + cfg.log_p_compound + cfg.margin)
    {
        return None;
    }
    // A word the corpus keeps using is valid unless it is rare next to what a slip of the
    // candidate would produce (a frequent typo such as "teh" recurs too).
    let seen = vocabulary.count(token);
    let expected = count as f64 / lexicon.total_count().max(1) as f64 * vocabulary.words() as f64;
    if seen >= cfg.recurrence_min && seen as f64 >= cfg.recurrence_typo_rate * expected {
        return None;
    }
    Some(Suggestion {
        word,
        reason,
        margin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `word` (lowercase, not in the lexicon) reads as a valid word the lexicon lacks:
    /// a regular derivation or a compound of two frequent words.
    fn looks_derived(lexicon: &Lexicon, word: &str, cfg: &CorrectConfig) -> bool {
        looks_affixed(lexicon, word) || compound_log_count(lexicon, word, cfg).is_some()
    }

    #[test]
    fn slips_are_classified() {
        assert_eq!(classify(b"teh", b"the"), Slip::Transpose);
        assert_eq!(classify(b"efort", b"effort"), Slip::Drop(true));
        assert_eq!(classify(b"th", b"the"), Slip::Drop(false));
        assert_eq!(classify(b"thw", b"the"), Slip::Substitute(true));
        assert_eq!(classify(b"thq", b"the"), Slip::Substitute(false));
        assert_eq!(classify(b"campany", b"company"), Slip::Vowel);
        assert_eq!(classify(b"andf", b"and"), Slip::Insert(true));
        assert_eq!(classify(b"anqd", b"and"), Slip::Insert(false));
        assert_eq!(
            classify(b"same", b"same"),
            Slip::Substitute(false),
            "no panic"
        );
    }

    #[test]
    fn derived_forms_and_compounds_are_valid() {
        let lex = Lexicon::english();
        let cfg = CorrectConfig::default();
        assert!(looks_derived(lex, "relocations", &cfg) || lex.contains("relocations"));
        assert!(looks_derived(lex, "underdelivering", &cfg));
        assert!(looks_derived(lex, "roofline", &cfg));
        assert!(looks_derived(lex, "melty", &cfg));
        assert!(!looks_derived(lex, "famiyl", &cfg));
        assert!(!looks_derived(lex, "thsi", &cfg));
    }

    #[test]
    fn suffixes_follow_english_spelling() {
        assert!(takes_suffix("agree", "d"));
        assert!(!takes_suffix("allow", "d"));
        for stem in ["box", "hero", "church", "bus"] {
            assert!(takes_suffix(stem, "es"), "{stem}");
        }
        assert!(!takes_suffix("look", "es"));
        assert!(takes_suffix("look", "s"));
        let (lex, cfg) = (Lexicon::english(), CorrectConfig::default());
        assert!(!looks_derived(lex, "allowd", &cfg), "a slip, not allow + d");
        assert!(!looks_derived(lex, "lookes", &cfg), "a slip, not look + es");
    }

    /// `suggest` for a lowercase token with `cfg`, the default index and an empty corpus.
    fn suggested(cfg: &CorrectConfig, token: &str) -> Option<&'static str> {
        use std::sync::OnceLock;
        static INDEX: OnceLock<DeleteIndex> = OnceLock::new();
        let index = INDEX
            .get_or_init(|| super::super::LexiconIndex::build(&CorrectConfig::default()).index);
        let vocab = Vocabulary::default();
        suggest(
            cfg,
            Lexicon::english(),
            index,
            &vocab,
            token,
            cfg.min_target_count,
        )
        .map(|s| s.word)
    }

    #[test]
    fn only_a_frequent_word_wins_two_edits_away() {
        let (lex, cfg) = (Lexicon::english(), CorrectConfig::default());
        let index = super::super::LexiconIndex::build(&cfg).index;
        // The index reaches "entente" two edits from "entendre" through the token's deletes,
        // but it is far below the frequency two-edit corrections need.
        let entente = index
            .candidates(lex, "entendre")
            .into_iter()
            .find(|c| lex.word(c.id) == "entente")
            .expect("a candidate");
        assert_eq!(entente.distance, 2);
        assert!(lex.count_of(entente.id) < cfg.min_count_edit2);
        assert_eq!(suggested(&cfg, "entendre"), None);
        // A frequent word two edits away still wins.
        assert_eq!(suggested(&cfg, "govorment"), Some("government"));
    }

    #[test]
    fn a_rare_slip_needs_a_wide_margin() {
        let cfg = CorrectConfig::default();
        let suggest = suggested;
        // An "a" typed between "n" and "d" (no neighbour key), for the most common word.
        assert_eq!(classify(b"anad", b"and"), Slip::Insert(false));
        assert_eq!(suggest(&cfg, "anad"), Some("and"));
        // "n" for "e" is as rare a slip, but "ned" is close behind "need".
        assert_eq!(classify(b"nned", b"need"), Slip::Substitute(false));
        assert_eq!(suggest(&cfg, "nned"), None);
        let strict = CorrectConfig {
            rare_slip_margin: f64::INFINITY,
            ..CorrectConfig::default()
        };
        assert_eq!(suggest(&strict, "anad"), None);
    }

    #[test]
    fn a_compound_stands_unless_the_typo_reading_is_clearly_likelier() {
        let lex = Lexicon::english();
        let cfg = CorrectConfig::default();
        let suggest = |t: &str| suggested(&cfg, t);
        // Compounds of two common words, each a slip or two from a lexicon word.
        for compound in ["wetsuit", "fanbase", "gasline"] {
            assert!(
                compound_log_count(lex, compound, &cfg).is_some(),
                "{compound}"
            );
            assert_eq!(suggest(compound), None, "{compound}");
        }
        // Slips of frequent words that happen to split into two words ("prod" + "cuts").
        for (slip, word) in [("prodcuts", "products"), ("campany", "company")] {
            assert!(compound_log_count(lex, slip, &cfg).is_some(), "{slip}");
            assert_eq!(suggest(slip), Some(word));
        }
    }

    #[test]
    fn only_words_in_use_are_stems() {
        // "alated" is a valid (SCOWL) word without a frequency: "re" + "alated" is a slip of
        // "related" far more often than a new word.
        let (lex, cfg) = (Lexicon::english(), CorrectConfig::default());
        assert!(lex.contains("alated") && lex.count("alated") == 0);
        assert!(!looks_derived(lex, "realated", &cfg));
        assert!(looks_derived(lex, "rebranded", &cfg));
    }

    #[test]
    fn a_frequent_word_two_edits_away_does_not_block_a_near_key_slip() {
        use crate::correct::symspell::IndexParams;
        let lex = Lexicon::english();
        let fixed = CorrectConfig::default();
        // With two-edit misspellings about as likely as one-edit slips, a frequent word two
        // edits away ("reports" from "reportrd") stood as a rival and no fix was made.
        let flat = CorrectConfig {
            log_p_edit2: -4.0,
            ..CorrectConfig::default()
        };
        let index = DeleteIndex::build(
            lex,
            IndexParams {
                min_count_edit2: fixed.min_count_edit2,
                min_len_edit2: fixed.min_len_edit2,
                max_len: fixed.max_word_len,
            },
        );
        let vocabulary = Vocabulary::default();
        for (token, word) in [
            ("reportrd", "reported"),
            ("offucials", "officials"),
            ("clmpleted", "completed"),
        ] {
            let suggested = |cfg: &CorrectConfig| {
                suggest(cfg, lex, &index, &vocabulary, token, cfg.min_target_count).map(|s| s.word)
            };
            assert_eq!(suggested(&fixed), Some(word), "{token}");
            assert_eq!(suggested(&flat), None, "{token}");
        }
    }
}
