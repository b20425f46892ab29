//! Generates a seeded, deterministic corpus of synthetic scraped news for benchmarks:
//!
//! ```text
//! cargo run --release --example gen_corpus -- --size-mb 100 --out bench/corpus/100mb
//! ```
//!
//! Layout of `OUT`: `input/` (what newsclean reads: mostly 64 MB `.jsonl` shards, plus
//! `.jsonl.gz`, `.csv` and `.txt` files in subdirectories, some `.txt.gz`), `truth.csv`
//! (`id,duplicate_of,kind` for every planted duplicate) and `manifest.json` (counts; written
//! last, so its presence means the corpus is complete). About 10% of documents are duplicates:
//! exact, re-scraped with other boilerplate, lightly edited, teasers, updated versions.
//!
//! Output bytes depend only on `--seed` and `--size-mb`, not on the thread count: each shard is
//! generated from its own random stream, and a document is a pure function of (shard, index).

mod render;
mod rng;
mod text;

use render::{Site, Variant};
use rng::{mix, Rng};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use text::{Core, Injected, Lexicon, Writer};

/// Number of sites (each with two layouts).
const SITES: usize = 48;
/// Share of documents that are duplicates of an earlier one.
const DUP_PER_MILLE: u64 = 100;
/// Largest JSONL shard.
const SHARD_MAX: u64 = 64_000_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jsonl,
    JsonlGz,
    Csv,
    Txt,
}

struct Shard {
    kind: Kind,
    target: u64,
}

impl Shard {
    fn id_prefix(&self) -> &'static str {
        match self.kind {
            Kind::Jsonl => "j",
            Kind::JsonlGz => "g",
            Kind::Csv => "c",
            Kind::Txt => "t",
        }
    }
}

/// Splits `total` bytes into shards: 88% JSONL, 5% gzipped JSONL, 4% CSV, 3% text files.
fn plan(total: u64) -> Vec<Shard> {
    let mut shards = Vec::new();
    let mut add = |kind: Kind, bytes: u64, max: u64, min_count: u64| {
        let count = bytes.div_ceil(max).max(min_count).max(1);
        for _ in 0..count {
            shards.push(Shard {
                kind,
                target: bytes / count,
            });
        }
    };
    add(Kind::Jsonl, total * 88 / 100, SHARD_MAX, 8);
    add(Kind::JsonlGz, total * 5 / 100, SHARD_MAX, 1);
    add(Kind::Csv, total * 4 / 100, SHARD_MAX, 1);
    add(Kind::Txt, total * 3 / 100, 8_000_000, 2);
    shards
}

fn doc_key(shard: usize, index: u64) -> u64 {
    ((shard as u64) << 32) | index
}

fn doc_id(shards: &[Shard], shard: usize, index: u64) -> String {
    format!("{}{:03}-{:07}", shards[shard].id_prefix(), shard, index)
}

/// Whether document `index` of `shard` is a duplicate (never the first of a shard).
fn is_dup(seed: u64, shard: usize, index: u64) -> bool {
    index > 0 && mix(seed ^ mix(doc_key(shard, index) ^ 0xd0b)) % 1000 < DUP_PER_MILLE
}

/// Escapes `s` into a JSON string literal.
fn push_json(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let mut start = 0;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\t' => b"\\t",
            0..=0x1f => b"\\u0020",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(esc);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Quotes `s` as an RFC 4180 CSV field.
fn push_csv(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for part in s.split('"').enumerate() {
        if part.0 > 0 {
            out.extend_from_slice(b"\"\"");
        }
        out.extend_from_slice(part.1.as_bytes());
    }
    out.push(b'"');
}

/// A writer that counts the bytes that reach the disk.
struct Counting<W: Write> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// What one shard produced.
#[derive(Default)]
struct ShardResult {
    docs: u64,
    bytes: u64,
    files: u64,
    dups: [u64; 5],
    injected: Injected,
    truth: Vec<u8>,
}

struct Ctx<'a> {
    seed: u64,
    shards: &'a [Shard],
    sites: &'a [Site],
    lex: &'a Lexicon,
    input: &'a Path,
}

