//! MinHash signatures: takes the distinct shingle hashes of an article, produces one minimum per
//! bin, from which the Jaccard similarity of two articles is estimated as the share of equal
//! minima. One-permutation hashing (Li, Owen and Zhang 2012): each shingle is permuted once and
//! lands in one bin, instead of being permuted once per signature position, so the cost is one
//! multiply per shingle. Empty bins are filled by optimal densification (Shrivastava 2017),
//! which keeps the collision probability equal to the Jaccard similarity. The permutation is a
//! seeded bijection (no global state); shingle hashes must already be well mixed.
//!
//! Each minimum is stored in 8 bits (b-bit MinHash, Li and König 2010): the minimum is taken
//! over 64-bit values, then only a mix of it and of the bin's position is kept. Two different
//! minima agree by chance with probability c = 1/256, so the share of equal positions
//! estimates J + (1 - J) c; `jaccard` removes that bias. The signature takes an eighth of the
//! memory of 64-bit minima, and its variance hardly changes (it is divided by (1 - c)^2, 0.8%
//! more). The position is in the mix because that bias correction needs the chance agreements
//! of different bins to be independent, and densification breaks that for small sets: a text
//! of one shingle has the same minimum in every bin, so with bits of the minimum alone two
//! unrelated one-shingle texts agreed in all bins or in none, and one pair in 256 read as
//! identical (400 distinct briefs of three to six words gave ~190 false near copies).

/// The seeded hash functions of one configuration, built once and reused for every article.
#[derive(Debug, Clone)]
pub struct MinHasher {
    /// Number of bins (the signature length).
    bins: usize,
    /// `x -> (x ^ salt) * multiplier`: a seeded bijection of the shingle hashes.
    salt: u64,
    multiplier: u64,
    /// Seed of the bin sequences that fill empty bins.
    densify: u64,
}

