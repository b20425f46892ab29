//! The write pass: the spill of cleaned articles streamed into the article files, with the
//! dedup decisions applied.
//!
//! Each output file is written by its own job reading the spill (the spill is in the page
//! cache by then, and its records are only copied), and the duplicates with their audit lines
//! are one more: on two threads the files are written side by side instead of one after the
//! other, and every job's bytes are in input order whatever the thread count.

use super::clean::audit_lines;
use super::spill::SpillRecord;
use crate::audit::{Audit, EventCounts, EventKind};
use crate::config::{Config, OutputFormat};
use crate::dedup::{self, Decision};
use crate::error::{Error, Result};
use crate::output::csv::{ArticleCsvWriter, DuplicateRow};
use crate::output::json::{JsonArrayWriter, JsonHead, JsonLinesWriter};
use crate::output::{Counts, Staging};
use std::path::Path;

/// One writer of the write pass.
enum Job<'a> {
    Csv(ArticleCsvWriter),
    JsonLines(JsonLinesWriter),
    JsonArray(JsonArrayWriter),
    Duplicates {
        audit_file: &'a mut JsonLinesWriter,
        events: &'a mut EventCounts,
        rows: &'a mut Vec<DuplicateRow>,
    },
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
    let mut jobs = Vec::new();
    for format in &cfg.formats {
        jobs.push(match format {
            OutputFormat::Csv => Job::Csv(ArticleCsvWriter::new(
                staging.create_file("articles.csv")?,
                &cfg.output_files,
            )?),
            OutputFormat::Jsonl => {
                Job::JsonLines(JsonLinesWriter::new(staging.create_file("articles.jsonl")?))
            }
            OutputFormat::Json => {
                Job::JsonArray(JsonArrayWriter::new(staging.create_file("articles.json")?)?)
            }
        });
    }
    let mut rows = Vec::new();
    jobs.push(Job::Duplicates {
        audit_file,
        events,
        rows: &mut rows,
    });
    let outcomes: Vec<Result<()>> = {
        use rayon::prelude::*;
        jobs.into_par_iter()
            .map(|job| run_job(job, spill_path, ids, decisions))
            .collect()
    };
    outcomes.into_iter().collect::<Result<()>>()?;
    counts.kept += decisions
        .iter()
        .filter(|d| matches!(d, Decision::Kept { .. }))
        .count() as u64;
    counts.duplicates += rows.len() as u64;
    Ok(rows)
}

/// Runs one job over the whole spill.
fn run_job(job: Job, spill_path: &Path, ids: &[&str], decisions: &[Decision]) -> Result<()> {
    match job {
        Job::Csv(mut w) => {
            for_each_record(spill_path, decisions, |record, decision| match decision {
                Decision::Kept { .. } => w.write_row(&record.csv_row),
                Decision::Duplicate { .. } => Ok(()),
            })?;
            w.finish()
        }
        Job::JsonLines(mut w) => {
            write_json_objects(spill_path, decisions, b"\n", |bytes| w.write_raw(bytes))?;
            w.finish()
        }
        Job::JsonArray(mut w) => {
            // The array writer puts the separators between elements itself.
            write_json_objects(spill_path, decisions, b"", |bytes| w.write_raw(bytes))?;
            w.finish()
        }
        Job::Duplicates {
            audit_file,
            events,
            rows,
        } => for_each_record(spill_path, decisions, |record, decision| {
            let Decision::Duplicate {
                of,
                similarity,
                kind,
            } = decision
            else {
                return Ok(());
            };
            let duplicate_of = ids.get(*of).copied().unwrap_or_default().to_string();
            let mut audit = Audit::default();
            audit.push(
                dedup::STAGE,
                EventKind::Duplicate,
                &record.id,
                &duplicate_of,
                format!("{}:{:.2}", kind.as_str(), similarity),
                Some(*similarity),
            );
            let lines = audit_lines(&record.id, &record.source, audit, events);
            audit_file.write_raw(&lines)?;
            rows.push(DuplicateRow {
                id: record.id.clone(),
                duplicate_of,
                similarity: *similarity,
                kind: kind.as_str().to_string(),
            });
            Ok(())
        }),
    }
}

/// Hands `write` each kept article's JSON object, completed with its copy count, followed by
/// `end`.
fn write_json_objects(
    spill_path: &Path,
    decisions: &[Decision],
    end: &[u8],
    mut write: impl FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    let mut element = Vec::new();
    for_each_record(spill_path, decisions, |record, decision| match decision {
        Decision::Kept { copies } => {
            element.clear();
            JsonHead::finish_bytes(&record.json_head, *copies, &mut element);
            element.extend_from_slice(end);
            write(&element)
        }
        Decision::Duplicate { .. } => Ok(()),
    })
}

/// Calls `f` with each record of the spill and its dedup decision, in order. A record without a decision, or a decision without a record, breaks
/// the conservation of records and is an error.
fn for_each_record(
    spill_path: &Path,
    decisions: &[Decision],
    mut f: impl FnMut(&SpillRecord, &Decision) -> Result<()>,
) -> Result<()> {
    let read_error = |source| Error::Read {
        path: spill_path.to_path_buf(),
        source,
    };
    let mut reader = std::io::BufReader::with_capacity(
        1 << 20,
        std::fs::File::open(spill_path).map_err(read_error)?,
    );
    let (mut record, mut scratch) = (SpillRecord::default(), Vec::new());
    let mut index = 0usize;
    while record
        .read_into(&mut reader, &mut scratch)
        .map_err(read_error)?
    {
        let Some(decision) = decisions.get(index) else {
            return Err(Error::Conservation(format!(
                "article {} of the spill has no dedup decision",
                record.id
            )));
        };
        f(&record, decision)?;
        index += 1;
    }
    if index != decisions.len() {
        return Err(Error::Conservation(format!(
            "the spill holds {index} articles but dedup decided on {}",
            decisions.len()
        )));
    }
    Ok(())
}
