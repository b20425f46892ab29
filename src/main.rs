//! The `newsclean` command: parses arguments, builds the `Config`, calls the library and maps
//! errors to exit codes. All the work is in the library.

use anyhow::Context;
use clap::{CommandFactory, Parser, Subcommand};
use newsclean::config::{OutputFormat, Stage};
use newsclean::Config;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// mimalloc instead of the system allocator: the stages allocate many short strings per
/// article, and glibc malloc/free took about a tenth of a run's CPU. Built with `no_thp`:
/// transparent huge pages made its peak RSS on the 100 MB corpus 213 MB instead of 171 MB.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const AFTER_HELP: &str = "\
OUTPUT FILES (in --output, each replaced atomically when the run completes):
  articles.csv     one row per kept article: id,source,url,site,title,date,text,word_count,
                   content_hash,text_truncated (RFC 4180, UTF-8; cells starting with
                   = + - @ tab CR get a leading ' so spreadsheets do not run them as formulas;
                   text over 32,767 UTF-16 units, a spreadsheet cell's limit, is cut and flagged)
  articles.jsonl   the same fields (plus lang, duplicate_count), one JSON object per line
  articles.json    the same objects as one JSON array
  duplicates.csv   id,duplicate_of,similarity,kind (exact|near|contained) per dropped copy
  audit.jsonl      one event per removed line, edit, duplicate and rejected record, with reason
  report.json      counts, removals and edits by reason, timings, throughput, effective config
  report.html      the same as a page: charts, duplicate clusters, before/after examples

EXIT CODES:
  0    the run completed (rejected records are counted in the report, not errors)
  1    an internal error (a bug; please report it)
  2    the run could not start or finish: no input, unwritable output, invalid configuration
  130  interrupted (Ctrl-C, SIGTERM, SIGHUP): its scratch files are removed, nothing is published

EXAMPLES:
  newsclean                                   clean input/ into output/
  newsclean explain 000_61b57392263893a2      what happened to one article, and why
  zcat dump.jsonl.gz | newsclean -i - -o - > clean.jsonl
  newsclean completions bash > /etc/bash_completion.d/newsclean
  newsclean --input crawl.jsonl.gz --output out --threads 2
  newsclean --stages normalize,boilerplate --formats jsonl
  newsclean --print-config > newsclean.toml   then edit and pass --config newsclean.toml";

/// Clean scraped news articles: normalize Unicode, strip boilerplate, fix typos and broken
/// years, remove duplicates, and write CSV / JSON Lines / JSON with an audit of every change.
#[derive(Parser, Debug)]
#[command(
    name = "newsclean",
    version,
    about,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: Args,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print an article's audit trail (kept or not, lines removed, edits, copies) from a run's output.
    Explain {
        /// The article id.
        id: String,
        /// The output directory of the run.
        #[arg(long, short, default_value = "output", value_name = "DIR")]
        output: PathBuf,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Flags of a cleaning run.
#[derive(clap::Args, Debug)]
struct Args {
    /// Input file or directory (repeatable). Directories are read recursively in sorted order.
    /// Formats: .txt (one article per file), .jsonl/.ndjson, .json (an array of objects),
    /// .csv/.tsv (comma, semicolon or tab separated); each optionally .gz or .zst.
    /// `-` reads JSON Lines from standard input. [default: input]
    #[arg(long, short, value_name = "PATH")]
    input: Vec<PathBuf>,

    /// Output directory (created if missing). `-` writes the articles as JSON Lines to standard
    /// output and nothing else. [default: output]
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,

    /// TOML configuration file; flags given on the command line override it.
    #[arg(long, short, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Worker threads; 0 = one per core; 1 = everything on one thread. [default: 0]
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,

    /// Comma-separated stages to run, from normalize,boilerplate,correct,dedup. [default: all]
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    stages: Option<Vec<String>>,

    /// Comma-separated article formats to write, from csv,jsonl,json. [default: all]
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    formats: Option<Vec<String>>,

    /// Start articles.csv with a UTF-8 byte-order mark (for Excel).
    #[arg(long)]
    csv_bom: bool,

    /// Run everything and print the summary, but write no output files.
    #[arg(long)]
    dry_run: bool,

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
        if self.csv_bom {
            cfg.output_files.csv_bom = true;
        }
        if self.dry_run {
            cfg.dry_run = true;
        }
        // A setting out of range names where it came from when a file gave settings.
        match &self.config {
            Some(path) => cfg.validate().with_context(|| {
                format!("in the settings of {} and the command line", path.display())
            })?,
            None => cfg.validate()?,
        }
        Ok((cfg, self.print_config))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Explain { id, output }) => match newsclean::explain::explain(&output, &id) {
            Ok(text) => print_stdout(text.as_bytes()),
            Err(e) => fail(e.into()),
        },
        Some(Command::Completions { shell }) => {
            let mut cmd = Cli::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "newsclean", &mut buf);
            print_stdout(&buf)
        }
        None => match run(cli.run) {
            Ok(code) => code,
            Err(e) => fail(e),
        },
    }
}

/// Set by the interrupt handler before it removes the run's files.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Prints one error line and exits 2 (the run could not start or finish), or 1 for a bug.
fn fail(e: anyhow::Error) -> ExitCode {
    if INTERRUPTED.load(Ordering::SeqCst) {
        // The run failed because the handler removed its files: the handler reports and exits
        // (130) once it is done.
        loop {
            std::thread::park();
        }
    }
    eprintln!("newsclean: error: {e:#}");
    match e.downcast_ref::<newsclean::Error>() {
        Some(newsclean::Error::Conservation(_)) => ExitCode::from(1),
        _ => ExitCode::from(2),
    }
}

