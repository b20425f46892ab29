//! Canonical text and word hashes: takes an article body (its paragraphs), produces its
//! canonical form (for the exact hash) and the hash of every word in it (for shingles), in one
//! scan. The canonical form only serves comparison and is never written out: it folds case,
//! Unicode compatibility forms (NFKC, so NFD/NFC variants and NBSP match), quote, dash and
//! ellipsis variants, and collapses all whitespace, paragraph breaks included. Words are the
//! runs of alphanumeric characters of the canonical form, so punctuation never matters to them.
//!
//! Most text is ASCII, which is already in NFKC: ASCII is handled eight bytes at a time (word
//! runs found and lowered with word-wide bit operations), and only the segments around non-ASCII
//! characters go through the Unicode normalizer. Nothing is allocated per word.

use super::minhash::splitmix64;
use crate::swar::{
    ascii_block_at, bits_between, in_range, pack_le, run_edges, ByteClasses, HIGH_BITS as HIGH,
};
use unicode_normalization::UnicodeNormalization;

/// Maps one character of NFKC text to its canonical replacement: curly and angled quotes to
/// straight ones, dash variants to `-`. Other characters are returned unchanged.
fn fold_punctuation(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' | '\u{b4}' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}' | '\u{bb}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' => '-',
        other => other,
    }
}

/// Whitespace for the canonical form: Unicode white space plus the zero-width BOM and space.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

/// Multipliers of the word hash.
const WORD_LEN: u64 = 0x9e37_79b9_7f4a_7c15;
const WORD_MUL: u64 = 0xff51_afd7_ed55_8ccd;

/// One step of the word hash: folds eight bytes (little-endian, zero-padded) into the state.
#[inline]
fn word_step(state: u64, chunk: u64) -> u64 {
    let h = (state ^ chunk).wrapping_mul(WORD_MUL);
    h ^ (h >> 29)
}

/// The hash of one word of the canonical text: its bytes eight at a time through a seeded
/// chain of bijections, then a final mix. Words of up to eight bytes never collide.
pub fn word_hash(word: &[u8], seed: u64) -> u64 {
    let mut state = seed ^ (word.len() as u64).wrapping_mul(WORD_LEN);
    let mut chunks = word.chunks_exact(8);
    for chunk in &mut chunks {
        if let Ok(chunk) = <[u8; 8]>::try_from(chunk) {
            state = word_step(state, u64::from_le_bytes(chunk));
        }
    }
    // The last, short chunk zero-padded, by loads rather than a `memcpy` call of its length
    // (this runs once per word of every article).
    let rest = chunks.remainder();
    if !rest.is_empty() {
        state = word_step(state, pack_le(rest));
    }
    splitmix64(state)
}

/// `word_hash` of a word of `len` bytes (1 to 8) given as a zero-padded little-endian word.
#[inline]
fn short_word_hash(bytes: u64, len: usize, seed: u64) -> u64 {
    splitmix64(word_step(seed ^ (len as u64).wrapping_mul(WORD_LEN), bytes))
}

/// Hashes of the words of a canonical text, as `canonicalize` computes them.
pub fn word_hashes(canonical: &str, seed: u64) -> Vec<u64> {
    canonical
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| word_hash(w.as_bytes(), seed))
        .collect()
}

/// What an ASCII byte does in the canonical form.
#[derive(Clone, Copy, PartialEq)]
enum Ascii {
    /// A word character (`a-z`, `A-Z` lowered, `0-9`).
    Word,
    /// White space: collapsed into one pending space.
    Space,
    /// `-`: runs collapse to one.
    Dash,
    /// `` ` ``: folded to `'`.
    Backtick,
    /// Any other ASCII character: kept, and ends a word.
    Other,
}