/// The source document of duplicate `index` of `shard`: mostly a recent one of the same shard,
/// sometimes an early one of an earlier shard (a copy that landed in another file).
fn source_of(ctx: &Ctx, rng: &mut Rng, shard: usize, index: u64) -> (usize, u64) {
    let earlier = if shard > 0 && rng.chance(0.2) {
        Some(rng.below(shard))
    } else {
        None
    };
    // Documents average ~4 KB: a shard of 400 KB surely holds 20.
    let (s, mut j) = if let Some(s) = earlier.filter(|&s| ctx.shards[s].target > 400_000) {
        (s, rng.below(20) as u64)
    } else {
        (shard, index - 1 - rng.below(index.min(300) as usize) as u64)
    };
    while is_dup(ctx.seed, s, j) {
        j -= 1;
    }
    (s, j)
}

fn gen_shard(ctx: &Ctx, shard: usize) -> std::io::Result<ShardResult> {
    let spec = &ctx.shards[shard];
    let mut res = ShardResult::default();
    let mut writer = Writer {
        lex: ctx.lex,
        injected: Injected::default(),
    };
    let name = format!("{shard:03}");
    let mut sink: Option<Box<dyn Write>> = None;
    let mut gz: Option<flate2::write::GzEncoder<Counting<std::io::BufWriter<std::fs::File>>>> =
        None;
    let create = |p: PathBuf| -> std::io::Result<std::io::BufWriter<std::fs::File>> {
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)?;
        }
        Ok(std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(p)?,
        ))
    };
    match spec.kind {
        Kind::Jsonl => {
            sink = Some(Box::new(create(
                ctx.input.join(format!("jsonl/shard-{name}.jsonl")),
            )?))
        }
        Kind::JsonlGz => {
            let file = create(ctx.input.join(format!("jsonl-gz/shard-{name}.jsonl.gz")))?;
            gz = Some(flate2::write::GzEncoder::new(
                Counting {
                    inner: file,
                    bytes: 0,
                },
                flate2::Compression::fast(),
            ));
        }
        Kind::Csv => {
            let mut w = create(ctx.input.join(format!("csv/part-{name}.csv")))?;
            w.write_all(b"id,url,title,date,site,text\n")?;
            res.bytes += 28;
            sink = Some(Box::new(w));
        }
        Kind::Txt => {}
    }
    res.files = u64::from(spec.kind != Kind::Txt);
    let mut page = String::with_capacity(1 << 16);
    let mut rec: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut index = 0u64;
    while res.bytes < spec.target {
        let key = doc_key(shard, index);
        let id = doc_id(ctx.shards, shard, index);
        let mut rng = Rng::derive(ctx.seed, key, 3);
        let (mut core, variant, core_key): (Core, Variant, u64) = if is_dup(ctx.seed, shard, index)
        {
            let (s, j) = source_of(ctx, &mut rng, shard, index);
            let src_key = doc_key(s, j);
            let k = rng.below(5);
            let variant = Variant::DUPLICATES[k];
            res.dups[k] += 1;
            res.truth.extend_from_slice(
                format!("{id},{},{}\n", doc_id(ctx.shards, s, j), variant.name()).as_bytes(),
            );
            (writer.core(ctx.seed, src_key, SITES), variant, src_key)
        } else {
            let core = writer.core(ctx.seed, key, SITES);
            res.injected.add(&core.injected);
            (core, Variant::Original, key)
        };
        let mut page_rng = if matches!(variant, Variant::Original | Variant::Exact) {
            Rng::derive(ctx.seed, core_key, 2)
        } else {
            rng
        };
        page.clear();
        let site_index = render::page(
            &mut page,
            &mut core,
            variant,
            ctx.sites,
            &mut writer,
            &mut page_rng,
        );
        let site = &ctx.sites[site_index];
        let (y, m, d) = core.date;
        let date = format!("{y}-{m:02}-{d:02}");
        let url = render::url(site, &core, core_key);
        // Some records carry their metadata as fields; the rest only in the page text.
        let with_fields = mix(key ^ 0xf1e1d) % 10 < 7;
        rec.clear();
        match spec.kind {
            Kind::Jsonl | Kind::JsonlGz => {
                rec.extend_from_slice(b"{\"id\":");
                push_json(&mut rec, &id);
                rec.extend_from_slice(b",\"url\":");
                push_json(&mut rec, &url);
                if with_fields {
                    rec.extend_from_slice(b",\"title\":");
                    push_json(&mut rec, &core.title);
                    rec.extend_from_slice(b",\"date\":");
                    push_json(&mut rec, &date);
                    rec.extend_from_slice(b",\"site\":");
                    push_json(&mut rec, &site.name);
                }
                rec.extend_from_slice(b",\"text\":");
                push_json(&mut rec, &page);
                rec.extend_from_slice(b"}\n");
            }
            Kind::Csv => {
                let (title, date, site) = if with_fields {
                    (core.title.as_str(), date.as_str(), site.name.as_str())
                } else {
                    ("", "", "")
                };
                for (i, f) in [id.as_str(), url.as_str(), title, date, site]
                    .iter()
                    .enumerate()
                {
                    if i > 0 {
                        rec.push(b',');
                    }
                    push_csv(&mut rec, f);
                }
                rec.push(b',');
                push_csv(&mut rec, &page);
                rec.push(b'\n');
            }
            Kind::Txt => rec.extend_from_slice(page.as_bytes()),
        }
        match spec.kind {
            Kind::JsonlGz => {
                if let Some(g) = gz.as_mut() {
                    g.write_all(&rec)?;
                    res.bytes = g.get_ref().bytes;
                }
            }
            Kind::Txt => {
                let dir = ctx.input.join(format!("txt/batch-{name}/{y}-{m:02}"));
                let path = if index % 5 == 4 {
                    let p = dir.join(format!("{id}.txt.gz"));
                    let mut g = flate2::write::GzEncoder::new(
                        Counting {
                            inner: create(p)?,
                            bytes: 0,
                        },
                        flate2::Compression::fast(),
                    );
                    g.write_all(&rec)?;
                    let mut c = g.finish()?;
                    c.flush()?;
                    res.bytes += c.bytes;
                    None
                } else {
                    Some(dir.join(format!("{id}.txt")))
                };
                if let Some(p) = path {
                    let mut w = create(p)?;
                    w.write_all(&rec)?;
                    w.flush()?;
                    res.bytes += rec.len() as u64;
                }
                res.files += 1;
            }
            _ => {
                if let Some(w) = sink.as_mut() {
                    w.write_all(&rec)?;
                }
                res.bytes += rec.len() as u64;
            }
        }
        res.docs += 1;
        index += 1;
    }
    if let Some(mut w) = sink {
        w.flush()?;
    }
    if let Some(g) = gz {
        let mut c = g.finish()?;
        c.flush()?;
        res.bytes = c.bytes;
    }
    Ok(res)
}

