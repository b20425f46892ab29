//! Atomic run output: a run that is killed or fails while writing leaves the previous outputs
//! exactly as they were and no partial file under a final name.

mod common;

use common::{Workdir, OUTPUT_FILES};
use std::time::{Duration, Instant};

fn snapshot(wd: &Workdir) -> Vec<Vec<u8>> {
    OUTPUT_FILES
        .iter()
        .map(|f| std::fs::read(wd.output(f)).expect("previous output"))
        .collect()
}

fn final_names_in_output(wd: &Workdir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(wd.output(""))
        .expect("output dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// A corpus big enough that a debug build needs a while to clean it.
fn write_big_input(wd: &Workdir, records: usize) {
    let mut jsonl = String::new();
    for i in 0..records {
        jsonl.push_str(&format!(
            "{{\"id\": \"big{i}\", \"text\": \"Paragraph one of record {i} talks about the council budget and the new library.\\n\\nParagraph two of record {i} quotes a resident who said the plan was overdue and costly.\\n\\nSubscribe to our newsletter\"}}\n"
        ));
    }
    wd.write("big.jsonl", jsonl);
}

/// A work dir whose output folder holds a finished run's files, and their bytes.
fn with_previous_outputs() -> (Workdir, Vec<Vec<u8>>) {
    let wd = Workdir::new();
    wd.write(
        "small.txt",
        "A small article that makes the previous outputs.",
    );
    wd.run_ok(&[]);
    let before = snapshot(&wd);
    (wd, before)
}

#[test]
fn killed_run_leaves_previous_outputs_intact() {
    let (wd, before) = with_previous_outputs();
    write_big_input(&wd, 20_000);
    let mut child = wd
        .command()
        .args(["--threads", "1"])
        .spawn()
        .expect("spawn");
    // Wait until the run has started its staging directory, then kill it hard mid-run.
    let started = Instant::now();
    let staging_in_use = || {
        std::fs::read_dir(wd.output(""))
            .map(|rd| {
                rd.flatten().any(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .starts_with(".newsclean-staging-")
                })
            })
            .unwrap_or(false)
    };
    while !staging_in_use() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(300));
    let finished_already = child.try_wait().expect("try_wait").is_some();
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert!(
        !finished_already,
        "the run finished before it could be interrupted"
    );
    assert_eq!(snapshot(&wd), before, "previous outputs changed");
    assert_eq!(final_names_in_output(&wd), {
        let mut v: Vec<String> = OUTPUT_FILES.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    });
    // The next run cleans up the killed run's staging directory and succeeds.
    std::fs::remove_file(wd.input("big.jsonl")).expect("rm");
    wd.run_ok(&[]);
    let leftovers: Vec<_> = std::fs::read_dir(wd.output(""))
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn failed_write_leaves_previous_outputs_intact() {
    let (wd, before) = with_previous_outputs();
    write_big_input(&wd, 5_000);
    // A file-size limit makes writes fail part way (SIGXFSZ ignored, so write() returns EFBIG).
    let bin = env!("CARGO_BIN_EXE_newsclean");
    let out = std::process::Command::new("sh")
        .current_dir(wd.path())
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f 64; exec '{bin}' --quiet"))
        .output()
        .expect("sh");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("newsclean: error:"), "{stderr}");
    assert_eq!(snapshot(&wd), before, "previous outputs changed");
    let hidden: Vec<_> = std::fs::read_dir(wd.output(""))
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(
        hidden.is_empty(),
        "failed run left its staging dir: {hidden:?}"
    );
}
