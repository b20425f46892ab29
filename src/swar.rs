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
}
