//! Unit tests of the dedup reduce on synthetic texts.

use super::*;

/// `n` pseudo-random words from a 5,000-word vocabulary, as sentences of 12 words.
fn words(seed: u64, n: usize) -> Vec<String> {
    (0..n as u64)
        .map(|i| {
            let w = minhash::splitmix64(seed.wrapping_mul(1_000_003) ^ i) % 5000;
            if i % 12 == 11 {
                format!("w{w}.")
            } else {
                format!("w{w}")
            }
        })
        .collect()
}

fn text(words: &[String]) -> String {
    words.join(" ")
}

fn fingerprints(texts: &[String], cfg: &DedupConfig) -> Vec<Fingerprint> {
    let f = Fingerprinter::new(cfg);
    texts
        .iter()
        .map(|t| f.fingerprint_text(t.split("\n\n"), t.len() as u64, 0))
        .collect()
}

fn fps(texts: &[String], cfg: &DedupConfig) -> FingerprintStore {
    fingerprints(texts, cfg).into_iter().collect()
}

/// `deduplicate_loading` over `texts`, and how many times it read the fingerprints.
fn run_loading(ids: &[&str], texts: &[String], cfg: &DedupConfig) -> (Vec<Decision>, usize) {
    let all = fingerprints(texts, cfg);
    let mut reads = 0;
    let decisions = deduplicate_loading(ids, cfg, |visit| {
        reads += 1;
        all.iter().for_each(|fp| visit(fp.as_ref()));
        Ok(())
    })
    .expect("loads");
    (decisions, reads)
}

/// Decisions for `texts`, checked to be the same whether the fingerprints are held whole or
/// read four times, each read keeping only what its step needs.
fn run(texts: &[String]) -> Vec<Decision> {
    let cfg = DedupConfig::default();
    let ids: Vec<String> = (0..texts.len()).map(|i| format!("d{i}")).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let whole = deduplicate(&id_refs, &fps(texts, &cfg), &cfg);
    let (loaded, reads) = run_loading(&id_refs, texts, &cfg);
    assert_eq!(
        loaded, whole,
        "reading the parts step by step decides the same"
    );
    assert_eq!(reads, 4);
    whole
}

#[test]
fn reading_a_different_number_of_fingerprints_is_an_error() {
    let cfg = DedupConfig::default();
    let texts: Vec<String> = (0..3).map(|s| text(&words(s, 100))).collect();
    let all = fingerprints(&texts, &cfg);
    // Each read checks the count: the first (too few, too many), and each later one (too
    // many: the selections are asked past the end, and say no, first).
    for (ids, short_read) in [(&["a", "b", "c", "d"][..], 1), (&["a", "b"][..], 4)] {
        for bad in 1..=short_read {
            let mut reads = 0;
            let got = deduplicate_loading(ids, &cfg, |visit| {
                reads += 1;
                let n = if reads == bad { all.len() } else { ids.len() };
                all.iter().cycle().take(n).for_each(|fp| visit(fp.as_ref()));
                Ok(())
            });
            assert!(matches!(got, Err(Error::Conservation(_))), "{got:?}");
            assert_eq!(reads, bad);
        }
    }
}

fn dup_of(d: &Decision) -> Option<(usize, DuplicateKind)> {
    match d {
        Decision::Duplicate { of, kind, .. } => Some((*of, *kind)),
        Decision::Kept { .. } => None,
    }
}

#[test]
fn unrelated_articles_are_all_kept() {
    let texts: Vec<String> = (0..20).map(|s| text(&words(s, 300))).collect();
    assert!(run(&texts)
        .iter()
        .all(|d| *d == Decision::Kept { copies: 0 }));
}

#[test]
fn whitespace_and_quote_variants_are_exact() {
    let base = text(&words(1, 200));
    // Same length in bytes, so the tie goes to the smaller id.
    let variant = base.replacen(' ', "\t", 3).to_uppercase();
    let d = run(&[base, variant]);
    assert_eq!(d[0], Decision::Kept { copies: 1 });
    assert_eq!(dup_of(&d[1]), Some((0, DuplicateKind::Exact)));
}

#[test]
fn edited_copy_is_near() {
    let base = words(2, 400);
    let mut edited = base.clone();
    for i in (0..edited.len()).step_by(40) {
        edited[i] = "changed".into();
    }
    edited.truncate(380);
    let d = run(&[text(&base), text(&edited), text(&words(3, 400))]);
    assert_eq!(dup_of(&d[1]), Some((0, DuplicateKind::Near)));
    assert_eq!(d[2], Decision::Kept { copies: 0 });
}

