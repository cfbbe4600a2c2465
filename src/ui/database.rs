//! The database view of a target: a title line, then its kind's summary,
//! a tab bar of its panels and the focused panel (PostgreSQL, Redis,
//! RabbitMQ, search), or why there are no figures.
//!
//! [`summary`] and [`content`] are the views' rows of the kind table: what
//! each kind shows above its tabs and what each panel draws. Their matches
//! have an arm per kind and per panel and no catch-all, so a new kind or
//! panel does not compile until it is drawn here.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::format;
use super::table::Content;
use super::widgets::{key_hints, probe_state, status_message};
use super::{pg, rabbit, redis, search};
use crate::app::{App, DatabaseView, Panel, Probe};
use crate::event::TabHit;
use crate::keymap::{Action, Context};
use crate::model::{AUTH_RETRY, ProbeStatus, Snapshot, TargetKind};
use crate::theme::Theme;

/// Draws the view; where a click switches panels.
pub fn render(
    app: &App,
    view: &DatabaseView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) -> Vec<TabHit> {
    let Some(probe) = app.store.probes.get(&view.target_id) else {
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
        Some(snapshot) => figures(probe, snapshot, view, theme, frame, body),
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

/// The lines a kind shows above its tabs, and the notes of its poll.
fn summary<'a>(
    probe: &'a Probe,
    snapshot: &'a Snapshot,
    theme: &Theme,
    width: u16,
) -> (Vec<Line<'a>>, &'a [String]) {
    match snapshot {
        Snapshot::Postgres(pg) => (pg::summary(pg, theme, width), &pg.notes),
        Snapshot::Redis(r) => (redis::summary(probe, r, theme, width), &r.notes),
        Snapshot::RabbitMq(r) => (rabbit::summary(probe, r, theme, width), &r.notes),
        Snapshot::Search(s) => (search::summary(s, theme), &s.notes),
    }
}

/// What `panel` draws of `probe`'s latest poll in `width` cells; nothing
/// when the poll is of another kind.
fn content<'a>(panel: Panel, probe: &Probe, width: u16, theme: &'a Theme) -> Option<Content<'a>> {
    Some(match panel {
        Panel::Pools => pg::pools(probe.pg()?, theme).into(),
        Panel::Statements => pg::statements(probe.pg()?, width, theme).into(),
        Panel::Blocked => pg::blocked(probe.pg()?, width, theme).into(),
        Panel::TopStatements => pg::top_statements(probe.pg()?, theme),
        Panel::Databases => pg::databases(probe.pg()?, theme).into(),
        Panel::Keyspace => redis::keyspace(probe.redis()?, theme).into(),
        Panel::ClientPools => redis::client_pools(probe.redis()?, theme),
        Panel::Slowlog => redis::slowlog(probe.redis()?, theme).into(),
        Panel::Queues => rabbit::queues(probe, probe.rabbit()?, theme).into(),
        Panel::Clients => rabbit::clients(probe.rabbit()?, theme).into(),
        Panel::Indices => search::indices(probe.search()?, theme).into(),
        Panel::Nodes => search::nodes(probe.search()?, theme).into(),
    })
}

