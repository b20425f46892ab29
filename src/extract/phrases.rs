//! Phrase rules for page noise (subscribe prompts, comment forms, share widgets, credits, ...),
//! kept as data files in `data/boilerplate/phrases_*.txt` and compiled once into one
//! Aho-Corasick automaton. It takes a line and answers which rule category it matches, if any;
//! it does not decide whether the line is removed (the classifier weighs the match).

use aho_corasick::automaton::OverlappingState;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use std::sync::OnceLock;

/// The bundled phrase lists, one per language; all are matched on every article because page
/// noise in another language than the story is common.
const PHRASE_FILES: [&str; 7] = [
    include_str!("../../data/boilerplate/phrases_en.txt"),
    include_str!("../../data/boilerplate/phrases_fr.txt"),
    include_str!("../../data/boilerplate/phrases_de.txt"),
    include_str!("../../data/boilerplate/phrases_es.txt"),
    include_str!("../../data/boilerplate/phrases_it.txt"),
    include_str!("../../data/boilerplate/phrases_nl.txt"),
    include_str!("../../data/boilerplate/phrases_pt.txt"),
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

/// The phrases of some of the rules in one automaton, with the rule of each pattern.
#[derive(Debug, Clone)]
struct RuleSet {
    automaton: AhoCorasick,
    /// Pattern index → index in `PhraseMatcher::rules` (increasing).
    rules: Vec<usize>,
    /// For unanchored sets: a part of each phrase (see `needle`). A line holding none of them
    /// holds no phrase, and this is checked much faster than the overlapping search (the
    /// parts are rarer in running text than the phrases' first letters, which the search's
    /// own prefilter looks for).
    needles: Option<AhoCorasick>,
}

impl RuleSet {
    fn build(patterns: &[String], rules: Vec<usize>, anchored: bool) -> crate::error::Result<Self> {
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .start_kind(if anchored {
                StartKind::Anchored
            } else {
                StartKind::Unanchored
            })
            .build(rules.iter().map(|&r| &patterns[r]))
            .map_err(|e| crate::error::Error::Config(format!("phrase lists: {e}")))?;
        let needles = if anchored {
            None
        } else {
            let mut words: Vec<&str> = rules.iter().map(|&r| needle(&patterns[r])).collect();
            words.sort_unstable();
            words.dedup();
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(&words)
                    .map_err(|e| crate::error::Error::Config(format!("phrase lists: {e}")))?,
            )
        };
        Ok(RuleSet {
            automaton,
            rules,
            needles,
        })
    }

    /// Whether `core` may hold one of the phrases (see `needles`).
    fn may_match(&self, core: &str) -> bool {
        self.needles.as_ref().is_none_or(|n| n.is_match(core))
    }
}

