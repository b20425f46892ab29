//! The lexicon's word tables and the typo index's delete table as flat arrays, and how they are
//! built from the word lists. Takes the lists (and the index settings); produces arrays that a
//! lexicon or an index can read in place.
//!
//! This file is compiled twice: into the library, and into the build script (`build.rs`),
//! which builds the tables of the bundled lists with the default index settings once, at
//! compile time, and writes them (`encode`) into the blob the library embeds
//! (`embedded.rs`). A run then reads them where they lie instead of parsing 280k lines and
//! making 1.5M deletes at every start (~70 ms of CPU on two cores, most of it while the
//! statistics pass waited for the lexicon). Other lists (tests) and other index settings
//! (a config) build the same tables at run time with the same code. So this file uses
//! nothing but `std`, `xxhash-rust` and `crate::lines`, which the build script also has.

use std::borrow::Cow;
use xxhash_rust::xxh3::xxh3_64;

/// Hash of a word (or any byte string) used as a map key across the stage.
pub fn word_hash(word: &[u8]) -> u64 {
    xxh3_64(word)
}

/// Identifier of a word in the lexicon (its line order: frequent words first).
pub type WordId = u32;

/// An empty slot, in the word map and in the delete table. A word whose hash is `EMPTY` is
/// stored under `EMPTY - 1` (`map_key`); no delete key is `EMPTY` (see `pack`).
pub const EMPTY: u64 = u64::MAX;

/// The key a word hash is stored under in the word map.
#[inline]
pub fn map_key(hash: u64) -> u64 {
    if hash == EMPTY {
        EMPTY - 1
    } else {
        hash
    }
}

/// The home slot of a 64-bit key in a table of `2^bits` slots: its top bits.
#[inline]
pub fn slot(key: u64, bits: u32) -> usize {
    (key >> (64 - bits)) as usize
}

/// The word tables: which words there are (as spans of the two lists), their counts, which
/// are names, and a map from word hash to id (open addressing, linear probing, at most two
/// thirds full). Built, they own their arrays; embedded, they borrow them from the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconTables {
    /// Ids below this are words of the frequency list; the others of the list of known words.
    pub frequency_words: u32,
    /// Per id: `start << 32 | len`, the word's bytes in its list.
    pub spans: Cow<'static, [u64]>,
    /// Per id of the frequency list: its count.
    pub counts: Cow<'static, [u64]>,
    /// Per id: 1 when the word is known only as a proper name.
    pub names: Cow<'static, [u8]>,
    /// Sum of all counts.
    pub total: u64,
    /// The word map has `2^map_bits` slots.
    pub map_bits: u32,
    /// Per slot: the `map_key` of a word's hash, or `EMPTY`.
    pub map_keys: Cow<'static, [u64]>,
    /// Per slot: the id of the word whose key is in `map_keys`.
    pub map_ids: Cow<'static, [WordId]>,
}

/// The slot holding `key` in a word map, if the map has it.
#[inline]
pub fn map_find(keys: &[u64], bits: u32, key: u64) -> Option<usize> {
    let mask = keys.len().wrapping_sub(1);
    let mut s = slot(key, bits);
    loop {
        let k = *keys.get(s)?;
        if k == key {
            return Some(s);
        }
        if k == EMPTY {
            return None;
        }
        s = (s + 1) & mask;
    }
}

/// Offset of `part`, a subslice of `list`, in `list`.
fn offset_in(list: &str, part: &str) -> u64 {
    (part.as_ptr() as usize - list.as_ptr() as usize) as u64
}

impl LexiconTables {
    /// Builds the tables from a `word count` list (most frequent first), a plain list of known
    /// words (valid, without a count) and a list of words known only as names. Malformed lines
    /// are skipped: the lists are bundled and checked by tests, not user input. A word listed
    /// twice keeps its first line.
    pub fn build(frequency_list: &str, known_list: &str, name_list: &str) -> LexiconTables {
        // The lines first, so the map is sized once for all of them.
        let mut lines: Vec<(u64, u64, u64)> = Vec::new(); // (hash, span, count)
        for line in crate::lines::lines(frequency_list) {
            let mut parts = line.split_ascii_whitespace();
            if let (Some(word), Some(count)) = (parts.next(), parts.next()) {
                if let Ok(count) = count.parse::<u64>() {
                    let span = offset_in(frequency_list, word) << 32 | word.len() as u64;
                    lines.push((map_key(word_hash(word.as_bytes())), span, count));
                }
            }
        }
        let from_frequency_list = lines.len();
        for word in crate::lines::lines(known_list)
            .map(str::trim)
            .filter(|w| !w.is_empty())
        {
            let span = offset_in(known_list, word) << 32 | word.len() as u64;
            lines.push((map_key(word_hash(word.as_bytes())), span, 0));
        }
        let map_bits = (lines.len() + lines.len() / 2)
            .next_power_of_two()
            .max(2)
            .trailing_zeros();
        let mut spans = Vec::with_capacity(lines.len());
        let mut counts = Vec::with_capacity(from_frequency_list);
        let mut frequency_words = 0;
        let mut total = 0;
        let mut map_keys = vec![EMPTY; 1 << map_bits];
        let mut map_ids: Vec<WordId> = vec![0; 1 << map_bits];
        let mask = (1usize << map_bits) - 1;
        for (i, &(key, span, count)) in lines.iter().enumerate() {
            let mut s = slot(key, map_bits);
            while map_keys[s] != EMPTY && map_keys[s] != key {
                s = (s + 1) & mask;
            }
            if map_keys[s] == key {
                continue;
            }
            let id = spans.len() as WordId;
            map_keys[s] = key;
            map_ids[s] = id;
            spans.push(span);
            if i < from_frequency_list {
                counts.push(count);
                frequency_words = id + 1;
            }
            total += count;
        }
        let mut names = vec![0; spans.len()];
        for word in crate::lines::lines(name_list).map(str::trim) {
            let key = map_key(word_hash(word.as_bytes()));
            if let Some(s) = map_find(&map_keys, map_bits, key) {
                names[map_ids[s] as usize] = 1;
            }
        }
        LexiconTables {
            frequency_words,
            spans: Cow::Owned(spans),
            counts: Cow::Owned(counts),
            names: Cow::Owned(names),
            total,
            map_bits,
            map_keys: Cow::Owned(map_keys),
            map_ids: Cow::Owned(map_ids),
        }
    }

