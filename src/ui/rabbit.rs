//! RabbitMQ panels: the node's resources and alarms, queues, and the
//! connections grouped by client.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::format;
use super::table::{self, Row, Table, left, right};
use super::widgets::load_style;
use crate::app::Probe;
use crate::model::{Gauge, RabbitSnapshot};
use crate::theme::Theme;

/// The lines above the tabs: the node, its resources and alarms, publishes.
pub fn summary<'a>(probe: &Probe, r: &RabbitSnapshot, theme: &Theme, width: u16) -> Vec<Line<'a>> {
    let cells = table::gauge_cells(width);
    let alarms = if r.alarms.is_empty() {
        Span::styled("  no alarm", theme.healthy)
    } else {
        Span::styled(format!("  ALARM: {}", r.alarms.join(", ")), theme.error)
    };
    let disk_style = if r.disk_free <= r.disk_free_limit {
        theme.error
    } else {
        theme.text
    };
    vec![
        Line::from(vec![
            Span::styled(format!(" RabbitMQ {}", r.version), theme.text),
            Span::styled(format!("  {}", r.node), theme.muted),
            table::uptime(r.uptime_secs, theme),
            alarms,
        ]),
        gauge_line(" Memory  ", r.memory, true, cells, theme),
        Line::from(vec![
            Span::styled(" FDs ", theme.header),
            Span::styled(
                format!("{}/{}", r.file_descriptors.used, r.file_descriptors.limit),
                load_style(r.file_descriptors.ratio(), theme),
            ),
            Span::styled("  sockets ", theme.header),
            Span::styled(
                format!("{}/{}", r.sockets.used, r.sockets.limit),
                load_style(r.sockets.ratio(), theme),
            ),
            Span::styled("  disk free ", theme.header),
            Span::styled(
                format!(
                    "{} (limit {})",
                    format::bytes(r.disk_free),
                    format::bytes(r.disk_free_limit)
                ),
                disk_style,
            ),
        ]),
        Line::from(vec![
            Span::styled(format!(" Publish/s {:>7.1} ", r.publish_rate), theme.header),
            Span::styled(
                table::sparkline(
                    probe.history.iter().copied(),
                    (width as usize).saturating_sub(24).min(60),
                ),
                theme.gauge,
            ),
        ]),
    ]
}

/// `Memory ████░░ 120M / 1.5G (8%)`.
fn gauge_line<'a>(label: &str, g: Gauge, bytes: bool, cells: usize, theme: &Theme) -> Line<'a> {
    let shown = |n| {
        if bytes {
            format::bytes(n)
        } else {
            n.to_string()
        }
    };
    let style = load_style(g.ratio(), theme);
    Line::from(vec![
        Span::styled(label.to_string(), theme.header),
        Span::styled(table::bar(g.ratio(), cells), style.patch(theme.gauge)),
        Span::styled(
            format!(
                " {} / {} ({:.0}% of the high watermark)",
                shown(g.used),
                shown(g.limit),
                g.ratio() * 100.0
            ),
            style,
        ),
    ])
}

/// Cells of a queue's depth trend.
const TREND: usize = 8;

/// Queues with their depth, its trend, consumers and rates.
pub fn queues<'a>(probe: &Probe, r: &RabbitSnapshot, theme: &'a Theme) -> Table<'a> {
    let cols = [
        left("QUEUE", 0).names(),
        left("VHOST", 16),
        right("READY", 8),
        right("UNACKED", 8),
        left("DEPTH", TREND),
        right("CONSUMERS", 9),
        right("PUB/S", 7),
        right("DELIVER/S", 9),
        right("ACK/S", 7),
    ];
    let rows: Vec<Row> = r
        .queues
        .iter()
        .map(|q| {
            let style: Style = if q.is_idle() {
                theme.muted
            } else if q.depth() > 0 && q.consumers == 0 {
                theme.warning
            } else {
                theme.text
            };
            Row::new(
                vec![
                    q.name.clone(),
                    q.vhost.clone(),
                    q.ready.to_string(),
                    q.unacked.to_string(),
                    probe
                        .series
                        .get(&q.key())
                        .map_or_else(String::new, |depths| {
                            table::trend(depths.iter().copied(), TREND)
                        }),
                    q.consumers.to_string(),
                    rate(q.publish_rate),
                    rate(q.deliver_rate),
                    rate(q.ack_rate),
                ],
                style,
            )
        })
        .collect();
    Table::new(cols, rows, theme).empty("no queues")
}

/// Connections grouped by client.
pub fn clients<'a>(r: &RabbitSnapshot, theme: &'a Theme) -> Table<'a> {
    let cols = [
        left("CLIENT", 0).names(),
        left("USER", 24).names(),
        left("PEER HOST", 40),
        left("VHOST", 16),
        right("CONN", 5),
        right("CHANNELS", 8),
    ];
    let rows: Vec<Row> = r
        .clients
        .iter()
        .map(|c| {
            Row::new(
                vec![
                    c.client.clone(),
                    c.user.clone(),
                    c.peer_host.clone(),
                    c.vhost.clone(),
                    c.connections.to_string(),
                    c.channels.to_string(),
                ],
                theme.text,
            )
        })
        .collect();
    Table::new(cols, rows, theme).empty("no client connections")
}

fn rate(value: f64) -> String {
    if value == 0.0 {
        "0".to_string()
    } else {
        format!("{value:.1}")
    }
}
