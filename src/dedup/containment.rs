//! Containment of a shorter article in a longer one (a truncated teaser in the full text, an
//! original in its updated version). Each article keeps a bottom-k sketch: the k smallest of
//! its shingle hashes under one seeded hash. From two sketches the share of A's shingles found
//! in B is estimated without the texts: the shingles of A hashing below B's k-th smallest value
//! are a uniform sample of A, and B's sketch holds all of B's shingles in that range.
//!
//! Candidates come from an index of each article's `probe` smallest hashes: if A is (mostly)
//! inside B, A's smallest hashes are B's hashes too and small enough to be in B's sketch. Each
//! B looks its sketch up in that index, so the work is linear in articles times sketch size.
//! Hash values shared by more than `max_postings` articles (boilerplate phrases) are ignored.

use super::minhash::splitmix64;
use rayon::prelude::*;

/// The bottom-k sketch of a set of distinct shingle hashes: the `k` smallest 32-bit re-hashes,
/// distinct and sorted ascending. A set with fewer than `k` shingles is kept whole. Shingle
/// hashes must be well mixed: the re-hash is a seeded multiply-shift.
pub fn sketch(shingles: &[u64], k: usize, seed: u64) -> Box<[u32]> {
    let salt = splitmix64(seed ^ 0x636f_6e74);
    let multiplier = splitmix64(seed ^ 0x636f_6e75) | 1;
    let value = |x: u64| ((x ^ salt).wrapping_mul(multiplier) >> 32) as u32;
    let n = shingles.len();
    // The re-hashes are uniform, so the k smallest of n lie below about k/n of the range:
    // keep only the values under a cut with room to spare and sort those, not all n. Should
    // fewer than k distinct values pass (about one set in 200), all are sorted.
    if n > 2 * k {
        let expected = (k + k / 4 + 8) as u64;
        let cut = ((expected << 32) / n as u64).min(u64::from(u32::MAX));
        let mut values: Vec<u32> = Vec::with_capacity(2 * expected as usize);
        values.extend(
            shingles
                .iter()
                .map(|&x| value(x))
                .filter(|&v| u64::from(v) < cut),
        );
        values.sort_unstable();
        values.dedup();
        if values.len() >= k {
            values.truncate(k);
            return values.into_boxed_slice();
        }
    }
    let mut values: Vec<u32> = shingles.iter().map(|&x| value(x)).collect();
    values.sort_unstable();
    values.dedup();
    values.truncate(k);
    values.into_boxed_slice()
}

/// Estimated share of A's shingles that are also B's, from their sketches (`k` is the sketch
/// size both were built with). Returns `(estimate, samples)`; `samples` is how many of A's
/// hashes could be checked, so callers can refuse estimates resting on too few.
pub fn estimate(a: &[u32], b: &[u32], k: usize) -> (f64, usize) {
    let limit = if b.len() >= k {
        b.last().copied().unwrap_or(u32::MAX)
    } else {
        u32::MAX
    };
    let (mut samples, mut hits) = (0usize, 0usize);
    let mut j = 0;
    for &x in a.iter().take_while(|&&x| x <= limit) {
        samples += 1;
        while j < b.len() && b[j] < x {
            j += 1;
        }
        if j < b.len() && b[j] == x {
            hits += 1;
        }
    }
    if samples == 0 {
        return (0.0, 0);
    }
    (hits as f64 / samples as f64, samples)
}

/// Settings of the candidate search.
#[derive(Debug, Clone, Copy)]
pub struct ProbeParams {
    /// How many of each article's smallest hashes go into the index.
    pub probe: usize,
    /// How many of them a container's sketch must hold.
    pub min_shared: usize,
    /// Hash values in more articles' probes than this are ignored.
    pub max_postings: usize,
}

/// Candidate pairs `(a, b)`: article `a` may be contained in article `b` (indices into
/// `sketches`). Only articles with `may_be_contained[a]` are looked for; `a != b`. Sorted.
pub fn candidates(
    sketches: &[&[u32]],
    may_be_contained: &[bool],
    params: ProbeParams,
) -> Vec<(u32, u32)> {
    let search = ContainerSearch::new(sketches, may_be_contained, params);
    let mut pairs = search.search(sketches.len(), |b| (b as u32, sketches[b]));
    pairs.par_sort_unstable();
    pairs
}

/// The index `candidates` searches: each article's `probe` smallest hashes. Built from the
/// sketches' first `probe` hashes only, so a caller short of memory can build it from those and
/// then search the containers one at a time.
pub struct ContainerSearch {
    index: PostingIndex,
    /// Per article: how many of its hashes the index holds (its sketch's length, at most
    /// `probe`), which bounds how many a container can share.
    probe_lens: Vec<u16>,
    params: ProbeParams,
}

