//! Deduplication: fingerprints each cleaned article in the parallel map, then, in a reduce step,
//! decides which articles are copies of which. Only compact fingerprints cross the reduce; no
//! text. The reduce finds three kinds of copies and never compares all pairs:
//!
//! - exact: equal hash of the canonical text (case, Unicode form, quotes, dashes and whitespace
//!   folded; see `words`);
//! - near: MinHash signatures over word shingles, LSH banding for candidates, verified by the
//!   estimated Jaccard similarity (`minhash`, `lsh`);
//! - contained: a shorter article whose shingles are (mostly) inside a longer one, from bottom-k
//!   sketches and an index of each article's smallest hashes (`containment`). A contained
//!   article joins only its best container, so a short text found inside several different
//!   articles cannot chain them into one cluster.
//!
//! Union-find turns the edges into clusters (`cluster`); each cluster keeps its canonical copy
//! (`canonical`). Each step reads one part of the fingerprints, so a caller that keeps them on
//! disk can load one part at a time (`deduplicate_loading`) and never hold all of them.

pub mod canonical;
pub mod cluster;
pub mod containment;
pub mod fingerprint;
pub mod lsh;
pub mod minhash;
pub mod shingle;
pub mod store;
pub mod words;

use crate::error::{Error, Result};
pub use fingerprint::{date_number, fingerprint, Fingerprint, Fingerprinter};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
pub use store::{FingerprintRef, FingerprintStore, Parts};

/// Stage name used in audit events.
pub const STAGE: &str = "dedup";

/// Deduplication settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DedupConfig {
    /// Seed of the hash functions (a constant, so runs are reproducible).
    pub seed: u64,
    /// Words per shingle.
    pub shingle_size: usize,
    /// MinHash bins (signature length; 1 byte each per article).
    pub num_perm: usize,
    /// Estimated Jaccard similarity at or above which two articles are near duplicates.
    pub threshold: f64,
    /// Weight of missed pairs against extra candidates when LSH bands/rows are derived from
    /// `threshold` (0.5 = datasketch's default; higher finds more pairs at more comparisons).
    pub lsh_fn_weight: f64,
    /// Share of a shorter article's shingles found in a longer one at or above which it is a
    /// contained copy. Different articles sharing a few quoted sentences stay well below.
    pub containment_threshold: f64,
    /// Size of the bottom-k sketch used for containment (4 bytes each per article).
    pub sketch_size: usize,
    /// Fewest sketch samples a containment estimate may rest on.
    pub min_containment_samples: usize,
    /// Fewest distinct shingles an article needs to be considered contained in another.
    pub min_contained_shingles: usize,
    /// How many of each article's smallest hashes are indexed to find containers.
    pub containment_probe: usize,
    /// How many of those a container's sketch must hold to be a candidate.
    pub containment_min_shared: usize,
    /// LSH buckets larger than this compare each member with the first `bucket_cap` only.
    pub bucket_cap: usize,
    /// Hash values in more articles' containment probes than this are ignored (boilerplate).
    pub max_postings: usize,
    /// Fingerprints of up to this many megabytes as spilled (~0.45 KB per article) are read
    /// back whole for the reduce; more are read once per step, each time with only the part
    /// that step needs, which bounds the reduce's memory at the larger part. The decisions
    /// are the same either way.
    pub whole_fingerprints_max_mb: u64,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            seed: 0x6e65_7773,
            shingle_size: 5,
            num_perm: 128,
            threshold: 0.5,
            lsh_fn_weight: 0.8,
            containment_threshold: 0.7,
            sketch_size: 64,
            min_containment_samples: 8,
            min_contained_shingles: 20,
            containment_probe: 6,
            containment_min_shared: 2,
            bucket_cap: 16,
            max_postings: 256,
            whole_fingerprints_max_mb: 64,
        }
    }
}

