//! Reader-comment sections: finds where the comments under an article begin, from a comments
//! heading ("34 Comments", "12 responses to “…”", "Leave a Reply") followed by comment
//! signals (author lines such as "jane says:", time stamps such as "November 19, 2019 at
//! 6:34 am", "2 days ago"). Comments read like good prose, so line features alone keep them;
//! this finds the cut. It only locates; the stripper removes.
//!
//! The patterns run on every line after the article's first paragraph, so each has a cheap
//! necessary condition checked first (a keyword, the closing colon of an author line); the
//! Unicode word boundaries of the full patterns push the regex engine off its fast path on
//! non-ASCII lines.

use aho_corasick::AhoCorasick;
use regex::Regex;

/// How many lines after a heading are searched for comment signals.
const SIGNAL_WINDOW: usize = 12;

/// The compiled comment-section patterns, built once per run.
#[derive(Debug, Clone)]
pub struct CommentDetector {
    heading: Regex,
    /// A keyword every form of `heading` contains (same case folding as `heading`).
    heading_hint: Regex,
    /// The ASCII keywords of `heading_hint`, for lowercased ASCII lines (where Unicode case
    /// folding is ASCII case folding): a literal search, much faster than the regex.
    heading_hint_ascii: AhoCorasick,
    author: Regex,
    stamp: Regex,
    min_signals: usize,
}

impl CommentDetector {
    /// Compiles the patterns; a section needs `min_signals` author/time lines after its start.
    pub fn new(min_signals: usize) -> crate::error::Result<Self> {
        let build = |p: &str| {
            Regex::new(p).map_err(|e| crate::error::Error::Config(format!("comment pattern: {e}")))
        };
        Ok(CommentDetector {
            heading: build(
                r"(?ix)^\W*(?:
                    .{0,40}\b[1-9]\d*\s+(?:comments?|responses?|replies|thoughts|kommentare?|commentaires?|comentarios?|комментари\w*)\b.{0,80}
                  | (?:top\ rated\ |all\ |view\ all\ |show\ |read\ |latest\ |reader\ )?comments
                  | leave\ a\ (?:reply|comment) | join\ the\ (?:conversation|discussion) | discussion
                  | commentaires | kommentare | comentarios | все\ комментарии
                )\W*$",
            )?,
            heading_hint: build(
                r"(?i)comment|response|replies|thought|kommentar|comentario|комментари|leave a|join the|discussion",
            )?,
            heading_hint_ascii: AhoCorasick::new([
                "comment",
                "response",
                "replies",
                "thought",
                "kommentar",
                "comentario",
                "leave a",
                "join the",
                "discussion",
            ])
            .map_err(|e| crate::error::Error::Config(format!("comment pattern: {e}")))?,
            author: build(
                r"(?i)^.{1,100}\b(?:says|said|wrote|dit|a écrit|schreibt|escribió|dice|пишет)\s*:\s*$",
            )?,
            stamp: build(
                r"(?ix)^(?:.{0,60}\b\d{1,2}:\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?|\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b.{0,30})\W*$",
            )?,
            min_signals,
        })
    }

    /// Whether `line` is a comment author line or a comment time stamp.
    fn is_signal(&self, line: &str) -> bool {
        line.len() <= 160 && (self.is_author(line) || self.is_stamp(line))
    }

    /// Whether `line` (trimmed) is a comment author line ("jane says:").
    fn is_author(&self, line: &str) -> bool {
        // The pattern ends with `:\s*$` and the line is trimmed.
        line.ends_with(':') && self.author.is_match(line)
    }

    /// Whether `line` (trimmed) is a comment time stamp.
    fn is_stamp(&self, line: &str) -> bool {
        // Its two forms need "h:mm" or "ago" (no other letters fold to a, g or o).
        let hint = line.contains(':')
            || line
                .as_bytes()
                .windows(3)
                .any(|w| w.eq_ignore_ascii_case(b"ago"));
        hint && self.stamp.is_match(line)
    }

    /// Whether `line` (trimmed) is a comments heading.
    fn is_heading(&self, line: &str) -> bool {
        const MAX: usize = 200;
        if line.len() > MAX {
            return false;
        }
        let hint = if line.is_ascii() {
            let mut lower = [0u8; MAX];
            let lower = &mut lower[..line.len()];
            lower.copy_from_slice(line.as_bytes());
            lower.make_ascii_lowercase();
            self.heading_hint_ascii.is_match(&*lower)
        } else {
            self.heading_hint.is_match(line)
        };
        hint && self.heading.is_match(line)
    }

    /// Index of the first line of the comment section among `lines[from..]`, if there is one.
    pub fn start(&self, lines: &[&str], from: usize) -> Option<usize> {
        let from = from.min(lines.len());
        // Comments follow their heading closely: count signals in a window after it.
        let signals_after = |i: usize| {
            lines[i.min(lines.len())..]
                .iter()
                .take(SIGNAL_WINDOW)
                .filter(|l| self.is_signal(l.trim()))
                .take(self.min_signals + 1)
                .count()
        };
        let heading = (from..lines.len()).find(|&i| {
            self.is_heading(lines[i].trim()) && signals_after(i + 1) >= self.min_signals
        });
        if heading.is_some() {
            return heading;
        }
        // No heading: a run of author lines is enough.
        (from..lines.len())
            .find(|&i| self.is_author(lines[i].trim()) && signals_after(i) > self.min_signals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_comment_section_after_a_heading() {
        let d = CommentDetector::new(2).expect("compiles");
        let lines = [
            "The article ends here.",
            "Share this:",
            "34 responses to “The story”",
            "jane says:",
            "November 19, 2019 at 6:34 am",
            "Great piece.",
        ];
        assert_eq!(d.start(&lines, 1), Some(2));
    }

    #[test]
    fn live_blog_times_without_heading_are_not_comments() {
        let d = CommentDetector::new(2).expect("compiles");
        let lines = ["10:32", "The minister spoke.", "10:45", "The vote began."];
        assert_eq!(d.start(&lines, 0), None);
    }

    #[test]
    fn hints_never_reject_a_line_the_patterns_accept() {
        let d = CommentDetector::new(2).expect("compiles");
        let lines = [
            "34 Comments",
            "12 responses to “The story”",
            "— 3 Replies —",
            "5 thoughts on “Budget”",
            "Leave a Reply",
            "LEAVE A COMMENT",
            "Join the conversation",
            "Discussion",
            "Commentaires",
            "Kommentare",
            "comentarios",
            "Все комментарии",
            "7 комментариев",
            "Top rated comments",
            "jane says:",
            "Jean a écrit :",
            "November 19, 2019 at 6:34 am",
            "2 days ago",
            "3 HOURS AGO ·",
            "10:32",
        ];
        for line in lines {
            let full =
                d.heading.is_match(line) || d.author.is_match(line) || d.stamp.is_match(line);
            assert!(full, "{line}");
            let hinted = d.is_heading(line) || d.is_author(line) || d.is_stamp(line);
            assert_eq!(hinted, full, "{line}");
        }
    }

    #[test]
    fn heading_without_comments_is_not_a_section() {
        let d = CommentDetector::new(2).expect("compiles");
        let lines = ["The article.", "Comments", "Related stories"];
        assert_eq!(d.start(&lines, 0), None);
    }
}
