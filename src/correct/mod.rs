//! Correction of typos and broken years. Takes an article, the bundled English lexicon and the
//! corpus vocabulary (built by the reduce step of the statistics pass); edits words in place only
//! where the evidence is strong and records every edit as an audit event with a reason code and
//! score. A wrong fix is worse than none: names, acronyms, numbers that are not years, URLs,
//! quoted titles and non-English text are never touched.

mod config;
mod embedded;
pub mod guards;
pub mod keyboard;
pub mod known;
pub mod lexicon;
pub mod shape;
pub mod symspell;
pub mod tables;
pub mod tokens;
pub mod typos;
pub mod vocabulary;
pub mod years;

pub use config::CorrectConfig;
pub use known::KnownWords;
pub use vocabulary::Vocabulary;

use crate::article::Article;
use crate::audit::Audit;
use crate::error::{Error, Result};
use guards::{CasePattern, PassageGuard};
use lexicon::{word_hash, Lexicon, PrehashedMap};
use std::sync::{Mutex, PoisonError};
use symspell::{DeleteIndex, IndexParams};
use typos::Suggestion;

/// The bytes of the lexicon tables embedded in the binary (26 MB). A caller may ask the OS to
/// drop their pages from memory once correction is done: they are read back from the
/// binary's file on demand (the CLI does, before the dedup reduce).
pub fn embedded_tables() -> &'static [u8] {
    embedded::bytes()
}

/// Stage name used in audit events.
pub const STAGE: &str = "correct";

/// Whether the article has `word` capitalised where no capital is expected: mid-sentence, on
/// its own, possessive or as the first part of a hyphenated compound ("the Coty-Kylie deal").
/// `spans[i]` are paragraph i's chunks in `chunks`.
fn named_mid_sentence(
    paragraphs: &[String],
    chunks: &[tokens::Chunk],
    spans: &[(std::ops::Range<usize>, bool)],
    word: &str,
) -> bool {
    paragraphs.iter().zip(spans).any(|(para, (span, _))| {
        chunks
            .get(span.clone())
            .unwrap_or_default()
            .iter()
            .any(|c| {
                let first = c.core(para).split('-').next().unwrap_or_default();
                let first = first
                    .strip_suffix("'s")
                    .or_else(|| first.strip_suffix("’s"))
                    .unwrap_or(first);
                !guards::starts_sentence_or_quote(c) && first == word
            })
    })
}

/// Whether the line of `para` holding byte `at` has no word starting with a lowercase letter.
fn title_case_line(para: &str, at: usize) -> bool {
    let start = para
        .get(..at)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = para
        .get(at..)
        .and_then(|a| a.find('\n'))
        .map_or(para.len(), |i| at + i);
    para.get(start..end)
        .unwrap_or_default()
        .split_whitespace()
        .all(|w| {
            !w.trim_start_matches(|c: char| !c.is_alphanumeric())
                .starts_with(char::is_lowercase)
        })
}

/// Makes the corrections; built once per run from the config and the corpus vocabulary.
#[derive(Debug)]
pub struct Corrector {
    cfg: CorrectConfig,
    lexicon: &'static Lexicon,
    index: DeleteIndex,
    vocabulary: Vocabulary,
    /// The suggestions worked out so far, shared by the run's threads.
    suggestions: SuggestCache,
}

/// Frequency (in the lexicon's list) above which a word is too common to be taken for a first
/// name: "since", "after", "while" lie above it, "ben" (25M) and "chris" (45M) below.
const FIRST_NAME_MAX_COUNT: u64 = 100_000_000;

/// Largest number of suggestions the cache keeps before it starts afresh (per shard:
/// `SUGGEST_CACHE_MAX / SUGGEST_SHARDS`).
const SUGGEST_CACHE_MAX: usize = 1 << 17;

/// Shards of the suggestion cache: a lookup locks one, so threads seldom wait for each other.
const SUGGEST_SHARDS: usize = 16;

