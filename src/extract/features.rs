//! Text features of one line, in the style of jusText but computed on plain text: length in
//! characters and words, stopword density (per-language stopword lists bundled as data),
//! terminal punctuation, share of capitalised words, digits and separator characters.
//! It only measures; the classifier decides.

use crate::swar::{bits_between, classes64, in_range, low_bytes, Classes64};
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

/// Words of at most this many bytes are packed into two `u64` (with their length and, in the
/// table, their languages) and looked up without hashing a string; longer stopwords (none in
/// the bundled lists) go to a plain map.
const PACKED_BYTES: usize = 14;

/// A word of at most `PACKED_BYTES` bytes: bytes 0..8 in `lo`, bytes 8..14 in the low six
/// bytes of `hi` (little-endian, zero-padded), the length in byte 6 of `hi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct PackedWord {
    lo: u64,
    hi: u64,
}

impl PackedWord {
    /// The ASCII word `bytes[start..start + len]` lowercased (`len` ≤ `PACKED_BYTES`), read as
    /// two whole words; needs 16 bytes from `start`.
    #[inline(always)]
    fn load_lower(bytes: &[u8], start: usize, len: usize) -> PackedWord {
        let lo = load8(bytes, start) & low_bytes(len);
        let hi = load8(bytes, start + 8) & low_bytes(len.saturating_sub(8));
        let lower_ascii = |x: u64| x | in_range(x, b'A', b'Z') >> 2;
        PackedWord {
            lo: lower_ascii(lo),
            hi: lower_ascii(hi) | (len as u64) << 48,
        }
    }

    /// Packs `bytes`, lowercasing ASCII upper-case letters; `None` when longer than
    /// `PACKED_BYTES`.
    fn new(bytes: &[u8], ascii_lower: bool) -> Option<PackedWord> {
        if bytes.len() > PACKED_BYTES {
            return None;
        }
        let (mut lo, mut hi) = (0u64, 0u64);
        for (i, &b) in bytes.iter().enumerate() {
            let b = u64::from(if ascii_lower {
                b.to_ascii_lowercase()
            } else {
                b
            });
            if i < 8 {
                lo |= b << (8 * i);
            } else {
                hi |= b << (8 * (i - 8));
            }
        }
        Some(PackedWord {
            lo,
            hi: hi | (bytes.len() as u64) << 48,
        })
    }
}

/// Byte 7 of a slot's `hi`: the languages of the word.
const LANGS_SHIFT: u32 = 56;
const KEY_MASK: u64 = (1 << LANGS_SHIFT) - 1;

