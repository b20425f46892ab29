//! Byte-level reading: opens a file through its decompressor with a size limit, reads bounded
//! lines, and decodes bytes to text (UTF-8, UTF-16 with BOM, else Windows-1252 for text that is
//! not valid UTF-8), noting any repair so it can be audited.

use super::discover::{Compression, InputFile};
use super::{reject, ReadResult};
use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read};

/// Message of the error raised when a decompressed stream passes the configured limit.
pub const DECOMPRESSED_LIMIT_MSG: &str = "decompressed size limit exceeded";

/// A reader that fails once more than `limit` bytes have come through it (gzip bomb guard).
struct LimitedReader<R> {
    inner: R,
    remaining: u64,
}

impl<R: Read> Read for LimitedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 {
            // Probe one byte: exactly `limit` bytes is fine, more is not.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(DECOMPRESSED_LIMIT_MSG)),
            };
        }
        let cap = buf
            .len()
            .min(self.remaining.min(usize::MAX as u64) as usize);
        let n = self.inner.read(&mut buf[..cap])?;
        self.remaining -= n as u64;
        Ok(n)
    }
}

/// `open`, or, when the file cannot be opened, its rejection (record 0: the whole file) emitted
/// in its place and `None`.
pub fn open_or_reject(
    file: &InputFile,
    max_decompressed: u64,
    emit: &mut dyn FnMut(ReadResult, u64),
) -> Option<Box<dyn BufRead>> {
    match open(file, max_decompressed) {
        Ok(reader) => Some(reader),
        Err(e) => {
            emit(
                Err(reject(file, 0, &io_reason(&e), e.to_string())),
                file.bytes,
            );
            None
        }
    }
}

/// Opens `file` for buffered reading through its decompressor.
pub fn open(file: &InputFile, max_decompressed: u64) -> io::Result<Box<dyn BufRead>> {
    let raw = std::fs::File::open(&file.path)?;
    let reader: Box<dyn Read> = match file.compression {
        Compression::None => Box::new(raw),
        Compression::Gzip => Box::new(LimitedReader {
            inner: flate2::read::MultiGzDecoder::new(BufReader::new(raw)),
            remaining: max_decompressed,
        }),
        Compression::Zstd => Box::new(LimitedReader {
            inner: zstd::stream::read::Decoder::new(raw)?,
            remaining: max_decompressed,
        }),
    };
    Ok(Box::new(BufReader::with_capacity(256 * 1024, reader)))
}

/// Short reason code for an I/O error while reading a file.
pub fn io_reason(e: &io::Error) -> String {
    if e.to_string().contains(DECOMPRESSED_LIMIT_MSG) {
        "limit:decompressed_bytes".to_string()
    } else if e.kind() == io::ErrorKind::UnexpectedEof {
        "io:truncated".to_string()
    } else if e.kind() == io::ErrorKind::PermissionDenied {
        "io:permission_denied".to_string()
    } else {
        "io:read".to_string()
    }
}

/// Outcome of reading one line with a length bound.
pub enum BoundedLine {
    /// End of input: no more lines.
    Eof,
    /// A line (without its `\n`) is in the buffer.
    Line,
    /// The line was longer than the limit; its bytes were skipped up to the next `\n`.
    TooLong(u64),
}

