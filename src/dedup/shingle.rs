//! Text canonicalization for deduplication: takes an article body, produces the hash of its
//! canonical form (exact copies) and the hashes of its word shingles (near and contained copies).
//! The canonical form only serves comparison and is never written out: it folds case, Unicode
//! compatibility forms (NFKC, so NFD/NFC variants and NBSP match), quote, dash and ellipsis
//! variants, and collapses all whitespace, paragraph breaks included.

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

/// Canonical text of `paragraphs`: NFKC, lower case, folded punctuation, runs of `-` and of
/// whitespace collapsed to one, no leading or trailing space. ("…" becomes "..." through NFKC.)
pub fn canonical_text<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for paragraph in paragraphs {
        let mut pending_space = !out.is_empty();
        // ASCII is already in NFKC: skip the (comparatively slow) normalizer for it.
        let chars: Box<dyn Iterator<Item = char>> = if paragraph.is_ascii() {
            Box::new(paragraph.chars())
        } else {
            Box::new(paragraph.nfkc())
        };
        for c in chars.map(fold_punctuation) {
            if c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}' {
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

/// Hashes the canonical text exactly and cuts it into word shingles of `size` words (words are
/// runs of alphanumeric characters, so punctuation never matters to shingles). A text with fewer
/// words than `size` has one shingle of all its words; a text without words has none.
pub fn shingle(canonical: &str, size: usize, seed: u64) -> Shingled {
    let size = size.max(1);
    let word_hashes: Vec<u64> = canonical
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| xxh3_64_with_seed(w.as_bytes(), seed))
        .collect();
    let mut shingles = Vec::with_capacity(word_hashes.len());
    let mut buf = Vec::with_capacity(size * 8);
    let mut hash_window = |window: &[u64]| {
        buf.clear();
        for h in window {
            buf.extend_from_slice(&h.to_le_bytes());
        }
        xxh3_64_with_seed(&buf, seed)
    };
    if !word_hashes.is_empty() && word_hashes.len() < size {
        shingles.push(hash_window(&word_hashes));
    } else {
        shingles.extend(word_hashes.windows(size).map(&mut hash_window));
    }
    shingles.sort_unstable();
    shingles.dedup();
    Shingled {
        exact: xxh3_128_with_seed(canonical.as_bytes(), seed),
        shingles,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        canonical_text([s])
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
