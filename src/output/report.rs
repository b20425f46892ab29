//! `report.json`: what a run read, kept, dropped and rejected, the removals and edits by stage
//! and reason, timings, throughput, the version and the effective configuration.

use crate::audit::EventCounts;
use crate::config::Config;
use crate::ingest::SkippedFile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Record counts of a run. `read = kept + duplicates + rejected` always holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Records read (used or rejected).
    pub read: u64,
    /// Articles written to the outputs.
    pub kept: u64,
    /// Articles dropped as copies of a kept one.
    pub duplicates: u64,
    /// Records that could not be used.
    pub rejected: u64,
    /// Files found but not read (unknown extension, hidden, ...).
    pub skipped_files: u64,
}

/// Rejected records named one by one in `report.json` and on the terminal; all of them are
/// in `audit.jsonl`, and `rejected_by_reason` counts them.
pub const REJECTED_SHOWN: usize = 10;

/// A rejected record: where it is in the input and why it could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedRecord {
    /// File path with `:N` for the record (line or row) number.
    pub source: String,
    /// Reason code (`json:syntax`, `csv:unclosed_quote`, ...).
    pub reason: String,
    /// What was wrong, in words.
    pub detail: String,
}

/// Everything `report.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// newsclean version.
    pub version: String,
    /// Record counts.
    pub counts: Counts,
    /// Rejections by reason code.
    pub rejected_by_reason: BTreeMap<String, u64>,
    /// The first rejected records in input order (at most `REJECTED_SHOWN`).
    #[serde(default)]
    pub rejected_first: Vec<RejectedRecord>,
    /// Files that were skipped, with the reason.
    pub skipped_files: Vec<SkippedFile>,
    /// Removals and edits: stage -> reason -> count.
    pub events: EventCounts,
    /// Duplicates by kind.
    pub duplicates_by_kind: BTreeMap<String, u64>,
    /// Seconds per pipeline phase (wall clock) and per stage (summed over threads).
    pub seconds: BTreeMap<String, f64>,
    /// Total wall-clock seconds.
    pub total_seconds: f64,
    /// Input bytes (on disk).
    pub input_bytes: u64,
    /// Input megabytes (10^6 bytes) per second, end to end.
    pub mb_per_second: f64,
    /// Articles read per second, end to end.
    pub articles_per_second: f64,
    /// Threads used.
    pub threads: usize,
    /// The effective configuration.
    pub config: Config,
}

impl Report {
    /// One line for each input the run could not use, for the terminal: the files skipped
    /// for a reason other than being hidden or an earlier run's output (both are skipped by
    /// convention, and only counted), then the first rejected records, then how many more
    /// rejections the audit holds. Empty when everything was read.
    pub fn notices(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .skipped_files
            .iter()
            .filter(|f| f.reason != "hidden" && f.reason != "newsclean_output")
            .map(|f| format!("newsclean: skipped {f}"))
            .collect();
        for r in &self.rejected_first {
            lines.push(format!(
                "newsclean: rejected {} ({}): {}",
                r.source, r.reason, r.detail
            ));
        }
        let unnamed = self.rejected_unnamed();
        if unnamed > 0 {
            lines.push(format!(
                "newsclean: ... and {unnamed} more rejected records (all in audit.jsonl, kind \"rejected\")"
            ));
        }
        lines
    }

    /// How many rejected records `rejected_first` does not name.
    pub fn rejected_unnamed(&self) -> u64 {
        self.counts
            .rejected
            .saturating_sub(self.rejected_first.len() as u64)
    }

    /// The one-paragraph summary printed at the end of a run.
    pub fn summary(&self) -> String {
        let c = &self.counts;
        let mut s = format!(
            "newsclean: read {} records, kept {}, duplicates {}, rejected {}",
            c.read, c.kept, c.duplicates, c.rejected
        );
        if c.skipped_files > 0 {
            s.push_str(&format!(", skipped files {}", c.skipped_files));
        }
        let removed: u64 = self
            .events
            .by_stage
            .get(crate::extract::boilerplate::STAGE)
            .map(|r| r.values().sum())
            .unwrap_or(0);
        let edits: u64 = self
            .events
            .by_stage
            .get(crate::correct::STAGE)
            .map(|r| r.values().sum())
            .unwrap_or(0);
        s.push_str(&format!(
            "; {} boilerplate lines removed, {} corrections; {:.1} MB in {:.2} s ({:.1} MB/s, {:.0} articles/s, {} threads); {}",
            removed,
            edits,
            self.input_bytes as f64 / 1e6,
            self.total_seconds,
            self.mb_per_second,
            self.articles_per_second,
            self.threads,
            if self.config.dry_run {
                "dry run: no files written".to_string()
            } else {
                format!("outputs in {}", self.config.output.display())
            }
        ));
        s
    }
}