/// Reads one line into `buf` (cleared first) without ever holding more than `limit` bytes.
pub fn read_bounded_line(
    reader: &mut dyn BufRead,
    limit: u64,
    buf: &mut Vec<u8>,
) -> io::Result<BoundedLine> {
    buf.clear();
    let mut total = 0u64;
    let mut overflow = false;
    let mut any = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            break;
        }
        any = true;
        let (chunk, done) = match memchr_newline(available) {
            Some(i) => (&available[..i], Some(i + 1)),
            None => (available, None),
        };
        total += chunk.len() as u64;
        if !overflow {
            if total > limit {
                overflow = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let consumed = done.unwrap_or(available.len());
        reader.consume(consumed);
        if done.is_some() {
            break;
        }
    }
    if !any {
        return Ok(BoundedLine::Eof);
    }
    if overflow {
        return Ok(BoundedLine::TooLong(total));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(BoundedLine::Line)
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', bytes)
}

/// Windows-1252 code points for bytes 0x80..=0x9F (undefined ones map to themselves as C1).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// The character Windows-1252 decodes `byte` to (Latin-1 outside 0x80..=0x9F).
pub(super) fn cp1252_char(byte: u8) -> char {
    match byte {
        0x80..=0x9F => CP1252_HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// The byte of `c` above 0x7F in Windows-1252, if it has one: U+0080..U+00FF by their code
/// (Latin-1, and the C1 controls a decoder leaves for undefined bytes), the rest by the
/// table.
pub(super) fn cp1252_byte(c: char) -> Option<u8> {
    match c {
        '\u{80}'..='\u{ff}' => u8::try_from(u32::from(c)).ok(),
        _ => CP1252_HIGH
            .iter()
            .position(|&h| h == c)
            .and_then(|i| u8::try_from(0x80 + i).ok()),
    }
}

/// Bytes read from the start of a text file to tell binary data from text.
const BINARY_SAMPLE_BYTES: usize = 8 << 10;

/// Share of control bytes (C0 other than white space, and DEL) from which bytes that are not
/// UTF-8 are taken for binary data. Text has a few per thousand even when a scraper left
/// stray controls in it; random bytes (images, archives, compressed or encrypted data) have
/// about one in nine.
const BINARY_CONTROL_SHARE: f64 = 0.05;

/// Whether `bytes` (a whole plain-text input) look like binary data rather than text: their
/// first bytes are not UTF-8 (nor UTF-16 with a BOM) and many of them are control bytes. Such
/// a file would otherwise be decoded as Windows-1252 into an "article" of gibberish. UTF-8
/// text with stray controls is text (they are removed when it is normalized).
pub fn looks_binary(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    let sample = bytes.get(..BINARY_SAMPLE_BYTES).unwrap_or(bytes);
    match std::str::from_utf8(sample) {
        // Valid, or valid up to a character the sample's end cut.
        Ok(_) => return None,
        Err(e) if e.error_len().is_none() => return None,
        Err(_) => {}
    }
    let controls = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !b.is_ascii_whitespace() && b != 0x0B) || b == 0x7F)
        .count();
    let share = controls as f64 / sample.len().max(1) as f64;
    (share >= BINARY_CONTROL_SHARE).then(|| {
        format!(
            "the file looks like binary data, not text: its first {} bytes are not UTF-8 and \
             {:.0}% of them are control bytes",
            sample.len(),
            100.0 * share
        )
    })
}

/// Decodes bytes to text. Returns the text (borrowed when the bytes are clean UTF-8, so a JSON
/// line is parsed where it was read, not from a copy) and notes on any repair (empty for clean
/// UTF-8).
pub fn decode_bytes(bytes: &[u8]) -> (Cow<'_, str>, Vec<String>) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode_bytes(rest);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let little = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if little {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        let text = String::from_utf16_lossy(&units);
        return (Cow::Owned(text), vec!["encoding:utf16".to_string()]);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), Vec::new()),
        Err(_) => {
            // Not UTF-8. Text with no bytes 0x80-0x9F used as C1 controls is most likely
            // Windows-1252 / Latin-1 (the usual legacy web encoding); decode it as that rather
            // than replacing characters. Mixed input that is mostly UTF-8 is decoded lossily.
            let valid_utf8_share = utf8_valid_share(bytes);
            if valid_utf8_share < 0.5 {
                let text = bytes.iter().map(|&b| cp1252_char(b)).collect();
                (Cow::Owned(text), vec!["encoding:windows_1252".to_string()])
            } else {
                (
                    String::from_utf8_lossy(bytes),
                    vec!["encoding:invalid_utf8_replaced".to_string()],
                )
            }
        }
    }
}

