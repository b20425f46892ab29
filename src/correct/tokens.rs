//! Splits a paragraph into whitespace-separated chunks and finds, in each, the core between
//! leading punctuation (quotes, brackets) and trailing punctuation (stops, commas, quotes), with
//! the context the guards need: does the chunk start a sentence, does it open a quote, is it
//! inside a short quotation (a title). Works on `&str` slices with byte offsets; allocates only
//! the chunk list. It makes no decision about correcting anything.

use crate::swar::{ascii_block_at, bits_between, ByteClasses, HIGH_BITS, ONES};

/// One whitespace-separated piece of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    /// Byte offset of the chunk in the paragraph.
    pub start: usize,
    /// Byte offset just past the chunk.
    pub end: usize,
    /// Byte offset of the core (after leading punctuation).
    pub core_start: usize,
    /// Byte offset just past the core (before trailing punctuation).
    pub core_end: usize,
    /// First chunk of a paragraph or line, or after a sentence end.
    pub sentence_start: bool,
    /// The leading punctuation opens a quotation or bracket.
    pub opens_quote: bool,
    /// Inside a short quotation (likely a title or a quoted term).
    pub quoted_title: bool,
}

impl Chunk {
    /// The core text of the chunk.
    pub fn core<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.core_start..self.core_end).unwrap_or("")
    }

    /// The leading punctuation.
    pub fn lead<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.core_start).unwrap_or("")
    }

    /// The trailing punctuation.
    pub fn trail<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.core_end..self.end).unwrap_or("")
    }
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '“' | '"' | '‘' | '\'' | '(' | '[' | '«' | '„' | '‚' | '¿' | '¡'
    )
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '”' | '"' | '’' | '\'' | ')' | ']' | '»' | '.' | ',' | ';' | ':' | '!' | '?' | '…'
    )
}

fn is_quote(c: char) -> bool {
    matches!(c, '“' | '"' | '‘' | '«' | '„')
}

fn is_closing_quote(c: char) -> bool {
    matches!(c, '”' | '"' | '’' | '»')
}

/// Abbreviations whose final dot does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gov", "sen", "rep", "gen", "lt", "col", "capt", "prof", "jr",
    "sr", "vs", "no", "inc", "co", "corp", "ltd", "sgt", "rev", "ft", "mt", "jan", "feb", "aug",
    "sept", "sep", "oct", "nov", "dec", "e.g", "i.e", "u.s", "u.k", "approx", "dept", "fig",
];

fn ends_sentence(core: &str, trail: &str) -> bool {
    let Some(stop) = trail.chars().find(|c| matches!(c, '.' | '!' | '?' | '…')) else {
        return false;
    };
    if stop != '.' {
        return true;
    }
    // Initials ("J.") and abbreviations ("Mr.") do not end sentences.
    let initial = core.chars().count() == 1 && core.chars().all(char::is_uppercase);
    !(initial || is_abbreviation(core))
}

/// Longest entry of `ABBREVIATIONS`, in bytes.
const ABBREVIATION_MAX_LEN: usize = 6;

fn is_abbreviation(core: &str) -> bool {
    core.len() <= ABBREVIATION_MAX_LEN && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(core))
}

/// `ends_sentence` for an ASCII chunk: the same answer from bytes.
fn ends_sentence_ascii(core: &[u8], trail: &[u8]) -> bool {
    let Some(&stop) = trail.iter().find(|b| matches!(b, b'.' | b'!' | b'?')) else {
        return false;
    };
    if stop != b'.' {
        return true;
    }
    let initial = core.len() == 1 && core[0].is_ascii_uppercase();
    !(initial || is_abbreviation_ascii(core))
}

