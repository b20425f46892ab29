//! Unicode and whitespace normalization: takes raw text, returns the paragraphs of the text in
//! canonical form. It must not change meaning: curly quotes, dashes and accents are kept, and
//! compatibility folding (NFKC) is applied only to characters where it cannot change meaning
//! (spaces, ligatures, full-width forms) unless the config asks for full NFKC.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// Which Unicode normalization form to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum UnicodeForm {
    /// Canonical composition only.
    Nfc,
    /// NFC, plus compatibility folding of spaces, ligatures and full-width ASCII only (default).
    #[default]
    NfcSafeCompat,
    /// Full compatibility composition (may turn "²" into "2", "ℌ" into "H").
    Nfkc,
}

/// Normalization settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NormalizeConfig {
    /// Unicode form: `nfc`, `nfc_safe_compat` (default) or `nfkc`.
    pub unicode_form: UnicodeForm,
}

impl Default for NormalizeConfig {
    fn default() -> Self {
        NormalizeConfig {
            unicode_form: UnicodeForm::NfcSafeCompat,
        }
    }
}

/// Whether a character is a space other than the plain ASCII space that should become one.
fn is_odd_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// Characters dropped outright: controls (except newline), zero-width spaces, BOM, soft hyphen.
/// The zero-width joiner (U+200D) is kept: it is part of emoji sequences and some scripts.
fn is_dropped(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
        )
}

/// Characters whose compatibility decomposition cannot change meaning: ligatures and
/// full-width ASCII forms.
fn safe_compat(c: char) -> bool {
    matches!(c, '\u{fb00}'..='\u{fb06}' | '\u{ff01}'..='\u{ff5e}')
}

/// Normalizes raw text: line endings to `\n`, Unicode form, odd spaces to spaces, controls
/// dropped, runs of spaces collapsed, lines trimmed, runs of blank lines collapsed to one.
pub fn normalize_text(text: &str, cfg: &NormalizeConfig) -> String {
    // Line endings first so that a lone CR becomes a line break rather than a dropped control.
    let unified: std::borrow::Cow<str> = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    };
    // Most scraped text is ASCII plus Latin letters and typographic punctuation, which no
    // form but NFKC changes: the quick check avoids the composition machinery for it.
    let composed: std::borrow::Cow<str> =
        if cfg.unicode_form != UnicodeForm::Nfkc && composition_inert(&unified) {
            unified
        } else {
            compose(unified, cfg.unicode_form)
        };
    collapse_spaces(&composed)
}

/// Whether NFC (and the safe compatibility folding) leaves `text` as it is because every
/// character is one that never composes or decomposes canonically: below U+0300 (ASCII,
/// Latin-1, Latin Extended, spacing modifiers) or General Punctuation from U+2002 (curly quotes,
/// dashes, ellipsis). U+2000 and U+2001 are excluded: they decompose to U+2002 and U+2003.
/// A `false` only means the full check must run.
fn composition_inert(text: &str) -> bool {
    // Works on the UTF-8 bytes: every byte below 0xCC is ASCII, a continuation byte or the lead
    // byte of a character below U+0300; U+2002..=U+206F is E2 80 82..=E2 81 AF.
    use crate::swar::ascii_block_at;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // 64 bytes at a time while they are ASCII (one mask), then sixteen while they are all
        // below 0xCC (a branch-free, vectorizable fold).
        if ascii_block_at(bytes, i).is_some() {
            i += 64;
            continue;
        }
        if let Some(block) = bytes.get(i..i + 16) {
            if block.iter().fold(true, |ok, &b| ok & (b < 0xCC)) {
                i += 16;
                continue;
            }
        }
        match bytes[i..] {
            [b, ..] if b < 0xCC => i += 1,
            [0xE2, 0x80, 0x82..=0xBF, ..] | [0xE2, 0x81, 0x80..=0xAF, ..] => i += 3,
            _ => return false,
        }
    }
    true
}

