//! The bundled English lexicon: words with corpus frequencies (SymSpell's list) plus words known
//! to be valid without a frequency (SCOWL), embedded in the binary so nothing is read or
//! downloaded at run time. Takes no input; produces an immutable word table that answers "is
//! this a word?" and "how frequent is it?" with one hash lookup. It must not change after it is
//! built: it is shared by every thread and every stage of a run. Its tables are built at
//! compile time and read in place (`tables`, `embedded`); only the small table of frequent
//! words is made at start.

use super::embedded;
use super::shape::{self, Shape};
use super::tables::{map_find, map_key, LexiconTables};
pub use super::tables::{word_hash, WordId};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// `word count` per line, most frequent first (SymSpell `frequency_dictionary_en_82_765.txt`).
pub(super) const FREQUENCY_LIST: &str = include_str!("../../data/lexicon/en_frequency.txt");
/// One word per line: valid English words absent from the list above (SCOWL size 70 US and
/// British, size 80 US words of six letters or more, size 50 two-letter words).
pub(super) const KNOWN_LIST: &str = include_str!("../../data/lexicon/en_known.txt");
/// One word per line: words of the frequency list that SCOWL knows only as proper names.
pub(super) const NAME_LIST: &str = include_str!("../../data/lexicon/en_names.txt");

/// A `Hasher` for keys that already are good 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub struct PrehashedHasher(u64);

impl Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed with this hasher; fold anything else in.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Map keyed by a precomputed 64-bit hash.
pub type PrehashedMap<V> = HashMap<u64, V, BuildHasherDefault<PrehashedHasher>>;

/// Number of most frequent words kept in the small table consulted before the hash map.
const HOT_WORDS: usize = 1 << 14;

/// A small open-addressing table of the most frequent words, keyed by the word itself (up to
/// 15 bytes and its length packed in 16 bytes), so most lookups of running text are answered
/// from cache without hashing the word with xxh3 or probing the large map. It holds only words
/// the large map maps to the same id, so it never changes an answer, only its cost.
#[derive(Debug, Default)]
struct HotTable {
    /// `[low, high]` key halves; `[0, 0]` marks an empty slot (no key has length 0).
    keys: Vec<[u64; 2]>,
    ids: Vec<WordId>,
    mask: usize,
}

#[inline]
fn hot_slot(key: [u64; 2], mask: usize) -> usize {
    let h = (key[0] ^ key[1].rotate_left(23)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 32) as usize & mask
}

