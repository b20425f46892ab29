//! HTML found where plain text was expected (a `.txt` that holds a saved page): detected by
//! its tags and turned into text, with block elements as paragraph breaks, scripts and styles
//! dropped and character entities decoded. This is a fallback, not an HTML extractor.

/// How many characters from the start `looks_like_html` reads.
const HEAD_CHARS: usize = 4096;

/// Whether `text` looks like HTML markup rather than text that mentions a tag.
pub fn looks_like_html(text: &str) -> bool {
    // Every sign below starts with `<`, and the head (4,096 characters) lies within the first
    // 16 KiB: most text files have no `<` there and are told apart by one scan (lowering the
    // head and counting its tags was ~40 us per file, the reader's bottleneck on a folder of
    // small text files).
    let within = text.len().min(4 * HEAD_CHARS);
    if memchr::memchr(b'<', &text.as_bytes()[..within]).is_none() {
        return false;
    }
    let head: String = text
        .chars()
        .take(HEAD_CHARS)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.contains("<!doctype html") || head.contains("<html") || head.contains("<body") {
        return true;
    }
    let tags = [
        "<p>", "<p ", "</p>", "<div", "</div>", "<br", "</a>", "<span", "</li>",
    ];
    tags.iter().map(|t| head.matches(t).count()).sum::<usize>() >= 3
}

const BLOCK_TAGS: [&str; 22] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "blockquote",
    "title",
    "aside",
];

/// Converts HTML to text: block elements become blank-line breaks, other tags vanish.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A lone `<` that opens no tag is text.
            out.push_str(&decode_entities(rest));
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &rest[gt + 1..];
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = match lower.find(&close) {
                Some(i) => rest[i..].find('>').map_or("", |g| &rest[i + g + 1..]),
                None => "",
            };
            continue;
        }
        if BLOCK_TAGS.contains(&name.as_str()) {
            out.push_str("\n\n");
        }
    }
    out.push_str(&decode_entities(rest));
    out
}

/// Decodes the common named entities and numeric character references.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..].find(';').map(|i| i + 1).filter(|&i| i <= 10);
        let decoded = end.and_then(|e| entity(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "rsquo" => '’',
        "lsquo" => '‘',
        "ldquo" => '“',
        "rdquo" => '”',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "copy" => '©',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_pages_not_mentions() {
        assert!(looks_like_html(
            "<!DOCTYPE html><html><body>x</body></html>"
        ));
        assert!(!looks_like_html("The <p> tag starts a paragraph in HTML."));
    }

    /// `looks_like_html` as it was before its `<` pre-check.
    fn looks_like_html_reference(text: &str) -> bool {
        let head = text
            .chars()
            .take(4096)
            .collect::<String>()
            .to_ascii_lowercase();
        head.contains("<!doctype html")
            || head.contains("<html")
            || head.contains("<body")
            || [
                "<p>", "<p ", "</p>", "<div", "</div>", "<br", "</a>", "<span", "</li>",
            ]
            .iter()
            .map(|t| head.matches(t).count())
            .sum::<usize>()
                >= 3
    }

    #[test]
    fn the_pre_check_reads_exactly_the_head() {
        // `<html` on the head's last five characters counts, one character later not, however
        // many bytes the characters before it take.
        for filler in ["a", "é", "€", "𝄞"] {
            for (before, expected) in [(4091, true), (4092, false)] {
                let text = format!("{}<html><body>x</body></html>", filler.repeat(before));
                assert_eq!(looks_like_html(&text), expected, "{filler} x {before}");
                assert_eq!(looks_like_html_reference(&text), expected);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_pre_check_changes_no_answer(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "word ", "é", "𝄞", "<p>", "</P>", "<DIV", "<br/>", "<html", "<!DOCTYPE HTML",
                    "a < b", "\n\n",
                ]),
                0..40,
            ),
            filler in 0usize..5000,
        ) {
            let text = format!("{}{}", "x".repeat(filler), parts.concat());
            proptest::prop_assert_eq!(looks_like_html(&text), looks_like_html_reference(&text));
        }
    }

    #[test]
    fn converts_blocks_scripts_and_entities() {
        let html = "<html><head><style>p{}</style><script>var a = '<p>';</script></head><body><h1>Title &amp; more</h1><p>One&nbsp;&#8217;two&#x2019;</p><!-- c --><div>Three <b>bold</b></div></body></html>";
        let text = html_to_text(html);
        let paragraphs: Vec<&str> = text
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        assert_eq!(paragraphs, ["Title & more", "One\u{a0}’two’", "Three bold"]);
    }

    #[test]
    fn keeps_stray_ampersands_and_angles() {
        assert_eq!(
            decode_entities("A & B &unknown; &#65;"),
            "A & B &unknown; A"
        );
        assert_eq!(html_to_text("3 < 4"), "3 < 4");
    }
}
