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
    // Most scraped text is already NFC: the quick check avoids re-composing it.
    let already_nfc = unicode_normalization::is_nfc_quick(unified.chars())
        == unicode_normalization::IsNormalized::Yes;
    let composed: std::borrow::Cow<str> = match cfg.unicode_form {
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
    };
    let mut out = String::with_capacity(composed.len());
    for line in composed.split('\n') {
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
    // Collapse runs of blank lines and trim leading/trailing blank lines.
    let mut collapsed = String::with_capacity(out.len());
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

/// Splits normalized text into paragraphs: blocks separated by blank lines.
pub fn split_paragraphs(normalized: &str) -> Vec<String> {
    normalized
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect()
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

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let p = split_paragraphs(&norm("one\ntwo\n\n\nthree"));
        assert_eq!(p, vec!["one\ntwo".to_string(), "three".to_string()]);
    }

    #[test]
    fn idempotent() {
        let once = norm(" x\u{2003}y\r\n\r\n\r\nz\u{fb01} ");
        assert_eq!(norm(&once), once);
    }
}
