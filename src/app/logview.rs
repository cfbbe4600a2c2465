//! State of the log view: a bounded window of lines and a scroll position.

use crate::model::{LogBuffer, LogLine, LogSource};

#[derive(Debug, Clone)]
pub struct LogView {
    /// Tells this view's stream apart from streams of views already closed.
    pub session: u64,
    pub title: String,
    pub sources: Vec<LogSource>,
    /// More than one source: lines carry a coloured service prefix.
    pub merged: bool,
    pub buffer: LogBuffer,
    /// How many lines the view is scrolled up from the newest one.
    pub scroll: usize,
    /// Newest lines are shown as they arrive.
    pub follow: bool,
    pub timestamps: bool,
    pub wrap: bool,
    /// Why a stream stopped, shown in the view's title.
    pub notice: Option<String>,
    /// Lines received since the view opened, including dropped ones.
    pub received: u64,
}

impl LogView {
    pub fn new(session: u64, title: String, sources: Vec<LogSource>, capacity: usize) -> Self {
        Self {
            session,
            title,
            merged: sources.len() > 1,
            sources,
            buffer: LogBuffer::new(capacity),
            scroll: 0,
            follow: true,
            timestamps: false,
            wrap: true,
            notice: None,
            received: 0,
        }
    }

    pub fn append(&mut self, lines: Vec<LogLine>) {
        let added = lines.len();
        self.received += added as u64;
        for line in lines {
            self.buffer.push(line);
        }
        if !self.follow {
            // Keep the lines the user is reading in place.
            self.scroll = (self.scroll + added).min(self.max_scroll());
        }
    }

    fn max_scroll(&self) -> usize {
        self.buffer.len().saturating_sub(1)
    }

    pub fn scroll_up(&mut self, lines: usize) {
        self.scroll = (self.scroll + lines).min(self.max_scroll());
        self.follow = self.scroll == 0 && self.follow;
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
}
