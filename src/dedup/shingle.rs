//! Text canonicalization for deduplication: takes an article body, produces the hash of its
//! canonical form (exact copies) and the hashes of its word shingles (near and contained copies).
//! The canonical form only serves comparison and is never written out: it folds case, Unicode
//! compatibility forms (NFKC, so NFD/NFC variants and NBSP match), quote, dash and ellipsis
//! variants, and collapses all whitespace, paragraph breaks included.

use super::minhash::splitmix64;
use unicode_normalization::UnicodeNormalization;
use xxhash_rust::xxh3::{xxh3_128_with_seed, xxh3_64_with_seed};

/// What fingerprinting needs from a text: its exact hash and its distinct shingle hashes.
#[derive(Debug, Clone, PartialEq)]
pub struct Shingled {
    /// xxh3-128 of the canonical text.
    pub exact: u128,
    /// Distinct word-shingle hashes, sorted ascending.
    pub shingles: Vec<u64>,
}

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

/// What an ASCII byte does in the canonical form.
#[derive(Clone, Copy, PartialEq)]
enum Ascii {
    /// A word character kept as is (`a-z`, `0-9`).
    Word,
    /// An upper-case letter: lowered, then a word character.
    Upper,
    /// White space: collapsed into one pending space.
    Space,
    /// `-`: runs collapse to one.
    Dash,
    /// `` ` ``: folded to `'`.
    Backtick,
    /// Any other ASCII character: kept, and ends a word.
    Other,
}

/// The class of every ASCII byte, so the hot loop does one table look-up per byte.
const ASCII_CLASS: [Ascii; 128] = {
    let mut t = [Ascii::Other; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'0'..=b'9' => Ascii::Word,
            b'A'..=b'Z' => Ascii::Upper,
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

/// Builds the canonical text and, on the way, the hash of every word in it (words are runs of
/// alphanumeric characters of the canonical text), so the text is scanned once.
struct Canonicalizer<'a> {
    out: &'a mut String,
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
            let word = &self.out.as_bytes()[start..];
            self.words.push(xxh3_64_with_seed(word, self.seed));
        }
    }

    /// Writes the pending space (collapsed white space), if any.
    #[inline]
    fn flush_space(&mut self) {
        if self.pending_space {
            self.end_word();
            self.out.push(' ');
            self.pending_space = false;
        }
    }

    /// Adds one paragraph: the ASCII bytes directly, the rest through NFKC.
    fn paragraph(&mut self, paragraph: &str) {
        self.pending_space = !self.out.is_empty();
        let bytes = paragraph.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
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
                continue;
            }
            match ASCII_CLASS[b as usize] {
                Ascii::Word => {
                    self.flush_space();
                    if self.word_start.is_none() {
                        self.word_start = Some(self.out.len());
                    }
                    self.out.push(b as char);
                }
                Ascii::Upper => {
                    self.flush_space();
                    if self.word_start.is_none() {
                        self.word_start = Some(self.out.len());
                    }
                    self.out.push(b.to_ascii_lowercase() as char);
                }
                Ascii::Space => self.pending_space = !self.out.is_empty(),
                Ascii::Dash => {
                    if self.pending_space || !self.out.ends_with('-') {
                        self.flush_space();
                        self.end_word();
                        self.out.push('-');
                    }
                }
                Ascii::Backtick => {
                    self.flush_space();
                    self.end_word();
                    self.out.push('\'');
                }
                Ascii::Other => {
                    self.flush_space();
                    self.end_word();
                    self.out.push(b as char);
                }
            }
            i += 1;
        }
    }

    /// Adds a segment with non-ASCII characters, character by character after NFKC.
    fn non_ascii(&mut self, segment: &str) {
        for c in segment.nfkc().map(fold_punctuation) {
            if is_space(c) {
                self.pending_space = !self.out.is_empty();
                continue;
            }
            if c == '-' && self.out.ends_with('-') && !self.pending_space {
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
                self.out.push(lower);
            }
        }
    }
}

/// Canonical text of `paragraphs` into `out` (cleared first), and the hashes (seeded xxh3-64)
/// of its words into `words` (cleared first), in text order.
pub fn canonicalize<'a>(
    paragraphs: impl IntoIterator<Item = &'a str>,
    seed: u64,
    out: &mut String,
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
    let mut out = String::new();
    canonicalize(paragraphs, 0, &mut out, &mut Vec::new());
    out
}

