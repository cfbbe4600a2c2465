//! The log view: the newest lines that fit, or a scrolled-back window.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthChar;

use super::widgets::{key_hints, sgr_style, status_message};
use super::{format, layout};
use crate::app::{App, LogView};
use crate::keymap::{Action, Context};
use crate::model::{LogLine, LogStream};
use crate::theme::Theme;

pub fn render(app: &App, view: &LogView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let [title, body, status] = layout::logs(area);
    frame.render_widget(Paragraph::new(title_line(view, theme)), title);
    let lines = visible_lines(view, theme, body.width as usize, body.height as usize);
    frame.render_widget(Paragraph::new(lines), body);
    let line = status_line(app, view, theme, status.width as usize);
    frame.render_widget(Paragraph::new(line), status);
}

fn title_line<'a>(view: &LogView, theme: &Theme) -> Line<'a> {
    let mode = if view.follow {
        Span::styled("following", theme.healthy)
    } else {
        Span::styled(format!("paused, {} lines up", view.scroll), theme.warning)
    };
    let mut spans = vec![
        Span::styled(" Logs ", theme.title),
        Span::styled(view.title.clone(), theme.project),
        Span::styled(" │ ", theme.border),
        mode,
        Span::styled(
            format!(
                " │ {}/{} lines │ timestamps {} │ wrap {}",
                view.buffer.len(),
                view.buffer.capacity(),
                on_off(view.timestamps),
                on_off(view.wrap)
            ),
            theme.muted,
        ),
    ];
    if let Some(notice) = &view.notice {
        spans.push(Span::styled(format!(" │ {notice}"), theme.warning));
    }
    Line::from(spans)
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

/// Rows to draw: the lines ending `view.scroll` lines above the newest,
/// wrapped or cut to `width`, as many as fit in `height` rows.
fn visible_lines<'a>(view: &LogView, theme: &Theme, width: usize, height: usize) -> Vec<Line<'a>> {
    let end = view.buffer.len().saturating_sub(view.scroll);
    let mut rows: Vec<Line<'a>> = Vec::with_capacity(height);
    for index in (0..end).rev() {
        let Some(line) = view.buffer.get(index) else {
            break;
        };
        let styled = styled_line(view, line, theme);
        let mut wrapped = if view.wrap {
            wrap(styled, width)
        } else {
            vec![styled]
        };
        // Walking back from the newest line: prepend its rows.
        while let Some(row) = wrapped.pop() {
            if rows.len() == height {
                break;
            }
            rows.push(row);
        }
        if rows.len() == height {
            break;
        }
    }
    rows.reverse();
    if rows.is_empty() {
        rows.push(Line::styled(" waiting for log lines…", theme.muted));
    }
    rows
}

/// One log line as spans: stderr mark, timestamp, source prefix, text.
fn styled_line<'a>(view: &LogView, line: &LogLine, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::with_capacity(line.spans.len() + 3);
    spans.push(match line.stream {
        LogStream::Stderr => Span::styled("▌", theme.stderr),
        _ => Span::raw(" "),
    });
    if view.timestamps {
        let text = line
            .timestamp
            .map_or_else(|| "-".repeat(12), |t| t.format("%H:%M:%S%.3f").to_string());
        spans.push(Span::styled(format!("{text} "), theme.timestamp));
    }
    if view.merged
        && let Some(source) = view.sources.get(line.source)
    {
        let colour = theme
            .log_prefixes
            .get(line.source % theme.log_prefixes.len().max(1))
            .copied();
        let style = colour.map_or(theme.info, |c| Style::default().fg(c));
        let label = format::fit(&source.label, prefix_width(view));
        spans.push(Span::styled(format!("{label} │ "), style));
    }
    for span in &line.spans {
        spans.push(Span::styled(
            span.text.clone(),
            theme.paint(sgr_style(&span.style)),
        ));
    }
    Line::from(spans)
}

/// Width of the source prefix: the longest label, within reason.
fn prefix_width(view: &LogView) -> usize {
    view.sources
        .iter()
        .map(|s| format::width(&s.label))
        .max()
        .unwrap_or(0)
        .min(20)
}

/// Splits a line into rows of at most `width` cells, keeping styles;
/// continuation rows are indented past the stderr mark.
fn wrap(line: Line<'_>, width: usize) -> Vec<Line<'_>> {
    let width = width.max(2);
    let mut rows = vec![Vec::new()];
    let mut used = 0;
    for span in line.spans {
        let mut piece = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width {
                if let Some(row) = rows.last_mut() {
                    row.push(Span::styled(std::mem::take(&mut piece), span.style));
                }
                rows.push(vec![Span::raw(" ")]);
                used = 1;
            }
            piece.push(c);
            used += w;
        }
        if let Some(row) = rows.last_mut() {
            row.push(Span::styled(piece, span.style));
        }
    }
    rows.into_iter().map(Line::from).collect()
}

fn status_line<'a>(app: &App, view: &LogView, theme: &Theme, width: usize) -> Line<'a> {
    if let Some(line) = status_message(app, theme, width) {
        return line;
    }
    let mut spans = Vec::new();
    if view.buffer.dropped() > 0 {
        spans.push(Span::styled(
            format!(" {} older lines dropped │", view.buffer.dropped()),
            theme.muted,
        ));
    }
    spans.extend(key_hints(
        &app.settings.keys,
        Context::Logs,
        |a| a != Action::Quit,
        theme,
    ));
    Line::from(spans)
}
