//! Hot paths of the cleaning stages: classifying the lines of an article (boilerplate), the
//! SymSpell candidate lookup of one out-of-lexicon token, correcting a whole article, and
//! building the typo index (the per-run start-up cost).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use newsclean::correct::lexicon::Lexicon;
use newsclean::correct::symspell::{DeleteIndex, IndexParams};
use newsclean::correct::{CorrectConfig, Corrector, Vocabulary};
use newsclean::extract::boilerplate::{BoilerplateConfig, BoilerplateStripper, LineStats};
use newsclean::extract::metadata::{MetadataConfig, MetadataExtractor};

mod sample;

fn index_params(cfg: &CorrectConfig) -> IndexParams {
    IndexParams {
        min_count_edit2: cfg.min_count_edit2,
        min_len_edit2: cfg.min_len_edit2,
        max_len: cfg.max_word_len,
    }
}

fn bench_classify(c: &mut Criterion) {
    let mut group = c.benchmark_group("boilerplate");
    let stripper = BoilerplateStripper::new(&BoilerplateConfig::default()).expect("stripper");
    let extractor = MetadataExtractor::new(&MetadataConfig::default()).expect("extractor");
    let stats = LineStats::default();
    for i in 0..sample::SEEDS.len() {
        let mut article = sample::article(i);
        article.lang = Some("en".into());
        let meta = extractor.extract(&mut article);
        group.throughput(Throughput::Bytes(article.body_len() as u64));
        group.bench_function(format!("classify_lines/seed{i}"), |b| {
            b.iter(|| stripper.classify(black_box(&article), &meta, &stats))
        });
    }
    group.finish();
}

fn bench_correct(c: &mut Criterion) {
    let mut group = c.benchmark_group("correct");
    let cfg = CorrectConfig::default();
    let lexicon = Lexicon::english();
    let index = DeleteIndex::build(lexicon, index_params(&cfg));
    for token in ["protsction", "hoepd", "goverment"] {
        group.bench_function(format!("candidates/{token}"), |b| {
            b.iter(|| index.candidates(lexicon, black_box(token)))
        });
    }
    let corrector = Corrector::new(&cfg, Vocabulary::default()).expect("corrector");
    let mut article = sample::article(0);
    article.lang = Some("en".into());
    group.throughput(Throughput::Bytes(article.body_len() as u64));
    group.bench_function("apply/seed0", |b| {
        b.iter(|| {
            let mut a = article.clone();
            let mut audit = newsclean::audit::Audit::default();
            corrector.apply(black_box(&mut a), &mut audit);
            audit.events.len()
        })
    });
    group.finish();
    let mut startup = c.benchmark_group("correct_startup");
    startup.sample_size(10);
    startup.bench_function("build_index", |b| {
        b.iter(|| DeleteIndex::build(lexicon, index_params(&cfg)).len())
    });
    startup.finish();
}

criterion_group!(benches, bench_classify, bench_correct);
criterion_main!(benches);
