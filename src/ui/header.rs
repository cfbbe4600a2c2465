//! The two header lines: engine and host, and the banner under them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::{self, plural, status_span};
use crate::app::{App, EngineState, EngineStatus};
use crate::keymap::{Action, Context};
use crate::theme::Theme;

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lines = if area.height == 1 {
        vec![compact_line(app, theme, area.width)]
    } else {
        vec![
            engine_line(app, theme, area.width),
            host_line(app, theme, area.width),
        ]
    };
    frame.render_widget(Paragraph::new(lines), area);
}

/// The one header line of a short pane: the counts first, then the
/// project, the engine when it is not up, and where the keys are.
fn compact_line<'a>(app: &App, theme: &Theme, width: u16) -> Line<'a> {
    let mut spans = vec![Span::styled(" stacktop ", theme.title)];
    let any = |down: bool| {
        app.store.engines.iter().any(|e| match e.status {
            EngineStatus::Down { .. } => down,
            EngineStatus::Connecting => !down,
            EngineStatus::Up { .. } => false,
        })
    };
    if any(true) {
        spans.push(Span::styled("unreachable ", theme.error));
    } else if any(false) {
        spans.push(Span::styled("connecting ", theme.warning));
    }
    spans.push(Span::styled("│ ", theme.border));
    let full = counts(app, theme);
    let width_of =
        |spans: &[Span]| -> usize { spans.iter().map(|s| format::width(&s.content)).sum() };
    let project = app.list.scope.as_ref().map_or(0, |p| 3 + format::width(p));
    if width_of(&spans) + width_of(&full) + project <= width as usize {
        spans.extend(full);
    } else {
        spans.extend(short_counts(app, theme));
    }
    if let Some(project) = &app.list.scope {
        spans.push(Span::styled(" │ ", theme.border));
        spans.push(Span::styled(project.clone(), theme.project));
    }
    let used = width_of(&spans);
    let help = app.settings.keys.key_of(Context::Everywhere, Action::Help);
    let hint = format!("{help} help ");
    let room = (width as usize).saturating_sub(used);
    if room > format::width(&hint) {
        spans.push(Span::styled(format::fit_right(&hint, room), theme.muted));
    }
    Line::from(spans)
}

fn engine_line<'a>(app: &'a App, theme: &Theme, width: u16) -> Line<'a> {
    let updated = match app.store.last_update {
        Some(t) => format!("updated {}", t.format("%H:%M:%S")),
        None => "no data yet".to_string(),
    };
    let mut left = vec![
        Span::styled(" stacktop ", theme.title),
        Span::styled("│ ", theme.border),
    ];
    match app.store.engines.as_slice() {
        [one] => left.extend([
            status_span(one, theme),
            Span::styled(" │ ", theme.border),
            Span::styled(one.label(), theme.muted),
        ]),
        several => left.extend(engines_summary(several, theme)),
    }
    let used: usize = left.iter().map(|s| format::width(&s.content)).sum();
    let room = (width as usize).saturating_sub(used + 1);
    let mut spans = left;
    spans.push(Span::styled(format::fit_right(&updated, room), theme.muted));
    Line::from(spans)
}

fn host_line<'a>(app: &App, theme: &Theme, width: u16) -> Line<'a> {
    let mut spans = vec![Span::raw(" ")];
    if let Some(host) = &app.store.host {
        let cpu_style = if host.cpu_percent >= 90.0 {
            theme.error
        } else {
            theme.text
        };
        spans.extend([
            Span::styled("CPU ", theme.header),
            Span::styled(format!("{:.1}%", host.cpu_percent), cpu_style),
            Span::styled("  MEM ", theme.header),
            Span::styled(
                format!(
                    "{}/{}",
                    format::bytes(host.mem_used),
                    format::bytes(host.mem_total)
                ),
                theme.text,
            ),
        ]);
        spans.push(Span::styled("  LOAD ", theme.header));
        spans.push(Span::styled(
            format!(
                "{:.2} {:.2} {:.2}",
                host.load[0], host.load[1], host.load[2]
            ),
            theme.text,
        ));
        spans.push(Span::styled("  │ ", theme.border));
    }
    let mut rest = counts(app, theme);
    if let Some(project) = &app.list.scope {
        rest.push(Span::styled("  │ project ", theme.border));
        rest.push(Span::styled(project.clone(), theme.project));
    }
    // The load is the first thing to go when the line is too long.
    let cells = |spans: &[Span]| -> usize { spans.iter().map(|s| format::width(&s.content)).sum() };
    if app.store.host.is_some() && cells(&spans) + cells(&rest) > width as usize {
        let border = spans.pop();
        spans.truncate(spans.len() - 2);
        spans.extend(border);
    }
    spans.extend(rest);
    super::trends::host_history(app, theme, width, &mut spans);
    Line::from(spans)
}

