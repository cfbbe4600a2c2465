//! The service list: projects and their containers, one row each.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::table::Col;
use super::widgets::{action_label, db_summary, key_hints, state_label, status_message};
use super::{format, header, layout};
use crate::app::rows::{DATABASES, NO_PROJECT};
use crate::app::{self, App, HealthLevel, Row};
use crate::keymap::Context;
use crate::model::{Container, EngineId};
use crate::theme::Theme;

/// The columns of the service list. Each knows its title and alignment;
/// `cell_of` is the one place that knows what goes in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    /// `!` on rows that need attention.
    Mark,
    Service,
    State,
    Health,
    Cpu,
    Mem,
    Database,
    Uptime,
    Restarts,
    Ports,
    Image,
}

impl Column {
    fn col(self, width: usize) -> Col {
        let (title, right) = match self {
            Self::Mark => ("", false),
            Self::Service => ("SERVICE", false),
            Self::State => ("STATE", false),
            Self::Health => ("HEALTH", false),
            Self::Cpu => ("CPU", true),
            Self::Mem => ("MEM", true),
            Self::Database => ("DATABASE", false),
            Self::Uptime => ("UPTIME", true),
            Self::Restarts => ("RST", true),
            Self::Ports => ("PORTS", false),
            Self::Image => ("IMAGE", false),
        };
        Col {
            title,
            width,
            right,
        }
    }
}

/// Columns in the order they give way on narrow screens: the last ones
/// go first. The database summary only shows when a database is known.
fn columns(width: usize, with_db: bool) -> Vec<(Column, Col)> {
    let mut wanted = vec![
        (Column::Mark, 1),
        (Column::Service, 13),
        (Column::State, 14),
        (Column::Health, 15),
        (Column::Cpu, 6),
        (Column::Mem, 11),
    ];
    if with_db {
        wanted.push((Column::Database, 16));
    }
    wanted.extend([(Column::Uptime, 6), (Column::Restarts, 3)]);
    let mut used = 0;
    let mut cols: Vec<(Column, Col)> = wanted
        .into_iter()
        .take_while(|(_, w)| {
            used += w + 1;
            used <= width + 1
        })
        .map(|(c, w)| (c, c.col(w)))
        .collect();
    let spare = (width + 1).saturating_sub(used.min(width + 1));
    if spare >= 24 {
        let ports = (spare / 2).min(24);
        cols.push((Column::Ports, Column::Ports.col(ports - 1)));
        cols.push((Column::Image, Column::Image.col(spare - ports - 1)));
    } else if spare >= 12 {
        cols.push((Column::Ports, Column::Ports.col(spare - 1)));
    }
    cols
}

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let banner = header::banner(app, theme);
    let [head, banner_area, list, status] = layout::overview(area, banner.len() as u16);
    header::render(app, theme, frame, head);
    if !banner.is_empty() {
        frame.render_widget(Paragraph::new(banner), banner_area);
    }
    render_list(app, theme, frame, list);
    let line = status_line(app, theme, status.width as usize);
    frame.render_widget(Paragraph::new(line), status);
}

