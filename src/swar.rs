//! Eight bytes at a time in a `u64` ("SIMD within a register"): the constants and masks the
//! ASCII fast paths of tokenizing, line features and dedup's word hashing share; and 64-byte
//! blocks asked for their byte classes as bit masks (`ByteClasses`), sixteen bytes per SSE2
//! compare where the target has it, which the scans that read every byte use.

/// The byte 0x01 in every lane: multiplying a byte by it repeats the byte in every lane.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of every lane: set in a lane that holds a non-ASCII byte.
pub(crate) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The masks of the low 0..=8 bytes.
const LOW_BYTES: [u64; 9] = {
    let mut masks = [u64::MAX; 9];
    let mut n = 0;
    while n < 8 {
        masks[n] = (1u64 << (8 * n)) - 1;
        n += 1;
    }
    masks
};

/// A mask of the low `n` bytes (all eight from 8 up). A table: word lookups take two of these
/// per word, and the compare-and-shift was a measurable share of them.
#[inline]
pub(crate) fn low_bytes(n: usize) -> u64 {
    LOW_BYTES[n.min(8)]
}

/// Up to eight bytes packed little-endian into the low bytes of a `u64` (the rest zero),
/// with a few overlapping loads instead of a byte loop or a `memcpy` call.
#[inline]
pub(crate) fn pack_le(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    match n {
        0 => 0,
        1..=3 => {
            let (a, b, c) = (bytes[0], bytes[n / 2], bytes[n - 1]);
            u64::from(a) | u64::from(b) << (8 * (n / 2)) | u64::from(c) << (8 * (n - 1))
        }
        _ => {
            let n = n.min(8);
            let a = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            let b = u32::from_le_bytes([bytes[n - 4], bytes[n - 3], bytes[n - 2], bytes[n - 1]]);
            u64::from(a) | u64::from(b) << (8 * (n - 4))
        }
    }
}

/// Eight bytes, each `b`.
pub(crate) const fn bytes8(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// For eight ASCII bytes in `x`: 0x80 in each byte within `lo..=hi`, 0 elsewhere. No byte
/// carries into the next because every byte of `x` is below 0x80.
#[inline]
pub(crate) fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = x.wrapping_add(bytes8(0x80 - lo));
    let above_hi = x.wrapping_add(bytes8(0x7f - hi));
    at_least_lo & !above_hi & HIGH_BITS
}

/// The high bits of the eight bytes of `m` as one byte (bit `j` = byte `j`).
#[inline]
pub(crate) fn byte_mask(m: u64) -> u32 {
    let mut x = (m & HIGH_BITS) >> 7;
    x |= x >> 7;
    x |= x >> 14;
    x |= x >> 28;
    (x & 0xff) as u32
}

/// Bits `from..to` of a 64-bit mask (`from <= to <= 64`): the bytes of a 64-byte block
/// between two positions.
#[inline]
pub(crate) fn bits_between(from: usize, to: usize) -> u64 {
    let below = |n: usize| if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    below(to) & !below(from)
}

/// The 64 bytes of `bytes` from `at`, if there are that many.
#[inline]
pub(crate) fn block_at(bytes: &[u8], at: usize) -> Option<Block64> {
    let block: &[u8; 64] = bytes.get(at..at + 64)?.try_into().ok()?;
    Some(Block64::load(block))
}

/// `block_at`, when the 64 bytes are all ASCII.
#[inline]
pub(crate) fn ascii_block_at(bytes: &[u8], at: usize) -> Option<Block64> {
    block_at(bytes, at).filter(|block| block.non_ascii() == 0)
}

/// The edges of the runs of set bits in `mask` (the bytes of a block that belong to a class),
/// in order: `(j, true)` where a run starts at byte `j`, `(j, false)` where the run before
/// byte `j` ends. `open`: a run is open from the block before (its bytes continue it).
pub(crate) fn run_edges(mask: u64, open: bool) -> impl Iterator<Item = (usize, bool)> {
    let mut edges = mask ^ ((mask << 1) | u64::from(open));
    std::iter::from_fn(move || {
        if edges == 0 {
            return None;
        }
        let j = edges.trailing_zeros() as usize;
        edges &= edges - 1;
        Some((j, mask >> j & 1 != 0))
    })
}

