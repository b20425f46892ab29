//! The shape of a short word read eight bytes at a time (SWAR): whether it is all ASCII letters,
//! how many of them are uppercase and whether the first is, and its lowercase form packed in two
//! `u64`s, which is also its key in the lexicon's table of frequent words. Running text is mostly
//! short lowercase words, and a per-byte loop per question (letters? case? lowercase copy?)
//! costs more than the lookup it prepares. Takes bytes and a range; decides nothing.

use super::guards::CasePattern;
use crate::swar::{low_bytes, pack_le, HIGH_BITS, ONES};

/// Longest word (in bytes) that has a shape: its bytes and its length fit in 16 bytes.
pub const MAX_LEN: usize = 15;

/// The `n` (at most 8) bytes of `text` at `start`, packed as `pack_le` does: one load when
/// eight bytes are there to read, masked to `n`.
#[inline]
fn load(text: &[u8], start: usize, n: usize) -> u64 {
    match text.get(start..start + 8) {
        Some(&[a, b, c, d, e, f, g, h]) => {
            u64::from_le_bytes([a, b, c, d, e, f, g, h]) & low_bytes(n)
        }
        _ => text.get(start..start + n).map_or(0, pack_le),
    }
}

/// The key of a word of 1..=15 bytes: its bytes, zero-padded, with its length in the last byte.
#[inline]
pub fn key(word: &[u8]) -> Option<[u64; 2]> {
    let n = word.len();
    if n == 0 || n > MAX_LEN {
        return None;
    }
    let (lo, hi) = word.split_at(n.min(8));
    Some([pack_le(lo), pack_le(hi) | (n as u64) << 56])
}

/// The bytes of a key's word.
pub fn key_bytes(key: [u64; 2]) -> ([u8; 16], usize) {
    let mut out = [0u8; 16];
    let (lo, hi) = out.split_at_mut(8);
    lo.copy_from_slice(&key[0].to_le_bytes());
    hi.copy_from_slice(&key[1].to_le_bytes());
    let len = (key[1] >> 56) as usize;
    (out, len.min(MAX_LEN))
}

/// What eight bytes (the low `n` of `x`, the rest zero) are: `(not_letters, upper)`, where
/// `not_letters` has the top bit of every byte that is not an ASCII letter and `upper` of every
/// byte with bit 5 clear (an uppercase letter, when it is a letter).
#[inline]
fn classify(x: u64, n: usize) -> (u64, u64) {
    let valid = HIGH_BITS & low_bytes(n);
    if x & valid != 0 {
        // A byte outside ASCII.
        return (valid, 0);
    }
    // Bit 5 set: letters fold to 'a'..='z' (0x61..=0x7a); no sum below carries across bytes.
    let y = x | (ONES * 0x20);
    let below_a = !(y.wrapping_add(ONES * 0x1f)) & HIGH_BITS;
    let above_z = y.wrapping_add(ONES * 0x05) & HIGH_BITS;
    let upper = (!x << 2) & HIGH_BITS;
    ((below_a | above_z) & valid, upper & valid)
}

/// The shape of a word of 1..=15 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Length in bytes.
    pub len: usize,
    /// Every byte is an ASCII letter.
    pub letters: bool,
    /// The capitalisation, as `guards::case_pattern` gives it (meaningful when `letters`).
    pub case: CasePattern,
    /// The lexicon key of the lowercase form (meaningful when `letters`).
    pub lower_key: [u64; 2],
}

/// The shape of `text[range]`, if it has 1..=15 bytes.
#[inline(always)]
pub fn shape(text: &[u8], range: std::ops::Range<usize>) -> Option<Shape> {
    // Most words: at most eight bytes, with eight bytes to read from their start.
    let len = range.end.wrapping_sub(range.start);
    if (1..=8).contains(&len) && range.end <= text.len() {
        if let Some(&[a, b, c, d, e, f, g, h]) = text.get(range.start..range.start + 8) {
            let bytes_mask = u64::MAX >> (64 - 8 * len);
            let x = u64::from_le_bytes([a, b, c, d, e, f, g, h]) & bytes_mask;
            let valid = HIGH_BITS & bytes_mask;
            let (bad, upper) = classify(x, len);
            let case = if upper == 0 {
                CasePattern::Lower
            } else if upper == 0x80 {
                CasePattern::Capitalised
            } else if len >= 2 && upper == valid {
                CasePattern::AllCaps
            } else {
                CasePattern::Mixed
            };
            return Some(Shape {
                len,
                letters: bad == 0,
                case,
                lower_key: [x | ((ONES * 0x20) & bytes_mask), (len as u64) << 56],
            });
        }
    }
    shape_any(text, range)
}

