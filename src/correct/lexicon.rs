//! The bundled English lexicon: words with corpus frequencies (SymSpell's list) plus words known
//! to be valid without a frequency (SCOWL), embedded in the binary so nothing is read or
//! downloaded at run time. Takes no input; produces an immutable word table that answers "is
//! this a word?" and "how frequent is it?" with one hash lookup. It must not change after it is
//! built: it is shared by every thread and every stage of a run.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;
use xxhash_rust::xxh3::xxh3_64;

/// `word count` per line, most frequent first (SymSpell `frequency_dictionary_en_82_765.txt`).
const FREQUENCY_LIST: &str = include_str!("../../data/lexicon/en_frequency.txt");
/// One word per line: valid English words absent from the list above (SCOWL size 70 US and
/// British, size 80 US words of six letters or more, size 50 two-letter words).
const KNOWN_LIST: &str = include_str!("../../data/lexicon/en_known.txt");
/// One word per line: words of the frequency list that SCOWL knows only as proper names.
const NAME_LIST: &str = include_str!("../../data/lexicon/en_names.txt");

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

/// Hash of a word (or any byte string) used as a map key across the stage.
pub fn word_hash(word: &[u8]) -> u64 {
    xxh3_64(word)
}

/// Identifier of a word in the lexicon (its line order: frequent words first).
pub type WordId = u32;

/// The English word table.
#[derive(Debug)]
pub struct Lexicon {
    words: Vec<&'static str>,
    counts: Vec<u64>,
    names: Vec<bool>,
    by_hash: PrehashedMap<WordId>,
    total: u64,
}

impl Lexicon {
    /// The embedded English lexicon, parsed on first use and then shared (immutable).
    pub fn english() -> &'static Lexicon {
        static ENGLISH: OnceLock<Lexicon> = OnceLock::new();
        ENGLISH.get_or_init(|| {
            let mut lex = Lexicon::parse(FREQUENCY_LIST, KNOWN_LIST);
            lex.mark_names(NAME_LIST);
            lex
        })
    }

    /// Builds a lexicon from a `word count` list and a plain list of known words. Malformed lines
    /// are skipped: the lists are bundled and checked by tests, not user input.
    pub fn parse(frequency_list: &'static str, known_list: &'static str) -> Lexicon {
        let capacity = frequency_list.len() / 14 + known_list.len() / 9;
        let mut lex = Lexicon {
            words: Vec::with_capacity(capacity),
            counts: Vec::with_capacity(capacity),
            names: Vec::new(),
            by_hash: PrehashedMap::default(),
            total: 0,
        };
        lex.by_hash.reserve(capacity);
        for line in frequency_list.lines() {
            let mut parts = line.split_ascii_whitespace();
            if let (Some(word), Some(count)) = (parts.next(), parts.next()) {
                if let Ok(count) = count.parse::<u64>() {
                    lex.insert(word, count);
                }
            }
        }
        for word in known_list.lines().map(str::trim).filter(|w| !w.is_empty()) {
            lex.insert(word, 0);
        }
        lex
    }

    /// Marks the words of `name_list` (one a line) as proper names: valid words, never a
    /// correction, since a name's spelling variants ("Aleksander") are not typos.
    pub fn mark_names(&mut self, name_list: &str) {
        self.names = vec![false; self.words.len()];
        for word in name_list.lines().map(str::trim) {
            if let Some(id) = self.lookup(word) {
                self.names[id as usize] = true;
            }
        }
    }

    /// Whether the word with id `id` is known only as a proper name.
    pub fn is_name(&self, id: WordId) -> bool {
        self.names.get(id as usize).copied().unwrap_or(false)
    }

    fn insert(&mut self, word: &'static str, count: u64) {
        let hash = word_hash(word.as_bytes());
        if self.by_hash.contains_key(&hash) {
            return;
        }
        let id = self.words.len() as WordId;
        self.by_hash.insert(hash, id);
        self.words.push(word);
        self.counts.push(count);
        self.total += count;
    }

    /// The id of `word` (lowercase), if it is in the lexicon. Words are told apart by their
    /// 64-bit hash alone: with some 300k words a false match has a chance near 1e-14, and it
    /// would only make the corrector leave a word alone.
    pub fn lookup(&self, word: &str) -> Option<WordId> {
        self.by_hash.get(&word_hash(word.as_bytes())).copied()
    }

    /// Whether `word` (lowercase) is a known English word.
    pub fn contains(&self, word: &str) -> bool {
        self.lookup(word).is_some()
    }

    /// The frequency count of `word` (0 for known words without a count, and for unknown words).
    pub fn count(&self, word: &str) -> u64 {
        self.lookup(word).map_or(0, |id| self.count_of(id))
    }

    /// The word with id `id`.
    pub fn word(&self, id: WordId) -> &'static str {
        self.words.get(id as usize).copied().unwrap_or("")
    }

    /// The frequency count of the word with id `id`.
    pub fn count_of(&self, id: WordId) -> u64 {
        self.counts.get(id as usize).copied().unwrap_or(0)
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the lexicon has no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Sum of all frequency counts (the size of the reference corpus).
    pub fn total_count(&self) -> u64 {
        self.total
    }

    /// All words with their ids, most frequent first.
    pub fn iter(&self) -> impl Iterator<Item = (WordId, &'static str)> + '_ {
        self.words
            .iter()
            .enumerate()
            .map(|(i, w)| (i as WordId, *w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn parse_skips_malformed_lines_and_duplicates() {
        let lex = Lexicon::parse("cat 10\nbad\ndog x\ncat 5\n", "cow\n\n");
        assert_eq!(lex.len(), 2);
        assert_eq!(lex.count("cat"), 10);
        assert!(lex.contains("cow"));
        assert_eq!(lex.count("cow"), 0);
        assert_eq!(lex.total_count(), 10);
    }
}
