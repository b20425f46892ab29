//! Guards: the checks that keep the corrector away from what it must not touch. Names
//! (capitalised words inside a sentence), ALL-CAPS acronyms, tokens with digits, URLs, e-mails,
//! @handles, #tags, hyphenated compounds, quoted titles, very short words without strong
//! context, and non-English passages. Each guard is a small pure function over a chunk or a
//! paragraph; none of them edits text.

use super::lexicon::Lexicon;
use super::tokens::Chunk;
use crate::swar::{ascii_block_at, bits_between, run_edges, ByteClasses};

/// The capitalisation of a token, which decides whether (and how) it may be corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CasePattern {
    /// all lowercase
    Lower,
    /// First letter uppercase, the rest lowercase.
    Capitalised,
    /// Two or more letters, all uppercase (acronyms).
    AllCaps,
    /// Anything else (iPhone, McDonald).
    Mixed,
}

/// The capitalisation of an ASCII word.
pub fn case_pattern(word: &str) -> CasePattern {
    let b = word.as_bytes();
    let upper = b.iter().filter(|c| c.is_ascii_uppercase()).count();
    match (upper, b.first().is_some_and(u8::is_ascii_uppercase)) {
        (0, _) => CasePattern::Lower,
        (1, true) => CasePattern::Capitalised,
        (n, _) if n == b.len() && n >= 2 => CasePattern::AllCaps,
        _ => CasePattern::Mixed,
    }
}

/// Whether the chunk is an @handle, a #tag or a $ticker: a name, never a misspelling.
pub fn is_tagged(text: &str, chunk: &Chunk) -> bool {
    chunk.start < chunk.core_start
        && chunk
            .lead(text)
            .bytes()
            .any(|b| matches!(b, b'@' | b'#' | b'$'))
}

/// The correctable word in a chunk: its core when the whole chunk is plain punctuation around
/// ASCII letters, optionally with a possessive `'s`/`’s` (returned without it). Rejects tokens
/// with digits, URLs, e-mails, @handles, #tags, hyphenated or slashed compounds, non-ASCII
/// words (foreign words, names with diacritics) and words truncated by an ellipsis.
pub fn plain_word<'a>(text: &'a str, chunk: &Chunk) -> Option<&'a str> {
    // Byte checks: every mark tested is ASCII (or, for '…' and '’', a whole UTF-8 sequence),
    // and a chunk's bounds are char boundaries, so bytes and chars agree.
    let bytes = text.as_bytes();
    let core = bytes.get(chunk.core_start..chunk.core_end)?;
    if is_tagged(text, chunk) {
        return None;
    }
    // A percentage, or a word cut off by an ellipsis ("he als…"): not a misspelling.
    if chunk.core_end < chunk.end {
        let trail = chunk.trail(text).as_bytes();
        if trail.contains(&b'%') || trail.starts_with("…".as_bytes()) || trail.starts_with(b"..")
        {
            return None;
        }
    }
    let len = if core.iter().all(u8::is_ascii_alphabetic) {
        core.len()
    } else if let Some(stem) = core
        .strip_suffix(b"'s")
        .or_else(|| core.strip_suffix("’s".as_bytes()))
    {
        if !stem.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        stem.len()
    } else {
        return None;
    };
    if len == 0 {
        return None;
    }
    text.get(chunk.core_start..chunk.core_start + len)
}

/// Whether a chunk stands where a capitalised word is expected anyway: the start of a sentence
/// or of a quotation.
pub fn starts_sentence_or_quote(chunk: &Chunk) -> bool {
    chunk.sentence_start || chunk.opens_quote
}

/// Whether a word of `len` letters with case `case` may be corrected at all in this position:
/// lowercase words anywhere, capitalised words only at a sentence or quote start (elsewhere they
/// are names), never acronyms or mixed case, and words of at most two letters only when
/// capitalised at a sentence or quote start ("Th" -> "The").
pub fn may_correct(case: CasePattern, len: usize, chunk: &Chunk) -> bool {
    if chunk.quoted_title {
        return false;
    }
    match case {
        CasePattern::Lower => len > 2,
        CasePattern::Capitalised => len >= 2 && starts_sentence_or_quote(chunk),
        CasePattern::AllCaps | CasePattern::Mixed => false,
    }
}

/// Whether a word of three or more letters has no vowel at all ("zstd", "npm", "ctrl"): such
/// tokens are usually abbreviations, codes or commands. A typo can drop a word's only vowel
/// ("frm"), so this only vetoes a correction whose target is vowelless too ("zstd" -> "std").
pub fn looks_like_code(word: &str) -> bool {
    word.len() >= 3
        && !word.bytes().any(|b| {
            matches!(
                b.to_ascii_lowercase(),
                b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
            )
        })
}

