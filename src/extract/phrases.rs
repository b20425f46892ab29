//! Phrase rules for page noise (subscribe prompts, comment forms, share widgets, credits, ...),
//! kept as data files in `data/boilerplate/phrases_*.txt` and compiled once into one
//! Aho-Corasick automaton. It takes a line and answers which rule category it matches, if any;
//! it does not decide whether the line is removed (the classifier weighs the match).

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// The bundled phrase lists, one per language; all are matched on every article because page
/// noise in another language than the story is common.
const PHRASE_FILES: [&str; 4] = [
    include_str!("../../data/boilerplate/phrases_en.txt"),
    include_str!("../../data/boilerplate/phrases_fr.txt"),
    include_str!("../../data/boilerplate/phrases_de.txt"),
    include_str!("../../data/boilerplate/phrases_es.txt"),
];

/// Where in a line a phrase must occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    /// The whole line, ignoring surrounding punctuation.
    Line,
    /// The start of the line.
    Start,
    /// Anywhere, on word boundaries.
    Anywhere,
}

/// One phrase rule.
#[derive(Debug, Clone)]
struct Rule {
    category: &'static str,
    anchor: Anchor,
    /// Whole-line rules and phrases marked `!` are specific enough to apply to lines that read
    /// as a sentence; the others apply only to lines that do not.
    strong: bool,
}

/// A phrase rule that matched a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhraseMatch {
    /// Rule category, used in the reason code (`keyword:<category>`).
    pub category: &'static str,
    /// Whether the rule is specific enough to apply to sentence-like lines too.
    pub strong: bool,
}

/// The compiled phrase rules.
#[derive(Debug, Clone)]
pub struct PhraseMatcher {
    automaton: AhoCorasick,
    rules: Vec<Rule>,
}

impl PhraseMatcher {
    /// Compiles the bundled phrase lists.
    pub fn bundled() -> crate::error::Result<Self> {
        Self::from_sources(&PHRASE_FILES)
    }

    /// Compiles phrase lists in the `data/boilerplate/phrases_*.txt` syntax.
    pub fn from_sources(sources: &[&'static str]) -> crate::error::Result<Self> {
        let mut patterns: Vec<String> = Vec::new();
        let mut rules = Vec::new();
        for source in sources {
            let mut category = "phrase";
            for raw in source.lines() {
                let line = raw.trim_end_matches(['\r', '\n']);
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                    category = name;
                    continue;
                }
                let (specific, line) = match line.strip_prefix('!') {
                    Some(rest) => (true, rest),
                    None => (false, line),
                };
                let (anchor, phrase) = if let Some(p) = line.strip_prefix('=') {
                    (Anchor::Line, p)
                } else if let Some(p) = line.strip_prefix('^') {
                    (Anchor::Start, p)
                } else {
                    (Anchor::Anywhere, line)
                };
                let phrase = phrase.trim_start().to_lowercase();
                let strong = specific || anchor == Anchor::Line;
                patterns.push(phrase);
                rules.push(Rule {
                    category,
                    anchor,
                    strong,
                });
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| crate::error::Error::Config(format!("phrase lists: {e}")))?;
        Ok(PhraseMatcher { automaton, rules })
    }

    /// The rule that `lower`, a lowercased line, matches: the first strong one, else the first.
    pub fn find(&self, lower: &str) -> Option<PhraseMatch> {
        let core = trim_noise(lower);
        if core.is_empty() {
            return None;
        }
        let mut weak = None;
        for m in self.automaton.find_overlapping_iter(core) {
            let rule = &self.rules[m.pattern().as_usize()];
            let (start, end) = (m.start(), m.end());
            let starts_word = !(is_alnum_before(core, start) && is_alnum_at(core, start));
            let ends_word = !(is_alnum_before(core, end) && is_alnum_at(core, end));
            let ok = match rule.anchor {
                Anchor::Line => start == 0 && trim_noise(&core[end..]).is_empty(),
                Anchor::Start => start == 0 && ends_word,
                Anchor::Anywhere => starts_word && ends_word,
            };
            if ok {
                let found = PhraseMatch {
                    category: rule.category,
                    strong: rule.strong,
                };
                if rule.strong {
                    return Some(found);
                }
                weak = weak.or(Some(found));
            }
        }
        weak
    }
}

/// The line without leading and trailing characters that are neither letters nor digits nor
/// an opening bracket/quote (bullets, arrows, separators, colons).
pub fn trim_noise(s: &str) -> &str {
    s.trim_matches(|c: char| !(c.is_alphanumeric() || c == '(' || c == '©'))
}

/// Whether the char before byte `at` is a letter or digit (a match boundary inside a word).
fn is_alnum_before(s: &str, at: usize) -> bool {
    s[..at]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

/// Whether the char at byte `at` is a letter or digit.
fn is_alnum_at(s: &str, at: usize) -> bool {
    s[at..].chars().next().is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(line: &str) -> Option<&'static str> {
        let m = PhraseMatcher::bundled().expect("compiles");
        m.find(&line.to_lowercase()).map(|p| p.category)
    }

    #[test]
    fn whole_line_rules_need_the_whole_line() {
        assert_eq!(cat("› Subscribe"), Some("subscribe"));
        assert_eq!(cat("Share"), Some("share"));
        assert_eq!(cat("Share prices fell sharply on Monday."), None);
        assert_eq!(cat("Advertisement"), Some("advertisement"));
    }

    #[test]
    fn word_boundaries_are_respected() {
        assert_eq!(cat("The shareholders met."), None);
        assert_eq!(cat("Cookies"), Some("cookie"));
        let m = PhraseMatcher::bundled().expect("compiles");
        let strong = m
            .find("© 2019 acme inc. all rights reserved.")
            .map(|p| p.strong);
        assert_eq!(strong, Some(true));
        assert_eq!(cat("Please enter your comment!"), Some("comment_form"));
    }

    #[test]
    fn start_rules() {
        assert_eq!(cat("Photo by Jane Doe, Reuters"), Some("credit"));
        assert_eq!(
            cat("See also  War in Ukraine | Civilians"),
            Some("read_more")
        );
        assert_eq!(cat("Tags: politics, economy"), Some("tags"));
        assert_eq!(cat("Home › World › Europe"), None);
    }

    #[test]
    fn other_languages() {
        assert_eq!(
            cat("Abonnez-vous à notre lettre d'information"),
            Some("subscribe")
        );
        assert_eq!(cat("Alle Rechte vorbehalten."), Some("copyright"));
        assert_eq!(cat("Lesen Sie auch: Die Bahn streikt"), Some("read_more"));
        assert_eq!(cat("Todos los derechos reservados"), Some("copyright"));
    }
}
