//! Boilerplate stripping and metadata extraction seen through the library API: small hand-made
//! pages in `tests/fixtures/boilerplate/` are cleaned by `newsclean::run` in a temp dir and the
//! kept text, metadata and audit reasons are checked.

use newsclean::config::{OutputFormat, Stage};
use newsclean::Config;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/boilerplate")
        .join(name)
}

/// Runs normalize + boilerplate on `inputs`; returns (articles, audit events).
fn clean(inputs: Vec<PathBuf>, dir: &Path) -> (Vec<Value>, Vec<Value>) {
    let cfg = Config {
        input: inputs,
        output: dir.join("out"),
        threads: 1,
        stages: vec![Stage::Normalize, Stage::Boilerplate],
        formats: vec![OutputFormat::Jsonl],
        quiet: true,
        ..Config::default()
    };
    newsclean::run(&cfg).expect("run succeeds");
    let read = |name: &str| -> Vec<Value> {
        std::fs::read_to_string(dir.join("out").join(name))
            .expect("output written")
            .lines()
            .map(|l| serde_json::from_str(l).expect("valid JSON line"))
            .collect()
    };
    (read("articles.jsonl"), read("audit.jsonl"))
}

/// Cleans the one-article fixture `name`; returns its text and the audit events.
fn clean_one(name: &str) -> (String, Vec<Value>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (articles, audit) = clean(vec![fixture(name)], dir.path());
    assert_eq!(articles.len(), 1, "{name}");
    (text(&articles[0]).to_string(), audit)
}

fn text(article: &Value) -> &str {
    article["text"].as_str().unwrap_or_default()
}

fn reasons_for<'a>(audit: &'a [Value], needle: &str) -> Vec<&'a str> {
    audit
        .iter()
        .filter(|e| e["before"].as_str().is_some_and(|b| b.contains(needle)))
        .filter_map(|e| e["reason"].as_str())
        .collect()
}

#[test]
fn english_page_keeps_article_and_drops_page_noise() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (articles, audit) = clean(vec![fixture("en_harbour.txt")], dir.path());
    assert_eq!(articles.len(), 1);
    let a = &articles[0];
    assert_eq!(
        a["title"],
        "Ferry service to the islands will resume in April"
    );
    assert_eq!(a["date"], "2024-03-05");
    assert_eq!(a["site"], "Harbour Gazette");
    let body = text(a);
    let paragraphs: Vec<&str> = body.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 5, "body: {body}");
    assert!(paragraphs[0].starts_with("The island ferry, idle since the storm"));
    assert!(paragraphs[2].starts_with("“We are grateful"));
    assert_eq!(paragraphs[3], "A slower spring schedule");
    assert!(paragraphs[4].starts_with("The ferry will run twice a day"));
    for noise in [
        "Home ›",
        "By Mara Quint",
        "| Harbour Gazette",
        "Photo by",
        "north pier",
        "Subscribe",
        "Leave a Reply",
        "Please enter",
        "All rights reserved",
        "Share this",
    ] {
        assert!(!body.contains(noise), "{noise:?} left in body");
    }
    assert_eq!(
        reasons_for(&audit, "Subscribe to our"),
        ["keyword:subscribe"]
    );
    assert_eq!(reasons_for(&audit, "north pier"), ["block:caption"]);
    assert_eq!(reasons_for(&audit, "Photo by"), ["keyword:credit"]);
    assert_eq!(reasons_for(&audit, "Tuesday, March 5"), ["metadata:date"]);
    assert!(reasons_for(&audit, "| Harbour Gazette").contains(&"metadata:title"));
}

#[test]
fn french_and_german_pages_are_cleaned_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (articles, audit) = clean(
        vec![fixture("fr_mairie.txt"), fixture("de_bahn.txt")],
        dir.path(),
    );
    assert_eq!(articles.len(), 2);
    let de = articles
        .iter()
        .find(|a| text(a).contains("Regionalbahn"))
        .expect("German article kept");
    let fr = articles
        .iter()
        .find(|a| text(a).contains("médiathèque"))
        .expect("French article kept");
    assert_eq!(fr["date"], "2024-06-12");
    assert_eq!(
        fr["title"],
        "La mairie rouvre la médiathèque après deux ans de travaux"
    );
    let fr_body = text(fr);
    assert_eq!(fr_body.split("\n\n").count(), 4, "{fr_body}");
    assert!(fr_body.contains("\n\nUn espace pour les enfants\n\n"));
    assert!(!fr_body.contains("Abonnez-vous") && !fr_body.contains("Partager"));
    let de_body = text(de);
    assert_eq!(de_body.split("\n\n").count(), 2, "{de_body}");
    assert!(!de_body.contains("Lesen Sie auch") && !de_body.contains("Rechte"));
    assert_eq!(reasons_for(&audit, "Alle Rechte"), ["keyword:copyright"]);
}

