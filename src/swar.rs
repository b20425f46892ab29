//! Eight bytes at a time in a `u64` ("SIMD within a register"): the constants and masks the
//! ASCII fast paths of tokenizing, line features and dedup's word hashing share.

/// The byte 0x01 in every lane: multiplying a byte by it repeats the byte in every lane.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of every lane: set in a lane that holds a non-ASCII byte.
pub(crate) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// A mask of the low `n` bytes (`n` at most 8; all eight from 8 up).
#[inline]
pub(crate) fn low_bytes(n: usize) -> u64 {
    if n >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * n)) - 1
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

/// The classes of 64 bytes that line features count, one bit per byte (bit `j` = byte `j`). A
/// non-ASCII byte is in no ASCII class.
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

/// `Classes64` of `block`, sixteen bytes per step with SSE2 (part of every x86-64 processor):
/// a compare per class and one `pmovmskb` per mask, where the eight-byte words need several
/// operations per class and per mask. `safe_arch` wraps the intrinsics without `unsafe`.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
pub(crate) fn classes64(block: &[u8; 64]) -> Classes64 {
    use safe_arch::{
        add_i8_m128i, bitor_m128i, cmp_eq_mask_i8_m128i, cmp_gt_mask_i8_m128i, m128i,
        move_mask_i8_m128i, set_splat_i8_m128i,
    };
    // Lanes holding a byte in `lo..=hi` (bytes below 0x80): shifted so that the range starts
    // at i8::MIN, a signed compare tells the range apart.
    let range = |x: m128i, lo: u8, hi: u8| {
        let shifted = add_i8_m128i(x, set_splat_i8_m128i((-i32::from(lo) - 128) as i8));
        cmp_gt_mask_i8_m128i(
            set_splat_i8_m128i((i32::from(hi - lo) - 127) as i8),
            shifted,
        )
    };
    let bits = |m: m128i, k: usize| u64::from(move_mask_i8_m128i(m) as u16) << (16 * k);
    let mut out = Classes64::default();
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(chunk);
        let x = m128i::from(bytes);
        let digit = range(x, b'0', b'9');
        let upper = range(x, b'A', b'Z');
        let letter = range(bitor_m128i(x, set_splat_i8_m128i(0x20)), b'a', b'z');
        let eq = |b: u8| cmp_eq_mask_i8_m128i(x, set_splat_i8_m128i(b as i8));
        let sep = bitor_m128i(bitor_m128i(eq(b'/'), eq(b'>')), eq(b'|'));
        let space = bitor_m128i(range(x, b'\t', b'\r'), eq(b' '));
        out.non_ascii |= bits(x, k);
        out.space |= bits(space, k);
        out.alnum |= bits(bitor_m128i(letter, digit), k);
        out.upper |= bits(upper, k);
        out.digit |= bits(digit, k);
        out.sep |= bits(sep, k);
    }
    out
}

/// `classes64` eight bytes at a time (other targets; the tests compare the two).
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
pub(crate) fn classes64_words(block: &[u8; 64]) -> Classes64 {
    let mut out = Classes64::default();
    for (k, chunk) in block.chunks_exact(8).enumerate() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let raw = u64::from_le_bytes(bytes);
        // The ASCII classes of the ASCII lanes only: clearing the high bits keeps a byte from
        // carrying into the next.
        let x = raw & !HIGH_BITS;
        let ascii = !raw & HIGH_BITS;
        let digit = in_range(x, b'0', b'9') & ascii;
        let upper = in_range(x, b'A', b'Z') & ascii;
        let letter = in_range(x | bytes8(0x20), b'a', b'z') & ascii;
        let sep =
            (in_range(x, b'/', b'/') | in_range(x, b'>', b'>') | in_range(x, b'|', b'|')) & ascii;
        let space = (in_range(x, b'\t', b'\r') | in_range(x, b' ', b' ')) & ascii;
        let shift = 8 * k;
        let bits = |m: u64| u64::from(byte_mask(m)) << shift;
        out.non_ascii |= bits(raw & HIGH_BITS);
        out.alnum |= bits(letter | digit);
        out.upper |= bits(upper);
        out.digit |= bits(digit);
        out.sep |= bits(sep);
        out.space |= bits(space);
    }
    out
}

/// `classes64` on targets without SSE2.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
pub(crate) fn classes64(block: &[u8; 64]) -> Classes64 {
    classes64_words(block)
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
            proptest::prop_assert_eq!(classes64_words(&block), expected);
        }
    }

    #[test]
    fn every_byte_value_is_classed_as_defined() {
        for b in 0..=255u8 {
            let block = [b; 64];
            assert_eq!(classes64(&block), classes_by_byte(&block), "{b:#x}");
            assert_eq!(classes64_words(&block), classes_by_byte(&block), "{b:#x}");
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