/// The suggestions (or their absence) worked out for the out-of-lexicon tokens met so far, by
/// token and minimum count. A suggestion depends on nothing but these and the corrector, so a
/// cached answer is the answer: misspellings, names and foreign words recur across a corpus,
/// and each is looked up in the delete index once per run. Shared by the threads, not one per
/// thread: on the 100 MB corpus, two threads worked out 33.9k suggestions each on its own,
/// 6.4k of them twice (27.5k distinct), at ~7 us each.
#[derive(Debug, Default)]
struct SuggestCache {
    /// By the hash of token and minimum count, split by that hash; the value holds both to
    /// confirm a hit.
    shards: [Mutex<PrehashedMap<CachedSuggestion>>; SUGGEST_SHARDS],
}

/// A cached suggestion with the token and minimum count it answers.
type CachedSuggestion = (Box<str>, u64, Option<Suggestion>);

/// One edit proposed for a paragraph.
struct Edit {
    range: std::ops::Range<usize>,
    after: String,
    reason: &'static str,
    score: f64,
}

/// The bundled lexicon's delete index: the part of a corrector that depends on the config
/// only, not on the corpus. The default settings' index is embedded in the binary; for other
/// settings it is the costly part, which a run builds while its statistics pass reads.
#[derive(Debug)]
pub struct LexiconIndex {
    params: IndexParams,
    index: DeleteIndex,
}

impl LexiconIndex {
    /// The lexicon's index for `cfg`: the embedded one, or built for other settings.
    pub fn build(cfg: &CorrectConfig) -> LexiconIndex {
        let params = index_params(cfg);
        LexiconIndex {
            params,
            index: DeleteIndex::english(params),
        }
    }
}

fn index_params(cfg: &CorrectConfig) -> IndexParams {
    IndexParams {
        min_count_edit2: cfg.min_count_edit2,
        min_len_edit2: cfg.min_len_edit2,
        max_len: cfg.max_word_len,
    }
}

impl Corrector {
    /// Builds the corrector: validates the config, loads the lexicon and indexes it.
    pub fn new(cfg: &CorrectConfig, vocabulary: Vocabulary) -> Result<Self> {
        Corrector::with_index(cfg, LexiconIndex::build(cfg), vocabulary)
    }

    /// Builds the corrector from a lexicon index built beforehand (rebuilt if it was built
    /// for other settings).
    pub fn with_index(
        cfg: &CorrectConfig,
        index: LexiconIndex,
        vocabulary: Vocabulary,
    ) -> Result<Self> {
        cfg.validate().map_err(Error::Config)?;
        let index = if index.params == index_params(cfg) {
            index
        } else {
            LexiconIndex::build(cfg)
        };
        Ok(Corrector {
            cfg: cfg.clone(),
            lexicon: Lexicon::english(),
            index: index.index,
            vocabulary,
            suggestions: SuggestCache::default(),
        })
    }

    /// Corrects `article` in place, recording each edit in `audit`.
    pub fn apply(&self, article: &mut Article, audit: &mut Audit) {
        self.apply_known(article, &KnownWords::default(), audit);
    }

    /// `apply`, with the known words of the article's paragraphs marked beforehand (see
    /// `KnownWords`): those are not looked at again. The edits are the same.
    pub fn apply_known(&self, article: &mut Article, known: &KnownWords, audit: &mut Audit) {
        let cfg = &self.cfg;
        if !(cfg.typos || cfg.years) {
            return;
        }
        if article.lang.as_deref().is_some_and(|l| l != "en") {
            return;
        }
        tokens::with_buffer(|chunks| self.apply_with(article, known, audit, chunks));
    }

