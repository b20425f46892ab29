//! Corpus repetition statistics: for each short line and site, how many distinct stories carry
//! it. Lines on many stories of one site (menus, footers, taglines) are boilerplate; copies of
//! one story (syndication, re-scrapes) count once, so they cannot make the story's own
//! paragraphs look repeated. The value is built per article (`observe`) and combined by
//! `merge` (the reduce step); it is bounded: only short lines are counted, each entry keeps at
//! most `MAX_STORIES` story hashes, and the map is pruned of single-story lines when it grows
//! past its cap.
//!
//! Keys are xxh3 hashes of "site NUL lowercased line", computed in one shot over a reused
//! buffer; the map uses the key itself as its hash (it already is one).

use crate::article::Article;
use crate::extract::features::{lowercase_into, lowercase_push};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use xxhash_rust::xxh3::xxh3_64;

/// Most story hashes kept per line; thresholds above this behave as this.
pub const MAX_STORIES: usize = 4;

/// Settings of the repetition statistics (part of `BoilerplateConfig`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepetitionLimits {
    /// Lines longer than this (bytes) are not counted.
    pub max_line_bytes: usize,
    /// Entries kept before single-story lines are pruned.
    pub max_entries: usize,
}

/// Distinct-story counts of short lines per site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LineStats {
    /// (site, line) hash → the smallest story hashes seen with it (0 = empty slot).
    entries: HashMap<u64, [u64; MAX_STORIES], BuildHasherDefault<KeyHasher>>,
    /// Entry cap (0 = unbounded); taken from the article observations.
    max_entries: usize,
    /// Longest line counted (bytes); taken from the article observations.
    max_line_bytes: usize,
}

/// Hasher of keys that are already xxh3 hashes: passes them through.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed; this fallback keeps the trait total.
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The key of (site, line) for one article, in a reused buffer: "site NUL lowercased line".
#[derive(Debug, Clone, Default)]
pub struct LineKey {
    buf: String,
    prefix: usize,
}

impl LineKey {
    /// A key buffer for the lines of `article`.
    pub fn new(article: &Article) -> LineKey {
        let mut buf = String::with_capacity(256);
        buf.push_str(group_of(article));
        buf.push('\0');
        let prefix = buf.len();
        LineKey { buf, prefix }
    }

    /// Sets the line (already trimmed); it is stored lowercased.
    pub fn set_line(&mut self, line: &str) {
        self.buf.truncate(self.prefix);
        lowercase_push(line, &mut self.buf);
    }

    /// The lowercased line.
    pub fn lower(&self) -> &str {
        &self.buf[self.prefix..]
    }

    /// The hash of (site, line), equal to `line_key`.
    pub fn hash(&self) -> u64 {
        xxh3_64(self.buf.as_bytes())
    }
}

impl LineStats {
    /// The statistics contributed by one article.
    pub fn observe(article: &Article, limits: RepetitionLimits) -> LineStats {
        let story = story_hash(article);
        // Most paragraphs are one line.
        let mut entries =
            HashMap::with_capacity_and_hasher(article.paragraphs.len(), Default::default());
        let mut key = LineKey::new(article);
        let mut slots = [0u64; MAX_STORIES];
        slots[0] = story;
        for para in &article.paragraphs {
            for line in crate::lines::lines(para) {
                let line = line.trim();
                if !line.is_empty() && line.len() <= limits.max_line_bytes {
                    key.set_line(line);
                    entries.insert(key.hash(), slots);
                }
            }
        }
        LineStats {
            entries,
            max_entries: limits.max_entries,
            max_line_bytes: limits.max_line_bytes,
        }
    }

