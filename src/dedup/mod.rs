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
    let search = copies.container_search(fps, cfg);
    let reps = &copies.reps;
    let mut pairs = search.search(reps.len(), |b| (b as u32, fps.get(reps[b] as usize).sketch));
    drop(search);
    pairs.par_sort_unstable();
    copies.add_contained(ids, fps, &p, pairs);
    copies.decide(ids, fps, &p)
}

/// `deduplicate` over fingerprints that `read` hands to its visitor one at a time, in input
/// order (from a spill file, say), each time it is called. Four reads, each keeping only what
/// its step needs, so a large run never holds every fingerprint whole: the signatures (near
/// copies); the few smallest hashes of each sketch (the index of possible contained copies);
/// each sketch in turn, searched for what it may contain and let go; and both parts of the
/// articles that the candidate pairs and the clusters found so far name. A caller returning
/// freed memory between reads keeps the peak at the largest step's, the first. Same decisions
/// as `deduplicate`.
pub fn deduplicate_loading(
    ids: &[&str],
    cfg: &DedupConfig,
    mut read: impl FnMut(&mut dyn FnMut(FingerprintRef<'_>)) -> Result<()>,
) -> Result<Vec<Decision>> {
    let p = cfg.params();
    let with_minhash = load(&mut read, ids.len(), &|_| Parts::MINHASH)?;
    let mut copies = Copies::exact_and_near(&with_minhash, cfg, &p);
    drop(with_minhash);
    let probe = cfg.containment_probe.max(1);
    let probes = load(&mut read, ids.len(), &|i| {
        if copies.rep_position(i).is_some() {
            Parts::NONE.with_sketch_prefix(probe)
        } else {
            Parts::NONE
        }
    })?;
    let search = copies.container_search(&probes, cfg);
    drop(probes);
    let pairs = copies.stream_containers(&mut read, ids.len(), &search)?;
    drop(search);
    // The candidate pairs' articles (their sketches, for the estimates) and every article in a
    // cluster by now (both parts, to choose what each cluster keeps); containment only joins
    // candidates to clusters, so no other article is in one at the end.
    let mut wanted = copies.clustered();
    for &(a, b) in &pairs {
        for r in [a, b] {
            wanted[copies.reps[r as usize] as usize] = true;
        }
    }
    let last = load(&mut read, ids.len(), &|i| {
        if wanted.get(i).copied().unwrap_or(false) {
            Parts::ALL
        } else {
            Parts::NONE
        }
    })?;
    copies.add_contained(ids, &last, &p, pairs);
    Ok(copies.decide(ids, &last, &p))
}

/// One read of the fingerprints into a store, with the parts `select` asks for at each index;
/// an error unless there are `n`.
fn load(
    read: &mut impl FnMut(&mut dyn FnMut(FingerprintRef<'_>)) -> Result<()>,
    n: usize,
    select: &dyn Fn(usize) -> Parts,
) -> Result<FingerprintStore> {
    let mut store = FingerprintStore::new();
    read(&mut |fp| {
        let parts = select(store.len());
        store.push_parts(fp, parts);
    })?;
    check_count(store.len(), n)?;
    Ok(store)
}

/// An error unless `read` fingerprints were read for `n` articles.
fn check_count(read: usize, n: usize) -> Result<()> {
    if read == n {
        Ok(())
    } else {
        Err(Error::Conservation(format!(
            "dedup read {read} fingerprints for {n} articles"
        )))
    }
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

    /// The position among the representatives of article `i`, if it is one.
    fn rep_position(&self, i: usize) -> Option<u32> {
        let i = u32::try_from(i).ok()?;
        self.reps.binary_search(&i).ok().map(|p| p as u32)
    }

    /// The index of the representatives that may be contained in another, from the first
    /// `containment_probe` hashes of their sketches (what `fps` holds at least).
    fn container_search(
        &self,
        fps: &FingerprintStore,
        cfg: &DedupConfig,
    ) -> containment::ContainerSearch {
        let sketches: Vec<&[u32]> = self
            .reps
            .iter()
            .map(|&i| fps.get(i as usize).sketch)
            .collect();
        let may_be_contained: Vec<bool> = self
            .reps
            .iter()
            .map(|&i| fps.get(i as usize).shingles as usize >= cfg.min_contained_shingles.max(1))
            .collect();
        let probe = containment::ProbeParams {
            probe: cfg.containment_probe,
            min_shared: cfg.containment_min_shared,
            max_postings: cfg.max_postings,
        };
        containment::ContainerSearch::new(&sketches, &may_be_contained, probe)
    }

    /// The candidate pairs (representative positions, sorted) of `search` over every
    /// representative's whole sketch, read one at a time by `read` and searched a batch at a
    /// time in parallel.
    fn stream_containers(
        &self,
        read: &mut impl FnMut(&mut dyn FnMut(FingerprintRef<'_>)) -> Result<()>,
        n: usize,
        search: &containment::ContainerSearch,
    ) -> Result<Vec<(u32, u32)>> {
        /// Sketches searched together: ~1 MB of them.
        const BATCH: usize = 4096;
        let mut pairs = Vec::new();
        let mut batch = FingerprintStore::new();
        let mut batch_reps: Vec<u32> = Vec::with_capacity(BATCH);
        let search_batch = |batch: &FingerprintStore, reps: &[u32], pairs: &mut Vec<(u32, u32)>| {
            pairs.extend(search.search(reps.len(), |j| (reps[j], batch.get(j).sketch)));
        };
        let mut index = 0usize;
        read(&mut |fp| {
            if let Some(rep) = self.rep_position(index) {
                batch.push_parts(fp, Parts::SKETCH);
                batch_reps.push(rep);
                if batch_reps.len() == BATCH {
                    search_batch(&batch, &batch_reps, &mut pairs);
                    batch = FingerprintStore::new();
                    batch_reps.clear();
                }
            }
            index += 1;
        })?;
        check_count(index, n)?;
        search_batch(&batch, &batch_reps, &mut pairs);
        pairs.par_sort_unstable();
        Ok(pairs)
    }

    /// Contained copies among the candidate `pairs` (representative positions): each
    /// contained article joins its best container only. Reads the fixed fields and the
    /// sketches of the pairs' articles.
    fn add_contained(
        &mut self,
        ids: &[&str],
        fps: &FingerprintStore,
        p: &Params,
        pairs: Vec<(u32, u32)>,
    ) {
        let reps = &self.reps;
        let sketch = |r: u32| fps.get(reps[r as usize] as usize).sketch;
        let mut contained: Vec<(u32, u32, f64)> = pairs
            .into_par_iter()
            .filter_map(|(a, b)| {
                let (c, samples) = containment::estimate(sketch(a), sketch(b), p.sketch_size);
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