impl ContainerSearch {
    /// The index over the articles with `may_be_contained`; `sketches[a]` needs only its
    /// first `params.probe` hashes.
    pub fn new(sketches: &[&[u32]], may_be_contained: &[bool], params: ProbeParams) -> Self {
        let probe = params.probe.max(1);
        // Sized exactly: this is the largest array of the dedup reduce, and collecting it from
        // an iterator of unknown length could leave it with up to twice the room it needs.
        let may = |i: usize| may_be_contained.get(i).copied().unwrap_or(false);
        let total: usize = (0..sketches.len())
            .filter(|&i| may(i))
            .map(|i| sketches[i].len().min(probe))
            .sum();
        let mut entries: Vec<(u32, u32)> = Vec::with_capacity(total);
        for (i, s) in sketches.iter().enumerate().filter(|&(i, _)| may(i)) {
            entries.extend(s.iter().take(probe).map(|&h| (h, i as u32)));
        }
        entries.par_sort_unstable();
        ContainerSearch {
            index: PostingIndex::new(entries),
            // A sketch holds at most 4096 hashes (the config's bound).
            probe_lens: sketches
                .iter()
                .map(|s| s.len().min(probe).min(usize::from(u16::MAX)) as u16)
                .collect(),
            params,
        }
    }

    /// `contained_in` for `n` containers in parallel, `container(j)` giving the `j`-th's
    /// article and whole sketch. In no particular order.
    pub fn search<'a>(
        &self,
        n: usize,
        container: impl Fn(usize) -> (u32, &'a [u32]) + Sync,
    ) -> Vec<(u32, u32)> {
        (0..n)
            .into_par_iter()
            .flat_map_iter(|j| {
                let (b, sketch) = container(j);
                self.contained_in(b, sketch)
            })
            .collect()
    }

    /// The pairs `(a, b)` for the articles `a` that may be contained in article `b`, whose
    /// whole sketch is `sketch`: `a` shares at least `min_shared` of its indexed hashes with
    /// it (all of them when it has fewer). In no particular order.
    pub fn contained_in(&self, b: u32, sketch: &[u32]) -> Vec<(u32, u32)> {
        let min_shared = self.params.min_shared.max(1);
        SHARED.with_borrow_mut(|shared| {
            shared.count(
                sketch.iter().map(|&h| self.index.get(h)),
                self.params.max_postings,
            );
            shared.drain_into_pairs(b, |a| {
                let indexed = self.probe_lens.get(a as usize).copied().unwrap_or(0);
                min_shared.min(usize::from(indexed))
            })
        })
    }
}

thread_local! {
    /// Each worker's tally of shared hashes (see `SharedCounts`).
    static SHARED: std::cell::RefCell<SharedCounts> = std::cell::RefCell::default();
}

/// For one container at a time: how many of its sketch hashes each article has among its probe
/// hashes, in a counter per article (kept zeroed between containers) and the list of those
/// touched. Counting in place is linear in the postings read: the popular hashes a large
/// corpus has (up to `max_postings` articles each, read once per container holding them)
/// made sorting a list of them per container most of a 1 GB run's dedup reduce.
#[derive(Default)]
struct SharedCounts {
    counts: Vec<u16>,
    touched: Vec<u32>,
}

impl SharedCounts {
    /// Counts the articles of the posting lists of a container's hashes, skipping lists longer
    /// than `max_postings`.
    fn count<'a>(&mut self, lists: impl Iterator<Item = &'a [(u32, u32)]>, max_postings: usize) {
        for postings in lists.filter(|p| p.len() <= max_postings) {
            for &(_, a) in postings {
                let a = a as usize;
                if a >= self.counts.len() {
                    self.counts.resize(a + 1, 0);
                }
                if self.counts[a] == 0 {
                    self.touched.push(a as u32);
                }
                // A sketch holds at most 4096 distinct hashes, so a count never saturates.
                self.counts[a] = self.counts[a].saturating_add(1);
            }
        }
    }

    /// The pairs `(a, b)` for the counted articles `a` other than `b` that share at least
    /// `needed(a)` hashes with it; leaves every counter at zero.
    fn drain_into_pairs(&mut self, b: u32, needed: impl Fn(u32) -> usize) -> Vec<(u32, u32)> {
        let mut pairs = Vec::new();
        for a in self.touched.drain(..) {
            let shared = std::mem::take(&mut self.counts[a as usize]);
            if a != b && usize::from(shared) >= needed(a) {
                pairs.push((a, b));
            }
        }
        pairs
    }
}

/// Sorted `(hash, article)` entries with a directory on the top bits of the hash, so a lookup
/// is one array access and a short scan instead of a binary search over all entries.
struct PostingIndex {
    entries: Vec<(u32, u32)>,
    /// `starts[p]` is the first entry whose hash has prefix `p`; one extra end marker.
    starts: Vec<u32>,
    shift: u32,
}

impl PostingIndex {
    fn new(entries: Vec<(u32, u32)>) -> Self {
        let bits = (usize::BITS - entries.len().leading_zeros()).clamp(4, 24);
        let shift = 32 - bits;
        let mut starts = vec![0u32; (1usize << bits) + 1];
        for &(h, _) in &entries {
            starts[(h >> shift) as usize + 1] += 1;
        }
        for p in 1..starts.len() {
            starts[p] += starts[p - 1];
        }
        PostingIndex {
            entries,
            starts,
            shift,
        }
    }

