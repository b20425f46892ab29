//! The order of the stages. Input is streamed in chunks; each chunk is a parallel map (rayon)
//! over its records, and the corpus-wide steps are explicit reduce steps between the maps:
//!
//! 1. statistics pass: ingest → normalize → extract metadata → `CorpusStats` (reduce: repeated
//!    lines per site, vocabulary); each record is spilled prepared, with its known words marked
//!    (`KnownWords`) for the corrector;
//! 2. cleaning pass: ingest → normalize → extract → strip boilerplate → correct → fingerprint;
//!    cleaned articles and their fingerprints are spilled to the staging area;
//! 3. dedup reduce over the fingerprints, read back into memory;
//! 4. write pass: the spill is streamed into the article files, duplicates and audit.
//!
//! Output order is input order, so the bytes written do not depend on the thread count.

mod clean;
mod ids;
mod spill;
mod stream;
mod write;

use clean::{prepare, Cleaned, PreparedItem, StageClock, Stages, EXAMPLES_SHOWN};
use ids::IdList;
use spill::{
    decode_prepared, encode_prepared, read_fingerprints, read_prepared, remove_spill,
    visit_fingerprints, SpillWriter,
};
use stream::{progress_bar, stream_chunks};
use write::write_articles;

use crate::article::Article;
use crate::audit::EventCounts;
use crate::config::{Config, OutputFormat, Stage};
use crate::correct::{Corrector, KnownWords, LexiconIndex, Vocabulary};
use crate::dedup::{self, Decision};
use crate::error::{Error, Result};
use crate::extract::boilerplate::{BoilerplateStripper, LineStats};
use crate::extract::metadata::MetadataExtractor;
use crate::ingest::{self};
use crate::output::csv::ArticleCsvRows;
use crate::output::html::Example;
use crate::output::json::JsonLinesWriter;
use crate::output::report::REJECTED_SHOWN;
use crate::output::{self, Counts, Report, Staging};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Runs newsclean with `cfg`: reads the inputs, cleans them and writes the outputs.
pub fn run(cfg: &Config) -> Result<Report> {
    run_with(cfg, &|| {})
}

/// `run`, calling `release_memory` on each of the run's threads wherever the run has dropped a
/// large working set and is about to build the next: once the cleaning pass has dropped its
/// state (lexicon index, corpus statistics, chunk buffers), before the dedup reduce loads the
/// fingerprints' signatures, and twice more between the reduce's steps when it reads the
/// fingerprints in parts (so three times per thread on a large run with dedup on, once
/// otherwise). An allocator that keeps freed memory for reuse (mimalloc does, for a while)
/// otherwise holds both at once, and that sum is the run's peak: the CLI asks mimalloc to
/// return what it holds there (1 GB corpus: see the README).
pub fn run_with(cfg: &Config, release_memory: &(dyn Fn() + Sync)) -> Result<Report> {
    cfg.validate()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()
        .map_err(|e| Error::ThreadPool(e.to_string()))?;
    pool.install(|| run_in_pool(cfg, release_memory))
}

/// The folder a run of `cfg` stages its files in: the output folder, or for a dry run, which
/// never publishes them, a scratch folder of this process.
fn output_root(cfg: &Config) -> PathBuf {
    if cfg.dry_run {
        std::env::temp_dir().join(format!("newsclean-dry-run-{}", std::process::id()))
    } else {
        cfg.output.clone()
    }
}

