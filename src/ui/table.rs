//! Plain text tables with a header and a selected row: what the database
//! panels and the service list are made of. Columns fit their content: each
//! gets the width its longest value needs, up to its cap; when the screen is
//! too narrow the widest give way first, never below their title.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::format;
use crate::theme::Theme;

/// What a column holds, which says how it aligns and where a long value
/// is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColKind {
    /// Text: left-aligned, cut at its end.
    Text,
    /// Names, whose ends differ: left-aligned, cut in the middle
    /// (`notific…-worker`).
    Name,
    /// Figures: right-aligned.
    Figure,
}

/// A column of a table: title, widest it grows (0: it takes what the
/// others leave), what it holds, and the narrowest it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    pub title: &'static str,
    pub width: usize,
    pub kind: ColKind,
    /// Narrowest it is when it fits: figures that change every second keep
    /// their column still (`100.0%`).
    pub least: usize,
}

impl Col {
    /// `text` fitted to `width` cells, as this column aligns and cuts.
    pub fn cell(&self, text: &str, width: usize) -> String {
        match self.kind {
            ColKind::Text => format::fit(text, width),
            ColKind::Name => format::fit_middle(text, width),
            ColKind::Figure => format::fit_right(text, width),
        }
    }

    /// The same column holding names: cut in the middle.
    pub const fn names(self) -> Self {
        Self {
            kind: ColKind::Name,
            ..self
        }
    }

    /// The same column, never narrower than `cells` when there is room.
    pub const fn at_least(self, cells: usize) -> Self {
        Self {
            least: cells,
            ..self
        }
    }

    /// Narrowest it gets: its title, and room for a cut value.
    fn floor(&self) -> usize {
        format::width(self.title).max(4)
    }

    /// What it asks for when its longest value is `longest` cells.
    pub fn want(&self, longest: usize) -> usize {
        let want = longest.max(format::width(self.title)).max(self.least);
        if self.width == 0 {
            want
        } else {
            want.min(self.width.max(self.floor()))
        }
    }
}

/// A column of text.
pub const fn left(title: &'static str, width: usize) -> Col {
    Col {
        title,
        width,
        kind: ColKind::Text,
        least: 0,
    }
}

/// A column of figures.
pub const fn right(title: &'static str, width: usize) -> Col {
    Col {
        title,
        width,
        kind: ColKind::Figure,
        least: 0,
    }
}

/// A row: one text per column, and the style of the row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<String>,
    pub style: Style,
}

impl Row {
    pub fn new(cells: Vec<String>, style: Style) -> Self {
        Self { cells, style }
    }
}

/// The widths of `cols` in `total` cells (a space between columns), given
/// each one's longest value. Each gets what it wants; what is left goes to
/// the columns that take the rest (width 0); when the wants do not fit, the
/// widest column gives a cell, then the widest again, down to the floors.
pub fn widths(cols: &[Col], longest: &[usize], total: usize) -> Vec<usize> {
    let budget = total.saturating_sub(cols.len().saturating_sub(1));
    let mut out: Vec<usize> = cols.iter().zip(longest).map(|(c, l)| c.want(*l)).collect();
    let used: usize = out.iter().sum();
    if used < budget {
        let growing: Vec<usize> = (0..cols.len()).filter(|i| cols[*i].width == 0).collect();
        let spare = budget - used;
        for (n, i) in growing.iter().enumerate() {
            out[*i] += spare / growing.len() + usize::from(n < spare % growing.len());
        }
        return out;
    }
    let floors: Vec<usize> = cols
        .iter()
        .zip(&out)
        .map(|(c, w)| c.floor().min(*w))
        .collect();
    let mut excess = used - budget;
    while excess > 0 {
        let widest = (0..out.len())
            .filter(|i| out[*i] > floors[*i])
            .max_by_key(|i| (out[*i], std::cmp::Reverse(*i)));
        let Some(i) = widest else { break };
        out[i] -= 1;
        excess -= 1;
    }
    out
}

/// A table widget: rows under a header, the selected one highlighted and
/// kept in view, and a line saying there are none when there are none.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    cols: Vec<Col>,
    rows: Vec<Row>,
    selected: Option<usize>,
    empty: &'a str,
    theme: &'a Theme,
}

impl<'a> Table<'a> {
    pub fn new(cols: impl Into<Vec<Col>>, rows: Vec<Row>, theme: &'a Theme) -> Self {
        Self {
            cols: cols.into(),
            rows,
            selected: None,
            empty: "nothing to show",
            theme,
        }
    }

    /// What it says when it has no rows.
    pub fn empty(self, text: &'a str) -> Self {
        Self {
            empty: text,
            ..self
        }
    }

    /// Highlights row `row`.
    pub fn select(self, row: usize) -> Self {
        Self {
            selected: Some(row),
            ..self
        }
    }

    /// Whether it has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The longest text of each column.
    fn longest(&self) -> Vec<usize> {
        let mut longest: Vec<usize> = vec![0; self.cols.len()];
        for row in &self.rows {
            for (l, text) in longest.iter_mut().zip(&row.cells) {
                *l = (*l).max(format::width(text));
            }
        }
        longest
    }
}

