//! The service list: projects and their containers, one row each.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::{self, cpu, memory, plural, status_span};
use super::table::{Col, left, right};
use super::widgets::{
    action_label, db_summary, inline_hints, key_hints, state_label, status_message,
};
use super::{header, layout};
use crate::app::rows::{DATABASES, NO_PROJECT};
use crate::app::{self, App, Files, HealthLevel, MemberCount, Row, Window};
use crate::event::ListArea;
use crate::keymap::{Action, Context};
use crate::model::{ComposeVerb, Container, ContainerState, EngineId, ProjectKey, SortKey};
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
    /// State and health in one, the worse of them: narrow screens.
    Status,
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
            Self::Status => left("STATUS", 22),
        }
    }

    /// How many there are: the size of per-column tables.
    const COUNT: usize = Self::Status as usize + 1;

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
/// give way first (but the column the list is sorted by stays).
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

/// Under [`layout::NARROW_BELOW`] cells, state and health share a column
/// and the optional ones stay out.
const NARROW_ORDER: [Column; 7] = [
    Column::Mark,
    Column::Service,
    Column::Status,
    Column::Cpu,
    Column::Mem,
    Column::Uptime,
    Column::Restarts,
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
/// ports, image) show only when a row has something for them. The column
/// the list is sorted by is moved forward when it would not fit.
fn columns(app: &App, rows: &[usize], width: usize, theme: &Theme) -> Vec<Shown> {
    let mut longest = longest_cells(app, rows, theme);
    let (sorted, mark) = Column::sorted(app.list.prefs.sort);
    let titled = format::width(sorted.col().title) + format::width(mark);
    longest[sorted as usize] = longest[sorted as usize].max(titled);
    let mut order: Vec<Column> = if width < usize::from(layout::NARROW_BELOW) {
        NARROW_ORDER.to_vec()
    } else {
        ORDER.to_vec()
    };
    order.retain(|c| !c.optional() || longest[*c as usize] > 0);
    let mut chosen = choose(&order, &longest, width);
    if !chosen.iter().any(|(c, _)| *c == sorted)
        && let Some(at) = order.iter().position(|c| *c == sorted)
    {
        let column = order.remove(at);
        order.insert(3.min(order.len()), column);
        chosen = choose(&order, &longest, width);
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

/// The first columns of `order` that fit in `width` cells, then the next
/// one cut, if what is left after the others grow is worth showing.
fn choose(order: &[Column], longest: &[usize], width: usize) -> Vec<(Column, Col)> {
    let mut chosen: Vec<(Column, Col)> = Vec::new();
    let mut used = 0;
    let mut next = None;
    for column in order {
        let col = column.col();
        let claim = column.claim(col.want(longest[*column as usize]));
        let gap = usize::from(!chosen.is_empty());
        if used + gap + claim > width {
            next = Some((*column, col));
            break;
        }
        used += gap + claim;
        chosen.push((*column, col));
    }
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
    chosen
}

/// The longest text of each column over `rows` of the list.
fn longest_cells(app: &App, rows: &[usize], theme: &Theme) -> [usize; Column::COUNT] {
    let mut longest = [0; Column::COUNT];
    for row in rows.iter().filter_map(|i| app.list.rows.get(*i)) {
        for column in ORDER.into_iter().chain([Column::Status]) {
            let text = match row {
                Row::Container(id) => match app.store.container(id) {
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
    let status = status_line(app, theme, area.width as usize);
    let footer = !layout::compact(area.height) || status.is_some();
    let [head, banner_area, list, footer_area] =
        layout::overview(area, banner.len() as u16, footer);
    let list = super::trends::strip(app, theme, frame, list, area.height);
    header::render(app, theme, frame, head);
    if !banner.is_empty() {
        frame.render_widget(Paragraph::new(banner), banner_area);
    }
    let rows = render_list(app, theme, frame, list);
    let line = status.unwrap_or_else(|| {
        Line::from(key_hints(
            &app.settings.keys,
            Context::List,
            |_| true,
            theme,
        ))
    });
    frame.render_widget(Paragraph::new(line), footer_area);
    rows
}

/// Draws the list under its column titles; returns where its rows are.
fn render_list(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) -> Option<ListArea> {
    let width = area.width as usize;
    let height = (area.height as usize).saturating_sub(1);
    let window = app.window(height);
    // Columns fit the rows on screen: measuring every row of a long list
    // each frame cost more than drawing it.
    let cols = columns(app, &window.rows, width, theme);
    let mut lines = vec![title_line(&cols, app.list.prefs.sort, theme)];
    if app.list.rows.is_empty() {
        lines.push(Line::styled(format!("  {}", empty_text(app)), theme.muted));
    }
    // Every project row on screen counts its members: one pass for all.
    let on_screen = |r: &usize| matches!(app.list.rows[*r], Row::Project(..));
    let counts = if window.rows.iter().any(on_screen) {
        app.member_counts()
    } else {
        Default::default()
    };
    for index in &window.rows {
        let line = match &app.list.rows[*index] {
            Row::Engine(engine) => engine_line(app, *engine, theme),
            Row::Project(engine, name) => {
                let key = (*engine, name.as_deref());
                let count = counts.get(&key).copied().unwrap_or_default();
                project_line(app, key, count, width, theme)
            }
            Row::Container(id) => match app.store.container(id) {
                Some(c) => container_line(app, c, &cols, theme),
                None => Line::raw(""),
            },
            Row::Databases => Line::styled(format!("▾ {DATABASES}"), theme.project),
            Row::Declared { project, service } => {
                declared_line(app, project, service, &cols, theme)
            }
            Row::Target(id) => target_line(app, id, theme),
        };
        lines.push(if *index == app.list.selected {
            select(line, width, theme)
        } else {
            line
        });
    }
    lines.extend(more_line(&window, theme));
    frame.render_widget(Paragraph::new(lines), area);
    // The rows start under the column titles; the app maps a click through
    // the same window.
    Some(ListArea {
        top: area.y + 1,
        height: height as u16,
    })
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
    let key = |action| app.settings.keys.key_of(Context::List, action);
    if !app.list.filter.is_empty() {
        format!(
            "no container matches \"{}\" ({} clears the filter)",
            app.list.filter,
            key(Action::Back)
        )
    } else if let Some(project) = &app.list.scope {
        let all = key(Action::ToggleAll);
        format!("no containers in project {project} ({all}: show all projects)")
    } else {
        "no containers".to_string()
    }
}

/// The column titles; the column the list is sorted by is marked.
fn title_line<'a>(cols: &[Shown], sort: SortKey, theme: &Theme) -> Line<'a> {
    let (sorted, mark) = Column::sorted(sort);
    let mut spans = Vec::new();
    for shown in cols {
        if shown.column == sorted {
            let title = match shown.column {
                Column::Mark => mark.to_string(),
                _ => format!("{}{mark}", shown.col.title),
            };
            spans.push(Span::styled(shown.cell(&title), theme.key));
        } else {
            spans.push(Span::styled(shown.cell(shown.col.title), theme.header));
        }
        spans.push(Span::styled(" ", theme.header));
    }
    spans.pop();
    Line::from(spans)
}

/// An engine's group header: `◆ devbox · ssh://dev@devbox  Docker 24.0.7`,
/// with its containers counted.
fn engine_line<'a>(app: &App, id: EngineId, theme: &Theme) -> Line<'a> {
    let Some(engine) = app.store.engines.get(id.index()) else {
        return Line::raw("");
    };
    let theirs: Vec<&Container> = app
        .store
        .containers
        .iter()
        .filter(|c| c.engine == id)
        .collect();
    let running = theirs.iter().filter(|c| c.state.is_running()).count();
    let mark = if engine.is_up() { "◆" } else { "✗" };
    Line::from(vec![
        Span::styled(format!("{mark} {}", engine.label()), theme.title),
        Span::styled("  ", theme.muted),
        status_span(engine, theme),
        Span::styled(
            format!("  {}, {running} running", plural(theirs.len(), "container")),
            theme.muted,
        ),
    ])
}

/// A project's row: `▾ shop  13 containers · 11 ok · ✗ 2 need attention`,
/// with `▸` when folded; shorter when the width asks.
fn project_line<'a>(
    app: &App,
    (engine, name): (EngineId, Option<&str>),
    count: MemberCount,
    width: usize,
    theme: &Theme,
) -> Line<'a> {
    let MemberCount { listed, troubled } = count;
    let ok = listed - troubled;
    let arrow = if app.is_folded(engine, name) {
        "▸"
    } else {
        "▾"
    };
    // Under an engine's header, a project is indented one step.
    let indent = if app.store.several_engines() {
        "  "
    } else {
        ""
    };
    let head = format!("{indent}{arrow} {}", name.unwrap_or(NO_PROJECT));
    let mut counts = format!("  {} · {ok} ok", plural(listed, "container"));
    let mut trouble = format!(" · ✗ {troubled} need attention");
    let long = format::width(&head) + format::width(&counts) + format::width(&trouble);
    if long > width {
        counts = format!("  {ok} ok");
        trouble = format!(" · ✗ {troubled}");
    }
    let files = name.and_then(|n| app.store.files.get(&ProjectKey::new(engine, n)));
    let counts_shown = !(listed == 0 && files.is_some_and(|f| f.shows_alone()));
    if !counts_shown {
        counts.clear();
    }
    let mut spans = vec![
        Span::styled(head, theme.project),
        Span::styled(counts, theme.muted),
    ];
    if troubled > 0 {
        spans.push(Span::styled(trouble, theme.error));
    }
    let gap = if counts_shown { " · " } else { "  " };
    spans.extend(files.and_then(|f| files_span(f, gap, theme)));
    Line::from(spans)
}

/// What a project row says of its compose files while they are not read.
fn files_span<'a>(files: &Files, gap: &str, theme: &Theme) -> Option<Span<'a>> {
    match files {
        Files::Reading => Some(Span::styled(
            format!("{gap}reading compose files…"),
            theme.muted,
        )),
        Files::Unreadable(_) => Some(Span::styled(
            format!("{gap}✗ compose files unreadable"),
            theme.error,
        )),
        Files::Invalid(_) => Some(Span::styled(
            format!("{gap}✗ Compose refuses its files"),
            theme.error,
        )),
        Files::Read | Files::Elsewhere => None,
    }
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
    let troubled = app.store.needs_attention(c);
    let stats = app.store.stats.get(&c.id).filter(|_| c.state.is_running());
    match column {
        Column::Mark => (if troubled { "!" } else { " " }.into(), theme.error),
        Column::Service => {
            let style = if troubled { theme.error } else { theme.text };
            (format!("  {}", app.store.label(c)), style)
        }
        Column::State => state_cell(app, c, theme),
        Column::Health => health_cell(app, c, theme),
        Column::Status => status_cell(app, c, theme),
        Column::Uptime => (uptime(app, c), theme.text),
        Column::Restarts => (c.restart_count.to_string(), restart_style(c, theme)),
        Column::Cpu => (cpu(stats), theme.text),
        Column::Mem => (stats.map_or("—".into(), |s| memory(app, s)), theme.text),
        Column::Database => app
            .store
            .probe_of_container(&c.id)
            .map_or((String::new(), theme.muted), |p| db_summary(p, theme)),
        Column::Ports => (ports(c), theme.muted),
        Column::Image => (c.image.clone(), theme.muted),
    }
}

/// Docker's health check, the HTTP check, a broker's alarms or a
/// cluster's colour: the worst of them.
fn health_cell(app: &App, c: &Container, theme: &Theme) -> (String, Style) {
    let summary = app.store.health_of(c);
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
    let level = app.store.health_level(c);
    let telling = matches!(level, HealthLevel::Bad | HealthLevel::Warn);
    let busy = app.flight.pending.contains_key(&c.id) || app.flight.outcomes.contains_key(&c.id);
    if c.state == ContainerState::Running && telling && !busy {
        health_cell(app, c, theme)
    } else {
        state_cell(app, c, theme)
    }
}

/// A declared service that has no container yet: its image, and the
/// profiles that enable it.
fn declared_line<'a>(
    app: &App,
    project: &ProjectKey,
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
fn declared_cell(app: &App, project: &ProjectKey, service: &str, column: Column) -> String {
    let declared = app.store.declared_service(project, service);
    match column {
        Column::Service => format!("  {service}"),
        Column::State | Column::Status => "◌ not created".to_string(),
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
    let Some(probe) = app.store.probes.get(id) else {
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
    if let Some(step) = app.flight.compose_step_of(c) {
        let words = match step.work.verb {
            ComposeVerb::Reset => "⟳ resetting…",
            ComposeVerb::Up => "⟳ bringing up…",
        };
        return (words.to_string(), theme.warning);
    }
    if let Some(verb) = app.flight.pending.get(&c.id) {
        return action_label(*verb, None, theme);
    }
    if let Some(outcome) = app.flight.outcomes.get(&c.id) {
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
    app::uptime(c, app.store.now).map_or("—".into(), format::age)
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
            Span::styled(format!("/{}▏", app.list.filter), theme.filter),
            Span::styled(
                format!("  {}", inline_hints(&app.settings.keys, Context::Filter)),
                theme.muted,
            ),
        ]));
    }
    // A kept filter stays in sight, even next to a message.
    let mut spans = Vec::new();
    if !app.list.filter.is_empty() {
        spans.push(Span::styled(
            format!(" filter: {} ", app.list.filter),
            theme.filter,
        ));
    }
    let room = width.saturating_sub(spans.iter().map(|s| s.width()).sum());
    match status_message(app, theme, room) {
        Some(line) => spans.extend(line.spans),
        None if spans.is_empty() => return None,
        None => spans.extend(key_hints(
            &app.settings.keys,
            Context::List,
            |_| true,
            theme,
        )),
    }
    Some(Line::from(spans))
}
