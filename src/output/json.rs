//! JSON writers: `articles.jsonl` (one object per line), `articles.json` (one array) and
//! `audit.jsonl` (one event per line).

use super::staging::StagedFile;
use super::OutputArticle;
use crate::audit::AuditEvent;
use crate::error::{Error, Result};
use serde::Serialize;

fn to_json<T: Serialize>(file: &StagedFile, value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::Write {
        path: file.path().to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })
}

/// Streams objects into a JSON Lines file.
pub struct JsonLinesWriter {
    file: StagedFile,
}

impl JsonLinesWriter {
    /// Wraps a staged file.
    pub fn new(file: StagedFile) -> Self {
        JsonLinesWriter { file }
    }

    /// Writes one object and a newline.
    pub fn write<T: Serialize>(&mut self, value: &T) -> Result<()> {
        let mut bytes = to_json(&self.file, value)?;
        bytes.push(b'\n');
        self.file.write_all(&bytes)
    }

    /// Writes bytes that already are JSON lines (each ending in a newline).
    pub fn write_raw(&mut self, lines: &[u8]) -> Result<()> {
        self.file.write_all(lines)
    }

    /// Writes the object finished from `head` (see [`JsonHead::finish_bytes`]) as a line.
    pub fn write_head(&mut self, head: &[u8], count: u32) -> Result<()> {
        JsonHead::write_finished(&mut self.file, head, count, b"\n")
    }

    /// Finishes the file.
    pub fn finish(self) -> Result<()> {
        self.file.finish()
    }
}

/// An article's JSON object rendered before dedup has decided how many copies it stands for:
/// everything up to the value of `duplicate_count`, the last field. Rendering happens in the
/// parallel map; writing only appends the count.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonHead(pub Vec<u8>);

impl JsonHead {
    /// Renders `article` (its `duplicate_count` is ignored). The bytes are those of
    /// `serde_json::to_vec(article)` up to the count (a test holds the two together, field by
    /// field): written by hand because serde_json escapes a string a byte at a time, and the
    /// article text is most of what newsclean writes.
    pub fn render(article: &OutputArticle) -> Self {
        let mut out = Vec::with_capacity(Self::size_hint(article));
        Self::render_into(article, &mut out);
        JsonHead(out)
    }

    /// About the size of the head of `article`: the fields and a little room for escapes (a
    /// paragraph break is `\n\n`, four bytes for two). Growing a buffer would copy the text.
    pub fn size_hint(article: &OutputArticle) -> usize {
        let fields: usize = [&article.url, &article.site, &article.title, &article.date]
            .iter()
            .map(|f| f.as_deref().map_or(4, str::len))
            .sum();
        article.text.len()
            + article.text.len() / 16
            + article.id.len()
            + article.source.len()
            + fields
            + 256
    }

    /// Appends the head of `article` (see `render`) to `out`.
    pub fn render_into(article: &OutputArticle, out: &mut Vec<u8>) {
        let fields: [(&[u8], Option<&str>); 6] = [
            (b"{\"id\":", Some(&article.id)),
            (b",\"source\":", Some(&article.source)),
            (b",\"url\":", article.url.as_deref()),
            (b",\"site\":", article.site.as_deref()),
            (b",\"title\":", article.title.as_deref()),
            (b",\"date\":", article.date.as_deref()),
        ];
        for (name, value) in fields {
            out.extend_from_slice(name);
            push_json_value(out, value);
        }
        out.extend_from_slice(b",\"text\":");
        push_json_str(out, &article.text);
        out.extend_from_slice(b",\"word_count\":");
        out.extend_from_slice(article.word_count.to_string().as_bytes());
        out.extend_from_slice(b",\"content_hash\":");
        push_json_str(out, &article.content_hash);
        out.extend_from_slice(b",\"lang\":");
        push_json_value(out, article.lang.as_deref());
        out.extend_from_slice(b",\"duplicate_count\":");
    }

    /// Appends the complete object, from head bytes held anywhere (a spill record's buffer),
    /// with `duplicate_count` set to `count`.
    pub fn finish_bytes(head: &[u8], count: u32, out: &mut Vec<u8>) {
        out.extend_from_slice(head);
        Self::push_tail(count, out);
    }

    /// What follows the head: the count and the closing brace.
    fn push_tail(count: u32, out: &mut Vec<u8>) {
        let (tail, len) = Self::tail(count, b"");
        out.extend_from_slice(tail.get(..len).unwrap_or_default());
    }

