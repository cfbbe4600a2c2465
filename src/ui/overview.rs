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
use crate::app::{self, App, HealthLevel, Row, SortKey, Window};
use crate::keymap::Context;
use crate::model::{Container, ContainerState};
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
    /// State and health in one, the worse of them: narrow screens.
    Status,
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
            Self::Status => ("STATUS", false),
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

    /// The column the list is sorted by, and the mark its title gets.
    fn sorted(key: SortKey) -> (Self, &'static str) {
        match key {
            SortKey::Attention => (Self::Mark, "!"),
            SortKey::Name => (Self::Service, "▲"),
            SortKey::Cpu => (Self::Cpu, "▼"),
            SortKey::Memory => (Self::Mem, "▼"),
            SortKey::Uptime => (Self::Uptime, "▲"),
            SortKey::Restarts => (Self::Restarts, "▼"),
        }
    }
}

/// Columns in the order they give way on narrow screens: the last ones
/// go first, but the column the list is sorted by stays. The database
/// summary only shows when a database is known. Under
/// [`layout::NARROW_BELOW`] cells, state and health share one column.
fn columns(width: usize, with_db: bool, sort: SortKey) -> Vec<(Column, Col)> {
    let narrow = width < layout::NARROW_BELOW as usize;
    let mut wanted = if narrow {
        vec![
            (Column::Mark, 1),
            (Column::Service, 13),
            (Column::Status, 14),
            (Column::Cpu, 6),
            (Column::Mem, 11),
            (Column::Uptime, 6),
            (Column::Restarts, 3),
        ]
    } else {
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
        wanted
    };
    let (sorted, mark) = Column::sorted(sort);
    // The sorted column is wide enough for its title and mark.
    for (column, cells) in wanted.iter_mut().filter(|(c, _)| *c == sorted) {
        let title = column.col(0).title;
        *cells = (*cells).max(format::width(title) + format::width(mark));
    }
    let (mut cols, mut used) = fitting(&wanted, width);
    if !cols.iter().any(|(c, _)| *c == sorted)
        && let Some(at) = wanted.iter().position(|(c, _)| *c == sorted)
    {
        let entry = wanted.remove(at);
        wanted.insert(3, entry);
        (cols, used) = fitting(&wanted, width);
    }
    let spare = (width + 1).saturating_sub(used.min(width + 1));
    if narrow {
        return cols;
    }
    if spare >= 24 {
        let ports = (spare / 2).min(24);
        cols.push((Column::Ports, Column::Ports.col(ports - 1)));
        cols.push((Column::Image, Column::Image.col(spare - ports - 1)));
    } else if spare >= 12 {
        cols.push((Column::Ports, Column::Ports.col(spare - 1)));
    }
    cols
}

/// The first of `wanted` that fit in `width` cells, and the cells they
/// take (more than `width` when one was left out: no room to spare).
fn fitting(wanted: &[(Column, usize)], width: usize) -> (Vec<(Column, Col)>, usize) {
    let mut used = 0;
    let cols = wanted
        .iter()
        .take_while(|(_, w)| {
            used += w + 1;
            used <= width + 1
        })
        .map(|(c, w)| (*c, c.col(*w)))
        .collect();
    (cols, used)
}

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let banner = header::banner(app, theme);
    let status = status_line(app, theme, area.width as usize);
    let footer = !layout::compact(area.height) || status.is_some();
    let [head, banner_area, list, footer_area] = layout::overview(area, banner.is_some(), footer);
    header::render(app, theme, frame, head);
    if let Some(line) = banner {
        frame.render_widget(Paragraph::new(line), banner_area);
    }
    render_list(app, theme, frame, list);
    let line = status.unwrap_or_else(|| Line::from(key_hints(Context::List, |_| true, theme)));
    frame.render_widget(Paragraph::new(line), footer_area);
}

