//! The bad-input corpus (`tests/fixtures/bad/`, see its README): every kind of broken input
//! has an exact expected outcome, the run always completes, and every record is accounted for.

mod common;

use common::{counts, Workdir};
use serde_json::Value;

/// What one run made of its input.
struct Outcome {
    wd: Workdir,
    kept: Vec<Value>,
    audit: Vec<Value>,
    report: Value,
}

impl Outcome {
    fn kept_ids(&self) -> Vec<&str> {
        self.kept
            .iter()
            .map(|a| a["id"].as_str().expect("id"))
            .collect()
    }

    /// (source suffix, reason) of each rejection.
    fn rejections(&self) -> Vec<(String, String)> {
        self.audit
            .iter()
            .filter(|e| e["kind"] == "rejected")
            .map(|e| {
                let source = e["source"].as_str().expect("source");
                let name = source.rsplit('/').next().unwrap_or(source);
                (
                    name.to_string(),
                    e["reason"].as_str().expect("reason").to_string(),
                )
            })
            .collect()
    }

    fn text_of(&self, id: &str) -> String {
        self.kept
            .iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("{id} not kept; kept {:?}", self.kept_ids()))["text"]
            .as_str()
            .expect("text")
            .to_string()
    }

    fn audited(&self, id: &str, reason: &str) -> bool {
        self.audit
            .iter()
            .any(|e| e["id"] == id && e["reason"] == reason)
    }
}

/// Runs newsclean on a work dir and checks the invariants every run must keep.
fn finish(wd: Workdir, args: &[&str]) -> Outcome {
    let out = wd.run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = wd.report();
    let (read, kept, dups, rejected) = counts(&report);
    assert_eq!(read, kept + dups + rejected, "conservation");
    let outcome = Outcome {
        kept: wd.articles(),
        audit: wd.audit(),
        report,
        wd,
    };
    assert_eq!(outcome.kept.len() as u64, kept);
    assert_eq!(outcome.rejections().len() as u64, rejected);
    outcome
}

fn run_fixtures(names: &[&str]) -> Outcome {
    let wd = Workdir::new();
    for name in names {
        wd.fixture(&format!("bad/{name}"), name);
    }
    finish(wd, &[])
}

#[test]
fn invalid_utf8_is_decoded_and_audited() {
    let o = run_fixtures(&["invalid_utf8.txt"]);
    let text = o.text_of("invalid_utf8");
    assert!(text.contains("“Quoted” words and café tables"), "{text}");
    assert!(text.contains('\u{fffd}'));
    assert!(o.audited("invalid_utf8", "encoding:invalid_utf8_replaced"));
}

#[test]
fn utf16_with_bom_is_decoded() {
    let o = run_fixtures(&["utf16_bom.txt"]);
    assert_eq!(
        o.text_of("utf16_bom"),
        "Résumé of the council meeting on Monday."
    );
    assert!(o.audited("utf16_bom", "encoding:utf16"));
}

#[test]
fn windows_1252_is_decoded() {
    let o = run_fixtures(&["windows1252.txt"]);
    assert_eq!(
        o.text_of("windows1252"),
        "Café owners say “business is back” — at last."
    );
    assert!(o.audited("windows1252", "encoding:windows_1252"));
}

#[test]
fn control_characters_are_removed() {
    let o = run_fixtures(&["nul_control.txt"]);
    assert_eq!(
        o.text_of("nul_control"),
        "Control characters are removed from the text."
    );
}

#[test]
fn empty_and_whitespace_files_are_rejected() {
    let o = run_fixtures(&["empty.txt", "whitespace_only.txt"]);
    assert!(o.kept.is_empty());
    let mut r = o.rejections();
    r.sort();
    assert_eq!(
        r,
        [
            ("empty.txt".to_string(), "empty_text".to_string()),
            ("whitespace_only.txt".to_string(), "empty_text".to_string())
        ]
    );
}

