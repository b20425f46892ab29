//! CSV input: a header row naming the fields (`text` or another configured text field, and
//! optional `id`, `url`, `title`, `date`, `site`), then one article per row. A row with the wrong
//! number of fields is rejected, not guessed at.

use super::decode::{decode_bytes, io_reason, open};
use super::{reject, IngestConfig, InputFile, ReadResult, RecordFields};

/// Reads every row of a CSV file.
pub fn read(file: &InputFile, cfg: &IngestConfig, emit: &mut dyn FnMut(ReadResult, u64)) {
    let reader = match open(file, cfg.max_decompressed_bytes) {
        Ok(r) => r,
        Err(e) => {
            emit(
                Err(reject(file, 0, &io_reason(&e), e.to_string())),
                file.bytes,
            );
            return;
        }
    };
    let mut csv = ::csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(reader);
    let headers: Vec<String> = match csv.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|f| {
                decode_bytes(f)
                    .0
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_lowercase()
            })
            .collect(),
        Err(e) => {
            emit(
                Err(reject(file, 1, "csv:header", e.to_string())),
                file.bytes,
            );
            return;
        }
    };
    let column = |name: &str| headers.iter().position(|h| h == name);
    let Some(text_col) = cfg.text_fields.iter().find_map(|f| column(f)) else {
        emit(
            Err(reject(
                file,
                1,
                "csv:no_text_column",
                format!(
                    "header has no text column (tried {})",
                    cfg.text_fields.join(", ")
                ),
            )),
            file.bytes,
        );
        return;
    };
    let (id_col, url_col, title_col, date_col, site_col) = (
        column("id"),
        column("url"),
        column("title"),
        column("date"),
        column("site"),
    );
    let mut record = ::csv::ByteRecord::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                let bytes = record.as_slice().len() as u64 + record.len() as u64;
                if bytes > cfg.max_record_bytes {
                    emit(
                        Err(reject(
                            file,
                            line,
                            "limit:record_bytes",
                            "row is larger than max_record_bytes",
                        )),
                        bytes,
                    );
                    continue;
                }
                if record.len() != headers.len() {
                    emit(
                        Err(reject(
                            file,
                            line,
                            "csv:field_count",
                            format!(
                                "row has {} fields, header has {}",
                                record.len(),
                                headers.len()
                            ),
                        )),
                        bytes,
                    );
                    continue;
                }
                let mut notes = Vec::new();
                let mut get = |col: Option<usize>| {
                    col.and_then(|c| record.get(c)).map(|b| {
                        let (s, n) = decode_bytes(b);
                        notes.extend(n);
                        s
                    })
                };
                let fields = RecordFields {
                    id: get(id_col),
                    url: get(url_col),
                    title: get(title_col),
                    date: get(date_col),
                    site: get(site_col),
                    text: get(Some(text_col)),
                };
                let result = fields.into_record(file, line).map(|mut r| {
                    notes.dedup();
                    r.decode_notes = notes;
                    r
                });
                emit(result, bytes);
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                let reason = match e.kind() {
                    ::csv::ErrorKind::Io(io) => io_reason(io),
                    _ => "csv:syntax".to_string(),
                };
                emit(Err(reject(file, line, &reason, e.to_string())), 0);
                if matches!(e.kind(), ::csv::ErrorKind::Io(_)) {
                    break;
                }
            }
        }
    }
}
