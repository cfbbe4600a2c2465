//! From the engine's log chunks to sanitised lines, in batches.

use std::time::Duration;

use bollard::container::LogOutput;
use chrono::{DateTime, Utc};
use tokio::sync::mpsc::Sender;
use tokio::time::Instant;

use crate::event::{Event, LogEvent};
use crate::logtext::{LineSplitter, make_line, split_timestamp};
use crate::model::{LogLine, LogStream};

/// A batch is sent when it holds this many lines...
pub const MAX_BATCH: usize = 512;
/// ...or when its first line has waited this long.
pub const MAX_BATCH_DELAY: Duration = Duration::from_millis(30);

/// Turns chunks of one source into lines; each stream has its own
/// splitter, so stdout and stderr text never mix within a line.
#[derive(Debug, Default)]
pub struct Decoder {
    stdout: LineSplitter,
    stderr: LineSplitter,
    console: LineSplitter,
    lines: LineMaker,
}

/// Builds lines and remembers the newest timestamp, so a reopened stream
/// can skip what was already shown.
#[derive(Debug, Default)]
struct LineMaker {
    source: usize,
    /// Lines stamped at or before this were already shown.
    skip_until: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
}

impl Decoder {
    pub fn new(source: usize) -> Self {
        Self {
            lines: LineMaker {
                source,
                ..LineMaker::default()
            },
            ..Self::default()
        }
    }

    /// Newest timestamp seen so far.
    pub fn last_timestamp(&self) -> Option<DateTime<Utc>> {
        self.lines.last
    }

    /// Starts a new stream of the same source: partial lines are dropped
    /// and lines up to the newest one seen are skipped.
    pub fn restart(&mut self) {
        self.stdout = LineSplitter::default();
        self.stderr = LineSplitter::default();
        self.console = LineSplitter::default();
        self.lines.skip_until = self.lines.last;
    }

    pub fn push(&mut self, output: &LogOutput, out: &mut Vec<LogLine>) {
        let (stream, bytes) = match output {
            LogOutput::StdOut { message } => (LogStream::Stdout, message),
            LogOutput::StdErr { message } => (LogStream::Stderr, message),
            LogOutput::Console { message } => (LogStream::Console, message),
            LogOutput::StdIn { .. } => return,
        };
        let (splitter, lines) = self.parts(stream);
        splitter.feed(bytes, |raw| lines.make(raw, stream, out));
    }

    /// Emits the unfinished lines at the end of a stream.
    pub fn finish(&mut self, out: &mut Vec<LogLine>) {
        for stream in [LogStream::Stdout, LogStream::Stderr, LogStream::Console] {
            let (splitter, lines) = self.parts(stream);
            splitter.finish(|raw| lines.make(raw, stream, out));
        }
    }

    fn parts(&mut self, stream: LogStream) -> (&mut LineSplitter, &mut LineMaker) {
        let splitter = match stream {
            LogStream::Stderr => &mut self.stderr,
            LogStream::Console => &mut self.console,
            // Only the engine's streams are decoded.
            LogStream::Stdout | LogStream::Stacktop => &mut self.stdout,
        };
        (splitter, &mut self.lines)
    }
}

impl LineMaker {
    fn make(&mut self, raw: &[u8], stream: LogStream, out: &mut Vec<LogLine>) {
        let (timestamp, text) = split_timestamp(raw);
        if let Some(ts) = timestamp {
            if self.skip_until.is_some_and(|seen| ts <= seen) {
                return;
            }
            self.last = self.last.max(Some(ts));
        }
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        out.push(make_line(timestamp, stream, self.source, text));
    }
}

/// The receiver is gone: the log view was closed.
#[derive(Debug)]
pub struct Closed;

/// Lines waiting to be sent, and when they must go.
#[derive(Debug)]
pub struct Batch {
    session: u64,
    tx: Sender<Event>,
    pub lines: Vec<LogLine>,
    due: Option<Instant>,
}

impl Batch {
    pub fn new(session: u64, tx: Sender<Event>) -> Self {
        Self {
            session,
            tx,
            lines: Vec::new(),
            due: None,
        }
    }

    pub fn due(&self) -> Option<Instant> {
        self.due
    }