/// Applies the Unicode form.
fn compose(unified: std::borrow::Cow<'_, str>, form: UnicodeForm) -> std::borrow::Cow<'_, str> {
    let already_nfc = unicode_normalization::is_nfc_quick(unified.chars())
        == unicode_normalization::IsNormalized::Yes;
    match form {
        UnicodeForm::Nfkc => unified.nfkc().collect::<String>().into(),
        UnicodeForm::Nfc if already_nfc => unified,
        UnicodeForm::Nfc => unified.nfc().collect::<String>().into(),
        UnicodeForm::NfcSafeCompat => {
            if unified.chars().any(safe_compat) {
                let mut out = String::with_capacity(unified.len());
                for c in unified.nfc() {
                    if safe_compat(c) {
                        out.extend(std::iter::once(c).nfkc());
                    } else {
                        out.push(c);
                    }
                }
                out.into()
            } else if already_nfc {
                unified
            } else {
                unified.nfc().collect::<String>().into()
            }
        }
    }
}

/// Drops controls, turns odd spaces into spaces, collapses runs of spaces, trims lines, and
/// collapses runs of blank lines to one (dropping leading and trailing ones), in one pass over
/// the bytes: ASCII is handled byte by byte, and only non-ASCII characters are decoded.
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Blank lines seen since the last non-blank line.
    let mut blank_run = 0usize;
    for line in crate::lines::split_newlines(text) {
        // Whether this line has had a visible character yet.
        let mut in_text = false;
        let mut pending_space = false;
        let mut rest = line;
        while !rest.is_empty() {
            // The longest run of plain visible ASCII, with the single spaces between its words,
            // is copied in one go: a space followed by a visible character stays as it is.
            let plain = plain_run(rest.as_bytes());
            if plain > 0 {
                separate(&mut out, &mut in_text, &mut blank_run, pending_space);
                pending_space = false;
                out.push_str(&rest[..plain]);
                rest = &rest[plain..];
                continue;
            }
            let Some(c) = rest.chars().next() else { break };
            rest = &rest[c.len_utf8()..];
            if is_dropped(c) {
                continue;
            }
            if c == ' ' || is_odd_space(c) {
                pending_space = in_text;
                continue;
            }
            separate(&mut out, &mut in_text, &mut blank_run, pending_space);
            pending_space = false;
            out.push(c);
        }
        if !in_text {
            blank_run += 1;
        }
    }
    out
}

/// Before a visible character: opens the line (a line break, or a paragraph break after blank
/// lines; nothing at the very start) or writes the pending space inside it.
/// Length of the prefix of `bytes` made of visible ASCII and single spaces each followed by
/// visible ASCII, starting with a visible character (0 if it does not).
fn plain_run(bytes: &[u8]) -> usize {
    use crate::swar::{block_at, ByteClasses};
    let visible = |b: u8| b.wrapping_sub(b'!') < (b'~' - b'!' + 1);
    let mut n = 0;
    // 64 bytes a step: a byte continues the run when it is visible, or a space before a
    // visible byte. A run cut short at a block's last byte (a space whose next byte is in the
    // next block) is still a valid run: the caller handles that space itself.
    while let Some(block) = block_at(bytes, n) {
        let shown = block.in_range(b'!', b'~');
        if n == 0 && shown & 1 == 0 {
            return 0;
        }
        let fits = shown | (block.eq(b' ') & (shown >> 1));
        let len = (!fits).trailing_zeros() as usize;
        n += len;
        if len < 64 {
            return n;
        }
    }
    while let Some(&b) = bytes.get(n) {
        if visible(b) {
            n += 1;
        } else if b == b' ' && n > 0 && bytes.get(n + 1).is_some_and(|&next| visible(next)) {
            n += 2;
        } else {
            break;
        }
    }
    n
}

fn separate(out: &mut String, in_text: &mut bool, blank_run: &mut usize, pending_space: bool) {
    if !*in_text {
        if !out.is_empty() {
            out.push_str(if *blank_run > 0 { "\n\n" } else { "\n" });
        }
        *blank_run = 0;
        *in_text = true;
    } else if pending_space {
        out.push(' ');
    }
}

/// Splits normalized text into paragraphs: blocks separated by blank lines.
pub fn split_paragraphs(normalized: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut push = |para: &str| {
        if !para.trim().is_empty() {
            paragraphs.push(para.to_string());
        }
    };
    // One memchr scan for the newlines, each checked for a second one after it (newlines are
    // rare next to the text between them, so this beats a two-byte substring search). A
    // newline inside a break just taken is skipped, as `split("\n\n")` skips it.
    let bytes = normalized.as_bytes();
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', bytes) {
        if nl >= start && bytes.get(nl + 1) == Some(&b'\n') {
            push(normalized.get(start..nl).unwrap_or_default());
            start = nl + 2;
        }
    }
    push(normalized.get(start..).unwrap_or_default());
    paragraphs
}

