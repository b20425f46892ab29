//! JSON input (`.json`): an array of article objects, as scrapers' feed exports (Scrapy's
//! `-o items.json`) and newsclean's own `articles.json` write it, read one element at a time so
//! that memory holds one article, not the file. Record `N` of the file is its `N`th element.
//! A `.json` file that is not an array (one object per line, as many tools write under that
//! name) is read as JSON Lines.

use super::decode::{io_reason, open_or_reject};
use super::jsonl::{self, record_from_value};
use super::{reject, IngestConfig, InputFile, ReadResult};
use serde::de::{Deserializer as _, SeqAccess, Visitor};
use serde_json::Value;
use std::cell::Cell;
use std::io::{BufRead, Read};
use std::rc::Rc;

/// Reads every element of a JSON array file (or the file as JSON Lines when it is no array).
pub fn read(file: &InputFile, cfg: &IngestConfig, emit: &mut dyn FnMut(ReadResult, u64)) {
    let Some(mut reader) = open_or_reject(file, cfg.max_decompressed_bytes, emit) else {
        return;
    };
    match first_byte(reader.as_mut()) {
        Ok(Some(b'[')) => {}
        Ok(_) => return jsonl::read(file, cfg, emit),
        Err(e) => return emit(Err(reject(file, 0, &io_reason(&e), e.to_string())), 0),
    }
    let consumed = Rc::new(Cell::new(0u64));
    let counted = CountingReader {
        inner: reader,
        consumed: Rc::clone(&consumed),
        limit_from: Rc::new(Cell::new(0)),
        limit: cfg.max_record_bytes,
    };
    let limit_from = Rc::clone(&counted.limit_from);
    // The parser reads a byte at a time: from a buffer, not through the counting reader's
    // calls (which then count a block ahead of the parser: the record limit is that coarse).
    let mut de =
        serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(64 << 10, counted));
    let mut elements = Elements {
        file,
        cfg,
        emit,
        number: 0,
        consumed: &consumed,
        limit_from: &limit_from,
    };
    let parsed = (&mut de)
        .deserialize_seq(&mut elements)
        .and_then(|()| de.end());
    if let Err(e) = parsed {
        let number = elements.number + 1;
        let (reason, detail) = if e.is_io() && e.to_string().contains(RECORD_LIMIT_MSG) {
            (
                "limit:record_bytes".to_string(),
                format!(
                    "element is larger than max_record_bytes; the rest of the file is not read \
                     ({e})"
                ),
            )
        } else if e.is_io() {
            let io = std::io::Error::other(e.to_string());
            (io_reason(&io), e.to_string())
        } else {
            (
                "json:syntax".to_string(),
                format!("{e}; the rest of the file is not read"),
            )
        };
        let rest = consumed.get().saturating_sub(limit_from.get());
        (elements.emit)(Err(reject(file, number, &reason, detail)), rest);
    }
}

/// The first byte that is not white space (or a UTF-8 byte-order mark), left unread.
fn first_byte(reader: &mut dyn BufRead) -> std::io::Result<Option<u8>> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        let skip = buf
            .iter()
            .take_while(|b| b.is_ascii_whitespace() || matches!(b, 0xEF | 0xBB | 0xBF))
            .count();
        if skip < buf.len() {
            let first = buf[skip];
            reader.consume(skip);
            return Ok(Some(first));
        }
        let all = buf.len();
        reader.consume(all);
    }
}

/// Message of the error a `CountingReader` raises past the per-record limit.
const RECORD_LIMIT_MSG: &str = "record size limit exceeded";

/// Counts the bytes read through it, and fails once more than `limit` bytes have come since
/// `limit_from` (about the end of the previous element: the parser's buffer reads up to 64 KiB
/// ahead): one element may not hold the memory of more than a record.
struct CountingReader<R> {
    inner: R,
    consumed: Rc<Cell<u64>>,
    limit_from: Rc<Cell<u64>>,
    limit: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.consumed.get().saturating_sub(self.limit_from.get()) > self.limit {
            return Err(std::io::Error::other(RECORD_LIMIT_MSG));
        }
        let n = self.inner.read(buf)?;
        self.consumed.set(self.consumed.get() + n as u64);
        Ok(n)
    }
}

/// Hands each element of the array to `emit` as it is parsed.
struct Elements<'a, 'e> {
    file: &'a InputFile,
    cfg: &'a IngestConfig,
    emit: &'e mut dyn FnMut(ReadResult, u64),
    /// Elements read so far.
    number: u64,
    consumed: &'a Cell<u64>,
    limit_from: &'a Cell<u64>,
}

impl<'de> Visitor<'de> for &mut Elements<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of article objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            self.number += 1;
            // The bytes read since the last element (by blocks: for progress, not exact).
            let bytes = self.consumed.get().saturating_sub(self.limit_from.get());
            self.limit_from.set(self.consumed.get());
            let record = record_from_value(value, self.file, self.number, self.cfg);
            (self.emit)(record, bytes);
        }
        Ok(())
    }
}
