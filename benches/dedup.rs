//! The per-article half of deduplication: `dedup::fingerprint` (runs once per article in the
//! parallel map). The lead adds candidate lookup and MinHash benches once the dedup rewrite lands.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use newsclean::dedup::{fingerprint, DedupConfig};

mod sample;

fn bench_fingerprint(c: &mut Criterion) {
    let mut group = c.benchmark_group("dedup");
    let cfg = DedupConfig::default();
    for i in 0..sample::SEEDS.len() {
        let article = sample::article(i);
        group.throughput(Throughput::Bytes(article.body_len() as u64));
        group.bench_function(format!("fingerprint/seed{i}"), |b| {
            b.iter(|| fingerprint(black_box(&article), &cfg))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_fingerprint);
criterion_main!(benches);
