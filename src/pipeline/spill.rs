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
use crate::correct::KnownWords;
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
            let (bits, paragraphs) = p.known.parts();
            e.u64(bits.len() as u64);
            for word in bits {
                e.u64(*word);
            }
            e.u64(paragraphs.len() as u64);
            for para in paragraphs {
                // A paragraph without marks as u64::MAX.
                e.u64(para.map_or(u64::MAX, |(first, chunks)| {
                    u64::from(first) << 32 | u64::from(chunks)
                }));
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
            let bits = (0..d.u64()?)
                .map(|_| d.u64())
                .collect::<io::Result<Vec<_>>>()?;
            let marks = (0..d.u64()?)
                .map(|_| {
                    let n = d.u64()?;
                    Ok((n != u64::MAX).then_some(((n >> 32) as u32, n as u32)))
                })
                .collect::<io::Result<Vec<_>>>()?;
            let known = KnownWords::from_parts(bits, marks)
                .ok_or_else(|| invalid("known-word marks past their bits"))?;
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
                known,
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
    /// Deletions of read segments still running (see `delete_segment`); joined on drop.
    deleting: Vec<std::thread::JoinHandle<()>>,
}

impl SpillReader {
    /// Opens the spill at `base` (its first segment must exist), to be read once.
    pub(super) fn open(base: &Path) -> io::Result<Self> {
        Ok(SpillReader {
            base: base.to_path_buf(),
            index: 0,
            file: Some(File::open(segment_path(base, 0))?),
            keep: false,
            deleting: Vec::new(),
        })
    }

    /// Opens the spill at `base` to be read again later: `remove_spill` deletes it.
    pub(super) fn open_keeping(base: &Path) -> io::Result<Self> {
        let mut reader = SpillReader::open(base)?;
        reader.keep = true;
        Ok(reader)
    }

