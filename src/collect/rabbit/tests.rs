//! Answers recorded from RabbitMQ 3.10 (the test stack's image) with a
//! queue `orders` of 5 messages, 2 delivered to a consumer with prefetch 2
//! and not acked, an idle queue, and two connections named `orders-api`.
//! `nodes-alarm.json` is `nodes.json` with the memory alarm set.

use super::*;

fn json(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/collect/rabbit/testdata")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn recorded(nodes: &str) -> RabbitSnapshot {
    snapshot(
        &json("overview.json"),
        &json(nodes),
        &json("queues.json"),
        &json("connections.json"),
    )
}

#[test]
fn the_node_reads_whole() {
    let s = recorded("nodes.json");
    assert_eq!(s.version, "3.10.8");
    assert_eq!(s.node, "rabbit@rabbit");
    assert!(
        s.memory.used > 0 && s.memory.limit > s.memory.used,
        "{:?}",
        s.memory
    );
    assert!(s.file_descriptors.limit > 0 && s.sockets.limit > 0);
    assert!(s.disk_free > s.disk_free_limit);
    assert!(s.alarms.is_empty());
    assert!(s.uptime_secs > 0);
}

#[test]
fn queues_deepest_first_and_idle_ones_last() {
    let s = recorded("nodes.json");
    let names: Vec<&str> = s.queues.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(names, ["orders", "idle-queue"]);
    let orders = &s.queues[0];
    assert_eq!((orders.ready, orders.unacked, orders.consumers), (3, 2, 1));
    assert_eq!(orders.depth(), 5);
    assert!(s.queues[1].is_idle());
}

#[test]
fn connections_are_grouped_by_client_name() {
    let s = recorded("nodes.json");
    assert_eq!(s.clients.len(), 1, "{:?}", s.clients);
    let group = &s.clients[0];
    assert_eq!(group.client, "orders-api");
    assert_eq!(group.user, "guest");
    assert_eq!(group.connections, 2);
    assert_eq!(group.channels, 1);
}

#[test]
fn alarms_in_force_are_named() {
    let s = recorded("nodes-alarm.json");
    assert_eq!(s.alarms, ["memory"]);
}
