//! The RabbitMQ probe, through the management API: the node's resources
//! and alarms, the queues with their rates, and the connections grouped by
//! client. Four GETs a poll; the parsing is plain functions over the JSON
//! the API returns, tested on answers recorded from a real broker.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::mpsc::Sender;
use url::Url;

use super::api::{self, endpoint, field};
use super::http::{Http, HttpError};
use crate::event::Event;
use crate::model::{ClientGroup, Gauge, Queue, RabbitSnapshot, Snapshot, Target};

/// Probes `target` every `interval` until `tx` closes.
pub async fn run(target: Target, interval: Duration, tx: Sender<Event>) {
    api::run(target, interval, tx, Rabbit).await;
}

struct Rabbit;

impl api::Poll for Rabbit {
    async fn poll(&mut self, http: &Http, base: &Url) -> Result<Snapshot, HttpError> {
        let started = Instant::now();
        let overview = http.json(&endpoint(base, "/api/overview")).await?;
        let nodes = http.json(&endpoint(base, "/api/nodes")).await?;
        let queues = http.json(&endpoint(base, QUEUES)).await?;
        let connections = http.json(&endpoint(base, CONNECTIONS)).await?;
        let mut snapshot = snapshot(&overview, &nodes, &queues, &connections);
        snapshot.poll_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(Snapshot::RabbitMq(snapshot))
    }
}

/// Only the columns used: a broker with many queues answers far less.
const QUEUES: &str =
    "/api/queues?columns=name,vhost,messages_ready,messages_unacknowledged,consumers,message_stats";
const CONNECTIONS: &str =
    "/api/connections?columns=name,user,peer_host,vhost,channels,client_properties";

/// A snapshot from the four answers.
pub fn snapshot(
    overview: &Value,
    nodes: &Value,
    queues: &Value,
    connections: &Value,
) -> RabbitSnapshot {
    let node_name = field::text(overview, "node");
    let empty = Value::Null;
    let node = nodes
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|n| field::text(n, "name") == node_name)
                .or_else(|| all.first())
        })
        .unwrap_or(&empty);
    RabbitSnapshot {
        version: field::text(overview, "rabbitmq_version"),
        node: node_name,
        uptime_secs: field::count(node, "uptime") / 1000,
        memory: gauge(node, "mem_used", "mem_limit"),
        file_descriptors: gauge(node, "fd_used", "fd_total"),
        sockets: gauge(node, "sockets_used", "sockets_total"),
        disk_free: field::count(node, "disk_free"),
        disk_free_limit: field::count(node, "disk_free_limit"),
        alarms: alarms(node),
        queues: queues_of(queues),
        clients: clients_of(connections),
        publish_rate: field::path_real(overview, &["message_stats", "publish_details", "rate"]),
        notes: Vec::new(),
        poll_ms: 0.0,
    }
}

fn gauge(node: &Value, used: &str, limit: &str) -> Gauge {
    Gauge {
        used: field::count(node, used),
        limit: field::count(node, limit),
    }
}

/// The resource alarms in force: `memory`, `disk`.
pub fn alarms(node: &Value) -> Vec<String> {
    let mut alarms = Vec::new();
    if node.get("mem_alarm").and_then(Value::as_bool) == Some(true) {
        alarms.push("memory".to_string());
    }
    if node.get("disk_free_alarm").and_then(Value::as_bool) == Some(true) {
        alarms.push("disk".to_string());
    }
    alarms
}

/// Queues, busy ones deepest first, idle ones last by name.
pub fn queues_of(list: &Value) -> Vec<Queue> {
    let mut queues: Vec<Queue> = list
        .as_array()
        .into_iter()
        .flatten()
        .map(|q| {
            let rate = |kind: &str| field::path_real(q, &["message_stats", kind, "rate"]);
            Queue {
                vhost: field::text(q, "vhost"),
                name: field::text(q, "name"),
                ready: field::count(q, "messages_ready"),
                unacked: field::count(q, "messages_unacknowledged"),
                consumers: field::count(q, "consumers"),
                publish_rate: rate("publish_details"),
                deliver_rate: rate("deliver_get_details"),
                ack_rate: rate("ack_details"),
            }
        })
        .collect();
    queues.sort_by(|a, b| {
        (a.is_idle(), std::cmp::Reverse(a.depth()), &a.name).cmp(&(
            b.is_idle(),
            std::cmp::Reverse(b.depth()),
            &b.name,
        ))
    });
    queues
}

/// Connections grouped by client name, user, peer host and vhost; the
/// biggest groups first.
pub fn clients_of(list: &Value) -> Vec<ClientGroup> {
    let mut groups: BTreeMap<(String, String, String, String), ClientGroup> = BTreeMap::new();
    for c in list.as_array().into_iter().flatten() {
        let client = c
            .get("client_properties")
            .and_then(|p| p.get("connection_name"))
            .and_then(Value::as_str)
            .map_or_else(|| field::text(c, "name"), str::to_string);
        let key = (
            client.clone(),
            field::text(c, "user"),
            field::text(c, "peer_host"),
            field::text(c, "vhost"),
        );
        let group = groups.entry(key.clone()).or_insert_with(|| ClientGroup {
            client,
            user: key.1.clone(),
            peer_host: key.2.clone(),
            vhost: key.3.clone(),
            ..ClientGroup::default()
        });
        group.connections += 1;
        group.channels += u32::try_from(field::count(c, "channels")).unwrap_or(u32::MAX);
    }
    let mut groups: Vec<ClientGroup> = groups.into_values().collect();
    groups.sort_by(|a, b| {
        b.connections
            .cmp(&a.connections)
            .then(a.client.cmp(&b.client))
    });
    groups
}

#[cfg(test)]
mod tests;
