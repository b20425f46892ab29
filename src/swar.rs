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

#[cfg(test)]
mod tests {
    use super::*;

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