/// Four copies of one story and three other stories from one site, all with the same footer.
fn syndication_input(dir: &Path) -> PathBuf {
    let story = "Council approves the new bus depot\n\nThe council approved the new bus depot on Monday after a long debate about noise and traffic in the streets around the old gasworks.\n\nWork starts in May.\n\nNewsroom tips: call the desk";
    let mut lines = Vec::new();
    for (i, site) in ["Gazette", "Gazette", "Gazette", "Gazette"]
        .iter()
        .enumerate()
    {
        lines.push(serde_json::json!({"id": format!("copy{i}"), "site": site, "text": story}));
    }
    for i in 0..3 {
        let other = format!("Story number {i} happens\n\nA different article number {i} tells what happened in the town this week, with enough words to read as text.\n\nNewsroom tips: call the desk");
        lines
            .push(serde_json::json!({"id": format!("other{i}"), "site": "Gazette", "text": other}));
    }
    let path = dir.join("input.jsonl");
    let body: Vec<String> = lines.iter().map(Value::to_string).collect();
    std::fs::write(&path, body.join("\n") + "\n").expect("input written");
    path
}

#[test]
fn syndicated_copies_keep_their_paragraphs_while_site_footer_goes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = syndication_input(dir.path());
    let (articles, audit) = clean(vec![input], dir.path());
    assert_eq!(articles.len(), 7);
    for a in &articles {
        assert!(!text(a).contains("Newsroom tips"), "footer kept in {a}");
    }
    let copies: Vec<&Value> = articles
        .iter()
        .filter(|a| a["id"].as_str().is_some_and(|id| id.starts_with("copy")))
        .collect();
    assert_eq!(copies.len(), 4);
    for a in copies {
        assert!(
            text(a).contains("Work starts in May."),
            "short paragraph lost: {a}"
        );
        assert!(text(a).contains("The council approved the new bus depot"));
    }
    assert!(reasons_for(&audit, "Newsroom tips")
        .iter()
        .all(|r| *r == "repeated:site"));
}

#[test]
fn switching_the_stage_off_keeps_every_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cfg = Config {
        input: vec![fixture("en_harbour.txt")],
        output: dir.path().join("out"),
        threads: 1,
        stages: vec![Stage::Normalize],
        formats: vec![OutputFormat::Jsonl],
        quiet: true,
        ..Config::default()
    };
    newsclean::run(&cfg).expect("run succeeds");
    let out = std::fs::read_to_string(dir.path().join("out/articles.jsonl")).expect("written");
    assert!(out.contains("Leave a Reply") && out.contains("Photo by"));
}

#[test]
fn advert_markers_script_notices_and_cookie_settings_go() {
    let (body, audit) = clean_one("en_workshop.txt");
    for kept in [
        "The manual walks through the rebuild",
        "Each chapter ends with a list",
        "The only weak point is the index",
    ] {
        assert!(body.contains(kept), "{kept:?} kept in {body:?}");
    }
    for (gone, reason) in [
        ("Advert", "keyword:advertisement"),
        ("This slideshow requires JavaScript.", "keyword:navigation"),
        ("Privacy Overview", "keyword:consent"),
        (
            "Necessary cookies are absolutely essential",
            "keyword:consent",
        ),
        ("Non-necessary", "keyword:consent"),
        (
            "Any cookies that may not be particularly",
            "keyword:consent",
        ),
    ] {
        assert!(!body.contains(gone), "{gone:?} removed from {body:?}");
        assert!(
            reasons_for(&audit, gone).contains(&reason),
            "{gone:?}: {:?}",
            reasons_for(&audit, gone)
        );
    }
}

#[test]
fn a_related_stories_list_glued_by_the_scraper_goes() {
    let (body, audit) = clean_one("en_glued_teasers.txt");
    assert!(
        body.starts_with("Dredging of the old shipping channel"),
        "{body:?}"
    );
    assert!(body.contains("a day's catch each month."), "{body:?}");
    for teaser in [
        "Ferry Service To The Islands Resumes In AprilThe island ferry",
        "Council Approves New Budget For 2025The vote",
        "Is The Bridge Toll Too High?Commuters",
        "Harbour Master Retires After Forty YearsHe said",
    ] {
        assert!(!body.contains(teaser), "{teaser:?} removed from {body:?}");
        assert_eq!(reasons_for(&audit, teaser), ["block:teasers"], "{teaser:?}");
    }
}
