//! The per-article map of the cleaning pass: normalize, extract, strip, correct, fingerprint;
//! its result is serialized (spill and audit lines) inside the map, so the ordered reduce only
//! writes bytes.

use super::spill::encode_output_record;
use super::CorpusStats;
use crate::article::{Article, IngestNote, RawRecord};
use crate::audit::{Audit, EventCounts, EventKind};
use crate::config::{Config, Stage};
use crate::correct::{Corrector, KnownWords};
use crate::dedup::{self, Fingerprint};
use crate::extract::boilerplate::BoilerplateStripper;
use crate::extract::metadata::{MetadataExtractor, MetadataLines};
use crate::ingest::{ReadResult, Rejected};
use crate::normalize;
use crate::output::csv::ArticleCsvRows;
use crate::output::html::{Example, ExampleLine};
use crate::output::json::{push_audit_event, push_audit_prefix, JsonHead};
use crate::output::report::RejectedRecord;
use crate::output::OutputArticle;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// CPU time spent in each stage, summed over threads.
#[derive(Default)]
pub(super) struct StageClock {
    pub(super) normalize: AtomicU64,
    pub(super) boilerplate: AtomicU64,
    pub(super) correct: AtomicU64,
    pub(super) fingerprint: AtomicU64,
}

impl StageClock {
    pub(super) fn time<T>(counter: &AtomicU64, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        counter.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        out
    }
}

/// Objects built once per run from the config and the corpus statistics.
pub(super) struct Stages<'a> {
    pub(super) cfg: &'a Config,
    pub(super) extractor: MetadataExtractor,
    pub(super) stripper: BoilerplateStripper,
    pub(super) stats: CorpusStats,
    pub(super) corrector: Option<Corrector>,
    pub(super) fingerprinter: Option<dedup::Fingerprinter>,
    /// Renders `articles.csv` rows, when CSV is written.
    pub(super) csv_rows: Option<ArticleCsvRows>,
    /// Whether a JSON output (`.jsonl` or `.json`) is written.
    pub(super) json: bool,
    pub(super) clock: StageClock,
    /// The audit events of the pass, counted by stage and reason. One shared tally, not one
    /// per article merged by the reduce: building a map and copying its keys for every
    /// article was 1.6% of a run. The counts are sums, so the order of the adds is moot.
    pub(super) events: Mutex<EventCounts>,
}

/// An article after normalization and metadata extraction.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Prepared {
    pub(super) article: Article,
    pub(super) meta: MetadataLines,
    /// Repairs made while reading, which become the first audit events.
    pub(super) notes: Vec<IngestNote>,
    /// The known words of its paragraphs, marked by the statistics pass (empty without it).
    pub(super) known: KnownWords,
}

/// A record as the cleaning map takes it: prepared, or rejected while reading.
pub(super) type PreparedItem = Result<Prepared, Rejected>;

/// Normalizes a record and extracts its metadata.
pub(super) fn prepare(
    mut record: RawRecord,
    cfg: &Config,
    extractor: &MetadataExtractor,
    clock: &StageClock,
) -> Prepared {
    let mut notes = std::mem::take(&mut record.ingest_notes);
    let text = std::mem::take(&mut record.text);
    let paragraphs = StageClock::time(&clock.normalize, || {
        let text = crate::ingest::repair_text(text, &mut notes);
        if cfg.has_stage(Stage::Normalize) {
            normalize::split_paragraphs(&normalize::normalize_text(&text, &cfg.normalize))
        } else {
            normalize::split_paragraphs_raw(&text)
        }
    });
    let mut article = Article::from_record(record, paragraphs);
    let meta = extractor.extract(&mut article);
    article.lang = detect_language(&article);
    Prepared {
        article,
        meta,
        notes,
        known: KnownWords::default(),
    }
}

/// The audit an article starts with: one `ingest` edit per repair made while reading.
fn ingest_audit(notes: &[IngestNote]) -> Audit {
    let mut audit = Audit::default();
    for note in notes {
        audit.edit(
            "ingest",
            &note.before,
            &note.after,
            note.reason.clone(),
            None,
        );
    }
    audit
}

/// Language of the body, from its first paragraphs.
pub(super) fn detect_language(article: &Article) -> Option<String> {
    let mut sample = String::new();
    for p in &article.paragraphs {
        if sample.len() > 1000 {
            break;
        }
        sample.push_str(p);
        sample.push('\n');
    }
    crate::language::detect(&sample).map(str::to_string)
}

/// Articles among the first this many of a run are candidates for the report's examples.
pub(super) const EXAMPLE_CANDIDATES: u64 = 64;
/// Examples shown in `report.html`.
pub(super) const EXAMPLES_SHOWN: usize = 3;

/// Marks which lines of `before` (the paragraphs before stripping) the audit removed, and lists
/// the edits; `None` when nothing changed.
pub(super) fn build_example(
    article: &Article,
    before: Vec<String>,
    audit: &Audit,
) -> Option<Box<Example>> {
    let mut removed: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut edits = Vec::new();
    for e in &audit.events {
        match e.kind {
            EventKind::RemovedLine => removed
                .entry(e.before.as_str())
                .or_default()
                .push(&e.reason),
            EventKind::Edit if !e.before.is_empty() => {
                edits.push((e.before.clone(), e.after.clone(), e.reason.to_string()))
            }
            _ => {}
        }
    }
    if removed.is_empty() && edits.is_empty() {
        return None;
    }
    let mut take = |text: &str| {
        removed
            .get_mut(text)
            .and_then(|r| r.pop())
            .map(str::to_string)
    };
    let mut lines = Vec::new();
    for para in &before {
        if let Some(reason) = take(para) {
            lines.extend(para.lines().map(|l| ExampleLine {
                text: l.to_string(),
                removed: Some(reason.clone()),
            }));
            continue;
        }
        for line in para.lines() {
            lines.push(ExampleLine {
                text: line.to_string(),
                removed: take(line),
            });
        }
    }
    Some(Box::new(Example {
        id: article.id.clone(),
        title: article.title.clone(),
        lines,
        edits,
    }))
}