#[test]
fn an_article_of_only_boilerplate_is_rejected_with_each_line_audited() {
    let o = run_fixtures(&["all_boilerplate.txt"]);
    assert!(o.kept.is_empty());
    assert_eq!(
        o.rejections(),
        [(
            "all_boilerplate.txt".to_string(),
            "empty_after_cleaning".to_string()
        )]
    );
    let removed = o
        .audit
        .iter()
        .filter(|e| e["kind"] == "removed_line")
        .count();
    assert_eq!(removed, 5, "{:?}", o.audit);
}

#[test]
fn json_lines_with_wrong_types_or_no_text_are_rejected() {
    let o = run_fixtures(&["json_wrong_types.jsonl", "json_missing_text.jsonl"]);
    assert!(o.kept.is_empty());
    let r = o.rejections();
    assert_eq!(
        r,
        [
            (
                "json_missing_text.jsonl:1".to_string(),
                "missing_text".to_string()
            ),
            (
                "json_missing_text.jsonl:2".to_string(),
                "missing_text".to_string()
            ),
            (
                "json_wrong_types.jsonl:1".to_string(),
                "json:wrong_type".to_string()
            ),
            (
                "json_wrong_types.jsonl:2".to_string(),
                "json:wrong_type".to_string()
            ),
            (
                "json_wrong_types.jsonl:3".to_string(),
                "json:wrong_type".to_string()
            ),
        ]
    );
    // A rejection keeps the record's own id when it has one.
    assert!(o
        .audit
        .iter()
        .any(|e| e["id"] == "wt2" && e["kind"] == "rejected"));
}

#[test]
fn trailing_garbage_and_deep_nesting_reject_only_their_line() {
    let o = run_fixtures(&["json_trailing_garbage.jsonl", "json_deep_nesting.jsonl"]);
    assert_eq!(o.kept_ids(), ["dn2", "tg2"]);
    assert_eq!(
        o.rejections(),
        [
            (
                "json_deep_nesting.jsonl:1".to_string(),
                "json:syntax".to_string()
            ),
            (
                "json_trailing_garbage.jsonl:1".to_string(),
                "json:syntax".to_string()
            ),
        ]
    );
}

#[test]
fn last_line_without_newline_and_bom_are_read() {
    let o = run_fixtures(&["no_final_newline.jsonl", "bom_lines.jsonl"]);
    assert_eq!(o.kept_ids(), ["bom1", "nf1", "nf2"]);
}

#[test]
fn ragged_and_broken_csv_rows_are_rejected() {
    let o = run_fixtures(&[
        "csv_unbalanced_quotes.csv",
        "csv_missing_header.csv",
        "csv_extra_fields.csv",
        "csv_missing_fields.csv",
    ]);
    assert_eq!(o.kept_ids(), ["ef1", "mf1", "uq1"]);
    assert_eq!(
        o.rejections(),
        [
            (
                "csv_extra_fields.csv:3".to_string(),
                "csv:field_count".to_string()
            ),
            (
                "csv_missing_fields.csv:3".to_string(),
                "csv:field_count".to_string()
            ),
            (
                "csv_missing_header.csv:1".to_string(),
                "csv:no_text_column".to_string()
            ),
            (
                "csv_unbalanced_quotes.csv:3".to_string(),
                "csv:unclosed_quote".to_string()
            ),
        ]
    );
}

#[test]
fn truncated_gzip_keeps_the_lines_before_the_cut() {
    let o = run_fixtures(&["truncated.jsonl.gz"]);
    // The records are near-copies of each other, so dedup keeps one: count what was read.
    let (read, _, _, rejected) = counts(&o.report);
    let complete = read - rejected;
    assert!(
        complete > 50 && complete < 200,
        "read {complete} complete lines"
    );
    let r = o.rejections();
    assert_eq!(r.len(), 1);
    assert!(r[0].0.starts_with("truncated.jsonl.gz:"));
    assert_eq!(r[0].1, "io:truncated");
}

