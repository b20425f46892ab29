//! Deduplication seen from the library API: `newsclean::run` on temporary directories for the
//! kinds of copies, the hard negative and determinism, and `dedup::deduplicate` for the canonical
//! choice and the accounting property.

use newsclean::config::{OutputFormat, Stage};
use newsclean::dedup::{self, minhash::splitmix64, Decision, DedupConfig, Fingerprinter};
use newsclean::Config;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Words of the synthetic articles.
const VOCAB: &str =
    "council mayor budget vote school river bridge plan city county police report health \
    water housing tax road park market price worker union strike court judge law state \
    federal funding grant project energy power storm flood fire rescue hospital doctor nurse \
    student teacher library museum festival music team coach season game win loss record \
    company bank loan rate growth jobs store farm crop weather winter summer night morning \
    week month year said told asked agreed rejected announced expected planned closed opened \
    new old local public private major small large early late the a of and to in on for with \
    after before while";

/// A pseudo-random article: `paragraphs` paragraphs of four sentences of 8 to 19 words.
fn article(seed: u64, paragraphs: usize) -> Vec<String> {
    let vocab: Vec<&str> = VOCAB.split_whitespace().collect();
    let mut state = splitmix64(seed);
    let mut next = move |n: u64| {
        state = splitmix64(state);
        (state % n) as usize
    };
    (0..paragraphs)
        .map(|_| {
            (0..4)
                .map(|_| {
                    let len = 8 + next(12);
                    let words: Vec<&str> =
                        (0..len).map(|_| vocab[next(vocab.len() as u64)]).collect();
                    let s = words.join(" ");
                    format!("{}{}.", s[..1].to_uppercase(), &s[1..])
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn body(paragraphs: &[String]) -> String {
    paragraphs.join("\n\n")
}

/// Writes `docs` (id, text, optional date) as JSONL and runs newsclean with `stages` on them.
fn run_on(dir: &Path, docs: &[(&str, String, Option<&str>)], stages: &[Stage], threads: usize) {
    let input = dir.join("docs.jsonl");
    let mut lines = String::new();
    for (id, text, date) in docs {
        let mut rec = serde_json::json!({"id": id, "title": format!("Title {id}"), "text": text});
        if let Some(d) = date {
            rec["date"] = serde_json::json!(d);
        }
        lines.push_str(&rec.to_string());
        lines.push('\n');
    }
    std::fs::write(&input, lines).expect("write input");
    let cfg = Config {
        input: vec![input],
        output: dir.join("out"),
        threads,
        stages: stages.to_vec(),
        formats: vec![OutputFormat::Jsonl],
        quiet: true,
        ..Config::default()
    };
    newsclean::run(&cfg).expect("run succeeds");
}

/// `duplicates.csv` as id → (duplicate_of, kind).
fn duplicates(dir: &Path) -> BTreeMap<String, (String, String)> {
    let mut reader = csv::Reader::from_path(dir.join("out/duplicates.csv")).expect("csv");
    reader
        .records()
        .map(|r| {
            let r = r.expect("row");
            (r[0].to_string(), (r[1].to_string(), r[3].to_string()))
        })
        .collect()
}

/// Kept article ids with their `duplicate_count`.
fn kept(dir: &Path) -> BTreeMap<String, u64> {
    std::fs::read_to_string(dir.join("out/articles.jsonl"))
        .expect("articles")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            (
                v["id"].as_str().unwrap_or("").to_string(),
                v["duplicate_count"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

const DEDUP_ONLY: &[Stage] = &[Stage::Normalize, Stage::Dedup];

fn pair_case(
    original: String,
    copy: String,
) -> (BTreeMap<String, (String, String)>, BTreeMap<String, u64>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let other = body(&article(999, 6));
    run_on(
        dir.path(),
        &[
            ("orig", original, None),
            ("copy", copy, None),
            ("other", other, None),
        ],
        DEDUP_ONLY,
        1,
    );
    (duplicates(dir.path()), kept(dir.path()))
}

#[test]
fn exact_copy_with_unicode_and_whitespace_variants() {
    let original = body(&article(1, 6)).replace("said", "said \u{201c}yes\u{201d}");
    let copy = format!(
        "\u{feff}{}\r\n",
        original
            .replace("\n\n", "\r\n\r\n\r\n")
            .replace(['\u{201c}', '\u{201d}'], "\"")
    );
    let (dups, kept) = pair_case(original, copy);
    assert_eq!(dups.len(), 1, "{dups:?}");
    let (of, kind) = dups.values().next().expect("one row");
    assert_eq!(kind, "exact");
    assert_eq!(kept[of], 1);
    assert_eq!(kept["other"], 0);
}

#[test]
fn near_copy_with_edits_and_a_dropped_paragraph() {
    let paragraphs = article(2, 8);
    let mut edited: Vec<String> = paragraphs
        .iter()
        .map(|p| p.replacen(" the ", " this ", 1))
        .collect();
    edited.remove(3);
    edited[0] = format!("WASHINGTON (AP) \u{2014} {}", edited[0]);
    let (dups, _) = pair_case(body(&paragraphs), body(&edited));
    assert_eq!(
        dups.get("copy"),
        Some(&("orig".to_string(), "near".to_string())),
        "{dups:?}"
    );
}

#[test]
fn truncated_copy_is_contained() {
    let paragraphs = article(3, 10);
    let teaser = format!("{}\n\nContinue reading\u{2026}", body(&paragraphs[..3]));
    let (dups, kept) = pair_case(body(&paragraphs), teaser);
    assert_eq!(
        dups.get("copy"),
        Some(&("orig".to_string(), "contained".to_string())),
        "{dups:?}"
    );
    assert_eq!(kept["orig"], 1);
}

#[test]
fn updated_copy_is_kept_over_the_original() {
    let paragraphs = article(4, 8);
    let updated = format!("{}\n\nUpdate: {}", body(&paragraphs), article(40, 1)[0]);
    let (dups, kept) = pair_case(body(&paragraphs), updated);
    // The updated copy is the more complete one, so the original is the duplicate.
    assert_eq!(
        dups.get("orig").map(|d| d.0.as_str()),
        Some("copy"),
        "{dups:?}"
    );
    assert_eq!(kept["copy"], 1);
}

#[test]
fn articles_sharing_quoted_sentences_are_both_kept() {
    let a = article(5, 8);
    let mut b = article(6, 8);
    // Three of A's sentences quoted in B, as a second outlet covering the same event would.
    for (k, p) in [1usize, 3, 5].into_iter().enumerate() {
        let quote = a[p].split(". ").next().unwrap_or("").to_string();
        b[2 * k + 1] = format!("{} \u{201c}{}.\u{201d}", b[2 * k + 1], quote);
    }
    let (dups, kept) = pair_case(body(&a), body(&b));
    assert!(dups.is_empty(), "{dups:?}");
    assert_eq!(kept.len(), 3);
}

/// Decisions of `deduplicate` for copies of one text with given ids, body lengths and dates.
fn canonical_of(members: &[(&str, u64, u32)]) -> usize {
    let cfg = DedupConfig::default();
    let f = Fingerprinter::new(&cfg);
    let text = body(&article(7, 5));
    let fps: dedup::FingerprintStore = members
        .iter()
        .map(|&(_, len, date)| f.fingerprint_text(text.split("\n\n"), len, date))
        .collect();
    let ids: Vec<&str> = members.iter().map(|m| m.0).collect();
    let decisions = dedup::deduplicate(&ids, &fps, &cfg);
    let kept: Vec<usize> = (0..members.len())
        .filter(|&i| matches!(decisions[i], Decision::Kept { .. }))
        .collect();
    assert_eq!(kept.len(), 1, "{decisions:?}");
    for d in &decisions {
        if let Decision::Duplicate { of, .. } = d {
            assert_eq!(*of, kept[0]);
        }
    }
    kept[0]
}

#[test]
fn canonical_copy_and_its_tie_breaks() {
    // Longest body wins even without a date and with a larger id.
    assert_eq!(
        canonical_of(&[("a", 100, 20200101), ("z", 120, 0), ("b", 110, 20190101)]),
        1
    );
    // Same length: a dated copy wins over an undated one.
    assert_eq!(canonical_of(&[("a", 100, 0), ("b", 100, 20200101)]), 1);
    // Same length, both dated: the earliest date wins.
    assert_eq!(
        canonical_of(&[("a", 100, 20200102), ("b", 100, 20200101)]),
        1
    );
    // Same length and date: the smallest id wins, wherever it is in the input.
    assert_eq!(
        canonical_of(&[
            ("m", 100, 20200101),
            ("c", 100, 20200101),
            ("x", 100, 20200101)
        ]),
        1
    );
    // Identical ids too: the earlier input position.
    assert_eq!(canonical_of(&[("same", 100, 0), ("same", 100, 0)]), 0);
}

#[test]
fn canonical_choice_through_the_pipeline_uses_the_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = body(&article(8, 6));
    let docs = [
        ("late", text.clone(), Some("2021-05-02")),
        ("undated", text.clone(), None),
        ("early", text, Some("2021-05-01")),
    ];
    run_on(dir.path(), &docs, DEDUP_ONLY, 1);
    assert_eq!(
        kept(dir.path()).into_iter().collect::<Vec<_>>(),
        vec![("early".to_string(), 2)]
    );
}

#[test]
fn short_unrelated_articles_are_not_copies() {
    // Briefs of up to six words have one or two shingles. Their MinHash signatures are mostly
    // densified bins: when the kept 8 bits of a minimum did not depend on the bin, one pair
    // of such briefs in 256 read as identical, and 400 briefs gave hundreds of false copies.
    let vocab: Vec<&str> = VOCAB.split_whitespace().collect();
    let mut state = 5u64;
    let mut next = |n: usize| {
        state = splitmix64(state);
        (state % n as u64) as usize
    };
    let mut briefs = std::collections::BTreeSet::new();
    while briefs.len() < 400 {
        let words: Vec<&str> = (0..3 + next(4)).map(|_| vocab[next(vocab.len())]).collect();
        briefs.insert(words.join(" "));
    }
    let ids: Vec<String> = (0..briefs.len()).map(|i| format!("b{i}")).collect();
    let docs: Vec<(&str, String, Option<&str>)> = ids
        .iter()
        .zip(briefs)
        .map(|(id, text)| (id.as_str(), text, None))
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    run_on(dir.path(), &docs, DEDUP_ONLY, 2);
    assert_eq!(duplicates(dir.path()), BTreeMap::new());
    assert_eq!(kept(dir.path()).len(), 400);
}

/// A corpus with every kind of copy of several originals, plus unrelated articles.
fn mixed_corpus(seed: u64, originals: usize) -> Vec<(String, String)> {
    let mut docs = Vec::new();
    for o in 0..originals as u64 {
        let paragraphs = article(seed * 1000 + o, 4 + (o as usize % 5));
        let full = body(&paragraphs);
        docs.push((format!("o{o}"), full.clone()));
        match o % 5 {
            0 => docs.push((format!("x{o}"), full.to_uppercase())),
            1 => docs.push((
                format!("t{o}"),
                format!("{}\n\nRead more", body(&paragraphs[..2])),
            )),
            2 => docs.push((
                format!("u{o}"),
                format!("{full}\n\n{}", article(o + 77, 1)[0]),
            )),
            3 => docs.push((format!("n{o}"), full.replace(" and ", " & "))),
            _ => {}
        }
    }
    docs
}

#[test]
fn output_is_identical_for_one_and_two_threads() {
    let docs = mixed_corpus(3, 40);
    let input: Vec<(&str, String, Option<&str>)> = docs
        .iter()
        .map(|(i, t)| (i.as_str(), t.clone(), None))
        .collect();
    // One directory for both runs: articles record their source path.
    let dir = tempfile::tempdir().expect("tmp");
    let files = ["articles.jsonl", "duplicates.csv", "audit.jsonl"];
    let read = |file: &str| std::fs::read(dir.path().join("out").join(file)).expect("read");
    for stages in [DEDUP_ONLY, &Stage::ALL[..]] {
        run_on(dir.path(), &input, stages, 1);
        let one: Vec<Vec<u8>> = files.iter().map(|f| read(f)).collect();
        run_on(dir.path(), &input, stages, 2);
        for (file, bytes) in files.iter().zip(one) {
            assert!(
                bytes == read(file),
                "{file} differs between 1 and 2 threads"
            );
        }
    }
    assert!(duplicates(dir.path()).len() >= 20);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Conservation: every input id is kept or is a duplicate row, exactly once, and every
    /// duplicate points at a kept article whose count matches.
    #[test]
    fn every_id_is_kept_or_a_duplicate_exactly_once(seed in 0u64..1000, originals in 1usize..15) {
        let docs = mixed_corpus(seed, originals);
        let input: Vec<(&str, String, Option<&str>)> =
            docs.iter().map(|(i, t)| (i.as_str(), t.clone(), None)).collect();
        let dir = tempfile::tempdir().expect("tmp");
        run_on(dir.path(), &input, DEDUP_ONLY, 2);
        let (dups, kept) = (duplicates(dir.path()), kept(dir.path()));
        let mut seen: Vec<&String> = kept.keys().chain(dups.keys()).collect();
        seen.sort();
        let mut ids: Vec<&String> = docs.iter().map(|d| &d.0).collect();
        ids.sort();
        prop_assert_eq!(seen, ids);
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        for (of, _) in dups.values() {
            prop_assert!(kept.contains_key(of));
            *counts.entry(of).or_default() += 1;
        }
        for (id, n) in &kept {
            prop_assert_eq!(*n, counts.get(id.as_str()).copied().unwrap_or(0));
        }
    }
}
