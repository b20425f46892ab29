//! Behaviour seen from the command line: input formats, output files and their schemas, bad
//! input, conservation, determinism and exit codes.

mod common;

use common::{counts, read_json, read_jsonl, Workdir, DETERMINISTIC_OUTPUTS, OUTPUT_FILES};
use std::io::Write;

/// The documented columns of articles.csv (the JSONL objects carry the first nine too).
const CSV_COLUMNS: [&str; 10] = [
    "id",
    "source",
    "url",
    "site",
    "title",
    "date",
    "text",
    "word_count",
    "content_hash",
    "text_truncated",
];

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

fn all_formats() -> Workdir {
    let wd = Workdir::new();
    wd.fixture("formats/article.txt", "a/article.txt");
    wd.fixture("formats/records.jsonl", "b/records.jsonl");
    wd.fixture("formats/rows.csv", "c/rows.csv");
    wd.write(
        "d/packed.txt.gz",
        gzip("Ferry timetable changes\n\nThe winter ferry timetable starts on Monday with two fewer crossings a day.".as_bytes()),
    );
    let zst = zstd::encode_all(
        &b"{\"id\": \"z1\", \"text\": \"Compressed with zstd and read all the same.\"}\n"[..],
        3,
    )
    .expect("zstd");
    wd.write("e/packed.jsonl.zst", zst);
    wd.write("e/notes.md", "not an input format");
    wd
}

#[test]
fn reads_every_input_format() {
    let wd = all_formats();
    wd.run_ok(&[]);
    let ids: Vec<String> = wd
        .articles()
        .iter()
        .map(|a| a["id"].as_str().expect("id").to_string())
        .collect();
    // Sorted file order (a/ b/ c/ d/ e/), then record order.
    assert_eq!(
        ids,
        ["article", "j1", "j2", "3", "c1", "c2", "packed", "z1"]
    );

    let txt = wd.article("article");
    assert_eq!(txt["title"], "Town hall clock restored to working order");
    assert_eq!(txt["date"], "2024-03-05");
    assert!(txt["source"]
        .as_str()
        .expect("source")
        .ends_with("a/article.txt"));

    let j1 = wd.article("j1");
    assert_eq!(j1["url"], "https://paper.test/2024/01/09/snow/");
    assert_eq!(j1["site"], "The Paper");
    assert_eq!(j1["title"], "Snow closes schools");
    assert_eq!(j1["date"], "2024-01-09");
    assert_eq!(
        j1["text"],
        "Heavy snow closed forty schools across the county on Tuesday.\n\nGritters worked through the night to clear the main roads."
    );
    assert!(wd.article("j2")["text"]
        .as_str()
        .expect("text")
        .starts_with("A record uses the content field"));
    assert!(wd.article("3")["text"]
        .as_str()
        .expect("text")
        .contains("body field is the last fallback"));
    assert_eq!(wd.article("c1")["site"], "Daily Local");
    assert_eq!(
        wd.article("c1")["text"],
        "The covered market reopened on Saturday.\n\nTraders said footfall was higher than expected."
    );
    assert!(wd.article("z1")["text"]
        .as_str()
        .expect("text")
        .contains("zstd"));

    let report = wd.report();
    assert_eq!(counts(&report), (8, 8, 0, 0));
    let skipped = report["skipped_files"].as_array().expect("skipped");
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0]["path"]
        .as_str()
        .expect("path")
        .ends_with("notes.md"));
    assert_eq!(skipped[0]["reason"], "unknown_extension");
}

