//! The `newsclean` command: parses arguments, builds the `Config`, calls the library and maps
//! errors to exit codes. All the work is in the library.

use anyhow::Context;
use clap::Parser;
use newsclean::config::{OutputFormat, Stage};
use newsclean::Config;
use std::path::PathBuf;
use std::process::ExitCode;

const AFTER_HELP: &str = "\
OUTPUT FILES (in --output, each replaced atomically when the run completes):
  articles.csv     one row per kept article: id,source,url,site,title,date,text,word_count,
                   content_hash (RFC 4180, UTF-8; cells starting with = + - @ tab CR get a
                   leading ' so spreadsheets do not run them as formulas)
  articles.jsonl   the same fields (plus lang, duplicate_count), one JSON object per line
  articles.json    the same objects as one JSON array
  duplicates.csv   id,duplicate_of,similarity,kind (exact|near|contained) per dropped copy
  audit.jsonl      one event per removed line, edit, duplicate and rejected record, with reason
  report.json      counts, removals and edits by reason, timings, throughput, effective config

EXIT CODES:
  0  the run completed (rejected records are counted in the report, not errors)
  1  an internal error (a bug; please report it)
  2  the run could not start or finish: no input, unwritable output, invalid configuration

EXAMPLES:
  newsclean                                   clean input/ into output/
  newsclean --input crawl.jsonl.gz --output out --threads 2
  newsclean --stages normalize,boilerplate --formats jsonl
  newsclean --print-config > newsclean.toml   then edit and pass --config newsclean.toml";

/// Clean scraped news articles: normalize Unicode, strip boilerplate, fix typos and broken
/// years, remove duplicates, and write CSV / JSON Lines / JSON with an audit of every change.
#[derive(Parser, Debug)]
#[command(name = "newsclean", version, about, after_help = AFTER_HELP)]
struct Args {
    /// Input file or directory (repeatable). Directories are read recursively in sorted order.
    /// Formats: .txt (one article per file), .jsonl/.ndjson, .csv; each optionally .gz or .zst.
    /// [default: input]
    #[arg(long, short, value_name = "PATH")]
    input: Vec<PathBuf>,

    /// Output directory (created if missing). [default: output]
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,

    /// TOML configuration file; flags given on the command line override it.
    #[arg(long, short, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Worker threads; 0 = one per core. [default: 0]
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,

    /// Comma-separated stages to run, from normalize,boilerplate,correct,dedup. [default: all]
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    stages: Option<Vec<String>>,

    /// Comma-separated article formats to write, from csv,jsonl,json. [default: all]
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    formats: Option<Vec<String>>,

    /// Print the effective configuration as TOML and exit.
    #[arg(long)]
    print_config: bool,

    /// No progress bar and no summary.
    #[arg(long, short)]
    quiet: bool,
}

impl Args {
    /// Merges the config file (if any) and the flags into one validated config.
    fn into_config(self) -> anyhow::Result<(Config, bool)> {
        let mut cfg = match &self.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading config file {}", path.display()))?;
                Config::from_toml(&text)
                    .with_context(|| format!("in config file {}", path.display()))?
            }
            None => Config::default(),
        };
        if !self.input.is_empty() {
            cfg.input = self.input;
        }
        if let Some(o) = self.output {
            cfg.output = o;
        }
        if let Some(t) = self.threads {
            cfg.threads = t;
        }
        if let Some(list) = self.stages {
            cfg.stages = list
                .iter()
                .filter(|s| !s.trim().is_empty())
                .map(|s| Stage::parse(s))
                .collect::<Result<_, _>>()?;
        }
        if let Some(list) = self.formats {
            cfg.formats = list
                .iter()
                .filter(|s| !s.trim().is_empty())
                .map(|s| OutputFormat::parse(s))
                .collect::<Result<_, _>>()?;
        }
        if self.quiet {
            cfg.quiet = true;
        }
        cfg.validate()?;
        Ok((cfg, self.print_config))
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let (cfg, print_config) = match args.into_config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("newsclean: error: {e:#}");
            return ExitCode::from(2);
        }
    };
    if print_config {
        return match cfg.to_toml() {
            Ok(text) => {
                use std::io::Write;
                // A closed pipe (e.g. `| head`) is not an error.
                let _ = std::io::stdout().write_all(text.as_bytes());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("newsclean: error: {e}");
                ExitCode::from(2)
            }
        };
    }
    match newsclean::run(&cfg) {
        Ok(report) => {
            if !cfg.quiet {
                eprintln!("{}", report.summary());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("newsclean: error: {e}");
            match e {
                newsclean::Error::Conservation(_) => ExitCode::from(1),
                _ => ExitCode::from(2),
            }
        }
    }
}
