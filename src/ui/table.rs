//! A plain text table with fixed columns, a header and a selected row:
//! what the database panels are made of.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format;
use crate::app::Panel;
use crate::theme::Theme;

/// A column of a table: title, width in cells (0 = what is left in a
/// database panel), right-aligned or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    pub title: &'static str,
    pub width: usize,
    pub right: bool,
}

impl Col {
    /// `text` fitted to the column's width and alignment.
    pub fn cell(&self, text: &str) -> String {
        cell(self, self.width, text)
    }
}

pub const fn left(title: &'static str, width: usize) -> Col {
    Col {
        title,
        width,
        right: false,
    }
}

pub const fn right(title: &'static str, width: usize) -> Col {
    Col {
        title,
        width,
        right: true,
    }
}

/// A row: one text per column, and the style of the row.
pub type Row = (Vec<String>, Style);

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
    let widths = resolve(cols, area.width as usize);
    let header: Vec<String> = cols
        .iter()
        .zip(&widths)
        .map(|(c, w)| cell(c, *w, c.title))
        .collect();
    let mut lines = vec![Line::styled(header.join(" "), theme.header)];
    let visible = (area.height as usize).saturating_sub(1).max(1);
    if rows.is_empty() {
        lines.push(Line::styled(format!(" {empty}"), theme.muted));
    }
    let offset = selected.map_or(0, |s| (s + 1).saturating_sub(visible));
    for (index, (texts, style)) in rows.iter().enumerate().skip(offset).take(visible) {
        let text: Vec<String> = cols
            .iter()
            .zip(&widths)
            .zip(texts)
            .map(|((c, w), t)| cell(c, *w, t))
            .collect();
        let style = if selected == Some(index) {
            theme.selection
        } else {
            *style
        };
        lines.push(Line::from(Span::styled(
            format::fit(&text.join(" "), area.width as usize),
            style,
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Widths with the 0-width columns sharing what the others leave.
fn resolve(cols: &[Col], total: usize) -> Vec<usize> {
    let fixed: usize = cols.iter().map(|c| c.width + 1).sum();
    let flexible = cols.iter().filter(|c| c.width == 0).count().max(1);
    let share = total.saturating_sub(fixed) / flexible;
    cols.iter()
        .map(|c| if c.width == 0 { share.max(4) } else { c.width })
        .collect()
}

fn cell(col: &Col, width: usize, text: &str) -> String {
    if col.right {
        format::fit_right(text, width)
    } else {
        format::fit(text, width)
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
    recent
        .iter()
        .map(|v| {
            if max <= 0.0 {
                BARS[0]
            } else {
                BARS[((v / max) * 7.0).round().clamp(0.0, 7.0) as usize]
            }
        })
        .collect()
}

/// A tab bar naming `panels`, the focused one highlighted.
pub fn tabs<'a>(panels: &[Panel], focused: Panel, theme: &Theme) -> Line<'a> {
    let mut spans = vec![Span::raw(" ")];
    for panel in panels {
        let name = panel.title();
        let style = if *panel == focused {
            theme.selection
        } else {
            theme.muted
        };
        spans.push(Span::styled(format!(" {name} "), style));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled("(Tab: next panel)", theme.muted));
    Line::from(spans)
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
    pub fn render(
        self,
        theme: &Theme,
        frame: &mut Frame,
        area: Rect,
        panel: impl FnOnce(&mut Frame, Rect),
    ) {
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