/// Writes to stdout; a closed pipe (e.g. `| head`) is not an error.
fn print_stdout(bytes: &[u8]) -> ExitCode {
    use std::io::Write;
    match std::io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("newsclean: error: writing to stdout: {e}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// A scratch folder removed when dropped (stdin spool, stdout staging).
struct Scratch(PathBuf);

/// What the CLI uses a scratch folder for.
const SCRATCH_PURPOSES: [&str; 2] = ["stdin", "stdout"];

impl Scratch {
    /// The folder of this process for `purpose`.
    fn path(purpose: &str) -> PathBuf {
        std::env::temp_dir().join(format!("newsclean-{purpose}-{}", std::process::id()))
    }

    fn new(purpose: &str) -> anyhow::Result<Scratch> {
        debug_assert!(SCRATCH_PURPOSES.contains(&purpose));
        let dir = Scratch::path(purpose);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Scratch(dir))
    }
}

/// On Ctrl-C, SIGTERM or SIGHUP: remove what the run has written so far (its staging folder
/// in the output folder can be gigabytes; the next run would only clear it then), keep it
/// from publishing, and exit 130, the previous outputs left as they were. Without the handler
/// (it could not be set) an interrupted run's staging folder is cleared by the next run.
fn on_interrupt_abandon(cfg: &newsclean::Config) {
    let cfg = cfg.clone();
    let _ = ctrlc::set_handler(move || {
        INTERRUPTED.store(true, Ordering::SeqCst);
        // Held until the process exits: no publishing starts after this point.
        let _held = newsclean::abandon(&cfg);
        for purpose in SCRATCH_PURPOSES {
            let _ = std::fs::remove_dir_all(Scratch::path(purpose));
        }
        if cfg.output.as_os_str() == "-" || cfg.dry_run {
            eprintln!("newsclean: interrupted");
        } else {
            eprintln!(
                "newsclean: interrupted; nothing was published, {} is as it was",
                cfg.output.display()
            );
        }
        std::process::exit(130);
    });
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (mut cfg, print_config) = args.into_config()?;
    if print_config {
        return Ok(print_stdout(cfg.to_toml()?.as_bytes()));
    }
    on_interrupt_abandon(&cfg);
    // `-` as input: spool standard input to a file, since the pipeline reads its input twice.
    let mut _stdin_spool = None;
    if cfg.input.iter().any(|p| p.as_os_str() == "-") {
        let scratch = Scratch::new("stdin")?;
        let path = scratch.0.join("stdin.jsonl");
        let mut file =
            std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        std::io::copy(&mut std::io::stdin().lock(), &mut file).context("reading standard input")?;
        for p in cfg.input.iter_mut().filter(|p| p.as_os_str() == "-") {
            *p = path.clone();
        }
        _stdin_spool = Some(scratch);
    }
    // `-` as output: run into a scratch folder and stream the articles to standard output.
    let mut stdout_scratch = None;
    if cfg.output.as_os_str() == "-" {
        let scratch = Scratch::new("stdout")?;
        cfg.output = scratch.0.clone();
        cfg.formats = vec![OutputFormat::Jsonl];
        stdout_scratch = Some(scratch);
    }
    // Between the cleaning pass and the dedup reduce, mimalloc returns the memory the pass
    // freed instead of keeping it for reuse: on the 1 GB corpus the two otherwise add up to
    // the run's peak.
    let report = newsclean::run_with(&cfg, &|| {
        // SAFETY: mi_collect takes no pointers and touches no live allocation: it returns
        // memory the allocator holds free to the OS, and may be called at any time.
        unsafe { libmimalloc_sys::mi_collect(true) }
        release_embedded_tables();
    })?;
    if !cfg.quiet {
        for line in report.notices() {
            eprintln!("{line}");
        }
        eprintln!("{}", report.summary());
    }
    if let Some(scratch) = stdout_scratch {
        let path = scratch.0.join("articles.jsonl");
        let mut file =
            std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?;
        if let Err(e) = std::io::copy(&mut file, &mut std::io::stdout().lock()) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                return Err(anyhow::Error::new(e).context("writing to stdout"));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Drops the pages of the lexicon tables embedded in the binary from this process's memory.
/// The run is done with them once the cleaning pass ends (the dedup reduce and the write pass
/// never read them), and as part of the binary's file they are read back if ever needed. On a
/// large run they were ~25 MB of the peak RSS, which is the dedup reduce's.
#[cfg(target_os = "linux")]
fn release_embedded_tables() {
    let bytes = newsclean::correct::embedded_tables();
    let page = rustix::param::page_size();
    let base = bytes.as_ptr() as usize;
    let start = base.next_multiple_of(page) - base;
    let end = (base + bytes.len()) / page * page - base;
    if end > start {
        let first = bytes.as_ptr().wrapping_add(start).cast_mut().cast();
        // SAFETY: the whole pages in [start, end) lie inside a static that is never written,
        // mapped from the binary's file. MADV_DONTNEED unmaps them; a later read maps the
        // same bytes again from the file, so no reference ever sees other contents. A
        // failure only leaves the pages where they are.
        let _ =
            unsafe { rustix::mm::madvise(first, end - start, rustix::mm::Advice::LinuxDontNeed) };
    }
}

#[cfg(not(target_os = "linux"))]
fn release_embedded_tables() {}