#[test]
fn writes_every_output_file_with_its_schema() {
    let wd = all_formats();
    wd.run_ok(&[]);
    // Exactly these: the list is also what the next run skips in an output folder it walks.
    let mut written: Vec<String> = std::fs::read_dir(wd.path().join("output"))
        .expect("output folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut expected = OUTPUT_FILES.map(String::from).to_vec();
    expected.sort();
    assert_eq!(written, expected);
    let jsonl = wd.articles();
    let keys: Vec<&str> = jsonl[0]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    for k in CSV_COLUMNS[..9].iter().chain(&["lang", "duplicate_count"]) {
        assert!(keys.contains(k), "jsonl lacks {k}");
    }
    let array: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(wd.output("articles.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(
        array, jsonl,
        "articles.json holds the same objects as articles.jsonl"
    );
    for a in &jsonl {
        let text = a["text"].as_str().expect("text");
        assert_eq!(
            a["word_count"].as_u64().expect("wc") as usize,
            text.split_whitespace().count()
        );
        let hash = a["content_hash"].as_str().expect("hash");
        assert_eq!(hash.len(), 32);
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    }
    let mut csv = csv::Reader::from_path(wd.output("articles.csv")).expect("csv");
    let header: Vec<String> = csv
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header, CSV_COLUMNS);
    let dup_header = std::fs::read_to_string(wd.output("duplicates.csv")).expect("dups");
    assert_eq!(
        dup_header.lines().next(),
        Some("id,duplicate_of,similarity,kind")
    );
    for event in wd.audit() {
        for k in ["id", "source", "stage", "kind", "before", "after", "reason"] {
            assert!(event.get(k).is_some(), "audit event lacks {k}: {event}");
        }
    }
    let report = wd.report();
    for k in [
        "version",
        "counts",
        "events",
        "seconds",
        "total_seconds",
        "mb_per_second",
        "config",
    ] {
        assert!(report.get(k).is_some(), "report lacks {k}");
    }
}

#[test]
fn csv_round_trips_and_neutralizes_formulas() {
    let wd = Workdir::new();
    wd.write(
        "f.jsonl",
        concat!(
            r#"{"id": "f1", "title": "=HYPERLINK(\"http://x.test\")", "text": "-5 degrees overnight, a \"quoted\" word, a comma, and\nlines.\n\nSecond paragraph with “curly” quotes and émoji 🎉."}"#,
            "\n",
            r#"{"id": "@f2", "title": "+plus", "text": "Plain text that needs nothing."}"#,
            "\n"
        ),
    );
    wd.run_ok(&["--stages", "normalize"]);
    let jsonl = wd.articles();
    let mut reader = csv::Reader::from_path(wd.output("articles.csv")).expect("csv");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), jsonl.len());
    let unneutralize = |s: &str| -> String {
        match s.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
            _ => s.to_string(),
        }
    };
    for (row, obj) in rows.iter().zip(&jsonl) {
        for (i, field) in ["id", "source", "url", "site", "title", "date", "text"]
            .iter()
            .enumerate()
        {
            let expected = obj[*field].as_str().unwrap_or("");
            assert_eq!(unneutralize(&row[i]), expected, "field {field}");
        }
        assert_eq!(row[7].parse::<u64>().ok(), obj["word_count"].as_u64());
        assert_eq!(&row[8], obj["content_hash"].as_str().expect("hash"));
        assert_eq!(&row[9], "false");
    }
    assert_eq!(&rows[0][4], "'=HYPERLINK(\"http://x.test\")");
    assert!(rows[0][6].starts_with("'-5 degrees"));
    assert_eq!(&rows[1][0], "'@f2");
    assert_eq!(&rows[1][4], "'+plus");

    // Switchable in the config.
    std::fs::write(
        wd.path().join("c.toml"),
        "[output_files]\ncsv_neutralize_formulas = false\n",
    )
    .expect("cfg");
    wd.run_ok(&["--stages", "normalize", "--config", "c.toml"]);
    let mut reader = csv::Reader::from_path(wd.output("articles.csv")).expect("csv");
    let first = reader.records().next().expect("row").expect("row");
    assert_eq!(&first[4], "=HYPERLINK(\"http://x.test\")");
}

