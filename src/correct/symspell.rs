//! SymSpell-style candidate lookup: every lexicon word is indexed under the strings made by
//! deleting one character (two for long, frequent words), so the words within a small edit
//! distance of a token are found by deleting from the token and looking the results up. Takes
//! the lexicon and the distance settings; produces candidate word ids with their true
//! (Damerau-Levenshtein, adjacent transpositions) distance. It does not rank candidates.

use super::lexicon::{word_hash, Lexicon, WordId};

/// How deep the index goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexParams {
    /// Words with at least this count are indexed at distance 2 (all others at distance 1).
    pub min_count_edit2: u64,
    /// Words and tokens at least this long get edit distance 2.
    pub min_len_edit2: usize,
    /// Longest word indexed (longer words are not typo targets worth the index size).
    pub max_len: usize,
}

/// A candidate correction: a lexicon word and its edit distance from the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// The word.
    pub id: WordId,
    /// Damerau-Levenshtein (optimal string alignment) distance.
    pub distance: usize,
}

/// The delete index: `(high half of the hash of a delete string) << 32 | word id` keys in an
/// open-addressing table (linear probing, at most half full) whose slot is given by the top
/// bits of the hash, so all the postings of a delete string lie in the run of filled slots
/// from its slot on: a lookup reads one place in memory, not a directory and then a list.
#[derive(Debug)]
pub struct DeleteIndex {
    table: Vec<u64>,
    bits: u32,
    len: usize,
    params: IndexParams,
}

/// An empty slot (no key has both an all-ones hash half and the id `u32::MAX`).
const EMPTY: u64 = u64::MAX;

fn slot(key: u64, bits: u32) -> usize {
    (key >> (64 - bits)) as usize
}

/// Packs the high 32 bits of a delete hash with a word id; collisions only add candidates that
/// the distance check then drops.
fn pack(hash: u64, id: WordId) -> u64 {
    (hash & 0xffff_ffff_0000_0000) | u64::from(id)
}

