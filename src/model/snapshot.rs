//! One poll of a target, whatever its kind.

use super::{PgSnapshot, RabbitSnapshot, RedisSnapshot, SearchSnapshot, TargetKind};

#[derive(Debug, Clone, PartialEq)]
pub enum Snapshot {
    Postgres(PgSnapshot),
    Redis(RedisSnapshot),
    RabbitMq(RabbitSnapshot),
    Search(SearchSnapshot),
}

impl Snapshot {
    pub fn kind(&self) -> TargetKind {
        match self {
            Self::Postgres(_) => TargetKind::Postgres,
            Self::Redis(_) => TargetKind::Redis,
            Self::RabbitMq(_) => TargetKind::RabbitMq,
            Self::Search(_) => TargetKind::Search,
        }
    }

    /// The rate a sparkline follows, if the kind has one: Redis ops/s,
    /// RabbitMQ publishes/s, PostgreSQL transactions/s.
    pub fn headline_rate(&self) -> Option<f64> {
        match self {
            Self::Postgres(pg) => pg.xact_per_sec,
            Self::Redis(redis) => Some(redis.ops_per_sec),
            Self::RabbitMq(rabbit) => Some(rabbit.publish_rate),
            Self::Search(_) => None,
        }
    }

    /// Per-row figures worth a trend of their own, by a stable key: each
    /// RabbitMQ queue's depth (`vhost/name`).
    pub fn series(&self) -> Vec<(String, f64)> {
        match self {
            Self::RabbitMq(rabbit) => rabbit
                .queues
                .iter()
                .map(|q| (q.key(), q.depth() as f64))
                .collect(),
            Self::Postgres(_) | Self::Redis(_) | Self::Search(_) => Vec::new(),
        }
    }

    /// Round-trip time of the poll, milliseconds.
    pub fn poll_ms(&self) -> f64 {
        match self {
            Self::Postgres(pg) => pg.poll_ms,
            Self::Redis(redis) => redis.poll_ms,
            Self::RabbitMq(rabbit) => rabbit.poll_ms,
            Self::Search(search) => search.poll_ms,
        }
    }

    pub fn postgres(&self) -> Option<&PgSnapshot> {
        match self {
            Self::Postgres(pg) => Some(pg),
            _ => None,
        }
    }

    pub fn redis(&self) -> Option<&RedisSnapshot> {
        match self {
            Self::Redis(redis) => Some(redis),
            _ => None,
        }
    }

    pub fn rabbit(&self) -> Option<&RabbitSnapshot> {
        match self {
            Self::RabbitMq(rabbit) => Some(rabbit),
            _ => None,
        }
    }

    pub fn search(&self) -> Option<&SearchSnapshot> {
        match self {
            Self::Search(search) => Some(search),
            _ => None,
        }
    }
}
