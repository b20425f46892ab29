//! The small sample shared by the benches: the two seed articles embedded at compile time,
//! and a temp-dir input built from them for end-to-end runs.

use newsclean::article::{Article, RawRecord};
use newsclean::normalize::{self, NormalizeConfig};
use std::io::Write;
use std::path::Path;

/// The two seed articles shipped in `input/seeds/`.
pub const SEEDS: [&str; 2] = [
    include_str!("../../input/seeds/000_61b57392263893a2.txt"),
    include_str!("../../input/seeds/002_2364d2c8007998a6.txt"),
];

/// An article as the cleaning stages see it: the seed normalized and split into paragraphs.
#[allow(dead_code)]
pub fn article(index: usize) -> Article {
    let text = SEEDS[index % SEEDS.len()];
    let paragraphs = normalize::split_paragraphs(&normalize::normalize_text(
        text,
        &NormalizeConfig::default(),
    ));
    let record = RawRecord {
        id: format!("seed-{index}"),
        source: "bench".into(),
        text: String::new(),
        ..RawRecord::default()
    };
    Article::from_record(record, paragraphs)
}

/// Writes an input directory into `dir`: both seeds as `.txt` files and a JSON Lines file of
/// `records` variants of them (paragraphs rotated, every fourth an exact copy), about
/// 4.3 KB each. Returns the number of input bytes written.
#[allow(dead_code)]
pub fn write_input(dir: &Path, records: usize) -> std::io::Result<u64> {
    std::fs::create_dir_all(dir.join("txt"))?;
    let mut bytes = 0u64;
    for (i, seed) in SEEDS.iter().enumerate() {
        std::fs::write(dir.join("txt").join(format!("seed-{i}.txt")), seed)?;
        bytes += seed.len() as u64;
    }
    let mut jsonl = std::io::BufWriter::new(std::fs::File::create(dir.join("sample.jsonl"))?);
    for r in 0..records {
        let paragraphs: Vec<&str> = SEEDS[r % 2].split("\n\n").collect();
        let shift = if r % 4 == 3 { 0 } else { r % paragraphs.len() };
        let mut rotated = paragraphs.clone();
        rotated.rotate_left(shift);
        let line = serde_json::json!({ "id": format!("r{r}"), "text": rotated.join("\n\n") });
        let mut text = line.to_string();
        text.push('\n');
        jsonl.write_all(text.as_bytes())?;
        bytes += text.len() as u64;
    }
    jsonl.flush()?;
    Ok(bytes)
}
