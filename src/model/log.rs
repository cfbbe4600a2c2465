//! Log lines after sanitising, and the bounded window that holds them.

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
}

impl LogLine {
    /// Plain text of the line, without styles.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// A fixed-size window of the newest log lines.
///
/// Whatever a service prints, memory stays bounded: pushing past the
/// capacity drops the oldest line.
#[derive(Debug, Clone)]
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    capacity: usize,
    /// Lines dropped from the front since the buffer was made.
    dropped: u64,
}

impl LogBuffer {
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            lines: VecDeque::with_capacity(capacity.min(4096)),
            capacity,
            dropped: 0,
        }
    }

    /// Adds a line in timestamp order (lines from several containers can
    /// arrive slightly out of order), dropping the oldest past capacity.
    pub fn push(&mut self, line: LogLine) {
        if self.lines.len() >= self.capacity && self.older_than_window(&line) {
            // It would be dropped at once: skip the walk through the window.
            self.dropped += 1;
            return;
        }
        let at = self.insert_position(&line);
        self.lines.insert(at, line);
        if self.lines.len() > self.capacity {
            self.lines.pop_front();
            self.dropped += 1;
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

    pub fn clear(&mut self) {
        self.lines.clear();
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
