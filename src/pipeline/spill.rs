//! The spills: records parked on disk between passes, so memory does not grow with the corpus.
//!
//! - The prepared spill, written by the statistics pass: each record as it left `prepare`
//!   (normalized paragraphs, metadata, language) or its rejection, so the cleaning pass neither
//!   re-reads nor re-parses nor re-normalizes the input.
//! - The output spill, written by the cleaning pass: each cleaned article with its output
//!   already rendered (the CSV row and the JSON object up to its `duplicate_count`), so the
//!   write pass, which runs on one thread after dedup, only copies bytes.
//! - The fingerprint spill, written by the cleaning pass and read back whole by the dedup
//!   reduce once the cleaning pass has let go of its own memory: the fingerprints are the one
//!   per-article state that grows with the corpus, and held through the cleaning pass they
//!   would add to its peak.
//!
//! Both are a plain sequence of fields: a string or byte field is a little-endian u64 length
//! and the bytes, a number a little-endian u64, an optional field a 0/1 byte before the value.
//! The files live in the staging area and are deleted once read.

use super::clean::{Prepared, PreparedItem};
use crate::article::{Article, IngestNote};
use crate::dedup::{Fingerprint, FingerprintRef, FingerprintStore, Parts};
use crate::error::{Error, Result};
use crate::extract::metadata::MetadataLines;
use crate::ingest::Rejected;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Reasons a metadata line can carry (`MetadataLines` keeps them as static strings).
const METADATA_REASONS: [&str; 3] = ["metadata:date", "metadata:title", "metadata:site"];

/// Appends fields to a buffer.
struct Encoder<'a>(&'a mut Vec<u8>);

impl Encoder<'_> {
    fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    /// A length-prefixed field whose bytes `write` appends in place; the length is filled in
    /// after.
    fn bytes_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        let at = self.0.len();
        self.u64(0);
        write(self.0);
        let len = (self.0.len() - at - 8) as u64;
        if let Some(prefix) = self.0.get_mut(at..at + 8) {
            prefix.copy_from_slice(&len.to_le_bytes());
        }
    }
    fn flag(&mut self, b: bool) {
        self.0.push(u8::from(b));
    }
    fn opt(&mut self, s: &Option<String>) {
        self.flag(s.is_some());
        if let Some(s) = s {
            self.str(s);
        }
    }
}

fn invalid(what: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("spill: {what}"))
}

/// Reads fields back.
struct Decoder<'a, R: Read>(&'a mut R);

/// Largest buffer reserved ahead of reading a record of the length the spill gives.
const RESERVE_MAX: u64 = 1 << 24;

impl<R: Read> Decoder<'_, R> {
    /// The first byte of a record, or `None` at the end of the file (which may only fall
    /// between records).
    fn start(&mut self) -> io::Result<Option<u8>> {
        let mut tag = [0u8; 1];
        match self.0.read_exact(&mut tag) {
            Ok(()) => Ok(Some(tag[0])),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(e),
        }
    }
    fn u64(&mut self) -> io::Result<u64> {
        let mut n = [0u8; 8];
        self.0.read_exact(&mut n)?;
        Ok(u64::from_le_bytes(n))
    }
    fn usize(&mut self) -> io::Result<usize> {
        usize::try_from(self.u64()?).map_err(invalid)
    }
    fn bytes(&mut self) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.bytes_into(&mut bytes)?;
        Ok(bytes)
    }
    /// `bytes` into a reused buffer.
    fn bytes_into(&mut self, bytes: &mut Vec<u8>) -> io::Result<()> {
        let len = self.u64()?;
        self.len_into(len, bytes)
    }
    /// The next `len` bytes into a reused buffer.
    fn len_into(&mut self, len: u64, bytes: &mut Vec<u8>) -> io::Result<()> {
        bytes.clear();
        // Room for the whole record up front: read into an empty vector, `read_to_end` probes
        // and regrows its way up (it was 3% of a run's CPU). The reservation is capped and
        // `take` bounds the read, so a corrupt length cannot allocate more than the file holds.
        bytes.reserve(len.min(RESERVE_MAX) as usize);
        (&mut *self.0).take(len).read_to_end(bytes)?;
        if bytes.len() as u64 != len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "spill: record cut short",
            ));
        }
        Ok(())
    }
    fn string(&mut self) -> io::Result<String> {
        String::from_utf8(self.bytes()?).map_err(invalid)
    }
    /// `string` into a reused buffer (`scratch` holds the bytes while they are checked).
    fn string_into(&mut self, text: &mut String, scratch: &mut Vec<u8>) -> io::Result<()> {
        self.bytes_into(scratch)?;
        text.clear();
        text.push_str(std::str::from_utf8(scratch).map_err(invalid)?);
        Ok(())
    }
    fn flag(&mut self) -> io::Result<bool> {
        let mut b = [0u8; 1];
        self.0.read_exact(&mut b)?;
        match b[0] {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(invalid(format!("flag byte {other}"))),
        }
    }
    fn opt(&mut self) -> io::Result<Option<String>> {
        if self.flag()? {
            Ok(Some(self.string()?))
        } else {
            Ok(None)
        }
    }
}

