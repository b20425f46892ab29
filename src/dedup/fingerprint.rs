//! Fingerprints: takes a cleaned article (its paragraphs, body length and date), produces the
//! compact state the dedup reduce works on — exact hash, MinHash signature, containment sketch,
//! and what the canonical choice needs. It holds no text, so all fingerprints of a corpus fit in
//! memory for the reduce.

use super::{containment, minhash::MinHasher, shingle, shingle::Shingler, DedupConfig};
use crate::article::Article;
use serde::{Deserialize, Serialize};

/// The compact per-article state that the dedup reduce works on: 64 bytes inline plus
/// `num_perm + 4 * min(sketch_size, shingles)` bytes on the heap (at most 448 bytes in all with
/// the defaults, before allocator overhead).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Hash of the canonical body.
    pub exact: u128,
    /// Body length in bytes: the completeness used for the canonical choice.
    pub body_len: u64,
    /// Publication date as `YYYYMMDD`, 0 when unknown.
    pub date: u32,
    /// Number of distinct shingles of the body.
    pub shingles: u32,
    /// MinHash signature (8 bits per bin).
    pub minhash: Box<[u8]>,
    /// Bottom-k sketch of the shingle hashes, ascending.
    pub sketch: Box<[u32]>,
}

/// Fingerprints articles with the permutations of one configuration built once.
#[derive(Debug, Clone)]
pub struct Fingerprinter {
    cfg: DedupConfig,
    shingler: Shingler,
    hasher: MinHasher,
}

impl Fingerprinter {
    /// Builds the hash functions of `cfg`.
    pub fn new(cfg: &DedupConfig) -> Self {
        Fingerprinter {
            cfg: cfg.clone(),
            shingler: Shingler::new(cfg.shingle_size, cfg.seed),
            hasher: MinHasher::new(cfg.num_perm.clamp(1, 4096), cfg.seed),
        }
    }

    /// The fingerprint of a body given as paragraphs, with its date (`YYYYMMDD`, 0 if unknown).
    pub fn fingerprint_text<'a>(
        &self,
        paragraphs: impl IntoIterator<Item = &'a str>,
        body_len: u64,
        date: u32,
    ) -> Fingerprint {
        // Room for the whole text and a word per five bytes, so the buffers rarely grow.
        let hint = usize::try_from(body_len).unwrap_or(0).min(1 << 26);
        let (mut canonical, mut words) =
            (Vec::with_capacity(hint + 64), Vec::with_capacity(hint / 5));
        shingle::canonicalize(paragraphs, self.cfg.seed, &mut canonical, &mut words);
        let shingles = self.shingler.distinct(&words);
        Fingerprint {
            exact: shingle::exact_hash(&canonical, self.cfg.seed),
            body_len,
            date,
            shingles: u32::try_from(shingles.len()).unwrap_or(u32::MAX),
            minhash: self.hasher.signature(&shingles),
            sketch: containment::sketch(
                &shingles,
                self.cfg.sketch_size.clamp(1, 4096),
                self.cfg.seed,
            ),
        }
    }

    /// The fingerprint of a cleaned article.
    pub fn fingerprint(&self, article: &Article) -> Fingerprint {
        let date = article.date.as_deref().map(date_number).unwrap_or(0);
        self.fingerprint_text(
            article.paragraphs.iter().map(String::as_str),
            article.body_len() as u64,
            date,
        )
    }
}

/// `YYYYMMDD` from an ISO date (`YYYY-MM-DD`, optionally followed by a time); 0 if not one.
pub fn date_number(iso: &str) -> u32 {
    let digits: String = iso.chars().take(10).filter(|c| *c != '-').collect();
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    digits.parse().unwrap_or(0)
}

/// Computes an article's fingerprint.
pub fn fingerprint(article: &Article, cfg: &DedupConfig) -> Fingerprint {
    Fingerprinter::new(cfg).fingerprint(article)
}
