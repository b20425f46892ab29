//! Where a run's fingerprints wait for the dedup reduce: packed in blocks of `BLOCK` articles,
//! each block holding its signatures and sketches in one allocation apiece.
//!
//! The fingerprints are the part of a run's memory that grows with the corpus. Kept as one
//! `Fingerprint` per article (two small heap boxes each, in a vector that doubles), a large run
//! paid for the vector's spare capacity and for small long-lived allocations scattered among
//! the cleaning pass's short-lived ones, which keeps partly used allocator pages resident.
//! Packed blocks cost the bytes of the fingerprints and one partly filled block.

use super::Fingerprint;

/// Articles per block: large enough that a block's arrays are a few hundred kilobytes.
const BLOCK: usize = 4096;

/// Which variable-length parts of a fingerprint a store keeps; the fixed fields are always
/// kept. The reduce's steps each need one part, so it loads them one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// The MinHash signature (near copies).
    pub minhash: bool,
    /// How many of the bottom-k sketch's hashes (contained copies), from the smallest: 0 for
    /// none, `usize::MAX` for all.
    pub sketch: usize,
}

impl Parts {
    /// Signature and sketch.
    pub const ALL: Parts = Parts {
        minhash: true,
        sketch: usize::MAX,
    };
    /// Neither: the fixed fields only.
    pub const NONE: Parts = Parts {
        minhash: false,
        sketch: 0,
    };
    /// The signature only.
    pub const MINHASH: Parts = Parts {
        minhash: true,
        sketch: 0,
    };
    /// The sketch only.
    pub const SKETCH: Parts = Parts {
        minhash: false,
        sketch: usize::MAX,
    };

    /// These parts with the sketch cut to its `n` smallest hashes.
    pub const fn with_sketch_prefix(self, n: usize) -> Parts {
        Parts { sketch: n, ..self }
    }
}

/// A fingerprint as the reduce reads it: the fixed fields, and the signature and sketch
/// borrowed from the store.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FingerprintRef<'a> {
    /// Hash of the canonical body.
    pub exact: u128,
    /// Body length in bytes.
    pub body_len: u64,
    /// Publication date as `YYYYMMDD`, 0 when unknown.
    pub date: u32,
    /// Number of distinct shingles of the body.
    pub shingles: u32,
    /// MinHash signature.
    pub minhash: &'a [u8],
    /// Bottom-k sketch, ascending.
    pub sketch: &'a [u32],
}

/// The fixed fields of one fingerprint and where its signature and sketch are in its block.
#[derive(Debug, Clone, Copy)]
struct Head {
    exact: [u64; 2],
    body_len: u64,
    date: u32,
    shingles: u32,
    minhash_start: u32,
    sketch_start: u32,
    minhash_len: u32,
    sketch_len: u32,
}

#[derive(Debug, Default)]
struct Block {
    heads: Vec<Head>,
    minhash: Vec<u8>,
    sketch: Vec<u32>,
}

/// The fingerprints of a run in input order (index `i` is the `i`-th article pushed).
#[derive(Debug, Default)]
pub struct FingerprintStore {
    blocks: Vec<Block>,
    len: usize,
    /// The longest signature and sketch pushed so far: what a new block makes room for.
    minhash_width: usize,
    sketch_width: usize,
}

impl FingerprintStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `fp`.
    pub fn push(&mut self, fp: &Fingerprint) {
        self.push_parts(fp.as_ref(), Parts::ALL);
    }

    /// Appends `fp` with only the parts in `parts`; the others read back empty.
    pub fn push_parts(&mut self, fp: FingerprintRef<'_>, parts: Parts) {
        let minhash: &[u8] = if parts.minhash { fp.minhash } else { &[] };
        let sketch = &fp.sketch[..fp.sketch.len().min(parts.sketch)];
        self.minhash_width = self.minhash_width.max(minhash.len());
        self.sketch_width = self.sketch_width.max(sketch.len());
        let mut block = match self.blocks.pop() {
            Some(open) if open.heads.len() < BLOCK => open,
            full => {
                if let Some(mut full) = full {
                    // Short articles have short sketches: a full block gives back what it
                    // reserved and did not use.
                    full.minhash.shrink_to_fit();
                    full.sketch.shrink_to_fit();
                    self.blocks.push(full);
                }
                // Room for a block of the longest fingerprints seen, so it rarely grows.
                Block {
                    heads: Vec::with_capacity(BLOCK),
                    minhash: Vec::with_capacity(BLOCK * self.minhash_width),
                    sketch: Vec::with_capacity(BLOCK * self.sketch_width),
                }
            }
        };
        let exact = fp.exact;
        // Positions stay far within u32: a block holds BLOCK fingerprints, and signatures and
        // sketches are at most 4096 entries (the config's bound).
        block.heads.push(Head {
            exact: [exact as u64, (exact >> 64) as u64],
            body_len: fp.body_len,
            date: fp.date,
            shingles: fp.shingles,
            minhash_start: block.minhash.len() as u32,
            sketch_start: block.sketch.len() as u32,
            minhash_len: minhash.len() as u32,
            sketch_len: sketch.len() as u32,
        });
        block.minhash.extend_from_slice(minhash);
        block.sketch.extend_from_slice(sketch);
        self.blocks.push(block);
        self.len += 1;
    }

    /// Number of fingerprints held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no fingerprint is held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The `i`-th fingerprint. Panics when `i >= len()`, like a slice index.
    pub fn get(&self, i: usize) -> FingerprintRef<'_> {
        let block = &self.blocks[i / BLOCK];
        let h = &block.heads[i % BLOCK];
        let m = h.minhash_start as usize;
        let s = h.sketch_start as usize;
        FingerprintRef {
            exact: u128::from(h.exact[0]) | (u128::from(h.exact[1]) << 64),
            body_len: h.body_len,
            date: h.date,
            shingles: h.shingles,
            minhash: &block.minhash[m..m + h.minhash_len as usize],
            sketch: &block.sketch[s..s + h.sketch_len as usize],
        }
    }

    /// The fingerprints in order.
    pub fn iter(&self) -> impl Iterator<Item = FingerprintRef<'_>> + '_ {
        (0..self.len).map(|i| self.get(i))
    }

    /// Bytes held by the store's arrays (capacity, not length): what the fingerprints cost.
    pub fn heap_bytes(&self) -> usize {
        self.blocks
            .iter()
            .map(|b| {
                b.heads.capacity() * std::mem::size_of::<Head>()
                    + b.minhash.capacity()
                    + b.sketch.capacity() * 4
            })
            .sum::<usize>()
            + self.blocks.capacity() * std::mem::size_of::<Block>()
    }
}

