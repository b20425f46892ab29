//! Audit events: every line removed, every edit, every duplicate and every rejected record is
//! recorded with a short stable reason code, so a user can see what a run did and why.
//! Stages push events into a per-article `Audit`; the pipeline attaches the article's id and
//! source when writing them, and counts them per stage and reason for the report.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of change an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A line (or block) was removed from the body.
    RemovedLine,
    /// Text was changed in place (typo, year, decoding repair).
    Edit,
    /// The whole article was dropped as a copy of another.
    Duplicate,
    /// The input record could not be used.
    Rejected,
}

impl EventKind {
    /// The name used in `audit.jsonl` and the report.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::RemovedLine => "removed_line",
            EventKind::Edit => "edit",
            EventKind::Duplicate => "duplicate",
            EventKind::Rejected => "rejected",
        }
    }
}

/// One recorded change, without the article identity (added when written).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// The stage that made the change (`ingest`, `normalize`, `boilerplate`, `correct`, `dedup`).
    pub stage: String,
    /// What kind of change.
    pub kind: EventKind,
    /// The text before (the removed line, the word before the edit, ...).
    pub before: String,
    /// The text after (empty for removals).
    pub after: String,
    /// Short stable reason code such as `keyword:subscribe` or `typo:edit1`.
    pub reason: String,
    /// Optional confidence or similarity score behind the decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// The events one article collected while passing through the stages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Audit {
    /// Events in the order they happened.
    pub events: Vec<AuditEvent>,
}

impl Audit {
    /// Records that `line` was removed from the body for `reason`.
    pub fn removed_line(&mut self, stage: &str, line: &str, reason: impl Into<String>) {
        self.push(stage, EventKind::RemovedLine, line, "", reason.into(), None);
    }

    /// Records an in-place edit from `before` to `after`.
    pub fn edit(
        &mut self,
        stage: &str,
        before: &str,
        after: &str,
        reason: impl Into<String>,
        score: Option<f64>,
    ) {
        self.push(stage, EventKind::Edit, before, after, reason.into(), score);
    }

    /// Records any event.
    pub fn push(
        &mut self,
        stage: &str,
        kind: EventKind,
        before: &str,
        after: &str,
        reason: String,
        score: Option<f64>,
    ) {
        self.events.push(AuditEvent {
            stage: stage.to_string(),
            kind,
            before: before.to_string(),
            after: after.to_string(),
            reason,
            score,
        });
    }
}

/// Event counts by stage, then by reason code: the per-stage section of `report.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventCounts {
    /// stage -> reason -> count (BTreeMap: sorted keys keep the report deterministic).
    pub by_stage: BTreeMap<String, BTreeMap<String, u64>>,
}

impl EventCounts {
    /// Counts one event.
    pub fn add(&mut self, event: &AuditEvent) {
        *self
            .by_stage
            .entry(event.stage.clone())
            .or_default()
            .entry(event.reason.clone())
            .or_default() += 1;
    }

    /// Adds another set of counts into this one (the reduce of per-chunk counts).
    pub fn merge(&mut self, other: &EventCounts) {
        for (stage, reasons) in &other.by_stage {
            let mine = self.by_stage.entry(stage.clone()).or_default();
            for (reason, n) in reasons {
                *mine.entry(reason.clone()).or_default() += n;
            }
        }
    }
}