/// The part of `phrase` looked for before searching it: its longest space-separated word
/// (the first of equal ones) with the word after it, if any. Long words rarely start a
/// candidate in running text; the next word makes the part rarer still.
fn needle(phrase: &str) -> &str {
    let words: Vec<(usize, &str)> = phrase
        .split(' ')
        .scan(0, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .collect();
    let mut best = 0;
    for (k, (_, w)) in words.iter().enumerate() {
        if w.len() > words[best].1.len() {
            best = k;
        }
    }
    let start = words[best].0;
    let end = match words.get(best + 1) {
        Some((at, w)) => at + w.len(),
        None => phrase.len(),
    };
    &phrase[start..end]
}

/// A match that satisfied its rule: (end, start, rule index). The smallest is the one a single
/// automaton over all phrases reports first in an overlapping search (by end; at one end the
/// longer phrase, then the earlier rule), which is how the rules were first applied.
type Found = (usize, usize, usize);

/// The compiled phrase rules. They are split by where they may match: whole-line and
/// start-of-line rules need only an anchored search at the start of the line, and the weak
/// rules that may occur anywhere are searched only when a strong rule cannot decide.
#[derive(Debug, Clone)]
pub struct PhraseMatcher {
    /// `Anchor::Line` and `Anchor::Start` rules, searched anchored at the start of the line.
    anchored: RuleSet,
    /// Strong `Anchor::Anywhere` rules.
    strong_anywhere: RuleSet,
    /// Weak `Anchor::Anywhere` rules.
    weak_anywhere: RuleSet,
    /// Strong `Anchor::Anywhere` rules per category.
    strong_by_category: Vec<(&'static str, RuleSet)>,
    /// The first two bytes of the anchored phrases, one bit per pair (a one-byte phrase sets
    /// every pair it starts): a line starting otherwise starts with none of them.
    anchored_starts: Vec<u64>,
    rules: Vec<Rule>,
}

/// Parses phrase lists in the `data/boilerplate/phrases_*.txt` syntax: the lowercased phrases
/// and their rules, in file order.
fn parse(sources: &[&'static str]) -> crate::error::Result<(Vec<String>, Vec<Rule>)> {
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
            if phrase.is_empty() {
                return Err(crate::error::Error::Config(format!(
                    "phrase lists: empty phrase in [{category}]"
                )));
            }
            let strong = specific || anchor == Anchor::Line;
            patterns.push(phrase);
            rules.push(Rule {
                category,
                anchor,
                strong,
            });
        }
    }
    Ok((patterns, rules))
}

impl PhraseMatcher {
    /// The bundled phrase lists, compiled once per process: the metadata extractor and the
    /// boilerplate stripper both use them, and compiling took ~15 ms each time. The two are
    /// built on two threads at the start of a run: a second caller waits for the first's
    /// automata rather than compiling its own. The automata are shared, not copied.
    pub fn bundled() -> crate::error::Result<Self> {
        static BUNDLED: OnceLock<Result<PhraseMatcher, String>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| {
                Self::from_sources(&PHRASE_FILES).map_err(|e| match e {
                    crate::error::Error::Config(message) => message,
                    other => other.to_string(),
                })
            })
            .clone()
            .map_err(crate::error::Error::Config)
    }

    /// Compiles phrase lists in the `data/boilerplate/phrases_*.txt` syntax.
    pub fn from_sources(sources: &[&'static str]) -> crate::error::Result<Self> {
        let (patterns, rules) = parse(sources)?;
        let select = |keep: &dyn Fn(&Rule) -> bool| -> Vec<usize> {
            (0..rules.len()).filter(|&i| keep(&rules[i])).collect()
        };
        let anchored = select(&|r| r.anchor != Anchor::Anywhere);
        let strong_anywhere = select(&|r| r.anchor == Anchor::Anywhere && r.strong);
        let weak_anywhere = select(&|r| r.anchor == Anchor::Anywhere && !r.strong);
        let mut categories: Vec<&'static str> = rules.iter().map(|r| r.category).collect();
        categories.sort_unstable();
        categories.dedup();
        let mut strong_by_category = Vec::new();
        for category in categories {
            let ids =
                select(&|r| r.anchor == Anchor::Anywhere && r.strong && r.category == category);
            if !ids.is_empty() {
                strong_by_category.push((category, RuleSet::build(&patterns, ids, false)?));
            }
        }
        let mut anchored_starts = vec![0u64; 65536 / 64];
        for &r in &anchored {
            let p = patterns[r].as_bytes();
            let (first, seconds) = match p {
                [a] => (*a, 0..=255u8),
                [a, b, ..] => (*a, *b..=*b),
                [] => continue,
            };
            for second in seconds {
                let pair = usize::from(first) << 8 | usize::from(second);
                anchored_starts[pair / 64] |= 1 << (pair % 64);
            }
        }
        Ok(PhraseMatcher {
            anchored_starts,
            strong_by_category,
            anchored: RuleSet::build(&patterns, anchored, true)?,
            strong_anywhere: RuleSet::build(&patterns, strong_anywhere, false)?,
            weak_anywhere: RuleSet::build(&patterns, weak_anywhere, false)?,
            rules,
        })
    }

    /// The rule that `lower`, a lowercased line, matches: the first strong one, else the first.
    pub fn find(&self, lower: &str) -> Option<PhraseMatch> {
        self.search(lower, false)
    }

    /// The first strong rule that `lower` matches: what `find` returns when that is strong.
    pub fn find_strong(&self, lower: &str) -> Option<PhraseMatch> {
        self.search(lower, true)
    }

    /// `find_strong` when the rule found has `category`, else `None`. Cheaper when such rules
    /// are few: unless the line starts with one or contains one, the full search is skipped.
    pub fn find_strong_of(&self, lower: &str, category: &str) -> Option<PhraseMatch> {
        let core = trim_noise(lower);
        if core.is_empty() {
            return None;
        }
        // The first strong match has `category` only if it is the first anchored one or one
        // of the category's rules that may occur anywhere.
        let (anchored, _) = self.anchored_matches(core, true);
        let starts_with = anchored.is_some_and(|(_, _, r)| self.rules[r].category == category);
        let contains = || {
            self.strong_by_category
                .iter()
                .find(|(c, _)| *c == category)
                .is_some_and(|(_, set)| self.first_anywhere(set, core, None).is_some())
        };
        if !starts_with && !contains() {
            return None;
        }
        self.find_strong(lower).filter(|m| m.category == category)
    }

    /// Whether some weak rule has `category`.
    pub fn has_weak(&self, category: &str) -> bool {
        self.rules
            .iter()
            .any(|r| !r.strong && r.category == category)
    }

    fn search(&self, lower: &str, strong_only: bool) -> Option<PhraseMatch> {
        let core = trim_noise(lower);
        if core.is_empty() {
            return None;
        }
        let (mut strong, mut weak) = self.anchored_matches(core, strong_only);
        strong = earlier(
            strong,
            self.first_anywhere(&self.strong_anywhere, core, strong),
        );
        if strong.is_none() && !strong_only {
            weak = earlier(weak, self.first_anywhere(&self.weak_anywhere, core, weak));
        }
        let (_, _, r) = strong.or(weak)?;
        let rule = &self.rules[r];
        Some(PhraseMatch {
            category: rule.category,
            strong: rule.strong,
        })
    }

    /// The first strong and the first weak (unless `strong_only`) match of a whole-line or
    /// start-of-line rule on `core`.
    fn anchored_matches(&self, core: &str, strong_only: bool) -> (Option<Found>, Option<Found>) {
        let mut strong: Option<Found> = None;
        let mut weak: Option<Found> = None;
        if let [a, b, ..] = core.as_bytes() {
            let pair = usize::from(*a) << 8 | usize::from(*b);
            if self.anchored_starts[pair / 64] >> (pair % 64) & 1 == 0 {
                return (None, None);
            }
        }
        // Every phrase the line starts with (the crate has no anchored overlapping iterator).
        let anchored = Input::new(core).anchored(Anchored::Yes);
        let mut state = OverlappingState::start();
        loop {
            let searched = self
                .anchored
                .automaton
                .try_find_overlapping(anchored.clone(), &mut state);
            let Some(m) = searched.ok().and_then(|()| state.get_match()) else {
                break;
            };
            let r = self.anchored.rules[m.pattern().as_usize()];
            let rule = &self.rules[r];
            if (strong_only && !rule.strong) || !fits(rule.anchor, core, m.start(), m.end()) {
                continue;
            }
            let best = if rule.strong { &mut strong } else { &mut weak };
            let found = (m.end(), m.start(), r);
            if best.is_none_or(|b| found < b) {
                *best = Some(found);
            }
        }
        (strong, weak)
    }

    /// The first match of an `Anchor::Anywhere` rule of `set` on word boundaries, if it comes
    /// before `bound`. Overlapping matches are reported by end, then longest first, then rule.
    fn first_anywhere(&self, set: &RuleSet, core: &str, bound: Option<Found>) -> Option<Found> {
        if !set.may_match(core) {
            return None;
        }
        for m in set.automaton.find_overlapping_iter(core) {
            if bound.is_some_and(|(end, _, _)| m.end() > end) {
                return None;
            }
            if fits(Anchor::Anywhere, core, m.start(), m.end()) {
                return Some((m.end(), m.start(), set.rules[m.pattern().as_usize()]));
            }
        }
        None
    }
}

/// The earlier of two matches.
fn earlier(a: Option<Found>, b: Option<Found>) -> Option<Found> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// Whether a phrase found at `start..end` of `core` satisfies its anchor.
fn fits(anchor: Anchor, core: &str, start: usize, end: usize) -> bool {
    match anchor {
        Anchor::Line => start == 0 && trim_noise(&core[end..]).is_empty(),
        Anchor::Start => start == 0 && !(is_alnum_before(core, end) && is_alnum_at(core, end)),
        Anchor::Anywhere => {
            let starts_word = !(is_alnum_before(core, start) && is_alnum_at(core, start));
            let ends_word = !(is_alnum_before(core, end) && is_alnum_at(core, end));
            starts_word && ends_word
        }
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

    /// The rules as first applied: one automaton over every phrase, the first strong match
    /// of an overlapping search, else the first weak one.
    fn reference(automaton: &AhoCorasick, rules: &[Rule], lower: &str) -> Option<PhraseMatch> {
        let core = trim_noise(lower);
        if core.is_empty() {
            return None;
        }
        let mut weak = None;
        for m in automaton.find_overlapping_iter(core) {
            let rule = &rules[m.pattern().as_usize()];
            if fits(rule.anchor, core, m.start(), m.end()) {
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

    #[test]
    fn needles_are_parts_of_their_phrase() {
        assert_eq!(needle("this website uses cookies"), "website uses");
        assert_eq!(needle("we use cookies"), "cookies");
        assert_eq!(needle("sign up for our"), "sign up");
        assert_eq!(needle("photo"), "photo");
        let (patterns, _) = parse(&PHRASE_FILES).expect("parses");
        for p in &patterns {
            assert!(!needle(p).is_empty() && p.contains(needle(p)), "{p}");
        }
    }

    #[test]
    fn split_automata_decide_as_one_automaton() {
        let m = PhraseMatcher::bundled().expect("compiles");
        let (patterns, rules) = parse(&PHRASE_FILES).expect("parses");
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("builds");
        let fillers = [
            "", " ", "the ", "x", " and ", ": ", "› ", "(", "é", ". ", "1",
        ];
        // Every phrase alone, with fillers around it, and pairs of phrases in both orders.
        let mut lines = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            for (j, f) in fillers.iter().enumerate() {
                lines.push(format!("{f}{p}"));
                lines.push(format!("{p}{f}"));
                let q = &patterns[(i * 7 + j * 13) % patterns.len()];
                let r = &patterns[(i * 11 + j * 3 + 5) % patterns.len()];
                lines.push(format!("{p}{f}{q}"));
                lines.push(format!("{q} {f}{p} {r}"));
                lines.push(format!("{f}{q}{p}{f}"));
            }
        }
        for line in &lines {
            let want = reference(&automaton, &rules, line);
            assert_eq!(m.find(line), want, "{line:?}");
            let strong = m.find_strong(line);
            match want {
                Some(w) if w.strong => assert_eq!(strong, Some(w), "{line:?}"),
                _ => assert_eq!(strong, None, "{line:?}"),
            }
            for category in ["consent", "credit", "subscribe"] {
                let want = strong.filter(|s| s.category == category);
                assert_eq!(m.find_strong_of(line, category), want, "{line:?}");
            }
        }
    }

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
        // Disclosures and prompts that read as sentences are named by their specific phrase.
        let strong = |line: &str| m.find(&line.to_lowercase()).map(|p| (p.category, p.strong));
        assert_eq!(
            strong("We may earn a commission if you buy through links on this page."),
            Some(("advertisement", true))
        );
        assert_eq!(
            strong("Like this story? Share it with a friend!"),
            Some(("share", true))
        );
        assert_eq!(cat("A reef off Belize (Image: Jane Doe)"), Some("credit"));
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
        assert_eq!(cat("Você pode gostar..."), Some("read_more"));
        assert_eq!(cat("Deixe um comentário"), Some("comment_form"));
        assert_eq!(cat("Leggi anche: il governo cade"), Some("read_more"));
        assert_eq!(cat("Riproduzione riservata ©"), Some("copyright"));
        assert_eq!(cat("Lees ook: kabinet valt"), Some("read_more"));
        assert_eq!(cat("Deze website gebruikt cookies"), Some("consent"));
        // Sentences in those languages that only share words with the rules stay.
        assert_eq!(cat("O presidente assinou o decreto ontem à noite."), None);
        assert_eq!(cat("Il sindaco ha condiviso la decisione."), None);
    }
}
