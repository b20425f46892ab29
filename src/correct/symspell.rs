//! SymSpell-style candidate lookup: every lexicon word is indexed under the strings made by
//! deleting one character (two for long, frequent words), so the words within a small edit
//! distance of a token are found by deleting from the token and looking the results up. Takes
//! the lexicon and the distance settings; produces candidate word ids with their true
//! (Damerau-Levenshtein, adjacent transpositions) distance. It does not rank candidates.

use super::embedded;
use super::lexicon::{word_hash, Lexicon, WordId};
pub use super::tables::IndexParams;
use super::tables::{for_each_delete, pack, slot, DeleteTable, EMPTY};

/// A candidate correction: a lexicon word and its edit distance from the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// The word.
    pub id: WordId,
    /// Damerau-Levenshtein (optimal string alignment) distance.
    pub distance: usize,
}

/// The delete index over the lexicon's words (`tables::DeleteTable`): a lookup reads one
/// place in memory, not a directory and then a list. The index of the default settings is
/// embedded in the binary and read in place; other settings build theirs.
#[derive(Debug)]
pub struct DeleteIndex {
    table: DeleteTable,
    params: IndexParams,
}

/// Longest string `osa_within` handles in its fixed-size rows (longer ones go to strsim).
const OSA_MAX_LEN: usize = 63;

/// The optimal string alignment distance of `a` and `b` (ASCII) if it is at most `max`, else
/// `None`. The recurrence of `strsim::osa_distance` (which on ASCII chars sees the same
/// symbols), computed only in the band |i - j| <= `max` of the table and capped at `max + 1`:
/// a cell off the band holds at least |i - j|, so every value up to `max` comes out exact,
/// without the three row allocations and the whole table of the general function.
pub fn osa_within(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max {
        return None;
    }
    if n > OSA_MAX_LEN || m > OSA_MAX_LEN || max >= usize::from(u8::MAX) - 1 {
        let (a, b) = (std::str::from_utf8(a).ok()?, std::str::from_utf8(b).ok()?);
        let d = strsim::osa_distance(a, b);
        return (d <= max).then_some(d);
    }
    const W: usize = OSA_MAX_LEN + 1;
    let cap = (max + 1) as u8;
    // Three rows taking turns (the one before last, the last, the current one). A row is
    // written on its band and on the cell just right of it; the next rows read nothing else,
    // so no row needs clearing. Row 0 holds j (capped).
    let mut rows = [[cap; W]; 3];
    for (j, cell) in rows[1].iter_mut().enumerate().take(m.min(max) + 1) {
        *cell = j as u8;
    }
    let (mut two_back, mut back, mut cur) = (0usize, 1usize, 2usize);
    for i in 1..=n {
        let lo = i.saturating_sub(max).max(1);
        let hi = (i + max).min(m);
        let [r0, r1, r2] = &mut rows;
        let (t, p, c): (&[u8; W], &[u8; W], &mut [u8; W]) = match (two_back, back, cur) {
            (0, 1, _) => (r0, r1, r2),
            (1, 2, _) => (r1, r2, r0),
            _ => (r2, r0, r1),
        };
        // The cell left of the band: column 0, or off the band.
        c[lo - 1] = if lo == 1 && i <= max { i as u8 } else { cap };
        let ac = a[i - 1];
        let mut row_min = c[lo - 1];
        for j in lo..=hi {
            let bc = b[j - 1];
            let cost = u8::from(ac != bc);
            let mut d = (c[j - 1] + 1).min(p[j] + 1).min(p[j - 1] + cost);
            if i > 1 && j > 1 && ac != bc && ac == b[j - 2] && bc == a[i - 2] {
                d = d.min(t[j - 2] + 1);
            }
            let d = d.min(cap);
            c[j] = d;
            row_min = row_min.min(d);
        }
        if hi < m {
            c[hi + 1] = cap;
        }
        // No cell of a row is below the smallest of the row before (every step adds to a cell
        // above-left, above or left, or, for a swap, to one two rows up that bounds the cell
        // diagonally between): once a whole row is past `max`, so is the distance.
        if row_min > max as u8 {
            return None;
        }
        (two_back, back, cur) = (back, cur, two_back);
    }
    let d = usize::from(rows[back][m]);
    (d <= max).then_some(d)
}

impl DeleteIndex {
    /// Builds the index over the ASCII lowercase words of `lexicon`.
    pub fn build(lexicon: &Lexicon, params: IndexParams) -> DeleteIndex {
        DeleteIndex {
            table: DeleteTable::build(lexicon.iter_counts(), params),
            params,
        }
    }

    /// The index of the English lexicon for `params`: the embedded one when it was built with
    /// them, else built now.
    pub fn english(params: IndexParams) -> DeleteIndex {
        match embedded::tables() {
            Some(embedded) if embedded.params == params => DeleteIndex {
                table: embedded.index.clone(),
                params,
            },
            _ => DeleteIndex::build(Lexicon::english(), params),
        }
    }

    /// Number of index entries.
    pub fn len(&self) -> usize {
        self.table.len
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.table.len == 0
    }