struct Args {
    size_mb: u64,
    out: PathBuf,
    seed: u64,
    threads: usize,
    force: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        size_mb: 10,
        out: PathBuf::new(),
        seed: 20_240_626,
        threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
        force: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--size-mb" => {
                args.size_mb = value("--size-mb")?.parse().map_err(|e| format!("{e}"))?
            }
            "--out" => args.out = PathBuf::from(value("--out")?),
            "--seed" => args.seed = value("--seed")?.parse().map_err(|e| format!("{e}"))?,
            "--threads" => {
                args.threads = value("--threads")?.parse().map_err(|e| format!("{e}"))?
            }
            "--force" => args.force = true,
            "-h" | "--help" => {
                return Err(
                    "usage: gen_corpus --size-mb N --out DIR [--seed S] [--threads T] [--force]"
                        .into(),
                )
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if args.out.as_os_str().is_empty() {
        args.out = PathBuf::from(format!("bench/corpus/{}mb", args.size_mb));
    }
    Ok(args)
}

fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    match generate(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn generate(args: &Args) -> std::io::Result<()> {
    if args.out.join("manifest.json").exists() && !args.force {
        eprintln!(
            "gen_corpus: {} is already complete (use --force to regenerate)",
            args.out.display()
        );
        return Ok(());
    }
    let started = std::time::Instant::now();
    // Build into a temporary directory and rename at the end: a killed run leaves no half corpus.
    let tmp = args.out.with_extension("partial");
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)?;
    }
    let input = tmp.join("input");
    std::fs::create_dir_all(&input)?;
    let shards = plan(args.size_mb * 1_000_000);
    let sites = render::sites(args.seed, SITES);
    let lex = Lexicon::new();
    let ctx = Ctx {
        seed: args.seed,
        shards: &shards,
        sites: &sites,
        lex: &lex,
        input: &input,
    };
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<std::io::Result<ShardResult>>> =
        (0..shards.len()).map(|_| None).collect();
    let slots: Vec<std::sync::Mutex<&mut Option<std::io::Result<ShardResult>>>> =
        results.iter_mut().map(std::sync::Mutex::new).collect();
    std::thread::scope(|scope| {
        for _ in 0..args.threads.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= shards.len() {
                    break;
                }
                let r = gen_shard(&ctx, i);
                if let Ok(mut slot) = slots[i].lock() {
                    **slot = Some(r);
                }
            });
        }
    });
    drop(slots);
    let mut total = ShardResult::default();
    let mut truth = create_file(&tmp.join("truth.csv"))?;
    truth.write_all(b"id,duplicate_of,kind\n")?;
    for r in results {
        let r = r.ok_or_else(|| std::io::Error::other("a shard did not run"))??;
        truth.write_all(&r.truth)?;
        total.docs += r.docs;
        total.bytes += r.bytes;
        total.files += r.files;
        for k in 0..5 {
            total.dups[k] += r.dups[k];
        }
        total.injected.add(&r.injected);
    }
    truth.flush()?;
    let dups: u64 = total.dups.iter().sum();
    let kinds: Vec<String> = Variant::DUPLICATES
        .iter()
        .zip(total.dups)
        .map(|(v, n)| format!("\"{}\": {n}", v.name()))
        .collect();
    let manifest = format!(
        "{{\n  \"generator\": \"gen_corpus 1\",\n  \"seed\": {},\n  \"size_mb\": {},\n  \"input_bytes\": {},\n  \"files\": {},\n  \"documents\": {},\n  \"originals\": {},\n  \"duplicates\": {dups},\n  \"duplicates_by_kind\": {{{}}},\n  \"original_words\": {},\n  \"typos\": {},\n  \"broken_years\": {},\n  \"seconds\": {:.2}\n}}\n",
        args.seed,
        args.size_mb,
        total.bytes,
        total.files,
        total.docs,
        total.docs - dups,
        kinds.join(", "),
        total.injected.words,
        total.injected.typos,
        total.injected.broken_years,
        started.elapsed().as_secs_f64()
    );
    let mut m = create_file(&tmp.join("manifest.json"))?;
    m.write_all(manifest.as_bytes())?;
    m.flush()?;
    if args.out.exists() {
        std::fs::remove_dir_all(&args.out)?;
    }
    std::fs::rename(&tmp, &args.out)?;
    eprint!("gen_corpus: wrote {}\n{manifest}", args.out.display());
    Ok(())
}

fn create_file(p: &Path) -> std::io::Result<std::io::BufWriter<std::fs::File>> {
    Ok(std::io::BufWriter::new(std::fs::File::create(p)?))
}