    /// Deletes a read segment on a thread of its own: freeing its 64 MB of cached pages took
    /// the reader ~3 ms per segment, and the write pass's reader is its critical path (the
    /// writers wait for its next batch). Inline when no thread can be started.
    fn delete_segment(&mut self, path: PathBuf) {
        let thread = std::thread::Builder::new().name("newsclean-unlink".into());
        let deleting = path.clone();
        match thread.spawn(move || {
            let _ = std::fs::remove_file(deleting);
        }) {
            Ok(handle) => self.deleting.push(handle),
            Err(_) => {
                let _ = std::fs::remove_file(path);
            }
        }
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
                self.delete_segment(segment_path(&self.base, self.index));
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

impl Drop for SpillReader {
    /// Waits for the segments being deleted: once the reader is gone, so are they (the staging
    /// area is removed after, and `remove_spill` may list the folder).
    fn drop(&mut self) {
        for handle in self.deleting.drain(..) {
            let _ = handle.join();
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
    /// Bytes written so far.
    written: u64,
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
            written: 0,
        })
    }

    /// Appends records already encoded.
    pub(super) fn write_encoded(&mut self, bytes: &[u8]) -> Result<()> {
        self.written += bytes.len() as u64;
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

    /// Flushes the file; the number of bytes the spill holds.
    pub(super) fn finish(mut self) -> Result<u64> {
        self.file.flush().map_err(|source| Error::Write {
            path: self.path.clone(),
            source,
        })?;
        Ok(self.written)
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
    let mut store = FingerprintStore::new();
    visit_fingerprints(path, &mut |fp| {
        let parts = select(store.len());
        store.push_parts(fp, parts);
    })?;
    Ok(store)
}

/// Hands every fingerprint of the spill at `path` to `visit`, in order, each borrowed only for
/// the call (the spill is kept for further reads).
pub(super) fn visit_fingerprints(
    path: &Path,
    visit: &mut dyn FnMut(FingerprintRef<'_>),
) -> Result<()> {
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = BufReader::with_capacity(
        1 << 20,
        SpillReader::open_keeping(path).map_err(read_error)?,
    );
    let mut scratch = FingerprintScratch::default();
    while let Some(fp) = scratch.decode(&mut reader).map_err(read_error)? {
        visit(fp);
    }
    Ok(())
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

/// Appends the output spill's record of one cleaned article (see `OutputRecord`): its `id`
/// and `source`, then the CSV row and JSON head that `csv_row` and `json_head` render (append)
/// straight into `out`, so the article's text is not rendered into buffers of its own first
/// and then copied.
pub(super) fn encode_output_record(
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

/// The output records of the spill, read a block at a time. A record's fields are slices of
/// its block: the write pass copies an article's text once, into the files, where decoding
/// each field into buffers of its own first was most of its reader's time (the reader is the
/// write pass's critical path: the writers wait for its next batch).
pub(super) struct OutputBlockReader {
    reader: SpillReader,
    /// The bytes read past the last whole record of the previous block.
    carry: Vec<u8>,
    /// Whether the spill has been read to its end.
    at_end: bool,
}

/// Whole output records read from the spill, and where each field of each lies.
#[derive(Debug, Default)]
pub(super) struct OutputBlock {
    /// The block's buffer, all of it initialized: records are read into it in place and it is
    /// reused from block to block. (`read_to_end` into a cleared vector zeroed the room before
    /// each read, the reader's own type having no `read_buf`: 4 MB of memset per block.)
    bytes: Vec<u8>,
    /// How much of `bytes` holds whole records.
    filled: usize,
    /// Per record, the start and end of its id, source, CSV row and JSON head in `bytes`.
    fields: Vec<[(usize, usize); 4]>,
}

/// One output record, borrowed from its block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct OutputRecord<'a> {
    /// The article id.
    pub(super) id: &'a str,
    /// The article source.
    pub(super) source: &'a str,
    /// Its `articles.csv` row, CRLF-terminated (empty when CSV is not written).
    pub(super) csv_row: &'a [u8],
    /// Its JSON object up to the `duplicate_count` value (empty when no JSON is written).
    pub(super) json_head: &'a [u8],
}

impl OutputBlock {
    /// The records of the block, in spill order.
    pub(super) fn records(&self) -> impl Iterator<Item = OutputRecord<'_>> {
        let bytes = self.bytes.get(..self.filled).unwrap_or_default();
        self.fields
            .iter()
            .map(move |[id, source, csv_row, json_head]| {
                let field = |(start, end): (usize, usize)| bytes.get(start..end).unwrap_or(&[]);
                // The id and source were checked to be UTF-8 when the block was read.
                let text = |span| std::str::from_utf8(field(span)).unwrap_or_default();
                OutputRecord {
                    id: text(*id),
                    source: text(*source),
                    csv_row: field(*csv_row),
                    json_head: field(*json_head),
                }
            })
    }
}

impl OutputBlockReader {
    /// Opens the output spill at `base`; its segments are deleted as they are read.
    pub(super) fn open(base: &Path) -> io::Result<Self> {
        Ok(OutputBlockReader {
            reader: SpillReader::open(base)?,
            carry: Vec::new(),
            at_end: false,
        })
    }

    /// Fills `block` (reusing its buffers) with the next whole records, reading about
    /// `block_bytes` of the spill (more for a record longer than that); the number of records,
    /// 0 at the end of the spill.
    pub(super) fn fill(
        &mut self,
        block: &mut OutputBlock,
        block_bytes: usize,
    ) -> io::Result<usize> {
        block.fields.clear();
        let mut filled = self.carry.len();
        if block.bytes.len() < filled {
            block.bytes.resize(filled, 0);
        }
        block.bytes[..filled].copy_from_slice(&self.carry);
        self.carry.clear();
        let mut want = block_bytes.max(1);
        loop {
            // Grown (zeroed) only when a block needs more room than any before it.
            if block.bytes.len() < want {
                block.bytes.resize(want, 0);
            }
            while !self.at_end && filled < want {
                let room = block.bytes.get_mut(filled..want).unwrap_or_default();
                match self.reader.read(room) {
                    Ok(0) => self.at_end = true,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            let read = block.bytes.get(..filled).unwrap_or_default();
            let parsed = parse_output_records(read, &mut block.fields)?;
            if !block.fields.is_empty() || self.at_end {
                if self.at_end && parsed < filled {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "spill: record cut short",
                    ));
                }
                self.carry
                    .extend_from_slice(read.get(parsed..).unwrap_or_default());
                block.filled = parsed;
                return Ok(block.fields.len());
            }
            // Not one whole record yet: it is longer than the block.
            want = want.saturating_mul(2);
        }
    }
}

/// Appends the field spans of the whole records at the start of `bytes` to `fields`; returns
/// where the first incomplete one (or the end) is.
fn parse_output_records(bytes: &[u8], fields: &mut Vec<[(usize, usize); 4]>) -> io::Result<usize> {
    let mut at = 0;
    'records: while let Some(&tag) = bytes.get(at) {
        if tag != 0 {
            return Err(invalid(format!("record tag {tag}")));
        }
        let mut spans = [(0, 0); 4];
        let mut pos = at + 1;
        for span in &mut spans {
            let Some(len) = bytes
                .get(pos..pos + 8)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map(u64::from_le_bytes)
            else {
                break 'records;
            };
            let start = pos + 8;
            let Some(end) = usize::try_from(len).ok().and_then(|n| start.checked_add(n)) else {
                return Err(invalid(format!("field of {len} bytes")));
            };
            if end > bytes.len() {
                break 'records;
            }
            *span = (start, end);
            pos = end;
        }
        for (start, end) in &spans[..2] {
            std::str::from_utf8(&bytes[*start..*end]).map_err(invalid)?;
        }
        fields.push(spans);
        at = pos;
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output record of its own, to write and compare.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct SpillRecord {
        id: String,
        source: String,
        csv_row: Vec<u8>,
        json_head: Vec<u8>,
    }

    impl SpillRecord {
        fn encode(&self, out: &mut Vec<u8>) {
            encode_output_record(
                &self.id,
                &self.source,
                |o| o.extend_from_slice(&self.csv_row),
                |o| o.extend_from_slice(&self.json_head),
                out,
            );
        }
    }

    /// `records` written to a fresh spill of `segment_bytes` segments, then read back a block
    /// of `block_bytes` at a time.
    fn through_spill(
        records: &[SpillRecord],
        segment_bytes: u64,
        block_bytes: usize,
        cut: usize,
    ) -> io::Result<Vec<SpillRecord>> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("spill.bin");
        let mut bytes = Vec::new();
        for r in records {
            r.encode(&mut bytes);
        }
        bytes.truncate(bytes.len() - cut);
        let mut spill = SpillWriter::with_segment_bytes(&path, segment_bytes).expect("creates");
        spill.write_encoded(&bytes).expect("writes");
        spill.finish().expect("flushes");
        let mut reader = OutputBlockReader::open(&path).expect("opens");
        let mut block = OutputBlock::default();
        let mut read = Vec::new();
        while reader.fill(&mut block, block_bytes)? > 0 {
            read.extend(block.records().map(|r| SpillRecord {
                id: r.id.to_string(),
                source: r.source.to_string(),
                csv_row: r.csv_row.to_vec(),
                json_head: r.json_head.to_vec(),
            }));
        }
        drop(reader);
        assert_eq!(
            segments_in(dir.path()),
            0,
            "every segment deleted once read"
        );
        Ok(read)
    }

    fn assorted_records(n: usize) -> Vec<SpillRecord> {
        (0..n)
            .map(|i| SpillRecord {
                id: format!("id-{i}"),
                source: format!("in/ü{i}.jsonl:{i}"),
                csv_row: vec![b'a' + (i % 26) as u8; (i * 37) % 500],
                json_head: (0..(i * 53) % 900).map(|k| (k * i) as u8).collect(),
            })
            .collect()
    }

    #[test]
    fn output_records_round_trip_across_blocks_and_segments() {
        let records = assorted_records(60);
        // Blocks of one byte and of 100 hold less than a record; 1000 a few; 1 MB all of them.
        for block_bytes in [1, 100, 1000, 1 << 20] {
            for segment_bytes in [300, 64 << 20] {
                let read = through_spill(&records, segment_bytes, block_bytes, 0).expect("reads");
                assert_eq!(
                    read, records,
                    "blocks of {block_bytes}, segments of {segment_bytes}"
                );
            }
        }
        assert_eq!(through_spill(&[], 300, 100, 0).expect("reads"), []);
        let empty = vec![SpillRecord::default(); 3];
        assert_eq!(through_spill(&empty, 5, 1, 0).expect("reads"), empty);
    }

    #[test]
    fn a_cut_record_or_a_wrong_tag_is_an_error() {
        let records = assorted_records(5);
        for cut in [1, 10, 100] {
            let read = through_spill(&records, 300, 64, cut);
            assert_eq!(
                read.map_err(|e| e.kind()),
                Err(io::ErrorKind::UnexpectedEof)
            );
        }
        let mut fields = Vec::new();
        let mut bytes = Vec::new();
        records[1].encode(&mut bytes);
        bytes[0] = 3;
        assert!(parse_output_records(&bytes, &mut fields).is_err());
        let mut bytes = Vec::new();
        SpillRecord {
            id: "\u{e9}".into(),
            ..SpillRecord::default()
        }
        .encode(&mut bytes);
        bytes[9] = 0xff;
        assert!(
            parse_output_records(&bytes, &mut fields).is_err(),
            "an id that is not UTF-8"
        );
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
            known: KnownWords::from_parts(vec![0b101, 1 << 63], vec![Some((0, 3)), None])
                .expect("marks fit"),
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
        // The reader deletes read segments on threads of its own, and waits for them on drop.
        drop(once);
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
        drop(reader);
        assert!(!segment_path(&path, 0).exists());
        assert!(segment_path(&path, 9).exists());
        remove_spill(&path);
        assert!(!segment_path(&path, 4).exists() && !segment_path(&path, 9).exists());
        assert!(other.exists(), "only the spill's segments are removed");
    }
}