    /// The count, the closing brace and `end` (at most one byte), in a buffer and its length.
    fn tail(count: u32, end: &[u8]) -> ([u8; 12], usize) {
        let mut out = [0u8; 12];
        // u32::MAX has ten digits.
        let digits = count.checked_ilog10().unwrap_or(0) as usize + 1;
        let mut n = count;
        for at in (0..digits).rev() {
            out[at] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        out[digits] = b'}';
        let mut len = digits + 1;
        if let Some(&b) = end.first() {
            out[len] = b;
            len += 1;
        }
        (out, len)
    }

    /// Writes the complete object to `file` as `finish_bytes` renders it, then `end` (a newline
    /// or nothing); the head goes straight into the file's buffer, not through a copy of the
    /// whole object.
    fn write_finished(file: &mut StagedFile, head: &[u8], count: u32, end: &[u8]) -> Result<()> {
        let (tail, len) = Self::tail(count, end);
        file.write_all(head)?;
        file.write_all(tail.get(..len).unwrap_or_default())
    }
}

/// Appends `value` as a JSON string, or `null`.
fn push_json_value(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(s) => push_json_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Longest string `push_json_str` checks byte by byte instead of by blocks.
const SHORT_STR: usize = 24;

/// Appends `s` as a JSON string escaped as serde_json escapes it: `"` and `\` with a backslash;
/// backspace, tab, newline, form feed and carriage return by name; other controls below 0x20
/// as `\u00xx`; everything else, non-ASCII included, as it is. The bytes to escape are found
/// 64 at a time, and the runs between them copied whole.
pub fn push_json_str(out: &mut Vec<u8>, s: &str) {
    use crate::swar::{block_at, Block64, ByteClasses};
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Short plain strings (ids, dates, reason codes, stage names: most fields but the text)
    // are checked byte by byte: padding them to a 64-byte block cost more than the check.
    if bytes.len() <= SHORT_STR && bytes.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut plain_from = 0;
    let mut i = 0;
    // 64 bytes a step: the bytes to escape come as one mask, and the runs between them are
    // copied whole. The last bytes are padded with a byte that needs no escape.
    while i < bytes.len() {
        let block = block_at(bytes, i).unwrap_or_else(|| {
            let mut padded = [b'a'; 64];
            let tail = bytes.get(i..).unwrap_or_default();
            padded[..tail.len()].copy_from_slice(tail);
            Block64::load(&padded)
        });
        let mut escapes = block.in_range(0x00, 0x1F) | block.eq(b'"') | block.eq(b'\\');
        while escapes != 0 {
            let at = i + escapes.trailing_zeros() as usize;
            escapes &= escapes - 1;
            out.extend_from_slice(&bytes[plain_from..at]);
            push_escape(out, bytes[at]);
            plain_from = at + 1;
        }
        i += 64;
    }
    out.extend_from_slice(&bytes[plain_from..]);
    out.push(b'"');
}

/// Appends the JSON escape of `b`, a byte below 0x20, `"` or `\`: by name where JSON has one
/// (as serde_json writes them), else `\u00xx`.
fn push_escape(out: &mut Vec<u8>, b: u8) {
    let named: &[u8] = match b {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        0x08 => b"\\b",
        b'\t' => b"\\t",
        b'\n' => b"\\n",
        0x0C => b"\\f",
        b'\r' => b"\\r",
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xF)]);
            return;
        }
    };
    out.extend_from_slice(named);
}

/// Streams objects into one JSON array, one element per line.
pub struct JsonArrayWriter {
    file: StagedFile,
    count: usize,
}

impl JsonArrayWriter {
    /// Starts the array.
    pub fn new(mut file: StagedFile) -> Result<Self> {
        file.write_all(b"[")?;
        Ok(JsonArrayWriter { file, count: 0 })
    }

    /// Writes one element.
    pub fn write(&mut self, article: &OutputArticle) -> Result<()> {
        let bytes = to_json(&self.file, article)?;
        self.file
            .write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
        self.file.write_all(&bytes)?;
        self.count += 1;
        Ok(())
    }

    /// Writes one element that is already JSON.
    pub fn write_raw(&mut self, element: &[u8]) -> Result<()> {
        self.file
            .write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
        self.file.write_all(element)?;
        self.count += 1;
        Ok(())
    }

