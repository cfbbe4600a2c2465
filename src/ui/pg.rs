//! PostgreSQL panels: connections, pools, statements, locks, databases.

use ratatui::text::{Line, Span};

use super::format;
use super::table::{self, Content, Row, Table, left, right};
use super::widgets::load_style;
use crate::model::{PgBackend, PgSnapshot, TopStatements};
use crate::theme::Theme;

/// The lines above the tabs: version, connections, rates.
pub fn summary<'a>(pg: &PgSnapshot, theme: &Theme, width: u16) -> Vec<Line<'a>> {
    let used = pg.in_use();
    let ratio = f64::from(used) / f64::from(pg.max_connections.max(1));
    let s = &pg.states;
    let bar_cells = table::gauge_cells(width);
    // Sessions waiting on a lock come first after the gauge: on a narrow
    // screen the plain counts are cut, never the red one.
    let waiting_style = if s.waiting_on_lock > 0 {
        theme.error
    } else {
        theme.text
    };
    vec![
        Line::from(vec![
            Span::styled(format!(" PostgreSQL {}", pg.version), theme.text),
            table::uptime(pg.uptime_secs as u64, theme),
        ]),
        Line::from(vec![
            Span::styled(" Connections ", theme.header),
            Span::styled(
                table::bar(ratio, bar_cells),
                load_style(ratio, theme).patch(theme.gauge),
            ),
            Span::styled(
                format!(" {used}/{}", pg.max_connections),
                load_style(ratio, theme),
            ),
            Span::styled(format!("  waiting {}", s.waiting_on_lock), waiting_style),
            Span::styled(
                format!(
                    " · active {} · idle {} · idle in tx {} · aborted {}",
                    s.active, s.idle, s.idle_in_transaction, s.idle_in_transaction_aborted
                ),
                theme.text,
            ),
        ]),
        Line::from(vec![
            Span::styled(" TPS ", theme.header),
            Span::styled(rate(pg.xact_per_sec), theme.text),
            Span::styled("  rows/s ", theme.header),
            Span::styled(rate(pg.rows_per_sec), theme.text),
            Span::styled("  cache hit ", theme.header),
            Span::styled(percent(pg.cache_hit_ratio), theme.text),
        ]),
    ]
}

/// Sessions grouped by application, user, client and database.
pub fn pools<'a>(pg: &PgSnapshot, theme: &'a Theme) -> Table<'a> {
    let cols = [
        left("APPLICATION", 0).names(),
        left("USER", 24).names(),
        left("CLIENT", 24),
        left("DATABASE", 24).names(),
        right("ALL", 4),
        right("ACT", 4),
        right("IDLE", 4),
        right("TX", 3),
        right("WAIT", 4),
        right("OLDEST", 6),
        right("IDLE-TX", 7),
    ];
    let rows: Vec<Row> = pg
        .pools
        .iter()
        .map(|p| {
            let stuck = p.states.idle_in_transaction + p.states.idle_in_transaction_aborted;
            let style = if stuck > 0 || p.states.waiting_on_lock > 0 {
                theme.warning
            } else {
                theme.text
            };
            Row::new(
                vec![
                    or_dash(&p.application),
                    p.user.clone(),
                    p.client.clone(),
                    p.database.clone(),
                    p.states.total().to_string(),
                    p.states.active.to_string(),
                    p.states.idle.to_string(),
                    stuck.to_string(),
                    p.states.waiting_on_lock.to_string(),
                    secs(Some(p.oldest_connection_secs)),
                    secs(p.longest_idle_in_transaction_secs),
                ],
                style,
            )
        })
        .collect();
    Table::new(cols, rows, theme).empty("no client sessions")
}

/// Databases with their sizes and rates.
pub fn databases<'a>(pg: &PgSnapshot, theme: &'a Theme) -> Table<'a> {
    let cols = [
        left("DATABASE", 0).names(),
        right("CONN", 5),
        right("SIZE", 8),
        right("TPS", 8),
        right("ROWS/S", 9),
        right("CACHE HIT", 9),
    ];
    let rows: Vec<Row> = pg
        .databases
        .iter()
        .map(|d| {
            Row::new(
                vec![
                    d.name.clone(),
                    d.connections.to_string(),
                    d.size_bytes.map_or("—".into(), format::bytes),
                    rate(d.xact_per_sec),
                    rate(d.rows_per_sec),
                    percent(d.cache_hit_ratio),
                ],
                theme.text,
            )
        })
        .collect();
    Table::new(cols, rows, theme).empty("no databases visible")
}

