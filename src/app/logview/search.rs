//! Search: the pattern, the count of matches in the shown lines, the
//! current match, and moving between matches (`n` newer, `N` older).

use super::{LogView, Pattern};

/// Lines of context kept below a match scrolled to, at most.
const CONTEXT: usize = 3;

#[derive(Debug, Clone)]
pub struct Search {
    pub pattern: Pattern,
    /// Matches in the shown lines, kept true as lines come and go.
    pub total: u64,
    pub current: Option<Hit>,
}

/// One match: the `nth` (from 0) in the line at index `line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub line: usize,
    pub nth: u32,
}

/// Where a jump to a match landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    At(Hit),
    /// Past the newest (or oldest) match, it went round to the other end.
    Wrapped(Hit),
    /// No match anywhere: nothing moved.
    Nothing,
}

impl LogView {
    /// Starts a search and goes to the nearest match at or above the
    /// bottom of the view (the newest one when following).
    pub fn start_search(&mut self, pattern: Pattern) -> Found {
        self.search = Some(Search {
            pattern,
            total: 0,
            current: None,
        });
        self.remark();
        let from = self.bottom().unwrap_or(0);
        let hit = self
            .older_hit(from, u32::MAX)
            .or_else(|| self.newer_hit(from, 0));
        match hit {
            Some(hit) => Found::At(hit),
            None => Found::Nothing,
        }
    }

    /// Ends the search; highlights go.
    pub fn clear_search(&mut self) {
        self.search = None;
        self.remark();
    }

    /// The next match, newer (`n`) or older (`N`), going round at the end.
    pub fn next_match(&mut self, newer: bool) -> Found {
        let Some(search) = &self.search else {
            return Found::Nothing;
        };
        let (line, nth) = match search.current {
            Some(hit) => (hit.line, hit.nth),
            None => (self.bottom().unwrap_or(0), if newer { 0 } else { u32::MAX }),
        };
        let current = search.current;
        let step = if newer {
            // From the bottom with no current match: that line's first counts.
            let first = if current.is_none() { nth } else { nth + 1 };
            self.newer_hit(line, first)
        } else {
            let before = if current.is_none() {
                Some(nth)
            } else {
                nth.checked_sub(1)
            };
            match before {
                Some(nth) => self.older_hit(line, nth),
                None => line
                    .checked_sub(1)
                    .and_then(|l| self.older_hit(l, u32::MAX)),
            }
        };
        if let Some(hit) = step {
            return Found::At(hit);
        }
        let last = self.buffer.len().saturating_sub(1);
        let round = if newer {
            self.newer_hit(0, 0)
        } else {
            self.older_hit(last, u32::MAX)
        };
        match round {
            Some(hit) if Some(hit) != current => Found::Wrapped(hit),
            Some(hit) => Found::At(hit),
            None => Found::Nothing,
        }
    }

    /// The first match at or after match `nth` of `line`, newer lines next.
    fn newer_hit(&self, line: usize, nth: u32) -> Option<Hit> {
        self.buffer
            .marks()
            .enumerate()
            .skip(line)
            .filter(|(_, m)| !m.hidden)
            .find_map(|(i, m)| {
                let first = if i == line { nth } else { 0 };
                (first < m.hits).then_some(Hit {
                    line: i,
                    nth: first,
                })
            })
    }

    /// The last match at or before match `nth` of `line`, older lines next.
    fn older_hit(&self, line: usize, nth: u32) -> Option<Hit> {
        self.buffer
            .marks()
            .enumerate()
            .take(line.saturating_add(1))
            .rev()
            .filter(|(_, m)| !m.hidden && m.hits > 0)
            .map(|(i, m)| {
                let last = m.hits - 1;
                let nth = if i == line { nth.min(last) } else { last };
                Hit { line: i, nth }
            })
            .next()
    }

    /// Makes `hit` the current match and scrolls so its line shows, with
    /// up to a few lines below it that fit a third of `rows` rows of
    /// `width` cells. Following pauses.
    pub fn go_to(&mut self, hit: Hit, rows: usize, width: usize) {
        if let Some(search) = &mut self.search {
            search.current = Some(hit);
        }
        let mut below = 0;
        let mut used = 0;
        let mut index = hit.line + 1;
        while below < CONTEXT && index < self.buffer.len() {
            if self.is_shown(index) {
                used += self.rows_of(index, width);
                if used > rows / 3 {
                    break;
                }
                below += 1;
            }
            index += 1;
        }
        self.follow = false;
        self.scroll = self.shown_after(hit.line) - below;
    }

    /// `(n, total)`: the current match is the `n`th of `total`, counted
    /// from the oldest shown line.
    pub fn match_position(&self) -> Option<(u64, u64)> {
        let search = self.search.as_ref()?;
        let hit = search.current?;
        let before: u64 = self
            .buffer
            .marks()
            .take(hit.line)
            .filter(|m| !m.hidden)
            .map(|m| u64::from(m.hits))
            .sum();
        Some((before + u64::from(hit.nth) + 1, search.total))
    }
}