    /// Writes the element finished from `head` (see [`JsonHead::finish_bytes`]).
    pub fn write_head(&mut self, head: &[u8], count: u32) -> Result<()> {
        self.file
            .write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
        JsonHead::write_finished(&mut self.file, head, count, b"")?;
        self.count += 1;
        Ok(())
    }

    /// Closes the array and finishes the file.
    pub fn finish(mut self) -> Result<()> {
        self.file
            .write_all(if self.count == 0 { b"]\n" } else { b"\n]\n" })?;
        self.file.finish()
    }
}

/// The start of every audit line of the article `id` from `source`: its two fields, escaped
/// once for all of the article's events.
pub fn push_audit_prefix(out: &mut Vec<u8>, id: &str, source: &str) {
    out.extend_from_slice(b"{\"id\":");
    push_json_str(out, id);
    out.extend_from_slice(b",\"source\":");
    push_json_str(out, source);
}

/// Appends the line of `audit.jsonl` for `event`, after `prefix` (from `push_audit_prefix`):
/// the JSON of `AuditRecord` (a test holds the two together), written by hand like the article
/// objects because serde serializes the record's flattened event through its slower map path.
pub fn push_audit_event(out: &mut Vec<u8>, prefix: &[u8], event: &AuditEvent) {
    out.extend_from_slice(prefix);
    let fields: [(&[u8], &str); 4] = [
        (b",\"stage\":", &event.stage),
        (b",\"kind\":", event.kind.as_str()),
        (b",\"before\":", &event.before),
        (b",\"after\":", &event.after),
    ];
    for (name, value) in fields {
        out.extend_from_slice(name);
        push_json_str(out, value);
    }
    out.extend_from_slice(b",\"reason\":");
    push_json_str(out, &event.reason);
    if let Some(score) = event.score {
        out.extend_from_slice(b",\"score\":");
        // Numbers as serde_json writes them (shortest round-trip form, `null` when not finite).
        let _ = serde_json::to_writer(&mut *out, &score);
    }
    out.extend_from_slice(b"}\n");
}