#[test]
fn truncated_zstd_is_rejected() {
    let wd = Workdir::new();
    let lines: String = (0..500)
        .map(|i| format!("{{\"id\": \"z{i}\", \"text\": \"Record number {i} of a zstd file that gets cut.\"}}\n"))
        .collect();
    let packed = zstd::encode_all(lines.as_bytes(), 3).expect("zstd");
    wd.write("cut.jsonl.zst", &packed[..packed.len() / 2]);
    let o = finish(wd, &[]);
    let r = o.rejections();
    assert_eq!(r.len(), 1, "{r:?}");
    assert!(r[0].1.starts_with("io:"), "{r:?}");
    assert!(o.kept.len() < 500);
}

#[test]
fn gzip_bomb_stops_at_the_configured_limit() {
    let wd = Workdir::new();
    let mut line = b"{\"id\": \"bomb\", \"text\": \"".to_vec();
    line.extend(std::iter::repeat_n(b'a', 64 * 1024 * 1024));
    line.extend_from_slice(b"\"}\n");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut enc, &line).expect("gzip");
    wd.write("bomb.jsonl.gz", enc.finish().expect("gzip"));
    wd.write("ok.txt", "A normal article next to the bomb.");
    std::fs::write(
        wd.path().join("limits.toml"),
        "[ingest]\nmax_decompressed_bytes = 1000000\nmax_record_bytes = 100000000\n",
    )
    .expect("cfg");
    let o = finish(wd, &["--config", "limits.toml"]);
    assert_eq!(o.kept_ids(), ["ok"]);
    assert_eq!(
        o.rejections(),
        [(
            "bomb.jsonl.gz:1".to_string(),
            "limit:decompressed_bytes".to_string()
        )]
    );
}

#[test]
fn binary_data_named_txt_is_rejected_not_decoded_into_an_article() {
    let wd = Workdir::new();
    // What an image or an archive looks like: bytes of every value.
    let mut state = 7u64;
    let random: Vec<u8> = (0..50_000)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 56) as u8
        })
        .collect();
    wd.write("photo.txt", random);
    wd.fixture("bad/windows1252.txt", "windows1252.txt");
    let o = finish(wd, &[]);
    assert_eq!(o.kept_ids(), ["windows1252"]);
    assert_eq!(
        o.rejections(),
        [("photo.txt".to_string(), "binary".to_string())]
    );
}

#[test]
fn html_and_mojibake_in_json_lines_are_repaired_and_audited() {
    let wd = Workdir::new();
    let html = "<div><p>The council <b>approved</b> the budget on Tuesday after a long debate \
                about the library.</p><p>The vote was close &amp; heated, but the mayor&#39;s \
                plan passed.</p><script>var tracking = 1;</script></div>";
    let garbled = "Itâ€™s the councilâ€™s third budget this year, members said after the vote \
                   in the old town hall.\n\nThe cafÃ© owners on the square said the rules \
                   were fair.";
    let lines: String = [("page", html), ("garbled", garbled)]
        .iter()
        .map(|(id, text)| format!("{}\n", serde_json::json!({"id": id, "text": text})))
        .collect();
    wd.write("feed.jsonl", lines);
    let o = finish(wd, &[]);
    assert_eq!(
        o.text_of("page"),
        "The council approved the budget on Tuesday after a long debate about the library.\n\n\
         The vote was close & heated, but the mayor's plan passed."
    );
    assert!(o.audited("page", "markup:html_stripped"));
    let text = o.text_of("garbled");
    assert!(
        text.starts_with("It’s the council’s third budget"),
        "{text}"
    );
    assert!(text.contains("The café owners"), "{text}");
    assert!(o.audited("garbled", "encoding:mojibake_repaired"));
}

