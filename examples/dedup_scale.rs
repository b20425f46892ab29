//! Scale run of the dedup stage on synthetic short articles.
//!
//!     cargo build --release --example dedup_scale
//!     /usr/bin/time -v target/release/examples/dedup_scale 1000000 2>&1 | \
//!         grep -E 'dedup_scale|Maximum resident|Elapsed'
//!
//! (with `CARGO_TARGET_DIR` set, the binary is under that directory). Measured on the shared
//! 2-core machine (load 4-8 from other engineers' builds, so wall times are inflated):
//! - 1 thread: 250k articles 6.0-6.7 s user CPU, reduce 1.3-2.7 s, peak RSS 166 MB; 1M articles
//!   32.7-35.9 s user CPU, reduce 5.1-8.0 s, peak RSS 678 MB (before one-permutation MinHash
//!   and 8-bit values, same moment: 40.3-43.6 s, peak RSS 889 MB).
//! - 2 threads (no faster than 1 at that load): 250k 8.7 s wall, peak RSS 181 MB; 1M 55.6 s
//!   wall, reduce 8.7 s, peak RSS 717 MB.
//!
//! Most of the fingerprint time here is generating the texts (a `String` per word).
//! 444 fingerprint bytes per article; all injected copies found, no false merges.
//!
//! Arguments: number of articles (default 1,000,000) and threads (default: all cores).
//! Articles are 60 to 140 words drawn from a 20,000-word vocabulary with a Zipf-like (log-uniform)
//! rank distribution, so common phrases recur across unrelated articles as in real news. About 12%
//! are injected copies of an earlier article: case/whitespace variants (exact), 3% of words
//! replaced (near) and first halves with a "Read more" line (contained). As in the pipeline, the
//! text of an article lives only while it is fingerprinted; the reduce sees fingerprints.

use newsclean::dedup::{self, minhash::splitmix64, Decision, DedupConfig, Fingerprinter};
use rayon::prelude::*;
use std::time::Instant;

const VOCAB: f64 = 20_000.0;

/// What article `i` is: an original, or a copy of an earlier article.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Original,
    Exact(usize),
    Near(usize),
    Contained(usize),
}

fn kind(i: usize) -> Kind {
    let h = splitmix64(i as u64 ^ 0x5ca1e);
    if i < 1000 || h % 100 >= 12 {
        return Kind::Original;
    }
    // A copy points back up to 1000 articles, to a slot that is itself an original.
    let mut source = i - 1 - (h >> 40) as usize % 1000;
    while kind(source) != Kind::Original {
        source -= 1;
    }
    match h % 100 {
        0..=3 => Kind::Exact(source),
        4..=7 => Kind::Near(source),
        _ => Kind::Contained(source),
    }
}

/// The words of original article `i`.
fn original_words(i: usize) -> Vec<String> {
    let mut state = splitmix64(i as u64);
    let mut next = || {
        state = splitmix64(state);
        state
    };
    let len = 60 + (next() % 81) as usize;
    (0..len)
        .map(|_| {
            let u = (next() >> 11) as f64 / (1u64 << 53) as f64;
            format!("w{}", (VOCAB.powf(u)) as u64)
        })
        .collect()
}

/// The body of article `i` as paragraphs of 20 words.
fn text(i: usize) -> Vec<String> {
    let words = match kind(i) {
        Kind::Original => original_words(i),
        Kind::Exact(s) => original_words(s).iter().map(|w| w.to_uppercase()).collect(),
        Kind::Near(s) => {
            let mut w = original_words(s);
            let n = w.len();
            for k in 0..(n * 3 / 100).max(1) {
                w[(splitmix64((i * 31 + k) as u64) % n as u64) as usize] = format!("edit{k}");
            }
            w
        }
        Kind::Contained(s) => {
            let mut w = original_words(s);
            w.truncate(w.len() / 2);
            w.extend(["Read".to_string(), "more".to_string()]);
            w
        }
    };
    words.chunks(20).map(|c| c.join(" ")).collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let threads: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("dedup_scale: thread pool: {e}");
            std::process::exit(2);
        }
    };
    pool.install(|| run(n));
}

fn run(n: usize) {
    let cfg = DedupConfig::default();
    let start = Instant::now();
    let fingerprinter = Fingerprinter::new(&cfg);
    // Fingerprinted in parallel a batch at a time and packed into the store, as the pipeline
    // does with its chunks.
    let mut fps = dedup::FingerprintStore::new();
    for first in (0..n).step_by(8192) {
        let batch: Vec<dedup::Fingerprint> = (first..(first + 8192).min(n))
            .into_par_iter()
            .map(|i| {
                let paragraphs = text(i);
                let len = paragraphs.iter().map(String::len).sum::<usize>() as u64;
                fingerprinter.fingerprint_text(paragraphs.iter().map(String::as_str), len, 0)
            })
            .collect();
        batch.iter().for_each(|f| fps.push(f));
    }
    let ids: Vec<String> = (0..n).map(|i| format!("a{i:07}")).collect();
    let fingerprint_s = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let decisions = dedup::deduplicate(&id_refs, &fps, &cfg);
    let dedup_s = start.elapsed().as_secs_f64();

    // Score against the injected copies: a copy is found when it shares a cluster with its
    // source; a false merge is an original dropped as a copy of something that is not its copy.
    let cluster = |i: usize| match decisions[i] {
        Decision::Duplicate { of, .. } => of,
        Decision::Kept { .. } => i,
    };
    let (mut injected, mut found, mut false_merges) = (0usize, 0usize, 0usize);
    for (i, decision) in decisions.iter().enumerate() {
        match kind(i) {
            Kind::Original => {
                if let Decision::Duplicate { of, .. } = *decision {
                    let copy_of_i = matches!(
                        kind(of),
                        Kind::Exact(s) | Kind::Near(s) | Kind::Contained(s) if s == i
                    );
                    if !copy_of_i {
                        false_merges += 1;
                    }
                }
            }
            Kind::Exact(s) | Kind::Near(s) | Kind::Contained(s) => {
                injected += 1;
                found += usize::from(cluster(i) == cluster(s));
            }
        }
    }
    let dropped = decisions
        .iter()
        .filter(|d| matches!(d, Decision::Duplicate { .. }))
        .count();
    println!(
        "dedup_scale: articles={n} threads={} fingerprint_s={fingerprint_s:.2} dedup_s={dedup_s:.2} \
         dropped={dropped} injected={injected} found={found} false_merges={false_merges} \
         fingerprint_bytes_per_article={:.0}",
        rayon::current_num_threads(),
        fps.heap_bytes() as f64 / n.max(1) as f64,
    );
}