/// Whether the chunk's word is cut short by an apostrophe ("goin’", "nothin'", "ol’"): an
/// elision written on purpose, not a slip. A word in "s" before the apostrophe is a plural
/// possessive ("players’"), a whole word, and after an opening quote the mark closes a
/// quotation ("'teh'").
pub fn elided(text: &str, chunk: &Chunk) -> bool {
    let trail = chunk.trail(text);
    (trail.starts_with('\'') || trail.starts_with('’'))
        && !chunk.core(text).ends_with(['s', 'S'])
        && !chunk.lead(text).contains(['\'', '‘', '’'])
}

/// Whether a neighbour of chunk `i` is a stray letter ("Arte mis m oon"): a scraping artefact
/// around which words are broken pieces, not typos.
pub fn next_to_fragment(text: &str, chunks: &[Chunk], i: usize) -> bool {
    let stray = |j: usize| {
        chunks.get(j).is_some_and(|c| {
            let core = c.core(text);
            core.len() == 1
                && core
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() && b != b'a' && b != b'i')
        })
    };
    (i > 0 && stray(i - 1)) || stray(i + 1)
}

/// Whether chunk `i` (a lowercase word) sits inside a name, like "von" in "Jakob von Moltke":
/// a capitalised word follows mid-sentence, and a capitalised word precedes or the word recurs.
pub fn name_particle(text: &str, chunks: &[Chunk], i: usize, recurs: bool) -> bool {
    let capitalised = |j: usize| {
        chunks.get(j).is_some_and(|c| {
            !c.sentence_start && case_pattern(c.core(text)) == CasePattern::Capitalised
        })
    };
    capitalised(i + 1) && (recurs || (i > 0 && capitalised(i - 1)))
}

/// Whether chunk `i` is followed, mid-sentence, by a capitalised proper name or unknown word
/// ("Benj Sykes", "Ina Garten"): then a capitalised chunk `i` reads as a first name.
pub fn before_a_name(text: &str, chunks: &[Chunk], i: usize, lexicon: &Lexicon) -> bool {
    let Some(next) = chunks.get(i + 1) else {
        return false;
    };
    let core = next.core(text);
    if next.sentence_start
        || case_pattern(core) != CasePattern::Capitalised
        || !core.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return false;
    }
    match lexicon.lookup(&core.to_ascii_lowercase()) {
        Some(id) => lexicon.is_name(id),
        None => true,
    }
}

/// Settings of the passage-language guard.
#[derive(Debug, Clone, Copy)]
pub struct PassageGuard {
    /// Passages with fewer words are judged by the known-word ratio only.
    pub min_words: usize,
    /// Share of lowercase words that must be known English words.
    pub min_known_ratio: f64,
    /// Share of known English words above which no language identification is needed.
    pub sure_known_ratio: f64,
}

/// Whether a paragraph reads as English: enough of its lowercase words are known English words,
/// and language identification (`crate::language`) does not say it is another language. Called
/// only for paragraphs with a proposed edit, so its cost stays off the hot path.
pub fn passage_is_english(text: &str, lexicon: &Lexicon, guard: PassageGuard) -> bool {
    let (words, known) = known_lowercase_words_fast(text, lexicon);
    if words > 0 && (known as f64) < guard.min_known_ratio * words as f64 {
        return false;
    }
    // Clearly English by its words, or too short for language identification to be reliable.
    if words < guard.min_words || (known as f64) >= guard.sure_known_ratio * words as f64 {
        return true;
    }
    crate::language::detect(text).is_none_or(|lang| lang == "en")
}

/// The number of all-lowercase words in `text` (runs of letters and apostrophes) and how many
/// of them are known English words, by the char rules (the reference for the fast version).
#[cfg(test)]
fn known_lowercase_words(text: &str, lexicon: &Lexicon) -> (usize, usize) {
    let mut words = 0usize;
    let mut known = 0usize;
    for w in text
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        if !w.chars().all(char::is_lowercase) {
            continue;
        }
        words += 1;
        if lexicon.contains(w) {
            known += 1;
        }
    }
    (words, known)
}

