//! Audit events: every line removed, every edit, every duplicate and every rejected record is
//! recorded with a short stable reason code, so a user can see what a run did and why.
//! Stages push events into a per-article `Audit`; the pipeline attaches the article's id and
//! source when writing them, and counts them per stage and reason for the report.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
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
    /// Borrowed when static, as stage names and most reason codes are: an article records
    /// dozens of events, and copying these names made most of the run's allocations.
    pub stage: Cow<'static, str>,
    /// What kind of change.
    pub kind: EventKind,
    /// The text before (the removed line, the word before the edit, ...).
    pub before: String,
    /// The text after (empty for removals).
    pub after: String,
    /// Short stable reason code such as `keyword:subscribe` or `typo:edit1`.
    pub reason: Cow<'static, str>,
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
    pub fn removed_line(
        &mut self,
        stage: &'static str,
        line: &str,
        reason: impl Into<Cow<'static, str>>,
    ) {
        self.push(stage, EventKind::RemovedLine, line, "", reason.into(), None);
    }

    /// Records an in-place edit from `before` to `after`.
    pub fn edit(
        &mut self,
        stage: &'static str,
        before: &str,
        after: &str,
        reason: impl Into<Cow<'static, str>>,
        score: Option<f64>,
    ) {
        self.push(stage, EventKind::Edit, before, after, reason.into(), score);
    }

    /// Records any event.
    pub fn push(
        &mut self,
        stage: &'static str,
        kind: EventKind,
        before: &str,
        after: &str,
        reason: Cow<'static, str>,
        score: Option<f64>,
    ) {
        self.events.push(AuditEvent {
            stage: Cow::Borrowed(stage),
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
        self.add_n(&event.stage, &event.reason, 1);
    }

    /// Counts `n` events of `stage` and `reason`. The keys are copied only the first time
    /// they are seen: a run counts hundreds of thousands of events under a few dozen keys.
    fn add_n(&mut self, stage: &str, reason: &str, n: u64) {
        let reasons = match self.by_stage.get_mut(stage) {
            Some(reasons) => reasons,
            None => self.by_stage.entry(stage.to_string()).or_default(),
        };
        match reasons.get_mut(reason) {
            Some(count) => *count += n,
            None => {
                reasons.insert(reason.to_string(), n);
            }
        }
    }

    /// Adds another set of counts into this one (the reduce of per-chunk counts).
    pub fn merge(&mut self, other: &EventCounts) {
        for (stage, reasons) in &other.by_stage {
            for (reason, &n) in reasons {
                self.add_n(stage, reason, n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_by_stage_and_reason_across_merges() {
        let mut audit = Audit::default();
        audit.removed_line("boilerplate", "Subscribe", "keyword:subscribe");
        audit.removed_line("boilerplate", "Subscribe now", "keyword:subscribe");
        audit.edit("correct", "teh", "the", "typo:edit1", Some(0.9));
        let mut first = EventCounts::default();
        audit.events.iter().for_each(|e| first.add(e));
        let mut second = EventCounts::default();
        second.add(&audit.events[2]);
        first.merge(&second);
        let count = |c: &EventCounts, stage: &str, reason: &str| {
            c.by_stage.get(stage).and_then(|r| r.get(reason)).copied()
        };
        assert_eq!(count(&first, "boilerplate", "keyword:subscribe"), Some(2));
        assert_eq!(count(&first, "correct", "typo:edit1"), Some(2));
        assert_eq!(count(&first, "correct", "keyword:subscribe"), None);
        assert_eq!(first.by_stage.len(), 2);
    }
}
