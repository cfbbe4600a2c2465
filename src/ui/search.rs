//! Elasticsearch and OpenSearch panels: cluster health, indices, nodes.
//! Read-only.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::format;
use super::table::{Row, Table, left, right};
use crate::model::{ClusterHealth, SearchSnapshot};
use crate::theme::Theme;

/// The style of a health colour: green reads healthy, yellow a warning.
pub fn health_style(health: ClusterHealth, theme: &Theme) -> Style {
    match health {
        ClusterHealth::Green => theme.healthy,
        ClusterHealth::Yellow => theme.warning,
        ClusterHealth::Red => theme.error,
        ClusterHealth::Unknown => theme.muted,
    }
}

/// The lines above the tabs: the cluster and its health.
pub fn summary<'a>(s: &SearchSnapshot, theme: &Theme) -> Vec<Line<'a>> {
    let docs: u64 = s.indices.iter().map(|i| i.docs).sum();
    let size: u64 = s.indices.iter().map(|i| i.size_bytes).sum();
    vec![
        Line::from(vec![
            Span::styled(format!(" {}", s.product), theme.text),
            Span::styled(format!("  cluster {}", s.cluster), theme.muted),
        ]),
        Line::from(vec![
            Span::styled(" Health ", theme.header),
            Span::styled(s.health.word(), health_style(s.health, theme)),
            Span::styled(
                format!(
                    "  {} nodes · {} indices · {docs} docs · {} · unassigned shards {}",
                    s.nodes.len(),
                    s.indices.len(),
                    format::bytes(size),
                    s.unassigned_shards
                ),
                theme.text,
            ),
        ]),
    ]
}

/// Indices with their health, documents and size.
pub fn indices<'a>(s: &SearchSnapshot, theme: &'a Theme) -> Table<'a> {
    let cols = [
        left("INDEX", 0).names(),
        left("HEALTH", 7),
        right("DOCS", 10),
        right("SIZE", 8),
        right("PRI", 4),
        right("REP", 4),
    ];
    let rows: Vec<Row> = s
        .indices
        .iter()
        .map(|i| {
            Row::new(
                vec![
                    i.name.clone(),
                    i.health.word().to_string(),
                    i.docs.to_string(),
                    format::bytes(i.size_bytes),
                    i.primaries.to_string(),
                    i.replicas.to_string(),
                ],
                match i.health {
                    ClusterHealth::Green => theme.text,
                    other => health_style(other, theme),
                },
            )
        })
        .collect();
    Table::new(cols, rows, theme).empty("no indices")
}

/// The cluster's nodes with their load.
pub fn nodes<'a>(s: &SearchSnapshot, theme: &'a Theme) -> Table<'a> {
    let cols = [
        left("NODE", 0).names(),
        left("ROLES", 16),
        right("HEAP", 6),
        right("CPU", 5),
        right("LOAD 1M", 8),
    ];
    let percent = |v: Option<u32>| v.map_or("—".to_string(), |p| format!("{p}%"));
    let rows: Vec<Row> = s
        .nodes
        .iter()
        .map(|n| {
            Row::new(
                vec![
                    n.name.clone(),
                    n.roles.clone(),
                    percent(n.heap_percent),
                    percent(n.cpu_percent),
                    n.load_1m.map_or("—".to_string(), |l| format!("{l:.2}")),
                ],
                theme.text,
            )
        })
        .collect();
    Table::new(cols, rows, theme).empty("no nodes")
}
