//! The service list: projects and their containers, one row each.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::table::{Col, left, right};
use super::widgets::{action_label, db_summary, key_hints, state_label, status_message};
use super::{format, header, layout};
use crate::app::rows::{DATABASES, NO_PROJECT};
use crate::app::{self, App, HealthLevel, Row};
use crate::event::ListArea;
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
    /// Its title, alignment, cut and the widest it grows.
    fn col(self) -> Col {
        match self {
            Self::Mark => left("", 1),
            Self::Service => left("SERVICE", 42).names(),
            Self::State => left("STATE", 18),
            Self::Health => left("HEALTH", 22),
            Self::Cpu => right("CPU", 7).at_least(6),
            Self::Mem => right("MEM", 12).at_least(10),
            Self::Database => left("DATABASE", 24),
            Self::Uptime => right("UPTIME", 7).at_least(6),
            Self::Restarts => right("RST", 4),
            Self::Ports => left("PORTS", 48),
            Self::Image => left("IMAGE", 64),
        }
    }

    /// A column left out when no row has anything for it.
    fn optional(self) -> bool {
        matches!(self, Self::Database | Self::Ports | Self::Image)
    }

    /// The cells it claims when deciding which columns fit: a long name
    /// claims less, as it can be cut in the middle and stay readable.
    fn claim(self, want: usize) -> usize {
        match self {
            Self::Service => want.min(18),
            _ => want,
        }
    }
}

/// The columns in the order they show; on a narrow screen the last ones
/// give way first.
const ORDER: [Column; 11] = [
    Column::Mark,
    Column::Service,
    Column::State,
    Column::Health,
    Column::Cpu,
    Column::Mem,
    Column::Database,
    Column::Uptime,
    Column::Restarts,
    Column::Ports,
    Column::Image,
];

/// Fewest cells worth showing a column in, cut.
const PARTIAL: usize = 10;

/// A column of the list as drawn: what it is, and its width in force.
#[derive(Debug, Clone, Copy)]
struct Shown {
    column: Column,
    col: Col,
    width: usize,
}

impl Shown {
    fn cell(&self, text: &str) -> String {
        self.col.cell(text, self.width)
    }
}

/// The columns that fit in `width` cells, each as wide as its longest
/// value in the whole list (up to its cap). Optional columns (database,
/// ports, image) show only when a row has something for them.
fn columns(app: &App, width: usize, theme: &Theme) -> Vec<Shown> {
    let longest = longest_cells(app, theme);
    let mut chosen: Vec<(Column, Col)> = Vec::new();
    let mut used = 0;
    let mut next = None;
    for column in ORDER {
        if column.optional() && longest[column as usize] == 0 {
            continue;
        }
        let col = column.col();
        let claim = column.claim(col.want(longest[column as usize]));
        let gap = usize::from(!chosen.is_empty());
        if used + gap + claim > width {
            next = Some((column, col));
            break;
        }
        used += gap + claim;
        chosen.push((column, col));
    }
    // Room the chosen columns would still grow into comes first; the next
    // column takes what is left after that, cut, if it is worth showing.
    let growth: usize = chosen
        .iter()
        .map(|(column, col)| {
            let want = col.want(longest[*column as usize]);
            want - column.claim(want)
        })
        .sum();
    let room = width.saturating_sub(used + growth + 1);
    if let Some((column, mut col)) = next
        && room >= PARTIAL
    {
        col.width = room;
        chosen.push((column, col));
    }
    let cols: Vec<Col> = chosen.iter().map(|(_, col)| *col).collect();
    let wanted: Vec<usize> = chosen.iter().map(|(c, _)| longest[*c as usize]).collect();
    let widths = super::table::widths(&cols, &wanted, width);
    chosen
        .iter()
        .zip(widths)
        .map(|((column, col), width)| Shown {
            column: *column,
            col: *col,
            width,
        })
        .collect()
}

/// The longest text of each column over every row of the list.
fn longest_cells(app: &App, theme: &Theme) -> [usize; ORDER.len()] {
    let mut longest = [0; ORDER.len()];
    for row in &app.rows {
        for column in ORDER {
            let text = match row {
                Row::Container(id) => match app.container(id) {
                    Some(c) => cell_of(column, app, c, theme).0,
                    None => continue,
                },
                Row::Declared { project, service } => declared_cell(app, project, service, column),
                _ => continue,
            };
            let slot = &mut longest[column as usize];
            *slot = (*slot).max(format::width(&text));
        }
    }
    longest
}

/// Draws the overview; returns where its list rows are.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) -> Option<ListArea> {
    let banner = header::banner(app, theme);
    let [head, banner_area, list, status] = layout::overview(area, banner.len() as u16);
    let list = super::trends::strip(app, theme, frame, list, area.height);
    header::render(app, theme, frame, head);
    if !banner.is_empty() {
        frame.render_widget(Paragraph::new(banner), banner_area);
    }
    let rows = render_list(app, theme, frame, list);
    let line = status_line(app, theme, status.width as usize);
    frame.render_widget(Paragraph::new(line), status);
    rows
}

/// Draws the list under its column titles; returns where its rows are.
fn render_list(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) -> Option<ListArea> {
    let cols = columns(app, area.width as usize, theme);
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
    // The rows start under the column titles.
    Some(ListArea {
        top: area.y + 1,
        rows: area
            .height
            .saturating_sub(1)
            .min(app.rows.len().saturating_sub(offset) as u16),
        first: offset,
    })
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

fn title_line<'a>(cols: &[Shown], theme: &Theme) -> Line<'a> {
    let text: Vec<String> = cols.iter().map(|c| c.cell(c.col.title)).collect();
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

fn container_line<'a>(app: &App, c: &Container, cols: &[Shown], theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    for shown in cols {
        let (text, style) = cell_of(shown.column, app, c, theme);
        spans.push(Span::styled(shown.cell(&text), style));
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

pub(super) fn cpu(stats: Option<&crate::model::Stats>) -> String {
    stats.map_or("—".into(), |s| format!("{:.1}%", s.cpu_percent))
}

/// A declared service that has no container yet: its image, and the
/// profiles that enable it.
fn declared_line<'a>(
    app: &App,
    project: &str,
    service: &str,
    cols: &[Shown],
    theme: &Theme,
) -> Line<'a> {
    let cells: Vec<String> = cols
        .iter()
        .map(|shown| shown.cell(&declared_cell(app, project, service, shown.column)))
        .collect();
    Line::styled(cells.join(" "), theme.muted)
}

/// What a column shows for a declared service with no container.
fn declared_cell(app: &App, project: &str, service: &str, column: Column) -> String {
    let declared = app.declared_service(project, service);
    match column {
        Column::Service => format!("  {service}"),
        Column::State => "◌ not created".to_string(),
        Column::Health => declared
            .filter(|d| !d.profiles.is_empty())
            .map(|d| format!("⚑ {}", d.profiles.join(",")))
            .unwrap_or_default(),
        Column::Image => declared.and_then(|d| d.image.clone()).unwrap_or_default(),
        _ => String::new(),
    }
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

pub(super) fn memory(app: &App, stats: &crate::model::Stats) -> String {
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
        None => spans.extend(key_hints(
            &app.settings.keys,
            Context::List,
            |_| true,
            theme,
        )),
    }
    Line::from(spans)
}
