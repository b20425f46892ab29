//! Deduplication: fingerprints each cleaned article in the parallel map, then, in a reduce step,
//! decides which articles are copies of which. Only compact fingerprints cross the reduce; no text.

use crate::article::Article;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Stage name used in audit events.
pub const STAGE: &str = "dedup";

/// Deduplication settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DedupConfig {
    /// Seed of the hash functions (a constant, so runs are reproducible).
    pub seed: u64,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig { seed: 0x6e65_7773 }
    }
}

/// How a dropped article relates to the one kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateKind {
    /// Same normalized text.
    Exact,
    /// High estimated Jaccard similarity.
    Near,
    /// Its text is (mostly) contained in the kept one.
    Contained,
}

impl DuplicateKind {
    /// Name in `duplicates.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicateKind::Exact => "exact",
            DuplicateKind::Near => "near",
            DuplicateKind::Contained => "contained",
        }
    }
}

/// The compact per-article state that the dedup reduce works on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Hash of the normalized body.
    pub exact: u128,
    /// Body length in bytes: the completeness used for the canonical choice.
    pub body_len: u64,
    /// Publication date as `YYYYMMDD`, 0 when unknown.
    pub date: u32,
}

/// Computes an article's fingerprint.
pub fn fingerprint(article: &Article, cfg: &DedupConfig) -> Fingerprint {
    let normalized: String = article
        .text()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    Fingerprint {
        exact: xxhash_rust::xxh3::xxh3_128_with_seed(normalized.as_bytes(), cfg.seed),
        body_len: article.body_len() as u64,
        date: article
            .date
            .as_deref()
            .and_then(|d| d.replace('-', "").parse().ok())
            .unwrap_or(0),
    }
}

/// What happens to one article.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Decision {
    /// Kept; `copies` other articles were dropped in its favour.
    Kept {
        /// Number of duplicates it stands for.
        copies: u32,
    },
    /// Dropped as a copy of the article at index `of`.
    Duplicate {
        /// Index (into the fingerprint slice) of the kept article.
        of: usize,
        /// Similarity score behind the decision.
        similarity: f64,
        /// Kind of duplicate.
        kind: DuplicateKind,
    },
}

/// Decides, for articles in input order (`ids[i]` with `fps[i]`), which are kept and which are
/// copies. Deterministic: ties are broken by id.
pub fn deduplicate(ids: &[&str], fps: &[Fingerprint], _cfg: &DedupConfig) -> Vec<Decision> {
    let mut groups: HashMap<u128, Vec<usize>> = HashMap::new();
    for (i, fp) in fps.iter().enumerate() {
        groups.entry(fp.exact).or_default().push(i);
    }
    let mut decisions = vec![Decision::Kept { copies: 0 }; fps.len()];
    for members in groups.values() {
        let best = *members
            .iter()
            .min_by(|&&a, &&b| canonical_order(ids, fps, a, b))
            .unwrap_or(&members[0]);
        for &m in members {
            if m != best {
                decisions[m] = Decision::Duplicate {
                    of: best,
                    similarity: 1.0,
                    kind: DuplicateKind::Exact,
                };
            }
        }
        decisions[best] = Decision::Kept {
            copies: members.len() as u32 - 1,
        };
    }
    decisions
}

/// Canonical order: longest body, then has a date, then earliest date, then smallest id.
fn canonical_order(ids: &[&str], fps: &[Fingerprint], a: usize, b: usize) -> std::cmp::Ordering {
    let (fa, fb) = (&fps[a], &fps[b]);
    fb.body_len
        .cmp(&fa.body_len)
        .then((fb.date != 0).cmp(&(fa.date != 0)))
        .then(fa.date.cmp(&fb.date))
        .then(ids[a].cmp(ids[b]))
        .then(a.cmp(&b))
}