/// `shape` for any length and position.
#[inline(never)]
fn shape_any(text: &[u8], range: std::ops::Range<usize>) -> Option<Shape> {
    let len = range.end.checked_sub(range.start)?;
    if len == 0 || len > MAX_LEN || range.end > text.len() {
        return None;
    }
    let lo_len = len.min(8);
    let hi_len = len - lo_len;
    let lo = load(text, range.start, lo_len);
    let hi = if hi_len == 0 {
        0
    } else {
        load(text, range.start + 8, hi_len)
    };
    let (lo_bad, lo_upper) = classify(lo, lo_len);
    let (hi_bad, hi_upper) = classify(hi, hi_len);
    // `guards::case_of` from the masks of uppercase letters, without counting them: none;
    // only the first; all of two or more; anything else.
    let case = if lo_upper | hi_upper == 0 {
        CasePattern::Lower
    } else if lo_upper == 0x80 && hi_upper == 0 {
        CasePattern::Capitalised
    } else if len >= 2
        && lo_upper == HIGH_BITS & low_bytes(lo_len)
        && hi_upper == HIGH_BITS & low_bytes(hi_len)
    {
        CasePattern::AllCaps
    } else {
        CasePattern::Mixed
    };
    let fold = ONES * 0x20;
    Some(Shape {
        len,
        letters: lo_bad | hi_bad == 0,
        case,
        lower_key: [
            (lo | fold) & low_bytes(lo_len),
            ((hi | fold) & low_bytes(hi_len)) | (len as u64) << 56,
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::super::guards::case_pattern;
    use super::*;

    #[test]
    fn shapes_match_the_byte_rules() {
        let text = "The teh THE iPhone a Zz A I Ab aB ABCDEFGHi ABCDEFGHIJ ABCDEFGHiJ Abcdefghijk \
                    abcdefghiJ x@y [a] `z{ AZaz@[`{ mid-word Élan naïve \
                    abcdefghijklmno abcdefghijklmnop ABCDEFGHIJKLMNO q1 ab\u{7f}c end";
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(text.match_indices(' ').map(|(i, _)| i + 1));
        for start in starts {
            let end = text[start..].find(' ').map_or(text.len(), |i| start + i);
            let word = &bytes[start..end];
            let got = shape(bytes, start..end);
            if word.is_empty() || word.len() > MAX_LEN {
                assert_eq!(got, None, "{:?}", &text[start..end]);
                continue;
            }
            let s = got.expect("short word has a shape");
            let letters = word.iter().all(u8::is_ascii_alphabetic);
            assert_eq!(s.letters, letters, "{:?}", &text[start..end]);
            if letters {
                let w = &text[start..end];
                assert_eq!(s.case, case_pattern(w), "{w:?}");
                assert_eq!(Some(s.lower_key), key(&word.to_ascii_lowercase()));
                let (buf, len) = key_bytes(s.lower_key);
                assert_eq!(&buf[..len], &word.to_ascii_lowercase()[..]);
            }
        }
    }

    #[test]
    fn every_byte_value_is_classified() {
        for b in 0..=255u8 {
            let word = [b'a', b, b'Z'];
            let s = shape(&word, 0..3).expect("three bytes");
            assert_eq!(s.letters, b.is_ascii_alphabetic(), "{b:#x}");
            let text = [b, b'x', b'y', b'z', b'w', b'v', b'u', b't', b's', b'r'];
            for n in 1..=text.len() {
                let s = shape(&text, 0..n).expect("short");
                assert_eq!(s.letters, b.is_ascii_alphabetic(), "{b:#x} {n}");
            }
        }
    }

    #[test]
    fn keys_pack_every_length() {
        let word = b"abcdefghijklmnopqrstuvwxyz";
        for n in 0..=word.len() {
            let w = &word[..n];
            if n == 0 || n > MAX_LEN {
                assert_eq!(key(w), None);
                continue;
            }
            let mut expected = [0u8; 16];
            expected[..n].copy_from_slice(w);
            expected[15] = n as u8;
            let lo = u64::from_le_bytes(expected[..8].try_into().expect("8 bytes"));
            let hi = u64::from_le_bytes(expected[8..].try_into().expect("8 bytes"));
            assert_eq!(key(w), Some([lo, hi]), "{n}");
            let padded = [w, b"XYZXYZXYZXYZXYZXYZ"].concat();
            let upper = padded.to_ascii_uppercase();
            let s = shape(&upper, 0..n).expect("short");
            assert_eq!(Some(s.lower_key), key(w), "{n}");
        }
    }
}