/// Backends running a statement or idle in a transaction.
pub fn statements<'a>(pg: &PgSnapshot, width: u16, theme: &'a Theme) -> Table<'a> {
    backends(pg, false, width, theme)
}

/// Backends waiting on a lock, with who blocks them.
pub fn blocked<'a>(pg: &PgSnapshot, width: u16, theme: &'a Theme) -> Table<'a> {
    backends(pg, true, width, theme)
}

/// Backends, or with `blocked_only` those waiting on a lock. Wide screens
/// show more columns.
fn backends<'a>(pg: &PgSnapshot, blocked_only: bool, width: u16, theme: &'a Theme) -> Table<'a> {
    let wide = width >= 110;
    let cols = if wide {
        vec![
            right("PID", 7),
            right("TIME", 7),
            left("STATE", 13),
            left("WAIT", 14),
            left("BLOCKED BY", 10),
            left("DB", 24).names(),
            left("USER", 24).names(),
            left("APP", 30).names(),
            left("QUERY", 0),
        ]
    } else {
        vec![
            right("PID", 6),
            right("TIME", 6),
            left("STATE", 11),
            left("BLOCKED BY", 10),
            left("QUERY", 0),
        ]
    };
    let listed: Vec<&PgBackend> = if blocked_only {
        pg.blocked().collect()
    } else {
        pg.backends.iter().collect()
    };
    let rows: Vec<Row> = listed
        .into_iter()
        .map(|b| {
            let style = if !b.blocked_by.is_empty() {
                theme.error
            } else if b.state.starts_with("idle in transaction") {
                theme.warning
            } else {
                theme.text
            };
            let blockers: Vec<String> = b.blocked_by.iter().map(i32::to_string).collect();
            let query = b
                .query
                .clone()
                .unwrap_or_else(|| "<hidden: not permitted>".into());
            let texts = if wide {
                vec![
                    b.pid.to_string(),
                    secs(Some(b.duration_secs)),
                    b.state.clone(),
                    b.wait_event.clone().unwrap_or_default(),
                    blockers.join(","),
                    b.database.clone(),
                    b.user.clone(),
                    or_dash(&b.application),
                    query,
                ]
            } else {
                vec![
                    b.pid.to_string(),
                    secs(Some(b.duration_secs)),
                    b.state.clone(),
                    blockers.join(","),
                    query,
                ]
            };
            Row::new(texts, style)
        })
        .collect();
    let empty = if blocked_only {
        "no session waits on a lock"
    } else {
        "no statement running"
    };
    Table::new(cols, rows, theme).empty(empty)
}

/// The statements of pg_stat_statements as rates, or why there are none.
pub fn top_statements<'a>(pg: &PgSnapshot, theme: &'a Theme) -> Content<'a> {
    let statements = match &pg.top_statements {
        TopStatements::Rows(rows) => rows,
        TopStatements::Warming => {
            let text = " pg_stat_statements: rates appear after the next poll";
            return Content::message(Line::styled(text, theme.muted));
        }
        TopStatements::NotInstalled { hint } => {
            let text = format!(" pg_stat_statements is not available: {hint}");
            return Content::wrapped(Line::styled(text, theme.warning));
        }
    };
    let cols = [
        right("CALLS/S", 9),
        right("MEAN", 9),
        right("TOTAL", 9),
        left("QUERY", 0),
    ];
    let rows: Vec<Row> = statements
        .iter()
        .map(|s| {
            Row::new(
                vec![
                    format!("{:.1}", s.calls_per_sec),
                    format!("{:.2}ms", s.mean_ms),
                    format!("{:.0}ms", s.total_ms),
                    s.query.clone(),
                ],
                theme.text,
            )
        })
        .collect();
    Table::new(cols, rows, theme)
        .empty("no statements ran in the last window")
        .into()
}

fn or_dash(text: &str) -> String {
    if text.is_empty() {
        "—".into()
    } else {
        text.to_string()
    }
}

fn rate(value: Option<f64>) -> String {
    value.map_or("—".into(), |v| {
        if v >= 100.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    })
}

fn percent(ratio: Option<f64>) -> String {
    ratio.map_or("—".into(), |r| format!("{:.1}%", r * 100.0))
}

fn secs(value: Option<f64>) -> String {
    match value {
        Some(v) if v < 10.0 => format!("{v:.1}s"),
        Some(v) => format::age(chrono::Duration::seconds(v as i64)),
        None => "—".into(),
    }
}
