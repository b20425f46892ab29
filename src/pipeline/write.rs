//! The write pass: the spill of cleaned articles streamed into the article files, with the
//! dedup decisions applied.

use super::clean::audit_lines;
use super::spill::SpillRecord;
use crate::audit::{Audit, EventCounts, EventKind};
use crate::config::{Config, OutputFormat};
use crate::dedup::{self, Decision};
use crate::error::{Error, Result};
use crate::output::csv::{ArticleCsvWriter, DuplicateRow};
use crate::output::json::{JsonArrayWriter, JsonHead, JsonLinesWriter};
use crate::output::{Counts, Staging};

/// Streams the spill into the article files; returns the duplicate rows.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_articles(
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
    let mut reader = std::io::BufReader::with_capacity(
        1 << 20,
        std::fs::File::open(spill_path).map_err(read_error)?,
    );
    let mut rows = Vec::new();
    let mut element = Vec::new();
    let mut index = 0usize;
    while let Some(record) = SpillRecord::read(&mut reader).map_err(read_error)? {
        let decision = decisions.get(index);
        index += 1;
        match decision {
            Some(Decision::Kept { copies }) => {
                counts.kept += 1;
                if let Some(w) = csv.as_mut() {
                    w.write_row(&record.csv_row)?;
                }
                if jsonl.is_some() || json.is_some() {
                    element.clear();
                    JsonHead(record.json_head).finish_into(*copies, &mut element);
                    if let Some(w) = json.as_mut() {
                        w.write_raw(&element)?;
                    }
                    if let Some(w) = jsonl.as_mut() {
                        element.push(b'\n');
                        w.write_raw(&element)?;
                    }
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
            }
            None => {
                return Err(Error::Conservation(format!(
                    "article {} of the spill has no dedup decision",
                    record.id
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
