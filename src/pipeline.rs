//! The order of the stages. Input is streamed in chunks; each chunk is a parallel map (rayon)
//! over its records, and the corpus-wide steps are explicit reduce steps between the maps:
//!
//! 1. statistics pass: ingest → normalize → extract metadata → `CorpusStats` (reduce: repeated
//!    lines per site, vocabulary);
//! 2. cleaning pass: ingest → normalize → extract → strip boilerplate → correct → fingerprint;
//!    cleaned articles are spilled to the staging area, only fingerprints stay in memory;
//! 3. dedup reduce over the fingerprints;
//! 4. write pass: the spill is streamed into the article files, duplicates and audit.
//!
//! Output order is input order, so the bytes written do not depend on the thread count.

use crate::article::{Article, RawRecord};
use crate::audit::{Audit, EventCounts, EventKind};
use crate::config::{Config, OutputFormat, Stage};
use crate::correct::{Corrector, Vocabulary};
use crate::dedup::{self, Decision, Fingerprint};
use crate::error::{Error, Result};
use crate::extract::boilerplate::{BoilerplateStripper, LineStats};
use crate::extract::metadata::{MetadataExtractor, MetadataLines};
use crate::ingest::{self, ReadResult, Rejected};
use crate::normalize;
use crate::output::csv::{ArticleCsvWriter, DuplicateRow};
use crate::output::html::{Example, ExampleLine};
use crate::output::json::{AuditRecord, JsonArrayWriter, JsonLinesWriter};
use crate::output::{self, Counts, OutputArticle, Report, Staging};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Runs newsclean with `cfg`: reads the inputs, cleans them and writes the outputs.
pub fn run(cfg: &Config) -> Result<Report> {
    cfg.validate()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()
        .map_err(|e| Error::ThreadPool(e.to_string()))?;
    pool.install(|| run_in_pool(cfg))
}

/// Corpus-wide statistics built by the reduce step of the first pass.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct CorpusStats {
    /// Short lines per site and how many articles carry them.
    pub lines: LineStats,
    /// The corpus vocabulary.
    pub vocabulary: Vocabulary,
}

impl CorpusStats {
    /// The statistics contributed by one article.
    pub fn observe(article: &Article, cfg: &Config) -> CorpusStats {
        CorpusStats {
            lines: if cfg.has_stage(Stage::Boilerplate) {
                LineStats::observe(article, cfg.boilerplate.repetition_limits())
            } else {
                LineStats::default()
            },
            vocabulary: if cfg.has_stage(Stage::Correct) {
                Vocabulary::observe(article, &cfg.correct)
            } else {
                Vocabulary::default()
            },
        }
    }

    /// Adds `other` into `self`.
    pub fn merge(mut self, other: CorpusStats) -> CorpusStats {
        self.lines.merge(other.lines);
        self.vocabulary.merge(other.vocabulary);
        self
    }
}

/// CPU time spent in each stage, summed over threads.
#[derive(Default)]
struct StageClock {
    normalize: AtomicU64,
    boilerplate: AtomicU64,
    correct: AtomicU64,
    fingerprint: AtomicU64,
}

impl StageClock {
    fn time<T>(counter: &AtomicU64, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        counter.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        out
    }
}

/// Objects built once per run from the config and the corpus statistics.
struct Stages<'a> {
    cfg: &'a Config,
    extractor: MetadataExtractor,
    stripper: BoilerplateStripper,
    stats: CorpusStats,
    corrector: Option<Corrector>,
    fingerprinter: Option<dedup::Fingerprinter>,
    clock: StageClock,
}

/// An article after normalization and metadata extraction.
struct Prepared {
    article: Article,
    meta: MetadataLines,
    audit: Audit,
}

