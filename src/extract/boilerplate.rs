//! Boilerplate stripping: removes lines that are not the article (prompts, forms, credits,
//! captions, navigation, repeated site lines, the title/date/site lines) and records each
//! removal with a reason code. It combines phrase rules (`phrases`), line features
//! (`features`), corpus repetition (`repetition`) and context (`classify`). It must not remove
//! article paragraphs; when unsure, it keeps.

use crate::article::Article;
use crate::audit::Audit;
use crate::extract::classify::{initial_verdict, resolve, BlockThresholds, Class, Verdict};
use crate::extract::comments::CommentDetector;
use crate::extract::features::{measure_with_density_from, LineFeatures, Stopwords};
use crate::extract::metadata::MetadataLines;
use crate::extract::phrases::PhraseMatcher;
use crate::extract::repetition::{LineKey, RepetitionLimits, MAX_STORIES};
use crate::extract::teasers;
use serde::{Deserialize, Serialize};

pub use crate::extract::repetition::LineStats;

/// Stage name used in audit events.
pub const STAGE: &str = "boilerplate";

/// Boilerplate settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BoilerplateConfig {
    /// A line carried by at least this many distinct stories of one site is boilerplate (max 4).
    pub repeated_min_articles: u32,
    /// Lines longer than this (in bytes) are never counted as repeated boilerplate.
    pub repeated_max_line_bytes: usize,
    /// The repetition statistics drop single-story lines when they would hold more entries
    /// than this. The default fits a hash table of 2^20 slots (~43 MB); past 917,504 entries
    /// the table doubles.
    pub repeated_max_entries: usize,
    /// Phrase rules apply only to lines of at most this many words.
    pub keyword_max_words: usize,
    /// Specific phrase rules (`!` in the lists) apply to lines of at most this many words.
    pub keyword_strong_max_words: usize,
    /// Consent and notice phrases (cookies, newsletter terms) apply to lines of at most this many words.
    pub consent_max_words: usize,
    /// A comments heading starts the comment section when this many author/time lines follow it.
    pub comment_min_signals: usize,
    /// Byline rules ("By …", "Par …") apply only to lines of at most this many words.
    pub byline_max_words: usize,
    /// Lines shorter than this (characters) are judged by their context.
    pub length_low: usize,
    /// Lines at least this long (characters) with dense stopwords are article text.
    pub length_high: usize,
    /// Sentence-like lines at least this long (characters) with dense stopwords are article text.
    pub length_sentence: usize,
    /// Stopword density below which a line of normal length is page noise.
    pub stopwords_low: f64,
    /// Stopword density at or above which a long line is article text.
    pub stopwords_high: f64,
    /// At least this many consecutive short, capitalised, non-sentence lines are a menu.
    pub menu_run: usize,
    /// Text lines at most this many other lines apart form one region (see `region_min_share`).
    pub region_gap: usize,
    /// Regions with less than this share of the largest region's text (teasers) are dropped.
    pub region_min_share: f64,
    /// A line with at least this many menu separators (`|`, `›`, `•`, …) and no sentence end is navigation.
    pub max_separators: usize,
}

impl Default for BoilerplateConfig {
    fn default() -> Self {
        BoilerplateConfig {
            repeated_min_articles: 3,
            repeated_max_line_bytes: 200,
            repeated_max_entries: 900_000,
            keyword_max_words: 20,
            keyword_strong_max_words: 40,
            byline_max_words: 8,
            consent_max_words: 150,
            comment_min_signals: 2,
            length_low: 85,
            length_high: 200,
            length_sentence: 100,
            stopwords_low: 0.25,
            stopwords_high: 0.30,
            max_separators: 2,
            menu_run: 5,
            region_gap: 2,
            region_min_share: 0.15,
        }
    }
}

impl BoilerplateConfig {
    /// The bounds of the repetition statistics.
    pub fn repetition_limits(&self) -> RepetitionLimits {
        RepetitionLimits {
            max_line_bytes: self.repeated_max_line_bytes,
            max_entries: self.repeated_max_entries,
        }
    }
}

/// Most words a photo credit line has when it names only the photographer and agency
/// ("Photo by Barbara Weber, Xinhua", "Credit: John Smith/The New York Times"); longer ones
/// carry their caption.
const BARE_CREDIT_MAX_WORDS: usize = 8;

/// Phrase categories that sit inside an article (ads, credits) and so do not break its context.
const INLINE_CATEGORIES: [&str; 2] = ["advertisement", "credit"];

