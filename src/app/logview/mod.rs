//! State of the log view: a bounded window of lines, where the reader is
//! in it, and what they asked to see (search, filter, minimum level,
//! sources).
//!
//! Every kept line carries a [`Mark`]: its search hits, its level for the
//! minimum-level choice, whether it is hidden. Marks are made once, when a
//! line arrives, and again only when the question changes (a new search or
//! filter); the counts in the title are kept up to date as lines come and
//! go, so no frame walks the whole window to count.

mod input;
mod marks;
mod pattern;
mod save;
mod search;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use unicode_width::UnicodeWidthStr;

use crate::model::{EngineId, LogBuffer, LogLine, LogSource, LogStream, Severity, TimeRange};

pub use input::{Input, Prompt, PromptKind};
pub use pattern::Pattern;
pub use search::{Found, Hit, Search};

/// Longest source prefix in merged logs, in cells.
const MAX_PREFIX: usize = 20;
/// Width of a shown timestamp and its space (`12:01:02.123 `).
pub const TIMESTAMP_WIDTH: usize = 13;

/// One container of the view, and what the view counted of it.
#[derive(Debug, Clone)]
pub struct Source {
    pub log: LogSource,
    /// Chosen in the source picker (merged logs): its lines are loaded.
    pub on: bool,
    /// Warnings and errors it logged since the view opened.
    pub warnings: u64,
    pub errors: u64,
    /// Lines up to this time are counted (a reload sends them again).
    counted_to: Option<DateTime<Utc>>,
    /// The level of its last line that had one: lines that continue it
    /// (a stack trace) take it for the minimum-level choice.
    last_severity: Option<Severity>,
}

#[derive(Debug, Clone)]
pub struct LogView {
    /// Tells this view's stream apart from streams of views already closed.
    pub session: u64,
    /// The engine whose containers the sources are.
    pub engine: EngineId,
    pub title: String,
    /// The service (or project) name, for the saved file's name.
    pub name: String,
    pub sources: Vec<Source>,
    /// Indexes of the sources whose lines the open session streams.
    pub streaming: Vec<usize>,
    /// More than one source: lines carry a coloured service prefix.
    pub merged: bool,
    pub buffer: LogBuffer,
    /// How many shown lines the view is scrolled up from the newest one.
    pub scroll: usize,
    /// Newest lines are shown as they arrive.
    pub follow: bool,
    pub timestamps: bool,
    pub wrap: bool,
    /// JSON lines are shown as `time level message key=value …`.
    pub structured: bool,
    /// No stderr mark, no prefixes, no indent: for copying text out.
    pub plain: bool,
    pub range: TimeRange,
    /// Lines below this level are hidden; `None` shows all.
    pub min_level: Option<Severity>,
    pub search: Option<Search>,
    pub filter: Option<Pattern>,
    /// A prompt or the source picker, taking the keys while open.
    pub input: Option<Input>,
    /// Why a stream stopped, shown in the view's title.
    pub notice: Option<String>,
    /// Lines received since the view opened, including dropped ones.
    pub received: u64,
    /// Kept lines not shown now (filter, minimum level).
    pub hidden: usize,
}

impl LogView {
    pub fn new(
        session: u64,
        title: String,
        name: String,
        sources: Vec<LogSource>,
        capacity: usize,
        opened: DateTime<Utc>,
    ) -> Self {
        let sources = sources
            .into_iter()
            .map(|log| Source {
                log,
                on: true,
                warnings: 0,
                errors: 0,
                counted_to: Some(opened),
                last_severity: None,
            })
            .collect::<Vec<_>>();
        Self {
            session,
            engine: EngineId::default(),
            title,
            name,
            streaming: (0..sources.len()).collect(),
            merged: sources.len() > 1,
            sources,
            buffer: LogBuffer::new(capacity),
            scroll: 0,
            follow: true,
            timestamps: false,
            wrap: true,
            structured: true,
            plain: false,
            range: TimeRange::Tail,
            min_level: None,
            search: None,
            filter: None,
            input: None,
            notice: None,
            received: 0,
            hidden: 0,
        }
    }