fn render_list(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let cols = columns(area.width as usize, !app.probes.is_empty());
    let mut lines = vec![title_line(&cols, theme)];
    let visible = (area.height as usize).saturating_sub(1);
    if app.rows.is_empty() {
        lines.push(Line::styled(format!("  {}", empty_text(app)), theme.muted));
    }
    // The app keeps the selection in view for a list without banner; one
    // row less may be visible here.
    let mut offset = app.offset;
    if app.selected >= offset + visible {
        offset = app.selected + 1 - visible.max(1);
    }
    for (index, row) in app.rows.iter().enumerate().skip(offset).take(visible) {
        let line = match row {
            Row::Engine(engine) => engine_line(app, *engine, theme),
            Row::Project(engine, name) => project_line(app, *engine, name.as_deref(), theme),
            Row::Container(id) => match app.container(id) {
                Some(c) => container_line(app, c, &cols, theme),
                None => Line::raw(""),
            },
            Row::Databases => Line::styled(format!("▾ {DATABASES}"), theme.project),
            Row::Declared { project, service } => {
                declared_line(app, project, service, &cols, theme)
            }
            Row::Target(id) => target_line(app, id, theme),
        };
        lines.push(if index == app.selected {
            select(line, area.width as usize, theme)
        } else {
            line
        });
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn empty_text(app: &App) -> String {
    if !app.filter.is_empty() {
        format!(
            "no container matches \"{}\" (Esc clears the filter)",
            app.filter
        )
    } else if let Some(project) = &app.scope {
        format!("no containers in project {project} (a: show all projects)")
    } else {
        "no containers".to_string()
    }
}

fn title_line<'a>(cols: &[(Column, Col)], theme: &Theme) -> Line<'a> {
    let text: Vec<String> = cols.iter().map(|(_, c)| c.cell(c.title)).collect();
    Line::styled(text.join(" "), theme.header)
}

/// An engine's group header: `◆ devbox · ssh://dev@devbox  Docker 24.0.7`,
/// with its containers counted.
fn engine_line<'a>(app: &App, id: EngineId, theme: &Theme) -> Line<'a> {
    let Some(engine) = app.engines.get(id.index()) else {
        return Line::raw("");
    };
    let theirs: Vec<&Container> = app.containers.iter().filter(|c| c.engine == id).collect();
    let running = theirs.iter().filter(|c| c.state.is_running()).count();
    let mark = if engine.is_up() { "◆" } else { "✗" };
    Line::from(vec![
        Span::styled(format!("{mark} {}", engine.label()), theme.title),
        Span::styled("  ", theme.muted),
        header::status_span(engine, theme),
        Span::styled(
            format!(
                "  {}, {running} running",
                header::plural(theirs.len(), "container")
            ),
            theme.muted,
        ),
    ])
}

fn project_line<'a>(app: &App, engine: EngineId, name: Option<&str>, theme: &Theme) -> Line<'a> {
    let containers = app.members(engine, name);
    let running = containers.iter().filter(|c| c.state.is_running()).count();
    let troubled = containers.iter().filter(|c| app.needs_attention(c)).count();
    // Under an engine's header, a project is indented one step.
    let indent = if app.several_engines() { "  " } else { "" };
    let mut spans = vec![
        Span::styled(
            format!("{indent}▾ {}", name.unwrap_or(NO_PROJECT)),
            theme.project,
        ),
        Span::styled(
            format!(
                "  {}, {running} running",
                header::plural(containers.len(), "container")
            ),
            theme.muted,
        ),
    ];
    if troubled > 0 {
        spans.push(Span::styled(
            format!(", {troubled} need attention"),
            theme.error,
        ));
    }
    Line::from(spans)
}

fn container_line<'a>(app: &App, c: &Container, cols: &[(Column, Col)], theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    for (column, col) in cols {
        let (text, style) = cell_of(*column, app, c, theme);
        spans.push(Span::styled(col.cell(&text), style));
        spans.push(Span::raw(" "));
    }
    spans.pop();
    Line::from(spans)
}

/// What a column shows for container `c`, and in which style.
fn cell_of(column: Column, app: &App, c: &Container, theme: &Theme) -> (String, Style) {
    let troubled = app.needs_attention(c);
    let stats = app.stats.get(&c.id).filter(|_| c.state.is_running());
    match column {
        Column::Mark => (if troubled { "!" } else { " " }.into(), theme.error),
        Column::Service => {
            let style = if troubled { theme.error } else { theme.text };
            (format!("  {}", app.label(c)), style)
        }
        Column::State => state_cell(app, c, theme),
        Column::Health => health_cell(app, c, theme),
        Column::Uptime => (uptime(app, c), theme.text),
        Column::Restarts => (c.restart_count.to_string(), restart_style(c, theme)),
        Column::Cpu => (cpu(stats), theme.text),
        Column::Mem => (stats.map_or("—".into(), |s| memory(app, s)), theme.text),
        Column::Database => app
            .probe_of_container(&c.id)
            .map_or((String::new(), theme.muted), |p| db_summary(p, theme)),
        Column::Ports => (ports(c), theme.muted),
        Column::Image => (c.image.clone(), theme.muted),
    }
}

/// Docker's health check, the HTTP check, a broker's alarms or a
/// cluster's colour: the worst of them.
fn health_cell(app: &App, c: &Container, theme: &Theme) -> (String, Style) {
    let summary = app.health_of(c);
    let style = match summary.level {
        HealthLevel::None => theme.muted,
        HealthLevel::Good => theme.healthy,
        HealthLevel::Warn => theme.warning,
        HealthLevel::Bad => theme.error,
    };
    (summary.text(), style)
}

fn cpu(stats: Option<&crate::model::Stats>) -> String {
    stats.map_or("—".into(), |s| format!("{:.1}%", s.cpu_percent))
}