/// `3 engines: 2 up, 1 unreachable`: each engine has its own group below.
fn engines_summary<'a>(engines: &[EngineState], theme: &Theme) -> Vec<Span<'a>> {
    let up = engines.iter().filter(|e| e.is_up()).count();
    let mut spans = vec![Span::styled(
        format!("{} engines: {up} up", engines.len()),
        theme.text,
    )];
    let down = engines
        .iter()
        .filter(|e| matches!(e.status, EngineStatus::Down { .. }))
        .count();
    if down > 0 {
        spans.push(Span::styled(format!(", {down} unreachable"), theme.error));
    }
    spans
}

/// `7 containers: 5 running, 1 unhealthy, 1 failing`, for the rows in view.
fn counts<'a>(app: &App, theme: &Theme) -> Vec<Span<'a>> {
    let listed = listed(app);
    let running = listed.iter().filter(|c| c.state.is_running()).count();
    let unhealthy = listed
        .iter()
        .filter(|c| app.store.health_level(c) == crate::app::HealthLevel::Bad)
        .count();
    let failing = listed.iter().filter(|c| c.state.is_bad()).count();
    let mut spans = vec![Span::styled(
        format!("{}: {running} running", plural(listed.len(), "container")),
        theme.text,
    )];
    if unhealthy > 0 {
        spans.push(Span::styled(
            format!(", {unhealthy} unhealthy"),
            theme.error,
        ));
    }
    if failing > 0 {
        spans.push(Span::styled(format!(", {failing} failing"), theme.error));
    }
    spans
}

/// `12/14 running · ✗ 3`: the counts of a narrow pane, problems being the
/// containers that need attention.
fn short_counts<'a>(app: &App, theme: &Theme) -> Vec<Span<'a>> {
    let listed = listed(app);
    let running = listed.iter().filter(|c| c.state.is_running()).count();
    let troubled = listed
        .iter()
        .filter(|c| app.store.needs_attention(c))
        .count();
    let mut spans = vec![Span::styled(
        format!("{running}/{} running", listed.len()),
        theme.text,
    )];
    if troubled > 0 {
        spans.push(Span::styled(format!(" · ✗ {troubled}"), theme.error));
    }
    spans
}

/// The containers in scope.
fn listed(app: &App) -> Vec<&crate::model::Container> {
    app.store
        .containers
        .iter()
        .filter(|c| app.list.scope.is_none() || c.project == app.list.scope)
        .collect()
}

/// Most banner lines shown: a long list of sockets tried is cut.
pub const BANNER_LINES: usize = 6;

/// The banner: one line for each engine not connected, with the sockets
/// also tried when it was found by searching; empty when all are up.
pub fn banner<'a>(app: &App, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for (at, engine) in app.store.engines.iter().enumerate() {
        let text = match &engine.status {
            EngineStatus::Up { .. } => continue,
            EngineStatus::Connecting => {
                format!(" connecting to the Docker engine at {}…", engine.label())
            }
            EngineStatus::Down { error, retry_in_ms } => {
                let known = app.store.containers.iter().any(|c| c.engine.index() == at);
                format!(
                    " ✗ Docker engine unreachable at {}: {error} — retrying in {:.1}s{}",
                    engine.label(),
                    *retry_in_ms as f64 / 1000.0,
                    if known {
                        " (list below is the last known)"
                    } else {
                        ""
                    }
                )
            }
        };
        lines.push(Line::styled(text, theme.banner));
        if matches!(engine.status, EngineStatus::Down { .. }) {
            lines.extend(engine.others.iter().map(|other| {
                let why = match &other.outcome {
                    Ok(version) => {
                        format!("answers (engine {version}): restart stacktop to use it")
                    }
                    Err(reason) => reason.clone(),
                };
                Line::styled(
                    format!("   also tried {}: {why}", other.endpoint),
                    theme.banner,
                )
            }));
        }
    }
    lines.extend(refused_lines(app, theme));
    lines.truncate(BANNER_LINES);
    lines
}

/// A line for each project whose files Compose refuses, in its words.
fn refused_lines<'a>(app: &App, theme: &Theme) -> Vec<Line<'a>> {
    let key = app
        .settings
        .keys
        .key_of(Context::Everywhere, Action::Messages);
    app.store
        .invalid()
        .map(|(project, words)| {
            let why = crate::text::one_line(words);
            let text = format!(
                " ✗ Compose refuses the files of {}: {why} ({key}: the whole message)",
                project.name
            );
            Line::styled(text, theme.banner)
        })
        .collect()
}