impl Widget for Table<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let widths = widths(&self.cols, &self.longest(), area.width as usize);
        let line_of = |texts: &[String]| -> String {
            let cells: Vec<String> = self
                .cols
                .iter()
                .zip(&widths)
                .zip(texts)
                .map(|((c, w), t)| c.cell(t, *w))
                .collect();
            format::fit(&cells.join(" "), area.width as usize)
        };
        let titles: Vec<String> = self.cols.iter().map(|c| c.title.to_string()).collect();
        let theme = self.theme;
        let mut lines = vec![Line::styled(line_of(&titles), theme.header)];
        let visible = (area.height as usize).saturating_sub(1).max(1);
        if self.is_empty() {
            lines.push(Line::styled(format!(" {}", self.empty), theme.muted));
        }
        let offset = self.selected.map_or(0, |s| (s + 1).saturating_sub(visible));
        for (index, row) in self.rows.iter().enumerate().skip(offset).take(visible) {
            let style = if self.selected == Some(index) {
                theme.selection
            } else {
                row.style
            };
            lines.push(Line::styled(line_of(&row.cells), style));
        }
        Paragraph::new(lines).render(area, buf);
    }
}

/// `▕████░░░░▏`-style bar of `ratio` in `cells` cells.
pub fn bar(ratio: f64, cells: usize) -> String {
    let filled = ((ratio.clamp(0.0, 1.0) * cells as f64).round() as usize).min(cells);
    format!("{}{}", "█".repeat(filled), "░".repeat(cells - filled))
}

/// Cells of a summary gauge for a view `width` cells wide.
pub fn gauge_cells(width: u16) -> usize {
    if width >= 100 { 24 } else { 12 }
}

/// `  up 3h12m`, muted: a server's uptime in a view's summary.
pub fn uptime<'a>(secs: u64, theme: &Theme) -> Span<'a> {
    let age = super::format::age(chrono::Duration::seconds(
        i64::try_from(secs).unwrap_or(i64::MAX),
    ));
    Span::styled(format!("  up {age}"), theme.muted)
}

/// A sparkline of `values` scaled to their maximum, newest on the right.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// How a level moved over the last `cells` readings, from its lowest to its
/// highest: a queue filling up or draining. A level that did not move is a
/// flat line: low when empty, mid-height otherwise.
pub fn trend(values: impl Iterator<Item = f64>, cells: usize) -> String {
    let all: Vec<f64> = values.collect();
    let recent = &all[all.len().saturating_sub(cells)..];
    let low = recent.iter().cloned().fold(f64::INFINITY, f64::min);
    let high = recent.iter().cloned().fold(0.0_f64, f64::max);
    recent
        .iter()
        .map(|v| match high - low {
            span if span > 0.0 => BARS[(((v - low) / span) * 7.0).round() as usize],
            _ if high > 0.0 => BARS[3],
            _ => BARS[0],
        })
        .collect()
}

pub fn sparkline(values: impl Iterator<Item = f64> + Clone, cells: usize) -> String {
    let all: Vec<f64> = values.collect();
    let recent = &all[all.len().saturating_sub(cells)..];
    let max = recent.iter().cloned().fold(0.0_f64, f64::max);
    sparkline_to(recent.iter().copied(), max, cells)
}

/// A sparkline of the last `cells` of `values` with a full block at
/// `ceiling` (and above): for figures with a scale of their own, such as
/// a percentage.
pub fn sparkline_to(values: impl Iterator<Item = f64>, ceiling: f64, cells: usize) -> String {
    let all: Vec<f64> = values.collect();
    all[all.len().saturating_sub(cells)..]
        .iter()
        .map(|v| {
            if ceiling <= 0.0 {
                BARS[0]
            } else {
                // NaN casts to 0.
                BARS[((v / ceiling) * 7.0).round().clamp(0.0, 7.0) as usize]
            }
        })
        .collect()
}

/// What a panel draws: a table of its rows, or a line saying why it has
/// none.
pub enum Content<'a> {
    Table(Table<'a>),
    Message(Box<Paragraph<'a>>),
}

impl<'a> Content<'a> {
    /// A line saying why there are no rows, cut at the panel's edge.
    pub fn message(line: Line<'a>) -> Self {
        Self::Message(Box::new(Paragraph::new(line)))
    }

    /// A line saying why there are no rows, wrapped to the panel's width.
    pub fn wrapped(line: Line<'a>) -> Self {
        Self::Message(Box::new(Paragraph::new(line).wrap(Wrap { trim: false })))
    }
}

impl<'a> From<Table<'a>> for Content<'a> {
    fn from(table: Table<'a>) -> Self {
        Self::Table(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_fills_by_ratio() {
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(bar(2.0, 3), "███");
        assert_eq!(bar(0.0, 2), "░░");
    }

    #[test]
    fn sparkline_scales_to_the_maximum() {
        assert_eq!(sparkline([0.0, 50.0, 100.0].into_iter(), 10), "▁▅█");
        assert_eq!(sparkline([0.0, 0.0].into_iter(), 10), "▁▁");
        assert_eq!(sparkline((0..20).map(f64::from), 4).chars().count(), 4);
    }
}
