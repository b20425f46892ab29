//! Correction of typos and broken years. Takes an article, the bundled English lexicon and the
//! corpus vocabulary (built by the reduce step of the statistics pass); edits words in place only
//! where the evidence is strong and records every edit as an audit event with a reason code and
//! score. A wrong fix is worse than none: names, acronyms, numbers that are not years, URLs,
//! quoted titles and non-English text are never touched.

mod config;
pub mod guards;
pub mod keyboard;
pub mod lexicon;
pub mod symspell;
pub mod tokens;
pub mod typos;
pub mod vocabulary;
pub mod years;

pub use config::CorrectConfig;
pub use vocabulary::Vocabulary;

use crate::article::Article;
use crate::audit::Audit;
use crate::error::{Error, Result};
use guards::{CasePattern, PassageGuard};
use lexicon::Lexicon;
use symspell::{DeleteIndex, IndexParams};

/// Stage name used in audit events.
pub const STAGE: &str = "correct";

/// Makes the corrections; built once per run from the config and the corpus vocabulary.
#[derive(Debug)]
pub struct Corrector {
    cfg: CorrectConfig,
    lexicon: &'static Lexicon,
    index: DeleteIndex,
    vocabulary: Vocabulary,
}

/// One edit proposed for a paragraph.
struct Edit {
    range: std::ops::Range<usize>,
    after: String,
    reason: &'static str,
    score: f64,
}

impl Corrector {
    /// Builds the corrector: validates the config, loads the lexicon and indexes it.
    pub fn new(cfg: &CorrectConfig, vocabulary: &Vocabulary) -> Result<Self> {
        cfg.validate().map_err(Error::Config)?;
        let lexicon = Lexicon::english();
        let index = DeleteIndex::build(
            lexicon,
            IndexParams {
                min_count_edit2: cfg.min_count_edit2,
                min_len_edit2: cfg.min_len_edit2,
                max_len: cfg.max_word_len,
            },
        );
        Ok(Corrector {
            cfg: cfg.clone(),
            lexicon,
            index,
            vocabulary: vocabulary.clone(),
        })
    }

    /// Corrects `article` in place, recording each edit in `audit`.
    pub fn apply(&self, article: &mut Article, audit: &mut Audit) {
        let cfg = &self.cfg;
        if !(cfg.typos || cfg.years) {
            return;
        }
        if article.lang.as_deref().is_some_and(|l| l != "en") {
            return;
        }
        let mut article_years = years::YearMentions::default();
        article_years.set_published(article.date.as_deref());
        if cfg.years {
            let mut base = 0;
            for para in &article.paragraphs {
                if para.bytes().any(|b| b.is_ascii_digit()) {
                    let chunks = tokens::chunks(para, 0);
                    article_years.observe(para, &chunks, base, cfg);
                }
                base += para.len() + 2;
            }
        }
        let mut base = 0;
        for para in &mut article.paragraphs {
            let para_base = base;
            base += para.len() + 2;
            let edits = self.paragraph_edits(para, para_base, &article_years);
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

    /// The edits proposed for one paragraph, in text order.
    fn paragraph_edits(
        &self,
        para: &str,
        base: usize,
        article_years: &years::YearMentions,
    ) -> Vec<Edit> {
        let cfg = &self.cfg;
        let chunks = tokens::chunks(para, cfg.quoted_title_max_words);
        let mut edits = Vec::new();
        if cfg.years {
            for r in years::repairs(
                para,
                &chunks,
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
            let mut lower = String::with_capacity(32);
            for (i, chunk) in chunks.iter().enumerate() {
                if guards::next_to_fragment(para, &chunks, i) {
                    continue;
                }
                if let Some(edit) = self.typo_edit(para, chunk, &mut lower) {
                    let recurs = self.vocabulary.count(&lower) >= cfg.recurrence_min;
                    if !guards::name_particle(para, &chunks, i, recurs) {
                        edits.push(edit);
                    }
                }
            }
        }
        edits.sort_by_key(|e| e.range.start);
        edits
    }

    /// The typo correction of one chunk, if any.
    fn typo_edit(&self, para: &str, chunk: &tokens::Chunk, lower: &mut String) -> Option<Edit> {
        let cfg = &self.cfg;
        let word = guards::plain_word(para, chunk)?;
        if word.len() > cfg.max_word_len {
            return None;
        }
        lower.clear();
        lower.push_str(word);
        lower.make_ascii_lowercase();
        if self.lexicon.contains(lower) {
            return None;
        }
        let case = guards::case_pattern(word);
        if !guards::may_correct(case, word.len(), chunk) {
            return None;
        }
        let min_count = match case {
            _ if word.len() <= 2 => cfg.short_word_min_count,
            CasePattern::Capitalised => cfg.capitalised_min_count,
            _ => cfg.min_target_count,
        };
        let s = typos::suggest(
            cfg,
            self.lexicon,
            &self.index,
            &self.vocabulary,
            lower,
            min_count,
        )?;
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn correct(paragraphs: &[&str]) -> (Vec<String>, Vec<String>) {
        let corrector =
            Corrector::new(&CorrectConfig::default(), &Vocabulary::default()).expect("builds");
        let mut article = Article {
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            lang: Some("en".into()),
            ..Article::default()
        };
        let mut audit = Audit::default();
        corrector.apply(&mut article, &mut audit);
        let reasons = audit.events.iter().map(|e| e.reason.clone()).collect();
        (article.paragraphs, reasons)
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
    fn switches_turn_each_repair_off() {
        let cfg = CorrectConfig {
            typos: false,
            ..CorrectConfig::default()
        };
        let corrector = Corrector::new(&cfg, &Vocabulary::default()).expect("builds");
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
            Corrector::new(&CorrectConfig::default(), &Vocabulary::default()).expect("builds");
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
}
