//! Plain text tables with a header and a selected row: what the database
//! panels and the service list are made of. Columns fit their content: each
//! gets the width its longest value needs, up to its cap; when the screen is
//! too narrow the widest give way first, never below their title.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format;
use crate::app::Panel;
use crate::theme::Theme;

/// A column of a table: title, widest it grows (0: it takes what the
/// others leave), alignment, and where a long value is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    pub title: &'static str,
    pub width: usize,
    pub right: bool,
    /// Cut in the middle (names: `notific…-worker`) rather than at the end.
    pub middle: bool,
    /// Narrowest it is when it fits: figures that change every second keep
    /// their column still (`100.0%`).
    pub least: usize,
}

impl Col {
    /// `text` fitted to `width` cells, as this column aligns and cuts.
    pub fn cell(&self, text: &str, width: usize) -> String {
        if self.right {
            format::fit_right(text, width)
        } else if self.middle {
            format::fit_middle(text, width)
        } else {
            format::fit(text, width)
        }
    }

    /// The same column, cut in the middle: for names whose ends differ.
    pub const fn names(self) -> Self {
        Self {
            middle: true,
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

pub const fn left(title: &'static str, width: usize) -> Col {
    Col {
        title,
        width,
        right: false,
        middle: false,
        least: 0,
    }
}

pub const fn right(title: &'static str, width: usize) -> Col {
    Col {
        title,
        width,
        right: true,
        middle: false,
        least: 0,
    }
}

/// A row: one text per column, and the style of the row.
pub type Row = (Vec<String>, Style);

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

/// The longest text of each column over `rows`.
pub fn longest(cols: &[Col], rows: &[Row]) -> Vec<usize> {
    let mut longest: Vec<usize> = vec![0; cols.len()];
    for (texts, _) in rows {
        for (l, text) in longest.iter_mut().zip(texts) {
            *l = (*l).max(format::width(text));
        }
    }
    longest
}

/// Draws `rows` under a header into `area`; `selected` is highlighted and
/// kept in view. `empty` is shown when there are no rows.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    cols: &[Col],
    rows: &[Row],
    selected: Option<usize>,
    empty: &str,
    theme: &Theme,
) {
    let widths = widths(cols, &longest(cols, rows), area.width as usize);
    let line_of = |texts: &[String]| -> String {
        let cells: Vec<String> = cols
            .iter()
            .zip(&widths)
            .zip(texts)
            .map(|((c, w), t)| c.cell(t, *w))
            .collect();
        format::fit(&cells.join(" "), area.width as usize)
    };
    let titles: Vec<String> = cols.iter().map(|c| c.title.to_string()).collect();
    let mut lines = vec![Line::styled(line_of(&titles), theme.header)];
    let visible = (area.height as usize).saturating_sub(1).max(1);
    if rows.is_empty() {
        lines.push(Line::styled(format!(" {empty}"), theme.muted));
    }
    let offset = selected.map_or(0, |s| (s + 1).saturating_sub(visible));
    for (index, (texts, style)) in rows.iter().enumerate().skip(offset).take(visible) {
        let style = if selected == Some(index) {
            theme.selection
        } else {
            *style
        };
        lines.push(Line::styled(line_of(texts), style));
    }
    frame.render_widget(Paragraph::new(lines), area);
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

/// A tab bar naming `panels`, the focused one highlighted (the view
/// writes how to move between them after the last one).
pub fn tabs<'a>(panels: &[Panel], focused: Panel, theme: &Theme) -> Line<'a> {
    let mut spans = vec![Span::raw(" ")];
    for (panel, label, _) in tab_places(panels) {
        let style = if panel == focused {
            theme.selection
        } else {
            theme.muted
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

/// Each panel's title as the tab bar writes it, and the columns it takes.
fn tab_places(panels: &[Panel]) -> Vec<(Panel, String, std::ops::Range<u16>)> {
    let mut x = 1;
    panels
        .iter()
        .map(|panel| {
            let label = format!(" {} ", panel.title());
            let width = format::width(&label) as u16;
            let place = (*panel, label, x..x + width);
            x += width + 1;
            place
        })
        .collect()
}

/// Where a click on the tab bar at `bar` switches panels.
pub fn tab_hits(panels: &[Panel], bar: Rect) -> Vec<crate::event::TabHit> {
    tab_places(panels)
        .into_iter()
        .enumerate()
        .map(|(index, (_, _, x))| crate::event::TabHit {
            y: bar.y,
            x: bar.x + x.start..bar.x + x.end,
            panel: index,
        })
        .collect()
}

/// The body of a database view: summary lines, a tab bar, the focused
/// panel (drawn by `panel`) and up to two notes at the bottom.
pub struct Body<'a> {
    pub summary: Vec<Line<'a>>,
    pub panels: &'a [Panel],
    pub focused: Panel,
    pub notes: &'a [String],
}

impl Body<'_> {
    /// Draws the body; where a click switches panels.
    pub fn render(
        self,
        theme: &Theme,
        frame: &mut Frame,
        area: Rect,
        panel: impl FnOnce(&mut Frame, Rect),
    ) -> Vec<crate::event::TabHit> {
        let notes = self.notes.len().min(2) as u16;
        let [summary, tab_bar, panel_area, notes_area] = Layout::vertical([
            Constraint::Length(self.summary.len() as u16),
            Constraint::Length(1),
            Constraint::Min(2),
            Constraint::Length(notes),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(self.summary), summary);
        frame.render_widget(
            Paragraph::new(tabs(self.panels, self.focused, theme)),
            tab_bar,
        );
        panel(frame, panel_area);
        let lines: Vec<Line> = self
            .notes
            .iter()
            .take(2)
            .map(|n| Line::styled(format!(" note: {n}"), theme.warning))
            .collect();
        frame.render_widget(Paragraph::new(lines), notes_area);
        tab_hits(self.panels, tab_bar)
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