/// The figures of a poll: the kind's summary lines, a tab bar, the focused
/// panel and up to two notes at the bottom; where a click switches panels.
fn figures(
    probe: &Probe,
    snapshot: &Snapshot,
    view: &DatabaseView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) -> Vec<TabHit> {
    let (summary, notes) = summary(probe, snapshot, theme, area.width);
    let panels = Panel::of(snapshot.kind());
    let [summary_area, tab_bar, panel_area, notes_area] = Layout::vertical([
        Constraint::Length(summary.len() as u16),
        Constraint::Length(1),
        Constraint::Min(2),
        Constraint::Length(notes.len().min(2) as u16),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(summary), summary_area);
    frame.render_widget(Paragraph::new(tabs(panels, view.panel, theme)), tab_bar);
    match content(view.panel, probe, panel_area.width, theme) {
        Some(Content::Table(table)) => frame.render_widget(table.select(view.row), panel_area),
        Some(Content::Message(message)) => frame.render_widget(*message, panel_area),
        None => {}
    }
    let lines: Vec<Line> = notes
        .iter()
        .take(2)
        .map(|n| Line::styled(format!(" note: {n}"), theme.warning))
        .collect();
    frame.render_widget(Paragraph::new(lines), notes_area);
    tab_hits(panels, tab_bar)
}

/// A tab bar naming `panels`, the focused one highlighted.
fn tabs<'a>(panels: &[Panel], focused: Panel, theme: &Theme) -> Line<'a> {
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
fn tab_hits(panels: &[Panel], bar: Rect) -> Vec<TabHit> {
    tab_places(panels)
        .into_iter()
        .enumerate()
        .map(|(index, (_, _, x))| TabHit {
            y: bar.y,
            x: bar.x + x.start..bar.x + x.end,
            panel: index,
        })
        .collect()
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
                "authentication failed: {error}. Fix the credentials (stacktop.toml or the container's environment); retried every {} s.",
                AUTH_RETRY.as_secs()
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

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;
    use ratatui::widgets::Widget;

    use super::*;
    use crate::model::{
        ClientGroup, ClientPool, KeyspaceDb, PgBackend, PgDatabase, PgPool, PgSnapshot,
        PgStatement, Queue, RabbitSnapshot, RedisSnapshot, SearchIndex, SearchNode, SearchSnapshot,
        SlowEntry, Target, TopStatements,
    };

    /// A poll of `kind` whose panels each list a different number of rows.
    fn sample(kind: TargetKind) -> Snapshot {
        match kind {
            TargetKind::Postgres => {
                let blocked = PgBackend {
                    blocked_by: vec![7],
                    ..PgBackend::default()
                };
                Snapshot::Postgres(PgSnapshot {
                    pools: vec![PgPool::default(); 2],
                    backends: vec![PgBackend::default(), blocked, PgBackend::default()],
                    top_statements: TopStatements::Rows(vec![PgStatement::default(); 4]),
                    databases: vec![PgDatabase::default(); 5],
                    ..PgSnapshot::default()
                })
            }
            TargetKind::Redis => Snapshot::Redis(RedisSnapshot {
                keyspace: vec![KeyspaceDb::default(); 2],
                client_pools: Some(vec![ClientPool::default(); 3]),
                slowlog: vec![SlowEntry::default(); 4],
                ..RedisSnapshot::default()
            }),
            TargetKind::RabbitMq => Snapshot::RabbitMq(RabbitSnapshot {
                queues: vec![Queue::default(); 2],
                clients: vec![ClientGroup::default(); 3],
                ..RabbitSnapshot::default()
            }),
            TargetKind::Search => Snapshot::Search(SearchSnapshot {
                indices: vec![SearchIndex::default(); 2],
                nodes: vec![SearchNode::default(); 3],
                ..SearchSnapshot::default()
            }),
        }
    }

    /// A poll of `kind` with nothing in it.
    fn empty(kind: TargetKind) -> Snapshot {
        match kind {
            TargetKind::Postgres => Snapshot::Postgres(PgSnapshot::default()),
            TargetKind::Redis => Snapshot::Redis(RedisSnapshot::default()),
            TargetKind::RabbitMq => Snapshot::RabbitMq(RabbitSnapshot::default()),
            TargetKind::Search => Snapshot::Search(SearchSnapshot::default()),
        }
    }

    fn probe(snapshot: Snapshot) -> Probe {
        let mut probe = Probe::new(Target::example(snapshot.kind(), "x"));
        probe.snapshot = Some(snapshot);
        probe
    }

    /// The rows `content` draws in a screen tall enough for all of them:
    /// the lines under a table's header, but for the line saying it is
    /// empty; none for a message.
    fn drawn_rows(content: Content) -> usize {
        let Content::Table(table) = content else {
            return 0;
        };
        let area = Rect::new(0, 0, 120, 40);
        let mut buf = Buffer::empty(area);
        let has_rows = !table.is_empty();
        table.render(area, &mut buf);
        let lines = (1..area.height)
            .filter(|y| (0..area.width).any(|x| buf[(x, *y)].symbol() != " "))
            .count();
        if has_rows {
            lines
        } else {
            assert_eq!(lines, 1, "an empty table says so on one line");
            0
        }
    }

    #[test]
    fn each_panel_draws_the_rows_it_reports() {
        let theme = Theme::default();
        for kind in TargetKind::ALL {
            for poll in [sample(kind), empty(kind)] {
                let probe = probe(poll.clone());
                for panel in Panel::of(kind) {
                    let content = content(*panel, &probe, 120, &theme);
                    let content = content.expect("a panel draws a poll of its kind");
                    assert_eq!(drawn_rows(content), panel.rows(&poll), "{panel:?}");
                }
            }
        }
        let sample_counts: Vec<usize> = Panel::of(TargetKind::Postgres)
            .iter()
            .map(|p| p.rows(&sample(TargetKind::Postgres)))
            .collect();
        assert_eq!(
            sample_counts,
            [2, 3, 1, 4, 5],
            "the sample tells panels apart"
        );
    }

    #[test]
    fn a_panel_draws_nothing_of_another_kinds_poll() {
        let redis = probe(sample(TargetKind::Redis));
        assert!(content(Panel::Pools, &redis, 120, &Theme::default()).is_none());
    }
}