/// Removes boilerplate lines from articles; built once per run.
#[derive(Debug, Clone)]
pub struct BoilerplateStripper {
    cfg: BoilerplateConfig,
    phrases: PhraseMatcher,
    stopwords: Stopwords,
    comments: CommentDetector,
    thresholds: BlockThresholds,
    /// Some weak phrase rule is a consent rule (these apply to long lines too).
    weak_consent: bool,
}

impl BoilerplateStripper {
    /// Compiles the phrase rules and loads the stopword lists.
    pub fn new(cfg: &BoilerplateConfig) -> crate::error::Result<Self> {
        let phrases = PhraseMatcher::bundled()?;
        Ok(BoilerplateStripper {
            cfg: cfg.clone(),
            weak_consent: phrases.has_weak("consent"),
            phrases,
            stopwords: Stopwords::bundled(),
            comments: CommentDetector::new(cfg.comment_min_signals)?,
            thresholds: BlockThresholds {
                length_low: cfg.length_low,
                length_high: cfg.length_high,
                length_sentence: cfg.length_sentence,
                stopwords_low: cfg.stopwords_low as f32,
                stopwords_high: cfg.stopwords_high as f32,
                max_separators: cfg.max_separators,
                menu_run: cfg.menu_run,
                region_gap: cfg.region_gap,
                region_min_share: cfg.region_min_share as f32,
            },
        })
    }

    /// Distinct stories of one site that make a line repeated boilerplate.
    pub fn min_stories(&self) -> usize {
        (self.cfg.repeated_min_articles as usize).clamp(1, MAX_STORIES)
    }

    /// Classifies every line of `article`; one verdict per line in body order.
    pub fn classify(
        &self,
        article: &Article,
        meta: &MetadataLines,
        stats: &LineStats,
    ) -> Vec<Verdict> {
        let stop = self.stopwords.for_lang(article.lang.as_deref());
        let min_stories = self.min_stories();
        let mut key = LineKey::new(article);
        let mut scratch = String::new();
        let mut lines: Vec<(usize, usize, &str)> = Vec::with_capacity(article.paragraphs.len());
        for (p, para) in article.paragraphs.iter().enumerate() {
            lines.extend(
                crate::lines::lines(para)
                    .enumerate()
                    .map(|(l, s)| (p, l, s)),
            );
        }
        let mut verdicts = Vec::with_capacity(lines.len());
        let mut teaser_eligible = Vec::with_capacity(lines.len());
        for &(p, l, line) in &lines {
            // The density of a line shorter than `length_low` is never read (it is `Short`).
            let f = measure_with_density_from(line, stop, &mut scratch, self.cfg.length_low);
            key.set_line(line.trim());
            let lower = key.lower();
            let verdict = if let Some(reason) = meta.reason(p, l) {
                Verdict::hard(reason, true, false)
            } else if let Some(v) = self.phrase_verdict(lower, &f) {
                v
            } else if let Some(reason) = widget_shape(lower, &f) {
                // A gallery's controls sit inside the article, between its photo and text:
                // they must not split it into regions.
                Verdict::hard(reason, reason == GALLERY, false)
            } else if stats.stories_with_key(&key) >= min_stories {
                Verdict::hard("repeated:site", false, false)
            } else {
                let mut v = initial_verdict(&f, &self.thresholds);
                // "— Name (@handle) date" closes an embedded post quoted in the story.
                v.sentence |= is_post_attribution(line);
                v
            };
            teaser_eligible.push(!verdict.hard && f.words >= teasers::MIN_WORDS);
            verdicts.push(verdict);
        }
        let texts: Vec<&str> = lines.iter().map(|x| x.2).collect();
        // Related-story lists whose headlines and summaries the scraper glued together.
        for i in teasers::glued_teaser_lines(&texts, &teaser_eligible, stop) {
            if let Some(v) = verdicts.get_mut(i) {
                *v = Verdict::hard("block:teasers", false, false);
            }
        }
        // Reader comments after the article read like prose: cut them as a whole.
        if let Some(first_good) = verdicts.iter().position(|v| v.class == Class::Good) {
            if let Some(start) = self.comments.start(&texts, first_good + 1) {
                for v in &mut verdicts[start..] {
                    *v = Verdict::hard("position:comments", false, false);
                }
            }
        }
        resolve(&mut verdicts, &self.thresholds);
        // Nothing read as article text: rather than lose the record, keep what no rule named.
        if !verdicts.iter().any(|v| v.class == Class::Good) {
            for v in verdicts.iter_mut().filter(|v| !v.hard) {
                v.class = Class::Good;
            }
        }
        verdicts
    }