/// `is_abbreviation` for bytes: the core lowercased on the stack, then one `match` (the same
/// list as `ABBREVIATIONS`, which a test checks).
fn is_abbreviation_ascii(core: &[u8]) -> bool {
    let mut buf = [0u8; ABBREVIATION_MAX_LEN];
    let Some(lower) = buf.get_mut(..core.len()) else {
        return false;
    };
    for (l, c) in lower.iter_mut().zip(core) {
        *l = c.to_ascii_lowercase();
    }
    matches!(
        &*lower,
        b"mr"
            | b"mrs"
            | b"ms"
            | b"dr"
            | b"st"
            | b"gov"
            | b"sen"
            | b"rep"
            | b"gen"
            | b"lt"
            | b"col"
            | b"capt"
            | b"prof"
            | b"jr"
            | b"sr"
            | b"vs"
            | b"no"
            | b"inc"
            | b"co"
            | b"corp"
            | b"ltd"
            | b"sgt"
            | b"rev"
            | b"ft"
            | b"mt"
            | b"jan"
            | b"feb"
            | b"aug"
            | b"sept"
            | b"sep"
            | b"oct"
            | b"nov"
            | b"dec"
            | b"e.g"
            | b"i.e"
            | b"u.s"
            | b"u.k"
            | b"approx"
            | b"dept"
            | b"fig"
    )
}

/// Byte classes of ASCII punctuation around a chunk's core: bit 0 opening, bit 1 closing.
const BYTE_CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let opening = b"\"'([";
    let closing = b"\"')].,;:!?";
    let mut i = 0;
    while i < opening.len() {
        class[opening[i] as usize] |= 1;
        i += 1;
    }
    let mut i = 0;
    while i < closing.len() {
        class[closing[i] as usize] |= 2;
        i += 1;
    }
    class
};

#[inline]
fn is_opening_byte(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & 1 != 0
}

#[inline]
fn is_closing_byte(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & 2 != 0
}

/// Whether `text` has an ASCII digit, eight bytes at a time: `x ^ b'0'` maps the digits, and
/// only them, to bytes below 10 (the exact "has a byte below n" test).
pub fn has_ascii_digit(text: &[u8]) -> bool {
    let mut words = text.chunks_exact(8);
    for word in &mut words {
        if let &[a, b, c, d, e, f, g, h] = word {
            let z = u64::from_le_bytes([a, b, c, d, e, f, g, h]) ^ (ONES * u64::from(b'0'));
            if z.wrapping_sub(ONES * 10) & !z & HIGH_BITS != 0 {
                return true;
            }
        }
    }
    words.remainder().iter().any(u8::is_ascii_digit)
}

