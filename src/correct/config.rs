//! The settings of the correction stage: switches, the thresholds of every decision and the
//! channel model's log-probabilities. Defaults favour precision; `validate` checks them once.

use super::tables::DEFAULT_INDEX_PARAMS;
use serde::{Deserialize, Serialize};

/// Correction settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CorrectConfig {
    /// Repair misspelled words.
    pub typos: bool,
    /// Repair broken years.
    pub years: bool,
    /// Lowest frequency count (SymSpell list) a lowercase correction may have.
    pub min_target_count: u64,
    /// Lowest frequency count of a correction for a capitalised word at a sentence start.
    pub capitalised_min_count: u64,
    /// Lowest frequency count of a correction for a word of at most two letters.
    pub short_word_min_count: u64,
    /// Frequency counted for lexicon words that have none (SCOWL words), as rivals.
    pub known_word_count: u64,
    /// Required log-score margin of the best candidate over the runner-up (ln of the odds).
    pub margin: f64,
    /// Required margin for a capitalised word at a sentence start (names live there too); such
    /// words are never corrected at edit distance 2.
    pub capitalised_margin: f64,
    /// Lowest Jaro-Winkler similarity between a word and its two-edit correction.
    pub min_jaro_winkler: f64,
    /// Words and tokens at least this long may be corrected at edit distance 2.
    pub min_len_edit2: usize,
    /// Lowest frequency count of a word reachable at edit distance 2.
    pub min_count_edit2: u64,
    /// Longest word considered.
    pub max_word_len: usize,
    /// Lowest frequency count of each part for a token to count as a compound of known words.
    pub compound_part_min_count: u64,
    /// Log-probability of a new compound, weighed against a typo: the compound reading scores
    /// the log count of its rarer part plus this.
    pub log_p_compound: f64,
    /// A word seen this often in the corpus may be a valid word the lexicon lacks ...
    pub recurrence_min: u32,
    /// ... and is, when seen at least this share of the times its best correction is expected.
    pub recurrence_typo_rate: f64,
    /// Quotations of at most this many words are titles or terms and are left alone (a
    /// quotation of two or more words that starts in lowercase is speech, read as text).
    pub quoted_title_max_words: usize,
    /// Paragraphs with at least this many words also go through language identification.
    pub passage_min_words: usize,
    /// Share of lowercase words of a paragraph that must be English for edits to be made.
    pub passage_min_known_ratio: f64,
    /// Lowest log-probability of the slip behind a one-edit correction: rarer slips (a distant
    /// key) are left alone, since the intended word may be two edits away ...
    pub min_slip_log_p: f64,
    /// ... unless the correction wins by at least this margin (ln of the odds).
    pub rare_slip_margin: f64,
    /// Paragraphs with at least this share of English words skip language identification.
    pub passage_sure_known_ratio: f64,
    /// Log-probability of two swapped adjacent letters.
    pub log_p_transpose: f64,
    /// Log-probability of a dropped letter.
    pub log_p_drop: f64,
    /// Log-probability of a dropped letter of a doubled pair.
    pub log_p_drop_double: f64,
    /// Log-probability of an inserted keyboard neighbour (or copy) of an adjacent letter.
    pub log_p_insert_near: f64,
    /// Log-probability of any other inserted letter.
    pub log_p_insert_other: f64,
    /// Log-probability of a letter replaced by a keyboard neighbour.
    pub log_p_substitute_near: f64,
    /// Log-probability of a vowel replaced by another vowel.
    pub log_p_substitute_vowel: f64,
    /// Log-probability of any other replaced letter.
    pub log_p_substitute_other: f64,
    /// Log-probability of a two-edit misspelling. Far below the one-edit slips: a word has
    /// hundreds of one-edit variants but tens of thousands of two-edit ones, so any one of the
    /// latter is about a thousand times (ln: about -7) less likely. Set near the one-edit
    /// slips, a frequent word two edits away stood as a rival to the plain one-edit fix and
    /// blocked it ("suslect": "subject" over "suspect").
    pub log_p_edit2: f64,
    /// Earliest year a broken number may be repaired to.
    pub year_min: u16,
    /// Latest year a broken number may be repaired to.
    pub year_max: u16,
    /// Largest edit distance between a broken number and its year.
    pub year_max_distance: usize,
    /// After a preposition, a 4-digit year must stand within this many bytes.
    pub year_window_chars: usize,
    /// Two years equally close to a broken number: the one mentioned at least this many times
    /// more often than the other wins; otherwise nothing is repaired.
    pub year_tie_min_lead: u32,
    /// A corpus year is a repair target only with at least this many mentions.
    pub corpus_year_min_mentions: u32,
    /// An article without a date takes the corpus's present year (the centre of its three
    /// most mentioned consecutive years) only when the corpus mentions years this often ...
    pub year_present_min_mentions: u32,
    /// ... and those three years hold at least this share of the mentions.
    pub year_present_min_share: f64,
    /// Years either side of a year reckoned from the present ("18 years ago") still allowed.
    pub year_present_tolerance: u16,
    /// An article whose years centre (median) further than this from the corpus's present is
    /// of another time: its present is unknown.
    pub year_present_max_lag: u16,
    /// With no year of its own nearby, a number is repaired to the only year of the range one
    /// edit away only if that year is at most this many years before the earliest year the
    /// article names (or the corpus's present year, when it names none).
    pub year_range_max_age: u16,
    /// Distinct out-of-lexicon words counted exactly before counts fold into a sketch.
    pub vocabulary_max_words: usize,
}

