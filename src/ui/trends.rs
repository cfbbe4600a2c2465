//! Trend lines: the selected container's CPU and memory over the last
//! minutes in a strip under the service list, and the host's in the
//! header, drawn from the rings in [`crate::model::trend`].
//!
//! Block characters from [`table::sparkline_to`] rather than ratatui's
//! `Sparkline` widget: a line is then a `Span` that sits in a `Line` with
//! its figures, and snapshots see it as text.

use chrono::Duration as Age;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::{self, cpu, memory};
use super::{layout, table};
use crate::app::{App, Row};
use crate::model::Container;
use crate::model::trend::{Ring, SAMPLES};
use crate::theme::Theme;

/// Fewest cells worth drawing a trend line in.
const MIN_CELLS: usize = 6;
/// Widest a header trend line grows: the header stays a summary.
const HOST_CELLS: usize = 30;
/// A container under 1% of a core draws low: idle noise is not a trend.
const CPU_FLOOR: f32 = 1.0;

/// Draws the strip at the foot of `list` on a screen `height` rows tall;
/// returns the part of `list` left for the rows.
pub fn strip(app: &App, theme: &Theme, frame: &mut Frame, list: Rect, height: u16) -> Rect {
    let rows = layout::strip_rows(height);
    if rows == 0 || list.height < rows + 2 {
        return list;
    }
    let [list, strip] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(rows)]).areas(list);
    let lines = match selected_container(app) {
        Some(c) => container_lines(app, c, theme, strip.width as usize),
        None => vec![
            rule("", strip.width as usize, theme),
            Line::styled(
                " select a service to see its CPU and memory over the last minutes",
                theme.muted,
            ),
        ],
    };
    frame.render_widget(Paragraph::new(lines), strip);
    list
}

fn selected_container(app: &App) -> Option<&Container> {
    match app.selected_row()? {
        Row::Container(id) => app.store.container(id),
        _ => None,
    }
}

/// `── auth-service, last 3m00s ───` over
/// ` CPU ▁▂▃▅▇▆ 12.3%  MEM ▃▃▄▄▅▅ 128M/512M`.
fn container_lines<'a>(app: &App, c: &Container, theme: &Theme, width: usize) -> Vec<Line<'a>> {
    let stats = app.store.stats.get(&c.id);
    let cpu_text = cpu(stats);
    let mem_text = stats.map_or("—".into(), |s| memory(app, s));
    // " CPU " + line + " " + figure + "  MEM " + line + " " + figure
    let fixed = 5 + 1 + format::width(&cpu_text) + 6 + 1 + format::width(&mem_text);
    let cells = fit_cells(width.saturating_sub(fixed) / 2, SAMPLES);
    let empty = Ring::default();
    let usage = app.store.trends.of(&c.id);
    let cpu_ring = usage.map_or(&empty, |u| &u.cpu);
    let mem_ring = usage.map_or(&empty, |u| &u.mem);
    let cpu_samples = cpu_ring.latest(cells);
    let mem_samples = mem_ring.latest(cells);
    let cpu_line = sparkline(&cpu_samples, peak(&cpu_samples).max(CPU_FLOOR), cells);
    // Memory is a level: how it moved from its lowest to its highest.
    let mem_values = mem_samples.iter().map(|v| f64::from(*v));
    let mem_line = right_aligned(table::trend(mem_values, cells), cells);
    let samples = cpu_samples.len().max(mem_samples.len());
    if samples == 0 {
        return vec![
            rule(&app.store.label(c), width, theme),
            Line::styled(" no CPU or memory readings yet", theme.muted),
        ];
    }
    let title = format!("{}, last {}", app.store.label(c), window(app, samples));
    let gap = if cells == 0 { "" } else { " " };
    vec![
        rule(&title, width, theme),
        Line::from(vec![
            Span::styled(" CPU ", theme.header),
            Span::styled(cpu_line, theme.trend),
            Span::styled(format!("{gap}{cpu_text}"), theme.text),
            Span::styled("  MEM ", theme.header),
            Span::styled(mem_line, theme.trend),
            Span::styled(format!("{gap}{mem_text}"), theme.text),
        ]),
    ]
}

/// `── title ─────` across `width` cells.
fn rule<'a>(title: &str, width: usize, theme: &Theme) -> Line<'a> {
    let head = if title.is_empty() {
        String::new()
    } else {
        format!("── {title} ")
    };
    let rest = width.saturating_sub(format::width(&head));
    Line::styled(format!("{head}{}", "─".repeat(rest)), theme.border)
}

/// How long `samples` samples span at the collection interval.
fn window(app: &App, samples: usize) -> String {
    let interval = Age::from_std(app.settings.interval).unwrap_or(Age::seconds(1));
    format::age(interval * samples as i32)
}

/// Appends the host's CPU and memory history to the header's host line,
/// right-aligned, when `width` leaves room for both.
pub fn host_history(app: &App, theme: &Theme, width: u16, spans: &mut Vec<Span<'_>>) {
    let Some(host) = &app.store.host else {
        return;
    };
    let used: usize = spans.iter().map(|s| format::width(&s.content)).sum();
    let room = (width as usize).saturating_sub(used + 1);
    // "  cpu " + line + "  mem " + line
    let cells = fit_cells(room.saturating_sub(12) / 2, HOST_CELLS);
    if cells == 0 {
        return;
    }
    let pad = room - 12 - 2 * cells;
    let cpu = app.store.trends.host.cpu.latest(cells);
    let mem = app.store.trends.host.mem.latest(cells);
    spans.extend([
        Span::raw(" ".repeat(pad)),
        Span::styled("  cpu ", theme.muted),
        Span::styled(sparkline(&cpu, 100.0, cells), theme.trend),
        Span::styled("  mem ", theme.muted),
        Span::styled(sparkline(&mem, host.mem_total as f32, cells), theme.trend),
    ]);
}

/// `room` cells capped at `most`, or none when fewer than are worth it.
fn fit_cells(room: usize, most: usize) -> usize {
    let cells = room.min(most);
    if cells < MIN_CELLS { 0 } else { cells }
}

fn peak(samples: &[f32]) -> f32 {
    samples.iter().copied().fold(0.0, f32::max)
}

/// The last `cells` samples, a full block at `ceiling`, right-aligned so
/// the newest sits next to its figure.
fn sparkline(samples: &[f32], ceiling: f32, cells: usize) -> String {
    let values = samples.iter().map(|v| f64::from(*v));
    right_aligned(
        table::sparkline_to(values, f64::from(ceiling), cells),
        cells,
    )
}

fn right_aligned(line: String, cells: usize) -> String {
    let pad = cells.saturating_sub(line.chars().count());
    format!("{}{line}", " ".repeat(pad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_ceiling() {
        assert_eq!(sparkline(&[0.0, 50.0, 100.0, 250.0], 100.0, 4), "▁▅██");
    }

    #[test]
    fn a_short_history_is_right_aligned() {
        assert_eq!(sparkline(&[1.0], 1.0, 3), "  █");
    }

    #[test]
    fn a_long_history_shows_its_newest_samples() {
        assert_eq!(sparkline(&[7.0, 0.0, 7.0], 7.0, 2), "▁█");
    }
}
