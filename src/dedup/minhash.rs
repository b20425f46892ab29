//! MinHash signatures: takes the distinct shingle hashes of an article, produces one minimum per
//! permutation, from which the Jaccard similarity of two articles is estimated as the share of
//! equal minima. Permutations are multiply-add hashes with seeded constants (no global state).
//!
//! Each minimum is stored in 16 bits (b-bit MinHash, Li and König 2010): the minimum is taken
//! over 64-bit values, then only a mix of it is kept. Two different minima collide with
//! probability 2^-16, which raises a Jaccard estimate by at most (1 - J) / 65536, while the
//! signature takes a quarter of the memory of 64-bit minima.

/// The seeded permutations of one configuration, built once and reused for every article.
#[derive(Debug, Clone)]
pub struct MinHasher {
    /// Odd multipliers and offsets of the permutations `x * a + b` (wrapping).
    params: Vec<(u64, u64)>,
}

/// SplitMix64 step: a well-mixed 64-bit value from a counter (used for constants and mixing).
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl MinHasher {
    /// Builds `num_perm` permutations (at least one) from `seed`.
    pub fn new(num_perm: usize, seed: u64) -> Self {
        let params = (0..num_perm.max(1) as u64)
            .map(|i| {
                let a = splitmix64(seed ^ splitmix64(2 * i)) | 1;
                let b = splitmix64(seed ^ splitmix64(2 * i + 1));
                (a, b)
            })
            .collect();
        MinHasher { params }
    }

    /// Number of permutations (the signature length).
    pub fn len(&self) -> usize {
        self.params.len()
    }

    /// Always false: a hasher has at least one permutation.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    /// The signature of a set of shingle hashes. An empty set gets all `u16::MAX`; callers keep
    /// such articles out of the comparison.
    pub fn signature(&self, shingles: &[u64]) -> Box<[u16]> {
        let mut minima = vec![u64::MAX; self.params.len()];
        for &x in shingles {
            for (m, &(a, b)) in minima.iter_mut().zip(&self.params) {
                let h = x.wrapping_mul(a).wrapping_add(b);
                if h < *m {
                    *m = h;
                }
            }
        }
        if shingles.is_empty() {
            return vec![u16::MAX; self.params.len()].into_boxed_slice();
        }
        minima
            .into_iter()
            .map(|m| (splitmix64(m) >> 48) as u16)
            .collect()
    }
}

/// Estimated Jaccard similarity: the share of positions where the signatures agree.
pub fn jaccard(a: &[u16], b: &[u16]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / n as f64
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
    fn seeds_give_different_permutations() {
        let a = set(0..50);
        assert_ne!(
            MinHasher::new(16, 1).signature(&a),
            MinHasher::new(16, 2).signature(&a)
        );
        assert_eq!(MinHasher::new(0, 1).len(), 1);
    }
}
