//! Text features of one line, in the style of jusText but computed on plain text: length in
//! characters and words, stopword density (per-language stopword lists bundled as data),
//! terminal punctuation, share of capitalised words, digits and separator characters.
//! It only measures; the classifier decides.

use std::collections::HashMap;

/// The bundled stopword lists: (ISO 639-1 code, list).
const STOPWORD_FILES: [(&str, &str); 8] = [
    (
        "en",
        include_str!("../../data/boilerplate/stopwords_en.txt"),
    ),
    (
        "fr",
        include_str!("../../data/boilerplate/stopwords_fr.txt"),
    ),
    (
        "de",
        include_str!("../../data/boilerplate/stopwords_de.txt"),
    ),
    (
        "es",
        include_str!("../../data/boilerplate/stopwords_es.txt"),
    ),
    (
        "it",
        include_str!("../../data/boilerplate/stopwords_it.txt"),
    ),
    (
        "nl",
        include_str!("../../data/boilerplate/stopwords_nl.txt"),
    ),
    (
        "pt",
        include_str!("../../data/boilerplate/stopwords_pt.txt"),
    ),
    (
        "ru",
        include_str!("../../data/boilerplate/stopwords_ru.txt"),
    ),
];

/// Number of bundled stopword lists (one bit each in a `StopwordTable` entry).
pub const LANGUAGES: usize = STOPWORD_FILES.len();
const _: () = assert!(LANGUAGES <= 8, "language sets are a u8 bit mask");

/// Words of at most this many bytes are packed into two `u64` and looked up without hashing
/// a string; longer stopwords (none in the bundled lists) go to a plain map.
const PACKED_BYTES: usize = 16;

/// One slot of the open-addressing table: a packed word, its length (0 = empty slot) and the
/// languages whose list holds it.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: [u64; 2],
    len: u8,
    langs: u8,
}

/// Every bundled stopword with the set of languages whose list holds it (bit `i` = the `i`-th
/// list). One probe answers for all languages at once; the hash is a multiply of the packed
/// bytes, so a lookup costs a few instructions instead of hashing a string once per language.
#[derive(Debug, Clone, Default)]
pub struct StopwordTable {
    slots: Vec<Slot>,
    /// Longest key in bytes: longer words are misses without probing.
    max_len: usize,
    /// Keys longer than `PACKED_BYTES`.
    long: HashMap<&'static str, u8>,
}

