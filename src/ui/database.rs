//! The database view of a target: a title line, then the panels of its
//! kind (PostgreSQL, Redis, RabbitMQ, search), or why there are no figures.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::widgets::{key_hints, probe_state, status_message};
use super::{pg, rabbit, redis, search};
use crate::app::{App, DatabaseView, Probe};
use crate::event::TabHit;
use crate::keymap::{Action, Context};
use crate::model::{ProbeStatus, Snapshot, TargetKind};
use crate::theme::Theme;

/// Draws the view; where a click switches panels.
pub fn render(
    app: &App,
    view: &DatabaseView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) -> Vec<TabHit> {
    let Some(probe) = app.probes.get(&view.target_id) else {
        return Vec::new();
    };
    let [title, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(title_line(probe, theme)), title);
    let tabs = match &probe.snapshot {
        Some(Snapshot::Postgres(pg)) => pg::render(pg, view, theme, frame, body),
        Some(Snapshot::Redis(r)) => redis::render(probe, r, view, theme, frame, body),
        Some(Snapshot::RabbitMq(r)) => rabbit::render(probe, r, view, theme, frame, body),
        Some(Snapshot::Search(s)) => search::render(s, view, theme, frame, body),
        None => {
            let waiting = Paragraph::new(waiting_lines(probe, theme)).wrap(Wrap { trim: false });
            frame.render_widget(waiting, body);
            Vec::new()
        }
    };
    tab_hint(app, &tabs, theme, frame, body);
    let line = status_line(app, probe, theme, status.width as usize);
    frame.render_widget(Paragraph::new(line), status);
    tabs
}

/// After the last tab, how to move to the next one, with the key in force:
/// `(Tab: next panel)`.
fn tab_hint(app: &App, tabs: &[TabHit], theme: &Theme, frame: &mut Frame, body: Rect) {
    let Some(last) = tabs.last() else {
        return;
    };
    let key = app
        .settings
        .keys
        .key_of(Context::Database, Action::NextPanel);
    let x = last.x.end + 1;
    let room = Rect::new(x, last.y, body.right().saturating_sub(x), 1);
    let hint = Span::styled(format!("({key}: next panel)"), theme.muted);
    frame.render_widget(Paragraph::new(Line::from(hint)), room.intersection(body));
}

fn title_line<'a>(probe: &Probe, theme: &Theme) -> Line<'a> {
    let kind = format!(" {} ", probe.target.kind.info().title);
    let (state, style) = probe_state(&probe.status, theme);
    Line::from(vec![
        Span::styled(kind, theme.title),
        Span::styled(probe.target.name.clone(), theme.project),
        Span::styled(" │ ", theme.border),
        Span::styled(probe.target.display_url(), theme.muted),
        Span::styled(" │ ", theme.border),
        Span::styled(state, style),
    ])
}

/// What the view says while it has no live figures.
fn waiting_lines<'a>(probe: &Probe, theme: &Theme) -> Vec<Line<'a>> {
    let (text, style) = match &probe.status {
        ProbeStatus::Connecting | ProbeStatus::Live => ("connecting…".to_string(), theme.muted),
        ProbeStatus::Starting => (
            "the server is starting up; figures follow when it accepts queries".to_string(),
            theme.warning,
        ),
        ProbeStatus::Reconnecting { error, retry_in_ms } => (
            format!(
                "reconnecting: {error} (retry in {:.1}s); no figures are shown until the server answers",
                *retry_in_ms as f64 / 1000.0
            ),
            theme.warning,
        ),
        ProbeStatus::AuthFailed { error } => (
            format!(
                "authentication failed: {error}. Fix the credentials (stacktop.toml or the container's environment); retried once a minute."
            ),
            theme.error,
        ),
    };
    vec![Line::raw(""), Line::styled(format!(" {text}"), style)]
}

fn status_line<'a>(app: &App, probe: &Probe, theme: &Theme, width: usize) -> Line<'a> {
    if let Some(line) = status_message(app, theme, width) {
        return line;
    }
    let mut spans = Vec::new();
    if let Some(ms) = probe.snapshot.as_ref().map(Snapshot::poll_ms) {
        spans.push(Span::styled(format!(" poll {ms:.1} ms │"), theme.muted));
    }
    let kind = probe.target.kind;
    let shown = |action| match action {
        Action::CancelQuery | Action::TerminateBackend => kind == TargetKind::Postgres,
        Action::PurgeQueue => kind == TargetKind::RabbitMq,
        Action::Help | Action::Quit => false,
        _ => true,
    };
    spans.extend(key_hints(
        &app.settings.keys,
        Context::Database,
        shown,
        theme,
    ));
    Line::from(spans)
}