/// The class of every ASCII byte, so the byte loop does one table look-up per byte.
const ASCII_CLASS: [Ascii; 128] = {
    let mut t = [Ascii::Other; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => Ascii::Word,
            // `char::is_whitespace` in ASCII: tab, LF, VT, FF, CR and space.
            b'\t'..=b'\r' | b' ' => Ascii::Space,
            b'-' => Ascii::Dash,
            b'`' => Ascii::Backtick,
            _ => Ascii::Other,
        };
        b += 1;
    }
    t
};

// Eight bytes at a time (SWAR, `crate::swar`), in a `u64` whose bytes are all below 0x80, so
// that adding up to 0x80 to each byte never carries into the next.

/// The eight bytes from `bytes[i]` as a little-endian word, if they are ASCII and the byte
/// after them is ASCII too (or the end): then none of them can compose with what follows.
#[inline]
fn ascii_chunk(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(i..i + 8)?.try_into().ok()?;
    let x = u64::from_le_bytes(chunk);
    (x & HIGH == 0 && bytes.get(i + 8).is_none_or(|&n| n < 0x80)).then_some(x)
}

/// Builds the canonical text and, on the way, the hash of every word in it.
struct Canonicalizer<'a> {
    out: &'a mut Vec<u8>,
    words: &'a mut Vec<u64>,
    seed: u64,
    /// Byte offset in `out` where the current word started, if inside one.
    word_start: Option<usize>,
    pending_space: bool,
}