#[test]
fn bad_input_is_rejected_with_file_line_and_reason() {
    let wd = Workdir::new();
    wd.write(
        "good.txt",
        "A fine article with enough words to be kept as it is.",
    );
    wd.write("empty.txt", "  \n\n ");
    wd.write("latin1.txt", b"Caf\xe9 society returns to the old quarter.");
    wd.write(
        "lines.jsonl",
        "{\"id\": \"ok\", \"text\": \"Valid line.\"}\n{\"id\": \"broken\", \"text\": \n{\"id\": \"wrongtype\", \"text\": 42.5, \"title\": [1]}\n{\"id\": \"notext\"}\n[1, 2]\n",
    );
    wd.write(
        "rows.csv",
        "id,text\nr1,\"Good row.\"\nr2,too,many,fields\nr3,\"\"\n",
    );
    let full = gzip(
        b"{\"id\": \"gz\", \"text\": \"This line is cut off by the truncation of the file.\"}\n",
    );
    wd.write("cut.jsonl.gz", &full[..full.len() / 2]);
    let out = wd.run_ok(&[]);
    assert!(out.status.success());

    let report = wd.report();
    let (read, kept, dups, rejected) = counts(&report);
    assert_eq!(read, kept + dups + rejected);
    let kept_ids: Vec<String> = wd
        .articles()
        .iter()
        .map(|a| a["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(kept_ids, ["good", "latin1", "ok", "r1"]);
    assert_eq!(
        wd.article("latin1")["text"],
        "Café society returns to the old quarter."
    );

    let rejections: Vec<(String, String)> = wd
        .audit()
        .iter()
        .filter(|e| e["kind"] == "rejected")
        .map(|e| {
            (
                e["source"].as_str().expect("s").to_string(),
                e["reason"].as_str().expect("r").to_string(),
            )
        })
        .collect();
    let has = |suffix: &str, reason: &str| {
        rejections
            .iter()
            .any(|(s, r)| s.ends_with(suffix) && r == reason)
    };
    assert!(has("empty.txt", "empty_text"), "{rejections:?}");
    assert!(has("lines.jsonl:2", "json:syntax"), "{rejections:?}");
    assert!(has("lines.jsonl:3", "json:wrong_type"), "{rejections:?}");
    assert!(has("lines.jsonl:4", "missing_text"), "{rejections:?}");
    assert!(has("lines.jsonl:5", "json:not_object"), "{rejections:?}");
    assert!(has("rows.csv:3", "csv:field_count"), "{rejections:?}");
    assert!(has("rows.csv:4", "empty_text"), "{rejections:?}");
    assert!(
        rejections
            .iter()
            .any(|(s, r)| s.contains("cut.jsonl.gz") && r.starts_with("io:")),
        "{rejections:?}"
    );
    assert_eq!(rejected as usize, rejections.len());
    // The Latin-1 file was decoded and the repair audited.
    assert!(wd
        .audit()
        .iter()
        .any(|e| e["id"] == "latin1" && e["reason"] == "encoding:windows_1252"));
}

#[test]
fn same_bytes_for_one_and_two_threads() {
    let wd = all_formats();
    wd.fixture("formats/records.jsonl", "f/copy.jsonl");
    let files = DETERMINISTIC_OUTPUTS;
    wd.run_ok(&["--threads", "1"]);
    let one: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(wd.output(f)).expect("read"))
        .collect();
    wd.run_ok(&["--threads", "2"]);
    let two: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(wd.output(f)).expect("read"))
        .collect();
    assert_eq!(one, two);
    // The copied JSONL file is all exact duplicates.
    assert_eq!(counts(&wd.report()).2, 3);
}