/// Every bundled stopword with the set of languages whose list holds it (bit `i` = the `i`-th
/// list). One probe answers for all languages at once; the hash is a multiply of the packed
/// bytes, so a lookup costs a few instructions instead of hashing a string once per language.
#[derive(Debug, Clone, Default)]
pub struct StopwordTable {
    /// Open addressing, linear probing; a slot is a `PackedWord` with the languages in the top
    /// byte of `hi`, and `hi == 0` for an empty slot (a packed length is never 0).
    slots: Vec<[u64; 2]>,
    /// Longest key in bytes: longer words are misses without probing.
    max_len: usize,
    /// Per ASCII first byte, bit `n` set when some key of `n` bytes (bit 15: 15 or more)
    /// starts with it: most words of running text are misses found here without probing.
    first: Vec<u16>,
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
        // Sparse (at most a quarter full): a probe rarely goes past its first slot.
        let capacity = (words.len() * 4).next_power_of_two().max(16);
        let mut table = StopwordTable {
            slots: vec![[0, 0]; capacity],
            max_len: 0,
            first: vec![0; 128],
            long: HashMap::new(),
        };
        for (word, langs) in words {
            table.max_len = table.max_len.max(word.len());
            if let Some(&b) = word.as_bytes().first().filter(|b| b.is_ascii()) {
                table.first[usize::from(b)] |= 1 << word.len().min(15);
            }
            let Some(key) = PackedWord::new(word.as_bytes(), false) else {
                table.long.insert(word, langs);
                continue;
            };
            let mut at = table.home(key);
            while table.slots[at][1] != 0 {
                at = (at + 1) & (capacity - 1);
            }
            table.slots[at] = [key.lo, key.hi | u64::from(langs) << LANGS_SHIFT];
        }
        table
    }

    #[inline]
    fn home(&self, key: PackedWord) -> usize {
        let h = (key.lo ^ key.hi.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 40) as usize & (self.slots.len() - 1)
    }

    /// The languages of a packed word.
    #[inline]
    fn probe(&self, key: PackedWord) -> u8 {
        if self.slots.is_empty() {
            return 0;
        }
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        loop {
            let [lo, hi] = self.slots[at];
            // Hit or empty slot ends the probe; written without a branch between the two,
            // which are equally likely in running text.
            let hit = lo == key.lo && hi & KEY_MASK == key.hi;
            if hit | (hi == 0) {
                return (hi >> LANGS_SHIFT) as u8 & 0u8.wrapping_sub(u8::from(hit));
            }
            at = (at + 1) & mask;
        }
    }

    /// The languages whose list holds `word` exactly (bit `i` = the `i`-th list).
    pub fn langs(&self, word: &str) -> u8 {
        if word.is_empty() || word.len() > self.max_len {
            return 0;
        }
        match PackedWord::new(word.as_bytes(), false) {
            Some(key) => self.probe(key),
            None => self.long.get(word).copied().unwrap_or(0),
        }
    }

    /// Whether some key of `len` bytes starts with the ASCII letter or digit `first` (either
    /// case); `false` rules the word out without probing.
    #[inline(always)]
    fn may_start(&self, first: u8, len: usize) -> bool {
        len <= self.max_len
            && self
                .first
                .get(usize::from(first.to_ascii_lowercase()))
                .is_some_and(|lens| lens >> len.min(15) & 1 != 0)
    }

    /// `langs` of the lowercase form of the word `text[start..end]`; `ascii` says whether the
    /// word is ASCII (then it is packed straight from `text`), `lower` is a scratch buffer.
    #[inline(always)]
    pub fn langs_lower_at(
        &self,
        text: &str,
        start: usize,
        end: usize,
        ascii: bool,
        lower: &mut String,
    ) -> u8 {
        let (bytes, len) = (text.as_bytes(), end - start);
        if !ascii {
            lowercase_into(&text[start..end], lower);
            self.langs(lower)
        } else if !self.may_start(bytes[start], len) {
            0
        } else if len <= PACKED_BYTES && start + 16 <= bytes.len() {
            self.probe(PackedWord::load_lower(bytes, start, len))
        } else {
            self.langs_ascii_lower(&text[start..end])
        }
    }

    /// `langs` of the lowercase form of `word`, an ASCII word, without copying it.
    pub fn langs_ascii_lower(&self, word: &str) -> u8 {
        if word.is_empty() || word.len() > self.max_len {
            return 0;
        }
        match PackedWord::new(word.as_bytes(), true) {
            Some(key) => self.probe(key),
            None => self
                .long
                .get(word.to_ascii_lowercase().as_str())
                .copied()
                .unwrap_or(0),
        }
    }
}

