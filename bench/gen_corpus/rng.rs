//! A small seeded PRNG (splitmix64): fast, good enough for synthetic text, and no new crate.
//! Every random choice of the generator comes from an `Rng` derived from (seed, keys), so a
//! document's content is a pure function of its position, whatever the thread count.

/// The splitmix64 finalizer: a strong 64-bit mixer.
pub fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A splitmix64 generator.
pub struct Rng(u64);

impl Rng {
    /// A generator for the stream named by (`seed`, `a`, `b`).
    pub fn derive(seed: u64, a: u64, b: u64) -> Rng {
        Rng(mix(seed
            ^ mix(a.wrapping_add(0x9e37_79b9_7f4a_7c15))
            ^ mix(b).rotate_left(17)))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// A uniform integer in `0..n` (`n` > 0, below 2^32).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// A uniform integer in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) * (1.0 / (1u64 << 53) as f64) < p
    }

    /// A uniformly chosen element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}