#[test]
fn json_arrays_are_read_element_by_element() {
    let wd = Workdir::new();
    let article = |id: &str, n: usize| {
        serde_json::json!({
            "id": id,
            "text": format!("The council met on day {n} to discuss the budget, and members agreed on item {n} after a long debate about the new library."),
        })
    };
    // A feed export (an indented array), a `.json` file of JSON Lines, an array cut short
    // after its first element, an array with elements that are no articles.
    let feed = serde_json::Value::Array(vec![article("f1", 1), article("f2", 2)]);
    wd.write(
        "feed.json",
        serde_json::to_string_pretty(&feed).expect("json"),
    );
    wd.write(
        "lines.json",
        format!("{}\n{}\n", article("l1", 3), article("l2", 4)),
    );
    let cut = serde_json::Value::Array(vec![article("c1", 5), article("c2", 6)]).to_string();
    wd.write("cut.json", &cut[..cut.len() - 40]);
    wd.write(
        "odd.json",
        format!("[{}, 7, {{\"title\": \"no text\"}}]", article("o1", 8)),
    );
    let o = finish(wd, &[]);
    let mut kept = o.kept_ids();
    kept.sort();
    assert_eq!(kept, ["c1", "f1", "f2", "l1", "l2", "o1"]);
    let mut rejected = o.rejections();
    rejected.sort();
    assert_eq!(
        rejected,
        [
            ("cut.json:2".to_string(), "json:syntax".to_string()),
            ("odd.json:2".to_string(), "json:not_object".to_string()),
            ("odd.json:3".to_string(), "missing_text".to_string()),
        ]
    );
}

#[test]
fn a_50_mb_line_is_rejected_without_holding_it() {
    let wd = Workdir::new();
    let big = "x".repeat(50 * 1024 * 1024);
    wd.write("huge.txt", &big);
    wd.write("huge.jsonl", format!("{{\"id\": \"h\", \"text\": \"{big}\"}}\n{{\"id\": \"after\", \"text\": \"Still read.\"}}\n"));
    drop(big);
    let o = finish(wd, &[]);
    assert_eq!(o.kept_ids(), ["after"]);
    assert_eq!(
        o.rejections(),
        [
            ("huge.jsonl:1".to_string(), "limit:record_bytes".to_string()),
            ("huge.txt".to_string(), "limit:record_bytes".to_string()),
        ]
    );
}

#[test]
fn a_line_over_the_line_limit_is_rejected() {
    let wd = Workdir::new();
    wd.write(
        "long.txt",
        format!("Short first line.\n{}", "word ".repeat(300_000)),
    );
    let o = finish(wd, &[]);
    assert_eq!(
        o.rejections(),
        [("long.txt".to_string(), "limit:line_bytes".to_string())]
    );
}

#[test]
fn a_word_of_100000_letters_is_kept_untouched() {
    let wd = Workdir::new();
    let word = "abc".repeat(33_334);
    wd.write(
        "longword.txt",
        format!("The longest word ever scraped follows here: {word} and the sentence ends."),
    );
    let o = finish(wd, &[]);
    assert!(o.text_of("longword").contains(&word));
}

#[test]
fn a_directory_symlink_loop_is_skipped() {
    let wd = Workdir::new();
    wd.write(
        "sub/a.txt",
        "An article inside a folder that links back to its parent.",
    );
    std::os::unix::fs::symlink("..", wd.input("sub/loop")).expect("symlink");
    let o = finish(wd, &[]);
    assert_eq!(o.kept_ids(), ["a"]);
    let skipped = o.report["skipped_files"].as_array().expect("skipped");
    assert!(
        skipped.iter().any(|s| s["reason"] == "symlink_loop"),
        "{skipped:?}"
    );
}

#[test]
fn a_file_reached_through_two_input_paths_is_read_once() {
    let wd = Workdir::new();
    wd.write(
        "sub/a.txt",
        "An article that the command line names twice over.",
    );
    wd.write("b.txt", "Another article, linked under a second name.");
    std::os::unix::fs::symlink("b.txt", wd.input("link.txt")).expect("symlink");
    // The folder, a file inside it again, a folder inside it again.
    let o = finish(
        wd,
        &[
            "--input",
            "input",
            "--input",
            "input/sub/a.txt",
            "--input",
            "input/sub",
        ],
    );
    let mut kept = o.kept_ids();
    kept.sort();
    assert_eq!(kept, ["a", "b"], "nothing read twice, so no copies");
    let mut skipped: Vec<String> = o.report["skipped_files"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s["path"].as_str().expect("path"),
                s["reason"].as_str().expect("reason")
            )
        })
        .collect();
    skipped.sort();
    assert_eq!(
        skipped,
        [
            "input/link.txt listed_twice",
            "input/sub listed_twice",
            "input/sub/a.txt listed_twice"
        ]
    );
}