/// `known_lowercase_words` by bytes, decoding only characters outside ASCII: a word is a run of
/// alphabetic characters and ASCII apostrophes, counted when all of it is lowercase (an
/// apostrophe is not).
fn known_lowercase_words_fast(text: &str, lexicon: &Lexicon) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut words = 0usize;
    let mut known = 0usize;
    let mut start: Option<usize> = None;
    let mut lowercase = true;
    let mut pos = 0;
    loop {
        // 64 ASCII bytes at a time: word runs from the letter and apostrophe mask, a word's
        // case from the small-letter mask over its bytes in the block.
        if let Some(block) = ascii_block_at(bytes, pos) {
            let word = block.folded().in_range(b'a', b'z') | block.eq(b'\'');
            let not_lower = word & !block.in_range(b'a', b'z');
            // Where the open word's bytes in this block start.
            let mut from = 0;
            for (j, starts) in run_edges(word, start.is_some()) {
                if starts {
                    start = Some(pos + j);
                    lowercase = true;
                    from = j;
                } else if let Some(s) = start.take() {
                    lowercase &= not_lower & bits_between(from, j) == 0;
                    if lowercase {
                        words += 1;
                        if lexicon.contains_bytes(bytes.get(s..pos + j).unwrap_or_default()) {
                            known += 1;
                        }
                    }
                }
            }
            if start.is_some() {
                lowercase &= not_lower & bits_between(from, 64) == 0;
            }
            pos += 64;
            continue;
        }
        let (in_word, lower, len) = match bytes.get(pos) {
            None => (false, false, 0),
            Some(&b) if b < 0x80 => (
                b.is_ascii_alphabetic() || b == b'\'',
                b.is_ascii_lowercase(),
                1,
            ),
            Some(_) => match text.get(pos..).and_then(|r| r.chars().next()) {
                Some(c) => (c.is_alphabetic(), c.is_lowercase(), c.len_utf8()),
                None => (false, false, 1),
            },
        };
        if in_word {
            if start.is_none() {
                start = Some(pos);
                lowercase = true;
            }
            lowercase &= lower;
        } else if let Some(s) = start.take() {
            if lowercase {
                words += 1;
                if lexicon.contains_bytes(bytes.get(s..pos).unwrap_or_default()) {
                    known += 1;
                }
            }
        }
        if len == 0 {
            break;
        }
        pos += len;
    }
    (words, known)
}

#[cfg(test)]
mod tests {
    use super::super::tokens::chunks;
    use super::*;