/// Stopword sets per language, built once per run.
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    /// Every list in one table, for votes between languages.
    table: StopwordTable,
    /// One small table per list (bit 0), for lookups in one language: fewer slots stay in
    /// the processor's nearest cache.
    per_lang: Vec<StopwordTable>,
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
            per_lang: lists
                .iter()
                .map(|&(_, text)| StopwordTable::build(&[(0, text)]))
                .collect(),
        }
    }

    /// The list for `lang` (English when `None`), if one is bundled.
    pub fn for_lang(&self, lang: Option<&str>) -> Option<StopwordList<'_>> {
        let lang = lang.unwrap_or("en");
        let i = STOPWORD_FILES.iter().position(|(code, _)| *code == lang)?;
        Some(StopwordList {
            table: self.per_lang.get(i)?,
            bit: 1,
        })
    }

    /// Every bundled list with its language code, in a fixed order (bit `i` of
    /// `StopwordTable::langs` of `table()` is the `i`-th).
    pub fn all(&self) -> impl Iterator<Item = (&'static str, StopwordList<'_>)> {
        STOPWORD_FILES
            .iter()
            .zip(&self.per_lang)
            .map(|((lang, _), table)| (*lang, StopwordList { table, bit: 1 }))
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

/// Eight bytes of `bytes` from `at` as a little-endian word.
#[inline]
fn load8(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(w)
}

/// What `measure` has counted so far, and the word being read.
struct Scan<'a> {
    f: LineFeatures,
    digits: usize,
    caps: usize,
    stops: usize,
    /// Whether the previous character was a letter or digit (inside a word).
    in_word: bool,
    word_start: usize,
    word_ascii: bool,
    stop: Option<StopwordList<'a>>,
}

impl Scan<'_> {
    /// Counts the stopword `line[start..end]` if it is one.
    #[inline(always)]
    fn end_word(&mut self, line: &str, end: usize, lower: &mut String) {
        let Some(set) = self.stop else {
            return;
        };
        let langs = set
            .table
            .langs_lower_at(line, self.word_start, end, self.word_ascii, lower);
        self.stops += usize::from(langs & set.bit != 0);
    }
}

/// Measures `line`; `stop` is the stopword list of the article's language, `lower` a scratch buffer.
/// ASCII text is read 64 bytes at a time as bit masks (letters and digits, capitals, digits,
/// separators), words are found from the masks; a block holding other characters is read
/// character by character.
pub fn measure(line: &str, stop: Option<StopwordList<'_>>, lower: &mut String) -> LineFeatures {
    measure_with_density_from(line, stop, lower, 0)
}

/// `measure`, but stopwords are only looked up in lines of at least `min_bytes` bytes (trimmed);
/// shorter lines get `stopword_density: None`. For callers that ignore the density of short
/// lines.
pub fn measure_with_density_from(
    line: &str,
    stop: Option<StopwordList<'_>>,
    lower: &mut String,
    min_bytes: usize,
) -> LineFeatures {
    let line = line.trim();
    let stop = stop.filter(|_| line.len() >= min_bytes);
    let bytes = line.as_bytes();
    let n = bytes.len();
    let mut s = Scan {
        f: LineFeatures::default(),
        digits: 0,
        caps: 0,
        stops: 0,
        in_word: false,
        word_start: 0,
        word_ascii: true,
        stop,
    };
    let mut padded: [u8; 64];
    let mut i = 0;
    while i < n {
        let width = (n - i).min(64);
        let block: &[u8; 64] = match bytes.get(i..i + 64).and_then(|b| b.try_into().ok()) {
            Some(block) => block,
            None => {
                // The last bytes, zero-padded: zero is neither a letter, a digit nor a separator.
                padded = [0u8; 64];
                padded[..width].copy_from_slice(&bytes[i..]);
                &padded
            }
        };
        let classes = classes64(block);
        if classes.non_ascii == 0 {
            s.ascii_block(line, i, width, &classes, lower);
            i += width;
            continue;
        }
        // The ASCII bytes before the first other one by their masks, that character by the
        // char path; the next block starts right after it. (Curly quotes and dashes are
        // common: reading a whole block by characters for one of them was most of the cost.)
        let ascii = (classes.non_ascii.trailing_zeros() as usize).min(width);
        if ascii > 0 {
            let keep = bits_between(0, ascii);
            let head = Classes64 {
                non_ascii: 0,
                alnum: classes.alnum & keep,
                upper: classes.upper & keep,
                digit: classes.digit & keep,
                sep: classes.sep & keep,
                space: classes.space & keep,
            };
            s.ascii_block(line, i, ascii, &head, lower);
            i += ascii;
        }
        if i < n {
            i += s.char_at(line, i, lower);
        }
    }
    if s.in_word {
        s.end_word(line, n, lower);
    }
    let mut f = s.f;
    if f.separators > 0 {
        f.separators -= url_slashes(line).min(f.separators);
    }
    if f.words > 0 {
        f.capitalised = s.caps as f32 / f.words as f32;
        f.stopword_density = stop.map(|_| s.stops as f32 / f.words as f32);
    }
    if f.chars > 0 {
        f.digits = s.digits as f32 / f.chars as f32;
    }
    f.terminal = ends_like_sentence(line);
    f
}

