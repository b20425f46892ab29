//! LSH banding: takes MinHash signatures, produces candidate pairs of articles whose signatures
//! agree on all rows of at least one band. The band/row split is derived from the similarity
//! threshold; candidates are only candidates and must be verified by the caller. Work is one
//! sort per band, so near-linear in the number of articles; an oversized bucket (many articles
//! with one band value) is compared against its first `bucket_cap` members only.

use super::minhash::splitmix64;
use rayon::prelude::*;

/// How a signature is cut into bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Banding {
    /// Number of bands.
    pub bands: usize,
    /// Signature positions per band.
    pub rows: usize,
}

/// Probability that a pair with Jaccard `s` becomes a candidate: `1 - (1 - s^r)^b`.
pub fn candidate_probability(s: f64, banding: Banding) -> f64 {
    1.0 - (1.0 - s.powi(banding.rows as i32)).powi(banding.bands as i32)
}

/// Midpoint-rule integral of `f` over `[lo, hi]`.
fn integrate(f: impl Fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
    const STEPS: usize = 100;
    let h = (hi - lo) / STEPS as f64;
    (0..STEPS)
        .map(|i| f(lo + (i as f64 + 0.5) * h))
        .sum::<f64>()
        * h
}

/// The banding of `num_perm` positions that minimizes the weighted area of false positives
/// (pairs below `threshold` that become candidates) and false negatives (pairs above it that do
/// not), with false negatives weighted `fn_weight` and false positives `1 - fn_weight`. This is
/// the rule of datasketch's `MinHashLSH`; a weight above one half suits us because every
/// candidate is verified afterwards, so a false positive only costs a comparison.
pub fn choose_banding(threshold: f64, num_perm: usize, fn_weight: f64) -> Banding {
    let t = threshold.clamp(0.0, 1.0);
    let w = fn_weight.clamp(0.0, 1.0);
    let num_perm = num_perm.max(1);
    let mut best = (f64::INFINITY, Banding { bands: 1, rows: 1 });
    for bands in 1..=num_perm {
        for rows in 1..=num_perm / bands {
            let banding = Banding { bands, rows };
            let fp = integrate(|s| candidate_probability(s, banding), 0.0, t);
            let fneg = integrate(|s| 1.0 - candidate_probability(s, banding), t, 1.0);
            let error = (1.0 - w) * fp + w * fneg;
            if error < best.0 {
                best = (error, banding);
            }
        }
    }
    best.1
}

/// Candidate pairs `(i, j)` with `i < j` (indices into `signatures`), sorted and distinct.
/// Articles with `skip[i]` set take no part.
pub fn candidates(
    signatures: &[&[u8]],
    skip: &[bool],
    banding: Banding,
    bucket_cap: usize,
    seed: u64,
) -> Vec<(u32, u32)> {
    let cap = bucket_cap.max(1);
    // Each band's pairs are sorted and distinct, and bands are merged pairwise, so the pairs
    // that many bands share (true copies collide in most) are held once, not once per band.
    (0..banding.bands)
        .into_par_iter()
        .map(|band| {
            let start = band * banding.rows;
            let mut keys: Vec<(u64, u32)> = signatures
                .iter()
                .enumerate()
                .filter(|&(i, sig)| !skip[i] && sig.len() >= start + banding.rows)
                .map(|(i, sig)| {
                    let rows = &sig[start..start + banding.rows];
                    let key = rows
                        .iter()
                        .fold(seed ^ band as u64, |h, &r| splitmix64(h ^ u64::from(r)));
                    (key, i as u32)
                })
                .collect();
            keys.sort_unstable();
            let mut band_pairs = Vec::new();
            for bucket in keys.chunk_by(|a, b| a.0 == b.0) {
                for (j, &(_, b)) in bucket.iter().enumerate().skip(1) {
                    for &(_, a) in &bucket[..j.min(cap)] {
                        band_pairs.push((a, b));
                    }
                }
            }
            band_pairs.sort_unstable();
            band_pairs.dedup();
            band_pairs
        })
        .reduce(Vec::new, merge_sorted)
}

/// The sorted union of two sorted, distinct lists.
fn merge_sorted(a: Vec<(u32, u32)>, b: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banding_follows_threshold() {
        let low = choose_banding(0.3, 128, 0.5);
        let high = choose_banding(0.9, 128, 0.5);
        assert!(low.bands * low.rows <= 128 && high.bands * high.rows <= 128);
        assert!(low.rows < high.rows, "{low:?} {high:?}");
        // Recall at and above the threshold is what a verified-candidate filter needs.
        let b = choose_banding(0.5, 128, 0.8);
        assert!(candidate_probability(0.6, b) > 0.95);
        assert!(candidate_probability(0.1, b) < 0.05);
    }

    #[test]
    fn equal_bands_become_candidates() {
        let a = [1u8, 2, 3, 4];
        let b = [1u8, 2, 9, 9];
        let c = [7u8, 7, 7, 7];
        let sigs: Vec<&[u8]> = vec![&a, &b, &c, &a];
        let banding = Banding { bands: 2, rows: 2 };
        let got = candidates(&sigs, &[false; 4], banding, 10, 0);
        assert_eq!(got, vec![(0, 1), (0, 3), (1, 3)]);
        let skipped = candidates(&sigs, &[false, false, false, true], banding, 10, 0);
        assert_eq!(skipped, vec![(0, 1)]);
    }

    #[test]
    fn merging_keeps_one_of_each_pair() {
        let a = vec![(0, 1), (0, 3), (2, 5)];
        let b = vec![(0, 1), (1, 2), (2, 5), (7, 8)];
        assert_eq!(
            merge_sorted(a, b),
            vec![(0, 1), (0, 3), (1, 2), (2, 5), (7, 8)]
        );
    }

    #[test]
    fn bucket_cap_bounds_pairs() {
        let a = [5u8, 5];
        let sigs: Vec<&[u8]> = vec![&a; 6];
        let banding = Banding { bands: 1, rows: 2 };
        assert_eq!(candidates(&sigs, &[false; 6], banding, 100, 0).len(), 15);
        // Each member meets the first one only: still one connected group.
        assert_eq!(candidates(&sigs, &[false; 6], banding, 1, 0).len(), 5);
    }
}