    fn chunk_of<'a>(text: &'a str, core: &str) -> (Chunk, &'a str) {
        let c = chunks(text, 4)
            .into_iter()
            .find(|c| c.core(text) == core)
            .expect("chunk present in test text");
        (c, text)
    }

    #[test]
    fn case_patterns() {
        assert_eq!(case_pattern("teh"), CasePattern::Lower);
        assert_eq!(case_pattern("Teh"), CasePattern::Capitalised);
        assert_eq!(case_pattern("DPRK"), CasePattern::AllCaps);
        assert_eq!(case_pattern("iPhone"), CasePattern::Mixed);
    }

    #[test]
    fn elisions_are_not_slips_but_possessives_are_words() {
        for (text, core) in [
            ("We are goin’ home.", "goin"),
            ("He said nothin' at all.", "nothin"),
            ("The ol’ river.", "ol"),
        ] {
            let (c, t) = chunk_of(text, core);
            assert!(elided(t, &c), "{text}");
        }
        for (text, core) in [
            ("The playres’ union met.", "playres"),
            ("He said teh plan.", "teh"),
            ("The word 'teh' again.", "teh"),
        ] {
            let (c, t) = chunk_of(text, core);
            assert!(!elided(t, &c), "{text}");
        }
    }

    #[test]
    fn a_capitalised_name_or_unknown_word_after_a_word_makes_it_a_first_name() {
        let lex = Lexicon::english();
        let at = |text: &str, core: &str| {
            let c = chunks(text, 4);
            let i = c.iter().position(|c| c.core(text) == core).expect("chunk");
            before_a_name(text, &c, i, lex)
        };
        assert!(at("Benj Sykes, the manager, said so.", "Benj"), "a name");
        assert!(at("Jonh Qxyzzt said so.", "Jonh"), "an unknown word");
        assert!(!at("Th White House said so.", "Th"), "a common word");
        assert!(!at("Th sides are still working on it.", "Th"), "lowercase");
        assert!(
            !at("It was Benj. Sykes came later.", "Benj"),
            "a new sentence"
        );
    }

    #[test]
    fn capitalised_words_mid_sentence_are_names() {
        let (c, _) = chunk_of("Aide Yury Ushakov said.", "Ushakov");
        assert!(!may_correct(CasePattern::Capitalised, 7, &c));
        let (c, _) = chunk_of("He left. Hiwever, she stayed.", "Hiwever");
        assert!(may_correct(CasePattern::Capitalised, 7, &c));
    }

    #[test]
    fn all_caps_and_mixed_case_are_never_corrected() {
        let (c, _) = chunk_of("NASSA said.", "NASSA");
        assert!(!may_correct(case_pattern("NASSA"), 5, &c));
        assert!(!may_correct(case_pattern("iPhnoe"), 6, &c));
    }

    #[test]
    fn short_words_need_a_sentence_or_quote_start() {
        let (c, _) = chunk_of("and te cat", "te");
        assert!(!may_correct(CasePattern::Lower, 2, &c));
        let (c, _) = chunk_of("he said “Th sides are", "Th");
        assert!(may_correct(CasePattern::Capitalised, 2, &c));
    }

    #[test]
    fn urls_emails_handles_tags_digits_and_compounds_are_not_plain_words() {
        for (text, core) in [
            ("see https://exmaple.com now", "https://exmaple.com"),
            ("mail jonh@example.org now", "jonh@example.org"),
            ("by @jonhdoe now", "@jonhdoe"),
            ("tag #climatr now", "#climatr"),
            ("model X5tra now", "X5tra"),
            ("a neo-colonail order", "neo-colonail"),
            ("costs $200 now", "$200"),
        ] {
            let (c, t) = chunk_of(text, core);
            assert_eq!(plain_word(t, &c), None, "{text}");
        }
        let (c, t) = chunk_of("he said he als… and left", "als");
        assert_eq!(plain_word(t, &c), None, "truncated teaser");
        let (c, t) = chunk_of("the famiyl's house", "famiyl's");
        assert_eq!(plain_word(t, &c), Some("famiyl"));
    }

    #[test]
    fn words_next_to_stray_letters_are_fragments() {
        let text = "its Arte mis m oon program";
        let cs = chunks(text, 4);
        let at = |core: &str| cs.iter().position(|c| c.core(text) == core).unwrap_or(99);
        assert!(next_to_fragment(text, &cs, at("oon")));
        assert!(!next_to_fragment(text, &cs, at("program")));
        let text = "a cat and i sat";
        let cs = chunks(text, 4);
        assert!(!next_to_fragment(text, &cs, 1));
    }

    #[test]
    fn name_particles_are_part_of_names() {
        let text = "his postdoc Jakob von Moltke said and von Moltke used";
        let cs = chunks(text, 4);
        assert!(name_particle(text, &cs, 3, false));
        assert!(
            !name_particle(text, &cs, 7, false),
            "one capitalised neighbour only"
        );
        assert!(
            name_particle(text, &cs, 7, true),
            "recurring word before a name"
        );
        assert!(!name_particle(text, &cs, 5, true), "next word is lowercase");
    }

    #[test]
    fn vowelless_tokens_are_codes() {
        for code in ["zstd", "npm", "ctrl", "HTTP"] {
            assert!(looks_like_code(code), "{code}");
        }
        for word in ["Th", "teh", "rhythm", "srtong", "fly"] {
            assert!(!looks_like_code(word), "{word}");
        }
    }

    #[test]
    fn single_letters_are_never_corrected() {
        let (c, _) = chunk_of("Noem (R) is here", "R");
        assert!(!may_correct(CasePattern::Capitalised, 1, &c));
    }

    #[test]
    fn quoted_titles_are_left_alone() {
        let (c, _) = chunk_of("he read “Teh Hobbit” again", "Hobbit");
        assert!(!may_correct(CasePattern::Lower, 6, &c));
    }

    #[test]
    fn non_english_passages_are_recognised() {
        let lex = Lexicon::english();
        let guard = PassageGuard {
            min_words: 6,
            min_known_ratio: 0.6,
            sure_known_ratio: 1.1,
        };
        let german = "Die Bundesregierung hat am Mittwoch beschlossen, dass die neuen \
                      Regeln für alle Unternehmen gelten sollen und sofort umgesetzt werden.";
        assert!(!passage_is_english(german, lex, guard));
        let english = "The government decided on Wednesday that the new rules apply to all \
                       companies and take effect at once.";
        assert!(passage_is_english(english, lex, guard));
    }

    #[test]
    fn word_count_by_bytes_matches_the_char_rules() {
        let lex = Lexicon::english();
        for text in [
            "",
            "the cat's hat, o'clock and teh dog-house 42times x",
            "Die Bundesregierung hat am Mittwoch beschlossen, dass die neuen Regeln gelten.",
            "'tis ''' quoted 'words' and-some_under_scores done.",
            "“the café’s naïve señor,” he said — über straße ÉCOLE école x’y ǅungla",
            "ends with a word",
        ] {
            assert_eq!(
                known_lowercase_words_fast(text, lex),
                known_lowercase_words(text, lex),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn word_count_by_blocks_matches_the_char_rules(
            // Long ASCII stretches (whole 64-byte blocks, words across their edges), with
            // capitals, apostrophes and non-ASCII letters here and there.
            text in "(([a-z]{1,12}|[A-Z][a-z]{0,6}|'|teh|[ ,.]{1,2}){0,30}(é|ß|É|’)?){0,4}"
        ) {
            let lex = Lexicon::english();
            proptest::prop_assert_eq!(
                known_lowercase_words_fast(&text, lex),
                known_lowercase_words(&text, lex)
            );
        }
    }
}
