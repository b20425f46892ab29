//! Builds the lexicon's tables and the default delete index from the bundled word lists, once,
//! at compile time, into `$OUT_DIR/tables.bin`, which the library embeds
//! (`src/correct/embedded.rs`). The code is the library's own (`src/correct/tables.rs`),
//! compiled here as well, so the embedded tables are the ones a run would build; a test
//! checks that they are.

#[allow(dead_code)]
#[path = "src/lines.rs"]
mod lines;
#[allow(dead_code)]
#[path = "src/correct/tables.rs"]
mod tables;

use std::path::PathBuf;

const LISTS: [&str; 3] = [
    "data/lexicon/en_frequency.txt",
    "data/lexicon/en_known.txt",
    "data/lexicon/en_names.txt",
];

fn main() {
    for path in LISTS
        .iter()
        .chain(&["src/correct/tables.rs", "src/lines.rs", "build.rs"])
    {
        println!("cargo:rerun-if-changed={path}");
    }
    let read = |path: &str| {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    };
    let [frequency, known, names] = LISTS.map(read);
    let lexicon = tables::LexiconTables::build(&frequency, &known, &names);
    let params = tables::DEFAULT_INDEX_PARAMS;
    let index = tables::DeleteTable::build(lexicon.words(&frequency, &known), params);
    let big_endian = std::env::var("CARGO_CFG_TARGET_ENDIAN").is_ok_and(|e| e == "big");
    let blob = tables::encode(&lexicon, &index, params, big_endian);
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("tables.bin"), blob).expect("cannot write tables.bin");
}
