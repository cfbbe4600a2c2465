//! Turning raw log bytes into safe, styled lines.
//!
//! Log text comes from programs we do not control: it may hold cursor moves,
//! OSC title or clipboard writes, or bytes that are not UTF-8. Only SGR
//! styles survive, as [`SgrStyle`](crate::model::SgrStyle); everything else
//! is removed here, before any of it can reach the terminal.
//!
//! What [`sanitize_line`] guarantees, for any input:
//! - no ESC, no C0 control (tabs become spaces up to the next 8-column
//!   stop), no DEL, no C1 control (U+0080..U+009F) in the output;
//! - no bidi embedding, override, isolate or mark, and no U+2028/U+2029;
//! - invalid UTF-8 shows as U+FFFD;
//! - a carriage return starts the line over once text follows it, so a
//!   progress bar shows its last state; a trailing CR changes nothing;
//! - spans are never empty and adjacent spans differ in style; an empty
//!   line (or one of only controls) gives an empty `Vec`.

pub mod json;
pub mod level;
mod lines;
mod parser;
mod sgr;
mod spans;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

use crate::model::{LevelTag, LogLine, LogStream, Structured, StyledSpan};

pub use lines::LineSplitter;
pub(crate) use parser::is_plain;

/// Longest line kept, in bytes; the rest of a longer line is cut off.
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// Sanitises one line (without its newline) into styled spans.
pub fn sanitize_line(raw: &[u8]) -> Vec<StyledSpan> {
    let mut sanitizer = parser::Sanitizer::with_capacity(raw.len());
    for chunk in raw.utf8_chunks() {
        sanitizer.feed_str(chunk.valid());
        // Each chunk ends in at most one maximal invalid sequence, which
        // becomes one U+FFFD, as in `String::from_utf8_lossy`.
        if !chunk.invalid().is_empty() {
            sanitizer.feed_char(char::REPLACEMENT_CHARACTER);
        }
    }
    sanitizer.finish()
}

/// One line of text (no newline) made safe by the same rules, but plain,
/// its styles dropped, and with reordering characters shown as `<U+202E>`
/// rather than dropped. `crate::text::clean` is the way in.
pub(crate) fn sanitize_text_line(line: &str) -> String {
    let mut sanitizer = parser::Sanitizer::for_text(line.len());
    sanitizer.feed_str(line);
    sanitizer.finish().into_iter().map(|s| s.text).collect()
}

/// A log line from its raw bytes (timestamp already split off): the text
/// sanitised, and its level and JSON form found once, here, so nothing
/// is worked out again per frame.
pub fn make_line(
    timestamp: Option<DateTime<Utc>>,
    stream: LogStream,
    source: usize,
    raw: &[u8],
) -> LogLine {
    let mut line = LogLine {
        timestamp,
        stream,
        source,
        spans: sanitize_line(raw),
        ..LogLine::default()
    };
    classify(&mut line);
    line
}

/// Sets the line's level and structured form from its text.
pub fn classify(line: &mut LogLine) {
    let (level, structured) = match line.spans.as_slice() {
        [] => (None, None),
        [one] => classified(&one.text),
        // A coloured line: its spans joined in a buffer kept for the next.
        spans => JOINED.with_borrow_mut(|joined| {
            joined.clear();
            spans.iter().for_each(|s| joined.push_str(&s.text));
            classified(joined)
        }),
    };
    line.level = level;
    line.structured = structured;
}

thread_local! {
    static JOINED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn classified(text: &str) -> (Option<LevelTag>, Option<Box<Structured>>) {
    match json::read(text) {
        Some(read) => (read.level, Some(Box::new(read.structured))),
        None => (level::detect(text), None),
    }
}

/// Longest timestamp looked for; keeps a line without one from being
/// scanned to its end for a space.
const MAX_TIMESTAMP_BYTES: usize = 40;

/// Splits the RFC 3339 timestamp the engine puts before each line when
/// asked for timestamps; returns the rest of the line.
pub fn split_timestamp(raw: &[u8]) -> (Option<DateTime<Utc>>, &[u8]) {
    if !raw.first().is_some_and(u8::is_ascii_digit) {
        return (None, raw);
    }
    let head = &raw[..raw.len().min(MAX_TIMESTAMP_BYTES)];
    let Some(space) = head.iter().position(|b| *b == b' ') else {
        return (None, raw);
    };
    let parsed = std::str::from_utf8(&raw[..space])
        .ok()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc));
    match parsed {
        Some(ts) => (Some(ts), &raw[space + 1..]),
        None => (None, raw),
    }
}