    /// The entries with hash `h`.
    fn get(&self, h: u32) -> &[(u32, u32)] {
        let p = (h >> self.shift) as usize;
        let range = &self.entries[self.starts[p] as usize..self.starts[p + 1] as usize];
        let lo = range.partition_point(|e| e.0 < h);
        let hi = range.partition_point(|e| e.0 <= h);
        &range[lo..hi]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(range: std::ops::Range<u64>) -> Vec<u64> {
        range.map(splitmix64).collect()
    }

    #[test]
    fn sketch_keeps_k_smallest_sorted() {
        let s = sketch(&hashes(0..1000), 32, 5);
        assert_eq!(s.len(), 32);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(sketch(&hashes(0..10), 32, 5).len(), 10);
    }

    #[test]
    fn prefix_is_contained_and_disjoint_is_not() {
        let k = 64;
        let full = sketch(&hashes(0..1000), k, 1);
        let prefix = sketch(&hashes(0..400), k, 1);
        let other = sketch(&hashes(5000..5400), k, 1);
        let (c, n) = estimate(&prefix, &full, k);
        assert_eq!(c, 1.0);
        assert!(n >= 10, "samples {n}");
        assert_eq!(estimate(&other, &full, k).0, 0.0);
        // The full text is not contained in its prefix: at most 40% of it.
        assert!(estimate(&full, &prefix, k).0 < 0.6);
    }

    #[test]
    fn partial_overlap_is_estimated() {
        let k = 128;
        // A: 0..1000, B: 700..3000 → 30% of A is in B.
        let (c, _) = estimate(
            &sketch(&hashes(0..1000), k, 3),
            &sketch(&hashes(700..3000), k, 3),
            k,
        );
        assert!((c - 0.3).abs() < 0.2, "estimate {c}");
    }

    /// `candidates` as first written: each container's posting entries gathered and sorted.
    fn candidates_by_sorting(
        sketches: &[&[u32]],
        may_be_contained: &[bool],
        params: ProbeParams,
    ) -> Vec<(u32, u32)> {
        let probe = params.probe.max(1);
        let mut entries: Vec<(u32, u32)> = Vec::new();
        for (i, s) in sketches.iter().enumerate() {
            if may_be_contained[i] {
                entries.extend(s.iter().take(probe).map(|&h| (h, i as u32)));
            }
        }
        let mut pairs = Vec::new();
        for (b, s) in sketches.iter().enumerate() {
            let mut found: Vec<u32> = Vec::new();
            for &h in s.iter() {
                let postings: Vec<u32> = entries.iter().filter(|e| e.0 == h).map(|e| e.1).collect();
                if postings.len() <= params.max_postings {
                    found.extend(postings);
                }
            }
            found.sort_unstable();
            for run in found.chunk_by(|x, y| x == y) {
                let a = run[0];
                let needed = params
                    .min_shared
                    .max(1)
                    .min(sketches[a as usize].len().min(probe));
                if a as usize != b && run.len() >= needed {
                    pairs.push((a, b as u32));
                }
            }
        }
        pairs.sort_unstable();
        pairs
    }

    proptest::proptest! {
        #[test]
        fn candidates_match_the_sorting_search(
            // Sketches over a small range of values, so articles share many of them and
            // some values exceed the posting cap.
            sets in proptest::collection::vec(
                proptest::collection::btree_set(0u32..300, 0..40),
                1..40,
            ),
            may in proptest::collection::vec(proptest::bool::ANY, 40),
            probe in 1usize..8,
            min_shared in 0usize..4,
            max_postings in 1usize..12,
        ) {
            let owned: Vec<Vec<u32>> = sets.into_iter().map(|s| s.into_iter().collect()).collect();
            let sketches: Vec<&[u32]> = owned.iter().map(Vec::as_slice).collect();
            let may = &may[..sketches.len()];
            let params = ProbeParams { probe, min_shared, max_postings };
            proptest::prop_assert_eq!(
                candidates(&sketches, may, params),
                candidates_by_sorting(&sketches, may, params)
            );
        }
    }

    #[test]
    fn candidates_find_containers_only() {
        let k = 64;
        let full = sketch(&hashes(0..1000), k, 1);
        let part = sketch(&hashes(100..500), k, 1);
        let other = sketch(&hashes(9000..9500), k, 1);
        let sketches: Vec<&[u32]> = vec![&full, &part, &other];
        let params = ProbeParams {
            probe: 4,
            min_shared: 2,
            max_postings: 100,
        };
        let got = candidates(&sketches, &[true; 3], params);
        assert!(got.contains(&(1, 0)), "{got:?}");
        assert!(got.iter().all(|&(a, b)| a != 2 && b != 2));
        let none = candidates(&sketches, &[false, false, true], params);
        assert!(none.is_empty());
    }
}
