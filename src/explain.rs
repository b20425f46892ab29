//! `newsclean explain ID`: an article's audit trail, read back from a finished run's output
//! folder: whether it was kept, dropped as a duplicate or rejected, every line removed, every
//! edit, and the copies it stands for, each with its reason.

use crate::error::{Error, Result};
use serde_json::Value;
use std::fmt::Write;
use std::io::BufRead;
use std::path::Path;

fn open_lines(path: &Path) -> Result<impl Iterator<Item = std::io::Result<String>>> {
    let file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(std::io::BufReader::new(file).lines())
}

fn read_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// Renders the audit trail of article `id` from the outputs in `output_dir`.
pub fn explain(output_dir: &Path, id: &str) -> Result<String> {
    let mut out = String::new();
    let articles = output_dir.join("articles.jsonl");
    let mut kept = None;
    if articles.exists() {
        for line in open_lines(&articles)? {
            let line = line.map_err(read_error(&articles))?;
            if let Ok(v) = serde_json::from_str::<Value>(&line) {
                if v["id"] == id {
                    kept = Some(v);
                    break;
                }
            }
        }
    }
    let audit = output_dir.join("audit.jsonl");
    let mut events = Vec::new();
    let mut copies = Vec::new();
    for line in open_lines(&audit)? {
        let line = line.map_err(read_error(&audit))?;
        let Ok(v) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        if v["id"] == id {
            events.push(v);
        } else if v["kind"] == "duplicate" && v["after"] == id {
            copies.push(v);
        }
    }
    if kept.is_none() && events.is_empty() {
        return Err(Error::NotFound(format!(
            "no article `{id}` in {} (not kept, not audited)",
            output_dir.display()
        )));
    }
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    match &kept {
        Some(a) => {
            let _ = writeln!(
                out,
                "{id}: kept ({} words, {} copies) from {}",
                a["word_count"],
                a["duplicate_count"],
                s(&a["source"])
            );
            let _ = writeln!(out, "  title: {}", a["title"].as_str().unwrap_or("(none)"));
            let _ = writeln!(out, "  date:  {}", a["date"].as_str().unwrap_or("(none)"));
            let _ = writeln!(out, "  site:  {}", a["site"].as_str().unwrap_or("(none)"));
        }
        None => {
            let fate = events
                .iter()
                .find(|e| e["kind"] == "duplicate" || e["kind"] == "rejected")
                .map(|e| match e["kind"].as_str() {
                    Some("duplicate") => format!("dropped as a duplicate of {}", s(&e["after"])),
                    _ => format!("rejected ({})", s(&e["reason"])),
                })
                .unwrap_or_else(|| "not in the articles".to_string());
            let _ = writeln!(out, "{id}: {fate}");
        }
    }
    for e in &events {
        let reason = s(&e["reason"]);
        match e["kind"].as_str() {
            Some("removed_line") => {
                let _ = writeln!(out, "  removed  [{reason}] {}", s(&e["before"]));
            }
            Some("edit") if e["before"] == "" => {
                let _ = writeln!(out, "  repaired [{reason}] while reading");
            }
            Some("edit") => {
                let _ = writeln!(
                    out,
                    "  edited   [{reason}] {} -> {}",
                    s(&e["before"]),
                    s(&e["after"])
                );
            }
            Some("duplicate") => {
                let _ = writeln!(out, "  dropped  [{reason}] copy of {}", s(&e["after"]));
            }
            Some("rejected") => {
                let _ = writeln!(out, "  rejected [{reason}] {}", s(&e["before"]));
            }
            _ => {}
        }
    }
    for c in &copies {
        let _ = writeln!(out, "  stands for {} [{}]", s(&c["id"]), s(&c["reason"]));
    }
    Ok(out)
}