impl Scan<'_> {
    /// Reads `width` ASCII bytes of `line` from `at`, given by their classes (none past
    /// `width`).
    #[inline(always)]
    fn ascii_block(
        &mut self,
        line: &str,
        at: usize,
        width: usize,
        classes: &Classes64,
        lower: &mut String,
    ) {
        let (alnum, upper) = (classes.alnum, classes.upper);
        let digits = classes.digit.count_ones() as usize;
        let seps = classes.sep.count_ones() as usize;
        self.f.chars += width;
        self.digits += digits;
        self.f.separators += seps;
        let before = (alnum << 1) | u64::from(self.in_word);
        let mut starts = alnum & !before;
        self.f.words += starts.count_ones() as usize;
        self.caps += (starts & upper).count_ones() as usize;
        // A word carried over from the previous block ends at the first non-letter.
        if self.in_word {
            let run = (!alnum).trailing_zeros() as usize;
            if run < width {
                self.end_word(line, at + run, lower);
            }
        }
        self.in_word = alnum >> (width - 1) & 1 != 0;
        while starts != 0 {
            let j = starts.trailing_zeros() as usize;
            let run = (!(alnum >> j)).trailing_zeros() as usize;
            self.word_start = at + j;
            self.word_ascii = true;
            if j + run >= width {
                // Runs to the end of the block: ends later (or at the end of the line).
                break;
            }
            self.end_word(line, at + j + run, lower);
            starts &= starts - 1;
        }
    }

    /// Reads the character at byte `i` of `line`; returns its length in bytes.
    #[inline]
    fn char_at(&mut self, line: &str, i: usize, lower: &mut String) -> usize {
        let b = line.as_bytes()[i];
        let (alnum, upper, len) = if b < 0x80 {
            self.digits += usize::from(b.is_ascii_digit());
            self.f.separators += usize::from(matches!(b, b'|' | b'>' | b'/'));
            (b.is_ascii_alphanumeric(), b.is_ascii_uppercase(), 1)
        } else {
            let c = line[i..].chars().next().unwrap_or_default();
            if matches!(c, '›' | '»' | '•' | '·' | '→' | '‹' | '«') {
                self.f.separators += 1;
            }
            let alnum = c.is_alphanumeric();
            (alnum, alnum && c.is_uppercase(), c.len_utf8())
        };
        self.f.chars += 1;
        if alnum {
            if !self.in_word {
                self.word_start = i;
                self.word_ascii = true;
                self.f.words += 1;
                self.caps += usize::from(upper);
            }
            self.word_ascii &= b < 0x80;
        } else if self.in_word {
            self.end_word(line, i, lower);
        }
        self.in_word = alnum;
        len
    }
}

/// Writes `s` lowercased into `out` (replacing its content); fast path for ASCII text.
pub fn lowercase_into(s: &str, out: &mut String) {
    out.clear();
    lowercase_push(s, out);
}

