//! The canonical copy of a cluster and the decision for every article: takes fingerprints, ids
//! and cluster roots, produces `Decision`s. The canonical copy is the most complete article
//! (longest clean body), then one with a date, then the earliest date, then the smallest id,
//! then the earliest input position, so the choice never depends on processing order.

use super::{containment, minhash, Decision, DuplicateKind, FingerprintStore, Params};
use rayon::prelude::*;
use std::cmp::Ordering;

/// Canonical order of articles `a` and `b`: `Less` when `a` is the better copy to keep.
pub fn canonical_order(ids: &[&str], fps: &FingerprintStore, a: usize, b: usize) -> Ordering {
    let (fa, fb) = (fps.get(a), fps.get(b));
    let id = |i: usize| ids.get(i).copied().unwrap_or("");
    fb.body_len
        .cmp(&fa.body_len)
        .then((fb.date != 0).cmp(&(fa.date != 0)))
        .then(fa.date.cmp(&fb.date))
        .then(id(a).cmp(id(b)))
        .then(a.cmp(&b))
}

/// How duplicate `m` relates to the canonical copy `c`: exact, near (estimated Jaccard at or
/// above the threshold) or contained; a copy joined only through other copies gets the larger
/// of its two similarities to `c`.
pub fn relation(fps: &FingerprintStore, m: usize, c: usize, p: &Params) -> (f64, DuplicateKind) {
    let (fm, fc) = (fps.get(m), fps.get(c));
    if fm.exact == fc.exact {
        return (1.0, DuplicateKind::Exact);
    }
    let jaccard = minhash::jaccard(fm.minhash, fc.minhash);
    if jaccard >= p.threshold {
        return (jaccard, DuplicateKind::Near);
    }
    let (contained, samples) = containment::estimate(fm.sketch, fc.sketch, p.sketch_size);
    if (contained >= p.containment_threshold && samples >= p.min_samples) || contained > jaccard {
        (contained, DuplicateKind::Contained)
    } else {
        (jaccard, DuplicateKind::Near)
    }
}

/// One decision per article from the cluster root of each (`roots[i]`) and cluster sizes.
pub fn decide(
    ids: &[&str],
    fps: &FingerprintStore,
    roots: &[u32],
    sizes: &[u32],
    p: &Params,
) -> Vec<Decision> {
    // The best member of each cluster, indexed by root.
    let mut best: Vec<u32> = (0..roots.len() as u32).collect();
    for (i, &r) in roots.iter().enumerate() {
        let current = best[r as usize] as usize;
        if canonical_order(ids, fps, i, current) == Ordering::Less {
            best[r as usize] = i as u32;
        }
    }
    (0..roots.len())
        .into_par_iter()
        .map(|i| {
            let root = roots[i] as usize;
            let keep = best[root] as usize;
            if keep == i {
                Decision::Kept {
                    copies: sizes[root].saturating_sub(1),
                }
            } else {
                let (similarity, kind) = relation(fps, i, keep, p);
                Decision::Duplicate {
                    of: keep,
                    similarity,
                    kind,
                }
            }
        })
        .collect()
}
