//! Marking lines: search hits, filter, level. A line is marked once as it
//! arrives; every line again only when the search, the filter, the
//! minimum level or the JSON rendering changes.

use super::{LogView, Pattern, Source};
use crate::model::{LogLine, LogStream, Mark, Pushed, Severity};

/// What decides a line's mark, borrowed from the view.
struct Lens<'a> {
    search: Option<&'a Pattern>,
    filter: Option<&'a Pattern>,
    min_level: Option<Severity>,
    structured: bool,
}

impl Lens<'_> {
    fn mark(&self, line: &LogLine, severity: Option<Severity>) -> Mark {
        // The text only when something reads it: a line of several spans
        // would be joined for nothing.
        let asked = self.search.is_some() || self.filter.is_some();
        let text = if asked {
            line.shown_text(self.structured)
        } else {
            "".into()
        };
        let hits = self.search.map_or(0, |p| p.count(&text));
        // stacktop's own separators stay whatever is chosen.
        let ours = line.stream == LogStream::Stacktop;
        let filtered_out = !ours && self.filter.is_some_and(|f| !f.keeps(&text));
        // A line without a level counts as information.
        let below = !ours
            && self
                .min_level
                .is_some_and(|min| severity.unwrap_or(Severity::Info) < min);
        Mark {
            hits,
            severity,
            filtered_out,
            hidden: filtered_out || below,
        }
    }
}

impl LogView {
    fn lens(&self) -> Lens<'_> {
        Lens {
            search: self.search.as_ref().map(|s| &s.pattern),
            filter: self.filter.as_ref(),
            min_level: self.min_level,
            structured: self.structured,
        }
    }

    /// Adds lines as they arrive: marks each, keeps the counts true, and
    /// keeps a paused view on the lines the reader is looking at.
    pub fn append(&mut self, lines: Vec<LogLine>) {
        self.received += lines.len() as u64;
        let mut shown_added = 0;
        for line in lines {
            let severity = match self.sources.get_mut(line.source) {
                Some(source) => source.take(&line),
                None => line.severity(),
            };
            let mark = self.lens().mark(&line, severity);
            let pushed = self.buffer.push_marked(line, mark);
            if pushed.at.is_some() {
                shown_added += usize::from(!mark.hidden);
                self.account(&mark, 1);
                if let Some(dropped) = &pushed.dropped {
                    self.account(dropped, -1);
                }
            }
            self.shift_current(&pushed);
        }
        if !self.follow {
            self.scroll = (self.scroll + shown_added).min(self.max_scroll());
        }
    }

    /// Adds (`sign` 1) or takes away (-1) a line's mark from the counts.
    fn account(&mut self, mark: &Mark, sign: i64) {
        if mark.hidden {
            self.hidden = self.hidden.saturating_add_signed(sign as isize);
        } else if let Some(search) = &mut self.search {
            let hits = i64::from(mark.hits) * sign;
            search.total = search.total.saturating_add_signed(hits);
        }
    }

    /// Marks every kept line again, keeping the reader's place.
    pub fn remark(&mut self) {
        let bottom = (!self.follow).then(|| self.bottom()).flatten();
        let lens = Lens {
            search: self.search.as_ref().map(|s| &s.pattern),
            filter: self.filter.as_ref(),
            min_level: self.min_level,
            structured: self.structured,
        };
        let (mut hidden, mut total) = (0, 0);
        for (line, mark) in self.buffer.iter_marked_mut() {
            *mark = lens.mark(line, mark.severity);
            if mark.hidden {
                hidden += 1;
            } else {
                total += u64::from(mark.hits);
            }
        }
        self.hidden = hidden;
        if let Some(search) = &mut self.search {
            search.total = total;
        }
        self.keep_current();
        self.scroll = match bottom {
            Some(index) => self.shown_after(index).min(self.max_scroll()),
            None => 0,
        };
    }

    /// Forgets the current match when its line no longer has it.
    fn keep_current(&mut self) {
        let Some(search) = &mut self.search else {
            return;
        };
        let still = search.current.is_some_and(|hit| {
            self.buffer
                .mark(hit.line)
                .is_some_and(|m| !m.hidden && hit.nth < m.hits)
        });
        if !still {
            search.current = None;
        }
    }

    /// Moves the current match's index as lines are inserted and dropped.
    fn shift_current(&mut self, pushed: &Pushed) {
        let Some(search) = &mut self.search else {
            return;
        };
        let (Some(hit), Some(at)) = (&mut search.current, pushed.at) else {
            return;
        };
        // Where the line went before the oldest was dropped.
        let popped = pushed.dropped.is_some();
        let inserted = at + usize::from(popped);
        if inserted <= hit.line {
            hit.line += 1;
        }
        if popped {
            match hit.line.checked_sub(1) {
                Some(line) => hit.line = line,
                None => search.current = None,
            }
        }
    }
}

impl Source {
    /// Counts the line's warning or error if it is new, and returns the
    /// level it has for the minimum-level choice.
    fn take(&mut self, line: &LogLine) -> Option<Severity> {
        let fresh = match (line.timestamp, self.counted_to) {
            (Some(at), Some(counted)) => at > counted,
            _ => true,
        };
        if fresh {
            self.counted_to = line.timestamp.or(self.counted_to);
            match line.severity() {
                Some(Severity::Warn) => self.warnings += 1,
                Some(Severity::Error) => self.errors += 1,
                _ => {}
            }
        }
        let own = line.severity();
        if own.is_some() || !continues(line) {
            self.last_severity = own;
        }
        own.or(self.last_severity)
    }
}

/// A line that carries on the one before: an indented stack frame.
fn continues(line: &LogLine) -> bool {
    line.spans
        .first()
        .is_some_and(|s| s.text.starts_with([' ', '\t']))
}