impl DedupConfig {
    /// Checks the settings once, before any work.
    pub fn validate(&self) -> Result<()> {
        let bad = |what: &str| Err(Error::Config(format!("dedup: {what}")));
        if self.shingle_size == 0 || self.num_perm == 0 || self.sketch_size == 0 {
            return bad("shingle_size, num_perm and sketch_size must be at least 1");
        }
        if self.num_perm > 4096 || self.sketch_size > 4096 {
            return bad("num_perm and sketch_size must be at most 4096");
        }
        for (name, v) in [
            ("threshold", self.threshold),
            ("lsh_fn_weight", self.lsh_fn_weight),
            ("containment_threshold", self.containment_threshold),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return bad(&format!("{name} must be between 0 and 1"));
            }
        }
        Ok(())
    }

    /// The settings the reduce works with (clamped into range, so no setting can panic).
    pub fn params(&self) -> Params {
        let num_perm = self.num_perm.clamp(1, 4096);
        Params {
            threshold: self.threshold.clamp(0.0, 1.0),
            containment_threshold: self.containment_threshold.clamp(0.0, 1.0),
            sketch_size: self.sketch_size.clamp(1, 4096),
            min_samples: self.min_containment_samples.max(1),
            banding: lsh::choose_banding(self.threshold, num_perm, self.lsh_fn_weight),
        }
    }
}

/// Settings derived once per run from `DedupConfig`.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Near-duplicate Jaccard threshold.
    pub threshold: f64,
    /// Containment threshold.
    pub containment_threshold: f64,
    /// Bottom-k sketch size.
    pub sketch_size: usize,
    /// Fewest samples behind a containment estimate.
    pub min_samples: usize,
    /// LSH bands and rows.
    pub banding: lsh::Banding,
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
/// copies. Deterministic for any thread count: every step is a pure function of the
/// fingerprints, and ties are broken by id, then index.
pub fn deduplicate(ids: &[&str], fps: &FingerprintStore, cfg: &DedupConfig) -> Vec<Decision> {
    let p = cfg.params();
    let mut copies = Copies::exact_and_near(fps, cfg, &p);
    copies.add_contained(ids, fps, cfg, &p);
    copies.decide(ids, fps, &p)
}

/// `deduplicate` over fingerprints that `load` reads (from a spill file, say) each time it is
/// called, holding only the parts that `select` asks for at each index: first every
/// signature, then every sketch, then both parts of the articles found to be copies. A
/// large run's peak memory is then the larger of the two parts, not their sum plus the
/// working memory of the step that finds near copies. Same decisions as `deduplicate`.
pub fn deduplicate_loading(
    ids: &[&str],
    cfg: &DedupConfig,
    mut load: impl FnMut(&dyn Fn(usize) -> Parts) -> Result<FingerprintStore>,
) -> Result<Vec<Decision>> {
    let p = cfg.params();
    let check_len = |fps: FingerprintStore| {
        if fps.len() == ids.len() {
            Ok(fps)
        } else {
            Err(Error::Conservation(format!(
                "dedup read {} fingerprints for {} articles",
                fps.len(),
                ids.len()
            )))
        }
    };
    let with_minhash = check_len(load(&|_| Parts::MINHASH)?)?;
    let mut copies = Copies::exact_and_near(&with_minhash, cfg, &p);
    drop(with_minhash);
    let with_sketch = check_len(load(&|_| Parts::SKETCH)?)?;
    copies.add_contained(ids, &with_sketch, cfg, &p);
    drop(with_sketch);
    // Only a copy and the article kept for it are compared once the clusters are known.
    let clustered: Vec<bool> = copies.clustered();
    // An index past the articles (a spill longer than the id list) is reported by `check_len`.
    let for_decisions = check_len(load(&|i| {
        if clustered.get(i).copied().unwrap_or(false) {
            Parts::ALL
        } else {
            Parts::NONE
        }
    })?)?;
    Ok(copies.decide(ids, &for_decisions, &p))
}

/// The copies found so far: clusters over all articles, and one representative per group of
/// exact copies (the steps after the first compare representatives only).
struct Copies {
    clusters: cluster::UnionFind,
    reps: Vec<u32>,
}