impl StopwordTable {
    fn build(lists: &[(usize, &'static str)]) -> Self {
        let mut words: Vec<(&'static str, u8)> = Vec::new();
        let mut index: HashMap<&'static str, usize> = HashMap::new();
        for &(lang, text) in lists {
            for word in text
                .lines()
                .filter(|l| !l.starts_with('#'))
                .flat_map(str::split_whitespace)
            {
                let at = *index.entry(word).or_insert_with(|| {
                    words.push((word, 0));
                    words.len() - 1
                });
                words[at].1 |= 1 << lang;
            }
        }
        let capacity = (words.len() * 2).next_power_of_two().max(16);
        let mut table = StopwordTable {
            slots: vec![Slot::default(); capacity],
            max_len: 0,
            long: HashMap::new(),
        };
        for (word, langs) in words {
            table.max_len = table.max_len.max(word.len());
            if word.len() > PACKED_BYTES {
                table.long.insert(word, langs);
                continue;
            }
            let key = pack(word.as_bytes().iter().copied());
            let mut at = table.home(key, word.len());
            while table.slots[at].len != 0 {
                at = (at + 1) & (capacity - 1);
            }
            table.slots[at] = Slot {
                key,
                len: word.len() as u8,
                langs,
            };
        }
        table
    }

    fn home(&self, key: [u64; 2], len: usize) -> usize {
        let h = (key[0] ^ key[1].rotate_left(29) ^ len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 40) as usize & (self.slots.len() - 1)
    }

    fn probe(&self, key: [u64; 2], len: usize) -> u8 {
        let mask = self.slots.len() - 1;
        let mut at = self.home(key, len);
        loop {
            let slot = &self.slots[at];
            if slot.len == 0 {
                return 0;
            }
            if slot.key == key && slot.len as usize == len {
                return slot.langs;
            }
            at = (at + 1) & mask;
        }
    }

    /// The languages whose list holds `word` exactly (bit `i` = the `i`-th list).
    pub fn langs(&self, word: &str) -> u8 {
        if word.is_empty() || word.len() > self.max_len || self.slots.is_empty() {
            return 0;
        }
        if word.len() > PACKED_BYTES {
            return self.long.get(word).copied().unwrap_or(0);
        }
        self.probe(pack(word.bytes()), word.len())
    }

    /// `langs` of the lowercase form of `word`, an ASCII word, without copying it.
    pub fn langs_ascii_lower(&self, word: &str) -> u8 {
        if word.is_empty() || word.len() > self.max_len || self.slots.is_empty() {
            return 0;
        }
        if word.len() > PACKED_BYTES {
            return self
                .long
                .get(word.to_ascii_lowercase().as_str())
                .copied()
                .unwrap_or(0);
        }
        self.probe(
            pack(word.bytes().map(|b| b.to_ascii_lowercase())),
            word.len(),
        )
    }
}

/// At most `PACKED_BYTES` bytes as two little-endian words, zero-padded.
fn pack(bytes: impl Iterator<Item = u8>) -> [u64; 2] {
    let mut buf = [0u8; PACKED_BYTES];
    for (slot, b) in buf.iter_mut().zip(bytes) {
        *slot = b;
    }
    let (lo, hi) = buf.split_at(8);
    let word = |half: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(half);
        u64::from_le_bytes(w)
    };
    [word(lo), word(hi)]
}

/// Stopword sets per language, built once per run.
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    table: StopwordTable,
}

impl Stopwords {
    /// The bundled lists.
    pub fn bundled() -> Self {
        let lists: Vec<(usize, &'static str)> = STOPWORD_FILES
            .iter()
            .enumerate()
            .map(|(i, (_, text))| (i, *text))
            .collect();
        Stopwords {
            table: StopwordTable::build(&lists),
        }
    }

    /// The list for `lang` (English when `None`), if one is bundled.
    pub fn for_lang(&self, lang: Option<&str>) -> Option<StopwordList<'_>> {
        let lang = lang.unwrap_or("en");
        let i = STOPWORD_FILES.iter().position(|(code, _)| *code == lang)?;
        Some(StopwordList {
            table: &self.table,
            bit: 1 << i,
        })
    }

    /// Every bundled list with its language code, in a fixed order (bit `i` of
    /// `StopwordTable::langs` is the `i`-th).
    pub fn all(&self) -> impl Iterator<Item = (&'static str, StopwordList<'_>)> {
        STOPWORD_FILES.iter().enumerate().map(|(i, (lang, _))| {
            (
                *lang,
                StopwordList {
                    table: &self.table,
                    bit: 1 << i,
                },
            )
        })
    }

    /// All lists in one table.
    pub fn table(&self) -> &StopwordTable {
        &self.table
    }
}

/// The stopword list of one language.
#[derive(Debug, Clone, Copy)]
pub struct StopwordList<'a> {
    table: &'a StopwordTable,
    bit: u8,
}

impl StopwordList<'_> {
    /// Whether the list holds `word` exactly.
    pub fn contains(&self, word: &str) -> bool {
        self.table.langs(word) & self.bit != 0
    }

    /// Whether the list holds the lowercase form of `word`, an ASCII word.
    pub fn contains_ascii_lower(&self, word: &str) -> bool {
        self.table.langs_ascii_lower(word) & self.bit != 0
    }
}

/// Measurements of one line.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LineFeatures {
    /// Characters (Unicode scalar values), surrounding whitespace excluded.
    pub chars: usize,
    /// Words: maximal runs of letters and digits.
    pub words: usize,
    /// Share of words in the language's stopword list; `None` when no list is bundled.
    pub stopword_density: Option<f32>,
    /// Ends like a sentence (`.`, `!`, `?`, `:`, possibly before a closing quote; not `...`).
    pub terminal: bool,
    /// Share of words that start with an upper-case letter.
    pub capitalised: f32,
    /// Share of characters that are digits.
    pub digits: f32,
    /// Count of separator characters typical of menus and breadcrumbs (`|`, `›`, `»`, `•`, `/`, `>`).
    pub separators: usize,
}

