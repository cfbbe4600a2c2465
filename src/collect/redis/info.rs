//! INFO text: `field:value` lines under `# Section` headers.

use std::collections::HashMap;

use crate::model::{KeyspaceDb, RedisSnapshot};

use super::rates::Counters;

/// The sections the probe reads; never bare `INFO` (which also computes
/// CPU, modules, error stats, command stats...). `persistence` is read for
/// `loading:1`: while loading, INFO answers but most commands fail.
pub const SECTIONS: [&str; 7] = [
    "server",
    "memory",
    "stats",
    "clients",
    "keyspace",
    "replication",
    "persistence",
];

/// The fields of one or more INFO replies. Field names are unique across
/// sections, so the sections are flattened.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Info {
    fields: HashMap<String, String>,
}

impl Info {
    pub fn parse(text: &str) -> Self {
        let mut info = Self::default();
        info.add(text);
        info
    }

    /// Adds the fields of another reply (the one-section-a-command form).
    pub fn add(&mut self, text: &str) {
        let fields = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .filter_map(|line| line.split_once(':'))
            .map(|(k, v)| (k.to_string(), v.to_string()));
        self.fields.extend(fields);
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }

    fn num(&self, field: &str) -> u64 {
        self.get(field).and_then(|v| v.parse().ok()).unwrap_or(0)
    }

    fn float(&self, field: &str) -> f64 {
        self.get(field).and_then(|v| v.parse().ok()).unwrap_or(0.0)
    }

    fn text(&self, field: &str) -> String {
        self.get(field).unwrap_or_default().to_string()
    }

    /// Whether the server is still loading its data set.
    pub fn loading(&self) -> bool {
        self.get("loading") == Some("1")
    }

    /// The cumulative counters the rates are computed from.
    pub fn counters(&self) -> Counters {
        Counters {
            commands: self.num("total_commands_processed"),
            hits: self.num("keyspace_hits"),
            misses: self.num("keyspace_misses"),
            evicted: self.num("evicted_keys"),
            expired: self.num("expired_keys"),
            instantaneous_ops: self.float("instantaneous_ops_per_sec"),
        }
    }

    /// A snapshot with the figures INFO gives as they are (no rates).
    pub fn snapshot(&self) -> RedisSnapshot {
        RedisSnapshot {
            version: self.text("redis_version"),
            uptime_secs: self.num("uptime_in_seconds"),
            role: self.text("role"),
            used_memory: self.num("used_memory"),
            maxmemory: self.num("maxmemory"),
            used_memory_rss: self.num("used_memory_rss"),
            used_memory_peak: self.num("used_memory_peak"),
            fragmentation_ratio: self.float("mem_fragmentation_ratio"),
            eviction_policy: self.text("maxmemory_policy"),
            // stacktop's own connection is not a client of the app.
            connected_clients: u32::try_from(self.num("connected_clients").saturating_sub(1))
                .unwrap_or(u32::MAX),
            blocked_clients: u32::try_from(self.num("blocked_clients")).unwrap_or(u32::MAX),
            keyspace: self.keyspace(),
            ..RedisSnapshot::default()
        }
    }

    /// `db3:keys=10,expires=2,avg_ttl=5000` lines, by db number.
    pub fn keyspace(&self) -> Vec<KeyspaceDb> {
        let mut dbs: Vec<KeyspaceDb> = self
            .fields
            .iter()
            .filter_map(|(k, v)| keyspace_db(k, v))
            .collect();
        dbs.sort_by_key(|db| db.db);
        dbs
    }
}

fn keyspace_db(field: &str, value: &str) -> Option<KeyspaceDb> {
    let db = field.strip_prefix("db")?.parse().ok()?;
    let mut out = KeyspaceDb {
        db,
        ..KeyspaceDb::default()
    };
    for (k, v) in value.split(',').filter_map(|kv| kv.split_once('=')) {
        let v = v.parse().unwrap_or(0);
        match k {
            "keys" => out.keys = v,
            "expires" => out.expires = v,
            "avg_ttl" => out.avg_ttl_ms = v,
            _ => {}
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `INFO server memory stats clients keyspace replication` from Redis 7.0.
    const SAMPLE: &str = include_str!("testdata/info-7.0.txt");

    #[test]
    fn figures_are_read_from_a_captured_reply() {
        let snap = Info::parse(SAMPLE).snapshot();
        assert_eq!(snap.version, "7.0.15");
        assert_eq!(snap.role, "master");
        assert_eq!(snap.uptime_secs, 1);
        assert_eq!(snap.used_memory, 1_040_744);
        assert_eq!(snap.maxmemory, 64 * 1024 * 1024);
        assert_eq!(snap.used_memory_rss, 12_238_848);
        assert_eq!(snap.used_memory_peak, 1_040_744);
        assert!((snap.fragmentation_ratio - 13.96).abs() < 1e-9);
        assert_eq!(snap.eviction_policy, "allkeys-lru");
        assert_eq!(
            snap.connected_clients, 0,
            "stacktop's own connection left out"
        );
        assert_eq!(snap.blocked_clients, 0);
    }

    #[test]
    fn keyspace_lists_each_db_in_order() {
        let dbs = Info::parse(SAMPLE).keyspace();
        let want = [
            KeyspaceDb {
                db: 0,
                keys: 1,
                expires: 0,
                avg_ttl_ms: 0,
            },
            KeyspaceDb {
                db: 2,
                keys: 1,
                expires: 1,
                avg_ttl_ms: 0,
            },
        ];
        assert_eq!(dbs, want);
    }

    #[test]
    fn newer_keyspace_fields_are_ignored() {
        let info = Info::parse("# Keyspace\r\ndb12:keys=7,expires=3,avg_ttl=900,subexpiry=0\r\n");
        assert_eq!(
            info.keyspace(),
            [KeyspaceDb {
                db: 12,
                keys: 7,
                expires: 3,
                avg_ttl_ms: 900
            }]
        );
    }

    #[test]
    fn counters_come_from_stats() {
        let c = Info::parse(SAMPLE).counters();
        assert_eq!((c.commands, c.hits, c.misses), (12, 1, 1));
        assert_eq!((c.evicted, c.expired), (0, 0));
    }

    #[test]
    fn crlf_replies_and_separate_sections_merge() {
        let mut info = Info::parse("# Server\r\nredis_version:6.2.14\r\n");
        info.add("# Memory\r\nused_memory:100\r\nmaxmemory:0\r\n");
        let snap = info.snapshot();
        assert_eq!(snap.version, "6.2.14");
        assert_eq!((snap.used_memory, snap.maxmemory), (100, 0));
    }

    #[test]
    fn values_may_hold_colons() {
        let info = Info::parse("executable:/usr/bin/redis-server\nos:Linux 6.1 x86_64\nx:a:b\n");
        assert_eq!(info.get("x"), Some("a:b"));
        assert!(!info.loading());
        assert!(Info::parse("loading:1\r\n").loading());
    }

    #[test]
    fn missing_fields_read_as_zero() {
        let snap = Info::parse("").snapshot();
        assert_eq!(snap, RedisSnapshot::default());
    }
}