#[test]
fn truncated_copy_is_contained_in_the_full_text() {
    let base = words(4, 600);
    let teaser = format!("{}\n\nContinue reading…", text(&base[..200]));
    let d = run(&[teaser, text(&base)]);
    assert_eq!(d[1], Decision::Kept { copies: 1 });
    assert_eq!(dup_of(&d[0]), Some((1, DuplicateKind::Contained)));
}

#[test]
fn shared_quotes_do_not_merge() {
    let a = words(5, 500);
    let mut b = words(6, 500);
    // Three 25-word "quotes" of A spliced into B.
    for (k, start) in [50usize, 200, 350].into_iter().enumerate() {
        let at = 100 + k * 150;
        b.splice(at..at, a[start..start + 25].iter().cloned());
    }
    let d = run(&[text(&a), text(&b)]);
    assert!(d.iter().all(|x| matches!(x, Decision::Kept { copies: 0 })));
}

#[test]
fn short_text_inside_two_articles_does_not_chain_them() {
    let a = words(7, 400);
    let b = words(8, 400);
    let snippet = words(9, 120);
    let with = |doc: &[String]| {
        let mut v = doc[..200].to_vec();
        v.extend(snippet.iter().cloned());
        v.extend(doc[200..].iter().cloned());
        text(&v)
    };
    let d = run(&[with(&a), with(&b), text(&snippet)]);
    let kept = d
        .iter()
        .filter(|x| matches!(x, Decision::Kept { .. }))
        .count();
    assert_eq!(kept, 2, "{d:?}");
    assert!(dup_of(&d[2]).is_some());
}

#[test]
fn every_article_is_kept_or_points_to_a_kept_one() {
    let mut texts: Vec<String> = (0..10).map(|s| text(&words(s + 100, 150))).collect();
    texts.push(texts[3].clone());
    texts.push(texts[3].to_lowercase());
    let d = run(&texts);
    let mut copies = vec![0u32; d.len()];
    for x in &d {
        if let Decision::Duplicate { of, .. } = x {
            assert!(matches!(d[*of], Decision::Kept { .. }));
            copies[*of] += 1;
        }
    }
    for (i, x) in d.iter().enumerate() {
        if let Decision::Kept { copies: c } = x {
            assert_eq!(*c, copies[i]);
        }
    }
    assert_eq!(copies.iter().sum::<u32>(), 2);
}

#[test]
fn config_validation() {
    assert!(DedupConfig::default().validate().is_ok());
    let bad = DedupConfig {
        threshold: 1.5,
        ..DedupConfig::default()
    };
    assert!(bad.validate().is_err());
    let zero = DedupConfig {
        num_perm: 0,
        ..DedupConfig::default()
    };
    assert!(zero.validate().is_err());
    // Invalid settings still never panic.
    let texts = [text(&words(1, 50)), text(&words(1, 50))];
    let ids = ["a", "b"];
    let d = deduplicate(&ids, &fps(&texts, &zero), &zero);
    assert_eq!(d.len(), 2);
}

#[test]
fn dates_parse_to_numbers() {
    assert_eq!(date_number("2021-03-04"), 20210304);
    assert_eq!(date_number("2021-03-04T10:00:00Z"), 20210304);
    assert_eq!(date_number("March 2021"), 0);
}

#[test]
fn fingerprint_is_compact() {
    assert_eq!(std::mem::size_of::<Fingerprint>(), 64);
    let cfg = DedupConfig::default();
    let store = fps(&[text(&words(1, 500))], &cfg);
    let f = store.get(0);
    assert_eq!(f.minhash.len(), cfg.num_perm);
    assert_eq!(f.sketch.len(), cfg.sketch_size);
    // No text is kept: the heap part is the signature and the sketch only.
    assert_eq!(f.minhash.len() + f.sketch.len() * 4, 384);
}

#[test]
fn many_near_identical_template_articles_form_one_cluster() {
    // Auto-generated articles from one template: huge LSH buckets, bounded work.
    let template = text(&words(11, 80));
    let texts: Vec<String> = (0..2000)
        .map(|i| format!("{template} figure {i}"))
        .collect();
    let d = run(&texts);
    let kept: Vec<usize> = (0..d.len())
        .filter(|&i| matches!(d[i], Decision::Kept { .. }))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(d[kept[0]], Decision::Kept { copies: 1999 });
}