    /// The word with id `id`; `frequency_list` and `known_list` are the lists the tables
    /// were built from ("" for an unknown id).
    pub fn word<'a>(&self, id: WordId, frequency_list: &'a str, known_list: &'a str) -> &'a str {
        let list = if id < self.frequency_words {
            frequency_list
        } else {
            known_list
        };
        let Some(&span) = self.spans.get(id as usize) else {
            return "";
        };
        let start = (span >> 32) as usize;
        let len = (span & 0xffff_ffff) as usize;
        list.get(start..start + len).unwrap_or("")
    }

    /// The count of the word with id `id` (0 for the known words, which have none).
    pub fn count(&self, id: WordId) -> u64 {
        self.counts.get(id as usize).copied().unwrap_or(0)
    }

    /// Every word with its id and count, in id order (lists as for `word`).
    pub fn words<'s, 'l: 's>(
        &'s self,
        frequency_list: &'l str,
        known_list: &'l str,
    ) -> impl Iterator<Item = (WordId, &'l str, u64)> + 's {
        (0..self.spans.len() as WordId).map(move |id| {
            (
                id,
                self.word(id, frequency_list, known_list),
                self.count(id),
            )
        })
    }
}

/// How deep the delete index goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexParams {
    /// Words with at least this count are indexed at distance 2 (all others at distance 1).
    pub min_count_edit2: u64,
    /// Words and tokens at least this long get edit distance 2.
    pub min_len_edit2: usize,
    /// Longest word indexed (longer words are not typo targets worth the index size).
    pub max_len: usize,
}

/// The index settings of the default config (`CorrectConfig::default` takes them from here):
/// the build script embeds the index built with them.
pub const DEFAULT_INDEX_PARAMS: IndexParams = IndexParams {
    min_count_edit2: 3_000_000,
    min_len_edit2: 7,
    max_len: 30,
};

/// The delete table: `(high half of the hash of a delete string) << 32 | word id` keys in an
/// open-addressing table (linear probing, at most half full) whose slot is given by the top
/// bits of the hash, so all the postings of a delete string lie in the run of filled slots
/// from its slot on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteTable {
    /// `2^bits` slots.
    pub table: Cow<'static, [u64]>,
    pub bits: u32,
    /// Number of keys.
    pub len: usize,
}

/// Packs the high 32 bits of a delete hash with a word id; collisions only add candidates that
/// the distance check then drops. (Ids stay below `u32::MAX`, so no key is `EMPTY`.)
#[inline]
pub fn pack(hash: u64, id: WordId) -> u64 {
    (hash & 0xffff_ffff_0000_0000) | u64::from(id)
}

