//! The correction stage seen from the library API: a small hand-made corpus goes through
//! `newsclean::run` with only the `correct` stage, and the output text and audit are checked.

use newsclean::config::{OutputFormat, Stage};
use newsclean::Config;
use std::path::PathBuf;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/correct/articles.jsonl")
}

/// Runs the correct stage on the fixture; returns (id -> text, audit lines).
fn run_fixture() -> (Vec<(String, String)>, Vec<serde_json::Value>) {
    let out = tempfile::tempdir().expect("temp dir");
    let cfg = Config {
        input: vec![fixture()],
        output: out.path().to_path_buf(),
        stages: vec![Stage::Correct],
        formats: vec![OutputFormat::Jsonl],
        quiet: true,
        threads: 1,
        ..Config::default()
    };
    newsclean::run(&cfg).expect("run succeeds");
    let read = |name: &str| std::fs::read_to_string(out.path().join(name)).expect("output file");
    let articles = read("articles.jsonl")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            let id = v["id"].as_str().unwrap_or_default().to_string();
            (id, v["text"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    let audit = read("audit.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    (articles, audit)
}

fn text_of<'a>(articles: &'a [(String, String)], id: &str) -> &'a str {
    articles
        .iter()
        .find(|(i, _)| i == id)
        .map(|(_, t)| t.as_str())
        .expect("article kept")
}

#[test]
fn typos_and_years_are_fixed_and_everything_else_kept() {
    let (articles, audit) = run_fixture();
    let en = text_of(&articles, "en-1");
    assert!(en.starts_with("The committee met on Tuesday in Kyiv. However, the vote"));
    assert!(en.contains("signed in 1998, 2004, and 2019."));
    assert!(en.contains("The government said it would act"));
    // Names, acronyms, counts, amounts and URLs stay as they were.
    for kept in [
        "Yury Ushakov",
        "DPRK",
        "200 people",
        "$200 each",
        "https://exmaple.com/goverment",
    ] {
        assert!(en.contains(kept), "{kept} kept");
    }
    let reasons: Vec<(&str, &str, &str)> = audit
        .iter()
        .filter(|e| e["stage"] == "correct" && e["id"] == "en-1")
        .map(|e| {
            (
                e["before"].as_str().unwrap_or_default(),
                e["after"].as_str().unwrap_or_default(),
                e["reason"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert!(reasons.contains(&("Teh", "The", "typo:transpose")));
    assert!(reasons.contains(&("219", "2019", "year:doc_context")));
    assert!(reasons.contains(&("goverment", "government", "typo:edit1")));
    assert_eq!(reasons.len(), 4, "{reasons:?}");
}

#[test]
fn quotes_titles_and_other_languages() {
    let (articles, _) = run_fixture();
    let en2 = text_of(&articles, "en-2");
    assert!(en2.starts_with("“The sides are still talking"));
    assert!(en2.contains("‘Hte Raod’"), "a quoted title is left alone");
    let de = text_of(&articles, "de-1");
    assert!(
        de.contains("Teh Minister"),
        "no English correction in German text"
    );
}

mod idempotence {
    //! Property: text made only of lexicon words, names, 4-digit years and counts is already
    //! correct, so the corrector leaves it exactly as it is.
    use newsclean::article::Article;
    use newsclean::audit::Audit;
    use newsclean::correct::lexicon::Lexicon;
    use newsclean::correct::{CorrectConfig, Corrector, Vocabulary};
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn corrector() -> &'static Corrector {
        static C: OnceLock<Corrector> = OnceLock::new();
        C.get_or_init(|| {
            Corrector::new(&CorrectConfig::default(), &Vocabulary::default()).expect("builds")
        })
    }

    /// Frequent lowercase lexicon words (the first thousand of the frequency list).
    fn words() -> &'static Vec<&'static str> {
        static W: OnceLock<Vec<&'static str>> = OnceLock::new();
        W.get_or_init(|| {
            Lexicon::english()
                .iter()
                .map(|(_, w)| w)
                .filter(|w| w.len() > 2 && w.bytes().all(|b| b.is_ascii_lowercase()))
                .take(1000)
                .collect()
        })
    }

    fn token() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => (0..1000usize).prop_map(|i| words()[i % words().len()].to_string()),
            1 => "[A-Z][a-z]{3,8}",
            1 => (1700u16..2100).prop_map(|y| y.to_string()),
            1 => (1u16..1000).prop_map(|n| format!("{n} people")),
            1 => (1u16..1000).prop_map(|n| format!("${n}")),
        ]
    }

    /// A sentence opening with a capitalised lexicon word (a capitalised name there is
    /// indistinguishable from a capitalised typo, so it is not "already correct" input).
    fn sentence() -> impl Strategy<Value = String> {
        (0..1000usize, proptest::collection::vec(token(), 2..12)).prop_map(|(i, toks)| {
            let first = words()[i % words().len()];
            let mut s = first[..1].to_uppercase() + &first[1..];
            for t in toks {
                s.push(' ');
                s.push_str(&t);
            }
            s.push('.');
            s
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn correct_text_is_left_unchanged(
            paragraphs in proptest::collection::vec(
                proptest::collection::vec(sentence(), 1..5).prop_map(|s| s.join(" ")),
                1..4,
            )
        ) {
            let mut article = Article {
                paragraphs: paragraphs.clone(),
                lang: Some("en".into()),
                ..Article::default()
            };
            let mut audit = Audit::default();
            corrector().apply(&mut article, &mut audit);
            prop_assert_eq!(&article.paragraphs, &paragraphs);
            prop_assert!(audit.events.is_empty());
        }
    }
}
