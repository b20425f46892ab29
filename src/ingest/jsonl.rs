//! JSON Lines input: one JSON object per line with a text field and optional metadata fields.
//! Blank lines are skipped; every other line is a record, used or rejected.

use super::decode::{decode_bytes, io_reason, open, read_bounded_line, BoundedLine};
use super::{reject, IngestConfig, InputFile, ReadResult, RecordFields};
use crate::article::IngestNote;
use serde_json::Value;

/// Reads every record of a JSON Lines file.
pub fn read(file: &InputFile, cfg: &IngestConfig, emit: &mut dyn FnMut(ReadResult, u64)) {
    let mut reader = match open(file, cfg.max_decompressed_bytes) {
        Ok(r) => r,
        Err(e) => {
            emit(
                Err(reject(file, 0, &io_reason(&e), e.to_string())),
                file.bytes,
            );
            return;
        }
    };
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    loop {
        line_no += 1;
        match read_bounded_line(reader.as_mut(), cfg.max_record_bytes, &mut buf) {
            Ok(BoundedLine::Eof) => break,
            Ok(BoundedLine::TooLong(n)) => emit(
                Err(reject(
                    file,
                    line_no,
                    "limit:record_bytes",
                    format!("line of {n} bytes is longer than max_record_bytes"),
                )),
                n + 1,
            ),
            Ok(BoundedLine::Line) => {
                if buf.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let bytes = buf.len() as u64 + 1;
                emit(parse_line(&buf, file, line_no, cfg), bytes);
            }
            Err(e) => {
                emit(Err(reject(file, line_no, &io_reason(&e), e.to_string())), 0);
                break;
            }
        }
    }
}

fn parse_line(bytes: &[u8], file: &InputFile, line_no: u64, cfg: &IngestConfig) -> ReadResult {
    let (line, notes) = decode_bytes(bytes);
    let value: Value = match serde_json::from_str(&line) {
        Ok(v) => v,
        Err(e) => return Err(reject(file, line_no, "json:syntax", e.to_string())),
    };
    let Value::Object(map) = value else {
        return Err(reject(
            file,
            line_no,
            "json:not_object",
            "the line is JSON but not an object",
        ));
    };
    let mut wrong_type = None;
    let mut field = |name: &str| -> Option<String> {
        match map.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            _ => {
                wrong_type.get_or_insert_with(|| name.to_string());
                None
            }
        }
    };
    let text_field = cfg
        .text_fields
        .iter()
        .find(|f| map.contains_key(f.as_str()));
    let fields = RecordFields {
        id: field("id"),
        url: field("url"),
        title: field("title"),
        date: field("date"),
        site: field("site"),
        text: text_field.and_then(|f| field(f)),
    };
    if let Some(name) = wrong_type {
        let mut rej = reject(
            file,
            line_no,
            "json:wrong_type",
            format!("field `{name}` must be a string"),
        );
        if let Some(id) = fields.id {
            rej.id = id;
        }
        return Err(rej);
    }
    let mut record = fields.into_record(file, line_no)?;
    record.ingest_notes = notes.into_iter().map(IngestNote::reason).collect();
    Ok(record)
}
