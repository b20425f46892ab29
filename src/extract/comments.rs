//! Reader-comment sections: finds where the comments under an article begin, from a comments
//! heading ("34 Comments", "12 responses to “…”", "Leave a Reply") followed by comment
//! signals (author lines such as "jane says:", time stamps such as "November 19, 2019 at
//! 6:34 am", "2 days ago"). Comments read like good prose, so line features alone keep them;
//! this finds the cut. It only locates; the stripper removes.

use regex::Regex;

/// How many lines after a heading are searched for comment signals.
const SIGNAL_WINDOW: usize = 12;

/// The compiled comment-section patterns, built once per run.
#[derive(Debug, Clone)]
pub struct CommentDetector {
    heading: Regex,
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
        line.len() <= 160 && (self.author.is_match(line) || self.stamp.is_match(line))
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
            let line = lines[i].trim();
            line.len() <= 200
                && self.heading.is_match(line)
                && signals_after(i + 1) >= self.min_signals
        });
        if heading.is_some() {
            return heading;
        }
        // No heading: a run of author lines is enough.
        (from..lines.len())
            .find(|&i| self.author.is_match(lines[i].trim()) && signals_after(i) > self.min_signals)
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
    fn heading_without_comments_is_not_a_section() {
        let d = CommentDetector::new(2).expect("compiles");
        let lines = ["The article.", "Comments", "Related stories"];
        assert_eq!(d.start(&lines, 0), None);
    }
}