impl Canonicalizer<'_> {
    /// Closes the current word, if any, at the end of `out`.
    #[inline]
    fn end_word(&mut self) {
        if let Some(start) = self.word_start.take() {
            self.words.push(word_hash(&self.out[start..], self.seed));
        }
    }

    /// Writes the pending space (collapsed white space), if any.
    #[inline]
    fn flush_space(&mut self) {
        if self.pending_space {
            self.end_word();
            self.out.push(b' ');
            self.pending_space = false;
        }
    }

    /// Adds one paragraph: the ASCII bytes directly, the rest through NFKC.
    fn paragraph(&mut self, paragraph: &str) {
        self.pending_space = !self.out.is_empty();
        let bytes = paragraph.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Fastest path: a plain block of 64 ASCII bytes.
            if let Some(next) = self.plain_block(bytes, i) {
                i = next;
                continue;
            }
            // Fast path: eight ASCII bytes from `i`, and an ASCII byte (or the end) after them.
            if let Some(x) = ascii_chunk(bytes, i) {
                i = match self.ascii_word(x, i) {
                    Some(next) => next,
                    None => {
                        self.ascii_byte(bytes[i]);
                        i + 1
                    }
                };
                continue;
            }
            let b = bytes[i];
            // An ASCII character may compose with combining marks after it (`e` + U+0301), so
            // one followed by a non-ASCII byte starts a segment that goes through NFKC. A
            // segment ends before the next ASCII byte: ASCII characters are starters that
            // never compose with what precedes them, so NFKC of the parts equals NFKC of the
            // whole.
            if b >= 0x80 || bytes.get(i + 1).is_some_and(|&n| n >= 0x80) {
                let end = bytes[i + 1..]
                    .iter()
                    .position(|&n| n < 0x80)
                    .map_or(bytes.len(), |p| i + 1 + p);
                self.non_ascii(&paragraph[i..end]);
                i = end;
            } else if ASCII_CLASS[usize::from(b)] == Ascii::Word {
                i = self.word_run(bytes, i);
            } else {
                self.ascii_byte(b);
                i += 1;
            }
        }
    }

    /// Adds the 64 bytes from `bytes[i]` in one go when they are plain: ASCII, followed by an
    /// ASCII byte (or the end), with no whitespace but single spaces and no `-` or `` ` ``,
    /// and no space where one is already pending or nothing is written yet. Then the canonical
    /// form of the block is the block lowercased (a final space left pending), and its words
    /// are the runs of word bytes in it, found from one mask; returns where the block ends.
    fn plain_block(&mut self, bytes: &[u8], i: usize) -> Option<usize> {
        let block = ascii_block_at(bytes, i)?;
        if bytes.get(i + 64).is_some_and(|&n| n >= 0x80) {
            return None;
        }
        let space = block.eq(b' ');
        let odd =
            block.in_range(b'\t', b'\r') | block.eq(b'-') | block.eq(b'`') | space & (space << 1);
        if odd != 0 || (space & 1 != 0 && (self.pending_space || self.out.is_empty())) {
            return None;
        }
        let word = block.folded().in_range(b'a', b'z') | block.in_range(b'0', b'9');
        // A final space is left pending, as the byte path leaves it.
        let len = if space >> 63 != 0 { 63 } else { 64 };
        // A word open from before ends at the block's first non-word byte (its first edge).
        self.flush_space();
        let base = self.out.len();
        self.out.extend_from_slice(bytes.get(i..i + len)?);
        if let Some(written) = self.out.get_mut(base..) {
            written.make_ascii_lowercase();
        }
        for (j, starts) in run_edges(word & bits_between(0, len), self.word_start.is_some()) {
            if starts {
                self.word_start = Some(base + j);
            } else if let Some(start) = self.word_start.take() {
                let w = self.out.get(start..base + j).unwrap_or_default();
                self.words.push(word_hash(w, self.seed));
            }
        }
        self.pending_space |= len == 63;
        Some(i + 64)
    }

    /// Adds an ASCII byte that is not a word byte (and is not followed by a non-ASCII byte).
    #[inline]
    fn ascii_byte(&mut self, b: u8) {
        match ASCII_CLASS[usize::from(b & 0x7f)] {
            Ascii::Space => self.pending_space = !self.out.is_empty(),
            Ascii::Dash => {
                if self.pending_space || self.out.last() != Some(&b'-') {
                    self.flush_space();
                    self.end_word();
                    self.out.push(b'-');
                }
            }
            Ascii::Backtick => {
                self.flush_space();
                self.end_word();
                self.out.push(b'\'');
            }
            Ascii::Word | Ascii::Other => {
                self.flush_space();
                self.end_word();
                self.out.push(b);
            }
        }
    }

    /// The word run at the start of `x` (eight ASCII bytes from `bytes[i]`, followed by an
    /// ASCII byte or the end), if `bytes[i]` is a word byte; returns where the run stops.
    #[inline]
    fn ascii_word(&mut self, x: u64, i: usize) -> Option<usize> {
        let lower = x | (in_range(x, b'A', b'Z') >> 2);
        let word = in_range(lower, b'a', b'z') | in_range(x, b'0', b'9');
        if word & 0x80 == 0 {
            return None;
        }
        self.flush_space();
        // Bytes from `i` up to the first that is not a word byte.
        let len = ((!word & HIGH).trailing_zeros() / 8) as usize;
        let start = self.out.len();
        self.out.extend_from_slice(&lower.to_le_bytes());
        self.out.truncate(start + len);
        if len == 8 || self.word_start.is_some() {
            self.word_start.get_or_insert(start);
            return Some(i + len);
        }
        // A whole word: the byte after it is ASCII and not a word byte.
        let mask = (1u64 << (8 * len)) - 1;
        self.words
            .push(short_word_hash(lower & mask, len, self.seed));
        // The common separator, one space, is taken here too.
        if (x >> (8 * len)) & 0xff == u64::from(b' ') {
            self.pending_space = true;
            return Some(i + len + 1);
        }
        Some(i + len)
    }

    /// Adds the run of ASCII word bytes starting at `bytes[i]` (an ASCII word byte followed by
    /// an ASCII byte) byte by byte; returns where the run stops. The last byte of a run
    /// followed by a non-ASCII byte is left to the NFKC segment.
    fn word_run(&mut self, bytes: &[u8], i: usize) -> usize {
        self.flush_space();
        let mut end = i + 1;
        while bytes
            .get(end)
            .is_some_and(|&n| n < 0x80 && ASCII_CLASS[usize::from(n)] == Ascii::Word)
        {
            end += 1;
        }
        if bytes.get(end).is_some_and(|&n| n >= 0x80) {
            end -= 1;
        }
        if self.word_start.is_none() {
            self.word_start = Some(self.out.len());
        }
        self.out
            .extend(bytes[i..end].iter().map(u8::to_ascii_lowercase));
        end
    }

    /// Adds a segment with non-ASCII characters, character by character after NFKC.
    fn non_ascii(&mut self, segment: &str) {
        let mut utf8 = [0u8; 4];
        for c in segment.nfkc().map(fold_punctuation) {
            if is_space(c) {
                self.pending_space = !self.out.is_empty();
                continue;
            }
            if c == '-' && self.out.last() == Some(&b'-') && !self.pending_space {
                continue;
            }
            self.flush_space();
            for lower in c.to_lowercase() {
                if lower.is_alphanumeric() {
                    if self.word_start.is_none() {
                        self.word_start = Some(self.out.len());
                    }
                } else {
                    self.end_word();
                }
                self.out
                    .extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
            }
        }
    }
}