/// SplitMix64 step: a well-mixed 64-bit value from a counter (used for constants and mixing).
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `x` scaled from `[0, 2^32)` into `[0, n)` without a division (Lemire's fast range).
#[inline]
fn fast_range(x: u32, n: usize) -> usize {
    ((u64::from(x) * n as u64) >> 32) as usize
}

impl MinHasher {
    /// Builds a hasher of `num_perm` bins (at least one) from `seed`.
    pub fn new(num_perm: usize, seed: u64) -> Self {
        MinHasher {
            bins: num_perm.max(1),
            salt: splitmix64(seed ^ 0x6f70_6800),
            multiplier: splitmix64(seed ^ 0x6f70_6801) | 1,
            densify: splitmix64(seed ^ 0x6f70_6802),
        }
    }

    /// Number of bins (the signature length).
    pub fn len(&self) -> usize {
        self.bins
    }

    /// Always false: a hasher has at least one bin.
    pub fn is_empty(&self) -> bool {
        self.bins == 0
    }

    /// The signature of a set of shingle hashes. An empty set gets all `u8::MAX`; callers keep
    /// such articles out of the comparison.
    pub fn signature(&self, shingles: &[u64]) -> Box<[u8]> {
        let m = self.bins;
        if shingles.is_empty() {
            return vec![u8::MAX; m].into_boxed_slice();
        }
        // One permutation: the top 32 bits of the permuted value pick the bin, and each bin
        // keeps its smallest value. Values of different bins differ, so equal minima mean the
        // same shingle.
        // `u64::MAX` marks an empty bin (a shingle permuted to it alone would look the same,
        // which only makes that bin borrow: harmless and deterministic).
        let mut minima = vec![u64::MAX; m];
        for &x in shingles {
            let h = (x ^ self.salt).wrapping_mul(self.multiplier);
            let bin = &mut minima[fast_range((h >> 32) as u32, m)];
            *bin = (*bin).min(h);
        }
        // Optimal densification (Shrivastava 2017): an empty bin takes the minimum of the first
        // filled bin on its own seeded pseudo-random sequence of bins. Two articles walk the
        // same sequence, so the first bin filled in either decides, and the probability that
        // they agree stays their Jaccard similarity.
        (0..m)
            .map(|bin| {
                let min = match minima[bin] {
                    u64::MAX => minima[self.borrowed_bin(bin, &minima)],
                    min => min,
                };
                // The bits kept are a hash of the minimum *and the bin*: densified bins repeat
                // a few minima, and bits of the minimum alone would make the chance agreements
                // of two different minima repeat with them (see the module's comment).
                (splitmix64(min ^ (bin as u64).wrapping_mul(BIN_KEY)) >> 56) as u8
            })
            .collect()
    }

    /// The filled bin an empty `bin` borrows from. After `16 * bins` draws without a filled one
    /// (for a set with very few shingles) the next filled bin in order is taken, so the walk
    /// always ends; both rules depend only on `bin` and the filled bins.
    fn borrowed_bin(&self, bin: usize, minima: &[u64]) -> usize {
        let m = minima.len();
        let filled = |b: usize| minima[b] != u64::MAX;
        let start = self.densify ^ ((bin as u64) << 32);
        for attempt in 0..16 * m as u64 {
            let candidate = fast_range((splitmix64(start ^ attempt) >> 32) as u32, m);
            if filled(candidate) {
                return candidate;
            }
        }
        (1..m)
            .map(|step| (bin + step) % m)
            .find(|&b| filled(b))
            .unwrap_or(bin)
    }
}

/// Multiplier of a bin's position in the mix of its kept bits (odd, so positions stay apart).
const BIN_KEY: u64 = 0x9e37_79b9_7f4a_7c15;

/// Chance that two different 8-bit minima agree.
const CHANCE: f64 = 1.0 / 256.0;

/// Estimated Jaccard similarity: the share of positions where the signatures agree, less the
/// share expected by chance from 8-bit values, in `[0, 1]`.
pub fn jaccard(a: &[u8], b: &[u8]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    let share = equal as f64 / n as f64;
    ((share - CHANCE) / (1.0 - CHANCE)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(range: std::ops::Range<u64>) -> Vec<u64> {
        range.map(splitmix64).collect()
    }

    #[test]
    fn identical_sets_agree_everywhere() {
        let h = MinHasher::new(64, 1);
        let a = set(0..100);
        assert_eq!(jaccard(&h.signature(&a), &h.signature(&a)), 1.0);
    }

    #[test]
    fn estimate_tracks_true_jaccard() {
        let h = MinHasher::new(256, 9);
        // |A ∩ B| = 500, |A ∪ B| = 1500: J = 1/3.
        let est = jaccard(&h.signature(&set(0..1000)), &h.signature(&set(500..1500)));
        assert!((est - 1.0 / 3.0).abs() < 0.1, "estimate {est}");
        let disjoint = jaccard(&h.signature(&set(0..500)), &h.signature(&set(500..1000)));
        assert!(disjoint < 0.05, "estimate {disjoint}");
    }

    #[test]
    fn disjoint_sets_of_one_or_two_shingles_do_not_look_alike() {
        // Densification fills most bins of a tiny set from the same one or two minima. Were
        // the 8 bits kept of a minimum the same in every bin, two such sets whose minima
        // agreed in those bits by chance (1 in 256) would agree in every bin they share: an
        // estimate of 1 (or 1/2 for two shingles), and a false near copy at the default
        // threshold. (Short records are common in real scrapes: briefs, one-line items.)
        let h = MinHasher::new(128, 42);
        for size in [1u64, 2] {
            let mut worst = 0.0f64;
            for pair in 0..3000u64 {
                let a = set(pair * 10..pair * 10 + size);
                let b = set(1_000_000 + pair * 10..1_000_000 + pair * 10 + size);
                worst = worst.max(jaccard(&h.signature(&a), &h.signature(&b)));
            }
            assert!(worst < 0.2, "{size} shingles: worst estimate {worst}");
        }
    }

    #[test]
    fn seeds_give_different_permutations() {
        let a = set(0..50);
        assert_ne!(
            MinHasher::new(16, 1).signature(&a),
            MinHasher::new(16, 2).signature(&a)
        );
        assert_eq!(MinHasher::new(0, 1).len(), 1);
    }
}
