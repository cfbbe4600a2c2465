//! The Elasticsearch / OpenSearch probe: cluster health, nodes and indices,
//! from the cat APIs. Read-only, four GETs a poll. (No server of either can
//! be had on the machines that test stacktop, so the parsing is tested on
//! answers recorded from real clusters.)

use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::mpsc::Sender;
use url::Url;

use super::api::{self, endpoint, field};
use super::http::{Http, HttpError};
use crate::event::Event;
use crate::model::{ClusterHealth, SearchIndex, SearchNode, SearchSnapshot, Snapshot, Target};

/// Probes `target` every `interval` until `tx` closes.
pub async fn run(target: Target, interval: Duration, tx: Sender<Event>) {
    api::run(target, interval, tx, Search).await;
}

struct Search;

impl api::Poll for Search {
    async fn poll(&mut self, http: &Http, base: &Url) -> Result<Snapshot, HttpError> {
        let started = Instant::now();
        let root = http.json(&endpoint(base, "/")).await?;
        let health = http.json(&endpoint(base, "/_cluster/health")).await?;
        let nodes = http.json(&endpoint(base, NODES)).await?;
        let indices = http.json(&endpoint(base, INDICES)).await?;
        let mut snapshot = snapshot(&root, &health, &nodes, &indices);
        snapshot.poll_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(Snapshot::Search(snapshot))
    }
}

const NODES: &str = "/_cat/nodes?format=json&h=name,node.role,heap.percent,cpu,load_1m";
const INDICES: &str =
    "/_cat/indices?format=json&bytes=b&h=index,health,docs.count,store.size,pri,rep";

/// A snapshot from the four answers.
pub fn snapshot(root: &Value, health: &Value, nodes: &Value, indices: &Value) -> SearchSnapshot {
    let version = root.get("version").cloned().unwrap_or(Value::Null);
    let distribution = version
        .get("distribution")
        .and_then(Value::as_str)
        .unwrap_or("elasticsearch");
    SearchSnapshot {
        product: format!("{distribution} {}", field::text(&version, "number")),
        cluster: field::text(health, "cluster_name"),
        health: ClusterHealth::parse(&field::text(health, "status")),
        unassigned_shards: u32::try_from(field::count(health, "unassigned_shards")).unwrap_or(0),
        nodes: nodes_of(nodes),
        indices: indices_of(indices),
        notes: Vec::new(),
        poll_ms: 0.0,
    }
}

fn percent(v: &Value, key: &str) -> Option<u32> {
    let text = field::text(v, key);
    text.trim().parse().ok()
}

fn nodes_of(list: &Value) -> Vec<SearchNode> {
    let mut nodes: Vec<SearchNode> = list
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| SearchNode {
            name: field::text(n, "name"),
            roles: field::text(n, "node.role"),
            heap_percent: percent(n, "heap.percent"),
            cpu_percent: percent(n, "cpu"),
            load_1m: field::text(n, "load_1m").trim().parse().ok(),
        })
        .collect();
    nodes.sort_by(|a, b| a.name.cmp(&b.name));
    nodes
}

/// Indices, the largest first; the system's own (`.kibana`…) last.
fn indices_of(list: &Value) -> Vec<SearchIndex> {
    let mut indices: Vec<SearchIndex> = list
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| SearchIndex {
            name: field::text(i, "index"),
            health: ClusterHealth::parse(&field::text(i, "health")),
            docs: field::count(i, "docs.count"),
            size_bytes: field::count(i, "store.size"),
            primaries: u32::try_from(field::count(i, "pri")).unwrap_or(0),
            replicas: u32::try_from(field::count(i, "rep")).unwrap_or(0),
        })
        .collect();
    indices.sort_by(|a, b| {
        (
            a.name.starts_with('.'),
            std::cmp::Reverse(a.size_bytes),
            &a.name,
        )
            .cmp(&(
                b.name.starts_with('.'),
                std::cmp::Reverse(b.size_bytes),
                &b.name,
            ))
    });
    indices
}

#[cfg(test)]
mod tests;
