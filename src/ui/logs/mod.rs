//! The log view: title, the sources of merged logs with their warnings
//! and errors, the lines, and the status line (or the prompt).

mod lines;
mod picker;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::layout;
use super::widgets::{key_hints_within, status_message};
use crate::app::logview::{Input, Prompt, PromptKind};
use crate::app::{App, LogView};
use crate::keymap::{Action, Context, Keymap};
use crate::model::{Severity, TimeRange};
use crate::theme::Theme;

/// Draws the log view; returns the lines it has for log lines.
pub fn render(app: &App, view: &LogView, theme: &Theme, frame: &mut Frame, area: Rect) -> u16 {
    let [title, sources, body, status] = layout::logs(area, view.merged);
    frame.render_widget(Paragraph::new(title_line(app, view, theme)), title);
    if view.merged {
        frame.render_widget(Paragraph::new(sources_line(view, theme)), sources);
    }
    let rows = lines::visible(view, theme, body.width as usize, body.height as usize);
    frame.render_widget(Paragraph::new(rows), body);
    let line = status_line(app, view, theme, status.width as usize);
    frame.render_widget(Paragraph::new(line), status);
    if let Some(Input::Picker { cursor }) = &view.input {
        picker::render(&app.settings.keys, view, *cursor, theme, frame, area);
    }
    body.height
}

fn title_line<'a>(app: &App, view: &LogView, theme: &Theme) -> Line<'a> {
    let sep = || Span::styled(" │ ", theme.border);
    let mode = match (view.follow, view.scroll) {
        (true, _) => Span::styled("following", theme.healthy),
        (false, 0) => Span::styled("paused", theme.warning),
        (false, up) => Span::styled(format!("paused, {up} lines up"), theme.warning),
    };
    let mut spans = vec![
        Span::styled(" Logs ", theme.title),
        Span::styled(view.title.clone(), theme.project),
        sep(),
        mode,
    ];
    if let Some(search) = &view.search {
        let text = match view.match_position() {
            Some((n, total)) => format!("match {n}/{total}"),
            None if search.total == 0 => "no match".to_string(),
            None => format!("{} matches", search.total),
        };
        spans.extend([sep(), Span::styled(text, theme.filter)]);
    }
    if let Some(filter) = &view.filter {
        spans.extend([
            sep(),
            Span::styled(format!("&{}", filter.text), theme.filter),
        ]);
    }
    if let Some(level) = view.min_level {
        spans.extend([
            sep(),
            Span::styled(format!("{}+", level.word()), theme.level(level)),
        ]);
    }
    if view.hidden > 0 {
        spans.extend([
            sep(),
            Span::styled(format!("{} hidden", view.hidden), theme.warning),
        ]);
    }
    let mut facts = vec![
        format!("{}/{} lines", view.buffer.len(), view.buffer.capacity()),
        view.range.label(app.settings.tail),
    ];
    if !view.structured {
        facts.push("raw JSON".to_string());
    }
    if view.plain {
        facts.push("plain".to_string());
    }
    spans.push(Span::styled(
        format!(" │ {}", facts.join(" │ ")),
        theme.muted,
    ));
    if view.range != TimeRange::Tail && view.buffer.len() == view.buffer.capacity() {
        spans.push(Span::styled(" (window full)", theme.muted));
    }
    if let Some(notice) = &view.notice {
        spans.push(Span::styled(format!(" │ {notice}"), theme.warning));
    }
    Line::from(spans)
}

/// Merged logs: each source in its colour with the warnings and errors it
/// logged since the view opened; sources turned off are dimmed.
fn sources_line<'a>(view: &LogView, theme: &Theme) -> Line<'a> {
    let mut spans = vec![Span::raw(" ")];
    for (index, source) in view.sources.iter().enumerate() {
        if index > 0 {
            spans.push(Span::styled(" │ ", theme.border));
        }
        let style = if source.on {
            lines::prefix_style(theme, index)
        } else {
            theme.muted
        };
        spans.push(Span::styled(source.log.label.clone(), style));
        if !source.on {
            spans.push(Span::styled(" off", theme.muted));
            continue;
        }
        let count = |n: u64, suffix: &str, severity: Severity| {
            let style = if n > 0 {
                theme.level(severity)
            } else {
                theme.muted
            };
            Span::styled(format!(" {n}{suffix}"), style)
        };
        spans.push(count(source.warnings, "w", Severity::Warn));
        spans.push(count(source.errors, "e", Severity::Error));
    }
    Line::from(spans)
}

fn status_line<'a>(app: &App, view: &LogView, theme: &Theme, width: usize) -> Line<'a> {
    if let Some(Input::Prompt(prompt)) = &view.input {
        return prompt_line(&app.settings.keys, prompt, theme);
    }
    if let Some(line) = status_message(app, theme, width) {
        return line;
    }
    let mut spans = Vec::new();
    if !app.screen.mouse_capture {
        spans.push(Span::styled(" mouse off: select text │", theme.warning));
    }
    if view.buffer.dropped() > 0 {
        spans.push(Span::styled(
            format!(" {} older lines dropped │", view.buffer.dropped()),
            theme.muted,
        ));
    }
    let merged = view.merged;
    let shown = |a: Action| a != Action::Quit && (merged || a != Action::Sources);
    let room = width.saturating_sub(spans.iter().map(Span::width).sum());
    spans.extend(key_hints_within(
        &app.settings.keys,
        Context::Logs,
        shown,
        theme,
        room,
    ));
    Line::from(spans)
}

/// `/pattern▏`, and the pattern's error when it does not compile.
fn prompt_line<'a>(keys: &Keymap, prompt: &Prompt, theme: &Theme) -> Line<'a> {
    let mut spans = vec![
        Span::styled(format!(" {}", prompt.kind.sigil()), theme.key),
        Span::styled(prompt.text.clone(), theme.filter),
        Span::styled("▏", theme.key),
    ];
    match &prompt.error {
        Some(error) => spans.push(Span::styled(format!("  ✗ {error}"), theme.error)),
        None => {
            let apply = keys.key_of(Context::Prompt, Action::Apply);
            let back = keys.key_of(Context::Prompt, Action::Back);
            let help = match prompt.kind {
                PromptKind::Search => {
                    format!("  {apply} finds · empty {apply} ends the search · {back} cancels")
                }
                PromptKind::Filter => {
                    format!("  {apply} applies · empty {apply} or {back} removes the filter")
                }
            };
            spans.push(Span::styled(help, theme.muted));
        }
    }
    Line::from(spans)
}