impl Default for CorrectConfig {
    fn default() -> Self {
        CorrectConfig {
            typos: true,
            years: true,
            min_target_count: 100_000,
            capitalised_min_count: 10_000_000,
            short_word_min_count: 1_000_000_000,
            known_word_count: 20_000,
            margin: 1.5,
            capitalised_margin: 3.0,
            min_jaro_winkler: 0.85,
            // The embedded delete index is built with these three (`tables.rs`).
            min_len_edit2: DEFAULT_INDEX_PARAMS.min_len_edit2,
            min_count_edit2: DEFAULT_INDEX_PARAMS.min_count_edit2,
            max_word_len: DEFAULT_INDEX_PARAMS.max_len,
            compound_part_min_count: 1_000_000,
            log_p_compound: -1.5,
            recurrence_min: 2,
            recurrence_typo_rate: 0.02,
            quoted_title_max_words: 4,
            passage_min_words: 8,
            passage_min_known_ratio: 0.6,
            passage_sure_known_ratio: 0.9,
            min_slip_log_p: -3.0,
            rare_slip_margin: 4.0,
            log_p_transpose: 0.0,
            log_p_drop: 0.0,
            log_p_drop_double: 0.5,
            log_p_insert_near: -1.8,
            log_p_insert_other: -3.5,
            log_p_substitute_near: -1.8,
            log_p_substitute_vowel: -1.5,
            log_p_substitute_other: -4.0,
            log_p_edit2: -7.0,
            year_min: 1700,
            year_max: 2099,
            year_max_distance: 1,
            year_window_chars: 300,
            year_tie_min_lead: 2,
            corpus_year_min_mentions: 2,
            year_present_min_mentions: 10,
            year_present_min_share: 0.25,
            year_present_tolerance: 1,
            year_present_max_lag: 3,
            year_range_max_age: 50,
            vocabulary_max_words: 1 << 20,
        }
    }
}

impl CorrectConfig {
    /// Checks the settings; the message names the offending field.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.min_jaro_winkler) {
            return Err("correct.min_jaro_winkler must be within 0..=1".into());
        }
        if !(0.0..=1.0).contains(&self.passage_min_known_ratio) {
            return Err("correct.passage_min_known_ratio must be within 0..=1".into());
        }
        if !(0.0..=1.0).contains(&self.year_present_min_share) {
            return Err("correct.year_present_min_share must be within 0..=1".into());
        }
        if self.margin.is_nan() || self.margin < 0.0 {
            return Err("correct.margin must be >= 0".into());
        }
        if self.year_min > self.year_max {
            return Err("correct.year_min must not exceed correct.year_max".into());
        }
        if self.min_len_edit2 < 3 {
            return Err("correct.min_len_edit2 must be at least 3".into());
        }
        Ok(())
    }
}
