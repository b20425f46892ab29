//! Language identification of a text. Counting the stopwords of each bundled list (the same
//! lists the boilerplate stage uses) settles most texts at the cost of a few hash lookups per
//! word; only when that vote is unclear (short text, another script, a language without a list)
//! does whatlang's trigram model decide, on a short sample. The trigram model dominated the
//! profile when it ran on every article. One probe of a table holding every list answers for
//! all languages at once; words are found and lowercased byte-wise when they are ASCII.

use crate::extract::features::{Stopwords, LANGUAGES};
use crate::swar::{ascii_block_at, run_edges, ByteClasses};
use std::sync::OnceLock;

/// Words looked at for the stopword vote.
const VOTE_WORDS: usize = 120;
/// Bytes of text handed to whatlang when the vote is unclear.
const TRIGRAM_SAMPLE_BYTES: usize = 600;

/// The bundled stopword lists, built once.
pub(crate) fn stopwords() -> &'static Stopwords {
    static BUNDLED: OnceLock<Stopwords> = OnceLock::new();
    BUNDLED.get_or_init(Stopwords::bundled)
}

/// The language of `text` as an ISO 639-1 code, or `None` when it cannot be told.
pub fn detect(text: &str) -> Option<&'static str> {
    if let Some(lang) = stopword_vote(text) {
        return Some(lang);
    }
    let mut end = text.len().min(TRIGRAM_SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end])?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    Some(iso639_1(info.lang()))
}

/// The language whose stopwords clearly dominate the first words of `text`, if any.
fn stopword_vote(text: &str) -> Option<&'static str> {
    let stop = stopwords();
    let table = stop.table();
    let mut hits = [0usize; LANGUAGES];
    let mut words = 0usize;
    let mut lower = String::new();
    for_each_word(text, VOTE_WORDS, |start, end, ascii| {
        words += 1;
        let langs = table.langs_lower_at(text, start, end, ascii, &mut lower);
        // Most words are no stopword of any list.
        if langs != 0 {
            for (i, h) in hits.iter_mut().enumerate() {
                *h += usize::from(langs >> i & 1);
            }
        }
    });
    let mut order: [usize; LANGUAGES] = std::array::from_fn(|i| i);
    order.sort_by(|&a, &b| hits[b].cmp(&hits[a]).then(a.cmp(&b)));
    let (best, second) = (hits[order[0]], hits[order[1]]);
    // A clear lead: enough stopwords overall, and well ahead of the runner-up (related
    // languages share short words such as "a", "de", "que").
    let lead = best.saturating_sub(second);
    let clear = words >= 8 && best >= 3 && best * 100 >= words * 15 && lead * 10 >= words.max(20);
    if !clear {
        return None;
    }
    stop.all().nth(order[0]).map(|(code, _)| code)
}

/// Calls `f(start, end, is_ascii)` for the first `limit` words `text[start..end]`: maximal
/// runs of letters and apostrophes (`'`, `’`). 64 ASCII bytes at a time where it can: the
/// word boundaries of a block come from a bit mask of its word bytes, so a block costs one
/// step per boundary instead of one per byte.
fn for_each_word(text: &str, limit: usize, mut f: impl FnMut(usize, usize, bool)) {
    let bytes = text.as_bytes();
    let mut seen = 0usize;
    let mut start: Option<usize> = None;
    let mut ascii = true;
    let mut i = 0;
    while i < bytes.len() && seen < limit {
        if let Some(block) = ascii_block_at(bytes, i) {
            let word = block.folded().in_range(b'a', b'z') | block.eq(b'\'');
            for (j, starts) in run_edges(word, start.is_some()) {
                if starts {
                    start = Some(i + j);
                    ascii = true;
                } else if let Some(s) = start.take() {
                    seen += 1;
                    f(s, i + j, ascii);
                    if seen == limit {
                        return;
                    }
                }
            }
            i += 64;
            continue;
        }
        let b = bytes[i];
        let (in_word, len) = if b < 0x80 {
            (b.is_ascii_alphabetic() || b == b'\'', 1)
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            (c.is_alphabetic() || c == '’', c.len_utf8())
        };
        if in_word {
            if start.is_none() {
                start = Some(i);
                ascii = true;
            }
            ascii &= b < 0x80;
        } else if let Some(s) = start.take() {
            seen += 1;
            f(s, i, ascii);
        }
        i += len;
    }
    if let Some(s) = start {
        if seen < limit {
            f(s, bytes.len(), ascii);
        }
    }
}

/// ISO 639-1 code for the languages whatlang knows (its own codes are ISO 639-3).
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Rus => "ru",
        Ukr => "uk",
        Nld => "nl",
        Pol => "pl",
        Swe => "sv",
        Dan => "da",
        Nob => "no",
        Fin => "fi",
        Tur => "tr",
        Ara => "ar",
        Heb => "he",
        Jpn => "ja",
        Kor => "ko",
        Cmn => "zh",
        Hin => "hi",
        Ind => "id",
        Vie => "vi",
        Ces => "cs",
        Ell => "el",
        Hun => "hu",
        Ron => "ro",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `for_each_word` one character at a time, as it was written first.
    fn words_by_chars(text: &str, limit: usize) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::new();
        let mut start: Option<(usize, bool)> = None;
        for (i, c) in text.char_indices() {
            if out.len() == limit {
                return out;
            }
            if c.is_alphabetic() || c == '\'' || c == '’' {
                let (s, ascii) = start.unwrap_or((i, true));
                start = Some((s, ascii && c.is_ascii()));
            } else if let Some((s, ascii)) = start.take() {
                out.push((s, i, ascii));
            }
        }
        if let Some((s, ascii)) = start {
            if out.len() < limit {
                out.push((s, text.len(), ascii));
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn words_are_found_as_char_by_char(
            // Long ASCII stretches (whole 64-byte blocks), other characters here and there.
            text in "(([a-zA-Z' .,;@`{\\[0-9-]{0,12}){0,12}(é|’|ß|\\PC)?){0,6}",
            limit in 0usize..30,
        ) {
            let mut words = Vec::new();
            for_each_word(&text, limit, |s, e, ascii| words.push((s, e, ascii)));
            proptest::prop_assert_eq!(words, words_by_chars(&text, limit));
        }
    }

    #[test]
    fn stopwords_settle_common_languages() {
        let en = "The council said on Monday that the new bridge would open in the spring after repairs to its main span.";
        let fr = "Le conseil a déclaré lundi que le nouveau pont ouvrirait au printemps après des réparations.";
        let de = "Der Rat sagte am Montag, dass die neue Brücke nach den Reparaturen im Frühjahr öffnen werde.";
        let es = "El consejo dijo el lunes que el nuevo puente se abriría en la primavera después de las reparaciones.";
        assert_eq!(stopword_vote(en), Some("en"));
        assert_eq!(stopword_vote(fr), Some("fr"));
        assert_eq!(stopword_vote(de), Some("de"));
        assert_eq!(stopword_vote(es), Some("es"));
    }

    #[test]
    fn unclear_texts_fall_back_to_trigrams() {
        assert_eq!(
            stopword_vote("東京の天気は晴れです。今日は良い日です。"),
            None
        );
        assert_eq!(
            detect("東京の天気は晴れです。今日は良い日です。明日も晴れるでしょう。"),
            Some("ja")
        );
        assert_eq!(stopword_vote("Ushakov Belousov Manturov"), None);
    }
}
