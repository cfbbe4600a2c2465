//! The figures of a probe in `stacktop status --json`: what the database,
//! broker and search views show at the top, one shape per kind.

use serde::Serialize;

use crate::model::{PgSnapshot, RabbitSnapshot, RedisSnapshot, SearchSnapshot, Snapshot};

/// One kind's figures; the probe's `kind` says which.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Figures {
    Postgres(Postgres),
    Redis(Redis),
    RabbitMq(RabbitMq),
    Search(Search),
}

#[derive(Debug, Serialize)]
pub struct Postgres {
    pub version: String,
    /// Client sessions, stacktop's own left out.
    pub connections: u32,
    pub max_connections: u32,
    pub active: u32,
    pub idle: u32,
    pub idle_in_transaction: u32,
    pub waiting_on_lock: u32,
    pub transactions_per_second: Option<f64>,
    pub databases: Vec<PgDatabase>,
    /// Connections grouped by application, user, client and database.
    pub pools: Vec<PgPool>,
}

#[derive(Debug, Serialize)]
pub struct PgDatabase {
    pub name: String,
    pub connections: u32,
    pub size_bytes: Option<u64>,
}

#[derive(Debug, Serialize)]
pub struct PgPool {
    pub application: String,
    pub user: String,
    pub client: String,
    pub database: String,
    pub connections: u32,
}

#[derive(Debug, Serialize)]
pub struct Redis {
    pub version: String,
    pub used_memory_bytes: u64,
    /// 0: no limit.
    pub maxmemory_bytes: u64,
    pub eviction_policy: String,
    pub connected_clients: u32,
    pub blocked_clients: u32,
    pub ops_per_second: f64,
    pub keys: u64,
}

#[derive(Debug, Serialize)]
pub struct RabbitMq {
    pub version: String,
    pub memory_bytes: u64,
    /// The high watermark.
    pub memory_limit_bytes: u64,
    pub disk_free_bytes: u64,
    pub disk_free_limit_bytes: u64,
    pub alarms: Vec<String>,
    pub messages_ready: u64,
    pub messages_unacknowledged: u64,
    pub queues: Vec<Queue>,
    /// Connections grouped by client.
    pub clients: Vec<Client>,
}

#[derive(Debug, Serialize)]
pub struct Queue {
    pub vhost: String,
    pub name: String,
    pub ready: u64,
    pub unacknowledged: u64,
    pub consumers: u64,
    pub publish_per_second: f64,
}

#[derive(Debug, Serialize)]
pub struct Client {
    pub client: String,
    pub user: String,
    pub peer_host: String,
    pub vhost: String,
    pub connections: u32,
    pub channels: u32,
}

#[derive(Debug, Serialize)]
pub struct Search {
    pub product: String,
    pub cluster: String,
    /// `green`, `yellow`, `red` or `unknown`.
    pub health: &'static str,
    pub nodes: usize,
    pub indices: usize,
    pub docs: u64,
    pub unassigned_shards: u32,
}

pub fn of(snapshot: &Snapshot) -> Figures {
    match snapshot {
        Snapshot::Postgres(pg) => Figures::Postgres(postgres(pg)),
        Snapshot::Redis(redis) => Figures::Redis(self::redis(redis)),
        Snapshot::RabbitMq(rabbit) => Figures::RabbitMq(rabbitmq(rabbit)),
        Snapshot::Search(search) => Figures::Search(self::search(search)),
    }
}

fn postgres(pg: &PgSnapshot) -> Postgres {
    Postgres {
        version: pg.version.clone(),
        connections: pg.states.total(),
        max_connections: pg.max_connections,
        active: pg.states.active,
        idle: pg.states.idle,
        idle_in_transaction: pg.states.idle_in_transaction,
        waiting_on_lock: pg.states.waiting_on_lock,
        transactions_per_second: pg.xact_per_sec,
        databases: pg
            .databases
            .iter()
            .map(|d| PgDatabase {
                name: d.name.clone(),
                connections: d.connections,
                size_bytes: d.size_bytes,
            })
            .collect(),
        pools: pg
            .pools
            .iter()
            .map(|p| PgPool {
                application: p.application.clone(),
                user: p.user.clone(),
                client: p.client.clone(),
                database: p.database.clone(),
                connections: p.states.total(),
            })
            .collect(),
    }
}

fn redis(redis: &RedisSnapshot) -> Redis {
    Redis {
        version: redis.version.clone(),
        used_memory_bytes: redis.used_memory,
        maxmemory_bytes: redis.maxmemory,
        eviction_policy: redis.eviction_policy.clone(),
        connected_clients: redis.connected_clients,
        blocked_clients: redis.blocked_clients,
        ops_per_second: redis.ops_per_sec,
        keys: redis.keyspace.iter().map(|k| k.keys).sum(),
    }
}

fn rabbitmq(rabbit: &RabbitSnapshot) -> RabbitMq {
    RabbitMq {
        version: rabbit.version.clone(),
        memory_bytes: rabbit.memory.used,
        memory_limit_bytes: rabbit.memory.limit,
        disk_free_bytes: rabbit.disk_free,
        disk_free_limit_bytes: rabbit.disk_free_limit,
        alarms: rabbit.alarms.clone(),
        messages_ready: rabbit.queues.iter().map(|q| q.ready).sum(),
        messages_unacknowledged: rabbit.queues.iter().map(|q| q.unacked).sum(),
        queues: rabbit
            .queues
            .iter()
            .map(|q| Queue {
                vhost: q.vhost.clone(),
                name: q.name.clone(),
                ready: q.ready,
                unacknowledged: q.unacked,
                consumers: q.consumers,
                publish_per_second: q.publish_rate,
            })
            .collect(),
        clients: rabbit
            .clients
            .iter()
            .map(|c| Client {
                client: c.client.clone(),
                user: c.user.clone(),
                peer_host: c.peer_host.clone(),
                vhost: c.vhost.clone(),
                connections: c.connections,
                channels: c.channels,
            })
            .collect(),
    }
}

fn search(search: &SearchSnapshot) -> Search {
    Search {
        product: search.product.clone(),
        cluster: search.cluster.clone(),
        health: search.health.word(),
        nodes: search.nodes.len(),
        indices: search.indices.len(),
        docs: search.indices.iter().map(|i| i.docs).sum(),
        unassigned_shards: search.unassigned_shards,
    }
}
