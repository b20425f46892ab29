//! Shingles for deduplication: takes the canonical text of an article and its word hashes (see
//! `words`), produces the hash of the canonical text (exact copies) and the distinct hashes of
//! its word shingles (near and contained copies).

use super::minhash::splitmix64;
use super::words::word_hashes;
pub use super::words::{canonical_text, canonicalize};
use xxhash_rust::xxh3::xxh3_128_with_seed;

/// What fingerprinting needs from a text: its exact hash and its distinct shingle hashes.
#[derive(Debug, Clone, PartialEq)]
pub struct Shingled {
    /// xxh3-128 of the canonical text.
    pub exact: u128,
    /// Distinct word-shingle hashes, sorted ascending.
    pub shingles: Vec<u64>,
}

/// Hashes word shingles: the shingle of words `w0..wk` hashes to a mix of the polynomial
/// `w0*B^k + w1*B^(k-1) + … + wk` (wrapping) with a seeded odd base `B`. Word order matters,
/// and the next shingle's polynomial follows from the last one with two multiplies (a rolling
/// hash), so a shingle costs no more than a word. Built once per configuration.
#[derive(Debug, Clone)]
pub struct Shingler {
    size: usize,
    /// The odd base `B`.
    base: u64,
    /// `B^size`: the weight a word has when it leaves the window.
    leaving: u64,
}

impl Shingler {
    /// A shingler for shingles of `size` words (at least one).
    pub fn new(size: usize, seed: u64) -> Self {
        let size = size.max(1);
        let base = splitmix64(seed ^ 0x7368_696e_676c_6521) | 1;
        let leaving = (0..size).fold(1u64, |p, _| p.wrapping_mul(base));
        Shingler {
            size,
            base,
            leaving,
        }
    }

    /// Words per shingle.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Calls `f` with the hash of every shingle of `words`, in text order (repeats included).
    /// A text with fewer words than `size` has one shingle of all its words; a text without
    /// words has none.
    pub fn for_each(&self, words: &[u64], mut f: impl FnMut(u64)) {
        let first = words.len().min(self.size);
        if first == 0 {
            return;
        }
        let mut poly = words[..first]
            .iter()
            .fold(0u64, |p, &w| p.wrapping_mul(self.base).wrapping_add(w));
        f(splitmix64(poly));
        for (&leaving, &entering) in words.iter().zip(&words[first..]) {
            poly = poly
                .wrapping_mul(self.base)
                .wrapping_add(entering)
                .wrapping_sub(leaving.wrapping_mul(self.leaving));
            f(splitmix64(poly));
        }
    }

    /// The distinct shingle hashes of `words`, in order of first occurrence. Repeats are found
    /// with an open-addressing set sized for the text, not by sorting. The set's memory is kept
    /// by the thread from one text to the next and only the slots a text filled are cleared:
    /// zeroing a fresh table for every article wrote ~8 bytes of zeros per input byte.
    pub fn distinct(&self, words: &[u64]) -> Vec<u64> {
        SHINGLE_SET
            .try_with(|set| match set.try_borrow_mut() {
                Ok(mut set) => self.distinct_with(words, &mut set),
                Err(_) => self.distinct_with(words, &mut ShingleSet::default()),
            })
            .unwrap_or_else(|_| self.distinct_with(words, &mut ShingleSet::default()))
    }

    fn distinct_with(&self, words: &[u64], set: &mut ShingleSet) -> Vec<u64> {
        let positions = words.len().saturating_sub(self.size - 1).max(1);
        // At most a quarter full (few probes) while small, at most half full for huge texts.
        let slots = if positions <= 1 << 16 {
            4 * positions
        } else {
            2 * positions
        };
        let bits = slots.next_power_of_two().max(16).trailing_zeros();
        let mask = (1usize << bits) - 1;
        // 0 marks a free slot; the shingle hash 0 itself is tracked apart.
        if set.table.len() < 1 << bits {
            set.table.resize(1 << bits, 0);
        }
        let ShingleSet { table, filled } = set;
        let table = &mut table[..1 << bits];
        let mut has_zero = false;
        let mut out = Vec::with_capacity(positions);
        self.for_each(words, |x| {
            if x == 0 {
                if !has_zero {
                    has_zero = true;
                    out.push(0);
                }
                return;
            }
            let mut slot = (x >> (64 - bits)) as usize;
            loop {
                let t = table[slot];
                if t == x {
                    return;
                }
                if t == 0 {
                    table[slot] = x;
                    filled.push(slot);
                    out.push(x);
                    return;
                }
                slot = (slot + 1) & mask;
            }
        });
        for slot in filled.drain(..) {
            table[slot] = 0;
        }
        // One huge text must not leave its table to the thread for the rest of the run.
        if set.table.len() > SHINGLE_SET_KEPT {
            *set = ShingleSet::default();
        }
        out
    }
}