    /// Adds `other` into `self`. Keeping the smallest story hashes makes the union exact up to
    /// `MAX_STORIES` and independent of merge order.
    pub fn merge(&mut self, other: LineStats) {
        self.max_entries = self.max_entries.max(other.max_entries);
        self.max_line_bytes = self.max_line_bytes.max(other.max_line_bytes);
        // Lines already held are counted first; the new ones are added after pruning, when
        // they would take the map past its cap (and pruned again, for an `other` over the cap
        // on its own). Pruning only after adding everything let the map grow past the cap
        // first: a hash map doubles its table when it grows and holds both while it moves,
        // which at the default cap added ~110 MB to a 1 GB run's peak for entries pruned
        // right away. Pruning before counting would drop a line about to get its second story.
        // When all of `other` fits, there is nothing to decide: it is added as it comes.
        if !self.over_cap(self.entries.len() + other.entries.len()) {
            for (key, theirs) in other.entries {
                union_smallest(self.entries.entry(key).or_insert([0; MAX_STORIES]), &theirs);
            }
            return;
        }
        let mut new_lines = Vec::new();
        for (key, theirs) in other.entries {
            match self.entries.get_mut(&key) {
                Some(mine) => union_smallest(mine, &theirs),
                None => new_lines.push((key, theirs)),
            }
        }
        if self.over_cap(self.entries.len() + new_lines.len()) {
            self.prune_single_story();
        }
        self.entries.extend(new_lines);
        if self.over_cap(self.entries.len()) {
            self.prune_single_story();
        }
    }

    fn over_cap(&self, entries: usize) -> bool {
        self.max_entries > 0 && entries > self.max_entries
    }

    /// Drops the lines seen in one story only: the ones a cap can spare. The table is then
    /// rebuilt to fit: the removed entries leave tombstones that count as used, and a map
    /// whose free slots run out grows to twice the size even when half of it is tombstones.
    fn prune_single_story(&mut self) {
        self.entries.retain(|_, slots| slots[1] != 0);
        self.entries.shrink_to_fit();
    }

    /// Drops the lines carried by fewer than `min_stories` stories: the stripper only asks
    /// whether a line reaches its threshold, so after the statistics pass the many lines of
    /// one story need not be carried through the cleaning pass.
    pub fn retain_repeated(&mut self, min_stories: usize) {
        self.entries
            .retain(|_, slots| slots.iter().filter(|s| **s != 0).count() >= min_stories);
        self.entries.shrink_to_fit();
    }

    /// How many distinct stories of `article`'s site carry `line` (at most `MAX_STORIES`).
    pub fn stories_with(&self, article: &Article, line: &str, buf: &mut String) -> usize {
        if self.entries.is_empty() {
            return 0;
        }
        lowercase_into(line.trim(), buf);
        self.stories_with_lower(article, buf)
    }

    /// `stories_with` for a line already trimmed and lowercased.
    pub fn stories_with_lower(&self, article: &Article, lower: &str) -> usize {
        if self.entries.is_empty() {
            return 0;
        }
        self.entries
            .get(&line_key(group_of(article), lower))
            .map_or(0, |slots| slots.iter().filter(|s| **s != 0).count())
    }

    /// `stories_with` for the line held by `key` (a key of the article's site).
    pub fn stories_with_key(&self, key: &LineKey) -> usize {
        if self.entries.is_empty() || !self.may_hold(key.lower()) {
            return 0;
        }
        self.entries
            .get(&key.hash())
            .map_or(0, |slots| slots.iter().filter(|s| **s != 0).count())
    }

    /// Whether a line whose lowercase form is `lower` can have been counted: only lines of at
    /// most `max_line_bytes` are, and lowercasing at most doubles a text's length in bytes
    /// (keeping it when the result is ASCII). Saves hashing and probing long paragraphs.
    fn may_hold(&self, lower: &str) -> bool {
        lower.len() <= self.max_line_bytes
            || (lower.len() <= 2 * self.max_line_bytes && !lower.is_ascii())
    }

    /// Number of (site, line) entries held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no line has been counted.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The group whose lines are compared: the site when known, else the whole run.
fn group_of(article: &Article) -> &str {
    article.site.as_deref().unwrap_or("")
}

/// Identity of the story: a hash of its longest line, so copies of one article share it.
fn story_hash(article: &Article) -> u64 {
    let longest = article
        .paragraphs
        .iter()
        .flat_map(|p| crate::lines::lines(p))
        .max_by_key(|l| l.len())
        .unwrap_or("");
    xxh3_64(&alphanumeric_lowercase(longest)).max(1)
}

/// The alphanumeric characters of `line`, lowercased, as UTF-8. ASCII bytes are filtered as
/// bytes (a line is usually all ASCII); a char is decoded only where a byte outside ASCII
/// starts one.
fn alphanumeric_lowercase(line: &str) -> Vec<u8> {
    let bytes = line.as_bytes();
    if bytes.is_ascii() {
        // Every byte is written and the count moves on only past a kept one: no branch per
        // byte (the byte loop below was ~1% of a run, for one line per article).
        let mut text = vec![0u8; bytes.len()];
        let mut kept = 0;
        for &b in bytes {
            let lower = ASCII_ALNUM_LOWER[usize::from(b)];
            if let Some(slot) = text.get_mut(kept) {
                *slot = lower;
            }
            kept += usize::from(lower != 0);
        }
        text.truncate(kept);
        return text;
    }
    let mut text = Vec::with_capacity(line.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                text.push(b.to_ascii_lowercase());
            }
            i += 1;
            continue;
        }
        let Some(c) = line.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                text.extend_from_slice(lower.encode_utf8(&mut [0; 4]).as_bytes());
            }
        }
        i += c.len_utf8();
    }
    text
}

