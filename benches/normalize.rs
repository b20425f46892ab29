//! Normalization of raw text (`normalize::normalize_text`): the first per-article step, run on
//! every record in both passes.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use newsclean::normalize::{normalize_text, split_paragraphs, NormalizeConfig, UnicodeForm};

mod sample;

fn bench_normalize(c: &mut Criterion) {
    let mut group = c.benchmark_group("normalize");
    let text = sample::SEEDS.join("\n\n");
    // The same text with CRLF line ends, odd spaces and a ligature: the slower paths.
    let messy = text
        .replace('\n', "\r\n")
        .replace(". ", ".\u{a0} ")
        .replace("fi", "\u{fb01}");
    group.throughput(Throughput::Bytes(text.len() as u64));
    for form in [
        UnicodeForm::NfcSafeCompat,
        UnicodeForm::Nfc,
        UnicodeForm::Nfkc,
    ] {
        let cfg = NormalizeConfig { unicode_form: form };
        group.bench_function(format!("clean_text/{form:?}"), |b| {
            b.iter(|| normalize_text(black_box(&text), &cfg))
        });
    }
    let cfg = NormalizeConfig::default();
    group.bench_function("messy_text/NfcSafeCompat", |b| {
        b.iter(|| normalize_text(black_box(&messy), &cfg))
    });
    group.bench_function("normalize_and_split", |b| {
        b.iter(|| split_paragraphs(&normalize_text(black_box(&text), &cfg)))
    });
    group.finish();
}

criterion_group!(benches, bench_normalize);
criterion_main!(benches);
