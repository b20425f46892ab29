//! The write pass: the spill of cleaned articles streamed into the article files, with the
//! dedup decisions applied.
//!
//! The spill is read once, a block of records at a time, the next block while the current one
//! is written; the article files of each batch are written side by side (one writer per file,
//! in parallel on the pool), then the duplicates with their audit lines. Every file's bytes are
//! in input order whatever the thread count. (Reading the spill once per writer instead was
//! slower on large runs, where the spill no longer stays in the page cache.)

use super::clean::audit_lines;
use super::spill::{OutputBlock, OutputBlockReader};
use crate::audit::{Audit, EventCounts, EventKind};
use crate::config::{Config, OutputFormat};
use crate::dedup::{self, Decision};
use crate::error::{Error, Result};
use crate::output::csv::{ArticleCsvWriter, DuplicateRow};
use crate::output::json::{JsonArrayWriter, JsonLinesWriter};
use crate::output::{Counts, Staging};
use rayon::prelude::*;
use std::path::Path;

/// Spill bytes per batch: a few megabytes of output, so the writers' turns are long next to the
/// cost of handing them a batch.
const BATCH_BYTES: usize = 4 << 20;

/// The writer of one article file.
enum ArticleWriter {
    Csv(ArticleCsvWriter),
    JsonLines(JsonLinesWriter),
    JsonArray(JsonArrayWriter),
}

impl ArticleWriter {
    /// Writes the kept articles among the records of `batch` (with their `decisions`).
    fn write_batch(&mut self, batch: &OutputBlock, decisions: &[Decision]) -> Result<()> {
        for (record, decision) in batch.records().zip(decisions) {
            let Decision::Kept { copies } = decision else {
                continue;
            };
            match self {
                ArticleWriter::Csv(w) => w.write_row(record.csv_row)?,
                ArticleWriter::JsonLines(w) => w.write_head(record.json_head, *copies)?,
                // The array writer puts the separators between elements itself.
                ArticleWriter::JsonArray(w) => w.write_head(record.json_head, *copies)?,
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        match self {
            ArticleWriter::Csv(w) => w.finish(),
            ArticleWriter::JsonLines(w) => w.finish(),
            ArticleWriter::JsonArray(w) => w.finish(),
        }
    }
}

/// Streams the spill into the article files; returns the duplicate rows.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_articles(
    cfg: &Config,
    staging: &mut Staging,
    spill_path: &Path,
    ids: &[&str],
    decisions: &[Decision],
    audit_file: &mut JsonLinesWriter,
    counts: &mut Counts,
    events: &mut EventCounts,
) -> Result<Vec<DuplicateRow>> {
    let mut writers: Vec<ArticleWriter> = Vec::new();
    for format in &cfg.formats {
        let writer = match format {
            OutputFormat::Csv => ArticleWriter::Csv(ArticleCsvWriter::new(
                staging.create_file("articles.csv")?,
                &cfg.output_files,
            )?),
            OutputFormat::Jsonl => ArticleWriter::JsonLines(JsonLinesWriter::new(
                staging.create_file("articles.jsonl")?,
            )),
            OutputFormat::Json => ArticleWriter::JsonArray(JsonArrayWriter::new(
                staging.create_file("articles.json")?,
            )?),
        };
        writers.push(writer);
    }
    let read_error = |source| Error::Read {
        path: spill_path.to_path_buf(),
        source,
    };
    let mut reader = OutputBlockReader::open(spill_path).map_err(read_error)?;
    // Two batches: the next is read from the spill while the current one is written.
    let mut current = OutputBlock::default();
    let mut next = OutputBlock::default();
    let mut fill = |batch: &mut OutputBlock| reader.fill(batch, BATCH_BYTES).map_err(read_error);
    let mut rows = Vec::new();
    let mut done = 0usize;
    let mut n = fill(&mut current)?;
    while n > 0 {
        let Some(batch_decisions) = decisions.get(done..done + n) else {
            return Err(Error::Conservation(format!(
                "the spill holds more articles than the {} dedup decided on",
                decisions.len()
            )));
        };
        let batch = &current;
        let (read, written) = rayon::join(
            || fill(&mut next),
            || -> Result<()> {
                writers
                    .par_iter_mut()
                    .map(|w| w.write_batch(batch, batch_decisions))
                    .collect::<Result<()>>()?;
                write_duplicates(batch, batch_decisions, ids, audit_file, events, &mut rows)
            },
        );
        written?;
        done += n;
        n = read?;
        std::mem::swap(&mut current, &mut next);
    }
    if done != decisions.len() {
        return Err(Error::Conservation(format!(
            "the spill holds {done} articles but dedup decided on {}",
            decisions.len()
        )));
    }
    // Each finish waits for its file's last sync: side by side, the waits overlap.
    writers
        .into_par_iter()
        .map(ArticleWriter::finish)
        .collect::<Result<()>>()?;
    counts.kept += decisions
        .iter()
        .filter(|d| matches!(d, Decision::Kept { .. }))
        .count() as u64;
    counts.duplicates += rows.len() as u64;
    Ok(rows)
}

/// Appends the audit line and the duplicate row of each duplicate among the records of
/// `batch`.
fn write_duplicates(
    batch: &OutputBlock,
    decisions: &[Decision],
    ids: &[&str],
    audit_file: &mut JsonLinesWriter,
    events: &mut EventCounts,
    rows: &mut Vec<DuplicateRow>,
) -> Result<()> {
    for (record, decision) in batch.records().zip(decisions) {
        if let Decision::Duplicate {
            of,
            similarity,
            kind,
        } = decision
        {
            let duplicate_of = ids.get(*of).copied().unwrap_or_default().to_string();
            let mut audit = Audit::default();
            audit.push(
                dedup::STAGE,
                EventKind::Duplicate,
                record.id,
                &duplicate_of,
                format!("{}:{:.2}", kind.as_str(), similarity).into(),
                Some(*similarity),
            );
            for event in &audit.events {
                events.add(event);
            }
            audit_file.write_raw(&audit_lines(record.id, record.source, &audit))?;
            rows.push(DuplicateRow {
                id: record.id.to_string(),
                duplicate_of,
                similarity: *similarity,
                kind: kind.as_str().to_string(),
            });
        }
    }
    Ok(())
}
