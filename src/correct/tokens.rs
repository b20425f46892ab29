//! Splits a paragraph into whitespace-separated chunks and finds, in each, the core between
//! leading punctuation (quotes, brackets) and trailing punctuation (stops, commas, quotes), with
//! the context the guards need: does the chunk start a sentence, does it open a quote, is it
//! inside a short quotation (a title). Works on `&str` slices with byte offsets; allocates only
//! the chunk list. It makes no decision about correcting anything.

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
    !(initial || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(core)))
}

/// Splits `text` into chunks with their context. Quotations of at most `title_max_words`
/// chunks are marked `quoted_title`.
pub fn chunks(text: &str, title_max_words: usize) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::with_capacity(text.len() / 5 + 1);
    let mut sentence_start = true;
    let mut pos = 0;
    // Byte scan: ASCII whitespace is the common case; other whitespace is decoded when met.
    let space_at = |i: usize| -> Option<usize> {
        let b = *text.as_bytes().get(i)?;
        if b.is_ascii_whitespace() {
            return Some(1);
        }
        if b < 0x80 {
            return None;
        }
        let c = text.get(i..)?.chars().next()?;
        c.is_whitespace().then(|| c.len_utf8())
    };
    let step_at = |i: usize| -> usize {
        match text.as_bytes().get(i) {
            Some(b) if *b < 0x80 => 1,
            _ => text
                .get(i..)
                .and_then(|r| r.chars().next())
                .map_or(1, char::len_utf8),
        }
    };
    while pos < text.len() {
        if let Some(n) = space_at(pos) {
            if text.as_bytes().get(pos) == Some(&b'\n') {
                sentence_start = true;
            }
            pos += n;
            continue;
        }
        let start = pos;
        while pos < text.len() && space_at(pos).is_none() {
            pos += step_at(pos);
        }
        let end = pos.min(text.len());
        let Some(piece) = text.get(start..end) else {
            break;
        };
        let core_rel = piece.find(|c: char| !is_opening(c)).unwrap_or(piece.len());
        let core_end_rel = piece[core_rel..]
            .char_indices()
            .rev()
            .find(|&(_, c)| !is_closing(c))
            .map_or(core_rel, |(i, c)| core_rel + i + c.len_utf8());
        let chunk = Chunk {
            start,
            end,
            core_start: start + core_rel,
            core_end: start + core_end_rel,
            sentence_start,
            opens_quote: core_rel > 0 && piece[..core_rel].chars().any(is_opening),
            quoted_title: false,
        };
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

fn mark_quoted_titles(text: &str, chunks: &mut [Chunk], max_words: usize) {
    let mut open: Option<usize> = None;
    for i in 0..chunks.len() {
        let c = chunks[i];
        if c.core_start > c.start && c.lead(text).chars().any(|ch| is_quote(ch) || ch == '‘') {
            open = Some(i);
        }
        let closes = c.end > c.core_end && c.trail(text).chars().any(is_closing_quote);
        if let (Some(first), true) = (open, closes) {
            if i + 1 - first <= max_words {
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