fn render_list(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width as usize;
    let cols = columns(width, !app.probes.is_empty(), app.prefs.sort);
    let mut lines = vec![title_line(&cols, app.prefs.sort, theme)];
    if app.rows.is_empty() {
        lines.push(Line::styled(format!("  {}", empty_text(app)), theme.muted));
    }
    let window = app.window((area.height as usize).saturating_sub(1));
    for index in &window.rows {
        let line = match &app.rows[*index] {
            Row::Project(name) => project_line(app, name.as_deref(), width, theme),
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
        lines.push(if *index == app.selected {
            select(line, width, theme)
        } else {
            line
        });
    }
    lines.extend(more_line(&window, theme));
    frame.render_widget(Paragraph::new(lines), area);
}

/// `+5 more running fine`: what a list too long for its pane left out.
fn more_line<'a>(window: &Window, theme: &Theme) -> Option<Line<'a>> {
    let n = window.hidden;
    match (n, window.hidden_trouble) {
        (0, _) => None,
        (_, 0) if window.hidden_all_running => Some(Line::styled(
            format!("  +{n} more running fine"),
            theme.muted,
        )),
        (_, 0) => Some(Line::styled(
            format!("  +{n} more, none need attention"),
            theme.muted,
        )),
        (_, trouble) => Some(Line::styled(
            format!("  +{n} more (✗ {trouble} need attention)"),
            theme.error,
        )),
    }
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

/// The column titles; the column the list is sorted by is marked.
fn title_line<'a>(cols: &[(Column, Col)], sort: SortKey, theme: &Theme) -> Line<'a> {
    let (sorted, mark) = Column::sorted(sort);
    let mut spans = Vec::new();
    for (column, col) in cols {
        if *column == sorted {
            let title = match column {
                Column::Mark => mark.to_string(),
                _ => format!("{}{mark}", col.title),
            };
            spans.push(Span::styled(col.cell(&title), theme.key));
        } else {
            spans.push(Span::styled(col.cell(col.title), theme.header));
        }
        spans.push(Span::styled(" ", theme.header));
    }
    spans.pop();
    Line::from(spans)
}

/// A project's row: `▾ shop  13 containers · 11 ok · ✗ 2 need attention`,
/// with `▸` when folded; shorter when the width asks.
fn project_line<'a>(app: &App, name: Option<&str>, width: usize, theme: &Theme) -> Line<'a> {
    let containers = app.members(name);
    let troubled = containers.iter().filter(|c| app.needs_attention(c)).count();
    let ok = containers.len() - troubled;
    let arrow = if app.is_folded(name) { "▸" } else { "▾" };
    let head = format!("{arrow} {}", name.unwrap_or(NO_PROJECT));
    let mut counts = format!(
        "  {} · {ok} ok",
        header::plural(containers.len(), "container")
    );
    let mut trouble = format!(" · ✗ {troubled} need attention");
    let long = format::width(&head) + format::width(&counts) + format::width(&trouble);
    if long > width {
        counts = format!("  {} ok", ok);
        trouble = format!(" · ✗ {troubled}");
    }
    let mut spans = vec![
        Span::styled(head, theme.project),
        Span::styled(counts, theme.muted),
    ];
    if troubled > 0 {
        spans.push(Span::styled(trouble, theme.error));
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
        Column::Status => status_cell(app, c, theme),
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

/// The state, unless the container runs and its health says more.
fn status_cell(app: &App, c: &Container, theme: &Theme) -> (String, Style) {
    let level = app.health_of(c).level;
    let telling = matches!(level, HealthLevel::Bad | HealthLevel::Warn);
    let busy = app.pending.contains_key(&c.id) || app.outcomes.contains_key(&c.id);
    if c.state == ContainerState::Running && telling && !busy {
        health_cell(app, c, theme)
    } else {
        state_cell(app, c, theme)
    }
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
            Column::State | Column::Status => "◌ not created".to_string(),
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

/// The footer: the filter being typed or kept, a notice or a message, or
/// the key hints; `None` when there is nothing but key hints to show.
fn status_line<'a>(app: &App, theme: &Theme, width: usize) -> Option<Line<'a>> {
    if app.filter_editing() {
        return Some(Line::from(vec![
            Span::styled(format!("/{}▏", app.filter), theme.filter),
            Span::styled("  Enter keep · Esc clear", theme.muted),
        ]));
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
        None if spans.is_empty() => return None,
        None => spans.extend(key_hints(Context::List, |_| true, theme)),
    }
    Some(Line::from(spans))
}