/// The first byte at or after `pos` that may end a chunk: below `!` (whitespace or a control
/// character) or not ASCII. Scans eight bytes at a time: `x - 0x21` per byte borrows into the
/// byte's top bit exactly when the byte is below 0x21, and bytes above the first such byte
/// (which may see a borrow) do not matter.
#[inline]
fn next_stop(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(word) = bytes.get(pos..pos + 8) {
        let Ok(word) = <[u8; 8]>::try_from(word) else {
            break;
        };
        let x = u64::from_le_bytes(word);
        let stops = (x.wrapping_sub(ONES * 0x21) | x) & HIGH_BITS;
        if stops != 0 {
            return pos + (stops.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    while let Some(&b) = bytes.get(pos) {
        if !(0x21..0x80).contains(&b) {
            return pos;
        }
        pos += 1;
    }
    pos
}

/// The length of the whitespace character at byte `pos` of `text`, if one is there: ASCII
/// whitespace is told by its byte, only other characters are decoded.
#[inline]
fn space_at(text: &str, pos: usize) -> Option<usize> {
    match *text.as_bytes().get(pos)? {
        b if b <= b' ' => b.is_ascii_whitespace().then_some(1),
        b if b >= 0x80 => unicode_space_at(text, pos),
        _ => None,
    }
}

/// The whitespace character (not ASCII) at byte `i` of `text`, as its length in bytes.
fn unicode_space_at(text: &str, i: usize) -> Option<usize> {
    let c = text.get(i..)?.chars().next()?;
    c.is_whitespace().then(|| c.len_utf8())
}

/// Splits `text` into chunks with their context. Quotations of at most `title_max_words`
/// chunks are marked `quoted_title`.
pub fn chunks(text: &str, title_max_words: usize) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::with_capacity(text.len() / 5 + 1);
    push_chunks(text, title_max_words, &mut out);
    out
}

/// Appends the chunks of `text` to `out` (offsets relative to `text`), as `chunks` returns
/// them; lets a caller keep one buffer for many paragraphs.
///
/// Text is read 64 ASCII bytes at a time where it can, as `for_each_core` does: the chunks
/// that end inside a block come from its whitespace mask, and a newline in the whitespace
/// before a chunk (which starts a sentence) from its newline mask. The byte path reads the
/// rest: blocks with other characters, chunks a block cut, the last bytes. (The byte path
/// alone was 6% of a run's instructions.)
pub fn push_chunks(text: &str, title_max_words: usize, out: &mut Vec<Chunk>) {
    let first = out.len();
    let bytes = text.as_bytes();
    let mut sentence_start = true;
    // Whether some chunk's lead may open a quotation; without one no title is marked.
    let mut quotes = false;
    let mut pos = 0;
    while pos < bytes.len() {
        if let Some(block) = ascii_block_at(bytes, pos) {
            // `u8::is_ascii_whitespace`: tab, LF, FF, CR and space (not VT).
            let spaces =
                block.in_range(b'\t', b'\n') | block.in_range(0x0C, b'\r') | block.eq(b' ');
            let newlines = block.eq(b'\n');
            let chunk_bytes = !spaces;
            let mut starts = chunk_bytes & !(chunk_bytes << 1);
            let mut ends = spaces & (chunk_bytes << 1);
            // The bytes before `space_from` are read; from it on they are whitespace until
            // the next start.
            let mut space_from = 0;
            let mut resume = 64;
            while starts != 0 {
                let start = starts.trailing_zeros() as usize;
                sentence_start |= newlines & bits_between(space_from, start) != 0;
                if ends == 0 {
                    // A chunk the window cut: read again from its start.
                    resume = start;
                    break;
                }
                let end = ends.trailing_zeros() as usize;
                push_ascii_chunk(
                    bytes,
                    pos + start..pos + end,
                    &mut sentence_start,
                    &mut quotes,
                    out,
                );
                space_from = end;
                starts &= starts - 1;
                ends &= ends - 1;
            }
            if resume == 64 {
                sentence_start |= newlines & bits_between(space_from, 64) != 0;
            }
            if resume > 0 {
                pos += resume;
                continue;
            }
            // A chunk of 64 bytes or more: the byte path below reads it.
        }
        let b = bytes[pos];
        if let Some(n) = space_at(text, pos) {
            sentence_start |= b == b'\n';
            pos += n;
            continue;
        }
        let start = pos;
        let ascii;
        (pos, ascii) = chunk_end(text, start);
        if ascii {
            push_ascii_chunk(bytes, start..pos, &mut sentence_start, &mut quotes, out);
            continue;
        }
        let Some(chunk) = general_chunk(text, start, pos, sentence_start) else {
            break;
        };
        quotes |= chunk.core_start > chunk.start;
        let ends =
            chunk.core_end != chunk.end && ends_sentence(chunk.core(text), chunk.trail(text));
        sentence_start = ends || (chunk.core_start == chunk.core_end && sentence_start);
        out.push(chunk);
    }
    if title_max_words > 0 && quotes {
        if let Some(new) = out.get_mut(first..) {
            mark_quoted_titles(text, new, title_max_words);
        }
    }
}

/// Appends the ASCII chunk `range` of `bytes` (a paragraph) to `out`, with its sentence
/// context; updates whether the next chunk starts a sentence and whether a lead may open a
/// quotation.
#[inline(always)]
fn push_ascii_chunk(
    bytes: &[u8],
    range: std::ops::Range<usize>,
    sentence_start: &mut bool,
    quotes: &mut bool,
    out: &mut Vec<Chunk>,
) {
    let (start, end) = (range.start, range.end);
    let first_byte = bytes.get(start).copied().unwrap_or(b' ');
    let last_byte = bytes.get(end.wrapping_sub(1)).copied().unwrap_or(b' ');
    let chunk = if BYTE_CLASS[usize::from(first_byte)] | BYTE_CLASS[usize::from(last_byte)] == 0 {
        // No punctuation at either end: the core is the whole chunk.
        Chunk {
            start,
            end,
            core_start: start,
            core_end: end,
            sentence_start: *sentence_start,
            opens_quote: false,
            quoted_title: false,
        }
    } else {
        let chunk = ascii_chunk(bytes, start, end, *sentence_start);
        *quotes |= bytes
            .get(chunk.start..chunk.core_start)
            .is_some_and(|lead| lead.contains(&b'"'));
        chunk
    };
    let ends = chunk.core_end != chunk.end && {
        let trail = bytes.get(chunk.core_end..chunk.end).unwrap_or_default();
        let core = bytes
            .get(chunk.core_start..chunk.core_end)
            .unwrap_or_default();
        ends_sentence_ascii(core, trail)
    };
    *sentence_start = ends || (chunk.core_start == chunk.core_end && *sentence_start);
    out.push(chunk);
}

/// Where the chunk starting at `start` (not at a space) ends — at the next whitespace
/// character or the end of `text` — and whether it is all ASCII. ASCII control characters
/// are part of a chunk.
#[inline]
fn chunk_end(text: &str, start: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut pos = start;
    let mut ascii = true;
    loop {
        pos = next_stop(bytes, pos);
        let Some(&b) = bytes.get(pos) else {
            break;
        };
        if b < 0x80 {
            if b.is_ascii_whitespace() {
                break;
            }
            pos += 1;
            continue;
        }
        ascii = false;
        let Some(c) = text.get(pos..).and_then(|r| r.chars().next()) else {
            pos += 1;
            continue;
        };
        if c.is_whitespace() {
            break;
        }
        pos += c.len_utf8();
    }
    (pos, ascii)
}

/// Calls `f(core_start, core_end)` for every chunk of `text`, in order: the cores `chunks`
/// finds, without the sentence and quotation context (for callers that need the words only).
/// Inlined: its one hot caller (the vocabulary pass) runs it per paragraph, and whether the
/// compiler inlined it on its own moved with unrelated code (+3% of that pass when it did not).
#[inline]
pub fn for_each_core(text: &str, mut f: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    // The core of the ASCII chunk `start..end`.
    let ascii_core = |start: usize, end: usize| {
        let first_byte = bytes.get(start).copied().unwrap_or(b' ');
        let last_byte = bytes.get(end.wrapping_sub(1)).copied().unwrap_or(b' ');
        if BYTE_CLASS[usize::from(first_byte)] | BYTE_CLASS[usize::from(last_byte)] == 0 {
            (start, end)
        } else {
            let c = ascii_chunk(bytes, start, end, false);
            (c.core_start, c.core_end)
        }
    };
    let mut pos = 0;
    while pos < bytes.len() {
        // 64 ASCII bytes at a time: the chunks that end inside the window come from its
        // whitespace mask; the window then moves to the start of the chunk it cut.
        if let Some(block) = ascii_block_at(bytes, pos) {
            // `u8::is_ascii_whitespace`: tab, LF, FF, CR and space (not VT).
            let spaces =
                block.in_range(b'\t', b'\n') | block.in_range(0x0C, b'\r') | block.eq(b' ');
            let chunk_bytes = !spaces;
            let mut starts = chunk_bytes & !(chunk_bytes << 1);
            let mut ends = spaces & (chunk_bytes << 1);
            let mut resume = 64;
            while starts != 0 {
                let start = starts.trailing_zeros() as usize;
                if ends == 0 {
                    // A chunk the window cut: read again from its start.
                    resume = start;
                    break;
                }
                let end = ends.trailing_zeros() as usize;
                let (core_start, core_end) = ascii_core(pos + start, pos + end);
                f(core_start, core_end);
                starts &= starts - 1;
                ends &= ends - 1;
            }
            if resume > 0 {
                pos += resume;
                continue;
            }
            // A chunk of 64 bytes or more: the byte path below reads it.
        }
        if let Some(n) = space_at(text, pos) {
            pos += n;
            continue;
        }
        let start = pos;
        let ascii;
        (pos, ascii) = chunk_end(text, start);
        if ascii {
            let (core_start, core_end) = ascii_core(start, pos);
            f(core_start, core_end);
        } else {
            let Some(c) = general_chunk(text, start, pos, false) else {
                break;
            };
            f(c.core_start, c.core_end);
        }
    }
}

/// Largest chunk buffer (in chunks) a thread keeps for the next article.
const KEPT_BUFFER_CHUNKS: usize = 1 << 16;

thread_local! {
    static BUFFER: std::cell::Cell<Vec<Chunk>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Calls `f` with an empty chunk buffer that the thread reuses from call to call, so splitting
/// an article allocates nothing once the buffer has grown to the usual article size.
pub fn with_buffer<R>(f: impl FnOnce(&mut Vec<Chunk>) -> R) -> R {
    let mut buffer = BUFFER.try_with(std::cell::Cell::take).unwrap_or_default();
    buffer.clear();
    let result = f(&mut buffer);
    if buffer.capacity() <= KEPT_BUFFER_CHUNKS {
        // A nested call has put its own buffer back meanwhile: keep the larger one.
        let _ = BUFFER.try_with(|b| {
            let other = b.take();
            b.set(if other.capacity() > buffer.capacity() {
                other
            } else {
                std::mem::take(&mut buffer)
            });
        });
    }
    result
}

/// The chunk `start..end` of an ASCII text.
fn ascii_chunk(bytes: &[u8], start: usize, end: usize, sentence_start: bool) -> Chunk {
    let piece = bytes.get(start..end).unwrap_or_default();
    let core_rel = piece
        .iter()
        .position(|&b| !is_opening_byte(b))
        .unwrap_or(piece.len());
    let core_end_rel = piece
        .iter()
        .rposition(|&b| !is_closing_byte(b))
        .map_or(core_rel, |i| (i + 1).max(core_rel));
    Chunk {
        start,
        end,
        core_start: start + core_rel,
        core_end: start + core_end_rel,
        sentence_start,
        opens_quote: core_rel > 0,
        quoted_title: false,
    }
}

/// The chunk `start..end` of `text` by the char rules (any text).
fn general_chunk(text: &str, start: usize, end: usize, sentence_start: bool) -> Option<Chunk> {
    let piece = text.get(start..end)?;
    let core_rel = piece.find(|c: char| !is_opening(c)).unwrap_or(piece.len());
    let core_end_rel = piece[core_rel..]
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_closing(c))
        .map_or(core_rel, |(i, c)| core_rel + i + c.len_utf8());
    Some(Chunk {
        start,
        end,
        core_start: start + core_rel,
        core_end: start + core_end_rel,
        sentence_start,
        opens_quote: core_rel > 0 && piece[..core_rel].chars().any(is_opening),
        quoted_title: false,
    })
}

fn mark_quoted_titles(text: &str, chunks: &mut [Chunk], max_words: usize) {
    let mut open: Option<usize> = None;
    for i in 0..chunks.len() {
        let c = chunks[i];
        if c.core_start > c.start && c.lead(text).chars().any(|ch| is_quote(ch) || ch == '‘') {
            open = Some(i);
        }
        let closes = c.end > c.core_end && c.trail(text).chars().any(is_closing_quote);
        if let (Some(first), true) = (open, closes) {
            // A title is capitalised; a quoted phrase of a few words that starts in lowercase
            // is a fragment of speech ("claim is “abolutely not true”") and is read as text.
            // One quoted word stays marked, whatever its case: it may be a word cited as a word.
            let fragment = i > first
                && chunks[first]
                    .core(text)
                    .starts_with(|ch: char| ch.is_lowercase());
            if i + 1 - first <= max_words && !fragment {
                for chunk in &mut chunks[first..=i] {
                    chunk.quoted_title = true;
                }
            }
            open = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cores(text: &str) -> Vec<&str> {
        chunks(text, 4).iter().map(|c| c.core(text)).collect()
    }

    #[test]
    fn strips_leading_and_trailing_punctuation() {
        assert_eq!(
            cores("“Th sides,” he said (twice)."),
            ["Th", "sides", "he", "said", "twice"]
        );
    }

    #[test]
    fn sentence_starts_after_stops_and_lines_but_not_abbreviations() {
        let text = "One two. Three Mr. Smith J. Doe\nFour";
        let starts: Vec<bool> = chunks(text, 4).iter().map(|c| c.sentence_start).collect();
        assert_eq!(
            starts,
            [true, false, true, false, false, false, false, true]
        );
    }

    /// The char-by-char splitter the byte scan replaced: the reference the fast path must match.
    fn reference_chunks(text: &str, title_max_words: usize) -> Vec<Chunk> {
        let mut out = Vec::new();
        let mut sentence_start = true;
        let mut pos = 0;
        let space_at = |i: usize| -> Option<usize> {
            let c = text.get(i..)?.chars().next()?;
            let space = if c.is_ascii() {
                (c as u8).is_ascii_whitespace()
            } else {
                c.is_whitespace()
            };
            space.then(|| c.len_utf8())
        };
        while pos < text.len() {
            if let Some(n) = space_at(pos) {
                if text.as_bytes()[pos] == b'\n' {
                    sentence_start = true;
                }
                pos += n;
                continue;
            }
            let start = pos;
            while pos < text.len() && space_at(pos).is_none() {
                pos += text[pos..].chars().next().map_or(1, char::len_utf8);
            }
            let chunk = general_chunk(text, start, pos, sentence_start).expect("char bounds");
            let trail = chunk.trail(text);
            sentence_start = (!trail.is_empty() && ends_sentence(chunk.core(text), trail))
                || (chunk.core_start == chunk.core_end && sentence_start);
            out.push(chunk);
        }
        if title_max_words > 0 {
            mark_quoted_titles(text, &mut out, title_max_words);
        }
        out
    }

    #[test]
    fn byte_scan_matches_the_char_rules() {
        for text in [
            "",
            "   ",
            "One two. Three Mr. Smith J. Doe\nFour",
            "(\"Quoted,\" he said.) 'Twas [sic] e.g. u.s. APPROX. approx. fine!? yes... no",
            "“Th sides,” he said (twice). É. Élan… ok ‘War and Peace’ «bien» ¿qué? ¡sí!",
            "tabs\tand\x0bvertical\x0cform\rfeeds\u{a0}nbsp\u{2009}thin\u{3000}ideo end",
            "\"\"\" ''' ((( ))) ... . , ; : ! ? x.\" y!) z?'",
            "a1234567890b 12345678901234567890 abcdefghijklmnopqrstuvwxyz. ZZZZZZZZZ.",
            "ctl\x01chars\x1fin\x7fwords and\u{85}nel",
            "Jr. Sr. Dept. FIG. fig. dec. Sept. no. No. inc. J. K. Rowling. x.",
        ] {
            for title_max in [0, 4] {
                assert_eq!(
                    chunks(text, title_max),
                    reference_chunks(text, title_max),
                    "{text:?}"
                );
            }
        }
    }

    /// The cores `for_each_core` finds are those of `chunks`, and `chunks` (with and without
    /// quoted titles) is the char-rule reference's.
    fn check_scans(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        let mut cores = Vec::new();
        for_each_core(text, |a, b| cores.push((a, b)));
        let expected: Vec<(usize, usize)> = chunks(text, 0)
            .iter()
            .map(|c| (c.core_start, c.core_end))
            .collect();
        proptest::prop_assert_eq!(cores, expected);
        proptest::prop_assert_eq!(chunks(text, 4), reference_chunks(text, 4));
        proptest::prop_assert_eq!(chunks(text, 0), reference_chunks(text, 0));
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn byte_scan_matches_the_char_rules_on_any_mix(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Mr", "J", "e.g", "word", "Élan", "é", " ", "  ", "\n", "\t", "\u{a0}",
                    "\u{2009}", ".", ",", "!", "?", "…", "\"", "'", "(", ")", "[", "]", "“",
                    "”", "‘", "’", "«", "»", "¿", "\x0b", "\x01", "7", "abcdefghij",
                ]),
                0..40,
            )
        ) {
            check_scans(&pieces.concat())?;
        }

        #[test]
        fn cores_by_windows_match_the_chunks_on_long_ascii_runs(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Mr", "word", " ", "  ", "\n", "\t", "\x0c", "\r", "\x0b", ".", ",", "\"",
                    "(", ")", "'", "7", "abcdefghij", "abcdefghijabcdefghijabcdefghij", "é", "’",
                    "\u{a0}", "End.", "Dr.", "“", "”", "?", "\n\n",
                ]),
                0..120,
            )
        ) {
            check_scans(&pieces.concat())?;
        }
    }

    /// A newline in the whitespace that ends a 64-byte block starts the sentence of the chunk
    /// in the next block; one in the whitespace before a chunk inside a block starts its own.
    #[test]
    fn newlines_at_block_edges_start_sentences() {
        let head = "abcdefghi ".repeat(6);
        for tail in ["x\n  Next word", "x \n Next word", "x   Next\nword"] {
            let text = format!("{head}{tail}");
            let got = chunks(&text, 0);
            assert_eq!(got, reference_chunks(&text, 0), "{text:?}");
            let next = got.iter().find(|c| c.core(&text) == "Next").expect("Next");
            assert_eq!(next.start, 64, "{text:?}");
            assert_eq!(next.sentence_start, tail.contains("\n "), "{text:?}");
        }
    }

    #[test]
    fn push_chunks_appends_with_offsets_per_text() {
        let mut all = chunks("One two.", 4);
        push_chunks("“Three four” five", 4, &mut all);
        let second = chunks("“Three four” five", 4);
        assert_eq!(all.len(), 2 + second.len());
        assert_eq!(&all[2..], &second[..]);
    }

    #[test]
    fn abbreviation_length_bound_covers_the_list() {
        let longest = ABBREVIATIONS.iter().map(|a| a.len()).max();
        assert_eq!(longest, Some(ABBREVIATION_MAX_LEN));
        for a in ABBREVIATIONS {
            assert!(is_abbreviation_ascii(a.as_bytes()), "{a}");
            assert!(
                is_abbreviation_ascii(a.to_ascii_uppercase().as_bytes()),
                "{a}"
            );
        }
        for w in ["", "m", "mrx", "approxx", "said", "e", "u.n"] {
            assert!(!is_abbreviation_ascii(w.as_bytes()), "{w}");
        }
    }

    #[test]
    fn digits_are_found_anywhere() {
        assert!(!has_ascii_digit(b""));
        assert!(!has_ascii_digit(
            "no digits here, not one: /:;?@ \u{663}".as_bytes()
        ));
        for n in 1..40 {
            for at in 0..n {
                for d in [b'0', b'5', b'9'] {
                    let mut text = vec![b'x'; n];
                    text[at] = d;
                    assert!(has_ascii_digit(&text), "{n} {at}");
                }
                let mut text = vec![b'/'; n];
                text[at] = b':';
                assert!(!has_ascii_digit(&text));
            }
        }
        for b in 0..=255u8 {
            assert_eq!(
                has_ascii_digit(&[b'a', b, b'c', b'd', b'e', b'f', b'g', b'h', b'i']),
                b.is_ascii_digit()
            );
        }
    }

    #[test]
    fn a_short_quotation_in_lowercase_is_speech_not_a_title() {
        let text = "The claim is “abolutely not true,” he said of “Teh Hobbit” and “teh”.";
        let title: Vec<&str> = chunks(text, 4)
            .iter()
            .filter(|c| c.quoted_title)
            .map(|c| c.core(text))
            .collect();
        assert_eq!(title, ["Teh", "Hobbit", "teh"]);
    }

    #[test]
    fn quote_start_and_short_quotations_are_marked() {
        let text = "He read ‘War and Peace’ and said “Th sides are still working on it,” today.";
        let cs = chunks(text, 4);
        let title: Vec<&str> = cs
            .iter()
            .filter(|c| c.quoted_title)
            .map(|c| c.core(text))
            .collect();
        assert_eq!(title, ["War", "and", "Peace"]);
        let th = cs
            .iter()
            .find(|c| c.core(text) == "Th")
            .map(|c| c.opens_quote);
        assert_eq!(th, Some(true));
    }
}
