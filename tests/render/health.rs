//! The HEALTH column from every source, and the RabbitMQ and search views.

use stacktop::model::{
    CheckResult, ClientGroup, ClusterHealth, Gauge, Queue, RabbitSnapshot, SearchIndex, SearchNode,
    SearchSnapshot, Verdict,
};

use crate::fixtures::*;

const RABBIT: &str = "rabbit:shop/rabbitmq";
const SEARCH: &str = "es:shop/search";

fn service(id: &str, image: &str, published: (u16, u16)) -> Container {
    Sample::service("shop", id, 1)
        .id(id)
        .image(image)
        .started(time(10, 30, 0))
        .port(published.0, published.1)
        .build()
}

/// A shop stack whose health comes from Docker, HTTP checks, a broker and
/// a search cluster.
fn health_app(size: (u16, u16)) -> App {
    let mut worker = service("worker", "shop/worker:dev", (9001, 9001));
    worker.health = Health::Healthy;
    worker.ports.clear();
    let mut legacy = service("legacy", "shop/legacy:dev", (3003, 3000));
    legacy.spec.health_label = Some("/status".into());
    let containers = vec![
        service("api", "shop/api:dev", (3001, 3000)),
        service("payments", "shop/payments:dev", (3002, 3000)),
        legacy,
        service("prometheus", "prom/prometheus:v2.53.0", (9090, 9090)),
        service("rabbitmq", "rabbitmq:3-management", (15672, 15672)),
        service("search", "elasticsearch:8.13.0", (9200, 9200)),
        worker,
    ];
    let mut app = connected_app(size, containers);
    for (check, verdict, text) in [
        ("shop/api", Verdict::Healthy, "http 200 12ms"),
        ("shop/payments", Verdict::Failing, "http 503"),
        ("shop/legacy", Verdict::Failing, "refused"),
        ("shop/prometheus", Verdict::Healthy, "http 200 4ms"),
    ] {
        app.update(Event::Health {
            check_id: check.into(),
            result: CheckResult {
                verdict,
                text: text.into(),
                detail: "/health".into(),
            },
        });
    }
    for (rate, orders) in [
        (0.0, 300),
        (12.0, 520),
        (30.0, 810),
        (18.0, 990),
        (42.0, 1240),
    ] {
        let mut snapshot = rabbit_snapshot();
        snapshot.publish_rate = rate;
        snapshot.queues[0].ready = orders;
        app.update(Event::Probe(ProbeEvent::Snapshot {
            target_id: RABBIT.into(),
            snapshot: Box::new(Snapshot::RabbitMq(snapshot)),
        }));
    }
    app.update(Event::Probe(ProbeEvent::Snapshot {
        target_id: SEARCH.into(),
        snapshot: Box::new(Snapshot::Search(search_snapshot())),
    }));
    app
}

fn queue(name: &str, ready: u64, unacked: u64, consumers: u64, rates: [f64; 3]) -> Queue {
    Queue {
        vhost: "/".into(),
        name: name.into(),
        ready,
        unacked,
        consumers,
        publish_rate: rates[0],
        deliver_rate: rates[1],
        ack_rate: rates[2],
    }
}

fn client(name: &str, peer: &str, connections: u32, channels: u32) -> ClientGroup {
    ClientGroup {
        client: name.into(),
        user: "app".into(),
        peer_host: peer.into(),
        vhost: "/".into(),
        connections,
        channels,
    }
}

fn rabbit_snapshot() -> RabbitSnapshot {
    let mib = 1024 * 1024;
    RabbitSnapshot {
        version: "3.13.7".into(),
        node: "rabbit@rabbit".into(),
        uptime_secs: 5400,
        memory: Gauge {
            used: 1650 * mib,
            limit: 1600 * mib,
        },
        file_descriptors: Gauge {
            used: 48,
            limit: 1048576,
        },
        sockets: Gauge {
            used: 9,
            limit: 943626,
        },
        disk_free: 40 * 1024 * mib,
        disk_free_limit: 50 * mib,
        alarms: vec!["memory".into()],
        queues: vec![
            queue("orders", 1240, 10, 0, [40.5, 0.0, 0.0]),
            queue("emails", 12, 3, 2, [3.0, 2.5, 2.5]),
            queue("audit.dead-letter", 0, 0, 0, [0.0, 0.0, 0.0]),
        ],
        clients: vec![
            client("orders-worker", "172.18.0.7", 4, 8),
            client("mailer", "172.18.0.9", 1, 1),
        ],
        publish_rate: 43.5,
        notes: Vec::new(),
        poll_ms: 6.0,
    }
}

fn search_snapshot() -> SearchSnapshot {
    let index = |name: &str, health, docs, size_bytes, replicas| SearchIndex {
        name: name.into(),
        health,
        docs,
        size_bytes,
        primaries: 1,
        replicas,
    };
    SearchSnapshot {
        product: "elasticsearch 8.13.0".into(),
        cluster: "docker-cluster".into(),
        health: ClusterHealth::Yellow,
        unassigned_shards: 2,
        nodes: vec![SearchNode {
            name: "es01".into(),
            roles: "cdfhilmrstw".into(),
            heap_percent: Some(41),
            cpu_percent: Some(3),
            load_1m: Some(0.42),
        }],
        indices: vec![
            index("products", ClusterHealth::Yellow, 120_000, 84_000_000, 1),
            index("orders-2026.11", ClusterHealth::Yellow, 9_500, 6_100_000, 1),
            index(".kibana_1", ClusterHealth::Green, 12, 40_000, 0),
        ],
        notes: Vec::new(),
        poll_ms: 9.0,
    }
}

fn view_of(size: (u16, u16), label: &str, tabs: usize) -> App {
    let mut app = health_app(size);
    app.list.selected = row_of_label(&app, label);
    press(&mut app, KeyCode::Char('d'));
    assert!(app.database_view().is_some(), "d opens {label}'s view");
    for _ in 0..tabs {
        press(&mut app, KeyCode::Tab);
    }
    app
}

#[test]
fn health_from_every_source() {
    snapshot("overview_health", health_app);
}

#[test]
fn failing_health_checks_use_the_error_role() {
    let theme = Theme::default();
    let app = health_app((120, 40));
    let terminal = draw(&app, &theme);
    for (needle, cell) in [("http 503", "✗"), ("refused", "✗"), ("http 200 12ms", "✓")] {
        let y = row_of(&terminal, needle);
        let line = row_text(&terminal, y);
        let x = line.find(needle).expect("on the row") - cell.len() - 1;
        let x = line[..x].chars().count() as u16;
        let style = terminal.backend().buffer()[(x, y)].style();
        let want = if cell == "✗" {
            theme.error.fg
        } else {
            theme.healthy.fg
        };
        assert_eq!(style.fg, want, "{needle} on {line:?}");
    }
}

#[test]
fn rabbit_queues() {
    snapshot("rabbit_queues", |size| view_of(size, "rabbitmq", 0));
}

#[test]
fn rabbit_clients() {
    snapshot("rabbit_clients", |size| view_of(size, "rabbitmq", 1));
}

#[test]
fn rabbit_purge_asks_with_the_queue_and_its_count() {
    snapshot("rabbit_purge_confirm", |size| {
        let mut app = view_of(size, "rabbitmq", 0);
        press(&mut app, KeyCode::Char('P'));
        app
    });
}

#[test]
fn search_indices() {
    snapshot("search_indices", |size| view_of(size, "search", 0));
}

#[test]
fn search_nodes() {
    snapshot("search_nodes", |size| view_of(size, "search", 1));
}