/// One line of `audit.jsonl` as read back: an event with the article it belongs to.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct AuditRecord {
    /// Article id.
    pub id: String,
    /// Article source.
    pub source: String,
    /// The event.
    #[serde(flatten)]
    pub event: AuditEvent,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_lines_are_the_records_json() {
        for score in [
            None,
            Some(0.875),
            Some(1.0),
            Some(0.1 + 0.2),
            Some(f64::NAN),
        ] {
            let event = AuditEvent {
                stage: "correct".into(),
                kind: crate::audit::EventKind::Edit,
                before: "teh \"quoted\"\n".into(),
                after: "the".into(),
                reason: "typo:edit1".into(),
                score,
            };
            let record = AuditRecord {
                id: "a/b.jsonl:3".into(),
                source: "in/b.jsonl:3".into(),
                event: event.clone(),
            };
            let mut line = Vec::new();
            let mut prefix = Vec::new();
            push_audit_prefix(&mut prefix, "a/b.jsonl:3", "in/b.jsonl:3");
            push_audit_event(&mut line, &prefix, &event);
            let mut expected = serde_json::to_vec(&record).expect("serializes");
            expected.push(b'\n');
            assert_eq!(
                String::from_utf8_lossy(&line),
                String::from_utf8_lossy(&expected)
            );
        }
    }

    #[test]
    fn head_with_count_is_the_whole_object() {
        let article = OutputArticle {
            id: "a\"1".into(),
            source: "s".into(),
            url: None,
            site: Some("Site".into()),
            title: Some("T".into()),
            date: None,
            text: "line\nline".into(),
            word_count: 2,
            content_hash: "00".into(),
            lang: Some("en".into()),
            duplicate_count: 7,
        };
        let head = JsonHead::render(&article);
        for count in [0, 7, 9, 10, 1234, u32::MAX] {
            let mut out = Vec::new();
            JsonHead::finish_bytes(&head.0, count, &mut out);
            let expected = serde_json::to_vec(&OutputArticle {
                duplicate_count: count,
                ..article.clone()
            })
            .expect("serializes");
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&expected)
            );
        }
    }

    #[test]
    fn writers_write_heads_as_whole_objects() {
        let article = |n: u32| OutputArticle {
            id: format!("a{n}"),
            source: "s".into(),
            url: None,
            site: None,
            title: None,
            date: None,
            text: "body".into(),
            word_count: 1,
            content_hash: "00".into(),
            lang: None,
            duplicate_count: n,
        };
        let counts = [0, 10, u32::MAX];
        let dir = tempfile::tempdir().expect("temp dir");
        let mut staging = super::super::Staging::create(dir.path()).expect("staging");
        let mut lines = JsonLinesWriter::new(staging.create_file("a.jsonl").expect("file"));
        let mut array =
            JsonArrayWriter::new(staging.create_file("a.json").expect("file")).expect("array");
        for &n in &counts {
            let head = JsonHead::render(&article(n));
            lines.write_head(&head.0, n).expect("line");
            array.write_head(&head.0, n).expect("element");
        }
        lines.finish().expect("finish");
        array.finish().expect("finish");
        staging.commit().expect("commit");
        let objects: Vec<OutputArticle> = counts.iter().map(|&n| article(n)).collect();
        let mut expected_lines = Vec::new();
        for a in &objects {
            expected_lines.extend(serde_object(a));
            expected_lines.push(b'\n');
        }
        let read = |name: &str| std::fs::read(dir.path().join(name)).expect("read");
        assert_eq!(
            String::from_utf8_lossy(&read("a.jsonl")),
            String::from_utf8_lossy(&expected_lines)
        );
        let parsed: Vec<OutputArticle> =
            serde_json::from_slice(&read("a.json")).expect("a JSON array");
        assert_eq!(parsed, objects);
    }

    fn serde_object(article: &OutputArticle) -> Vec<u8> {
        serde_json::to_vec(article).expect("serializes")
    }

    fn rendered_object(article: &OutputArticle) -> Vec<u8> {
        let mut out = Vec::new();
        JsonHead::finish_bytes(
            &JsonHead::render(article).0,
            article.duplicate_count,
            &mut out,
        );
        out
    }

    proptest::proptest! {
        #[test]
        fn any_string_escapes_like_serde(
            text in "([a-z ,.]{0,40}|[\u{0}-\u{1f}\"\\\\]|é|\u{2028}|\\PC){0,40}"
        ) {
            let mut mine = Vec::new();
            push_json_str(&mut mine, &text);
            let serdes = serde_json::to_vec(&text).expect("serializes");
            proptest::prop_assert_eq!(
                String::from_utf8_lossy(&mine),
                String::from_utf8_lossy(&serdes)
            );
        }
    }

    #[test]
    fn strings_escape_like_serde_at_every_position() {
        let specials: Vec<char> = (0u8..0x20)
            .map(char::from)
            .chain(['"', '\\', '\u{7f}', '/', 'é', '\u{2028}', '“'])
            .collect();
        // Long enough for whole 64-byte blocks, with the special character in the first block,
        // on its edges, in the second and in the tail read eight bytes or one at a time.
        let plain = "plain text, no escapes; ".repeat(8);
        for special in specials {
            for at in (0..18).chain([62, 63, 64, 65, 100, 127, 128, 129, 150, 180]) {
                let mut text: String = plain.chars().take(at).collect();
                text.push(special);
                text.push_str("and more plain text after it");
                if at % 2 == 1 {
                    // A second one in the same block.
                    text.push(special);
                }
                let mut mine = Vec::new();
                push_json_str(&mut mine, &text);
                let serdes = serde_json::to_vec(&text).expect("serializes");
                assert_eq!(
                    String::from_utf8_lossy(&mine),
                    String::from_utf8_lossy(&serdes),
                    "{special:?} at {at}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn rendering_by_hand_is_serdes_json(
            id in "\\PC{0,12}",
            text in "(\\PC|[\"\\\\\u{0}-\u{1f}\u{7f}\u{2028}\u{2029}/é“])*",
            title in proptest::option::of("[a-z\"\\\\\t\n\u{1}]{0,20}"),
            url in proptest::option::of("https://[a-z./?&=]{0,20}"),
            words in 0usize..100_000,
            count in 0u32..5,
        ) {
            let article = OutputArticle {
                id,
                source: "in/x.jsonl:1".into(),
                url,
                site: None,
                title,
                date: Some("2024-01-02".into()),
                text,
                word_count: words,
                content_hash: "0f".repeat(16),
                lang: None,
                duplicate_count: count,
            };
            let (mine, serdes) = (rendered_object(&article), serde_object(&article));
            proptest::prop_assert_eq!(
                String::from_utf8_lossy(&mine),
                String::from_utf8_lossy(&serdes)
            );
        }
    }
}