    /// The verdict of a phrase rule on `line`, when one applies.
    /// `lower` is the trimmed, lowercased line.
    fn phrase_verdict(&self, lower: &str, f: &LineFeatures) -> Option<Verdict> {
        if f.words > self.cfg.consent_max_words {
            return None;
        }
        let sentence = f.terminal && f.words >= 6;
        // A weak rule can only apply to a line that is no sentence and short enough (longer
        // for consent rules): elsewhere only the strong rules need searching.
        let weak_applies =
            !sentence && (f.words <= self.cfg.keyword_max_words || self.weak_consent);
        let m = if weak_applies {
            self.phrases.find(lower)?
        } else if f.words > self.cfg.keyword_strong_max_words {
            // Only consent rules apply to lines this long.
            self.phrases.find_strong_of(lower, "consent")?
        } else {
            self.phrases.find_strong(lower)?
        };
        let limit = match (m.category, m.strong) {
            ("consent", _) => self.cfg.consent_max_words,
            (_, true) => self.cfg.keyword_strong_max_words,
            (_, false) => self.cfg.keyword_max_words,
        };
        if f.words > limit || (!m.strong && sentence) {
            return None;
        }
        if m.category == "byline" && (f.words > self.cfg.byline_max_words || f.terminal) {
            return None;
        }
        let inline = INLINE_CATEGORIES.contains(&m.category);
        // Only a bare credit ("Photo: Jane Doe/Reuters") has its caption on a line of its own
        // next to it; one that carries the caption itself ("Photo: Crews clear the road on
        // Monday. (Jane Doe/Reuters)") leaves its neighbours to the article.
        let bare_credit = m.category == "credit" && f.words <= BARE_CREDIT_MAX_WORDS;
        Some(Verdict::hard(reason_code(m.category), inline, bare_credit))
    }

    /// Strips boilerplate from `article`, recording each removed line in `audit`. Returns, for
    /// each paragraph left, the index it had before when its text is unchanged (`None` when
    /// lines of it were removed).
    pub fn strip(
        &self,
        article: &mut Article,
        meta: &MetadataLines,
        stats: &LineStats,
        audit: &mut Audit,
    ) -> Vec<Option<usize>> {
        let verdicts = self.classify(article, meta, stats);
        let mut verdicts = verdicts.into_iter();
        let paragraphs = std::mem::take(&mut article.paragraphs);
        let mut kept = Vec::with_capacity(paragraphs.len());
        let mut unchanged = Vec::with_capacity(paragraphs.len());
        for (index, para) in paragraphs.into_iter().enumerate() {
            // The kept lines are only gathered once a line of the paragraph is removed.
            let mut lines: Option<Vec<&str>> = None;
            for (i, line) in crate::lines::lines(&para).enumerate() {
                match verdicts.next() {
                    Some(v) if v.class == Class::Bad => {
                        audit.removed_line(STAGE, line, v.reason);
                        lines.get_or_insert_with(|| crate::lines::lines(&para).take(i).collect());
                    }
                    _ => {
                        if let Some(lines) = &mut lines {
                            lines.push(line);
                        }
                    }
                }
            }
            match lines {
                None => {
                    kept.push(para);
                    unchanged.push(Some(index));
                }
                Some(lines) if !lines.is_empty() => {
                    kept.push(lines.join("\n"));
                    unchanged.push(None);
                }
                Some(_) => {}
            }
        }
        article.paragraphs = kept;
        unchanged
    }
}

/// Page furniture recognisable by shape: time stamps of teasers and comments ("5H ago",
/// "August 8, 2018 at 3:17 pm"), lone template identifiers ("dp3_1_en"), rows of share
/// buttons, follow prompts and gallery controls.
fn widget_shape(lower: &str, f: &LineFeatures) -> Option<&'static str> {
    // "5H ago", "updated 15 min ago", "7H ago 08:51" (a video's length after it).
    if f.words <= 4
        && lower.split_whitespace().any(|w| w == "ago")
        && lower.bytes().any(|b| b.is_ascii_digit())
    {
        return Some("block:timestamp");
    }
    if !lower.contains(' ') && lower.contains('_') {
        return Some("block:identifier");
    }
    if f.words <= 8 && is_share_row(lower) {
        return Some("block:share_row");
    }
    if f.words <= 12 && is_follow_prompt(lower) {
        return Some("block:follow");
    }
    if f.words <= 4 && is_gallery_counter(lower) {
        return Some(GALLERY);
    }
    if !f.terminal && f.words <= 12 && is_date_time(lower) {
        // Few words besides the numbers: a name at most ("Jane Doe 2019-11-20 17:27:46").
        let lettered = lower
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count();
        if lettered <= 4 {
            return Some("block:timestamp");
        }
    }
    None
}

