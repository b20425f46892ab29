//! Text features of one line, in the style of jusText but computed on plain text: length in
//! characters and words, stopword density (per-language stopword lists bundled as data),
//! terminal punctuation, share of capitalised words, digits and separator characters.
//! It only measures; the classifier decides.

use std::collections::{HashMap, HashSet};
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

/// A stopword set (fast non-cryptographic hashing: the keys are fixed bundled words).
pub type WordSet = HashSet<&'static str, Xxh3DefaultBuilder>;

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

/// Stopword sets per language, built once per run.
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    by_lang: HashMap<&'static str, WordSet>,
}

impl Stopwords {
    /// The bundled lists.
    pub fn bundled() -> Self {
        let mut by_lang = HashMap::new();
        for (lang, text) in STOPWORD_FILES {
            let set: WordSet = text
                .lines()
                .filter(|l| !l.starts_with('#'))
                .flat_map(str::split_whitespace)
                .collect();
            by_lang.insert(lang, set);
        }
        Stopwords { by_lang }
    }

    /// The list for `lang`, if one is bundled.
    pub fn for_lang(&self, lang: Option<&str>) -> Option<&WordSet> {
        self.by_lang.get(lang.unwrap_or("en"))
    }

    /// Every bundled list with its language code, in a fixed order.
    pub fn all(&self) -> impl Iterator<Item = (&'static str, &WordSet)> {
        STOPWORD_FILES
            .iter()
            .filter_map(|(lang, _)| self.by_lang.get(lang).map(|set| (*lang, set)))
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
pub fn measure(line: &str, stop: Option<&WordSet>, lower: &mut String) -> LineFeatures {
    let line = line.trim();
    let mut f = LineFeatures::default();
    let mut digits = 0usize;
    let mut caps = 0usize;
    let mut stops = 0usize;
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
        if let Some(set) = stop {
            // Most words are already lower-case ASCII: look them up without copying.
            let hit = if word.bytes().all(|b| b.is_ascii_lowercase()) {
                set.contains(word)
            } else {
                lowercase_into(word, lower);
                set.contains(lower.as_str())
            };
            if hit {
                stops += 1;
            }
        }
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
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        out.extend(s.chars().flat_map(char::to_lowercase));
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
        assert_eq!(stop.for_lang(Some("xx")), None);
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
