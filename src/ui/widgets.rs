//! Small pieces shared by the views: state and health labels, log styles.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::app::{App, Level, Probe};
use crate::keymap::{Action, Context, Keymap};
use crate::model::{ContainerState, ProbeStatus, SgrColor, SgrStyle, Verb};
use crate::theme::Theme;

/// The state cell: a symbol (readable without colour) and a word.
pub fn state_label(state: &ContainerState, theme: &Theme) -> (String, Style) {
    match state {
        ContainerState::Running => ("● running".into(), theme.healthy),
        ContainerState::Exited { code: 0 } => ("○ exited (0)".into(), theme.muted),
        ContainerState::Exited { code } => (format!("✗ exited ({code})"), theme.error),
        ContainerState::Restarting { .. } => ("↻ restarting".into(), theme.error),
        ContainerState::Paused => ("‖ paused".into(), theme.warning),
        ContainerState::Created => ("◌ created".into(), theme.muted),
        ContainerState::Dead => ("✗ dead".into(), theme.error),
        ContainerState::Removing => ("✗ removing".into(), theme.warning),
        ContainerState::Unknown(s) => (format!("? {s}"), theme.warning),
    }
}

/// The state cell while an action runs, or just after it ended.
pub fn action_label(verb: Verb, outcome: Option<bool>, theme: &Theme) -> (String, Style) {
    match outcome {
        None => (format!("⟳ {}…", verb.progressive()), theme.warning),
        Some(true) => (format!("✓ {} ok", verb.word()), theme.healthy),
        Some(false) => (format!("✗ {} failed", verb.word()), theme.error),
    }
}

/// A probe's state in one word, the same everywhere, and its colour.
pub fn probe_state(status: &ProbeStatus, theme: &Theme) -> (&'static str, Style) {
    let style = match status {
        ProbeStatus::Live => theme.healthy,
        ProbeStatus::Connecting => theme.muted,
        ProbeStatus::Starting | ProbeStatus::Reconnecting { .. } => theme.warning,
        ProbeStatus::AuthFailed { .. } => theme.error,
    };
    (status.word(), style)
}

/// The ratatui style of a sanitised SGR style.
pub fn sgr_style(sgr: &SgrStyle) -> Style {
    let mut style = Style::default();
    if let Some(fg) = sgr.fg {
        style = style.fg(sgr_color(fg));
    }
    if let Some(bg) = sgr.bg {
        style = style.bg(sgr_color(bg));
    }
    let flags = [sgr.bold, sgr.dim, sgr.italic, sgr.underline, sgr.reverse];
    crate::theme::with_modifiers(style, flags)
}

