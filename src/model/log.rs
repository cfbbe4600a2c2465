//! Log lines after sanitising, and the bounded window that holds them.

use std::borrow::Cow;
use std::collections::VecDeque;

use chrono::{DateTime, Utc};

/// Which output stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogStream {
    #[default]
    Stdout,
    Stderr,
    /// TTY containers merge both streams.
    Console,
    /// Written by stacktop itself: the separator between two runs.
    Stacktop,
}

/// How serious a line says it is, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Trace,
    Debug,
    Info,
    Warn,
    /// Also FATAL, PANIC and CRITICAL.
    Error,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Self::Trace => "TRACE",
            Self::Debug => "DEBUG",
            Self::Info => "INFO",
            Self::Warn => "WARN",
            Self::Error => "ERROR",
        }
    }
}

/// A line's level, and where the word that says it is: a byte range of
/// [`LogLine::text`] (empty when nothing there is worth colouring).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelTag {
    pub severity: Severity,
    pub start: u16,
    pub end: u16,
}

/// What a piece of a structured line is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartRole {
    Time,
    Level,
    Message,
    Key,
    Value,
}

/// A run of a structured line's text: `text[start..end]` plays `role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub role: PartRole,
    pub start: u32,
    pub end: u32,
}

/// A JSON line as it reads best: `time level message key=value …`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Structured {
    pub text: String,
    /// In order, not overlapping; text between parts is plain.
    pub parts: Vec<Part>,
}

/// A colour named by an SGR sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SgrColor {
    /// 0..=255: the 16 basic colours and the 256-colour palette.
    Indexed(u8),
    Rgb(u8, u8, u8),
}

/// The text attributes SGR sequences can set; everything else is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SgrStyle {
    pub fg: Option<SgrColor>,
    pub bg: Option<SgrColor>,
    pub bold: bool,
    pub dim: bool,
    pub italic: bool,
    pub underline: bool,
    pub reverse: bool,
}

/// A run of printable text with one style.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StyledSpan {
    pub text: String,
    pub style: SgrStyle,
}

/// One sanitised log line: no control characters but tab, no escapes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogLine {
    /// Engine timestamp, used for display and to merge several containers.
    pub timestamp: Option<DateTime<Utc>>,
    pub stream: LogStream,
    /// Index of the container in the log view's list of sources.
    pub source: usize,
    pub spans: Vec<StyledSpan>,
    /// The level the line states, found once when the line is made.
    pub level: Option<LevelTag>,
    /// The line read as a JSON object, when it is one.
    pub structured: Option<Box<Structured>>,
}

impl LogLine {
    /// Plain text of the line, without styles.
    pub fn text(&self) -> String {
        self.raw_text().into_owned()
    }

    /// Plain text of the line, borrowed when it is one span (most are).
    pub fn raw_text(&self) -> Cow<'_, str> {
        match self.spans.as_slice() {
            [] => Cow::Borrowed(""),
            [one] => Cow::Borrowed(one.text.as_str()),
            many => Cow::Owned(many.iter().map(|s| s.text.as_str()).collect()),
        }
    }

    /// The text a reader sees: the structured form of a JSON line when
    /// `structured` is asked for, else the raw text.
    pub fn shown_text(&self, structured: bool) -> Cow<'_, str> {
        match &self.structured {
            Some(s) if structured => Cow::Borrowed(s.text.as_str()),
            _ => self.raw_text(),
        }
    }

    pub fn severity(&self) -> Option<Severity> {
        self.level.map(|l| l.severity)
    }
}

/// What the log view worked out about a kept line: kept beside it so
/// counts stay true as lines come and go, and nothing is redone per frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    /// Matches of the search in the line's shown text.
    pub hits: u32,
    /// The level used for the minimum-level choice (a continuation line
    /// takes the level of the line it continues).
    pub severity: Option<Severity>,
    /// The filter leaves the line out.
    pub filtered_out: bool,
    /// Not shown: filtered out, below the minimum level, or its source is
    /// turned off.
    pub hidden: bool,
}

/// Where a pushed line went, and the mark of the line that left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pushed {
    /// Index of the new line; `None` when it was older than the whole
    /// full window and dropped at once.
    pub at: Option<usize>,
    /// The mark of the line dropped to make room (or of the new line
    /// itself when it was dropped at once).
    pub dropped: Option<Mark>,
}

