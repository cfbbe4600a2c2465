//! The service list: projects and their containers, one row each.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::widgets::{
    action_label, db_summary, health_label, key_hints, state_label, status_message,
};
use super::{format, header, layout};
use crate::app::rows::{DATABASES, NO_PROJECT};
use crate::app::{self, App, Row};
use crate::model::{Container, Health};
use crate::theme::Theme;

/// A list column: title, width in cells, right-aligned or not.
struct Column {
    title: &'static str,
    width: usize,
    right: bool,
}

const fn col(title: &'static str, width: usize, right: bool) -> Column {
    Column {
        title,
        width,
        right,
    }
}

/// Columns in the order they give way on narrow screens: the last ones
/// go first. The database summary only shows when a database is known.
fn columns(width: usize, with_db: bool) -> Vec<Column> {
    let mut wanted = vec![
        col("", 1, false),
        col("SERVICE", 13, false),
        col("STATE", 14, false),
        col("HEALTH", 11, false),
        col("CPU", 6, true),
        col("MEM", 11, true),
    ];
    if with_db {
        wanted.push(col("DATABASE", 16, false));
    }
    wanted.extend([col("UPTIME", 6, true), col("RST", 3, true)]);
    let mut used = 0;
    let mut cols: Vec<Column> = wanted
        .into_iter()
        .take_while(|c| {
            used += c.width + 1;
            used <= width + 1
        })
        .collect();
    let spare = (width + 1).saturating_sub(used.min(width + 1));
    if spare >= 30 {
        let ports = (spare / 2).min(24);
        cols.push(col("PORTS", ports - 1, false));
        cols.push(col("IMAGE", spare - ports - 1, false));
    } else if spare >= 12 {
        cols.push(col("PORTS", spare - 1, false));
    }
    cols
}

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let banner = header::banner(app, theme);
    let [head, banner_area, list, status] = layout::overview(area, banner.is_some());
    header::render(app, theme, frame, head);
    if let Some(line) = banner {
        frame.render_widget(Paragraph::new(line), banner_area);
    }
    render_list(app, theme, frame, list);
    frame.render_widget(Paragraph::new(status_line(app, theme)), status);
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
            Row::Project(name) => project_line(app, name.as_deref(), theme),
            Row::Container(id) => match app.container(id) {
                Some(c) => container_line(app, c, &cols, theme),
                None => Line::raw(""),
            },
            Row::Databases => Line::styled(format!("▾ {DATABASES}"), theme.project),
            Row::Declared(_, service) => declared_line(service, &cols, theme),
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

fn title_line<'a>(cols: &[Column], theme: &Theme) -> Line<'a> {
    let text: Vec<String> = cols.iter().map(|c| cell(c, c.title)).collect();
    Line::styled(text.join(" "), theme.header)
}

fn cell(column: &Column, text: &str) -> String {
    if column.right {
        format::fit_right(text, column.width)
    } else {
        format::fit(text, column.width)
    }
}

fn project_line<'a>(app: &App, name: Option<&str>, theme: &Theme) -> Line<'a> {
    let containers = app.members(name);
    let running = containers.iter().filter(|c| c.state.is_running()).count();
    let troubled = containers
        .iter()
        .filter(|c| c.state.is_bad() || c.health == Health::Unhealthy)
        .count();
    let mut spans = vec![
        Span::styled(format!("▾ {}", name.unwrap_or(NO_PROJECT)), theme.project),
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

fn container_line<'a>(app: &App, c: &Container, cols: &[Column], theme: &Theme) -> Line<'a> {
    let troubled = c.state.is_bad() || c.health == Health::Unhealthy;
    let row_style = if troubled { theme.error } else { theme.text };
    let (state, state_style) = state_cell(app, c, theme);
    let (health, health_style) = health_label(c.health, theme);
    let stats = app.stats.get(&c.id).filter(|_| c.state.is_running());
    let mut spans = Vec::new();
    for column in cols {
        let (text, style) = match column.title {
            "" => (if troubled { "!" } else { " " }.into(), theme.error),
            "SERVICE" => (format!("  {}", app.label(c)), row_style),
            "STATE" => (state.clone(), state_style),
            "HEALTH" => (health.into(), health_style),
            "UPTIME" => (uptime(app, c), theme.text),
            "RST" => (c.restart_count.to_string(), restart_style(c, theme)),
            "CPU" => (cpu(stats), theme.text),
            "MEM" => (stats.map_or("—".into(), |s| memory(app, s)), theme.text),
            "DATABASE" => app
                .probe_of_container(&c.id)
                .map_or((String::new(), theme.muted), |p| db_summary(p, theme)),
            "PORTS" => (ports(c), theme.muted),
            _ => (c.image.clone(), theme.muted),
        };
        spans.push(Span::styled(cell(column, &text), style));
        spans.push(Span::raw(" "));
    }
    spans.pop();
    Line::from(spans)
}

fn cpu(stats: Option<&crate::model::Stats>) -> String {
    stats.map_or("—".into(), |s| format!("{:.1}%", s.cpu_percent))
}

/// A declared service that has no container yet.
fn declared_line<'a>(service: &str, cols: &[Column], theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    for column in cols.iter().take(3) {
        let text = match column.title {
            "SERVICE" => format!("  {service}"),
            "STATE" => "◌ not created".to_string(),
            _ => String::new(),
        };
        spans.push(Span::styled(cell(column, &text), theme.muted));
        spans.push(Span::raw(" "));
    }
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
    if let Some((label, _)) = resetting
        && (c.service.as_ref() == Some(label) || c.project.as_ref() == Some(label))
    {
        return ("⟳ resetting…".to_string(), theme.warning);
    }
    if let Some(kind) = app.pending.get(&c.id) {
        return action_label(*kind, None, theme);
    }
    if let Some(outcome) = app.outcomes.get(&c.id) {
        return action_label(outcome.kind, Some(outcome.ok), theme);
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

fn status_line<'a>(app: &App, theme: &Theme) -> Line<'a> {
    if app.filter_editing {
        return Line::from(vec![
            Span::styled(format!("/{}▏", app.filter), theme.filter),
            Span::styled("  Enter keep · Esc clear", theme.muted),
        ]);
    }
    if let Some(line) = status_message(app, theme) {
        return line;
    }
    let mut spans = Vec::new();
    if !app.filter.is_empty() {
        spans.push(Span::styled(
            format!(" filter: {} ", app.filter),
            theme.filter,
        ));
    }
    let hints = [
        ("?", "help"),
        ("/", "filter"),
        ("r", "restart"),
        ("s", "stop/start"),
        ("l", "logs"),
        ("d", "database"),
        ("X", "reset"),
        ("a", "all"),
        ("q", "quit"),
    ];
    spans.extend(key_hints(&hints, theme));
    Line::from(spans)
}