    /// `apply` with an empty buffer for the chunks of the article's paragraphs: one list for
    /// the whole article, where `spans[i]` are paragraph i's chunks. The quoted title marks do
    /// not matter to the year observation, which looks at cores only.
    fn apply_with(
        &self,
        article: &mut Article,
        known: &KnownWords,
        audit: &mut Audit,
        chunks: &mut Vec<tokens::Chunk>,
    ) {
        let cfg = &self.cfg;
        let mut spans: Vec<(std::ops::Range<usize>, bool)> =
            Vec::with_capacity(article.paragraphs.len());
        for (index, para) in article.paragraphs.iter().enumerate() {
            let from = chunks.len();
            let digits = tokens::has_ascii_digit(para.as_bytes());
            // A paragraph of known words without a digit has nothing to correct, and none of
            // its chunks can be the unknown word another paragraph's edit asks about
            // (`named_mid_sentence`): it is not split at all.
            if digits || !known.all_known(index) {
                tokens::push_chunks(para, cfg.quoted_title_max_words, chunks);
            }
            spans.push((from..chunks.len(), digits));
        }
        let mut article_years = years::YearMentions::default();
        article_years.set_published(article.date.as_deref());
        if cfg.years {
            let mut base = 0;
            for (para, (span, digits)) in article.paragraphs.iter().zip(&spans) {
                if *digits {
                    let para_chunks = chunks.get(span.clone()).unwrap_or_default();
                    article_years.observe(para, para_chunks, base, cfg);
                }
                base += para.len() + 2;
            }
        }
        let mut base = 0;
        let mut edits_by_para: Vec<Vec<Edit>> = Vec::with_capacity(spans.len());
        for (index, (para, (span, digits))) in article.paragraphs.iter().zip(&spans).enumerate() {
            let para_base = base;
            base += para.len() + 2;
            let para_chunks = chunks.get(span.clone()).unwrap_or_default();
            let para_known = known.paragraph(index, para_chunks.len());
            let mut edits = self.paragraph_edits(
                para,
                para_chunks,
                para_known,
                *digits,
                para_base,
                &article_years,
            );
            // A capitalised word at a sentence start that the article also capitalises
            // mid-sentence is a name it uses ("Coty acquired ..." after "company Coty"). The
            // other name guards need only the paragraph (`paragraph_edits`); this one reads
            // the whole article.
            edits.retain(|e| {
                let before = para.get(e.range.clone()).unwrap_or_default();
                !(e.reason.starts_with("typo:")
                    && before.starts_with(|c: char| c.is_ascii_uppercase())
                    && named_mid_sentence(&article.paragraphs, chunks, &spans, before))
            });
            edits_by_para.push(edits);
        }
        for (para, edits) in article.paragraphs.iter_mut().zip(edits_by_para) {
            if edits.is_empty() {
                continue;
            }
            let guard = PassageGuard {
                min_words: cfg.passage_min_words,
                min_known_ratio: cfg.passage_min_known_ratio,
                sure_known_ratio: cfg.passage_sure_known_ratio,
            };
            if !guards::passage_is_english(para, self.lexicon, guard) {
                continue;
            }
            let mut out = String::with_capacity(para.len() + 16);
            let mut last = 0;
            for edit in &edits {
                let (Some(keep), Some(before)) = (
                    para.get(last..edit.range.start),
                    para.get(edit.range.clone()),
                ) else {
                    continue;
                };
                out.push_str(keep);
                out.push_str(&edit.after);
                audit.edit(STAGE, before, &edit.after, edit.reason, Some(edit.score));
                last = edit.range.end;
            }
            out.push_str(para.get(last..).unwrap_or(""));
            *para = out;
        }
    }

