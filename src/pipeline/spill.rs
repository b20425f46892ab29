//! The spill: cleaned articles parked on disk between the cleaning pass and the write pass, so
//! memory does not grow with the corpus. Each record carries the article's output already
//! rendered (the CSV row and the JSON object up to its `duplicate_count`), so the write pass,
//! which runs on one thread after dedup, only copies bytes.
//!
//! Format: per record, four fields (id, source, CSV row, JSON head), each a little-endian u64
//! length and the bytes. The file lives in the staging area and is deleted after the write pass.

use std::io::{self, Read};

/// One cleaned article as stored in the spill.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct SpillRecord {
    /// The article id (for the audit and `duplicates.csv` when it turns out to be a copy).
    pub(super) id: String,
    /// The article source.
    pub(super) source: String,
    /// Its `articles.csv` row, CRLF-terminated (empty when CSV is not written).
    pub(super) csv_row: Vec<u8>,
    /// Its JSON object up to the `duplicate_count` value (empty when no JSON is written).
    pub(super) json_head: Vec<u8>,
}

impl SpillRecord {
    /// Appends the encoded record to `out`.
    pub(super) fn encode(&self, out: &mut Vec<u8>) {
        for field in [
            self.id.as_bytes(),
            self.source.as_bytes(),
            &self.csv_row,
            &self.json_head,
        ] {
            out.extend_from_slice(&(field.len() as u64).to_le_bytes());
            out.extend_from_slice(field);
        }
    }

    /// Reads the next record; `None` at the end of the spill.
    pub(super) fn read(reader: &mut impl Read) -> io::Result<Option<SpillRecord>> {
        let mut len = [0u8; 8];
        // The end of the file may only fall between records.
        match reader.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let id = read_field(reader, len)?;
        let source = read_next_field(reader)?;
        let csv_row = read_next_field(reader)?;
        let json_head = read_next_field(reader)?;
        let text = |bytes: Vec<u8>| {
            String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
        };
        Ok(Some(SpillRecord {
            id: text(id)?,
            source: text(source)?,
            csv_row,
            json_head,
        }))
    }
}

fn read_next_field(reader: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut len = [0u8; 8];
    reader.read_exact(&mut len)?;
    read_field(reader, len)
}

fn read_field(reader: &mut impl Read, len: [u8; 8]) -> io::Result<Vec<u8>> {
    let len = u64::from_le_bytes(len);
    let mut bytes = Vec::new();
    // `take` bounds the read, so a corrupt length cannot allocate more than the file holds.
    reader.take(len).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != len {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "spill record cut short",
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_the_end_is_clean() {
        let records = vec![
            SpillRecord {
                id: "a".into(),
                source: "in/a.txt".into(),
                csv_row: b"a,b\r\n".to_vec(),
                json_head: b"{\"id\":\"a\",\"duplicate_count\":".to_vec(),
            },
            SpillRecord::default(),
        ];
        let mut bytes = Vec::new();
        for r in &records {
            r.encode(&mut bytes);
        }
        let mut reader = &bytes[..];
        let mut read = Vec::new();
        while let Some(r) = SpillRecord::read(&mut reader).expect("reads") {
            read.push(r);
        }
        assert_eq!(read, records);
    }

    #[test]
    fn a_cut_record_is_an_error() {
        let mut bytes = Vec::new();
        SpillRecord {
            id: "abc".into(),
            ..SpillRecord::default()
        }
        .encode(&mut bytes);
        bytes.truncate(bytes.len() - 10);
        assert!(SpillRecord::read(&mut &bytes[..]).is_err());
    }
}
