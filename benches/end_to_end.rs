//! `newsclean::run` end to end (both passes, all stages, all output files) on a small sample
//! written to a temp dir, at 1 and 2 threads. For corpus-scale figures use `make bench`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsclean::Config;
use std::time::Duration;

mod sample;

fn bench_run(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("input");
    let bytes = sample::write_input(&input, 64).expect("sample input");
    let mut group = c.benchmark_group("end_to_end");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(bytes));
    for threads in [1, 2] {
        let cfg = Config {
            input: vec![input.clone()],
            output: dir.path().join(format!("out-{threads}")),
            threads,
            quiet: true,
            ..Config::default()
        };
        group.bench_function(format!("run/threads={threads}"), |b| {
            b.iter(|| newsclean::run(&cfg).expect("run succeeds"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_run);
criterion_main!(benches);