impl Fingerprint {
    /// This fingerprint as the store hands it out.
    pub fn as_ref(&self) -> FingerprintRef<'_> {
        FingerprintRef {
            exact: self.exact,
            body_len: self.body_len,
            date: self.date,
            shingles: self.shingles,
            minhash: &self.minhash,
            sketch: &self.sketch,
        }
    }
}

impl<'a> FromIterator<&'a Fingerprint> for FingerprintStore {
    fn from_iter<I: IntoIterator<Item = &'a Fingerprint>>(iter: I) -> Self {
        let mut store = FingerprintStore::new();
        for fp in iter {
            store.push(fp);
        }
        store
    }
}

impl FromIterator<Fingerprint> for FingerprintStore {
    fn from_iter<I: IntoIterator<Item = Fingerprint>>(iter: I) -> Self {
        let mut store = FingerprintStore::new();
        for fp in iter {
            store.push(&fp);
        }
        store
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(i: usize) -> Fingerprint {
        Fingerprint {
            exact: (i as u128) << 70 | (i as u128 * 7),
            body_len: i as u64 * 3,
            date: 20_200_101 + i as u32,
            shingles: i as u32,
            minhash: (0..(i % 5) as u8).collect(),
            sketch: (0..(i % 3) as u32).map(|x| x * 1000 + i as u32).collect(),
        }
    }

    #[test]
    fn gives_back_what_was_pushed_across_blocks() {
        let n = 2 * BLOCK + 17;
        let owned: Vec<Fingerprint> = (0..n).map(fp).collect();
        let store: FingerprintStore = owned.iter().collect();
        assert_eq!(store.len(), n);
        for (i, f) in owned.iter().enumerate() {
            let r = store.get(i);
            assert_eq!(r.exact, f.exact, "{i}");
            assert_eq!(r.body_len, f.body_len);
            assert_eq!(r.date, f.date);
            assert_eq!(r.shingles, f.shingles);
            assert_eq!(r.minhash, &*f.minhash);
            assert_eq!(r.sketch, &*f.sketch);
        }
        assert_eq!(store.iter().count(), n);
    }

    #[test]
    fn a_fingerprint_costs_its_arrays_and_a_48_byte_head() {
        assert_eq!(std::mem::size_of::<Head>(), 48);
        let store: FingerprintStore = (0..BLOCK).map(|_| fp(4)).collect();
        let per_article = store.heap_bytes() as f64 / BLOCK as f64;
        assert!(per_article < 48.0 + 4.0 + 4.0 * 1.0 + 1.0, "{per_article}");
    }

    #[test]
    fn a_sealed_block_keeps_only_what_it_holds() {
        let mut store = FingerprintStore::new();
        // The first fingerprint has an empty signature and sketch, the others do not.
        store.push(&fp(0));
        for _ in 0..BLOCK {
            store.push(&fp(4));
        }
        let sealed = &store.blocks[0];
        assert_eq!(sealed.minhash.capacity(), sealed.minhash.len());
        assert_eq!(sealed.sketch.capacity(), sealed.sketch.len());
        assert_eq!(store.get(BLOCK).minhash, &*fp(4).minhash);
    }

    #[test]
    fn parts_left_out_read_back_empty_and_cost_nothing() {
        let n = BLOCK + 5;
        let mut store = FingerprintStore::new();
        for i in 0..n {
            let parts = match i % 4 {
                0 => Parts::MINHASH,
                1 => Parts::SKETCH,
                2 => Parts::MINHASH.with_sketch_prefix(1),
                _ => Parts::NONE,
            };
            store.push_parts(fp(i).as_ref(), parts);
        }
        for i in 0..n {
            let (r, f) = (store.get(i), fp(i));
            assert_eq!((r.exact, r.shingles), (f.exact, f.shingles));
            let minhash: &[u8] = if i % 4 == 0 || i % 4 == 2 {
                &f.minhash
            } else {
                &[]
            };
            let sketch: &[u32] = match i % 4 {
                1 => &f.sketch,
                2 => &f.sketch[..f.sketch.len().min(1)],
                _ => &[],
            };
            assert_eq!((r.minhash, r.sketch), (minhash, sketch), "{i}");
        }
        let heads_only: FingerprintStore = {
            let mut s = FingerprintStore::new();
            (0..BLOCK).for_each(|i| s.push_parts(fp(i).as_ref(), Parts::NONE));
            s
        };
        assert!(heads_only.heap_bytes() < BLOCK * (std::mem::size_of::<Head>() + 1));
    }

    #[test]
    #[should_panic]
    fn indexing_past_the_end_panics() {
        let store: FingerprintStore = (0..3).map(fp).collect();
        let _ = store.get(3);
    }
}