/// 64 bytes asked which of them belong to a class, one bit per byte in each answer (bit `j` =
/// byte `j`). Ranges are of ASCII bytes (`lo <= hi < 0x80`); a non-ASCII byte is in none.
pub(crate) trait ByteClasses: Sized {
    /// The block of bytes.
    fn load(block: &[u8; 64]) -> Self;
    /// The same bytes with bit 5 set: ASCII capitals become small letters, no other byte
    /// becomes a letter.
    fn folded(&self) -> Self;
    /// Bytes 0x80 and up.
    fn non_ascii(&self) -> u64;
    /// Bytes in `lo..=hi`.
    fn in_range(&self, lo: u8, hi: u8) -> u64;
    /// Bytes equal to `b` (ASCII).
    fn eq(&self, b: u8) -> u64 {
        self.in_range(b, b)
    }
}

/// `ByteClasses` sixteen bytes per step with SSE2 (part of every x86-64 processor): one
/// compare per class and one `pmovmskb` per answer, where eight-byte words need several
/// operations for each. `safe_arch` wraps the intrinsics without `unsafe`.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[derive(Clone, Copy)]
pub(crate) struct Sse2Block([safe_arch::m128i; 4]);

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
impl Sse2Block {
    fn bits(lanes: [safe_arch::m128i; 4]) -> u64 {
        lanes.iter().enumerate().fold(0, |m, (k, &v)| {
            m | u64::from(safe_arch::move_mask_i8_m128i(v) as u16) << (16 * k)
        })
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
impl ByteClasses for Sse2Block {
    #[inline]
    fn load(block: &[u8; 64]) -> Self {
        Sse2Block(std::array::from_fn(|k| {
            let mut bytes = [0u8; 16];
            bytes.copy_from_slice(&block[16 * k..16 * k + 16]);
            safe_arch::m128i::from(bytes)
        }))
    }

    #[inline]
    fn folded(&self) -> Self {
        let bit5 = safe_arch::set_splat_i8_m128i(0x20);
        Sse2Block(self.0.map(|v| safe_arch::bitor_m128i(v, bit5)))
    }

    #[inline]
    fn non_ascii(&self) -> u64 {
        Self::bits(self.0)
    }

    #[inline]
    fn in_range(&self, lo: u8, hi: u8) -> u64 {
        use safe_arch::{add_i8_m128i, cmp_gt_mask_i8_m128i, set_splat_i8_m128i};
        debug_assert!(lo <= hi && hi < 0x80);
        // Shifted so that the range starts at i8::MIN, one signed compare tells it apart; the
        // shift wraps, so every byte outside the range lands above it.
        let shift = set_splat_i8_m128i((-i32::from(lo) - 128) as i8);
        let top = set_splat_i8_m128i((i32::from(hi - lo) - 127) as i8);
        Self::bits(
            self.0
                .map(|v| cmp_gt_mask_i8_m128i(top, add_i8_m128i(v, shift))),
        )
    }

    #[inline]
    fn eq(&self, b: u8) -> u64 {
        let splat = safe_arch::set_splat_i8_m128i(b as i8);
        Self::bits(self.0.map(|v| safe_arch::cmp_eq_mask_i8_m128i(v, splat)))
    }
}

/// `ByteClasses` eight bytes per step in `u64` words (other targets; the tests compare it with
/// the SSE2 one).
#[derive(Clone, Copy)]
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
pub(crate) struct WordBlock([u64; 8]);

impl ByteClasses for WordBlock {
    #[inline]
    fn load(block: &[u8; 64]) -> Self {
        WordBlock(std::array::from_fn(|k| {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&block[8 * k..8 * k + 8]);
            u64::from_le_bytes(bytes)
        }))
    }

    #[inline]
    fn folded(&self) -> Self {
        WordBlock(self.0.map(|w| w | bytes8(0x20)))
    }

    #[inline]
    fn non_ascii(&self) -> u64 {
        self.0.iter().enumerate().fold(0, |m, (k, &w)| {
            m | u64::from(byte_mask(w & HIGH_BITS)) << (8 * k)
        })
    }

    #[inline]
    fn in_range(&self, lo: u8, hi: u8) -> u64 {
        debug_assert!(lo <= hi && hi < 0x80);
        self.0.iter().enumerate().fold(0, |m, (k, &w)| {
            // Clearing the high bits keeps a byte from carrying into the next; the lanes that
            // had one are no ASCII byte.
            let lanes = in_range(w & !HIGH_BITS, lo, hi) & !w & HIGH_BITS;
            m | u64::from(byte_mask(lanes)) << (8 * k)
        })
    }
}

/// The block type of this target.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
pub(crate) type Block64 = Sse2Block;
/// The block type of this target.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
pub(crate) type Block64 = WordBlock;

/// The classes of 64 bytes that line features and word counts read (see `ByteClasses`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Classes64 {
    /// Bytes 0x80 and up.
    pub(crate) non_ascii: u64,
    /// ASCII letters and digits.
    pub(crate) alnum: u64,
    /// ASCII capitals.
    pub(crate) upper: u64,
    /// ASCII digits.
    pub(crate) digit: u64,
    /// Menu separators `/`, `>` and `|`.
    pub(crate) sep: u64,
    /// ASCII whitespace as `char::is_whitespace` has it: tab, LF, VT, FF, CR and space.
    pub(crate) space: u64,
}

