//! `report.html`: one self-contained page (no script, no network; charts are inline SVG) that
//! shows what a run did: counts, removals by reason, edits by kind, duplicate clusters, time
//! per stage, and a few before/after examples with removed lines struck through.

use super::csv::DuplicateRow;
use super::Report;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

/// One line of an example article: its text and, when removed, why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleLine {
    /// The line as it was before cleaning.
    pub text: String,
    /// The removal reason, or `None` when the line was kept.
    pub removed: Option<String>,
}

/// A before/after example shown in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// Article id.
    pub id: String,
    /// Title, when known.
    pub title: Option<String>,
    /// The lines before cleaning, with removal marks.
    pub lines: Vec<ExampleLine>,
    /// Edits made: (before, after, reason).
    pub edits: Vec<(String, String, String)>,
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A horizontal bar chart as inline SVG, one bar per (label, value), largest first.
fn bar_chart(rows: &[(String, f64)], unit: &str) -> String {
    if rows.is_empty() {
        return "<p class=\"none\">none</p>".to_string();
    }
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1e-9);
    let row_h = 22;
    let height = rows.len() * row_h + 4;
    let mut svg = format!(
        "<svg class=\"chart\" width=\"760\" height=\"{height}\" viewBox=\"0 0 760 {height}\" role=\"img\">"
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = i * row_h + 2;
        let w = (value / max * 380.0).max(1.0);
        let shown = if value.fract() == 0.0 {
            format!("{value:.0}{unit}")
        } else {
            format!("{value:.3}{unit}")
        };
        let _ = write!(
            svg,
            "<text x=\"250\" y=\"{ty}\" text-anchor=\"end\">{label}</text><rect x=\"260\" y=\"{y}\" width=\"{w:.1}\" height=\"16\" rx=\"2\"/><text x=\"{tx:.1}\" y=\"{ty}\">{shown}</text>",
            ty = y + 13,
            label = esc(&truncate(label, 40)),
            tx = 266.0 + w,
        );
    }
    svg.push_str("</svg>");
    svg
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:900px;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ddd}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:10px 16px;min-width:110px}
.card b{display:block;font-size:1.6em}.chart text{font-size:12px;fill:#333}.chart rect{fill:#4a7bd0}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
.ex{border:1px solid #ddd;border-radius:6px;padding:8px 12px;margin:10px 0}.ex p{margin:4px 0}
del{color:#b33}.why{color:#888;font-size:11px;margin-left:6px}.none{color:#888}.edit{color:#176d2c}";

/// Renders the report page.
pub fn render(report: &Report, clusters: &[DuplicateRow], examples: &[Example]) -> String {
    let c = &report.counts;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>newsclean report</title><style>{STYLE}</style></head><body>"
    );
    let _ = write!(
        h,
        "<h1>newsclean report</h1><p>newsclean {} · {:.1} MB in {:.2} s ({:.1} MB/s, {} threads)</p>",
        esc(&report.version),
        report.input_bytes as f64 / 1e6,
        report.total_seconds,
        report.mb_per_second,
        report.threads
    );
    h.push_str("<div class=\"cards\">");
    for (label, n) in [
        ("read", c.read),
        ("kept", c.kept),
        ("duplicates", c.duplicates),
        ("rejected", c.rejected),
        ("skipped files", c.skipped_files),
    ] {
        let _ = write!(h, "<div class=\"card\"><b>{n}</b>{label}</div>");
    }
    h.push_str("</div>");

    let by_stage = |stage: &str| -> Vec<(String, f64)> {
        let mut rows: Vec<(String, f64)> = report
            .events
            .by_stage
            .get(stage)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), *v as f64)).collect())
            .unwrap_or_default();
        rows.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        rows.truncate(25);
        rows
    };
    h.push_str("<h2>Lines removed, by reason</h2>");
    h.push_str(&bar_chart(&by_stage("boilerplate"), ""));
    h.push_str("<h2>Edits, by kind</h2>");
    h.push_str(&bar_chart(&by_stage("correct"), ""));
    h.push_str("<h2>Rejected records, by reason</h2>");
    let rejected: Vec<(String, f64)> = report
        .rejected_by_reason
        .iter()
        .map(|(k, v)| (k.clone(), *v as f64))
        .collect();
    h.push_str(&bar_chart(&rejected, ""));
    if !report.rejected_first.is_empty() {
        h.push_str("<table><tr><th>record</th><th>reason</th><th>what was wrong</th></tr>");
        for r in &report.rejected_first {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r.source),
                esc(&r.reason),
                esc(&r.detail)
            );
        }
        h.push_str("</table>");
        let unnamed = report.rejected_unnamed();
        if unnamed > 0 {
            let _ = write!(
                h,
                "<p>… and {unnamed} more, each in audit.jsonl (kind \"rejected\").</p>"
            );
        }
    }

    h.push_str("<h2>Duplicates</h2>");
    let kinds: Vec<(String, f64)> = report
        .duplicates_by_kind
        .iter()
        .map(|(k, v)| (k.clone(), *v as f64))
        .collect();
    h.push_str(&bar_chart(&kinds, ""));
    let mut grouped: BTreeMap<&str, Vec<&DuplicateRow>> = BTreeMap::new();
    for row in clusters {
        grouped.entry(&row.duplicate_of).or_default().push(row);
    }
    if !grouped.is_empty() {
        h.push_str("<table><tr><th>kept</th><th>copies dropped (kind, similarity)</th></tr>");
        for (kept, rows) in grouped.iter().take(30) {
            let copies: Vec<String> = rows
                .iter()
                .map(|r| format!("{} ({}, {:.2})", esc(&r.id), esc(&r.kind), r.similarity))
                .collect();
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td></tr>",
                esc(kept),
                copies.join("<br>")
            );
        }
        h.push_str("</table>");
        if grouped.len() > 30 {
            let _ = write!(
                h,
                "<p class=\"none\">… and {} more clusters (see duplicates.csv)</p>",
                grouped.len() - 30
            );
        }
    }

    h.push_str("<h2>Time per stage</h2>");
    let mut times: Vec<(String, f64)> = report
        .seconds
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    times.sort_by(|a, b| b.1.total_cmp(&a.1));
    h.push_str(&bar_chart(&times, " s"));

    h.push_str("<h2>Examples</h2>");
    if examples.is_empty() {
        h.push_str("<p class=\"none\">no article was changed</p>");
    }
    for ex in examples {
        let _ = write!(
            h,
            "<div class=\"ex\"><h3>{} <span class=\"why\">{}</span></h3>",
            esc(ex.title.as_deref().unwrap_or("(no title)")),
            esc(&ex.id)
        );
        for line in ex.lines.iter().take(60) {
            match &line.removed {
                Some(reason) => {
                    let _ = write!(
                        h,
                        "<p><del>{}</del><span class=\"why\">{}</span></p>",
                        esc(&truncate(&line.text, 300)),
                        esc(reason)
                    );
                }
                None => {
                    let _ = write!(h, "<p>{}</p>", esc(&truncate(&line.text, 300)));
                }
            }
        }
        for (before, after, reason) in &ex.edits {
            let _ = write!(
                h,
                "<p class=\"edit\">edit: <del>{}</del> → {} <span class=\"why\">{}</span></p>",
                esc(before),
                esc(after),
                esc(reason)
            );
        }
        h.push_str("</div>");
    }
    h.push_str("</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_strikes_removed_lines() {
        let ex = Example {
            id: "a<1>".into(),
            title: Some("Tom & Jerry".into()),
            lines: vec![
                ExampleLine {
                    text: "Kept <b>line</b>".into(),
                    removed: None,
                },
                ExampleLine {
                    text: "Subscribe".into(),
                    removed: Some("keyword:subscribe".into()),
                },
            ],
            edits: vec![("Th".into(), "The".into(), "typo:short".into())],
        };
        let report = Report {
            version: "0".into(),
            counts: crate::output::Counts {
                read: 4,
                kept: 1,
                rejected: 3,
                ..Default::default()
            },
            rejected_by_reason: Default::default(),
            rejected_first: vec![crate::output::RejectedRecord {
                source: "in/<a>.jsonl:2".into(),
                reason: "json:syntax".into(),
                detail: "expected `,` & more".into(),
            }],
            skipped_files: vec![],
            events: Default::default(),
            duplicates_by_kind: Default::default(),
            seconds: Default::default(),
            total_seconds: 1.0,
            input_bytes: 0,
            mb_per_second: 0.0,
            articles_per_second: 0.0,
            threads: 1,
            config: Default::default(),
        };
        let page = render(&report, &[], &[ex]);
        assert!(page.contains("Tom &amp; Jerry"));
        assert!(page.contains("a&lt;1&gt;"));
        assert!(page.contains("<p>Kept &lt;b&gt;line&lt;/b&gt;</p>"));
        assert!(page.contains("<del>Subscribe</del><span class=\"why\">keyword:subscribe</span>"));
        assert!(page.contains("<del>Th</del> → The"));
        assert!(page.contains(
            "<tr><td>in/&lt;a&gt;.jsonl:2</td><td>json:syntax</td><td>expected `,` &amp; more</td></tr>"
        ));
        assert!(page.contains("… and 2 more"));
        assert!(!page.contains("<script"));
    }
}