impl HotTable {
    fn build<'a>(words: impl Iterator<Item = &'a str>, count: usize) -> HotTable {
        let slots = (count * 2).next_power_of_two().max(2);
        let mut table = HotTable {
            keys: vec![[0, 0]; slots],
            ids: vec![0; slots],
            mask: slots - 1,
        };
        let mut added = 0;
        for (id, word) in words.enumerate() {
            if added == count {
                break;
            }
            let Some(key) = shape::key(word.as_bytes()) else {
                continue;
            };
            let mut slot = hot_slot(key, table.mask);
            while table.keys[slot] != [0, 0] && table.keys[slot] != key {
                slot = (slot + 1) & table.mask;
            }
            if table.keys[slot] == key {
                continue;
            }
            table.keys[slot] = key;
            table.ids[slot] = id as WordId;
            added += 1;
        }
        table
    }

    /// Whether the table has the word with key `key` (its id is not read).
    #[inline]
    fn contains(&self, key: [u64; 2]) -> bool {
        if self.keys.is_empty() {
            return false;
        }
        let mut slot = hot_slot(key, self.mask);
        loop {
            let Some(&k) = self.keys.get(slot) else {
                return false;
            };
            if k == [0, 0] {
                return false;
            }
            if k == key {
                return true;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// The id of the word with key `key`, if the table has it.
    #[inline]
    fn get(&self, key: [u64; 2]) -> Option<WordId> {
        if self.keys.is_empty() {
            return None;
        }
        let mut slot = hot_slot(key, self.mask);
        loop {
            let k = *self.keys.get(slot)?;
            if k == [0, 0] {
                return None;
            }
            if k == key {
                return self.ids.get(slot).copied();
            }
            slot = (slot + 1) & self.mask;
        }
    }
}

/// The English word table.
#[derive(Debug)]
pub struct Lexicon {
    /// The frequency list and the list of known words, which the tables' spans point into.
    lists: [&'static str; 2],
    tables: LexiconTables,
    hot: HotTable,
}

impl Lexicon {
    /// The embedded English lexicon, read in place on first use and then shared (immutable).
    /// Were the embedded tables unreadable, it is built from the lists, as a test lexicon is.
    pub fn english() -> &'static Lexicon {
        static ENGLISH: OnceLock<Lexicon> = OnceLock::new();
        ENGLISH.get_or_init(|| {
            let tables = match embedded::tables() {
                Some(embedded) => embedded.lexicon.clone(),
                None => LexiconTables::build(FREQUENCY_LIST, KNOWN_LIST, NAME_LIST),
            };
            Lexicon::new([FREQUENCY_LIST, KNOWN_LIST], tables)
        })
    }

    /// Builds a lexicon from a `word count` list and a plain list of known words. Malformed lines
    /// are skipped: the lists are bundled and checked by tests, not user input.
    pub fn parse(frequency_list: &'static str, known_list: &'static str) -> Lexicon {
        let tables = LexiconTables::build(frequency_list, known_list, "");
        Lexicon::new([frequency_list, known_list], tables)
    }

    /// The lexicon of `tables` (built from `lists`), with its table of frequent words made.
    fn new(lists: [&'static str; 2], tables: LexiconTables) -> Lexicon {
        let mut lexicon = Lexicon {
            lists,
            tables,
            hot: HotTable::default(),
        };
        lexicon.hot = HotTable::build(lexicon.iter().map(|(_, w)| w), HOT_WORDS);
        lexicon
    }

    /// Whether the word with id `id` is known only as a proper name.
    pub fn is_name(&self, id: WordId) -> bool {
        self.tables.names.get(id as usize).is_some_and(|&n| n != 0)
    }

    /// The id of the word with hash `hash`, from the word map.
    #[inline]
    fn id_by_hash(&self, hash: u64) -> Option<WordId> {
        let t = &self.tables;
        let s = map_find(&t.map_keys, t.map_bits, map_key(hash))?;
        t.map_ids.get(s).copied()
    }

    /// Whether the word map has the word with hash `hash`.
    #[inline]
    fn has_hash(&self, hash: u64) -> bool {
        map_find(&self.tables.map_keys, self.tables.map_bits, map_key(hash)).is_some()
    }

    /// The id of `word` (lowercase), if it is in the lexicon. Words are told apart by their
    /// 64-bit hash alone: with some 300k words a false match has a chance near 1e-14, and it
    /// would only make the corrector leave a word alone.
    pub fn lookup(&self, word: &str) -> Option<WordId> {
        self.lookup_bytes(word.as_bytes())
    }

    /// `lookup` for a byte string.
    #[inline]
    pub fn lookup_bytes(&self, word: &[u8]) -> Option<WordId> {
        if let Some(id) = shape::key(word).and_then(|k| self.hot.get(k)) {
            return Some(id);
        }
        self.id_by_hash(word_hash(word))
    }

    /// Whether the lowercase form of a word of ASCII letters with shape `shape` is a known
    /// word: the frequent words answer from the shape's key, the others from the lowercase
    /// bytes the key holds.
    #[inline]
    pub fn contains_shape(&self, shape: &Shape) -> bool {
        debug_assert!(shape.letters);
        if self.hot.contains(shape.lower_key) {
            return true;
        }
        let (buf, len) = shape::key_bytes(shape.lower_key);
        self.has_hash(word_hash(buf.get(..len).unwrap_or_default()))
    }

    /// Whether the lowercase form of `word`, a string of ASCII letters, is a known word:
    /// `contains` without making the lowercase copy first.
    pub fn contains_lowercase_of(&self, word: &[u8]) -> bool {
        debug_assert!(word.iter().all(u8::is_ascii_alphabetic));
        if let Some(s) = shape::shape(word, 0..word.len()) {
            return self.contains_shape(&s);
        }
        self.has_hash(word_hash(&word.to_ascii_lowercase()))
    }

    /// Whether `word` (lowercase) is a known English word.
    pub fn contains(&self, word: &str) -> bool {
        self.lookup(word).is_some()
    }

    /// `contains` for a byte string.
    #[inline]
    pub fn contains_bytes(&self, word: &[u8]) -> bool {
        if shape::key(word).is_some_and(|k| self.hot.contains(k)) {
            return true;
        }
        self.has_hash(word_hash(word))
    }

    /// The frequency count of `word` (0 for known words without a count, and for unknown words).
    pub fn count(&self, word: &str) -> u64 {
        self.lookup(word).map_or(0, |id| self.count_of(id))
    }

    /// The word with id `id`.
    pub fn word(&self, id: WordId) -> &'static str {
        let [frequency_list, known_list] = self.lists;
        self.tables.word(id, frequency_list, known_list)
    }

    /// The frequency count of the word with id `id`.
    pub fn count_of(&self, id: WordId) -> u64 {
        self.tables.count(id)
    }

    /// Every word with its id and count, in id order.
    pub fn iter_counts(&self) -> impl Iterator<Item = (WordId, &'static str, u64)> + '_ {
        let [frequency_list, known_list] = self.lists;
        self.tables.words(frequency_list, known_list)
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.tables.spans.len()
    }

    /// Whether the lexicon has no words.
    pub fn is_empty(&self) -> bool {
        self.tables.spans.is_empty()
    }

    /// Sum of all frequency counts (the size of the reference corpus).
    pub fn total_count(&self) -> u64 {
        self.tables.total
    }

    /// All words with their ids, most frequent first.
    pub fn iter(&self) -> impl Iterator<Item = (WordId, &'static str)> + '_ {
        self.iter_counts().map(|(id, word, _)| (id, word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lists_split_into_their_lines() {
        for list in ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\nc\n", "x y\n\nz"] {
            let ours: Vec<&str> = crate::lines::lines(list).collect();
            let std: Vec<&str> = list.lines().collect();
            assert_eq!(ours, std, "{list:?}");
        }
    }

    #[test]
    fn bundled_lexicon_knows_common_and_us_words() {
        let lex = Lexicon::english();
        assert!(lex.len() > 100_000);
        assert!(lex.count("the") > lex.count("house"));
        assert!(lex.contains("favorite"), "US spelling from SCOWL");
        assert!(lex.contains("colour"), "British spelling");
        assert!(!lex.contains("teh"));
        assert!(
            lex.contains("ad") && !lex.contains("th"),
            "two-letter words"
        );
        assert_eq!(lex.count("xqzzv"), 0);
        let id = |w| lex.lookup(w).expect("word in lexicon");
        assert!(lex.is_name(id("patrick")));
        assert!(!lex.is_name(id("will")), "also a common word");
    }

    #[test]
    fn hot_table_agrees_with_the_hash_map() {
        let lex = Lexicon::english();
        for (id, word) in lex.iter() {
            let by_map = lex.id_by_hash(word_hash(word.as_bytes()));
            assert_eq!(by_map, Some(id), "{word}");
            assert_eq!(lex.lookup(word), Some(id), "{word}");
        }
        for word in ["", "teh", "xqzzv", "thee\0", "the\0", "abcdefghijklmnopq"] {
            let by_map = lex.id_by_hash(word_hash(word.as_bytes()));
            assert_eq!(lex.lookup(word), by_map, "{word:?}");
        }
        assert!(lex.hot.keys.iter().filter(|k| **k != [0, 0]).count() >= HOT_WORDS / 2);
        assert_eq!(lex.hot.get([0, 0]), None);
        assert!(!lex.hot.contains([0, 0]));
    }

    #[test]
    fn lowercase_lookup_matches_lookup_of_the_lowercase_copy() {
        let lex = Lexicon::english();
        for word in [
            "The",
            "THE",
            "the",
            "Teh",
            "HOUSE",
            "Internationalization",
            "INTERNATIONALIZATION",
            "Counterrevolutionaries",
            "Xqzzv",
            "A",
            "I",
            "Ab",
            "aB",
            "Patrick",
        ] {
            let lower = word.to_ascii_lowercase();
            assert_eq!(
                lex.contains_lowercase_of(word.as_bytes()),
                lex.contains(&lower),
                "{word}"
            );
        }
        let long = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(2);
        assert!(!lex.contains_lowercase_of(long.as_bytes()));
    }

    #[test]
    fn parse_skips_malformed_lines_and_duplicates() {
        let lex = Lexicon::parse("cat 10\nbad\ndog x\ncat 5\n", "cow\n\n");
        assert_eq!(lex.len(), 2);
        assert_eq!(lex.count("cat"), 10);
        assert!(lex.contains("cow"));
        assert_eq!(lex.count("cow"), 0);
        assert_eq!(lex.total_count(), 10);
    }
}