/// Splits text into paragraphs without changing characters: used when normalization is off.
pub fn split_paragraphs_raw(text: &str) -> Vec<String> {
    let unified = text.replace("\r\n", "\n");
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in unified.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line.trim_end());
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join("\n"));
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize_text(s, &NormalizeConfig::default())
    }

    #[test]
    fn spaces_and_line_endings() {
        assert_eq!(norm("a\u{a0}\u{a0} b\r\nc\rd"), "a b\nc\nd");
        assert_eq!(
            norm("  lead  and trail  \n\n\n\nnext"),
            "lead and trail\n\nnext"
        );
    }

    #[test]
    fn keeps_quotes_dashes_and_composes_accents() {
        assert_eq!(norm("“Caf\u{65}\u{301}” — ‘x’"), "“Café” — ‘x’");
    }

    #[test]
    fn folds_ligatures_but_not_superscripts() {
        assert_eq!(norm("e\u{fb03}cient x²"), "efficient x²");
    }

    #[test]
    fn drops_controls_and_zero_width_but_keeps_zwj() {
        assert_eq!(
            norm("a\u{0}b\u{200b}c\u{feff}d 👨\u{200d}👩"),
            "abcd 👨\u{200d}👩"
        );
    }

    proptest::proptest! {
        #[test]
        fn paragraph_split_matches_str_split(text in "[ab \n]{0,30}") {
            let expected: Vec<String> = text
                .split("\n\n")
                .filter(|p| !p.trim().is_empty())
                .map(str::to_string)
                .collect();
            proptest::prop_assert_eq!(split_paragraphs(&text), expected);
        }
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let p = split_paragraphs(&norm("one\ntwo\n\n\nthree"));
        assert_eq!(p, vec!["one\ntwo".to_string(), "three".to_string()]);
    }

    /// The straightforward two-pass form of `collapse_spaces` (char by char, then blank lines),
    /// kept as the specification the one-pass version must match.
    fn reference_collapse(text: &str) -> String {
        let mut out = String::new();
        for line in text.split('\n') {
            let start = out.len();
            let mut pending_space = false;
            for c in line.chars() {
                if is_dropped(c) {
                    continue;
                }
                if c == ' ' || is_odd_space(c) {
                    pending_space = out.len() > start;
                    continue;
                }
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.push(c);
            }
            out.push('\n');
        }
        let mut collapsed = String::new();
        let mut blank_run = 0usize;
        for line in out.split('\n') {
            if line.is_empty() {
                blank_run += 1;
                continue;
            }
            if !collapsed.is_empty() {
                collapsed.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
            }
            blank_run = 0;
            collapsed.push_str(line);
        }
        collapsed
    }

    proptest::proptest! {
        #[test]
        fn one_pass_collapse_matches_the_reference(
            text in "([a-z .,\t\n\u{0}\u{7f}\u{85}\u{a0}\u{ad}\u{200b}\u{2003}\u{3000}é😀]){0,40}"
        ) {
            proptest::prop_assert_eq!(collapse_spaces(&text), reference_collapse(&text));
        }

        #[test]
        fn one_pass_collapse_matches_the_reference_on_long_lines(
            // Runs of words and single or double spaces long enough for 64-byte blocks.
            text in "([a-zA-Z.,!~]{1,20}[ ]{0,2}|\n|\t|\u{7f}|é|\u{a0}){0,60}"
        ) {
            proptest::prop_assert_eq!(collapse_spaces(&text), reference_collapse(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn inert_text_is_left_as_the_full_composition_would(
            text in "[a-zA-Z \u{a0}-\u{2ff}\u{2000}-\u{206f}]{0,30}"
        ) {
            if composition_inert(&text) {
                let full = compose(text.as_str().into(), UnicodeForm::NfcSafeCompat);
                proptest::prop_assert_eq!(full.as_ref(), text.as_str());
            }
        }
    }

    proptest::proptest! {
        /// The byte-level check says exactly what its definition over characters says.
        #[test]
        fn inert_check_matches_its_definition(
            // An ASCII run long enough for whole 64-byte blocks, then anything.
            text in "[a-z ]{0,140}[a-z \u{a0}-\u{320}\u{1fff}-\u{2071}\u{3000}\u{fb01}😀]{0,40}"
        ) {
            let by_chars = text
                .chars()
                .all(|c| c < '\u{300}' || ('\u{2002}'..='\u{206f}').contains(&c));
            proptest::prop_assert_eq!(composition_inert(&text), by_chars);
        }
    }

    #[test]
    fn em_quad_is_not_inert() {
        assert!(!composition_inert("a\u{2000}b"));
        assert!(composition_inert("“a” — b…"));
    }

    #[test]
    fn idempotent() {
        let once = norm(" x\u{2003}y\r\n\r\n\r\nz\u{fb01} ");
        assert_eq!(norm(&once), once);
    }
}