/// A fixed-size window of the newest log lines.
///
/// Whatever a service prints, memory stays bounded: pushing past the
/// capacity drops the oldest line.
#[derive(Debug, Clone)]
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    /// One per line, at the same index.
    marks: VecDeque<Mark>,
    capacity: usize,
    /// Lines dropped from the front since the buffer was made.
    dropped: u64,
}

impl LogBuffer {
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            lines: VecDeque::with_capacity(capacity.min(4096)),
            marks: VecDeque::with_capacity(capacity.min(4096)),
            capacity,
            dropped: 0,
        }
    }

    /// Adds a line in timestamp order (lines from several containers can
    /// arrive slightly out of order), dropping the oldest past capacity.
    pub fn push(&mut self, line: LogLine) -> Pushed {
        self.push_marked(line, Mark::default())
    }

    /// Like [`LogBuffer::push`], keeping `mark` beside the line.
    pub fn push_marked(&mut self, line: LogLine, mark: Mark) -> Pushed {
        if self.lines.len() >= self.capacity && self.older_than_window(&line) {
            // It would be dropped at once: skip the walk through the window.
            self.dropped += 1;
            return Pushed {
                at: None,
                dropped: Some(mark),
            };
        }
        let at = self.insert_position(&line);
        self.lines.insert(at, line);
        self.marks.insert(at, mark);
        if self.lines.len() <= self.capacity {
            return Pushed {
                at: Some(at),
                dropped: None,
            };
        }
        self.lines.pop_front();
        self.dropped += 1;
        Pushed {
            // At 0 the new line was the oldest, and it went.
            at: at.checked_sub(1),
            dropped: self.marks.pop_front(),
        }
    }

    fn older_than_window(&self, line: &LogLine) -> bool {
        match (line.timestamp, self.lines.front().and_then(|l| l.timestamp)) {
            (Some(ts), Some(first)) => ts < first,
            _ => false,
        }
    }

    fn insert_position(&self, line: &LogLine) -> usize {
        let Some(ts) = line.timestamp else {
            return self.lines.len();
        };
        // Walk back from the end: nearly every line belongs there.
        let mut at = self.lines.len();
        while at > 0 {
            match self.lines[at - 1].timestamp {
                Some(prev) if prev > ts => at -= 1,
                _ => break,
            }
        }
        at
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn get(&self, index: usize) -> Option<&LogLine> {
        self.lines.get(index)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &LogLine> + ExactSizeIterator {
        self.lines.iter()
    }

    pub fn mark(&self, index: usize) -> Option<&Mark> {
        self.marks.get(index)
    }

    pub fn marks(&self) -> impl DoubleEndedIterator<Item = &Mark> + ExactSizeIterator {
        self.marks.iter()
    }

    /// Every line with its mark, to mark again (a new search, filter…).
    pub fn iter_marked_mut(&mut self) -> impl Iterator<Item = (&LogLine, &mut Mark)> {
        self.lines.iter().zip(self.marks.iter_mut())
    }

    pub fn clear(&mut self) {
        self.lines.clear();
        self.marks.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> LogLine {
        LogLine {
            timestamp: DateTime::from_timestamp(secs, 0),
            ..LogLine::default()
        }
    }

    fn times(buffer: &LogBuffer) -> Vec<i64> {
        buffer
            .iter()
            .map(|l| l.timestamp.map_or(-1, |t| t.timestamp()))
            .collect()
    }

    #[test]
    fn late_lines_are_inserted_in_time_order() {
        let mut buffer = LogBuffer::new(10);
        for secs in [1, 3, 2, 5, 4] {
            buffer.push(at(secs));
        }
        assert_eq!(times(&buffer), vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn lines_without_timestamp_go_last() {
        let mut buffer = LogBuffer::new(10);
        buffer.push(at(5));
        buffer.push(LogLine::default());
        buffer.push(at(6));
        assert_eq!(times(&buffer), vec![5, -1, 6]);
    }

    #[test]
    fn full_window_drops_the_oldest_and_lines_older_than_it() {
        let mut buffer = LogBuffer::new(3);
        for secs in [10, 11, 12, 13] {
            buffer.push(at(secs));
        }
        assert_eq!(times(&buffer), vec![11, 12, 13]);
        buffer.push(at(1));
        assert_eq!(times(&buffer), vec![11, 12, 13]);
        assert_eq!(buffer.dropped(), 2);
    }
}