/// Largest shingle set (in slots, 8 bytes each) a thread keeps between texts.
const SHINGLE_SET_KEPT: usize = 1 << 18;

/// A thread's shingle set: an all-zero table between uses, and the slots a use filled.
#[derive(Default)]
struct ShingleSet {
    table: Vec<u64>,
    filled: Vec<usize>,
}

thread_local! {
    static SHINGLE_SET: std::cell::RefCell<ShingleSet> = std::cell::RefCell::new(ShingleSet::default());
}

/// Hashes the canonical text exactly and cuts it into word shingles of `size` words (words are
/// runs of alphanumeric characters, so punctuation never matters to shingles).
pub fn shingle(canonical: &str, size: usize, seed: u64) -> Shingled {
    let mut shingles = Shingler::new(size, seed).distinct(&word_hashes(canonical, seed));
    shingles.sort_unstable();
    Shingled {
        exact: exact_hash(canonical.as_bytes(), seed),
        shingles,
    }
}

/// Hash of the canonical text: equal texts, and only those, are exact copies.
pub fn exact_hash(canonical: &[u8], seed: u64) -> u128 {
    xxh3_128_with_seed(canonical, seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_reusing_its_shingle_set_gets_what_a_fresh_set_gives() {
        let shingler = Shingler::new(3, 7);
        let texts: Vec<Vec<u64>> = vec![
            (0..500).map(|i| i % 37).collect(),
            (0..40).collect(),
            vec![5, 5, 5, 5],
            (0..300_000).collect(),
            (0..500).map(|i| i % 37).collect(),
        ];
        for words in &texts {
            let fresh = shingler.distinct_with(words, &mut ShingleSet::default());
            assert_eq!(shingler.distinct(words), fresh);
        }
    }

    #[test]
    fn shingles_ignore_punctuation_and_count_distinct_windows() {
        let a = shingle("a b c, d e!", 3, 7);
        let b = shingle("a b c d e", 3, 7);
        assert_eq!(a.shingles, b.shingles);
        assert_ne!(a.exact, b.exact);
        assert_eq!(a.shingles.len(), 3);
        // Repeated windows count once.
        assert_eq!(shingle("x y x y x y", 2, 7).shingles.len(), 2);
    }

    #[test]
    fn rolling_hash_equals_the_polynomial_of_each_window() {
        let shingler = Shingler::new(4, 9);
        let words: Vec<u64> = (0..30).map(|i| splitmix64(i % 7)).collect();
        let direct = |window: &[u64]| {
            splitmix64(
                window
                    .iter()
                    .fold(0u64, |p, &w| p.wrapping_mul(shingler.base).wrapping_add(w)),
            )
        };
        let mut rolled = Vec::new();
        shingler.for_each(&words, |h| rolled.push(h));
        let expected: Vec<u64> = words.windows(4).map(direct).collect();
        assert_eq!(rolled, expected);
        // Word order matters.
        assert_ne!(
            direct(&words[0..4]),
            direct(&[words[1], words[0], words[2], words[3]])
        );
    }

    #[test]
    fn short_and_empty_texts() {
        assert_eq!(shingle("only two", 5, 1).shingles.len(), 1);
        assert!(shingle("-- ... !", 5, 1).shingles.is_empty());
    }

    #[test]
    fn seed_changes_hashes() {
        assert_ne!(
            shingle("a b c", 2, 1).shingles,
            shingle("a b c", 2, 2).shingles
        );
    }
}