#[test]
fn an_unreadable_file_is_rejected_and_the_run_goes_on() {
    let wd = Workdir::new();
    wd.write("fine.txt", "Readable article text.");
    // A socket cannot be opened as a file, even by root (a chmod 000 file can be, by root).
    // One file of each kind: every reader reports a file it cannot open.
    let _listeners: Vec<_> = ["socket.txt", "socket.jsonl", "socket.csv"]
        .iter()
        .map(|name| std::os::unix::net::UnixListener::bind(wd.input(name)).expect("bind"))
        .collect();
    let o = finish(wd, &[]);
    assert_eq!(o.kept_ids(), ["fine"]);
    let mut rejected = o.rejections();
    rejected.sort();
    assert_eq!(
        rejected,
        ["socket.csv", "socket.jsonl", "socket.txt"]
            .map(|f| (f.to_string(), "io:read".to_string()))
    );
}

#[test]
fn odd_file_names_are_read() {
    use std::os::unix::ffi::OsStrExt;
    let wd = Workdir::new();
    wd.write(
        "with space.txt",
        "Spaces in file names come from browsers saving pages by title.",
    );
    wd.write(
        "new\nline.txt",
        "A newline inside a file name is legal on Linux, if rare.",
    );
    let raw = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(
        wd.path().join("input").join(raw),
        "Old archives still hold Latin-1 names that are not UTF-8.",
    )
    .expect("write");
    let o = finish(wd, &[]);
    let mut ids = o.kept_ids();
    ids.sort();
    assert_eq!(ids, ["caf\u{fffd}", "new\nline", "with space"]);
    // The CSV stays parseable with a newline inside an id.
    let mut reader = csv::Reader::from_path(o.wd.output("articles.csv")).expect("csv");
    assert_eq!(reader.records().count(), 3);
}

#[test]
fn crlf_and_lone_cr_split_paragraphs() {
    let o = run_fixtures(&["crlf_and_cr.txt"]);
    let text = o.text_of("crlf_and_cr");
    assert_eq!(
        text.split("\n\n").collect::<Vec<_>>(),
        [
            "First paragraph, with Windows line ends.",
            "Second paragraph uses a lone CR.\nStill the second block.",
            "Third block after CR CR."
        ]
    );
}

#[test]
fn rtl_emoji_and_combining_marks_survive() {
    let o = run_fixtures(&["rtl_emoji_combining.txt"]);
    let text = o.text_of("rtl_emoji_combining");
    // The first line is headline-like, so it may become the title rather than body text.
    let title = o.kept[0]["title"].as_str().unwrap_or_default();
    assert!(
        format!("{title}\n{text}").contains("مرحبا بالعالم — שלום עולם"),
        "{title} / {text}"
    );
    assert!(text.contains("👨\u{200d}👩\u{200d}👧"));
    assert!(text.contains("🇫🇷"));
    assert!(text.contains("Café and Zöe are composed"));
}

#[test]
fn html_in_a_text_file_is_turned_into_text() {
    let o = run_fixtures(&["html_in_text.txt"]);
    let a = &o.kept[0];
    let text = a["text"].as_str().expect("text");
    assert!(!text.contains('<') && !text.contains("alert"), "{text}");
    assert!(text.contains("High winds tore planks from the pier on Friday & closed it."));
    assert!(text.contains("Repairs will take “weeks”, the council said."));
    assert!(o.audited("html_in_text", "markup:html_stripped"));
}

#[test]
fn duplicate_ids_across_files_are_made_unique() {
    let o = run_fixtures(&["dup_ids_a.jsonl", "dup_ids_b.jsonl"]);
    assert_eq!(o.kept_ids(), ["same", "same~2"]);
    assert!(o.text_of("same~2").contains("museum"));
    assert!(o.audit.iter().any(|e| e["id"] == "same~2"
        && e["reason"] == "id:duplicate_renamed"
        && e["before"] == "same"));
}