/// A declared service that has no container yet: its image, and the
/// profiles that enable it.
fn declared_line<'a>(
    app: &App,
    project: &str,
    service: &str,
    cols: &[(Column, Col)],
    theme: &Theme,
) -> Line<'a> {
    let declared = app.declared_service(project, service);
    let profiles = declared
        .filter(|d| !d.profiles.is_empty())
        .map(|d| format!("⚑ {}", d.profiles.join(",")))
        .unwrap_or_default();
    let image = declared.and_then(|d| d.image.clone()).unwrap_or_default();
    let mut spans = Vec::new();
    for (column, col) in cols {
        let text = match column {
            Column::Service => format!("  {service}"),
            Column::State => "◌ not created".to_string(),
            Column::Health => profiles.clone(),
            Column::Image => image.clone(),
            _ => String::new(),
        };
        spans.push(Span::styled(col.cell(&text), theme.muted));
        spans.push(Span::raw(" "));
    }
    spans.pop();
    Line::from(spans)
}

/// A configured target with no container: its name and summary.
fn target_line<'a>(app: &App, id: &str, theme: &Theme) -> Line<'a> {
    let Some(probe) = app.probes.get(id) else {
        return Line::raw("");
    };
    let (summary, style) = db_summary(probe, theme);
    Line::from(vec![
        Span::raw("    "),
        Span::styled(format::fit(&probe.target.name, 30), theme.text),
        Span::styled(format::fit(&summary, 20), style),
        Span::styled(probe.target.display_url(), theme.muted),
    ])
}

fn state_cell(app: &App, c: &Container, theme: &Theme) -> (String, Style) {
    let resetting = c.project.as_ref().and_then(|p| app.compose_steps.get(p));
    if let Some(step) = resetting
        && (c.service.as_ref() == Some(&step.label) || c.project.as_ref() == Some(&step.label))
    {
        return ("⟳ resetting…".to_string(), theme.warning);
    }
    if let Some(verb) = app.pending.get(&c.id) {
        return action_label(*verb, None, theme);
    }
    if let Some(outcome) = app.outcomes.get(&c.id) {
        return action_label(outcome.verb, Some(outcome.ok), theme);
    }
    state_label(&c.state, theme)
}

fn restart_style(c: &Container, theme: &Theme) -> Style {
    if c.restart_count > 0 {
        theme.warning
    } else {
        theme.text
    }
}

fn uptime(app: &App, c: &Container) -> String {
    app::uptime(c, app.now).map_or("—".into(), format::age)
}

fn memory(app: &App, stats: &crate::model::Stats) -> String {
    // The engine reports the host's memory as the limit of a container
    // that has none: that is no limit worth showing.
    let host_total = app.host.as_ref().map_or(u64::MAX, |h| h.mem_total);
    if stats.mem_limit == 0 || stats.mem_limit >= host_total {
        format::bytes(stats.mem_used)
    } else {
        format!(
            "{}/{}",
            format::bytes(stats.mem_used),
            format::bytes(stats.mem_limit)
        )
    }
}

fn ports(c: &Container) -> String {
    let mut seen: Vec<String> = c
        .ports
        .iter()
        .map(|p| {
            let ip = if p.host_ip.is_empty() || p.host_ip == "0.0.0.0" {
                String::new()
            } else {
                format!("{}:", p.host_ip)
            };
            format!("{ip}{}→{}", p.host_port, p.container_port)
        })
        .collect();
    seen.dedup();
    seen.join(",")
}

/// The selected row, in the selection style across the whole width.
fn select<'a>(line: Line<'a>, width: usize, theme: &Theme) -> Line<'a> {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    Line::styled(format::fit(&text, width), theme.selection)
}

fn status_line<'a>(app: &App, theme: &Theme, width: usize) -> Line<'a> {
    if app.filter_editing() {
        return Line::from(vec![
            Span::styled(format!("/{}▏", app.filter), theme.filter),
            Span::styled("  Enter keep · Esc clear", theme.muted),
        ]);
    }
    // A kept filter stays in sight, even next to a message.
    let mut spans = Vec::new();
    if !app.filter.is_empty() {
        spans.push(Span::styled(
            format!(" filter: {} ", app.filter),
            theme.filter,
        ));
    }
    let room = width.saturating_sub(spans.iter().map(|s| s.width()).sum());
    match status_message(app, theme, room) {
        Some(line) => spans.extend(line.spans),
        None => spans.extend(key_hints(Context::List, |_| true, theme)),
    }
    Line::from(spans)
}
