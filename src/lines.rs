//! Line splitting by memchr. `str::lines` and `str::split('\n')` search for each line end
//! separately; for the short lines of scraped pages that per-search setup cost more than the
//! search. These iterate one memchr scan of the whole text and give the same lines.

/// The lines of `text` exactly as `str::lines` gives them: split at `\n`, a `\r` right before
/// the `\n` dropped, no empty line after a final `\n`.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    pieces(text).filter_map(|(line, ended)| {
        // The piece after a final `\n` (or of an empty text) is no line.
        if !ended && line.is_empty() {
            return None;
        }
        Some(if ended {
            line.strip_suffix('\r').unwrap_or(line)
        } else {
            line
        })
    })
}

/// The pieces of `text` exactly as `str::split('\n')` gives them.
pub fn split_newlines(text: &str) -> impl Iterator<Item = &str> {
    pieces(text).map(|(piece, _)| piece)
}

/// The pieces between `\n`s, each with whether a `\n` ended it.
fn pieces(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|end| (end, true))
        .chain(std::iter::once((text.len(), false)))
        .map(move |(end, ended)| {
            // `\n` is ASCII, so both ends are character boundaries.
            let piece = text.get(start..end).unwrap_or_default();
            start = end + 1;
            (piece, ended)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_pieces_as_std_has_them() {
        for text in [
            "",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\nc\n",
            "x y\n\nz",
            "\n",
            "\r",
            "a\r",
            "a\r\r\n",
            "\r\n",
            "é\n“q”\r\n",
        ] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
            assert_eq!(
                split_newlines(text).collect::<Vec<_>>(),
                text.split('\n').collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_splits_as_std_splits(text in "[ab\r\n é]{0,30}") {
            proptest::prop_assert_eq!(lines(&text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>());
            proptest::prop_assert_eq!(
                split_newlines(&text).collect::<Vec<_>>(),
                text.split('\n').collect::<Vec<_>>()
            );
        }
    }
}
