//! Redis panels: memory, throughput, keyspace, client pools, slowlog.

use ratatui::text::{Line, Span};

use super::format;
use super::table::{self, Content, Row, Table, left, right};
use super::widgets::load_style;
use crate::app::Probe;
use crate::model::RedisSnapshot;
use crate::theme::Theme;

/// The lines above the tabs: memory, throughput, hits, clients.
pub fn summary<'a>(probe: &Probe, r: &RedisSnapshot, theme: &Theme, width: u16) -> Vec<Line<'a>> {
    let bar_cells = table::gauge_cells(width);
    let (gauge, ratio_text, style) = if r.maxmemory == 0 {
        ("░".repeat(bar_cells), "no limit".to_string(), theme.text)
    } else {
        let ratio = r.used_memory as f64 / r.maxmemory as f64;
        (
            table::bar(ratio, bar_cells),
            format!("{} ({:.0}%)", format::bytes(r.maxmemory), ratio * 100.0),
            load_style(ratio, theme),
        )
    };
    let spark_cells = (width as usize).saturating_sub(20).min(60);
    vec![
        Line::from(vec![
            Span::styled(format!(" Redis {}", r.version), theme.text),
            Span::styled(format!("  {}", r.role), theme.text),
            table::uptime(r.uptime_secs, theme),
        ]),
        Line::from(vec![
            Span::styled(" Memory ", theme.header),
            Span::styled(gauge, style.patch(theme.gauge)),
            Span::styled(
                format!(" {} / {ratio_text}", format::bytes(r.used_memory)),
                style,
            ),
            Span::styled(
                format!(
                    "  rss {} · peak {} · frag {:.2} · policy {}",
                    format::bytes(r.used_memory_rss),
                    format::bytes(r.used_memory_peak),
                    r.fragmentation_ratio,
                    r.eviction_policy
                ),
                theme.text,
            ),
        ]),
        Line::from(vec![
            Span::styled(format!(" Ops/s {:>7.0} ", r.ops_per_sec), theme.header),
            Span::styled(
                table::sparkline(probe.history.iter().copied(), spark_cells),
                theme.gauge,
            ),
        ]),
        Line::from(vec![
            Span::styled(" hit ratio ", theme.header),
            Span::styled(
                r.hit_ratio
                    .map_or("—".into(), |h| format!("{:.1}%", h * 100.0)),
                theme.text,
            ),
            Span::styled("  evicted/s ", theme.header),
            Span::styled(per_sec(r.evicted_per_sec), theme.text),
            Span::styled("  expired/s ", theme.header),
            Span::styled(per_sec(r.expired_per_sec), theme.text),
            Span::styled("  clients ", theme.header),
            Span::styled(
                format!("{} (blocked {})", r.connected_clients, r.blocked_clients),
                theme.text,
            ),
        ]),
    ]
}

/// Keys, expiring keys and their mean TTL per db.
pub fn keyspace<'a>(r: &RedisSnapshot, theme: &'a Theme) -> Table<'a> {
    let cols = [
        left("DB", 6),
        right("KEYS", 10),
        right("EXPIRES", 10),
        right("AVG TTL", 10),
    ];
    let rows: Vec<Row> = r
        .keyspace
        .iter()
        .map(|k| {
            let ttl = if k.avg_ttl_ms == 0 {
                "—".to_string()
            } else {
                format::age(chrono::Duration::milliseconds(k.avg_ttl_ms as i64))
            };
            Row::new(
                vec![
                    format!("db{}", k.db),
                    k.keys.to_string(),
                    k.expires.to_string(),
                    ttl,
                ],
                theme.text,
            )
        })
        .collect();
    Table::new(cols, rows, theme).empty("no keys")
}

/// Clients grouped by name, host and db, unless CLIENT LIST is denied.
pub fn client_pools<'a>(r: &RedisSnapshot, theme: &'a Theme) -> Content<'a> {
    let Some(pools) = &r.client_pools else {
        let text = " CLIENT LIST is off (see the note below)";
        return Content::message(Line::styled(text, theme.muted));
    };
    let cols = [
        left("NAME", 0).names(),
        left("HOST", 40),
        right("DB", 3),
        right("COUNT", 6),
        right("MAX IDLE", 9),
        left("LAST CMD", 16),
    ];
    let rows: Vec<Row> = pools
        .iter()
        .map(|p| {
            Row::new(
                vec![
                    if p.name.is_empty() {
                        "—".into()
                    } else {
                        p.name.clone()
                    },
                    p.host.clone(),
                    p.db.to_string(),
                    p.count.to_string(),
                    format::age(chrono::Duration::seconds(p.max_idle_secs as i64)),
                    p.last_command.clone(),
                ],
                theme.text,
            )
        })
        .collect();
    Table::new(cols, rows, theme)
        .empty("no other clients")
        .into()
}

/// The slowest commands the server logged.
pub fn slowlog<'a>(r: &RedisSnapshot, theme: &'a Theme) -> Table<'a> {
    let cols = [
        right("ID", 6),
        right("AT", 8),
        right("DURATION", 10),
        left("COMMAND", 0),
    ];
    let rows: Vec<Row> = r
        .slowlog
        .iter()
        .map(|e| {
            let at = chrono::DateTime::from_timestamp(e.at, 0)
                .map_or("—".into(), |t| t.format("%H:%M:%S").to_string());
            Row::new(
                vec![
                    e.id.to_string(),
                    at,
                    format!("{:.1}ms", e.duration_us as f64 / 1000.0),
                    e.command.clone(),
                ],
                theme.text,
            )
        })
        .collect();
    Table::new(cols, rows, theme).empty("slowlog is empty")
}

fn per_sec(value: Option<f64>) -> String {
    value.map_or("—".into(), |v| format!("{v:.1}"))
}