#[test]
fn an_output_folder_inside_the_input_is_not_read_back() {
    let wd = all_formats();
    // `input/clean` inside `input/`: from the second run on, the folder holds the outputs.
    let args = ["--input", "input", "--output", "input/clean"];
    wd.run_ok(&args);
    let read_back = |name: &str| wd.path().join("input/clean").join(name);
    let report = read_json(&read_back("report.json"));
    let once = counts(&report);
    wd.run_ok(&args);
    let report = read_json(&read_back("report.json"));
    assert_eq!(counts(&report), once, "the second run read its own outputs");
    let skipped: Vec<&str> = report["skipped_files"]
        .as_array()
        .expect("skipped list")
        .iter()
        .filter(|s| s["reason"] == "newsclean_output")
        .map(|s| s["path"].as_str().expect("path"))
        .collect();
    assert_eq!(skipped.len(), OUTPUT_FILES.len(), "{skipped:?}");
    // The same folder for both (the first output folder moved out of the way: the outputs
    // of another output folder are input like any other), and an output file named on the
    // command line is read.
    std::fs::rename(wd.path().join("input/clean"), wd.path().join("clean")).expect("move");
    let args = ["--input", "input", "--output", "input"];
    wd.run_ok(&args);
    wd.run_ok(&args);
    let report = read_json(&wd.input("report.json"));
    assert_eq!(counts(&report), once);
    let out = wd.run_ok(&["--input", "clean/articles.jsonl", "--output", "again"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = read_json(&wd.path().join("again/report.json"));
    assert!(
        counts(&report).0 > 0,
        "an output file named as input is read"
    );
}

#[test]
fn semicolon_separated_csv_and_tsv_files_are_read() {
    let wd = Workdir::new();
    let body = "The council met on Tuesday to discuss the budget, and members agreed to delay the \
                vote until next month.";
    wd.write(
        "semicolons.csv",
        format!("id;title;text\r\ns1;\"Budget; delayed\";\"{body}\"\r\n"),
    );
    let other = "The river flooded the lower town after three days of rain; residents were moved \
                 to the school.";
    wd.write("tabs.tsv", format!("id\ttitle\ttext\nt1\tFlood\t{other}\n"));
    wd.run_ok(&[]);
    let articles = wd.articles();
    let by_id = |id: &str| {
        articles
            .iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("{id} not kept"))
    };
    assert_eq!(by_id("s1")["title"], "Budget; delayed");
    assert_eq!(by_id("s1")["text"], body);
    assert_eq!(by_id("t1")["title"], "Flood");
    assert_eq!(by_id("t1")["text"], other);
}

#[test]
fn no_input_exits_2_and_leaves_outputs_alone() {
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.output("")).expect("out");
    std::fs::write(wd.output("articles.csv"), "previous").expect("write");
    let out = wd.run(&[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no input"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(wd.output("articles.csv")).expect("read"),
        "previous"
    );
}

#[test]
fn no_input_names_what_was_found_instead() {
    let wd = Workdir::new();
    wd.write("notes.pdf", "not an input format");
    let out = wd.run(&["--input", "input", "--input", "missing"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("notes.pdf: unknown_extension"), "{stderr}");
    assert!(stderr.contains("missing: not_found"), "{stderr}");
}

#[test]
fn rejected_records_are_named_on_the_terminal_and_in_the_report() {
    let wd = Workdir::new();
    wd.write(
        "good.txt",
        "Harbour reopens\n\nThe harbour reopened on Monday after a week of repairs to the pier.",
    );
    // Twelve broken lines: the first ten are named, the other two counted.
    let broken: String = (0..12).map(|i| format!("{{broken {i}\n")).collect();
    wd.write("broken.jsonl", broken);
    wd.write("skipped.pdf", "not an input format");
    wd.write(".hidden.txt", "dot files are skipped quietly");
    let out = wd.run_subcommand(&[]);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1 + 10 + 1 + 1, "{stderr}");
    assert!(
        lines[0].ends_with("skipped input/skipped.pdf: unknown_extension"),
        "{stderr}"
    );
    assert!(!stderr.contains(".hidden.txt"), "{stderr}");
    for (i, line) in lines[1..11].iter().enumerate() {
        let named = format!("rejected input/broken.jsonl:{} (json:syntax): ", i + 1);
        assert!(line.starts_with(&format!("newsclean: {named}")), "{line}");
    }
    assert!(
        lines[11].contains("and 2 more rejected records"),
        "{stderr}"
    );
    assert!(
        lines[12].starts_with("newsclean: read 13 records, kept 1"),
        "{stderr}"
    );
    let report = wd.report();
    let first = report["rejected_first"].as_array().expect("rejected_first");
    assert_eq!(first.len(), 10);
    assert_eq!(first[0]["source"], "input/broken.jsonl:1");
    assert_eq!(first[9]["source"], "input/broken.jsonl:10");
    assert_eq!(first[0]["reason"], "json:syntax");
    assert!(!first[0]["detail"].as_str().expect("detail").is_empty());
    // --quiet keeps the terminal silent; the report still names them.
    let quiet = wd.run_ok(&[]);
    assert!(quiet.stderr.is_empty(), "{quiet:?}");
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_removes_its_scratch_files_and_publishes_nothing() {
    let wd = Workdir::new();
    // Enough text that the run is still going when the signal comes (it is sent as soon as
    // the staging folder appears, at the run's start).
    let para = "The council met on Monday to discuss the new harbour wall, which engineers \
                say must be rebuilt before the winter storms arrive on the coast.";
    let mut jsonl = String::new();
    for i in 0..20_000 {
        jsonl.push_str(&format!(
            "{{\"id\": \"a{i}\", \"text\": \"Story {i}\\n\\n{para} {para} {i}\"}}\n"
        ));
    }
    wd.write("big.jsonl", jsonl);
    std::fs::create_dir_all(wd.output("")).expect("out");
    std::fs::write(wd.output("articles.csv"), "previous").expect("write");
    let mut child = wd
        .command()
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let staging = wd.output(&format!(".newsclean-staging-{}", child.id()));
    let started = std::time::Instant::now();
    while !staging.exists() {
        assert!(started.elapsed().as_secs() < 60, "no staging folder");
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the run ended first"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(130), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    assert!(!staging.exists(), "the staging folder is left behind");
    assert_eq!(
        std::fs::read_to_string(wd.output("articles.csv")).expect("read"),
        "previous"
    );
    let left: Vec<_> = std::fs::read_dir(wd.output(""))
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left, ["articles.csv"], "{left:?}");
}

#[test]
fn a_setting_out_of_range_names_its_config_file() {
    let wd = Workdir::new();
    wd.write("a.txt", "Some article text.");
    std::fs::write(wd.path().join("strict.toml"), "[dedup]\nthreshold = 1.5\n").expect("write");
    let out = wd.run(&["--config", "strict.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("strict.toml"), "{stderr}");
    assert!(
        stderr.contains("threshold must be between 0 and 1"),
        "{stderr}"
    );
}

#[test]
fn unwritable_output_exits_2() {
    let wd = Workdir::new();
    wd.write("a.txt", "Some article text.");
    std::fs::write(
        wd.path().join("blocked"),
        "a file where the output dir should be",
    )
    .expect("write");
    let out = wd.run(&["--output", "blocked/out"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("blocked/out"));
    // The cause once: the message names what failed, the chain adds why.
    assert_eq!(stderr.matches("(os error").count(), 1, "{stderr}");
}

#[test]
fn print_config_round_trips_and_help_explains_outputs() {
    let wd = Workdir::new();
    let out = wd.run_ok(&[
        "--print-config",
        "--threads",
        "3",
        "--stages",
        "normalize,dedup",
    ]);
    let text = String::from_utf8(out.stdout).expect("utf8");
    let cfg = newsclean::Config::from_toml(&text).expect("parses back");
    assert_eq!(cfg.threads, 3);
    assert_eq!(
        cfg.stages,
        [
            newsclean::config::Stage::Normalize,
            newsclean::config::Stage::Dedup
        ]
    );
    let help = String::from_utf8(wd.run_ok(&["--help"]).stdout).expect("utf8");
    for needle in [
        "--input",
        "--stages",
        "articles.csv",
        "duplicates.csv",
        "audit.jsonl",
        "report.json",
        "EXIT CODES",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }
    let bad = wd.run(&["--stages", "normalize,polish"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("polish"));
}

#[test]
fn audit_lines_point_back_to_their_article() {
    let wd = Workdir::new();
    wd.fixture("formats/article.txt", "article.txt");
    wd.run_ok(&[]);
    let events = read_jsonl(&wd.output("audit.jsonl"));
    let removed: Vec<&str> = events
        .iter()
        .filter(|e| e["kind"] == "removed_line")
        .map(|e| e["before"].as_str().expect("before"))
        .collect();
    assert!(
        removed.contains(&"Subscribe to our newsletter"),
        "{removed:?}"
    );
    let text = wd.article("article")["text"]
        .as_str()
        .expect("text")
        .to_string();
    for line in removed {
        assert!(!text.contains(line), "removed line still in text: {line}");
    }
}

#[test]
fn csv_cuts_over_long_text_and_says_so_while_jsonl_keeps_it() {
    let wd = Workdir::new();
    let long = "Word ".repeat(8_000); // 40,000 characters
    wd.write(
        "long.jsonl",
        serde_json::json!({"id": "long", "text": long.trim()}).to_string() + "\n",
    );
    wd.run_ok(&["--stages", "normalize"]);
    let full = wd.article("long")["text"]
        .as_str()
        .expect("text")
        .to_string();
    assert_eq!(full.chars().count(), 39_999);
    let mut reader = csv::Reader::from_path(wd.output("articles.csv")).expect("csv");
    let row = reader.records().next().expect("row").expect("row");
    assert_eq!(row[6].chars().count(), 32_767);
    assert!(full.starts_with(&row[6]));
    assert_eq!(&row[9], "true");
}

#[test]
fn explain_prints_an_articles_audit_trail() {
    let wd = Workdir::new();
    wd.fixture("formats/article.txt", "article.txt");
    wd.fixture("formats/article.txt", "copy.txt");
    wd.run_ok(&[]);
    let out = wd.run_subcommand(&["explain", "copy"]);
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(
        text.starts_with("copy: dropped as a duplicate of article"),
        "{text}"
    );
    assert!(
        text.contains("removed  [") && text.contains("Subscribe to our newsletter"),
        "{text}"
    );
    let kept = String::from_utf8(wd.run_subcommand(&["explain", "article"]).stdout).expect("utf8");
    assert!(kept.starts_with("article: kept"), "{kept}");
    assert!(kept.contains("stands for copy"), "{kept}");
    let missing = wd.run_subcommand(&["explain", "no-such-id"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn dry_run_writes_nothing() {
    let wd = Workdir::new();
    wd.fixture("formats/article.txt", "article.txt");
    let out = wd.command().arg("--dry-run").output().expect("run");
    assert!(out.status.success());
    assert!(
        !wd.output("").exists(),
        "a dry run created the output folder"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsclean"))
        .current_dir(wd.path())
        .arg("--dry-run")
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stderr).contains("dry run: no files written"));
}

#[test]
fn dash_reads_stdin_and_writes_stdout() {
    use std::process::Stdio;
    let wd = Workdir::new();
    let mut child = wd
        .command()
        .args(["--input", "-", "--output", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let input = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/formats/records.jsonl"),
    )
    .expect("fixture");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&input)
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["j1", "j2", "3"]);
    assert!(!wd.output("").exists());
}

#[test]
fn completions_and_report_html() {
    let wd = Workdir::new();
    let bash = String::from_utf8(wd.run_subcommand(&["completions", "bash"]).stdout).expect("utf8");
    assert!(bash.contains("--stages") && bash.contains("explain"));
    wd.fixture("formats/article.txt", "article.txt");
    wd.run_ok(&["--csv-bom"]);
    let html = std::fs::read_to_string(wd.output("report.html")).expect("report.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
    assert!(
        html.contains("<del>Subscribe to our newsletter</del>"),
        "examples strike removed lines"
    );
    let csv = std::fs::read(wd.output("articles.csv")).expect("csv");
    assert!(csv.starts_with("\u{feff}id,".as_bytes()));
}
