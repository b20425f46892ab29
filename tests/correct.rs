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
            Corrector::new(&CorrectConfig::default(), Vocabulary::default()).expect("builds")
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

/// CPU time of this thread in seconds (Linux `schedstat`), so that other processes on a busy
/// machine do not count; wall-clock time where that file is missing.
fn thread_cpu_seconds(wall: std::time::Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| wall.elapsed().as_secs_f64(), |ns| ns / 1e9)
}

/// Timing, not a test of speed: `cargo test --release --test correct -- --ignored --nocapture`
/// prints the lexicon load and index build time and the single-thread throughput of
/// `Corrector::apply`. Input: the JSONL file named by `NEWSCLEAN_BENCH_INPUT` (`{"text"}` per
/// line, or `{"body"}`), else the fixture repeated.
#[test]
#[ignore]
fn print_load_time_and_throughput() {
    use newsclean::article::Article;
    use newsclean::audit::Audit;
    use newsclean::correct::lexicon::Lexicon;
    use newsclean::correct::{CorrectConfig, Corrector, Vocabulary};
    use std::time::Instant;

    let wall = Instant::now();
    let start = thread_cpu_seconds(wall);
    let lexicon = Lexicon::english();
    let parsed = thread_cpu_seconds(wall) - start;
    let cfg = CorrectConfig::default();
    let corrector = Corrector::new(&cfg, Vocabulary::default()).expect("builds");
    let built = thread_cpu_seconds(wall) - start;
    println!(
        "lexicon: {} words parsed in {:.1} ms; corrector ready in {:.1} ms (CPU time; wall {:.1} ms)",
        lexicon.len(),
        parsed * 1e3,
        built * 1e3,
        wall.elapsed().as_secs_f64() * 1e3
    );

    let path = std::env::var("NEWSCLEAN_BENCH_INPUT").map_or_else(|_| fixture(), PathBuf::from);
    let texts: Vec<String> = std::fs::read_to_string(&path)
        .expect("bench input")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            v["text"]
                .as_str()
                .or(v["body"].as_str())
                .map(str::to_string)
        })
        .collect();
    let articles: Vec<Article> = texts
        .iter()
        .map(|t| Article {
            paragraphs: t.split("\n\n").map(str::to_string).collect(),
            lang: Some("en".into()),
            ..Article::default()
        })
        .collect();
    let vocab = articles.iter().map(|a| Vocabulary::observe(a, &cfg)).fold(
        Vocabulary::default(),
        |mut acc, v| {
            acc.merge(v);
            acc
        },
    );
    let corrector_with_vocab = Corrector::new(&cfg, vocab).expect("builds");
    let _ = corrector;
    let bytes: usize = articles.iter().map(Article::body_len).sum();
    let rounds = (50_000_000 / bytes.max(1)).clamp(1, 2000);
    let start = thread_cpu_seconds(wall);
    let mut edits = 0;
    for _ in 0..rounds {
        for a in &articles {
            let mut a = a.clone();
            let mut audit = Audit::default();
            corrector_with_vocab.apply(&mut a, &mut audit);
            edits += audit.events.len();
        }
    }
    let secs = thread_cpu_seconds(wall) - start;
    let mb = (bytes * rounds) as f64 / 1e6;
    println!(
        "apply: {mb:.1} MB in {secs:.2} s CPU = {:.1} MB/s on one thread ({} edits per round)",
        mb / secs,
        edits / rounds
    );
    let start = thread_cpu_seconds(wall);
    for _ in 0..rounds {
        for a in &articles {
            std::hint::black_box(Vocabulary::observe(a, &cfg));
        }
    }
    let secs = thread_cpu_seconds(wall) - start;
    println!("observe: {:.1} MB/s on one thread", mb / secs);
}
