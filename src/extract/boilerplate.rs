//! Boilerplate stripping: removes lines that are not the article (prompts, forms, credits,
//! navigation, repeated site lines) and records each removal with a reason code.
//! It must not remove article paragraphs; when unsure, it keeps.

use crate::article::Article;
use crate::audit::Audit;
use crate::extract::metadata::MetadataLines;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Stage name used in audit events.
pub const STAGE: &str = "boilerplate";

/// Boilerplate settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BoilerplateConfig {
    /// A line seen in at least this many distinct articles of one site is boilerplate.
    pub repeated_min_articles: u32,
    /// Lines longer than this (in bytes) are never counted as repeated boilerplate.
    pub repeated_max_line_bytes: usize,
}

impl Default for BoilerplateConfig {
    fn default() -> Self {
        BoilerplateConfig {
            repeated_min_articles: 3,
            repeated_max_line_bytes: 200,
        }
    }
}

/// Corpus statistics for boilerplate: how many articles of each site carry each short line.
/// Built per article by `observe`, combined by `merge` (the reduce step).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LineStats {
    counts: HashMap<u64, u32>,
}

impl LineStats {
    /// The statistics contributed by one article.
    pub fn observe(article: &Article, cfg: &BoilerplateConfig) -> LineStats {
        let site = article.site.as_deref().unwrap_or("");
        let mut counts = HashMap::new();
        for para in &article.paragraphs {
            for line in para.lines() {
                if line.len() <= cfg.repeated_max_line_bytes {
                    counts.insert(site_line_key(site, line), 1);
                }
            }
        }
        LineStats { counts }
    }

    /// Adds `other` into `self`.
    pub fn merge(&mut self, other: LineStats) {
        for (k, v) in other.counts {
            *self.counts.entry(k).or_default() += v;
        }
    }

    fn articles_with(&self, site: &str, line: &str) -> u32 {
        self.counts
            .get(&site_line_key(site, line))
            .copied()
            .unwrap_or(0)
    }
}

fn site_line_key(site: &str, line: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(site.as_bytes());
    h.update(&[0]);
    h.update(line.trim().to_lowercase().as_bytes());
    h.digest()
}

const PHRASES: [&str; 8] = [
    "subscribe",
    "leave a reply",
    "please enter your comment",
    "please enter your name",
    "recaptcha",
    "more articles",
    "see also",
    "photo by",
];

/// Removes boilerplate lines from articles.
#[derive(Debug, Clone)]
pub struct BoilerplateStripper {
    cfg: BoilerplateConfig,
}

impl BoilerplateStripper {
    /// Builds the stripper once per run.
    pub fn new(cfg: &BoilerplateConfig) -> crate::error::Result<Self> {
        Ok(BoilerplateStripper { cfg: cfg.clone() })
    }

    /// Strips boilerplate from `article`, recording each removed line in `audit`.
    pub fn strip(
        &self,
        article: &mut Article,
        meta: &MetadataLines,
        stats: &LineStats,
        audit: &mut Audit,
    ) {
        let site = article.site.clone().unwrap_or_default();
        let title = article.title.clone().unwrap_or_default();
        let mut kept = Vec::with_capacity(article.paragraphs.len());
        for (i, para) in article.paragraphs.iter().enumerate() {
            if let Some((_, reason)) = meta.lines.iter().find(|(idx, _)| *idx == i) {
                audit.removed_line(STAGE, para, *reason);
                continue;
            }
            let mut lines = Vec::new();
            for line in para.lines() {
                let lower = line.to_lowercase();
                let reason = if !title.is_empty() && squash(line) == squash(&title) {
                    Some("metadata:title_repeat".to_string())
                } else if let Some(p) = PHRASES
                    .iter()
                    .find(|p| lower.len() < 120 && lower.contains(*p))
                {
                    Some(format!("keyword:{}", p.replace(' ', "_")))
                } else if stats.articles_with(&site, line) >= self.cfg.repeated_min_articles {
                    Some("repeated:site".to_string())
                } else {
                    None
                };
                match reason {
                    Some(r) => audit.removed_line(STAGE, line, r),
                    None => lines.push(line),
                }
            }
            if !lines.is_empty() {
                kept.push(lines.join("\n"));
            }
        }
        article.paragraphs = kept;
    }
}

/// Text with whitespace removed and lowercased, for comparing repeated titles.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}