/// The words of share-button rows (`data/boilerplate/share_buttons.txt`): the networks, and
/// the buttons' other labels.
struct ShareWords {
    networks: std::collections::HashSet<&'static str>,
    buttons: std::collections::HashSet<&'static str>,
}

fn share_words() -> &'static ShareWords {
    static WORDS: std::sync::OnceLock<ShareWords> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = ShareWords {
            networks: Default::default(),
            buttons: Default::default(),
        };
        let mut section = &mut words.buttons;
        for line in include_str!("../../data/boilerplate/share_buttons.txt").lines() {
            match line.trim() {
                "[networks]" => section = &mut words.networks,
                "[buttons]" => section = &mut words.buttons,
                l if l.starts_with('#') => {}
                l => section.extend(l.split_whitespace()),
            }
        }
        words
    })
}

/// Whether `line` (lowercase) is a row of share buttons or counters: two or more words, all
/// of them network names, share verbs or counts ("share tweet submit", "facebook twitter
/// email", "0 shares", "12 comments").
fn is_share_row(line: &str) -> bool {
    let mut words = 0;
    let mut buttons = 0;
    for word in line.split(|c: char| c.is_whitespace() || c == '|' || c == '/' || c == ',') {
        if word.is_empty() {
            continue;
        }
        words += 1;
        // A count glued to its label ("0shares") or standing before it ("12 comments").
        let label = word.trim_start_matches(|c: char| c.is_ascii_digit());
        if label.is_empty() && word.len() <= 6 {
            continue;
        }
        let words = share_words();
        if !words.networks.contains(label) && !words.buttons.contains(label) {
            return false;
        }
        buttons += 1;
    }
    // One word is a row only as a counter: a lone "Print" or "Email" is a whole-line phrase.
    (buttons >= 1 && words >= 2)
        || (buttons == 1 && words == 1 && line.starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether `line` (lowercase) asks readers to follow someone: "follow rt on", "follow
/// newsbeat on instagram, facebook and youtube.".
fn is_follow_prompt(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("follow ") else {
        return false;
    };
    let rest = rest.trim_end_matches(['.', '!', ':']);
    rest.ends_with(" on")
        || rest
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| share_words().networks.contains(w))
}

/// The reason of a gallery control line.
const GALLERY: &str = "block:gallery";

/// Whether `line` (lowercase) is a gallery's position counter or link: "1 / 8", "image 3 of
/// 12", "view all (23)", "back to gallery".
fn is_gallery_counter(line: &str) -> bool {
    if line == "back to gallery" {
        return true;
    }
    if let Some(count) = line
        .strip_prefix("view all (")
        .and_then(|r| r.strip_suffix(')'))
    {
        return !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit());
    }
    let line = ["image ", "photo ", "picture ", "slide "]
        .iter()
        .find_map(|p| line.strip_prefix(p))
        .unwrap_or(line);
    let number = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = line.split_whitespace().collect();
    matches!(parts.as_slice(), [a, "/" | "of", b] if number(a) && number(b))
}

/// Whether `line` holds a clock time ("17:27", "3:17") and a year ("2019"). With few words
/// around them and no sentence end, that is the time stamp of a teaser, a comment or a post.
fn is_date_time(line: &str) -> bool {
    let b = line.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    // Most lines have no colon: one memchr pass answers for them.
    let time = memchr::memchr_iter(b':', b)
        .any(|i| i > 0 && digit(i - 1) && digit(i + 1) && digit(i + 2) && !digit(i + 3));
    if !time {
        return false;
    }
    let year = (0..b.len()).any(|i| {
        (b[i..].starts_with(b"19") || b[i..].starts_with(b"20"))
            && digit(i + 2)
            && digit(i + 3)
            && !digit(i + 4)
            && (i == 0 || !digit(i - 1))
    });
    year || has_month_day(line)
}

