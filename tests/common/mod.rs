//! Shared helpers for the integration tests: a temporary work directory with an `input/` folder,
//! a way to run the built `newsclean` binary in it, and readers for its outputs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Every file a run writes into its output folder (not every test binary names it).
#[allow(unused_imports)]
pub use newsclean::output::OUTPUT_FILES;

/// The outputs that must be byte-identical across runs and thread counts (all but the
/// reports, which carry timings).
pub const DETERMINISTIC_OUTPUTS: [&str; 5] = [
    "articles.csv",
    "articles.jsonl",
    "articles.json",
    "duplicates.csv",
    "audit.jsonl",
];

/// A temporary directory holding `input/` and `output/` for one test.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    /// A fresh, empty work directory with an `input/` folder.
    pub fn new() -> Workdir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("input")).expect("input dir");
        Workdir { dir }
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Path of `name` under `input/`.
    pub fn input(&self, name: &str) -> PathBuf {
        self.path().join("input").join(name)
    }

    /// Path of `name` under `output/`.
    pub fn output(&self, name: &str) -> PathBuf {
        self.path().join("output").join(name)
    }

    /// Writes `bytes` to `input/name` (creating folders).
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.input(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, bytes).expect("write input");
        path
    }

    /// Copies a fixture file from `tests/fixtures/` into `input/`.
    pub fn fixture(&self, fixture: &str, name: &str) -> PathBuf {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        let bytes = std::fs::read(&src).unwrap_or_else(|e| panic!("fixture {fixture}: {e}"));
        self.write(name, bytes)
    }

    /// A command running the built binary inside the work directory.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsclean"));
        cmd.current_dir(self.path()).arg("--quiet");
        cmd
    }

    /// Runs a subcommand (`explain`, `completions`) exactly as given, without `--quiet`.
    pub fn run_subcommand(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_newsclean"))
            .current_dir(self.path())
            .args(args)
            .output()
            .expect("run newsclean")
    }

    /// Runs newsclean with `args` and returns its output (does not check the exit code).
    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run newsclean")
    }

    /// Runs newsclean with `args` and panics unless it exits 0.
    pub fn run_ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "newsclean {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// The records of `output/articles.jsonl`.
    pub fn articles(&self) -> Vec<serde_json::Value> {
        read_jsonl(&self.output("articles.jsonl"))
    }

    /// The records of `output/audit.jsonl`.
    pub fn audit(&self) -> Vec<serde_json::Value> {
        read_jsonl(&self.output("audit.jsonl"))
    }

    /// `output/report.json`.
    pub fn report(&self) -> serde_json::Value {
        read_json(&self.output("report.json"))
    }

    /// The kept article with `id`.
    pub fn article(&self, id: &str) -> serde_json::Value {
        self.articles()
            .into_iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("no kept article {id}"))
    }
}

/// Parses a JSON Lines file.
/// A JSON file (a `report.json`, say) as a value.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

pub fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l}: {e}")))
        .collect()
}

/// The record counts of a report as (read, kept, duplicates, rejected).
pub fn counts(report: &serde_json::Value) -> (u64, u64, u64, u64) {
    let c = &report["counts"];
    let n = |k: &str| c[k].as_u64().unwrap_or_else(|| panic!("counts.{k}"));
    (n("read"), n("kept"), n("duplicates"), n("rejected"))
}