/// Hashes of the words of a canonical text (runs of alphanumeric characters), as
/// `canonicalize` computes them.
pub fn word_hashes(canonical: &str, seed: u64) -> Vec<u64> {
    canonical
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| xxh3_64_with_seed(w.as_bytes(), seed))
        .collect()
}

/// Hashes word shingles: the shingle of words `w0..wk` hashes to a mix of `w0*m0 + … + wk*mk`
/// (wrapping), with odd seeded multipliers per position, so a shingle costs a few multiplies
/// instead of a hash over its bytes, and word order matters. Built once per configuration.
#[derive(Debug, Clone)]
pub struct Shingler {
    multipliers: Vec<u64>,
}

impl Shingler {
    /// A shingler for shingles of `size` words (at least one).
    pub fn new(size: usize, seed: u64) -> Self {
        let multipliers = (0..size.max(1) as u64)
            .map(|i| splitmix64(seed ^ splitmix64(0x7368_696e_0000 + i)) | 1)
            .collect();
        Shingler { multipliers }
    }

    /// Words per shingle.
    pub fn size(&self) -> usize {
        self.multipliers.len()
    }

    /// The hash of one window of word hashes (at most `size` of them).
    #[inline]
    fn window(&self, words: &[u64]) -> u64 {
        let sum = words
            .iter()
            .zip(&self.multipliers)
            .fold(0u64, |acc, (&w, &m)| acc.wrapping_add(w.wrapping_mul(m)));
        splitmix64(sum)
    }

    /// Calls `f` with the hash of every shingle of `words`, in text order (repeats included).
    /// A text with fewer words than `size` has one shingle of all its words; a text without
    /// words has none.
    pub fn for_each(&self, words: &[u64], mut f: impl FnMut(u64)) {
        let size = self.size();
        if !words.is_empty() && words.len() < size {
            f(self.window(words));
        } else {
            for window in words.windows(size) {
                f(self.window(window));
            }
        }
    }

    /// The distinct shingle hashes of `words`, in order of first occurrence. Repeats are found
    /// with an open-addressing set sized for the text, not by sorting.
    pub fn distinct(&self, words: &[u64]) -> Vec<u64> {
        let positions = words.len().saturating_sub(self.size() - 1).max(1);
        let bits = (2 * positions).next_power_of_two().max(16).trailing_zeros();
        let mask = (1usize << bits) - 1;
        // 0 marks a free slot; the shingle hash 0 itself is tracked apart.
        let mut table = vec![0u64; 1 << bits];
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
                    out.push(x);
                    return;
                }
                slot = (slot + 1) & mask;
            }
        });
        out
    }
}

/// Hashes the canonical text exactly and cuts it into word shingles of `size` words (words are
/// runs of alphanumeric characters, so punctuation never matters to shingles).
pub fn shingle(canonical: &str, size: usize, seed: u64) -> Shingled {
    let mut shingles = Shingler::new(size, seed).distinct(&word_hashes(canonical, seed));
    shingles.sort_unstable();
    Shingled {
        exact: exact_hash(canonical, seed),
        shingles,
    }
}

/// Hash of the canonical text: equal texts, and only those, are exact copies.
pub fn exact_hash(canonical: &str, seed: u64) -> u128 {
    xxh3_128_with_seed(canonical.as_bytes(), seed)
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

    fn assert_matches_reference(paragraphs: &[&str]) {
        let (mut out, mut words) = (String::new(), Vec::new());
        canonicalize(paragraphs.iter().copied(), 7, &mut out, &mut words);
        assert_eq!(out, reference_canonical(paragraphs), "{paragraphs:?}");
        assert_eq!(words, word_hashes(&out, 7), "{paragraphs:?}");
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
        ] {
            assert_matches_reference(case);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_matches_the_definition(
            paragraphs in proptest::collection::vec(
                "([a-zA-Z0-9 .,`'\t\n-]|\\PC|\u{301}|\u{a0}|\u{2014}|\u{2026}|\u{feff}){0,40}",
                0..4,
            )
        ) {
            let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
            assert_matches_reference(&refs);
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