/// Abandons the run of `cfg` under way in this process (for a signal handler): removes what it
/// has written so far and keeps it from publishing, so the output folder keeps its previous
/// files. Hold the returned guard until the process exits; see `Staging::abandon`.
pub fn abandon(cfg: &Config) -> std::sync::MutexGuard<'static, ()> {
    let root = output_root(cfg);
    let held = output::staging::abandon(&root);
    if root != cfg.output {
        output::staging::remove_dir_racing_writers(&root);
    }
    held
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
    /// The statistics contributed by one article; marks the article's known words in `known`
    /// on the way (see `KnownWords`: the cleaning pass's corrector does not look them up again).
    pub fn observe(article: &Article, cfg: &Config, known: &mut KnownWords) -> CorpusStats {
        CorpusStats {
            lines: if cfg.has_stage(Stage::Boilerplate) {
                LineStats::observe(article, cfg.boilerplate.repetition_limits())
            } else {
                LineStats::default()
            },
            vocabulary: if cfg.has_stage(Stage::Correct) {
                Vocabulary::observe_marking(article, &cfg.correct, known)
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

/// What the cleaning pass needs and the statistics pass does not: built while the
/// statistics pass runs.
struct CleaningParts {
    stripper: Result<BoilerplateStripper>,
    /// With the correct stage only.
    index: Option<LexiconIndex>,
}

impl CleaningParts {
    fn build(
        boilerplate: &crate::extract::boilerplate::BoilerplateConfig,
        correct: Option<&crate::correct::CorrectConfig>,
    ) -> CleaningParts {
        CleaningParts {
            stripper: BoilerplateStripper::new(boilerplate),
            index: correct.map(LexiconIndex::build),
        }
    }
}

fn run_in_pool(cfg: &Config, release_memory: &(dyn Fn() + Sync)) -> Result<Report> {
    let started = Instant::now();
    let mut seconds = BTreeMap::new();
    let discovery = ingest::discover(
        &cfg.input,
        ingest::OwnOutputs {
            dir: &cfg.output,
            names: &output::OUTPUT_FILES,
        },
    );
    if discovery.files.is_empty() {
        let shown: Vec<String> = cfg.input.iter().map(|p| p.display().to_string()).collect();
        // What was found instead, so a mistyped path or a folder of other files says so.
        let skipped: Vec<String> = discovery
            .skipped
            .iter()
            .take(5)
            .map(ToString::to_string)
            .collect();
        let more = discovery.skipped.len().saturating_sub(skipped.len());
        let found = match (skipped.is_empty(), more) {
            (true, _) => String::new(),
            (false, 0) => format!(" (skipped {})", skipped.join("; ")),
            (false, n) => format!(" (skipped {}; and {n} more)", skipped.join("; ")),
        };
        return Err(Error::NoInput(format!(
            "no readable .txt, .json, .jsonl, .ndjson, .csv or .tsv file (optionally .gz/.zst) in {}{found}",
            shown.join(", ")
        )));
    }
    // What the cleaning pass needs and the statistics pass does not is built on a thread of
    // its own while the statistics pass runs, not between the passes, where one core would
    // wait for the other: the boilerplate stripper (~10 ms of pattern compiling) and, for
    // index settings other than the embedded default's, the lexicon's delete index (~40 ms).
    // A one-thread run builds them between the passes, on its one thread.
    let overlapped = rayon::current_num_threads() > 1;
    let prebuilding = overlapped.then(|| {
        let boilerplate = cfg.boilerplate.clone();
        let correct = cfg.has_stage(Stage::Correct).then(|| cfg.correct.clone());
        std::thread::Builder::new()
            .name("newsclean-prebuild".into())
            .spawn(move || CleaningParts::build(&boilerplate, correct.as_ref()))
    });
    let out_root = output_root(cfg);
    let mut staging = Staging::create(&out_root)?;
    let needs_stats = cfg.has_stage(Stage::Boilerplate) || cfg.has_stage(Stage::Correct);
    let passes = if needs_stats { 2 } else { 1 };
    let progress = progress_bar(cfg, discovery.total_bytes() * passes);
    let clock = StageClock::default();
    let extractor = MetadataExtractor::new(&cfg.metadata)?;

    // 1. Statistics pass and its reduce. Each record leaves the pass prepared (normalized,
    //    metadata extracted, language identified) in the prepared spill, which the cleaning
    //    pass reads instead of the input.
    let phase = Instant::now();
    let mut stats = CorpusStats::default();
    let prepared_path = staging.scratch_path("prepared.bin");
    if needs_stats {
        progress.set_message("statistics");
        let mut prepared_spill = SpillWriter::create(&prepared_path)?;
        stream_chunks(
            cfg,
            &progress,
            discovery.total_bytes(),
            |sink| {
                ingest::read_all(&discovery.files, &cfg.ingest, |item, bytes| {
                    sink((item, bytes), bytes);
                })
            },
            |(item, bytes)| {
                let mut item: PreparedItem =
                    item.map(|record| prepare(record, cfg, &extractor, &clock));
                let stats = match &mut item {
                    Ok(prepared) => {
                        CorpusStats::observe(&prepared.article, cfg, &mut prepared.known)
                    }
                    Err(_) => CorpusStats::default(),
                };
                // Encoded here, in parallel, so the article's many strings are freed by the
                // thread that made them; the reduce thread only writes bytes.
                let mut encoded = Vec::with_capacity(match &item {
                    Ok(prepared) => {
                        prepared.article.body_len() + 8 * prepared.article.paragraphs.len() + 512
                    }
                    Err(_) => 512,
                });
                encode_prepared(&item, bytes, &mut encoded);
                (stats, encoded)
            },
            |results| {
                // The reduce runs on its own thread, overlapping the next chunk's map. The
                // chunk is folded first and merged into the total once: merging into the total
                // may prune it when it is over its cap, which is worth doing once per chunk,
                // not once per article. Folding in input order keeps the result independent of
                // the thread count.
                let mut chunk = CorpusStats::default();
                for (article_stats, encoded) in results {
                    chunk = chunk.merge(article_stats);
                    prepared_spill.write_encoded(&encoded)?;
                }
                stats = std::mem::take(&mut stats).merge(chunk);
                Ok(())
            },
        )?;
        prepared_spill.finish()?;
    }
    seconds.insert("pass_statistics".to_string(), phase.elapsed().as_secs_f64());

    // 2. Cleaning pass: map each record, spill articles, keep fingerprints.
    let phase = Instant::now();
    let parts = match prebuilding.map(|building| building.map(std::thread::JoinHandle::join)) {
        Some(Ok(Ok(parts))) => parts,
        Some(Ok(Err(panic))) => std::panic::resume_unwind(panic),
        // A one-thread run, or the thread could not start: build them here.
        Some(Err(_)) | None => CleaningParts::build(
            &cfg.boilerplate,
            cfg.has_stage(Stage::Correct).then_some(&cfg.correct),
        ),
    };
    let stripper = parts.stripper?;
    // The cleaning pass only asks whether a line or a word recurs often enough: what falls
    // short is dropped here, so the one-off lines and words of a large corpus are not carried
    // through it.
    stats.lines.retain_repeated(stripper.min_stories());
    stats
        .vocabulary
        .retain_recurring(cfg.correct.recurrence_min);
    let corrector = if cfg.has_stage(Stage::Correct) {
        let index = parts
            .index
            .unwrap_or_else(|| LexiconIndex::build(&cfg.correct));
        Some(Corrector::with_index(
            &cfg.correct,
            index,
            std::mem::take(&mut stats.vocabulary),
        )?)
    } else {
        None
    };
    let stages = Stages {
        cfg,
        extractor,
        stripper,
        stats,
        corrector,
        fingerprinter: cfg
            .has_stage(Stage::Dedup)
            .then(|| dedup::Fingerprinter::new(&cfg.dedup)),
        csv_rows: cfg
            .formats
            .contains(&OutputFormat::Csv)
            .then(|| ArticleCsvRows::new(&cfg.output_files)),
        json: cfg
            .formats
            .iter()
            .any(|f| matches!(f, OutputFormat::Jsonl | OutputFormat::Json)),
        clock,
        events: std::sync::Mutex::new(EventCounts::default()),
    };
    let spill_path = staging.scratch_path("spill.bin");
    let mut spill = SpillWriter::create(&spill_path)?;
    let mut audit_file = JsonLinesWriter::new(staging.create_file("audit.jsonl")?);
    let mut ids = IdList::default();
    let dedup_on = cfg.has_stage(Stage::Dedup);
    let fingerprints_path = staging.scratch_path("fingerprints.bin");
    let mut fingerprints = SpillWriter::create(&fingerprints_path)?;
    let mut counts = Counts::default();
    let mut events = EventCounts::default();
    let mut rejected_by_reason: BTreeMap<String, u64> = BTreeMap::new();
    let mut rejected_first = Vec::new();
    let mut examples: Vec<Example> = Vec::new();
    progress.set_message("cleaning");
    let mut collect = |cleaned: Cleaned| -> Result<()> {
        counts.read += 1;
        match cleaned {
            Cleaned::Article {
                id,
                spill: line,
                fingerprint,
                audit,
                example,
            } => {
                if let Some(ex) = example.filter(|_| examples.len() < EXAMPLES_SHOWN) {
                    examples.push(*ex);
                }
                spill.write_encoded(&line)?;
                audit_file.write_raw(&audit)?;
                ids.push(&id);
                if dedup_on {
                    fingerprints.write_fingerprint(&fingerprint)?;
                }
            }
            Cleaned::Rejected { record, audit } => {
                counts.rejected += 1;
                *rejected_by_reason.entry(record.reason.clone()).or_default() += 1;
                if rejected_first.len() < REJECTED_SHOWN {
                    rejected_first.push(record);
                }
                audit_file.write_raw(&audit)?;
            }
        }
        Ok(())
    };
    if needs_stats {
        // The records come prepared from the statistics pass's spill.
        let mut spill_error = None;
        stream_chunks(
            cfg,
            &progress,
            discovery.total_bytes(),
            |sink| read_prepared(&prepared_path, sink, &mut spill_error),
            // Decoded in the map, so each record's strings are made and freed on one worker.
            |frame| decode_prepared(&frame).map(|(item, _)| stages.clean(item)),
            |results| {
                results.into_iter().try_for_each(|cleaned| {
                    collect(cleaned.map_err(|source| Error::Read {
                        path: prepared_path.clone(),
                        source,
                    })?)
                })
            },
        )?;
        if let Some(e) = spill_error {
            return Err(e);
        }
        remove_spill(&prepared_path);
    } else {
        stream_chunks(
            cfg,
            &progress,
            discovery.total_bytes(),
            |sink| {
                ingest::read_all(&discovery.files, &cfg.ingest, |item, bytes| {
                    sink(item, bytes);
                })
            },
            |item| stages.clean_record(item),
            |results| results.into_iter().try_for_each(&mut collect),
        )?;
    }
    spill.finish()?;
    let fingerprint_bytes = fingerprints.finish()?;
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
    events.merge(
        &stages
            .events
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    drop(stages);
    rayon::broadcast(|_| release_memory());

    // 3. Dedup reduce.
    let phase = Instant::now();
    progress.set_message("dedup");
    let ids = ids.as_strs();
    // A small spill is read once, whole: holding both parts costs a few tens of megabytes and
    // saves three reads of the spill (~10 ms each on 100 MB of text, on one core, at the run's
    // end). A large one (1 GB of text: ~120 MB) is read four times, each step keeping only what
    // it needs (see `dedup::deduplicate_loading`), so that memory stays at the largest step's.
    let whole_max = cfg.dedup.whole_fingerprints_max_mb.saturating_mul(1 << 20);
    let decisions: Vec<Decision> = if dedup_on && fingerprint_bytes <= whole_max {
        let all = read_fingerprints(&fingerprints_path, &|_| dedup::Parts::ALL)?;
        dedup::deduplicate(&ids, &all, &cfg.dedup)
    } else if dedup_on {
        let mut loads = 0;
        dedup::deduplicate_loading(&ids, &cfg.dedup, |visit| {
            // What the previous step freed is returned before the next part is read (the
            // cleaning pass's memory was returned just above).
            if loads > 0 {
                rayon::broadcast(|_| release_memory());
            }
            loads += 1;
            visit_fingerprints(&fingerprints_path, visit)
        })?
    } else {
        vec![Decision::Kept { copies: 0 }; ids.len()]
    };
    remove_spill(&fingerprints_path);
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
    remove_spill(&spill_path);
    seconds.insert("write".to_string(), phase.elapsed().as_secs_f64());
    progress.finish_and_clear();

    counts.skipped_files = discovery.skipped.len() as u64;
    if counts.kept + counts.duplicates + counts.rejected != counts.read {
        return Err(Error::Conservation(format!(
            "read {} but kept {} + duplicates {} + rejected {}",
            counts.read, counts.kept, counts.duplicates, counts.rejected
        )));
    }
    // The files written so far are on disk before the clock stops (their syncs ran side by
    // side since each was finished): the time reported covers them, as it did when each
    // finish waited for its own.
    staging.wait_for_syncs()?;
    let total_seconds = started.elapsed().as_secs_f64();
    let input_bytes = discovery.total_bytes();
    let report = Report {
        version: env!("CARGO_PKG_VERSION").to_string(),
        counts,
        rejected_by_reason,
        rejected_first,
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