impl Copies {
    /// Exact copies (equal canonical-text hash) and near copies (LSH candidates verified by
    /// estimated Jaccard). Reads the fixed fields and the signatures.
    fn exact_and_near(fps: &FingerprintStore, cfg: &DedupConfig, p: &Params) -> Copies {
        let n = fps.len();
        let mut uf = cluster::UnionFind::new(n);

        // Exact copies: one representative (the first in input order) per canonical text.
        let mut by_exact: Vec<(u128, u32)> = fps
            .iter()
            .enumerate()
            .map(|(i, f)| (f.exact, i as u32))
            .collect();
        by_exact.par_sort_unstable();
        let mut reps: Vec<u32> = Vec::new();
        for group in by_exact.chunk_by(|a, b| a.0 == b.0) {
            reps.push(group[0].1);
            for &(_, i) in &group[1..] {
                uf.union(group[0].1, i);
            }
        }
        drop(by_exact);
        reps.sort_unstable();
        let rep_fp = |r: u32| fps.get(reps[r as usize] as usize);

        // Near copies: LSH candidates verified by estimated Jaccard.
        let signatures: Vec<&[u8]> = reps.iter().map(|&i| fps.get(i as usize).minhash).collect();
        let empty: Vec<bool> = reps
            .iter()
            .map(|&i| fps.get(i as usize).shingles == 0)
            .collect();
        let near: Vec<(u32, u32)> =
            lsh::candidates(&signatures, &empty, p.banding, cfg.bucket_cap, cfg.seed)
                .into_par_iter()
                .filter(|&(a, b)| {
                    minhash::jaccard(rep_fp(a).minhash, rep_fp(b).minhash) >= p.threshold
                })
                .collect();
        for (a, b) in near {
            uf.union(reps[a as usize], reps[b as usize]);
        }
        Copies { clusters: uf, reps }
    }

    /// Contained copies: each contained article joins its best container only. Reads the
    /// fixed fields and the sketches.
    fn add_contained(
        &mut self,
        ids: &[&str],
        fps: &FingerprintStore,
        cfg: &DedupConfig,
        p: &Params,
    ) {
        let reps = &self.reps;
        let sketches: Vec<&[u32]> = reps.iter().map(|&i| fps.get(i as usize).sketch).collect();
        let may_be_contained: Vec<bool> = reps
            .iter()
            .map(|&i| fps.get(i as usize).shingles as usize >= cfg.min_contained_shingles.max(1))
            .collect();
        let probe = containment::ProbeParams {
            probe: cfg.containment_probe,
            min_shared: cfg.containment_min_shared,
            max_postings: cfg.max_postings,
        };
        let mut contained: Vec<(u32, u32, f64)> =
            containment::candidates(&sketches, &may_be_contained, probe)
                .into_par_iter()
                .filter_map(|(a, b)| {
                    let (c, samples) = containment::estimate(
                        sketches[a as usize],
                        sketches[b as usize],
                        p.sketch_size,
                    );
                    (c >= p.containment_threshold && samples >= p.min_samples).then_some((a, b, c))
                })
                .collect();
        contained.par_sort_unstable_by(|x, y| {
            x.0.cmp(&y.0).then(y.2.total_cmp(&x.2)).then_with(|| {
                canonical::canonical_order(
                    ids,
                    fps,
                    reps[x.1 as usize] as usize,
                    reps[y.1 as usize] as usize,
                )
            })
        });
        contained.dedup_by_key(|e| e.0);
        for (a, b, _) in contained {
            self.clusters.union(reps[a as usize], reps[b as usize]);
        }
    }

    /// Whether each article is in a cluster of more than one.
    fn clustered(&mut self) -> Vec<bool> {
        let roots = self.clusters.roots();
        roots
            .iter()
            .map(|&r| self.clusters.set_size(r) > 1)
            .collect()
    }

    /// The decision for every article. Reads the fixed fields of all, and both parts of the
    /// articles in clusters.
    fn decide(mut self, ids: &[&str], fps: &FingerprintStore, p: &Params) -> Vec<Decision> {
        let n = fps.len();
        let roots = self.clusters.roots();
        let sizes: Vec<u32> = (0..n as u32).map(|i| self.clusters.set_size(i)).collect();
        canonical::decide(ids, fps, &roots, &sizes, p)
    }
}

#[cfg(test)]
mod tests;