/// Appends a prepared record (or rejection) and the input bytes it stood for, as one frame:
/// its length, then the record. The length lets the reader hand whole frames to the parallel
/// map without decoding them, so the record's strings are made and freed on one worker.
pub(super) fn encode_prepared(item: &PreparedItem, input_bytes: u64, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&[0; 8]);
    encode_prepared_record(item, input_bytes, out);
    let len = (out.len() - start - 8) as u64;
    if let Some(prefix) = out.get_mut(start..start + 8) {
        prefix.copy_from_slice(&len.to_le_bytes());
    }
}

fn encode_prepared_record(item: &PreparedItem, input_bytes: u64, out: &mut Vec<u8>) {
    let mut e = Encoder(out);
    match item {
        Ok(p) => {
            e.0.push(0);
            e.u64(input_bytes);
            let a = &p.article;
            e.str(&a.id);
            e.str(&a.source);
            e.u64(a.seq);
            e.opt(&a.url);
            e.opt(&a.site);
            e.opt(&a.title);
            e.opt(&a.date);
            e.flag(a.title_given);
            e.flag(a.date_given);
            e.u64(a.paragraphs.len() as u64);
            for para in &a.paragraphs {
                e.str(para);
            }
            e.opt(&a.lang);
            e.u64(p.meta.lines.len() as u64);
            for (para, line, reason) in &p.meta.lines {
                e.u64(*para as u64);
                e.u64(*line as u64);
                e.str(reason);
            }
            e.u64(p.notes.len() as u64);
            for note in &p.notes {
                e.str(&note.reason);
                e.str(&note.before);
                e.str(&note.after);
            }
        }
        Err(rej) => {
            e.0.push(1);
            e.u64(input_bytes);
            e.str(&rej.id);
            e.str(&rej.source);
            e.u64(rej.seq);
            e.str(&rej.reason);
            e.str(&rej.detail);
        }
    }
}

/// Reads the next frame of the prepared spill into `frame`; false at the end of the spill.
fn read_prepared_frame(reader: &mut impl Read, frame: &mut Vec<u8>) -> io::Result<bool> {
    let mut len = [0u8; 8];
    match reader.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    Decoder(reader).len_into(u64::from_le_bytes(len), frame)?;
    Ok(true)
}