/// Per ASCII byte: the byte lowercased when it is a letter or a digit, else 0.
const ASCII_ALNUM_LOWER: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// Hash of (site, lowercased line).
fn line_key(site: &str, lower: &str) -> u64 {
    let mut buf = Vec::with_capacity(site.len() + 1 + lower.len());
    buf.extend_from_slice(site.as_bytes());
    buf.push(0);
    buf.extend_from_slice(lower.as_bytes());
    xxh3_64(&buf)
}

/// Keeps in `mine` the smallest distinct non-zero hashes of both slot arrays.
fn union_smallest(mine: &mut [u64; MAX_STORIES], theirs: &[u64; MAX_STORIES]) {
    for &value in theirs.iter().filter(|v| **v != 0) {
        if mine.contains(&value) {
            continue;
        }
        // Insert into the sorted non-zero prefix, dropping the largest when full.
        let len = mine.iter().take_while(|v| **v != 0).count();
        let at = mine[..len].iter().take_while(|v| **v < value).count();
        if at >= MAX_STORIES {
            continue;
        }
        let end = len.min(MAX_STORIES - 1);
        mine.copy_within(at..end, at + 1);
        mine[at] = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: RepetitionLimits = RepetitionLimits {
        max_line_bytes: 200,
        max_entries: 0,
    };

    fn art(site: &str, body: &[&str]) -> Article {
        Article {
            site: Some(site.into()),
            paragraphs: body.iter().map(|s| s.to_string()).collect(),
            ..Article::default()
        }
    }

    /// The streaming hashes the statistics were first keyed with.
    fn streaming_line_key(site: &str, lower: &str) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(site.as_bytes());
        h.update(&[0]);
        h.update(lower.as_bytes());
        h.digest()
    }

    #[test]
    fn one_shot_keys_equal_streaming_keys() {
        let a = art("Gazette", &["x"]);
        let mut key = LineKey::new(&a);
        for line in ["Menu", "Ünïcödé Line — “quoted”", "", "İstanbul ΣΑΣ"] {
            key.set_line(line);
            let mut lower = String::new();
            lowercase_into(line, &mut lower);
            assert_eq!(key.lower(), lower);
            assert_eq!(key.hash(), streaming_line_key("Gazette", &lower));
            assert_eq!(line_key("Gazette", &lower), key.hash());
        }
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for c in "Ünïcödé".chars().flat_map(char::to_lowercase) {
            h.update(c.encode_utf8(&mut [0u8; 4]).as_bytes());
        }
        assert_eq!(
            story_hash(&art("s", &["Ü n ï, c ö d é!"])),
            h.digest().max(1)
        );
    }

    #[test]
    fn lowercasing_at_most_doubles_bytes_and_never_grows_ascii_results() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let lower: String = c.to_lowercase().collect();
            assert!(lower.len() <= 2 * c.len_utf8(), "{c:?}");
            if lower.is_ascii() {
                assert!(lower.len() <= c.len_utf8(), "{c:?}");
            }
        }
    }

    #[test]
    fn counts_distinct_stories_per_site() {
        let mut stats = LineStats::default();
        for story in [
            "First story text here.",
            "Second story.",
            "Third one, longer than the rest.",
        ] {
            stats.merge(LineStats::observe(&art("a", &["Menu", story]), LIMITS));
        }
        let probe = art("a", &["x"]);
        assert_eq!(stats.stories_with(&probe, "Menu", &mut String::new()), 3);
        assert_eq!(
            stats.stories_with(&probe, "Second story.", &mut String::new()),
            1
        );
        assert_eq!(
            stats.stories_with(&art("b", &["x"]), "Menu", &mut String::new()),
            0
        );
    }

    #[test]
    fn copies_of_one_story_count_once() {
        let mut stats = LineStats::default();
        let body = [
            "Short quote.",
            "The longest paragraph of the syndicated story is this one.",
        ];
        for _ in 0..5 {
            stats.merge(LineStats::observe(&art("a", &body), LIMITS));
        }
        assert_eq!(
            stats.stories_with(&art("a", &["x"]), "Short quote.", &mut String::new()),
            1
        );
    }

    #[test]
    fn merge_order_does_not_matter_and_cap_prunes() {
        let parts: Vec<LineStats> = (0..6)
            .map(|i| LineStats::observe(&art("a", &["Menu", &format!("story {i} body")]), LIMITS))
            .collect();
        let mut forward = LineStats::default();
        parts.iter().cloned().for_each(|p| forward.merge(p));
        let mut backward = LineStats::default();
        parts.iter().rev().cloned().for_each(|p| backward.merge(p));
        assert_eq!(forward, backward);
        let capped = RepetitionLimits {
            max_line_bytes: 200,
            max_entries: 2,
        };
        let mut small = LineStats::default();
        for i in 0..6 {
            small.merge(LineStats::observe(
                &art("a", &["Menu", &format!("story {i}")]),
                capped,
            ));
        }
        assert!(small.len() <= 3);
        assert_eq!(
            small.stories_with(&art("a", &["x"]), "Menu", &mut String::new()),
            MAX_STORIES
        );
    }

    #[test]
    fn a_capped_map_never_grows_its_table_past_the_cap() {
        // A cap that fills a table exactly: one entry more and the table would double.
        let cap = HashMap::<u64, u64>::with_capacity(800).capacity();
        let limits = RepetitionLimits {
            max_line_bytes: 200,
            max_entries: cap,
        };
        let mut stats = LineStats::default();
        for story in 0..200 {
            let lines: Vec<String> = (0..40).map(|i| format!("story {story} line {i}")).collect();
            let mut body: Vec<&str> = lines.iter().map(String::as_str).collect();
            body.push("Menu");
            stats.merge(LineStats::observe(&art("a", &body), limits));
            assert!(stats.len() <= cap, "{} entries", stats.len());
            assert!(
                stats.entries.capacity() <= cap,
                "table for {}",
                stats.entries.capacity()
            );
        }
        // The line every story carries survives every pruning.
        let stories = stats.stories_with(&art("a", &["x"]), "Menu", &mut String::new());
        assert_eq!(stories, MAX_STORIES);
    }

    #[test]
    fn retaining_the_repeated_lines_keeps_their_story_counts() {
        let mut stats = LineStats::default();
        for i in 0..3 {
            stats.merge(LineStats::observe(
                &art("a", &["Menu", &format!("story {i} body")]),
                LIMITS,
            ));
        }
        let probe = art("a", &["x"]);
        let stories = |s: &LineStats, line: &str| s.stories_with(&probe, line, &mut String::new());
        assert_eq!(
            (stories(&stats, "Menu"), stories(&stats, "story 1 body")),
            (3, 1)
        );
        stats.retain_repeated(2);
        assert_eq!(
            (stories(&stats, "Menu"), stories(&stats, "story 1 body")),
            (3, 0)
        );
        assert_eq!(stats.len(), 1);
    }

    /// `alphanumeric_lowercase` by its definition: the alphanumeric chars, lowercased.
    fn alphanumeric_lowercase_by_chars(line: &str) -> Vec<u8> {
        let chars: String = line
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        chars.into_bytes()
    }

    proptest::proptest! {
        /// The byte path keeps exactly the alphanumeric chars, lowercased, of any mix.
        #[test]
        fn alphanumeric_lowercase_matches_the_char_definition(
            line in "([A-Za-z0-9 ,.!'-]{0,20}|[ÜİΣßé½٣ ]{0,3}|\\PC{0,3})*"
        ) {
            proptest::prop_assert_eq!(alphanumeric_lowercase(&line), alphanumeric_lowercase_by_chars(&line));
        }

        /// The same for ASCII lines, which take the branch-free path.
        #[test]
        fn alphanumeric_lowercase_of_ascii_matches_the_char_definition(line in "[\\x00-\\x7f]{0,80}") {
            proptest::prop_assert_eq!(alphanumeric_lowercase(&line), alphanumeric_lowercase_by_chars(&line));
        }
    }
}