/// Measures `line`; `stop` is the stopword list of the article's language, `lower` a scratch buffer.
/// One pass over the bytes: ASCII is classified by byte tests, other characters are decoded.
pub fn measure(line: &str, stop: Option<StopwordList<'_>>, lower: &mut String) -> LineFeatures {
    let line = line.trim();
    let bytes = line.as_bytes();
    let mut f = LineFeatures::default();
    let mut digits = 0usize;
    let mut caps = 0usize;
    let mut stops = 0usize;
    // Byte offset of the word being read (words are maximal runs of letters and digits).
    let mut word_start: Option<usize> = None;
    let mut word_ascii = true;
    let mut count_word = |word: &str, ascii: bool, f: &mut LineFeatures| {
        f.words += 1;
        if let Some(set) = stop {
            let hit = if ascii {
                set.contains_ascii_lower(word)
            } else {
                lowercase_into(word, lower);
                set.contains(lower)
            };
            stops += usize::from(hit);
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (alnum, upper, len) = if b < 0x80 {
            digits += usize::from(b.is_ascii_digit());
            f.separators += usize::from(matches!(b, b'|' | b'>' | b'/'));
            (b.is_ascii_alphanumeric(), b.is_ascii_uppercase(), 1)
        } else {
            let c = line[i..].chars().next().unwrap_or_default();
            if matches!(c, '›' | '»' | '•' | '·' | '→' | '‹' | '«') {
                f.separators += 1;
            }
            (c.is_alphanumeric(), c.is_uppercase(), c.len_utf8())
        };
        f.chars += 1;
        if alnum {
            if word_start.is_none() {
                word_start = Some(i);
                word_ascii = true;
                caps += usize::from(upper);
            }
            word_ascii &= b < 0x80;
        } else if let Some(start) = word_start.take() {
            count_word(&line[start..i], word_ascii, &mut f);
        }
        i += len;
    }
    if let Some(start) = word_start {
        count_word(&line[start..], word_ascii, &mut f);
    }
    if f.words > 0 {
        f.capitalised = caps as f32 / f.words as f32;
        f.stopword_density = stop.map(|_| stops as f32 / f.words as f32);
    }
    if f.chars > 0 {
        f.digits = digits as f32 / f.chars as f32;
    }
    f.terminal = ends_like_sentence(line);
    f
}

/// Writes `s` lowercased into `out` (replacing its content); fast path for ASCII text.
pub fn lowercase_into(s: &str, out: &mut String) {
    out.clear();
    lowercase_push(s, out);
}

/// Appends `s` lowercased to `out`, as `s.chars().flat_map(char::to_lowercase)`: runs of ASCII
/// are copied and lowercased in place, only other characters go through `char::to_lowercase`.
pub fn lowercase_push(s: &str, out: &mut String) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..].iter().take_while(|b| b.is_ascii()).count();
        if run > 0 {
            let from = out.len();
            out.push_str(&s[i..i + run]);
            out.as_mut_str()[from..].make_ascii_lowercase();
            i += run;
        }
        if let Some(c) = s[i..].chars().next() {
            out.extend(c.to_lowercase());
            i += c.len_utf8();
        }
    }
}

/// Whether `line` ends with sentence punctuation, possibly followed by closing quotes/brackets.
pub fn ends_like_sentence(line: &str) -> bool {
    let core = line.trim_end_matches(['"', '”', '’', '\'', ')', '»', ']', ' ']);
    core.ends_with(['.', '!', '?', ':', '。', '！', '？']) && !core.ends_with("...")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopword_density_per_language() {
        let stop = Stopwords::bundled();
        let mut buf = String::new();
        let en = measure(
            "The cat sat on the mat.",
            stop.for_lang(Some("en")),
            &mut buf,
        );
        assert_eq!(en.words, 6);
        assert!((en.stopword_density.unwrap_or(0.0) - 0.5).abs() < 1e-6);
        let de = measure(
            "Der Hund und die Katze.",
            stop.for_lang(Some("de")),
            &mut buf,
        );
        assert!(de.stopword_density.unwrap_or(0.0) >= 0.6);
        assert!(stop.for_lang(Some("xx")).is_none());
    }

    #[test]
    fn shape_features() {
        let mut buf = String::new();
        let f = measure("Home › World › Europe", None, &mut buf);
        assert_eq!(f.separators, 2);
        assert!((f.capitalised - 1.0).abs() < 1e-6);
        assert!(!f.terminal);
        assert!(measure("He said “yes.”", None, &mut buf).terminal);
        assert!(!measure("Continue...", None, &mut buf).terminal);
        assert!(measure("13/07/2024", None, &mut buf).digits > 0.5);
    }
}