/// Appends `s` lowercased to `out`, as `s.chars().flat_map(char::to_lowercase)`. The whole of
/// `s` is copied and its ASCII letters lowercased in place; of the other characters most
/// (curly quotes, dashes, lowercase letters) are their own lowercase, so only they are looked
/// at, and from the first that is not the rest goes character by character. (Runs of ASCII
/// between them were found byte by byte before: lines with a curly quote, most of a news
/// corpus, were 1.4% of a run's samples.)
pub fn lowercase_push(s: &str, out: &mut String) {
    let from = out.len();
    out.push_str(s);
    // Only ASCII bytes change, so the text stays UTF-8.
    if let Some(pushed) = out.get_mut(from..) {
        pushed.make_ascii_lowercase();
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(at) = next_non_ascii(bytes, i) {
        let Some(c) = s.get(at..).and_then(|rest| rest.chars().next()) else {
            return;
        };
        let mut lower = c.to_lowercase();
        if lower.len() != 1 || lower.next() != Some(c) {
            out.truncate(from + at);
            lowercase_push_chars(s.get(at..).unwrap_or_default(), out);
            return;
        }
        i = at + c.len_utf8();
    }
}

/// `lowercase_push` a character at a time.
fn lowercase_push_chars(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// The position of the first non-ASCII byte of `bytes` from `from` on, eight bytes at a time.
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(word) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(word.try_into().ok()?);
        let high = w & crate::swar::HIGH_BITS;
        if high != 0 {
            return Some(i + high.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|&b| b >= 0x80)
        .map(|p| i + p)
}

/// The slashes inside web addresses of `line` ("https://t.co/x": three). They are not menu
/// separators: a quoted post or a source line ending in a link is not a breadcrumb trail.
fn url_slashes(line: &str) -> usize {
    if memchr::memmem::find(line.as_bytes(), b"://").is_none() {
        return 0;
    }
    line.split_ascii_whitespace()
        .filter(|token| token.contains("://"))
        .map(|token| token.bytes().filter(|&b| b == b'/').count())
        .sum()
}

/// Whether `line` ends with sentence punctuation, possibly followed by closing quotes/brackets.
pub fn ends_like_sentence(line: &str) -> bool {
    let core = line.trim_end_matches(['"', '”', '’', '\'', ')', '»', ']', ' ']);
    core.ends_with(['.', '!', '?', ':', '。', '！', '？']) && !core.ends_with("...")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    proptest::proptest! {
        /// `lowercase_push` appends what its definition does, for ASCII, characters that are
        /// their own lowercase, ones that are not (some of other lengths: "İ", "Σ") and any mix.
        #[test]
        fn lowercase_push_matches_the_char_definition(
            head in "\\PC{0,3}",
            line in "([A-Za-z0-9 ,.!'-]{0,20}|[“”’—éßÜİΣǅ½٣ ]{0,3}|\\PC{0,3})*"
        ) {
            let mut out = head.clone();
            lowercase_push(&line, &mut out);
            let expected: String = line.chars().flat_map(char::to_lowercase).collect();
            proptest::prop_assert_eq!(out, format!("{head}{expected}"));
        }
    }

    #[test]
    fn next_non_ascii_finds_the_first_past_its_start() {
        let text = "abcdefgh\u{e9}ijklmnopq\u{201c}r";
        let bytes = text.as_bytes();
        assert_eq!(next_non_ascii(bytes, 0), Some(8));
        assert_eq!(next_non_ascii(bytes, 10), Some(19));
        assert_eq!(next_non_ascii(bytes, 22), None);
        assert_eq!(next_non_ascii(b"short", 0), None);
        assert_eq!(next_non_ascii(bytes, 99), None);
    }

    /// `measure` as first written: chars, then words split on non-alphanumerics, each looked
    /// up lowercased in a set of the language's words.
    fn reference(line: &str, stop: Option<&HashSet<&str>>) -> LineFeatures {
        let line = line.trim();
        let mut f = LineFeatures::default();
        let (mut digits, mut caps, mut stops) = (0usize, 0usize, 0usize);
        for c in line.chars() {
            f.chars += 1;
            if c.is_ascii_digit() {
                digits += 1;
            }
            if matches!(c, '|' | '›' | '»' | '•' | '·' | '>' | '/' | '→' | '‹' | '«') {
                f.separators += 1;
            }
        }
        for word in line
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            f.words += 1;
            if word.chars().next().is_some_and(char::is_uppercase) {
                caps += 1;
            }
            let lower: String = word.chars().flat_map(char::to_lowercase).collect();
            if stop.is_some_and(|set| set.contains(lower.as_str())) {
                stops += 1;
            }
        }
        f.separators -= url_slashes(line).min(f.separators);
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

    fn reference_set(lang: &str) -> HashSet<&'static str> {
        let (_, text) = STOPWORD_FILES
            .iter()
            .find(|(code, _)| *code == lang)
            .expect("bundled");
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect()
    }

    #[test]
    fn measure_agrees_with_the_first_version() {
        let stop = Stopwords::bundled();
        let mut buf = String::new();
        let pieces = [
            "The",
            "the",
            "THE",
            "and",
            "AND",
            "Und",
            "der",
            "de",
            "l'",
            "qu'il",
            "it's",
            "é",
            "École",
            "Straße",
            "İstanbul",
            "Κόσμος",
            "что",
            "Что",
            "’",
            "—",
            "›",
            "»",
            "•",
            "|",
            "/",
            ">",
            " ",
            "  ",
            ",",
            ".",
            "!",
            "\"",
            "“",
            "1",
            "2024",
            "x1",
            "ﬁ",
            "K",
            "extraordinarily",
            "notwithstanding",
            "we",
            "y",
            "à",
            "über",
            "ob",
            "z.B.",
            "\t",
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut lines: Vec<String> = Vec::new();
        for _ in 0..20_000 {
            let n = (next() % 40) as usize;
            let mut line = String::new();
            for _ in 0..n {
                line.push_str(pieces[(next() % pieces.len() as u64) as usize]);
                if next() % 3 != 0 {
                    line.push(' ');
                }
            }
            lines.push(line);
        }
        lines.push("The cat sat on the mat.".into());
        lines.push(String::new());
        for lang in ["en", "fr", "de", "es", "it", "nl", "pt", "ru"] {
            let set = reference_set(lang);
            let list = stop.for_lang(Some(lang));
            for line in &lines {
                assert_eq!(
                    measure(line, list, &mut buf),
                    reference(line, Some(&set)),
                    "{line:?}"
                );
            }
        }
        for line in &lines {
            assert_eq!(
                measure(line, None, &mut buf),
                reference(line, None),
                "{line:?}"
            );
        }
    }

    #[test]
    fn table_lookups_match_the_lists() {
        let stop = Stopwords::bundled();
        for (lang, list) in stop.all() {
            let set = reference_set(lang);
            for word in &set {
                assert!(list.contains(word), "{lang} {word}");
                if word.is_ascii() {
                    assert!(
                        list.contains_ascii_lower(&word.to_ascii_uppercase()),
                        "{lang} {word}"
                    );
                }
            }
            for word in ["", "xyzzy", "thee", "th", "a\0", "extraordinarily"] {
                assert_eq!(list.contains(word), set.contains(word), "{lang} {word:?}");
            }
        }
    }

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
        // A link's slashes are not separators; spaced slashes between items are.
        let sep = |line: &str| measure(line, None, &mut String::new()).separators;
        assert_eq!(sep("we're. on. it. https://t.co/HO1ZRs9T1P"), 0);
        assert_eq!(sep("News / Sport / https://example.test/a/b"), 2);
        assert_eq!(sep("Home | News | World"), 2);
        assert!((f.capitalised - 1.0).abs() < 1e-6);
        assert!(!f.terminal);
        assert!(measure("He said “yes.”", None, &mut buf).terminal);
        assert!(!measure("Continue...", None, &mut buf).terminal);
        assert!(measure("13/07/2024", None, &mut buf).digits > 0.5);
    }
}