impl Classes64 {
    /// The classes of `block`, with the block type `B`.
    #[inline]
    fn of<B: ByteClasses>(block: &[u8; 64]) -> Classes64 {
        let b = B::load(block);
        let digit = b.in_range(b'0', b'9');
        Classes64 {
            non_ascii: b.non_ascii(),
            alnum: b.folded().in_range(b'a', b'z') | digit,
            upper: b.in_range(b'A', b'Z'),
            digit,
            sep: b.eq(b'/') | b.eq(b'>') | b.eq(b'|'),
            space: b.in_range(b'\t', b'\r') | b.eq(b' '),
        }
    }
}

/// `Classes64` of `block`.
#[inline]
pub(crate) fn classes64(block: &[u8; 64]) -> Classes64 {
    Classes64::of::<Block64>(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classes one byte at a time, from their definitions.
    fn classes_by_byte(block: &[u8; 64]) -> Classes64 {
        let mut out = Classes64::default();
        for (j, &b) in block.iter().enumerate() {
            let bit = 1u64 << j;
            if b >= 0x80 {
                out.non_ascii |= bit;
                continue;
            }
            if b.is_ascii_alphanumeric() {
                out.alnum |= bit;
            }
            if b.is_ascii_uppercase() {
                out.upper |= bit;
            }
            if b.is_ascii_digit() {
                out.digit |= bit;
            }
            if matches!(b, b'/' | b'>' | b'|') {
                out.sep |= bit;
            }
            if char::from(b).is_whitespace() {
                out.space |= bit;
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn classes_match_their_definitions(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 64),
            ascii_only in proptest::prelude::any::<bool>(),
        ) {
            let mut block = [0u8; 64];
            block.copy_from_slice(&bytes);
            if ascii_only {
                block.iter_mut().for_each(|b| *b &= 0x7f);
            }
            let expected = classes_by_byte(&block);
            proptest::prop_assert_eq!(classes64(&block), expected);
            proptest::prop_assert_eq!(Classes64::of::<WordBlock>(&block), expected);
        }
    }

    #[test]
    fn every_byte_value_is_classed_as_defined() {
        for b in 0..=255u8 {
            let block = [b; 64];
            assert_eq!(classes64(&block), classes_by_byte(&block), "{b:#x}");
            assert_eq!(
                Classes64::of::<WordBlock>(&block),
                classes_by_byte(&block),
                "{b:#x}"
            );
        }
    }

    #[test]
    fn masks() {
        assert_eq!(low_bytes(0), 0);
        assert_eq!(low_bytes(3), 0xFF_FFFF);
        assert_eq!(low_bytes(8), u64::MAX);
        assert_eq!(low_bytes(12), u64::MAX);
        assert_eq!(ONES * 0x80, HIGH_BITS);
    }

    #[test]
    fn ranges_and_masks_by_lane() {
        for lo in 0u8..0x80 {
            for hi in lo..0x80 {
                let x = u64::from_le_bytes([0, 9, 13, 32, b'A', b'z', 0x7e, 0x7f]);
                let expected = x
                    .to_le_bytes()
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| (lo..=hi).contains(b))
                    .fold(0u32, |m, (j, _)| m | 1 << j);
                assert_eq!(byte_mask(in_range(x, lo, hi)), expected, "{lo}..={hi}");
            }
        }
    }
}