    /// Call after adding lines: starts the clock on the first pending line
    /// and sends a full batch at once.
    pub async fn added(&mut self) -> Result<(), Closed> {
        if self.lines.len() >= MAX_BATCH {
            return self.flush().await;
        }
        if !self.lines.is_empty() && self.due.is_none() {
            self.due = Some(Instant::now() + MAX_BATCH_DELAY);
        }
        Ok(())
    }

    /// Sends what is pending; waits while the channel is full, which is
    /// what slows a flooding stream down.
    pub async fn flush(&mut self) -> Result<(), Closed> {
        self.due = None;
        if self.lines.is_empty() {
            return Ok(());
        }
        let lines = std::mem::take(&mut self.lines);
        let event = LogEvent::Lines {
            session: self.session,
            lines,
        };
        self.tx.send(Event::Log(event)).await.map_err(|_| Closed)
    }

    pub async fn send(&mut self, event: LogEvent) -> Result<(), Closed> {
        self.flush().await?;
        self.tx.send(Event::Log(event)).await.map_err(|_| Closed)
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use tokio::sync::mpsc;

    use super::*;

    fn out(text: &str) -> LogOutput {
        LogOutput::StdOut {
            message: Bytes::from(text.to_string()),
        }
    }

    fn err(text: &str) -> LogOutput {
        LogOutput::StdErr {
            message: Bytes::from(text.to_string()),
        }
    }

    fn texts(lines: &[LogLine]) -> Vec<String> {
        lines.iter().map(LogLine::text).collect()
    }

    #[test]
    fn lines_are_split_per_stream_and_stamped() {
        let mut decoder = Decoder::new(3);
        let mut lines = Vec::new();
        decoder.push(&out("2024-05-01T10:00:00.000000001Z hel"), &mut lines);
        decoder.push(&err("2024-05-01T10:00:00.5Z oops\n"), &mut lines);
        decoder.push(&out("lo\r\n"), &mut lines);
        assert_eq!(texts(&lines), ["oops", "hello"]);
        assert_eq!(lines[0].stream, LogStream::Stderr);
        assert_eq!(lines[1].stream, LogStream::Stdout);
        assert!(lines.iter().all(|l| l.source == 3 && l.timestamp.is_some()));
        assert_eq!(decoder.last_timestamp(), lines[0].timestamp);
    }

    #[test]
    fn console_output_is_one_stream_and_finish_flushes_the_tail() {
        let mut decoder = Decoder::new(0);
        let mut lines = Vec::new();
        let console = LogOutput::Console {
            message: Bytes::from_static(b"2024-05-01T10:00:00Z a\n2024-05-01T10:00:01Z b"),
        };
        decoder.push(&console, &mut lines);
        assert_eq!(texts(&lines), ["a"]);
        decoder.finish(&mut lines);
        assert_eq!(texts(&lines), ["a", "b"]);
        assert!(lines.iter().all(|l| l.stream == LogStream::Console));
    }

    #[test]
    fn restart_skips_lines_already_shown() {
        let mut decoder = Decoder::new(0);
        let mut lines = Vec::new();
        decoder.push(&out("2024-05-01T10:00:01Z one\n"), &mut lines);
        decoder.push(&out("2024-05-01T10:00:02Z two\n"), &mut lines);
        decoder.restart();
        // The reopened stream starts at the whole second: both come again.
        decoder.push(&out("2024-05-01T10:00:01Z one\n"), &mut lines);
        decoder.push(&out("2024-05-01T10:00:02Z two\n"), &mut lines);
        decoder.push(&out("2024-05-01T10:00:03Z three\n"), &mut lines);
        assert_eq!(texts(&lines), ["one", "two", "three"]);
    }

    #[tokio::test]
    async fn batch_sends_at_once_when_full_and_waits_otherwise() {
        let (tx, mut rx) = mpsc::channel(4);
        let mut batch = Batch::new(9, tx);
        batch.lines.push(LogLine::default());
        batch.added().await.expect("open channel");
        assert!(batch.due().is_some());
        assert!(rx.try_recv().is_err(), "one line waits for more");
        batch.lines.resize(MAX_BATCH, LogLine::default());
        batch.added().await.expect("open channel");
        match rx.try_recv() {
            Ok(Event::Log(LogEvent::Lines { session: 9, lines })) => {
                assert_eq!(lines.len(), MAX_BATCH)
            }
            other => panic!("expected a full batch, got {other:?}"),
        }
        assert_eq!(batch.due(), None);
    }
}