    /// The label of source `index`.
    pub fn label(&self, index: usize) -> Option<&str> {
        self.sources.get(index).map(|s| s.log.label.as_str())
    }

    /// The sources whose lines are loaded, with their indexes.
    pub fn chosen(&self) -> Vec<(usize, LogSource)> {
        self.sources
            .iter()
            .enumerate()
            .filter(|(_, s)| s.on)
            .map(|(i, s)| (i, s.log.clone()))
            .collect()
    }

    /// Starts over for a reload (another range, other sources): the lines
    /// go, what the reader asked for stays.
    pub fn restart(&mut self, session: u64) {
        self.session = session;
        self.buffer.clear();
        self.scroll = 0;
        self.follow = true;
        self.hidden = 0;
        self.notice = None;
        if let Some(search) = &mut self.search {
            search.total = 0;
            search.current = None;
        }
        for source in &mut self.sources {
            source.last_severity = None;
        }
    }

    /// A line stacktop writes between two runs of a container.
    pub fn separator(source: usize, at: Option<DateTime<Utc>>, text: String) -> LogLine {
        LogLine {
            timestamp: at,
            stream: LogStream::Stacktop,
            source,
            spans: vec![crate::model::StyledSpan {
                text,
                ..Default::default()
            }],
            ..LogLine::default()
        }
    }

    /// Lines that can be shown now.
    pub fn shown(&self) -> usize {
        self.buffer.len() - self.hidden
    }

    fn max_scroll(&self) -> usize {
        self.shown().saturating_sub(1)
    }

    /// Index of the newest line on screen.
    pub fn bottom(&self) -> Option<usize> {
        self.nth_shown_from_end(self.scroll)
    }

    /// Index of the `n`th shown line counting back from the newest (0).
    pub fn nth_shown_from_end(&self, n: usize) -> Option<usize> {
        if self.hidden == 0 {
            return self.buffer.len().checked_sub(n + 1);
        }
        self.buffer
            .marks()
            .enumerate()
            .rev()
            .filter(|(_, m)| !m.hidden)
            .nth(n)
            .map(|(i, _)| i)
    }

    /// Shown lines newer than the line at `index`.
    pub fn shown_after(&self, index: usize) -> usize {
        if self.hidden == 0 {
            return self.buffer.len().saturating_sub(index + 1);
        }
        self.buffer
            .marks()
            .skip(index + 1)
            .filter(|m| !m.hidden)
            .count()
    }

    pub fn is_shown(&self, index: usize) -> bool {
        self.buffer.mark(index).is_some_and(|m| !m.hidden)
    }

    pub fn scroll_up(&mut self, lines: usize) {
        self.scroll = (self.scroll + lines).min(self.max_scroll());
        if self.scroll > 0 {
            self.follow = false;
        }
    }

    pub fn scroll_down(&mut self, lines: usize) {
        self.scroll = self.scroll.saturating_sub(lines);
        if self.scroll == 0 {
            self.follow = true;
        }
    }

    pub fn to_oldest(&mut self) {
        self.scroll = self.max_scroll();
        self.follow = self.scroll == 0;
    }

    pub fn follow(&mut self) {
        self.scroll = 0;
        self.follow = true;
    }

    /// Width of the source prefix: the longest label, within reason.
    pub fn prefix_width(&self) -> usize {
        self.sources
            .iter()
            .map(|s| s.log.label.width())
            .max()
            .unwrap_or(0)
            .min(MAX_PREFIX)
    }

    /// Cells a line takes before its text: mark, timestamp, prefix.
    pub fn gutter(&self) -> usize {
        let mut cells = usize::from(!self.plain);
        if self.timestamps {
            cells += TIMESTAMP_WIDTH;
        }
        if self.merged && !self.plain {
            cells += self.prefix_width() + 3;
        }
        cells
    }

    /// Screen rows the line at `index` takes at `width` cells.
    pub fn rows_of(&self, index: usize, width: usize) -> usize {
        let Some(line) = self.buffer.get(index) else {
            return 0;
        };
        if !self.wrap {
            return 1;
        }
        let cells = self.gutter() + line.shown_text(self.structured).width();
        cells.div_ceil(width.max(2)).max(1)
    }
}