/// The input bytes a frame of the prepared spill stands for, read without decoding it (they
/// follow the record's tag byte).
fn frame_input_bytes(frame: &[u8]) -> u64 {
    frame
        .get(1..9)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// Decodes one frame of the prepared spill: the record and the input bytes it stood for.
pub(super) fn decode_prepared(frame: &[u8]) -> io::Result<(PreparedItem, u64)> {
    let mut rest = frame;
    let mut d = Decoder(&mut rest);
    let Some(tag) = d.start()? else {
        return Err(invalid("empty record"));
    };
    let input_bytes = d.u64()?;
    let item = match tag {
        0 => {
            let id = d.string()?;
            let source = d.string()?;
            let seq = d.u64()?;
            let (url, site, title, date) = (d.opt()?, d.opt()?, d.opt()?, d.opt()?);
            let (title_given, date_given) = (d.flag()?, d.flag()?);
            let paragraphs = (0..d.u64()?)
                .map(|_| d.string())
                .collect::<io::Result<Vec<_>>>()?;
            let lang = d.opt()?;
            let mut meta = MetadataLines::default();
            for _ in 0..d.u64()? {
                let (para, line) = (d.usize()?, d.usize()?);
                let reason = d.string()?;
                let reason = METADATA_REASONS
                    .iter()
                    .find(|r| **r == reason)
                    .ok_or_else(|| invalid(format!("unknown metadata reason {reason:?}")))?;
                meta.lines.push((para, line, reason));
            }
            let notes = (0..d.u64()?)
                .map(|_| {
                    Ok(IngestNote {
                        reason: d.string()?,
                        before: d.string()?,
                        after: d.string()?,
                    })
                })
                .collect::<io::Result<Vec<_>>>()?;
            Ok(Prepared {
                article: Article {
                    id,
                    source,
                    seq,
                    url,
                    site,
                    title,
                    date,
                    title_given,
                    date_given,
                    paragraphs,
                    lang,
                },
                meta,
                notes,
            })
        }
        1 => Err(Rejected {
            id: d.string()?,
            source: d.string()?,
            seq: d.u64()?,
            reason: d.string()?,
            detail: d.string()?,
        }),
        other => return Err(invalid(format!("record tag {other}"))),
    };
    if !rest.is_empty() {
        return Err(invalid(format!("{} bytes after a record", rest.len())));
    }
    Ok((item, input_bytes))
}

/// Bytes per spill segment. A spill is written as a series of files (`<path>.0000`,
/// `<path>.0001`, ...) so that its reader can delete each one as soon as it has read it: the
/// pages a segment held in the page cache are freed while the run goes on writing, and are
/// the ones its next writes get, instead of the run's page cache growing with the corpus
/// (the spills of the 1 GB corpus are ~2 GB). Less scratch sits on the disk at once, too.
const SEGMENT_BYTES: u64 = 64 << 20;

/// The path of segment `index` of the spill at `base`.
fn segment_path(base: &Path, index: u32) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(format!(".{index:04}"));
    PathBuf::from(name)
}

/// Writes a spill as segments of `SEGMENT_BYTES` (a record may straddle two).
struct SegmentWriter {
    base: PathBuf,
    file: File,
    index: u32,
    in_segment: u64,
    segment_bytes: u64,
}

impl SegmentWriter {
    fn create(base: &Path, segment_bytes: u64) -> io::Result<Self> {
        Ok(SegmentWriter {
            base: base.to_path_buf(),
            file: File::create(segment_path(base, 0))?,
            index: 0,
            in_segment: 0,
            segment_bytes: segment_bytes.max(1),
        })
    }
}

impl Write for SegmentWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.in_segment >= self.segment_bytes {
            self.index += 1;
            self.file = File::create(segment_path(&self.base, self.index))?;
            self.in_segment = 0;
        }
        let room = usize::try_from(self.segment_bytes - self.in_segment).unwrap_or(usize::MAX);
        let n = self.file.write(buf.get(..room).unwrap_or(buf))?;
        self.in_segment += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Reads the segments of a spill in order, deleting each once it is read (most spills are
/// read once), or keeping them for another read.
pub(super) struct SpillReader {
    base: PathBuf,
    index: u32,
    file: Option<File>,
    keep: bool,
}

impl SpillReader {
    /// Opens the spill at `base` (its first segment must exist), to be read once.
    pub(super) fn open(base: &Path) -> io::Result<Self> {
        Ok(SpillReader {
            base: base.to_path_buf(),
            index: 0,
            file: Some(File::open(segment_path(base, 0))?),
            keep: false,
        })
    }

    /// Opens the spill at `base` to be read again later: `remove_spill` deletes it.
    pub(super) fn open_keeping(base: &Path) -> io::Result<Self> {
        Ok(SpillReader {
            keep: true,
            ..SpillReader::open(base)?
        })
    }
}

impl Read for SpillReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(file) = &mut self.file else {
                return Ok(0);
            };
            let n = file.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            // The segment is read: delete it, its cached pages with it, and go on.
            self.file = None;
            if !self.keep {
                let _ = std::fs::remove_file(segment_path(&self.base, self.index));
            }
            self.index += 1;
            match File::open(segment_path(&self.base, self.index)) {
                Ok(next) => self.file = Some(next),
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
                Err(e) => return Err(e),
            }
        }
    }
}