    /// The slot where the postings of `hash` start.
    fn home(&self, hash: u64) -> usize {
        slot(pack(hash, 0), self.table.bits)
    }

    /// Appends the ids posted under `hash`, whose run starts at slot `home`.
    fn postings(&self, home: usize, hash: u64, out: &mut Vec<WordId>) {
        let lo = pack(hash, 0);
        let table = &self.table.table;
        let mask = table.len().wrapping_sub(1);
        let mut s = home;
        while let Some(&k) = table.get(s) {
            if k == EMPTY {
                break;
            }
            if k & 0xffff_ffff_0000_0000 == lo {
                out.push((k & 0xffff_ffff) as WordId);
            }
            s = (s + 1) & mask;
        }
    }

    /// The words within the allowed distance of `token` (ASCII lowercase), excluding `token`
    /// itself. Distance 2 is allowed only when token and word are both long enough.
    pub fn candidates(&self, lexicon: &Lexicon, token: &str) -> Vec<Candidate> {
        let bytes = token.as_bytes();
        let long = bytes.len() >= self.params.min_len_edit2;
        let mut buf = Vec::with_capacity(64);
        let mut hashes = Vec::with_capacity(if long { 64 } else { 16 });
        hashes.push(word_hash(bytes));
        for_each_delete(bytes, if long { 2 } else { 1 }, &mut buf, &mut |d| {
            hashes.push(word_hash(d))
        });
        // The index is far larger than the caches: read the first slot of every run before
        // walking the runs, so that those memory reads overlap instead of each waiting for
        // the last.
        let homes: Vec<usize> = hashes.iter().map(|&h| self.home(h)).collect();
        let first: u64 = homes
            .iter()
            .map(|&s| self.table.table.get(s).copied().unwrap_or(EMPTY))
            .fold(0, |acc, k| acc ^ k);
        std::hint::black_box(first);
        let mut ids = Vec::with_capacity(32);
        for (&home, &hash) in homes.iter().zip(&hashes) {
            self.postings(home, hash, &mut ids);
        }
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let word = lexicon.word(id);
            if word == token {
                continue;
            }
            let max = if long && word.len() >= self.params.min_len_edit2 {
                2
            } else {
                1
            };
            if let Some(distance) = osa_within(bytes, word.as_bytes(), max) {
                out.push(Candidate { id, distance });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(freq: &'static str) -> (Lexicon, DeleteIndex) {
        let lex = Lexicon::parse(freq, "");
        let idx = DeleteIndex::build(
            &lex,
            IndexParams {
                min_count_edit2: 100,
                min_len_edit2: 7,
                max_len: 30,
            },
        );
        (lex, idx)
    }

    fn words(lex: &Lexicon, c: &[Candidate]) -> Vec<(&'static str, usize)> {
        let mut v: Vec<_> = c.iter().map(|c| (lex.word(c.id), c.distance)).collect();
        v.sort();
        v
    }

    #[test]
    fn finds_deletion_insertion_substitution_and_transposition() {
        let (lex, idx) = index("the 1000\nthen 500\nten 300\nbeautiful 200\nbeautify 50\n");
        assert_eq!(
            words(&lex, &idx.candidates(&lex, "teh")),
            [("ten", 1), ("the", 1)]
        );
        assert_eq!(words(&lex, &idx.candidates(&lex, "thhe")), [("the", 1)]);
        assert_eq!(words(&lex, &idx.candidates(&lex, "th")), [("the", 1)]);
        // Two letters dropped from a long frequent word: distance 2.
        assert_eq!(
            words(&lex, &idx.candidates(&lex, "butiful")),
            [("beautiful", 2)]
        );
    }

    proptest::proptest! {
        #[test]
        fn banded_distance_matches_strsim(
            a in "[abcd]{0,12}",
            b in "[abcd]{0,12}",
            max in 0usize..5,
        ) {
            let d = strsim::osa_distance(&a, &b);
            let expected = (d <= max).then_some(d);
            proptest::prop_assert_eq!(osa_within(a.as_bytes(), b.as_bytes(), max), expected);
        }
    }

    #[test]
    fn banded_distance_on_words_and_long_strings() {
        for (a, b) in [
            ("teh", "the"),
            ("butiful", "beautiful"),
            ("ca", "abc"),
            ("", "ab"),
            ("abc", ""),
            ("recieve", "receive"),
            ("acress", "across"),
        ] {
            for max in 0..4 {
                let d = strsim::osa_distance(a, b);
                assert_eq!(
                    osa_within(a.as_bytes(), b.as_bytes(), max),
                    (d <= max).then_some(d)
                );
            }
        }
        let long = "a".repeat(80);
        let other = format!("{}b", "a".repeat(79));
        assert_eq!(osa_within(long.as_bytes(), other.as_bytes(), 2), Some(1));
    }

    #[test]
    fn short_tokens_get_distance_one_only() {
        let (lex, idx) = index("house 1000\n");
        assert!(idx.candidates(&lex, "hue").is_empty());
        assert!(
            idx.candidates(&lex, "house").is_empty(),
            "the word itself is no candidate"
        );
    }
}