/// Canonical text of `paragraphs` into `out` as UTF-8 (cleared first), and the hashes of its
/// words into `words` (cleared first), in text order.
pub fn canonicalize<'a>(
    paragraphs: impl IntoIterator<Item = &'a str>,
    seed: u64,
    out: &mut Vec<u8>,
    words: &mut Vec<u64>,
) {
    out.clear();
    words.clear();
    let mut c = Canonicalizer {
        out,
        words,
        seed,
        word_start: None,
        pending_space: false,
    };
    for paragraph in paragraphs {
        c.paragraph(paragraph);
    }
    c.end_word();
}

/// Canonical text of `paragraphs`: NFKC, lower case, folded punctuation, runs of `-` and of
/// whitespace collapsed to one, no leading or trailing space. ("…" becomes "..." through NFKC.)
pub fn canonical_text<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = Vec::new();
    canonicalize(paragraphs, 0, &mut out, &mut Vec::new());
    // Always UTF-8: ASCII bytes and whole encoded characters are all that is written.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        canonical_text([s])
    }

    /// The definition of the canonical text, character by character through NFKC, which the
    /// fast path (ASCII bytes directly, NFKC only around non-ASCII) must reproduce.
    fn reference_canonical(paragraphs: &[&str]) -> String {
        let mut out = String::new();
        for paragraph in paragraphs {
            let mut pending_space = !out.is_empty();
            for c in paragraph.nfkc().map(fold_punctuation) {
                if is_space(c) {
                    pending_space = !out.is_empty();
                    continue;
                }
                if c == '-' && out.ends_with('-') && !pending_space {
                    continue;
                }
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.extend(c.to_lowercase());
            }
        }
        out
    }

    /// `word_hash` as first written: every chunk of eight bytes copied into a zeroed buffer.
    fn reference_word_hash(word: &[u8], seed: u64) -> u64 {
        let mut state = seed ^ (word.len() as u64).wrapping_mul(WORD_LEN);
        for chunk in word.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            state = word_step(state, u64::from_le_bytes(buf));
        }
        splitmix64(state)
    }

    #[test]
    fn word_hashes_read_short_tails_as_zero_padded_chunks() {
        let bytes: Vec<u8> = (0..40u8)
            .map(|b| b.wrapping_mul(37).wrapping_add(1))
            .collect();
        for start in 0..4 {
            for len in 0..=(bytes.len() - start) {
                let word = &bytes[start..start + len];
                assert_eq!(word_hash(word, 7), reference_word_hash(word, 7), "{len}");
            }
        }
    }

    fn assert_matches_reference(paragraphs: &[&str]) {
        let (mut out, mut words) = (Vec::new(), Vec::new());
        canonicalize(paragraphs.iter().copied(), 7, &mut out, &mut words);
        let out = String::from_utf8(out).expect("canonical text is UTF-8");
        assert_eq!(out, reference_canonical(paragraphs), "{paragraphs:?}");
        assert_eq!(words, word_hashes(&out, 7), "{paragraphs:?}");
    }

    fn assert_owned_match_reference(paragraphs: &[String]) {
        let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        assert_matches_reference(&refs);
    }

    #[test]
    fn fast_path_matches_the_definition() {
        for case in [
            &["Cafe\u{301} ole\u{301}", "E\u{301}t\u{e9}"][..],
            &["a\u{300}\u{301}b", "x\u{a0}\u{a0}y -\u{2014}- z"],
            &[
                "--a-- -- ``b`` \u{2018}c\u{2019}",
                "\u{feff}BOM\u{200b}zero",
            ],
            &[
                "ﬁne ＡＢＣ ½ \u{130}stanbul",
                "  ",
                "",
                "\t\x0btabs\x0c\r\n",
            ],
            &[
                "\u{1100}\u{1161}\u{11a8} 가",
                "Ωmega \u{3a3}IGMA ß",
                "x\u{2026}y",
            ],
            &["a\u{1}b\u{7f}c", "9\u{fe63}9\u{2212}9", "Word-", "-word"],
            // Words of every length around the eight-byte chunks, next to non-ASCII.
            &[
                "a ab abc abcd abcde abcdef abcdefg abcdefgh abcdefghi ABCDEFGHIJKLMNOPQRSTU",
                "Seventeen1234567 x12345678é 12345678\u{301} abcdefgh\u{e9}ij Z@[`{/:",
            ],
        ] {
            assert_matches_reference(case);
        }
    }

    proptest::proptest! {
        #[test]
        fn long_ascii_text_matches_the_definition(
            paragraphs in proptest::collection::vec(
                // Mostly plain ASCII (whole 64-byte blocks), with the bytes that make a block
                // odd here and there.
                "(([a-zA-Z0-9]{1,12}|[ ]{1,2}|[.,;'\"!?()]){0,40}([\t\n-]|`|é|\u{301}|\u{a0})?){0,5}",
                0..4,
            )
        ) {
            assert_owned_match_reference(&paragraphs);
        }

        #[test]
        fn any_text_matches_the_definition(
            paragraphs in proptest::collection::vec(
                "([a-zA-Z0-9 .,`'\t\n@\\[{/:-]{0,12}|\\PC|\u{301}|\u{a0}|\u{2014}|\u{2026}|\u{feff}){0,30}",
                0..4,
            )
        ) {
            assert_owned_match_reference(&paragraphs);
        }
    }

    #[test]
    fn unicode_and_whitespace_variants_share_a_canonical_text() {
        let a = canon("\u{201c}Caf\u{e9}\u{201d} \u{2014} it\u{2019}s  open\u{2026}");
        let b = canon("\"Cafe\u{301}\" -- it's\u{a0}open...");
        assert_eq!(a, b);
        assert_eq!(a, "\"café\" - it's open...");
    }

    #[test]
    fn paragraph_breaks_are_whitespace() {
        assert_eq!(canonical_text(["One two.", "Three"]), "one two. three");
        assert_eq!(
            canonical_text(["  One   two. ", "", "Three "]),
            "one two. three"
        );
    }

    #[test]
    fn word_hashes_tell_words_apart() {
        let words = [
            "a",
            "b",
            "ab",
            "ba",
            "a\0",
            "abcdefgh",
            "abcdefghi",
            "abcdefgh\0",
        ];
        let hashes: Vec<u64> = words.iter().map(|w| word_hash(w.as_bytes(), 3)).collect();
        for i in 0..hashes.len() {
            for j in i + 1..hashes.len() {
                assert_ne!(hashes[i], hashes[j], "{} {}", words[i], words[j]);
            }
        }
        assert_ne!(word_hash(b"a", 3), word_hash(b"a", 4));
    }
}
