//! Plain-text input: one article per file; its id is the file stem.

use super::decode::{decode_bytes, io_reason, looks_binary, open};
use super::{reject, IngestConfig, InputFile, ReadResult};
use crate::article::{IngestNote, RawRecord};
use std::io::Read;

/// Reads the single article of a text file.
pub fn read(file: &InputFile, cfg: &IngestConfig, emit: &mut dyn FnMut(ReadResult, u64)) {
    let mut bytes = Vec::new();
    let result = open(file, cfg.max_decompressed_bytes).and_then(|reader| {
        reader
            .take(cfg.max_record_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
    });
    let mut rejected = |reason: &str, detail: String| {
        let mut rej = reject(file, 0, reason, detail);
        rej.id = file.stem();
        emit(Err(rej), file.bytes);
    };
    if let Err(e) = result {
        rejected(&io_reason(&e), e.to_string());
        return;
    }
    if bytes.len() as u64 > cfg.max_record_bytes {
        rejected(
            "limit:record_bytes",
            format!(
                "file is larger than max_record_bytes ({})",
                cfg.max_record_bytes
            ),
        );
        return;
    }
    if let Some(why) = looks_binary(&bytes) {
        rejected("binary", why);
        return;
    }
    let (text, decode_notes) = decode_bytes(&bytes);
    let text = text.into_owned();
    let ingest_notes: Vec<IngestNote> = decode_notes.into_iter().map(IngestNote::reason).collect();
    if text.trim().is_empty() {
        rejected("empty_text", "the file holds no text".to_string());
        return;
    }
    let record = RawRecord {
        id: file.stem(),
        source: file.display(),
        text,
        ingest_notes,
        ..RawRecord::default()
    };
    emit(Ok(record), file.bytes);
}