/// Calls `f` with every distinct string made by deleting 1..=`depth` bytes of `word` (ASCII).
/// The strings come in a fixed order (deleted positions ascending), each built from the one
/// before: moving the deleted position from `i - 1` to `i` only puts `word[i - 1]` back at
/// `i - 1`, so a delete costs one byte write instead of two copies (the index build makes
/// about 1.5M of them).
pub fn for_each_delete(word: &[u8], depth: usize, buf: &mut Vec<u8>, f: &mut impl FnMut(&[u8])) {
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

/// Bits of the counting-sort pass in `sorted_by_top_bits`.
const SORT_BUCKET_BITS: u32 = 16;

/// `keys` in ascending order. The delete hashes are uniform, so one counting pass on the top
/// bits leaves buckets of a few dozen keys to sort each: the comparison sort of all ~1.5M
/// keys at once was half of the index build.
pub fn sorted_by_top_bits(keys: Vec<u64>) -> Vec<u64> {
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

impl DeleteTable {
    /// Indexes the ASCII lowercase words of `words` (id, word, count).
    pub fn build<'a>(
        words: impl Iterator<Item = (WordId, &'a str, u64)>,
        params: IndexParams,
    ) -> DeleteTable {
        let (lower_bound, _) = words.size_hint();
        let mut keys = Vec::with_capacity(lower_bound * 10);
        let mut buf = Vec::with_capacity(64);
        for (id, word, count) in words {
            let bytes = word.as_bytes();
            // Words without a frequency (SCOWL only) are valid but never a correction, and as
            // rivals they would hardly ever count: leaving them out keeps the build fast.
            if bytes.len() > params.max_len
                || count == 0
                || !bytes.iter().all(u8::is_ascii_lowercase)
            {
                continue;
            }
            keys.push(pack(word_hash(bytes), id));
            let deep = bytes.len() >= params.min_len_edit2 && count >= params.min_count_edit2;
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
        DeleteTable {
            table: Cow::Owned(table),
            bits,
            len: keys.len(),
        }
    }
}

/// First word of an encoded blob ("nclexicn", little-endian).
pub const MAGIC: u64 = u64::from_le_bytes(*b"nclexicn");
/// Layout version of the blob; bump it when the layout changes.
pub const VERSION: u64 = 1;
/// Words of the header before the arrays' places: magic, version, the scalars and the number
/// of arrays (see `encode`).
pub const FIXED_WORDS: usize = 11;
/// Arrays in a blob.
pub const ARRAYS: usize = 6;
/// Words of the header: the fixed words, then offset and length (in elements) of each array.
pub const HEADER_WORDS: usize = FIXED_WORDS + 2 * ARRAYS;

/// The tables and the index as one blob, in the byte order of the target (`big_endian`):
/// a header of `u64`s (magic, version, `frequency_words`, `total`, `map_bits`, the index's
/// `bits` and `len`, its three settings, the number of arrays), then per array its byte
/// offset and element count, then the arrays (spans, counts, map keys, index table: `u64`;
/// map ids: `u32`; names: `u8`), each starting on a multiple of 8 bytes.
pub fn encode(
    lexicon: &LexiconTables,
    index: &DeleteTable,
    params: IndexParams,
    big_endian: bool,
) -> Vec<u8> {
    let word = |x: u64| {
        if big_endian {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        }
    };
    let half = |x: u32| {
        if big_endian {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        }
    };
    let arrays: [(usize, usize); ARRAYS] = [
        (lexicon.spans.len(), 8),
        (lexicon.counts.len(), 8),
        (lexicon.map_keys.len(), 8),
        (index.table.len(), 8),
        (lexicon.map_ids.len(), 4),
        (lexicon.names.len(), 1),
    ];
    let mut header = vec![
        MAGIC,
        VERSION,
        u64::from(lexicon.frequency_words),
        lexicon.total,
        u64::from(lexicon.map_bits),
        u64::from(index.bits),
        index.len as u64,
        params.min_count_edit2,
        params.min_len_edit2 as u64,
        params.max_len as u64,
        arrays.len() as u64,
    ];
    let mut offset = HEADER_WORDS * 8;
    for (len, size) in arrays {
        header.extend([offset as u64, len as u64]);
        offset += (len * size).next_multiple_of(8);
    }
    debug_assert_eq!(header.len(), HEADER_WORDS);
    let mut out = Vec::with_capacity(offset);
    for x in header {
        out.extend(word(x));
    }
    let pad = |out: &mut Vec<u8>| out.resize(out.len().next_multiple_of(8), 0);
    for words in [
        &lexicon.spans,
        &lexicon.counts,
        &lexicon.map_keys,
        &index.table,
    ] {
        for &x in words.iter() {
            out.extend(word(x));
        }
    }
    for &x in lexicon.map_ids.iter() {
        out.extend(half(x));
    }
    pad(&mut out);
    out.extend_from_slice(&lexicon.names);
    pad(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_word_listed_twice_keeps_its_first_line_and_names_are_marked() {
        let freq = "cat 10\nbad\ndog x\ncat 5\nanna 3\n";
        let known = "cow\n\ncat\n";
        let t = LexiconTables::build(freq, known, "anna\nzed\n");
        let words: Vec<_> = t.words(freq, known).collect();
        assert_eq!(words, [(0, "cat", 10), (1, "anna", 3), (2, "cow", 0)]);
        assert_eq!((t.frequency_words, t.total), (2, 13));
        assert_eq!(*t.names, [0, 1, 0]);
        for (id, word, _) in words {
            let s = map_find(&t.map_keys, t.map_bits, map_key(word_hash(word.as_bytes())));
            assert_eq!(s.map(|s| t.map_ids[s]), Some(id), "{word}");
        }
        let absent = map_key(word_hash(b"dog"));
        assert_eq!(map_find(&t.map_keys, t.map_bits, absent), None);
    }
}