/// Whether `line` (lowercase) names a day of a month: a month name or its abbreviation next
/// to a day number ("nov 7", "7 november", "sept. 30").
fn has_month_day(line: &str) -> bool {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let is_day = |w: &str| {
        let w = w.trim_end_matches('.');
        (1..=2).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit())
    };
    words.iter().enumerate().any(|(i, w)| {
        crate::extract::dates::month_number(w.trim_end_matches('.')).is_some()
            && (words.get(i + 1).is_some_and(|n| is_day(n))
                || i.checked_sub(1)
                    .and_then(|j| words.get(j))
                    .is_some_and(|n| is_day(n)))
    })
}

/// Whether `line` is the attribution line of an embedded social post ("— Name (@handle) …").
fn is_post_attribution(line: &str) -> bool {
    let line = line.trim_start();
    (line.starts_with('—') || line.starts_with('–')) && line.contains("(@")
}

/// The reason code of a phrase category.
fn reason_code(category: &str) -> &'static str {
    match category {
        "subscribe" => "keyword:subscribe",
        "comment_form" => "keyword:comment_form",
        "share" => "keyword:share",
        "read_more" => "keyword:read_more",
        "related" => "keyword:related",
        "cookie" => "keyword:cookie",
        "advertisement" => "keyword:advertisement",
        "copyright" => "keyword:copyright",
        "credit" => "keyword:credit",
        "navigation" => "keyword:navigation",
        "tags" => "keyword:tags",
        "byline" => "keyword:byline",
        "consent" => "keyword:consent",
        _ => "keyword:other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARA: &str = "The council approved the budget on Monday after a long debate, and the mayor said the new library would open in the spring of next year as planned.";

    fn strip(lines: &[&str]) -> (Vec<String>, Audit) {
        let stripper = BoilerplateStripper::new(&BoilerplateConfig::default()).expect("builds");
        let mut article = Article {
            paragraphs: lines.iter().map(|s| s.to_string()).collect(),
            lang: Some("en".into()),
            ..Article::default()
        };
        let mut audit = Audit::default();
        stripper.strip(
            &mut article,
            &MetadataLines::default(),
            &LineStats::default(),
            &mut audit,
        );
        (article.paragraphs, audit)
    }

    #[test]
    fn sentences_mentioning_widget_words_are_kept() {
        let quoted = "The company changed its privacy policy last week after the ruling.";
        let (kept, _) = strip(&[PARA, quoted, PARA]);
        assert_eq!(kept.len(), 3);
    }

    #[test]
    fn a_caption_is_the_short_line_by_a_bare_credit_not_by_one_with_its_own_caption() {
        let closing = "The budget takes effect July 1.";
        let captioned = "Photo: Council members listen during the meeting. (John Doe/Daily Herald)";
        let (kept, audit) = strip(&[PARA, PARA, closing, captioned]);
        assert_eq!(kept, [PARA, PARA, closing], "{:?}", audit.events);
        let caption = "Council members listen during the meeting.";
        let (kept, audit) = strip(&[PARA, PARA, caption, "Photo: John Doe/Daily Herald"]);
        assert_eq!(kept, [PARA, PARA]);
        assert_eq!(audit.events[0].reason, "block:caption");
    }

    #[test]
    fn specific_phrases_remove_sentences_too() {
        let notice = "Your email address will not be published. Required fields are marked.";
        let (kept, audit) = strip(&[PARA, PARA, notice]);
        assert_eq!(kept, [PARA, PARA]);
        assert_eq!(audit.events[0].reason, "keyword:comment_form");
    }

    #[test]
    fn a_quoted_post_ending_in_a_link_is_not_a_menu() {
        let post =
            "Yes this is real and yes the state spent a fortune on it: https://t.co/Nc0nKoXGBP";
        let (kept, audit) = strip(&[PARA, post, PARA]);
        assert_eq!(kept, [PARA, post, PARA], "{:?}", audit.events);
        let crumbs = "Home / News / Politics";
        let (kept, _) = strip(&[crumbs, PARA, PARA]);
        assert_eq!(kept, [PARA, PARA]);
    }

    #[test]
    fn time_stamps_go_and_sentences_with_times_stay() {
        let f = |s: &str| crate::extract::features::measure(s, None, &mut String::new());
        let shape = |s: &str| widget_shape(&s.to_lowercase(), &f(s));
        for stamp in [
            "August 8, 2018 at 3:17 pm",
            "Jane Doe 2019-11-20 17:27:46",
            "19 Nov 2019 05:44 GMT",
            "Nov 7 23:05",
            "7H ago 08:51",
        ] {
            assert_eq!(shape(stamp), Some("block:timestamp"), "{stamp}");
        }
        for text in [
            "At 10:30 in 2019 he left.",
            "The 2019 final kicked off at 20:45 and the visitors won it late",
            "Doors open at 7:30 pm",
            "Founded in 2019",
            "You may call at 10:30",
            "Meet us on May 5 at 10:30",
        ] {
            assert_eq!(shape(text), None, "{text}");
        }
    }

    #[test]
    fn rows_of_share_buttons_and_counters_go() {
        for row in [
            "Share Tweet Submit",
            "Facebook | Twitter | Email",
            "0shares",
            "12 comments",
            "Copy link",
        ] {
            assert!(is_share_row(&row.to_lowercase()), "{row}");
        }
        for text in [
            "Print",
            "Share prices fell",
            "Save the date",
            "2019",
            "Twitter says it will",
        ] {
            assert!(!is_share_row(&text.to_lowercase()), "{text}");
        }
    }

    #[test]
    fn follow_prompts_and_gallery_controls_go() {
        assert!(is_follow_prompt("follow rt on"));
        assert!(is_follow_prompt(
            "follow newsbeat on instagram, facebook, twitter and youtube."
        ));
        assert!(!is_follow_prompt("follow the money."));
        assert!(!is_follow_prompt("follow-up talks are planned on twitter"));
        // A button label is no network: readers follow people on networks.
        assert!(!is_follow_prompt("follow the comments below"));
        for control in ["1 / 8", "image 3 of 12", "view all (23)", "back to gallery"] {
            assert!(is_gallery_counter(control), "{control}");
        }
        for text in [
            "24/7",
            "1 of 3 people",
            "view all (the) photos",
            "50 / 50 split",
        ] {
            assert!(!is_gallery_counter(text), "{text}");
        }
    }

    #[test]
    fn a_gallery_control_does_not_cut_the_lead_from_the_story() {
        let lead = "LONDON — The council approved the budget on Monday after a long debate, and the mayor said the new library would open in the spring.";
        let controls = ["View all (4)", "1 / 4", "Image 2 of 4", "Back to Gallery"];
        let mut page = vec![lead];
        page.extend(controls);
        // A story long enough that its lead alone is under the main region's share.
        page.extend([PARA; 8]);
        let (kept, audit) = strip(&page);
        let mut expected = vec![lead];
        expected.extend([PARA; 8]);
        assert_eq!(kept, expected, "{:?}", audit.events);
    }

    #[test]
    fn lines_inside_a_block_are_judged_one_by_one() {
        let block = format!("{PARA}\nShare\n{PARA}");
        let (kept, audit) = strip(&[&block]);
        assert_eq!(kept, [format!("{PARA}\n{PARA}")]);
        assert_eq!(audit.events[0].reason, "keyword:share");
    }

    #[test]
    fn embedded_post_attribution_stays_with_its_post() {
        let post = "— Jane Roe (@janeroe) November 18, 2019";
        let (kept, _) = strip(&[PARA, PARA, post, "Subscribe"]);
        assert_eq!(kept, [PARA, PARA, post]);
        let (kept, _) = strip(&[PARA, PARA, "— Jane Roe, staff", "Subscribe"]);
        assert_eq!(kept, [PARA, PARA]);
        assert!(is_post_attribution(post));
        assert!(!is_post_attribution("— Jane Roe"));
    }

    #[test]
    fn widget_shapes() {
        let f = |s: &str| crate::extract::features::measure(s, None, &mut String::new());
        assert_eq!(
            widget_shape("5h ago", &f("5H ago")),
            Some("block:timestamp")
        );
        assert_eq!(
            widget_shape("dp3_1_en", &f("dp3_1_en")),
            Some("block:identifier")
        );
        let line = "prices rose 5% from a year ago";
        assert_eq!(widget_shape(line, &f(line)), None);
    }

    #[test]
    fn nothing_text_like_keeps_unnamed_lines() {
        let (kept, _) = strip(&["Score: 3-1", "Subscribe", "Team A 14 11 6"]);
        assert_eq!(kept, ["Score: 3-1", "Team A 14 11 6"]);
    }
}