/// Deletes what is left of the spill at `base` (a reader deletes the segments it read; one
/// that stopped early leaves the rest).
pub(super) fn remove_spill(base: &Path) {
    let (Some(dir), Some(name)) = (base.parent(), base.file_name()) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!("{}.", name.to_string_lossy());
    for entry in entries.flatten() {
        let entry_name = entry.file_name();
        let is_segment = entry_name.to_str().is_some_and(|n| {
            n.strip_prefix(&prefix)
                .is_some_and(|index| !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()))
        });
        if is_segment {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A spill being written.
pub(super) struct SpillWriter {
    file: BufWriter<SegmentWriter>,
    path: PathBuf,
    buf: Vec<u8>,
}

impl SpillWriter {
    /// Creates (or truncates) the spill at `path`.
    pub(super) fn create(path: &Path) -> Result<Self> {
        Self::with_segment_bytes(path, SEGMENT_BYTES)
    }

    /// `create`, with segments of `segment_bytes`.
    fn with_segment_bytes(path: &Path, segment_bytes: u64) -> Result<Self> {
        let file = SegmentWriter::create(path, segment_bytes).map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(SpillWriter {
            file: BufWriter::with_capacity(1 << 20, file),
            path: path.to_path_buf(),
            buf: Vec::new(),
        })
    }

    /// Appends records already encoded.
    pub(super) fn write_encoded(&mut self, bytes: &[u8]) -> Result<()> {
        self.file.write_all(bytes).map_err(|source| Error::Write {
            path: self.path.clone(),
            source,
        })
    }

    /// Appends a fingerprint.
    pub(super) fn write_fingerprint(&mut self, fp: &Fingerprint) -> Result<()> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let mut e = Encoder(&mut buf);
        e.0.push(0);
        e.u64(fp.exact as u64);
        e.u64((fp.exact >> 64) as u64);
        e.u64(fp.body_len);
        e.u64(u64::from(fp.date));
        e.u64(u64::from(fp.shingles));
        e.bytes(&fp.minhash);
        e.u64(fp.sketch.len() as u64);
        for v in fp.sketch.iter() {
            e.0.extend_from_slice(&v.to_le_bytes());
        }
        let written = self.write_encoded(&buf);
        self.buf = buf;
        written
    }

    /// Flushes the file.
    pub(super) fn finish(mut self) -> Result<()> {
        self.file.flush().map_err(|source| Error::Write {
            path: self.path.clone(),
            source,
        })
    }
}

/// Streams the frames of the prepared spill at `path` (see `decode_prepared`) into `sink`, with
/// the input bytes each stands for, until it ends or the sink wants no more; a read error is
/// left in `error`.
pub(super) fn read_prepared(
    path: &Path,
    sink: &mut dyn FnMut(Vec<u8>, u64) -> bool,
    error: &mut Option<Error>,
) {
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = match SpillReader::open(path) {
        Ok(file) => BufReader::with_capacity(1 << 20, file),
        Err(e) => {
            *error = Some(read_error(e));
            return;
        }
    };
    loop {
        let mut frame = Vec::new();
        match read_prepared_frame(&mut reader, &mut frame) {
            Ok(true) => {
                let bytes = frame_input_bytes(&frame);
                if !sink(frame, bytes) {
                    return;
                }
            }
            Ok(false) => return,
            Err(e) => {
                *error = Some(read_error(e));
                return;
            }
        }
    }
}

/// Reads the fingerprint spill at `path` into a store, in the order written.
/// Reads the fingerprints spilled by the cleaning pass, keeping at each index the parts that
/// `select` names. The spill is left in place for the next read (the dedup reduce reads it
/// once per step); `remove_spill` deletes it.
pub(super) fn read_fingerprints(
    path: &Path,
    select: &dyn Fn(usize) -> Parts,
) -> Result<FingerprintStore> {
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = BufReader::with_capacity(
        1 << 20,
        SpillReader::open_keeping(path).map_err(read_error)?,
    );
    let mut store = FingerprintStore::new();
    let mut scratch = FingerprintScratch::default();
    while let Some(fp) = scratch.decode(&mut reader).map_err(read_error)? {
        store.push_parts(fp, select(store.len()));
    }
    Ok(store)
}

/// Reused buffers for decoding fingerprints: the reduce reads every fingerprint once per step,
/// and a fresh signature, sketch and byte buffer for each cost more than the copy into the
/// store.
#[derive(Default)]
struct FingerprintScratch {
    minhash: Vec<u8>,
    raw: Vec<u8>,
    sketch: Vec<u32>,
}

impl FingerprintScratch {
    /// The next fingerprint of `reader`, borrowing these buffers; `None` at the end.
    fn decode(&mut self, reader: &mut impl Read) -> io::Result<Option<FingerprintRef<'_>>> {
        let mut d = Decoder(reader);
        match d.start()? {
            None => return Ok(None),
            Some(0) => {}
            Some(other) => return Err(invalid(format!("record tag {other}"))),
        }
        let exact = u128::from(d.u64()?) | u128::from(d.u64()?) << 64;
        let body_len = d.u64()?;
        let date = u32::try_from(d.u64()?).map_err(invalid)?;
        let shingles = u32::try_from(d.u64()?).map_err(invalid)?;
        d.bytes_into(&mut self.minhash)?;
        let sketch_len = d.u64()?;
        d.len_into(sketch_len.saturating_mul(4), &mut self.raw)?;
        self.sketch.clear();
        self.sketch.extend(
            self.raw
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
        Ok(Some(FingerprintRef {
            exact,
            body_len,
            date,
            shingles,
            minhash: &self.minhash,
            sketch: &self.sketch,
        }))
    }
}

/// One cleaned article as stored in the output spill.
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
    #[cfg(test)]
    pub(super) fn encode(&self, out: &mut Vec<u8>) {
        Self::encode_rendered(
            &self.id,
            &self.source,
            |o| o.extend_from_slice(&self.csv_row),
            |o| o.extend_from_slice(&self.json_head),
            out,
        );
    }

    /// Appends the encoding of the record of `id` from `source` whose CSV row and JSON head
    /// `csv_row` and `json_head` render (append) straight into `out`: the article's text is
    /// not rendered into buffers of its own first and then copied.
    pub(super) fn encode_rendered(
        id: &str,
        source: &str,
        csv_row: impl FnOnce(&mut Vec<u8>),
        json_head: impl FnOnce(&mut Vec<u8>),
        out: &mut Vec<u8>,
    ) {
        let mut e = Encoder(out);
        e.0.push(0);
        e.str(id);
        e.str(source);
        e.bytes_with(csv_row);
        e.bytes_with(json_head);
    }

    /// Reads the next record into `self`, reusing its buffers; `false` at the end of the spill.
    pub(super) fn read_into(
        &mut self,
        reader: &mut impl Read,
        scratch: &mut Vec<u8>,
    ) -> io::Result<bool> {
        let mut d = Decoder(reader);
        match d.start()? {
            None => Ok(false),
            Some(0) => {
                d.string_into(&mut self.id, scratch)?;
                d.string_into(&mut self.source, scratch)?;
                d.bytes_into(&mut self.csv_row)?;
                d.bytes_into(&mut self.json_head)?;
                Ok(true)
            }
            Some(other) => Err(invalid(format!("record tag {other}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_records_round_trip_and_the_end_is_clean() {
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
        let (mut r, mut scratch) = (SpillRecord::default(), Vec::new());
        while r.read_into(&mut reader, &mut scratch).expect("reads") {
            read.push(r.clone());
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
        assert!(SpillRecord::default()
            .read_into(&mut &bytes[..], &mut Vec::new())
            .is_err());
    }

    fn fingerprint(n: u32) -> Fingerprint {
        Fingerprint {
            exact: (u128::MAX / 7).wrapping_mul(u128::from(n + 1)),
            body_len: 1000 + u64::from(n),
            date: 20240102 + n,
            shingles: 40 * n,
            minhash: (0..128).map(|i| (i as u8).wrapping_mul(n as u8)).collect(),
            // Sketches of different lengths, the empty one included.
            sketch: (0..n * 20).map(|i| i * 7 + n).collect(),
        }
    }

    /// `n` fingerprints written to a spill in a fresh folder (kept alive by the `TempDir`).
    fn spilled_fingerprints(n: u32) -> (tempfile::TempDir, PathBuf, Vec<Fingerprint>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("fingerprints.bin");
        let written: Vec<Fingerprint> = (0..n).map(fingerprint).collect();
        let mut spill = SpillWriter::create(&path).expect("creates");
        for fp in &written {
            spill.write_fingerprint(fp).expect("writes");
        }
        spill.finish().expect("flushes");
        (dir, path, written)
    }

    #[test]
    fn fingerprints_round_trip_in_order() {
        let (_dir, path, written) = spilled_fingerprints(5);
        let store = read_fingerprints(&path, &|_| Parts::ALL).expect("reads");
        assert_eq!(store.len(), written.len());
        for (fp, read) in written.iter().zip(store.iter()) {
            assert_eq!(
                (read.exact, read.body_len, read.date, read.shingles),
                (fp.exact, fp.body_len, fp.date, fp.shingles)
            );
            assert_eq!(read.minhash, &fp.minhash[..]);
            assert_eq!(read.sketch, &fp.sketch[..]);
        }
    }

    #[test]
    fn a_cut_fingerprint_is_an_error_naming_the_spill() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("fingerprints.bin");
        let mut spill = SpillWriter::create(&path).expect("creates");
        spill.write_fingerprint(&fingerprint(3)).expect("writes");
        spill.finish().expect("flushes");
        let segment = segment_path(&path, 0);
        let bytes = std::fs::read(&segment).expect("reads");
        std::fs::write(&segment, &bytes[..bytes.len() - 2]).expect("writes");
        let err = read_fingerprints(&path, &|_| Parts::ALL).expect_err("cut short");
        assert!(err.to_string().contains("fingerprints.bin"), "{err}");
    }

    #[test]
    fn prepared_records_round_trip() {
        let prepared = Prepared {
            article: Article {
                id: "x".into(),
                source: "in/x.jsonl:3".into(),
                seq: 7,
                url: Some("https://example.test/x".into()),
                site: None,
                title: Some("Title".into()),
                date: Some("2024-01-02".into()),
                title_given: true,
                date_given: false,
                paragraphs: vec!["one\ntwo".into(), "three".into()],
                lang: Some("en".into()),
            },
            meta: MetadataLines {
                lines: METADATA_REASONS
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (i, 0, *r))
                    .collect(),
            },
            notes: vec![IngestNote {
                reason: "id:duplicate_renamed".into(),
                before: "x".into(),
                after: "x~2".into(),
            }],
        };
        let rejected = Rejected {
            id: "y".into(),
            source: "in/y.jsonl:1".into(),
            seq: 8,
            reason: "json:syntax".into(),
            detail: "expected value".into(),
        };
        let items: Vec<PreparedItem> = vec![Ok(prepared), Err(rejected)];
        let mut bytes = Vec::new();
        for (i, item) in items.iter().enumerate() {
            encode_prepared(item, 100 + i as u64, &mut bytes);
        }
        let mut reader = &bytes[..];
        let mut read = Vec::new();
        let mut frame = Vec::new();
        while read_prepared_frame(&mut reader, &mut frame).expect("reads") {
            let decoded = decode_prepared(&frame).expect("decodes");
            assert_eq!(frame_input_bytes(&frame), decoded.1);
            read.push(decoded);
        }
        assert_eq!(read, vec![(items[0].clone(), 100), (items[1].clone(), 101)]);
        // A frame cut short, or with bytes after its record, is an error.
        let mut cut = &bytes[..bytes.len() - 1];
        assert!(read_prepared_frame(&mut cut, &mut frame).expect("first frame"));
        assert!(read_prepared_frame(&mut cut, &mut frame).is_err());
        let mut padded = Vec::new();
        encode_prepared_record(&items[1], 7, &mut padded);
        padded.push(0);
        assert!(decode_prepared(&padded).is_err());
    }

    /// Every reason the metadata extractor records can be stored in the prepared spill.
    #[test]
    fn metadata_reasons_are_all_known() {
        use crate::extract::metadata::{MetadataConfig, MetadataExtractor};
        let extractor = MetadataExtractor::new(&MetadataConfig::default()).expect("builds");
        let mut article = Article {
            site: Some("The Daily Example".into()),
            paragraphs: vec![
                "The Daily Example".into(),
                "Storm hits the coast".into(),
                "March 3, 2021".into(),
                "Storm hits the coast".into(),
                "The storm reached the coast on Tuesday night, officials said.".into(),
            ],
            title: Some("Storm hits the coast".into()),
            ..Article::default()
        };
        let meta = extractor.extract(&mut article);
        assert!(!meta.lines.is_empty());
        for (_, _, reason) in &meta.lines {
            assert!(METADATA_REASONS.contains(reason), "{reason}");
        }
    }

    fn segments_in(dir: &Path) -> usize {
        std::fs::read_dir(dir).expect("lists").count()
    }

    #[test]
    fn a_spill_spans_segments_and_a_once_reader_deletes_each_once_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("fingerprints.bin");
        let written: Vec<Fingerprint> = (0..40).map(fingerprint).collect();
        // Segments far smaller than a record: records straddle them.
        let mut spill = SpillWriter::with_segment_bytes(&path, 700).expect("creates");
        for fp in &written {
            spill.write_fingerprint(fp).expect("writes");
        }
        spill.finish().expect("flushes");
        let segments = segments_in(dir.path());
        assert!(segments > 10, "{segments} segments");
        // The fingerprints are read once per dedup step: each read sees them all.
        for _ in 0..2 {
            let store = read_fingerprints(&path, &|_| Parts::ALL).expect("reads");
            assert_eq!(store.len(), written.len());
            for (fp, read) in written.iter().zip(store.iter()) {
                assert_eq!((read.exact, read.shingles), (fp.exact, fp.shingles));
                assert_eq!(read.sketch, &fp.sketch[..]);
            }
            assert_eq!(segments_in(dir.path()), segments, "kept for the next read");
        }
        let mut once = SpillReader::open(&path).expect("opens");
        std::io::copy(&mut once, &mut std::io::sink()).expect("reads");
        assert_eq!(
            segments_in(dir.path()),
            0,
            "every segment deleted once read"
        );
    }

    #[test]
    fn fingerprints_are_read_with_the_parts_asked_for() {
        let (_dir, path, written) = spilled_fingerprints(6);
        let store = read_fingerprints(&path, &|i| {
            if i % 2 == 0 {
                Parts::MINHASH
            } else {
                Parts::SKETCH
            }
        })
        .expect("reads");
        for (i, (fp, read)) in written.iter().zip(store.iter()).enumerate() {
            assert_eq!((read.exact, read.date), (fp.exact, fp.date));
            if i % 2 == 0 {
                assert_eq!((read.minhash, read.sketch), (&fp.minhash[..], &[][..]));
            } else {
                assert_eq!((read.minhash, read.sketch), (&[][..], &fp.sketch[..]));
            }
        }
    }

    #[test]
    fn removing_a_spill_deletes_the_segments_a_reader_left() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("spill.bin");
        let other = dir.path().join("spill.bin.keep");
        std::fs::write(&other, b"not a segment").expect("writes");
        let mut spill = SpillWriter::with_segment_bytes(&path, 100).expect("creates");
        spill.write_encoded(&[7u8; 1000]).expect("writes");
        spill.finish().expect("flushes");
        // Read a third: the first segments go, the rest stay until removed.
        let mut reader = SpillReader::open(&path).expect("opens");
        let mut third = [0u8; 333];
        reader.read_exact(&mut third).expect("reads");
        assert!(!segment_path(&path, 0).exists());
        assert!(segment_path(&path, 9).exists());
        remove_spill(&path);
        assert!(!segment_path(&path, 4).exists() && !segment_path(&path, 9).exists());
        assert!(other.exists(), "only the spill's segments are removed");
    }
}