/// Calls `f` with every distinct string made by deleting 1..=`depth` bytes of `word` (ASCII).
/// The strings come in a fixed order (deleted positions ascending), each built from the one
/// before: moving the deleted position from `i - 1` to `i` only puts `word[i - 1]` back at
/// `i - 1`, so a delete costs one byte write instead of two copies (the index build makes
/// about 1.5M of them).
fn for_each_delete(word: &[u8], depth: usize, buf: &mut Vec<u8>, f: &mut impl FnMut(&[u8])) {
    let n = word.len();
    if n == 0 {
        return;
    }
    let mut second = Vec::with_capacity(if depth >= 2 { n } else { 0 });
    buf.clear();
    buf.extend_from_slice(&word[1..]);
    for i in 0..n {
        if i > 0 {
            buf[i - 1] = word[i - 1];
        }
        // Deleting one of a run of equal letters gives the same string: keep only the first.
        if i > 0 && word[i] == word[i - 1] {
            continue;
        }
        f(buf);
        if depth >= 2 && i + 1 < n {
            // `buf` without its byte `j`, for j = i..n-1, built the same way.
            second.clear();
            second.extend_from_slice(&buf[..i]);
            second.extend_from_slice(&buf[i + 1..]);
            for j in i..n - 1 {
                if j > i {
                    second[j - 1] = buf[j - 1];
                }
                if j > i && word[j + 1] == word[j] {
                    continue;
                }
                f(&second);
            }
        }
    }
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

/// Bits of the counting-sort pass in `sorted_by_top_bits`.
const SORT_BUCKET_BITS: u32 = 16;

/// `keys` in ascending order. The delete hashes are uniform, so one counting pass on the top
/// bits leaves buckets of a few dozen keys to sort each: the comparison sort of all ~1.5M
/// keys at once was half of the index build.
fn sorted_by_top_bits(keys: Vec<u64>) -> Vec<u64> {
    let bucket = |k: u64| (k >> (64 - SORT_BUCKET_BITS)) as usize;
    let mut starts = vec![0usize; (1 << SORT_BUCKET_BITS) + 1];
    for &k in &keys {
        starts[bucket(k) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut sorted = vec![0u64; keys.len()];
    let mut next = starts.clone();
    for &k in &keys {
        let b = bucket(k);
        sorted[next[b]] = k;
        next[b] += 1;
    }
    drop(keys);
    for w in starts.windows(2) {
        sorted[w[0]..w[1]].sort_unstable();
    }
    sorted
}

impl DeleteIndex {
    /// Builds the index over the ASCII lowercase words of `lexicon`.
    pub fn build(lexicon: &Lexicon, params: IndexParams) -> DeleteIndex {
        let mut keys = Vec::with_capacity(lexicon.len() * 10);
        let mut buf = Vec::with_capacity(64);
        for (id, word) in lexicon.iter() {
            let bytes = word.as_bytes();
            // Words without a frequency (SCOWL only) are valid but never a correction, and as
            // rivals they would hardly ever count: leaving them out keeps the build fast.
            if bytes.len() > params.max_len
                || lexicon.count_of(id) == 0
                || !bytes.iter().all(u8::is_ascii_lowercase)
            {
                continue;
            }
            keys.push(pack(word_hash(bytes), id));
            let deep = bytes.len() >= params.min_len_edit2
                && lexicon.count_of(id) >= params.min_count_edit2;
            let depth = if deep { 2 } else { 1 };
            if bytes.len() > 1 {
                for_each_delete(bytes, depth, &mut buf, &mut |d| {
                    keys.push(pack(word_hash(d), id))
                });
            }
        }
        let mut keys = sorted_by_top_bits(keys);
        keys.dedup();
        let bits = (keys.len() * 2).next_power_of_two().max(2).trailing_zeros();
        let mask = (1usize << bits) - 1;
        let mut table = vec![EMPTY; 1 << bits];
        for &k in &keys {
            let mut s = slot(k, bits);
            while table[s] != EMPTY {
                s = (s + 1) & mask;
            }
            table[s] = k;
        }
        DeleteIndex {
            table,
            bits,
            len: keys.len(),
            params,
        }
    }

    /// Number of index entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The slot where the postings of `hash` start.
    fn home(&self, hash: u64) -> usize {
        slot(pack(hash, 0), self.bits)
    }

    /// Appends the ids posted under `hash`, whose run starts at slot `home`.
    fn postings(&self, home: usize, hash: u64, out: &mut Vec<WordId>) {
        let lo = pack(hash, 0);
        let mask = self.table.len().wrapping_sub(1);
        let mut s = home;
        while let Some(&k) = self.table.get(s) {
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
            .map(|&s| self.table.get(s).copied().unwrap_or(EMPTY))
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

    /// `for_each_delete` as first written: each delete copied together from two slices.
    fn reference_deletes(word: &[u8], depth: usize) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let n = word.len();
        for i in 0..n {
            if i > 0 && word[i] == word[i - 1] {
                continue;
            }
            let first = [&word[..i], &word[i + 1..]].concat();
            out.push(first.clone());
            if depth >= 2 {
                for j in i..n - 1 {
                    if j > i && word[j + 1] == word[j] {
                        continue;
                    }
                    out.push([&first[..j], &first[j + 1..]].concat());
                }
            }
        }
        out
    }

    use proptest::prelude::Strategy;

    proptest::proptest! {
        /// The deletes built one from the other are the deletes copied together, in order.
        #[test]
        fn deletes_are_built_in_the_order_of_their_definition(
            word in "[abc]{0,9}|[a-z]{0,16}",
            depth in 1usize..=2,
        ) {
            let mut got = Vec::new();
            for_each_delete(word.as_bytes(), depth, &mut Vec::new(), &mut |d| got.push(d.to_vec()));
            proptest::prop_assert_eq!(got, reference_deletes(word.as_bytes(), depth));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_bucketed_sort_sorts(
            keys in proptest::collection::vec(
                // Few distinct top bits, so buckets hold many keys, and some duplicates.
                (0u64..4, 0u64..1 << 20, 0u64..64)
                    .prop_map(|(top, mid, low)| top << 62 | mid << 20 | low),
                0..300,
            )
        ) {
            let mut expected = keys.clone();
            expected.sort_unstable();
            proptest::prop_assert_eq!(sorted_by_top_bits(keys), expected);
        }
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