/// Normalizes a record and extracts its metadata.
fn prepare(
    mut record: RawRecord,
    cfg: &Config,
    extractor: &MetadataExtractor,
    clock: &StageClock,
) -> Prepared {
    let mut audit = Audit::default();
    for note in &record.ingest_notes {
        audit.edit(
            "ingest",
            &note.before,
            &note.after,
            note.reason.clone(),
            None,
        );
    }
    let text = std::mem::take(&mut record.text);
    let paragraphs = StageClock::time(&clock.normalize, || {
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
        audit,
    }
}

/// Language of the body, from its first paragraphs.
fn detect_language(article: &Article) -> Option<String> {
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
const EXAMPLE_CANDIDATES: u64 = 64;
/// Examples shown in `report.html`.
const EXAMPLES_SHOWN: usize = 3;

/// Marks which lines of `before` (the paragraphs before stripping) the audit removed, and lists
/// the edits; `None` when nothing changed.
fn build_example(article: &Article, before: Vec<String>, audit: &Audit) -> Option<Box<Example>> {
    let mut removed: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut edits = Vec::new();
    for e in &audit.events {
        match e.kind {
            EventKind::RemovedLine => removed
                .entry(e.before.as_str())
                .or_default()
                .push(&e.reason),
            EventKind::Edit if !e.before.is_empty() => {
                edits.push((e.before.clone(), e.after.clone(), e.reason.clone()))
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
enum Cleaned {
    /// A usable article: its spill line (JSON), fingerprint and audit lines.
    Article {
        id: String,
        spill: Vec<u8>,
        fingerprint: Fingerprint,
        audit: Vec<u8>,
        counts: EventCounts,
        example: Option<Box<Example>>,
    },
    /// A rejected record: its audit lines (the rejection last).
    Rejected {
        reason: String,
        audit: Vec<u8>,
        counts: EventCounts,
    },
}

/// A cleaned article as stored in the spill file between the cleaning and write passes.
#[derive(Serialize, Deserialize)]
struct SpillRecord {
    article: Article,
}

fn audit_lines(id: &str, source: &str, audit: Audit, counts: &mut EventCounts) -> Vec<u8> {
    let mut out = Vec::new();
    for event in audit.events {
        counts.add(&event);
        let record = AuditRecord {
            id: id.to_string(),
            source: source.to_string(),
            event,
        };
        // Serializing plain strings and numbers cannot fail.
        if serde_json::to_writer(&mut out, &record).is_ok() {
            out.push(b'\n');
        }
    }
    out
}

fn rejected_item(rej: Rejected, mut audit: Audit) -> Cleaned {
    audit.push(
        "ingest",
        EventKind::Rejected,
        &rej.detail,
        "",
        rej.reason.clone(),
        None,
    );
    let mut counts = EventCounts::default();
    let lines = audit_lines(&rej.id, &rej.source, audit, &mut counts);
    Cleaned::Rejected {
        reason: rej.reason,
        audit: lines,
        counts,
    }
}

impl Stages<'_> {
    /// The per-article map of the cleaning pass.
    fn clean(&self, item: ReadResult) -> Cleaned {
        let cfg = self.cfg;
        let record = match item {
            Ok(r) => r,
            Err(rej) => return rejected_item(rej, Audit::default()),
        };
        let (id, source, seq) = (record.id.clone(), record.source.clone(), record.seq);
        let Prepared {
            mut article,
            meta,
            mut audit,
        } = prepare(record, cfg, &self.extractor, &self.clock);
        let before = (seq < EXAMPLE_CANDIDATES).then(|| article.paragraphs.clone());
        if cfg.has_stage(Stage::Boilerplate) {
            StageClock::time(&self.clock.boilerplate, || {
                self.stripper
                    .strip(&mut article, &meta, &self.stats.lines, &mut audit)
            });
        }
        if let Some(corrector) = &self.corrector {
            StageClock::time(&self.clock.correct, || {
                corrector.apply(&mut article, &mut audit)
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
            return rejected_item(rej, audit);
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
        let mut counts = EventCounts::default();
        let audit = audit_lines(&article.id, &article.source, audit, &mut counts);
        let mut spill = serde_json::to_vec(&SpillRecord { article }).unwrap_or_default();
        spill.push(b'\n');
        Cleaned::Article {
            id,
            spill,
            fingerprint,
            audit,
            counts,
            example,
        }
    }
}

/// Streams every input item through `map` in parallel chunks, handing results to `reduce` in
/// input order. Reading (file I/O, decompression, parsing) runs on its own thread, a couple of
/// chunks ahead, so it overlaps the parallel map instead of alternating with it; the bounded
/// channel keeps memory at a few chunks.
fn stream_chunks<T: Send>(
    cfg: &Config,
    files: &[ingest::InputFile],
    progress: &ProgressBar,
    map: impl Fn(ReadResult) -> T + Sync,
    mut reduce: impl FnMut(Vec<T>) -> Result<()>,
) -> Result<()> {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<(Vec<ReadResult>, u64)>(2);
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new().name("newsclean-read".into());
        let spawned = reader.spawn_scoped(scope, move || {
            let mut chunk: Vec<ReadResult> = Vec::with_capacity(cfg.chunk_size);
            let mut chunk_bytes = 0u64;
            let mut receiver_alive = true;
            ingest::read_all(files, &cfg.ingest, |item, bytes| {
                if !receiver_alive {
                    return;
                }
                chunk.push(item);
                chunk_bytes += bytes;
                if chunk.len() >= cfg.chunk_size {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(cfg.chunk_size));
                    receiver_alive = sender.send((full, chunk_bytes)).is_ok();
                    chunk_bytes = 0;
                }
            });
            if receiver_alive && !chunk.is_empty() {
                let _ = sender.send((chunk, chunk_bytes));
            }
        });
        if let Err(e) = spawned {
            return Err(Error::ThreadPool(format!(
                "starting the reader thread: {e}"
            )));
        }
        // On an error the receiver is dropped, which stops the reader from sending more.
        for (items, bytes) in receiver {
            let results: Vec<T> = items.into_par_iter().map(&map).collect();
            progress.inc(bytes);
            reduce(results)?;
        }
        Ok(())
    })
}

fn progress_bar(cfg: &Config, total: u64) -> ProgressBar {
    if cfg.quiet {
        return ProgressBar::hidden();
    }
    // indicatif draws only when stderr is a terminal.
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:12} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

fn run_in_pool(cfg: &Config) -> Result<Report> {
    let started = Instant::now();
    let mut seconds = BTreeMap::new();
    let discovery = ingest::discover(&cfg.input);
    if discovery.files.is_empty() {
        let shown: Vec<String> = cfg.input.iter().map(|p| p.display().to_string()).collect();
        return Err(Error::NoInput(format!(
            "no readable .txt, .jsonl, .ndjson or .csv file (optionally .gz/.zst) in {}",
            shown.join(", ")
        )));
    }
    // A dry run stages its files in a scratch folder and never publishes them.
    let out_root = if cfg.dry_run {
        std::env::temp_dir().join(format!("newsclean-dry-run-{}", std::process::id()))
    } else {
        cfg.output.clone()
    };
    let mut staging = Staging::create(&out_root)?;
    let needs_stats = cfg.has_stage(Stage::Boilerplate) || cfg.has_stage(Stage::Correct);
    let passes = if needs_stats { 2 } else { 1 };
    let progress = progress_bar(cfg, discovery.total_bytes() * passes);
    let clock = StageClock::default();
    let extractor = MetadataExtractor::new(&cfg.metadata)?;

    // 1. Statistics pass and its reduce.
    let phase = Instant::now();
    let mut stats = CorpusStats::default();
    if needs_stats {
        progress.set_message("statistics");
        stream_chunks(
            cfg,
            &discovery.files,
            &progress,
            |item| match item {
                Ok(record) => {
                    let prepared = prepare(record, cfg, &extractor, &clock);
                    CorpusStats::observe(&prepared.article, cfg)
                }
                Err(_) => CorpusStats::default(),
            },
            |results| {
                let chunk_stats = results
                    .into_par_iter()
                    .reduce(CorpusStats::default, CorpusStats::merge);
                stats = std::mem::take(&mut stats).merge(chunk_stats);
                Ok(())
            },
        )?;
    }
    seconds.insert("pass_statistics".to_string(), phase.elapsed().as_secs_f64());

    // 2. Cleaning pass: map each record, spill articles, keep fingerprints.
    let phase = Instant::now();
    let corrector = if cfg.has_stage(Stage::Correct) {
        Some(Corrector::new(&cfg.correct, &stats.vocabulary)?)
    } else {
        None
    };
    let stages = Stages {
        cfg,
        extractor,
        stripper: BoilerplateStripper::new(&cfg.boilerplate)?,
        stats,
        corrector,
        fingerprinter: cfg
            .has_stage(Stage::Dedup)
            .then(|| dedup::Fingerprinter::new(&cfg.dedup)),
        clock,
    };
    let spill_path = staging.scratch_path("spill.jsonl");
    let mut spill =
        std::io::BufWriter::new(std::fs::File::create(&spill_path).map_err(|source| {
            Error::Write {
                path: spill_path.clone(),
                source,
            }
        })?);
    let mut audit_file = JsonLinesWriter::new(staging.create_file("audit.jsonl")?);
    let mut ids: Vec<String> = Vec::new();
    let mut fingerprints: Vec<Fingerprint> = Vec::new();
    let mut counts = Counts::default();
    let mut events = EventCounts::default();
    let mut rejected_by_reason: BTreeMap<String, u64> = BTreeMap::new();
    let mut examples: Vec<Example> = Vec::new();
    progress.set_message("cleaning");
    stream_chunks(
        cfg,
        &discovery.files,
        &progress,
        |item| stages.clean(item),
        |results| {
            for cleaned in results {
                counts.read += 1;
                match cleaned {
                    Cleaned::Article {
                        id,
                        spill: line,
                        fingerprint,
                        audit,
                        counts: c,
                        example,
                    } => {
                        use std::io::Write;
                        if let Some(ex) = example.filter(|_| examples.len() < EXAMPLES_SHOWN) {
                            examples.push(*ex);
                        }
                        spill.write_all(&line).map_err(|source| Error::Write {
                            path: spill_path.clone(),
                            source,
                        })?;
                        audit_file.write_raw(&audit)?;
                        events.merge(&c);
                        ids.push(id);
                        fingerprints.push(fingerprint);
                    }
                    Cleaned::Rejected {
                        reason,
                        audit,
                        counts: c,
                    } => {
                        counts.rejected += 1;
                        *rejected_by_reason.entry(reason).or_default() += 1;
                        audit_file.write_raw(&audit)?;
                        events.merge(&c);
                    }
                }
            }
            Ok(())
        },
    )?;
    {
        use std::io::Write;
        spill.flush().map_err(|source| Error::Write {
            path: spill_path.clone(),
            source,
        })?;
    }
    drop(spill);
    seconds.insert("pass_cleaning".to_string(), phase.elapsed().as_secs_f64());
    let clock = &stages.clock;
    for (name, counter) in [
        ("stage_normalize", &clock.normalize),
        ("stage_boilerplate", &clock.boilerplate),
        ("stage_correct", &clock.correct),
        ("stage_fingerprint", &clock.fingerprint),
    ] {
        seconds.insert(
            name.to_string(),
            counter.load(Ordering::Relaxed) as f64 / 1e9,
        );
    }
    drop(stages);

    // 3. Dedup reduce.
    let phase = Instant::now();
    progress.set_message("dedup");
    let decisions: Vec<Decision> = if cfg.has_stage(Stage::Dedup) {
        let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        dedup::deduplicate(&id_refs, &fingerprints, &cfg.dedup)
    } else {
        vec![Decision::Kept { copies: 0 }; fingerprints.len()]
    };
    drop(fingerprints);
    seconds.insert("dedup".to_string(), phase.elapsed().as_secs_f64());

    // 4. Write pass.
    let phase = Instant::now();
    progress.set_message("writing");
    let mut duplicates_by_kind: BTreeMap<String, u64> = BTreeMap::new();
    let duplicate_rows = write_articles(
        cfg,
        &mut staging,
        &spill_path,
        &ids,
        &decisions,
        &mut audit_file,
        &mut counts,
        &mut events,
    )?;
    for row in &duplicate_rows {
        *duplicates_by_kind.entry(row.kind.clone()).or_default() += 1;
    }
    output::csv::write_duplicates(
        staging.create_file("duplicates.csv")?,
        &duplicate_rows,
        &cfg.output_files,
    )?;
    audit_file.finish()?;
    let _ = std::fs::remove_file(&spill_path);
    seconds.insert("write".to_string(), phase.elapsed().as_secs_f64());
    progress.finish_and_clear();

    counts.skipped_files = discovery.skipped.len() as u64;
    if counts.kept + counts.duplicates + counts.rejected != counts.read {
        return Err(Error::Conservation(format!(
            "read {} but kept {} + duplicates {} + rejected {}",
            counts.read, counts.kept, counts.duplicates, counts.rejected
        )));
    }
    let total_seconds = started.elapsed().as_secs_f64();
    let input_bytes = discovery.total_bytes();
    let report = Report {
        version: env!("CARGO_PKG_VERSION").to_string(),
        counts,
        rejected_by_reason,
        skipped_files: discovery.skipped.clone(),
        events,
        duplicates_by_kind,
        seconds,
        total_seconds,
        input_bytes,
        mb_per_second: input_bytes as f64 / 1e6 / total_seconds.max(1e-9),
        articles_per_second: counts.read as f64 / total_seconds.max(1e-9),
        threads: rayon::current_num_threads(),
        config: cfg.clone(),
    };
    let mut report_file = staging.create_file("report.json")?;
    let mut bytes = serde_json::to_vec_pretty(&report).map_err(|e| Error::Write {
        path: report_file.path().to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    bytes.push(b'\n');
    report_file.write_all(&bytes)?;
    report_file.finish()?;
    let mut html_file = staging.create_file("report.html")?;
    html_file.write_all(output::html::render(&report, &duplicate_rows, &examples).as_bytes())?;
    html_file.finish()?;
    if cfg.dry_run {
        // Dropping the staging area removes everything this run wrote.
        drop(staging);
        if out_root != cfg.output {
            let _ = std::fs::remove_dir_all(&out_root);
        }
    } else {
        staging.commit()?;
    }
    Ok(report)
}

/// Streams the spill into the article files; returns the duplicate rows.
#[allow(clippy::too_many_arguments)]
fn write_articles(
    cfg: &Config,
    staging: &mut Staging,
    spill_path: &std::path::Path,
    ids: &[String],
    decisions: &[Decision],
    audit_file: &mut JsonLinesWriter,
    counts: &mut Counts,
    events: &mut EventCounts,
) -> Result<Vec<DuplicateRow>> {
    let mut csv = None;
    let mut jsonl = None;
    let mut json = None;
    for format in &cfg.formats {
        match format {
            OutputFormat::Csv => {
                csv = Some(ArticleCsvWriter::new(
                    staging.create_file("articles.csv")?,
                    &cfg.output_files,
                )?)
            }
            OutputFormat::Jsonl => {
                jsonl = Some(JsonLinesWriter::new(staging.create_file("articles.jsonl")?))
            }
            OutputFormat::Json => {
                json = Some(JsonArrayWriter::new(staging.create_file("articles.json")?)?)
            }
        }
    }
    let read_error = |source| Error::Read {
        path: spill_path.to_path_buf(),
        source,
    };
    let reader = std::io::BufReader::new(std::fs::File::open(spill_path).map_err(read_error)?);
    let mut rows = Vec::new();
    for (index, line) in reader.lines().enumerate() {
        let line = line.map_err(read_error)?;
        let record: SpillRecord = serde_json::from_str(&line)
            .map_err(|e| read_error(std::io::Error::other(e.to_string())))?;
        let article = record.article;
        match decisions.get(index) {
            Some(Decision::Kept { copies }) => {
                counts.kept += 1;
                let out = OutputArticle::new(&article, *copies);
                if let Some(w) = csv.as_mut() {
                    w.write(&out)?;
                }
                if let Some(w) = jsonl.as_mut() {
                    w.write(&out)?;
                }
                if let Some(w) = json.as_mut() {
                    w.write(&out)?;
                }
            }
            Some(Decision::Duplicate {
                of,
                similarity,
                kind,
            }) => {
                counts.duplicates += 1;
                let duplicate_of = ids.get(*of).cloned().unwrap_or_default();
                let mut audit = Audit::default();
                audit.push(
                    dedup::STAGE,
                    EventKind::Duplicate,
                    &article.id,
                    &duplicate_of,
                    format!("{}:{:.2}", kind.as_str(), similarity),
                    Some(*similarity),
                );
                let lines = audit_lines(&article.id, &article.source, audit, events);
                audit_file.write_raw(&lines)?;
                rows.push(DuplicateRow {
                    id: article.id.clone(),
                    duplicate_of,
                    similarity: *similarity,
                    kind: kind.as_str().to_string(),
                });
            }
            None => {
                return Err(Error::Conservation(format!(
                    "article {} of the spill has no dedup decision",
                    article.id
                )))
            }
        }
    }
    if let Some(w) = csv {
        w.finish()?;
    }
    if let Some(w) = jsonl {
        w.finish()?;
    }
    if let Some(w) = json {
        w.finish()?;
    }
    Ok(rows)
}