/// What the cleaning pass made of one input item.
pub(super) enum Cleaned {
    /// A usable article: its encoded spill record, fingerprint and audit lines.
    Article {
        id: String,
        spill: Vec<u8>,
        fingerprint: Fingerprint,
        audit: Vec<u8>,
        example: Option<Box<Example>>,
    },
    /// A rejected record: its audit lines (the rejection last), and where and why.
    Rejected {
        record: RejectedRecord,
        audit: Vec<u8>,
    },
}

/// The lines of `audit.jsonl` for the events of article `id` from `source`.
pub(super) fn audit_lines(id: &str, source: &str, audit: &Audit) -> Vec<u8> {
    // The lines' size up front (names, ids and a little escaping): the audit of an article
    // is often larger than its text, and growing it copies it over and over.
    let per_line = id.len() + source.len() + 160;
    let size: usize = audit
        .events
        .iter()
        .map(|e| per_line + e.before.len() + e.after.len() + e.reason.len())
        .sum();
    let mut out = Vec::with_capacity(size);
    if audit.events.is_empty() {
        return out;
    }
    let mut prefix = Vec::with_capacity(id.len() + source.len() + 24);
    push_audit_prefix(&mut prefix, id, source);
    for event in &audit.events {
        push_audit_event(&mut out, &prefix, event);
    }
    out
}

impl Stages<'_> {
    /// Counts the events of `audit` into the pass's tally.
    fn count_events(&self, audit: &Audit) {
        // A poisoned lock means another article's map panicked; the run fails with that
        // panic, and the counts here no longer matter.
        let mut events = self.events.lock().unwrap_or_else(PoisonError::into_inner);
        for event in &audit.events {
            events.add(event);
        }
    }

    /// A rejected record: its audit lines, the rejection last.
    fn rejected(&self, rej: Rejected, mut audit: Audit) -> Cleaned {
        audit.push(
            "ingest",
            EventKind::Rejected,
            &rej.detail,
            "",
            rej.reason.clone().into(),
            None,
        );
        self.count_events(&audit);
        Cleaned::Rejected {
            audit: audit_lines(&rej.id, &rej.source, &audit),
            record: RejectedRecord {
                source: rej.source,
                reason: rej.reason,
                detail: rej.detail,
            },
        }
    }

    /// The per-article map of the cleaning pass, from a record as read.
    pub(super) fn clean_record(&self, item: ReadResult) -> Cleaned {
        self.clean(item.map(|record| prepare(record, self.cfg, &self.extractor, &self.clock)))
    }

    /// The per-article map of the cleaning pass, from a record prepared by the statistics pass.
    pub(super) fn clean(&self, item: PreparedItem) -> Cleaned {
        let cfg = self.cfg;
        let Prepared {
            mut article,
            meta,
            notes,
            mut known,
        } = match item {
            Ok(prepared) => prepared,
            Err(rej) => return self.rejected(rej, Audit::default()),
        };
        let mut audit = ingest_audit(&notes);
        let (id, source, seq) = (article.id.clone(), article.source.clone(), article.seq);
        let before = (seq < EXAMPLE_CANDIDATES).then(|| article.paragraphs.clone());
        if cfg.has_stage(Stage::Boilerplate) {
            let unchanged = StageClock::time(&self.clock.boilerplate, || {
                self.stripper
                    .strip(&mut article, &meta, &self.stats.lines, &mut audit)
            });
            known = known.for_paragraphs(&unchanged);
        }
        if let Some(corrector) = &self.corrector {
            StageClock::time(&self.clock.correct, || {
                corrector.apply_known(&mut article, &known, &mut audit)
            });
        }
        if article.paragraphs.is_empty() {
            let rej = Rejected {
                id,
                source,
                seq,
                reason: "empty_after_cleaning".into(),
                detail: "nothing of the article was left after cleaning".into(),
            };
            return self.rejected(rej, audit);
        }
        // Fingerprints are only worth their cost when dedup will read them.
        let fingerprint = match &self.fingerprinter {
            Some(f) => StageClock::time(&self.clock.fingerprint, || f.fingerprint(&article)),
            None => Fingerprint {
                exact: 0,
                body_len: article.body_len() as u64,
                date: 0,
                shingles: 0,
                minhash: Box::new([]),
                sketch: Box::new([]),
            },
        };
        let example = before.and_then(|b| build_example(&article, b, &audit));
        let output = OutputArticle::new(&article, 0);
        self.count_events(&audit);
        let audit = audit_lines(&article.id, &article.source, &audit);
        // The CSV row and the JSON head are rendered straight into the record, sized for the
        // whole of it: growing it would copy the article's text over again.
        // A CSV row is about the size of the JSON head: both quote the text and the fields.
        let hint = JsonHead::size_hint(&output);
        let renderings = usize::from(self.json) + usize::from(self.csv_rows.is_some());
        let mut spill =
            Vec::with_capacity(renderings * hint + article.id.len() + article.source.len() + 64);
        encode_output_record(
            &article.id,
            &article.source,
            |out| {
                if let Some(rows) = &self.csv_rows {
                    rows.render(&output, out);
                }
            },
            |out| {
                if self.json {
                    JsonHead::render_into(&output, out);
                }
            },
            &mut spill,
        );
        Cleaned::Article {
            id,
            spill,
            fingerprint,
            audit,
            example,
        }
    }
}