fn sgr_color(color: SgrColor) -> Color {
    const BASIC: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match color {
        SgrColor::Indexed(i) if (i as usize) < BASIC.len() => BASIC[i as usize],
        SgrColor::Indexed(i) => Color::Indexed(i),
        SgrColor::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

/// The database column: `pg 12/100 conn`, `redis 3.1M/64M`, or the probe's
/// trouble, coloured by how full it is.
pub fn db_summary(probe: &Probe, theme: &Theme) -> (String, Style) {
    let (text, fill) = probe.summary();
    let style = match fill {
        Some(ratio) => load_style(ratio, theme),
        None if probe.status == ProbeStatus::Live => theme.text,
        None => probe_state(&probe.status, theme).1,
    };
    (text, style)
}

/// Text style of a fill ratio: warning from 80 %, error from 95 %.
pub fn load_style(ratio: f64, theme: &Theme) -> Style {
    if ratio >= 0.95 {
        theme.error
    } else if ratio >= 0.8 {
        theme.warning
    } else {
        theme.text
    }
}

/// The status-bar line: a notice of a change for the worse not seen yet,
/// unless a message was said since (the notice comes back when it goes);
/// else the message showing; else a task that stopped on a bug, which
/// stays until stacktop is restarted. It fits in
/// `width` cells: what is cut, or told at more length, is in the messages
/// (`m`), and the line says so.
pub fn status_message<'a>(app: &App, theme: &Theme, width: usize) -> Option<Line<'a>> {
    let newest = app.messages.notices.unseen.last().map(|n| n.at);
    let fresher = app
        .messages
        .status
        .as_ref()
        .is_some_and(|s| newest.is_none_or(|at| s.since >= at));
    if !fresher && let Some(line) = notice(app, theme, width) {
        return Some(line);
    }
    let more = format!(
        " {}: more",
        app.settings
            .keys
            .key_of(Context::Everywhere, Action::Messages)
    );
    if let Some(status) = &app.messages.status {
        let style = match status.level {
            Level::Info => theme.info,
            Level::Error => theme.error,
        };
        let text = fitted(&status.text, width, status.has_detail, &more);
        return Some(Line::styled(text, style));
    }
    let failed = app.flight.failed_tasks.last()?;
    let text = format!("✗ {failed}; restart stacktop (details in --log-file)");
    Some(Line::styled(
        fitted(&text, width, false, &more),
        theme.error,
    ))
}

/// The newest change for the worse not seen yet, shown in every view until
/// a key is pressed: ` ✗ 12:01 user-service became unhealthy (+2 more) ·
/// e: timeline`.
fn notice<'a>(app: &App, theme: &Theme, width: usize) -> Option<Line<'a>> {
    let newest = app.messages.notices.unseen.last()?;
    let mut text = format!(
        " ✗ {} {}",
        newest.at.format("%H:%M"),
        crate::text::one_line(&newest.text())
    );
    let more = app.messages.notices.unseen.len() - 1;
    if more > 0 {
        text.push_str(&format!(" (+{more} more)"));
    }
    let key = app
        .settings
        .keys
        .key_of(Context::Everywhere, Action::Timeline);
    let pointer = format!(" · {key}: timeline");
    if super::format::width(&text) + super::format::width(&pointer) <= width {
        text.push_str(&pointer);
    }
    Some(Line::styled(super::format::fit(&text, width), theme.error))
}

/// ` text` on one line in `width` cells; when it was cut (`…`) or has
/// detail behind it, it ends by saying where the rest is: `more` (` m:
/// more`, with the key in force).
fn fitted(text: &str, width: usize, detail: bool, more: &str) -> String {
    let text = crate::text::one_line(text);
    let whole = super::format::width(&text);
    let more_width = super::format::width(more);
    if whole < width && !detail {
        return format!(" {text}");
    }
    if whole + 3 + more_width <= width {
        return format!(" {text} ·{more}");
    }
    let room = width.saturating_sub(1 + more_width);
    let cut = super::format::fit(&text, room);
    format!(" {}{more}", cut.trim_end())
}

/// The footer's ` k what` pairs for `context`, from the key table; `shown`
/// leaves out actions that do nothing in this view.
pub fn key_hints<'a>(
    keys: &Keymap,
    context: Context,
    shown: impl Fn(Action) -> bool,
    theme: &Theme,
) -> Vec<Span<'a>> {
    key_hints_within(keys, context, shown, theme, usize::MAX)
}

/// Like [`key_hints`], in at most `room` cells: hints before the last one
/// (help) go, from the end, until the rest fit.
pub fn key_hints_within<'a>(
    keys: &Keymap,
    context: Context,
    shown: impl Fn(Action) -> bool,
    theme: &Theme,
    room: usize,
) -> Vec<Span<'a>> {
    let mut hints = keys.hints(context, shown);
    let cells = |(key, what): &(String, &str)| key.width() + what.width() + 3;
    while hints.len() > 1 && hints.iter().map(cells).sum::<usize>() > room {
        hints.remove(hints.len() - 2);
    }
    hints
        .into_iter()
        .flat_map(|(key, what)| {
            [
                Span::styled(format!(" {key}"), theme.key),
                Span::styled(format!(" {what} "), theme.status),
            ]
        })
        .collect()
}

/// The hints of `context` as one phrase, for a line being typed:
/// `Enter keep · Esc clear`.
pub fn inline_hints(keys: &Keymap, context: Context) -> String {
    let hints = keys.hints(context, |_| true);
    let phrases: Vec<String> = hints
        .into_iter()
        .map(|(key, what)| format!("{key} {what}"))
        .collect();
    phrases.join(" · ")
}

/// A `width` x `height` rectangle in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    popup
}