    /// The edits proposed for one paragraph (split into `chunks`, of which `known` marks the
    /// known words, if marked; `digits`: it has an ASCII digit), in text order.
    fn paragraph_edits(
        &self,
        para: &str,
        chunks: &[tokens::Chunk],
        known: Option<known::KnownParagraph<'_>>,
        digits: bool,
        base: usize,
        article_years: &years::YearMentions,
    ) -> Vec<Edit> {
        let cfg = &self.cfg;
        let mut edits = Vec::new();
        // Only chunks whose core is all digits can be repaired, so a paragraph without a digit
        // has no year repair.
        if cfg.years && digits {
            for r in years::repairs(
                para,
                chunks,
                base,
                article_years,
                self.vocabulary.years(),
                cfg,
            ) {
                edits.push(Edit {
                    range: r.range,
                    after: r.year.to_string(),
                    reason: r.reason,
                    score: 1.0 / (1.0 + r.distance as f64),
                });
            }
        }
        if cfg.typos {
            let mut lower = String::new();
            for (i, chunk) in chunks.iter().enumerate() {
                // A known short word is what `typo_edit` turns away first.
                if known.is_some_and(|k| k.is_known(i)) {
                    continue;
                }
                if let Some(edit) = self.typo_edit(para, chunk, &mut lower) {
                    if guards::next_to_fragment(para, chunks, i) {
                        continue;
                    }
                    let recurs = self.vocabulary.count(&lower) >= cfg.recurrence_min;
                    if guards::name_particle(para, chunks, i, recurs) {
                        continue;
                    }
                    let capitalised = para
                        .get(edit.range.clone())
                        .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_uppercase()));
                    // A capitalised word in a line without a lowercase word (a heading, a name:
                    // "Bigg Boss") is taken as written: there a capital says nothing about a
                    // sentence start. Right before a name it is a first name ("Benj Sykes"),
                    // unless the fix is a word far more common than names are ("Sicne Obama
                    // took office", "Th Obama administration").
                    if capitalised
                        && (title_case_line(para, edit.range.start)
                            || (chunk.core_end == chunk.end
                                && self.lexicon.count(&edit.after.to_ascii_lowercase())
                                    < FIRST_NAME_MAX_COUNT
                                && guards::before_a_name(para, chunks, i, self.lexicon)))
                    {
                        continue;
                    }
                    edits.push(edit);
                }
            }
        }
        if edits.len() > 1 {
            edits.sort_by_key(|e| e.range.start);
        }
        edits
    }

    /// `typos::suggest` with this corrector's settings, through the shared cache.
    fn suggest(&self, token: &str, min_count: u64) -> Option<Suggestion> {
        let key = word_hash(token.as_bytes()) ^ min_count.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let shard = &self.suggestions.shards[(key >> 60) as usize % SUGGEST_SHARDS];
        let cached = shard
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .map(|(t, m, s)| (&**t == token && *m == min_count).then(|| s.clone()));
        match cached {
            Some(Some(suggestion)) => return suggestion,
            // Another token with the same hash: answered without caching.
            Some(None) => return self.compute_suggestion(token, min_count),
            None => {}
        }
        // Worked out outside the lock: two threads meeting a new token at once may both do it.
        let s = self.compute_suggestion(token, min_count);
        let mut entries = shard.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= SUGGEST_CACHE_MAX / SUGGEST_SHARDS {
            entries.clear();
        }
        entries.insert(key, (token.into(), min_count, s.clone()));
        s
    }

    /// `typos::suggest` with this corrector's settings, not cached.
    fn compute_suggestion(&self, token: &str, min_count: u64) -> Option<Suggestion> {
        typos::suggest(
            &self.cfg,
            self.lexicon,
            &self.index,
            &self.vocabulary,
            token,
            min_count,
        )
    }

    /// The typo correction of one chunk, if any.
    fn typo_edit(&self, para: &str, chunk: &tokens::Chunk, lower: &mut String) -> Option<Edit> {
        let cfg = &self.cfg;
        // Quoted titles are never corrected (`may_correct`): the word need not be looked at.
        if chunk.quoted_title {
            return None;
        }
        let word_and_case = match shape::shape(para.as_bytes(), chunk.core_start..chunk.core_end) {
            // The common case, a short core of ASCII letters: it is its own plain word once the
            // marks around it pass, and its shape gives its case and its lexicon key.
            Some(s) if s.letters => {
                if s.len > cfg.max_word_len
                    || !guards::may_correct(s.case, s.len, chunk)
                    || self.lexicon.contains_shape(&s)
                    || ((chunk.start < chunk.core_start || chunk.core_end < chunk.end)
                        && guards::plain_word(para, chunk).is_none())
                {
                    return None;
                }
                (para.get(chunk.core_start..chunk.core_end)?, s.case)
            }
            _ => {
                let Some(word) = guards::plain_word(para, chunk) else {
                    return self.hyphen_part_edit(para, chunk, lower);
                };
                if word.len() > cfg.max_word_len {
                    return None;
                }
                // The guards first (cheap, and they turn away most capitalised words), then
                // the lexicon: most words are known. Both are pure checks, so their order
                // changes nothing.
                let case = guards::case_pattern(word);
                if !guards::may_correct(case, word.len(), chunk) {
                    return None;
                }
                // Only lowercase and capitalised words pass the guards (ASCII letters, see
                // `plain_word`); the lowercase copy is made for unknown words only.
                if self.lexicon.contains_lowercase_of(word.as_bytes()) {
                    return None;
                }
                (word, case)
            }
        };
        let (word, case) = word_and_case;
        // Checked for unknown words only: most words are known.
        if guards::elided(para, chunk) {
            return None;
        }
        lower.clear();
        lower.push_str(word);
        lower.make_ascii_lowercase();
        let min_count = match case {
            _ if word.len() <= 2 => cfg.short_word_min_count,
            CasePattern::Capitalised => cfg.capitalised_min_count,
            _ => cfg.min_target_count,
        };
        let s = self.suggest(lower, min_count)?;
        // A code turned into another code ("zstd" -> "std") is no spelling fix; a dropped vowel
        // ("frm" -> "from") still is.
        if guards::looks_like_code(word) && guards::looks_like_code(s.word) {
            return None;
        }
        // A capitalised word at a sentence start may be a name: only a clear one-edit slip.
        if case == CasePattern::Capitalised
            && (s.reason == "typo:edit2" || s.margin < cfg.capitalised_margin)
        {
            return None;
        }
        let mut after = String::with_capacity(s.word.len());
        if case == CasePattern::Capitalised {
            let mut chars = s.word.chars();
            if let Some(first) = chars.next() {
                after.extend(first.to_uppercase());
                after.push_str(chars.as_str());
            }
        } else {
            after.push_str(s.word);
        }
        let start = chunk.core_start;
        Some(Edit {
            range: start..start + word.len(),
            after,
            reason: s.reason,
            score: s.margin,
        })
    }

    /// A slip in one part of a compound of lowercase words joined by hyphens ("ptahogen-
    /// fighting" for "pathogen-fighting"): the part is corrected as a word of its own when
    /// it is the compound's only unknown part, so the compound reads as words, not as a name
    /// or a code. Short parts (under four letters) are left alone: prefixes and particles
    /// ("co-", "re-", "de-") live there, and a word that is known without its hyphen is left
    /// as written. Function words do not make compounds, so a fix to one is no fix
    /// ("lower-teir" is "lower-tier", not "lower-their").
    fn hyphen_part_edit(
        &self,
        para: &str,
        chunk: &tokens::Chunk,
        lower: &mut String,
    ) -> Option<Edit> {
        const MIN_PART_LEN: usize = 4;
        let core = chunk.core(para);
        if chunk.quoted_title || !core.contains('-') || guards::is_tagged(para, chunk) {
            return None;
        }
        let mut unknown = None;
        let mut offset = chunk.core_start;
        for (i, part) in core.split('-').enumerate() {
            if i > 2 || part.len() < 2 || !part.bytes().all(|b| b.is_ascii_lowercase()) {
                return None;
            }
            if !self.lexicon.contains_lowercase_of(part.as_bytes()) {
                if unknown.is_some() {
                    return None;
                }
                unknown = Some((offset, part));
            }
            offset += part.len() + 1;
        }
        let (start, part) = unknown?;
        if part.len() < MIN_PART_LEN || part.len() > self.cfg.max_word_len {
            return None;
        }
        // A word written with a hyphen after its prefix ("re-inforcement") is that word.
        lower.clear();
        lower.extend(core.split('-'));
        if self.lexicon.contains_lowercase_of(lower.as_bytes()) {
            return None;
        }
        lower.clear();
        lower.push_str(part);
        let s = self.suggest(lower, self.cfg.min_target_count)?;
        let function_word = crate::language::stopwords()
            .for_lang(Some("en"))
            .is_some_and(|list| list.contains(s.word));
        if function_word || (guards::looks_like_code(part) && guards::looks_like_code(s.word)) {
            return None;
        }
        Some(Edit {
            range: start..start + part.len(),
            after: s.word.to_string(),
            reason: s.reason,
            score: s.margin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn correct(paragraphs: &[&str]) -> (Vec<String>, Vec<String>) {
        let corrector =
            Corrector::new(&CorrectConfig::default(), Vocabulary::default()).expect("builds");
        let mut article = Article {
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            lang: Some("en".into()),
            ..Article::default()
        };
        let mut audit = Audit::default();
        corrector.apply(&mut article, &mut audit);
        let reasons = audit.events.iter().map(|e| e.reason.to_string()).collect();
        (article.paragraphs, reasons)
    }

    #[test]
    fn a_slip_in_a_short_quoted_fragment_of_speech_is_fixed_but_not_in_a_title() {
        let (out, _) = correct(&[
            "The minister said the claim is “abolutely not true.” He read “Teh Hobbit” \
             again on the long flight home, the report said on Monday.",
        ]);
        assert!(out[0].contains("“absolutely not true.”"), "{}", out[0]);
        assert!(out[0].contains("“Teh Hobbit”"), "{}", out[0]);
    }

    #[test]
    fn a_slip_in_one_part_of_a_hyphenated_compound_is_fixed() {
        let (out, reasons) = correct(&[
            "The author is well-knwon for her long-trem plans and her high-qaulity work with \
             the state-owend banks of the region, the report said on Monday.",
        ]);
        assert_eq!(
            out,
            [
                "The author is well-known for her long-term plans and her high-quality work with \
              the state-owned banks of the region, the report said on Monday."
            ]
        );
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        // Left as written: a word known without its hyphen, a fix that would be a function
        // word, a compound with two unknown parts, and a name.
        for kept in [
            "The team needed positive re-inforcement after the long season, the coach said.",
            "The top-thier players left the club at the end of the long season, he said.",
            "The knwon-qaulity players left the club at the end of the long season, he said.",
            "The players of the Smith-Jonnes club left at the end of the long season, he said.",
        ] {
            let (out, reasons) = correct(&[kept]);
            assert_eq!(out, [kept], "{reasons:?}");
        }
    }

    #[test]
    fn a_name_the_article_uses_mid_sentence_is_left_at_a_sentence_start() {
        let start = "Hwr company acquired a stake in the firm on Monday.";
        // Alone, the capitalised slip at the sentence start is fixed ...
        let (out, _) = correct(&[start]);
        assert_eq!(out, ["Her company acquired a stake in the firm on Monday."]);
        // ... but not where the article writes it capitalised mid-sentence, as a name: on its
        // own, possessive, or leading a hyphenated compound.
        for named in [
            "Shares of the beauty group Hwr rose on the news.",
            "Analysts praised the beauty group Hwr's results.",
            "The Hwr-Jenner deal was announced this week.",
        ] {
            let (out, reasons) = correct(&[named, start]);
            assert_eq!(out, [named, start], "{reasons:?}");
        }
    }

    #[test]
    fn a_capitalised_word_in_a_line_without_lowercase_words_is_left() {
        // The slip that is fixed at the start of a sentence ...
        let (out, _) = correct(&["Hwr company acquired a stake in the firm on Monday."]);
        assert_eq!(out, ["Her company acquired a stake in the firm on Monday."]);
        // ... stays in a heading or a name line, while the next line is still corrected.
        let (out, reasons) =
            correct(&["Hwr Company Results\nHwr Boss\nThey said teh plan would work."]);
        assert_eq!(
            out,
            ["Hwr Company Results\nHwr Boss\nThey said the plan would work."],
            "{reasons:?}"
        );
        assert!(title_case_line("a\n“Hwr Boss” 2019\nb", 2));
        assert!(!title_case_line("a\nHwr said\nb", 2));
    }

    #[test]
    fn an_elided_word_is_left_as_written() {
        let text = "He said they were goin’ home and nothin' would stop them tonight.";
        let (out, reasons) = correct(&[text]);
        assert_eq!(out, [text], "{reasons:?}");
        // Without the apostrophe the same letters are a slip.
        let (out, _) = correct(&["He said they were goin home and would stay there tonight."]);
        assert_eq!(
            out,
            ["He said they were going home and would stay there tonight."]
        );
    }

    #[test]
    fn a_capitalised_slip_right_before_a_name_is_a_first_name() {
        let text = "Benj Sykes, the manager of the wind farm, said so on Monday.";
        let (out, reasons) = correct(&[text]);
        assert_eq!(out, [text], "{reasons:?}");
        // Not when the fix is far too common a word for a name, or punctuation parts them.
        let (out, _) = correct(&["Sicne Sykes took over, the prices of the farm rose."]);
        assert_eq!(out, ["Since Sykes took over, the prices of the farm rose."]);
        let (out, _) = correct(&["Hiwever, Sykes told the council of the farm."]);
        assert_eq!(out, ["However, Sykes told the council of the farm."]);
    }

    #[test]
    fn codes_are_not_turned_into_other_codes() {
        let text = "Files compressed with zstd are read just like the others we keep.";
        let (out, reasons) = correct(&[text]);
        assert_eq!(out, [text]);
        assert!(reasons.is_empty(), "{reasons:?}");
    }

    #[test]
    fn sentence_start_gets_one_edit_slips_only() {
        let (out, reasons) = correct(&[
            "Hiwever, the council met again. Passaic officials were there.",
            "They said teh plan would work.",
        ]);
        assert_eq!(
            out[0],
            "However, the council met again. Passaic officials were there."
        );
        assert_eq!(out[1], "They said the plan would work.");
        assert_eq!(reasons, ["typo:edit1", "typo:transpose"]);
    }

    #[test]
    fn cached_suggestions_belong_to_their_corrector() {
        let eager =
            Corrector::new(&CorrectConfig::default(), Vocabulary::default()).expect("builds");
        let strict = Corrector::new(
            &CorrectConfig {
                min_target_count: u64::MAX,
                ..CorrectConfig::default()
            },
            Vocabulary::default(),
        )
        .expect("builds");
        let run = |c: &Corrector| {
            let mut article = Article {
                paragraphs: vec!["They said teh plan would work, and teh rest.".into()],
                ..Article::default()
            };
            let mut audit = Audit::default();
            c.apply(&mut article, &mut audit);
            audit.events.len()
        };
        for _ in 0..2 {
            assert_eq!(run(&eager), 2);
            assert_eq!(run(&strict), 0);
        }
    }

    #[test]
    fn an_index_built_for_other_settings_is_rebuilt() {
        let text = "They said the new gvernmnt would work.";
        let run = |c: &Corrector| {
            let mut article = Article {
                paragraphs: vec![text.into()],
                ..Article::default()
            };
            let mut audit = Audit::default();
            c.apply(&mut article, &mut audit);
            article.paragraphs.remove(0)
        };
        let cfg = CorrectConfig::default();
        let shallow = CorrectConfig {
            min_len_edit2: 100,
            ..CorrectConfig::default()
        };
        let fixed = "They said the new government would work.";
        let built = |c: &CorrectConfig| {
            Corrector::with_index(c, LexiconIndex::build(c), Vocabulary::default()).expect("builds")
        };
        assert_eq!(run(&built(&cfg)), fixed, "two edits, found at depth 2");
        assert_eq!(run(&built(&shallow)), text, "not found without depth 2");
        let reused =
            Corrector::with_index(&cfg, LexiconIndex::build(&shallow), Vocabulary::default())
                .expect("builds");
        assert_eq!(run(&reused), fixed);
    }

    #[test]
    fn switches_turn_each_repair_off() {
        let cfg = CorrectConfig {
            typos: false,
            ..CorrectConfig::default()
        };
        let corrector = Corrector::new(&cfg, Vocabulary::default()).expect("builds");
        let text = "They said teh plan of 1961, 200, and 2021 would work. It was 2000.";
        let mut article = Article {
            paragraphs: vec![text.to_string()],
            ..Article::default()
        };
        let mut audit = Audit::default();
        corrector.apply(&mut article, &mut audit);
        assert!(article.paragraphs[0].contains("teh plan of 1961, 2000, and 2021"));
    }

    #[test]
    fn non_english_articles_are_left_alone() {
        let corrector =
            Corrector::new(&CorrectConfig::default(), Vocabulary::default()).expect("builds");
        let mut article = Article {
            paragraphs: vec!["Teh Minister sagte es.".into()],
            lang: Some("de".into()),
            ..Article::default()
        };
        let mut audit = Audit::default();
        corrector.apply(&mut article, &mut audit);
        assert_eq!(article.paragraphs[0], "Teh Minister sagte es.");
        assert!(audit.events.is_empty());
    }

    /// Corrects `paragraphs` with and without the known-word marks the statistics pass makes
    /// (with the vocabulary it builds); returns both outcomes (paragraphs and audit events).
    fn with_and_without_marks(paragraphs: Vec<String>) -> [(Vec<String>, Vec<String>); 2] {
        let cfg = CorrectConfig::default();
        let article = Article {
            paragraphs,
            lang: Some("en".into()),
            ..Article::default()
        };
        let mut known = KnownWords::default();
        let vocabulary = Vocabulary::observe_marking(&article, &cfg, &mut known);
        let corrector = Corrector::new(&cfg, vocabulary).expect("builds");
        let run = |marks: &KnownWords| {
            let mut a = article.clone();
            let mut audit = Audit::default();
            corrector.apply_known(&mut a, marks, &mut audit);
            let events = audit
                .events
                .iter()
                .map(|e| format!("{} -> {} ({})", e.before, e.after, e.reason))
                .collect();
            (a.paragraphs, events)
        };
        [run(&known), run(&KnownWords::default())]
    }

    #[test]
    fn marked_known_words_change_no_edit() {
        let paragraphs = [
            "Th sides are still working on it, said Coty.",
            "The company Coty acquired it. Coty-Kylie deal was Coty's plan.",
            "Cotty acquired the firm in 1961, 200, and 2021.",
            "They said teh plan would wrok, \"a tset title\" aside.",
            "A ptahogen-fighting drug, réunion of the gvernmnt.",
            "Every word here is known and plain",
        ];
        let [marked, unmarked] =
            with_and_without_marks(paragraphs.iter().map(|p| p.to_string()).collect());
        assert_eq!(marked, unmarked);
        assert!(
            !marked.1.is_empty(),
            "the text has slips to fix: the comparison means something"
        );
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        #[test]
        fn marks_never_change_the_corrections(
            paragraphs in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "the", "The", "plan", "teh", "Teh", "wrok", "Coty", "Coty's", "coty",
                        "in", "2000,", "200", "1961", "\"a", "title\"", "said.", "(gvernmnt)",
                        "ptahogen-fighting", "réunion", "Th", "sides", "--", "’s", "ACME",
                        "U.S.", "e-mail", "was", "of", "\n", "It.",
                    ]),
                    0..24,
                ).prop_map(|words: Vec<&str>| words.join(" ")),
                1..5,
            )
        ) {
            let [marked, unmarked] = with_and_without_marks(paragraphs);
            proptest::prop_assert_eq!(marked, unmarked);
        }
    }
}
