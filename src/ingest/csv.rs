//! CSV input: a header row naming the fields (`text` or another configured text field, and
//! optional `id`, `url`, `title`, `date`, `site`), then one article per row. A row with the wrong
//! number of fields is rejected, not guessed at.

use super::decode::{decode_bytes, io_reason, open_or_reject};
use super::{reject, IngestConfig, InputFile, ReadResult, RecordFields};
use crate::article::IngestNote;

/// Reads every row of a CSV file.
pub fn read(file: &InputFile, cfg: &IngestConfig, emit: &mut dyn FnMut(ReadResult, u64)) {
    let Some(mut reader) = open_or_reject(file, cfg.max_decompressed_bytes, emit) else {
        return;
    };
    // The header is read off the buffer before the parser takes the reader.
    let delimiter = match reader.fill_buf() {
        Ok(head) => {
            let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
            sniff_delimiter(line, &cfg.text_fields)
        }
        Err(_) => b',',
    };
    let quotes = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let mut csv = ::csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .delimiter(delimiter)
        .from_reader(QuoteCounter {
            inner: reader,
            quotes: quotes.clone(),
        });
    let headers: Vec<String> = match csv.byte_headers() {
        Ok(h) => h.iter().map(header_name).collect(),
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
    // The csv parser is lenient about a quote that never closes: the row that opens it swallows
    // the rest of the file. An odd number of quote characters in the whole file reveals it, so
    // each row is held back until the next one is read, and the last one is rejected then.
    let mut held: Option<(ReadResult, u64, u64)> = None;
    let mut emit_held = |next: Option<(ReadResult, u64, u64)>,
                         emit: &mut dyn FnMut(ReadResult, u64)| {
        if let Some((item, bytes, _)) = std::mem::replace(&mut held, next) {
            emit(item, bytes);
        }
    };
    let mut record = ::csv::ByteRecord::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                let mut emit =
                    |item: ReadResult, bytes: u64| emit_held(Some((item, bytes, line)), emit);
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
                        s.into_owned()
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
                    r.ingest_notes
                        .extend(notes.into_iter().map(IngestNote::reason));
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
                emit_held(None, emit);
                emit(Err(reject(file, line, &reason, e.to_string())), 0);
                if matches!(e.kind(), ::csv::ErrorKind::Io(_)) {
                    break;
                }
            }
        }
    }
    if let Some((item, bytes, line)) = held.take() {
        if quotes.get() % 2 == 1 {
            let detail = format!(
                "a quote opened in the row on line {line} never closes; the rest of the file was read into this row"
            );
            let mut rej = reject(file, line, "csv:unclosed_quote", detail);
            if let Ok(r) = &item {
                rej.id = r.id.clone();
            }
            emit(Err(rej), bytes);
        } else {
            emit(item, bytes);
        }
    }
}

/// Counts the `"` bytes read through it (shared with the reader's owner).
struct QuoteCounter<R> {
    inner: R,
    quotes: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: std::io::Read> std::io::Read for QuoteCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let count = buf[..n].iter().filter(|&&b| b == b'"').count() as u64;
        self.quotes.set(self.quotes.get() + count);
        Ok(n)
    }
}

/// A header field as a column name: decoded, trimmed (a byte-order mark too), lowercased.
fn header_name(field: &[u8]) -> String {
    decode_bytes(field)
        .0
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
}

/// The field delimiter, read off the header line: a comma, unless the header names a text
/// column only when split at semicolons or tabs (spreadsheets in many locales save "CSV"
/// with semicolons, and tab-separated exports are common too).
fn sniff_delimiter(header: &[u8], text_fields: &[String]) -> u8 {
    [b',', b';', b'\t']
        .into_iter()
        .find(|&d| {
            header.split(|&b| b == d).any(|field| {
                let name = header_name(field);
                let name = name.trim_matches('"').trim();
                text_fields.iter().any(|f| f == name)
            })
        })
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_one_that_names_a_text_column() {
        let fields = ["text".to_string(), "body".to_string()];
        assert_eq!(sniff_delimiter(b"id,title,text", &fields), b',');
        assert_eq!(
            sniff_delimiter(b"\xef\xbb\xbfID;Title;\"Text\"\r", &fields),
            b';'
        );
        assert_eq!(sniff_delimiter(b"id\ttitle\tbody", &fields), b'\t');
        // A comma wins when both name one; no text column at all stays a comma (and is
        // rejected as such).
        assert_eq!(sniff_delimiter(b"text,a;b", &fields), b',');
        assert_eq!(sniff_delimiter(b"text;a,b", &fields), b';');
        assert_eq!(sniff_delimiter(b"id;title", &fields), b',');
        assert_eq!(sniff_delimiter(b"", &fields), b',');
    }
}
