//! JSON Lines input: one JSON object per line with a text field and optional metadata fields.
//! Blank lines are skipped; every other line is a record, used or rejected.

use super::decode::{decode_bytes, io_reason, open_or_reject, read_bounded_line, BoundedLine};
use super::{reject, IngestConfig, InputFile, ReadResult, RecordFields};
use crate::article::IngestNote;
use serde_json::Value;

/// Reads every record of a JSON Lines file.
pub fn read(file: &InputFile, cfg: &IngestConfig, emit: &mut dyn FnMut(ReadResult, u64)) {
    let Some(mut reader) = open_or_reject(file, cfg.max_decompressed_bytes, emit) else {
        return;
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
    let mut record = record_from_value(value, file, line_no, cfg)?;
    record
        .ingest_notes
        .extend(notes.into_iter().map(IngestNote::reason));
    Ok(record)
}

/// The record a JSON value stands for (record `number` of `file`: a line of JSON Lines, an
/// element of a JSON array): an object with a text field, or a rejection.
pub(super) fn record_from_value(
    value: Value,
    file: &InputFile,
    number: u64,
    cfg: &IngestConfig,
) -> ReadResult {
    let line_no = number;
    let Value::Object(mut map) = value else {
        return Err(reject(
            file,
            line_no,
            "json:not_object",
            "the record is JSON but not an object",
        ));
    };
    let text_field = cfg
        .text_fields
        .iter()
        .find(|f| map.contains_key(f.as_str()));
    let mut wrong_type = None;
    let mut string = |name: &str, value: Option<Value>| -> Option<String> {
        match value? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            _ => {
                wrong_type.get_or_insert_with(|| name.to_string());
                None
            }
        }
    };
    // The text is most of a record: it is taken out of the parsed object, not copied, unless
    // a metadata field of the same name still needs it.
    const METADATA: [&str; 5] = ["id", "url", "title", "date", "site"];
    let text_value = text_field.map(|f| {
        if METADATA.contains(&f.as_str()) {
            map.get(f.as_str()).cloned()
        } else {
            map.remove(f.as_str())
        }
    });
    let [id, url, title, date, site] = METADATA.map(|name| string(name, map.remove(name)));
    let text = text_field.and_then(|f| string(f, text_value.flatten()));
    let fields = RecordFields {
        id,
        url,
        title,
        date,
        site,
        text,
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
    fields.into_record(file, line_no)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Compression, Format};

    fn parse(line: &str, cfg: &IngestConfig) -> ReadResult {
        let file = InputFile {
            path: "in/a.jsonl".into(),
            format: Format::Jsonl,
            compression: Compression::None,
            bytes: 0,
        };
        parse_line(line.as_bytes(), &file, 1, cfg)
    }

    #[test]
    fn fields_are_read_by_name_and_numbers_become_text() {
        let cfg = IngestConfig::default();
        let r = parse(
            r#"{"id": 7, "title": "T", "site": null, "extra": [1], "body": "B", "text": "X"}"#,
            &cfg,
        )
        .expect("a record");
        assert_eq!(r.id, "7");
        assert_eq!(r.title.as_deref(), Some("T"));
        assert_eq!(r.site, None);
        assert_eq!(r.text, "X", "the first configured text field present wins");
    }

    #[test]
    fn a_text_field_named_like_a_metadata_field_serves_both() {
        let cfg = IngestConfig {
            text_fields: vec!["title".into()],
            ..IngestConfig::default()
        };
        let r = parse(r#"{"title": "Only a title"}"#, &cfg).expect("a record");
        assert_eq!(r.text, "Only a title");
        assert_eq!(r.title.as_deref(), Some("Only a title"));
    }

    #[test]
    fn the_first_field_of_a_wrong_type_is_named() {
        let cfg = IngestConfig::default();
        let rej = parse(r#"{"id": "a", "url": {}, "text": true}"#, &cfg).expect_err("rejected");
        assert_eq!(rej.reason, "json:wrong_type");
        assert!(rej.detail.contains("`url`"), "{}", rej.detail);
        assert_eq!(rej.id, "a");
    }
}