/// Share of non-ASCII bytes that belong to valid UTF-8 sequences.
fn utf8_valid_share(bytes: &[u8]) -> f64 {
    let mut valid_non_ascii = 0usize;
    let mut invalid = 0usize;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_non_ascii += s.bytes().filter(|b| *b >= 0x80).count();
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                valid_non_ascii += good.iter().filter(|b| **b >= 0x80).count();
                let skip = e.error_len().unwrap_or(bad.len()).max(1);
                invalid += skip;
                rest = &bad[skip.min(bad.len())..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    if valid_non_ascii + invalid == 0 {
        1.0
    } else {
        valid_non_ascii as f64 / (valid_non_ascii + invalid) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_utf16() {
        assert_eq!(decode_bytes(b"\xEF\xBB\xBFhi").0, "hi");
        let utf16: Vec<u8> = [0xFF, 0xFE, b'h', 0, b'i', 0].to_vec();
        assert_eq!(decode_bytes(&utf16).0, "hi");
    }

    #[test]
    fn binary_data_is_told_from_text() {
        // Bytes of every value, shuffled: what an image or an archive looks like.
        let mut state = 1u64;
        let random: Vec<u8> = (0..20_000)
            .map(|_| {
                state = crate::dedup::minhash::splitmix64(state);
                (state >> 56) as u8
            })
            .collect();
        assert!(looks_binary(&random).is_some_and(|why| why.contains("control bytes")));
        // Text: Windows-1252, UTF-8 with stray controls, UTF-16 with a BOM (full of NULs),
        // empty, and UTF-8 cut inside a character at the sample's end.
        assert_eq!(looks_binary(b"caf\xe9 \x93quoted\x94 and more"), None);
        assert_eq!(
            looks_binary(b"Control\x00 characters\x07 are\x1b removed"),
            None
        );
        assert_eq!(looks_binary(&[0xFF, 0xFE, b'h', 0, b'i', 0]), None);
        assert_eq!(looks_binary(b""), None);
        let mut cut = "é".repeat(BINARY_SAMPLE_BYTES).into_bytes();
        cut.insert(0, b'x');
        assert_eq!(looks_binary(&cut), None);
        // Not UTF-8 and one control byte in ten: binary.
        let mostly_controls: Vec<u8> = b"\xe9abcdefgh\x01".repeat(100);
        assert!(looks_binary(&mostly_controls).is_some());
    }

    #[test]
    fn windows_1252_is_recognised() {
        let (text, notes) = decode_bytes(b"caf\xe9 \x93quoted\x94");
        assert_eq!(text, "café “quoted”");
        assert_eq!(notes, vec!["encoding:windows_1252"]);
    }

    #[test]
    fn mostly_utf8_is_repaired_lossily() {
        let bytes: Vec<u8> = "café ’ \u{fc} ok"
            .as_bytes()
            .iter()
            .chain(b"\xff")
            .copied()
            .collect();
        let (text, notes) = decode_bytes(&bytes);
        assert!(text.ends_with('\u{fffd}'));
        assert_eq!(notes, vec!["encoding:invalid_utf8_replaced"]);
    }

    #[test]
    fn bounded_lines() {
        let mut r: &[u8] = b"short\r\nthis line is long\nend";
        let mut buf = Vec::new();
        assert!(matches!(
            read_bounded_line(&mut r, 8, &mut buf).unwrap(),
            BoundedLine::Line
        ));
        assert_eq!(buf, b"short");
        assert!(matches!(
            read_bounded_line(&mut r, 8, &mut buf).unwrap(),
            BoundedLine::TooLong(17)
        ));
        assert!(matches!(
            read_bounded_line(&mut r, 8, &mut buf).unwrap(),
            BoundedLine::Line
        ));
        assert_eq!(buf, b"end");
        assert!(matches!(
            read_bounded_line(&mut r, 8, &mut buf).unwrap(),
            BoundedLine::Eof
        ));
    }
}
