//! Mojibake repair: text that was UTF-8, decoded once as Windows-1252 (or Latin-1) somewhere
//! before it was scraped, shows each non-ASCII character as two or three others: "It’s" as
//! "Itâ€™s", "café" as "cafÃ©", "São" as "SÃ£o". Takes a text, gives it back with every such
//! sequence decoded again, or `None` when it holds none.
//!
//! Only a sequence that reads as one well-formed UTF-8 character is repaired: a lead character
//! (`Â`..`ô`, the bytes 0xC2..0xF4) followed by exactly the continuation characters its length
//! needs (those whose Windows-1252 byte is 0x80..0xBF). Three- and four-byte sequences ("â€™",
//! "ðŸ™‚") never occur in real text. Two-byte ones can: an accented capital before a curly
//! quote ("CAFÉ”", "PELÉ’S" read as É + 0x94) has the shape. So a two-byte sequence is
//! repaired when its lead is `Â` or `Ã` (Latin-1 text garbled: "Ã©", "Â°"; legitimately only
//! a Portuguese capital before a symbol), or when it touches another sequence (garbled Greek or
//! Cyrillic is a run of them: "ÐšÐ¸Ñ—Ð²"). (ftfy's `fix_encoding` does this and more, with a
//! score of how odd a text looks; this is the part news scrapes need.)

use super::decode::cp1252_byte;

/// How many bytes a UTF-8 character that starts with `lead` has (2 to 4), for the lead bytes
/// of characters beyond ASCII that are not overlong.
fn utf8_len(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

/// The character that the mojibake sequence at the start of `rest` stood for, and how many
/// bytes of `rest` the sequence takes.
fn repaired_at(rest: &str) -> Option<(char, usize)> {
    let mut chars = rest.char_indices();
    let (_, lead) = chars.next()?;
    let lead = cp1252_byte(lead)?;
    let len = utf8_len(lead)?;
    let mut bytes = [lead, 0, 0, 0];
    for slot in bytes.iter_mut().take(len).skip(1) {
        let (_, c) = chars.next()?;
        let b = cp1252_byte(c).filter(|b| (0x80..=0xBF).contains(b))?;
        *slot = b;
    }
    let end = chars.next().map_or(rest.len(), |(i, _)| i);
    let decoded = std::str::from_utf8(&bytes[..len]).ok()?.chars().next()?;
    Some((decoded, end))
}

/// `text` with its mojibake sequences decoded, or `None` when it has none. Text without a
/// character of U+00C2..U+00F4 (whose UTF-8 starts with the byte 0xC3) is passed over by one
/// `memchr`.
pub fn repair(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    // (start, end, character) of every sequence, in order; they do not overlap.
    let mut found: Vec<(usize, usize, char)> = Vec::new();
    let mut from = 0;
    while let Some(offset) = memchr::memchr(0xC3, bytes.get(from..)?) {
        let at = from + offset;
        match text.get(at..).and_then(repaired_at) {
            Some((c, len)) => {
                found.push((at, at + len, c));
                from = at + len;
            }
            None => from = at + 1,
        }
    }
    let mut out = String::new();
    let mut copied = 0;
    for (k, &(start, end, c)) in found.iter().enumerate() {
        let two_bytes = c.len_utf8() == 2;
        let latin1_lead = text[start..].starts_with(['Â', 'Ã']);
        let touches = |other: Option<&(usize, usize, char)>, before: bool| {
            other.is_some_and(|&(s, e, _)| if before { e == start } else { s == end })
        };
        let in_a_run = touches(k.checked_sub(1).and_then(|j| found.get(j)), true)
            || touches(found.get(k + 1), false);
        if two_bytes && !latin1_lead && !in_a_run {
            continue;
        }
        if out.is_empty() {
            out.reserve(text.len());
        }
        out.push_str(&text[copied..start]);
        out.push(c);
        copied = end;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a UTF-8 text looks like after one wrong decoding as Windows-1252 (the five
    /// undefined bytes left as C1 controls).
    fn garble(text: &str) -> String {
        text.bytes()
            .map(super::super::decode::cp1252_char)
            .collect()
    }

    #[test]
    fn garbled_text_is_repaired() {
        for text in [
            "It’s the council’s “third” budget — and “enough is enough”.",
            "The café in São Paulo, Zürich and Kraków; 5 €, ½ cup, naïve.",
            "Emoji 🙂 and CJK 中文 and Cyrillic Київ and Greek Αθήνα.",
        ] {
            let garbled = garble(text);
            assert_ne!(garbled, text);
            assert_eq!(repair(&garbled).as_deref(), Some(text), "{garbled}");
        }
        assert_eq!(
            repair("Itâ€™s fine").as_deref(),
            Some("It’s fine"),
            "the common case, as scraped"
        );
    }

    #[test]
    fn real_text_is_left_alone() {
        for text in [
            "plain ASCII",
            "café, naïve, São Paulo, Ærø, Øresund, Ñandú, Ça va, Été, À bientôt",
            "NÃO in capitals, Ã alone, and Ã at the end Ã",
            // An accented capital before a curly quote or a symbol: the shape of a two-byte
            // sequence, left alone when it stands by itself.
            "“CAFÉ” and PELÉ’S GOALS and NESTLÉ™ and ÜBER‚",
        ] {
            assert_eq!(repair(text), None, "{text}");
        }
        assert_eq!(repair("25Â°C").as_deref(), Some("25°C"));
    }

    #[test]
    fn a_sequence_cut_short_or_overlong_is_not_decoded() {
        // "â€" without its third character, an overlong lead (0xC0), a lone continuation.
        assert_eq!(repair("enoughâ€ after"), None);
        assert_eq!(repair("Ã€ and À€"), Some("À and À€".to_string()));
        assert_eq!(repair("x\u{80}y"), None);
    }
}
