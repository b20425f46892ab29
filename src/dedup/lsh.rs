//! LSH banding: takes MinHash signatures, produces candidate pairs of articles whose signatures
//! agree on all rows of at least one band. The band/row split is derived from the similarity
//! threshold; candidates are only candidates and must be verified by the caller. Work is one
//! hash-table pass per band, so linear in the number of articles; an oversized bucket (many
//! articles with one band value) is compared against its first `bucket_cap` members only.

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
        .map_init(BandTable::default, |table, band| {
            let start = band * banding.rows;
            let mut band_pairs = Vec::new();
            table.reset(signatures.len());
            for (i, sig) in signatures.iter().enumerate() {
                let Some(rows) = sig.get(start..start + banding.rows) else {
                    continue;
                };
                if skip[i] {
                    continue;
                }
                table.insert(band_key(rows, seed, band), i as u32, cap, &mut band_pairs);
            }
            band_pairs.sort_unstable();
            band_pairs.dedup();
            band_pairs
        })
        .reduce(Vec::new, merge_sorted)
}

/// The bucket of a band's rows: the rows themselves when they fit in a word (the default
/// banding's four do), else a hash of them.
#[inline]
fn band_key(rows: &[u8], seed: u64, band: usize) -> u64 {
    if rows.len() <= 8 {
        return crate::swar::pack_le(rows);
    }
    rows.iter()
        .fold(seed ^ band as u64, |h, &r| splitmix64(h ^ u64::from(r)))
}

/// One band's buckets, filled in index order: an open-addressing table from band key to the
/// bucket's first member, or, once a second one arrives, to the list of its first `cap`
/// members (the only ones later members are paired with). Grouping by sorting the keys was
/// most of the dedup reduce's time (30 sorts of every representative's key); nearly all keys
/// are alone in their bucket, and a table finds that in one probe.
#[derive(Default)]
struct BandTable {
    /// Per slot: the key and `EMPTY`, a first member, or `SHARED | bucket`.
    slots: Vec<(u64, u32)>,
    /// log2 of the number of slots.
    bits: u32,
    /// Buckets with two members or more: their first `cap` members, in index order.
    shared: Vec<Vec<u32>>,
}

/// A free slot.
const EMPTY: u32 = u32::MAX;
/// Marks a slot's value as the index of a bucket in `BandTable::shared`. Article indices stay
/// below it (a run's articles are counted in `u32`, and two billion is far past any run).
const SHARED: u32 = 1 << 31;

impl BandTable {
    /// Empties the table, sized for `n` keys (at most half full).
    fn reset(&mut self, n: usize) {
        let len = (2 * n).next_power_of_two().max(16);
        self.bits = len.trailing_zeros();
        self.slots.clear();
        self.slots.resize(len, (0, EMPTY));
        self.shared.clear();
    }

    /// Adds member `i` (above every member added before) to the bucket of `key`, pushing to
    /// `pairs` one pair `(a, i)` for each of the bucket's first `cap` earlier members `a`.
    #[inline]
    fn insert(&mut self, key: u64, i: u32, cap: usize, pairs: &mut Vec<(u32, u32)>) {
        debug_assert!(
            i < SHARED,
            "article index {i} collides with the bucket mark"
        );
        let mask = self.slots.len() - 1;
        // Multiplicative hashing: the key's bits mixed into the product's top bits.
        let mut slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize;
        loop {
            let (k, value) = self.slots[slot];
            if value == EMPTY {
                self.slots[slot] = (key, i);
                return;
            }
            if k == key {
                if value & SHARED == 0 {
                    pairs.push((value, i));
                    let mut members = vec![value];
                    if cap > 1 {
                        members.push(i);
                    }
                    self.slots[slot].1 = SHARED | self.shared.len() as u32;
                    self.shared.push(members);
                } else {
                    let members = &mut self.shared[(value & !SHARED) as usize];
                    pairs.extend(members.iter().map(|&a| (a, i)));
                    if members.len() < cap {
                        members.push(i);
                    }
                }
                return;
            }
            slot = (slot + 1) & mask;
        }
    }
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

    /// `candidates` as first written (each band's keys sorted, buckets read off the sorted
    /// run), keyed by the rows themselves: what "agree on all rows of a band" means.
    fn candidates_by_sorting(
        signatures: &[&[u8]],
        skip: &[bool],
        banding: Banding,
        bucket_cap: usize,
    ) -> Vec<(u32, u32)> {
        let cap = bucket_cap.max(1);
        let mut all = Vec::new();
        for band in 0..banding.bands {
            let start = band * banding.rows;
            let mut keys: Vec<(&[u8], u32)> = signatures
                .iter()
                .enumerate()
                .filter(|&(i, sig)| !skip[i] && sig.len() >= start + banding.rows)
                .map(|(i, sig)| (&sig[start..start + banding.rows], i as u32))
                .collect();
            keys.sort_unstable();
            for bucket in keys.chunk_by(|a, b| a.0 == b.0) {
                for (j, &(_, b)) in bucket.iter().enumerate().skip(1) {
                    for &(_, a) in &bucket[..j.min(cap)] {
                        all.push((a, b));
                    }
                }
            }
        }
        all.sort_unstable();
        all.dedup();
        all
    }

    proptest::proptest! {
        #[test]
        fn the_table_finds_the_pairs_sorting_finds(
            // Few distinct values in short signatures: buckets of every size, skipped members,
            // signatures too short for the last bands; bands of up to eight rows (keyed by the
            // rows) and longer (keyed by a hash).
            sigs in proptest::collection::vec(proptest::collection::vec(0u8..3, 2..=12), 0..80),
            skip_every in 2usize..9,
            rows in 1usize..=10,
            cap in 0usize..5,
            seed in 0u64..4,
        ) {
            let signatures: Vec<&[u8]> = sigs.iter().map(Vec::as_slice).collect();
            let skip: Vec<bool> = (0..sigs.len()).map(|i| i % skip_every == 1).collect();
            let banding = Banding { bands: (12 / rows).max(1), rows };
            proptest::prop_assert_eq!(
                candidates(&signatures, &skip, banding, cap, seed),
                candidates_by_sorting(&signatures, &skip, banding, cap)
            );
        }
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
