//! What a Redis probe reports.

/// One db of the keyspace.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyspaceDb {
    pub db: u32,
    pub keys: u64,
    pub expires: u64,
    pub avg_ttl_ms: u64,
}

/// Clients sharing name, host and db: an application's connection pool.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientPool {
    pub name: String,
    pub host: String,
    pub db: u32,
    pub count: u32,
    pub max_idle_secs: u64,
    pub last_command: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SlowEntry {
    pub id: u64,
    /// Unix time the command ran.
    pub at: i64,
    pub duration_us: u64,
    /// Command and arguments, cut.
    pub command: String,
}

/// One poll of a Redis server.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RedisSnapshot {
    pub version: String,
    pub uptime_secs: u64,
    pub role: String,
    pub used_memory: u64,
    /// 0 means no limit.
    pub maxmemory: u64,
    pub used_memory_rss: u64,
    pub used_memory_peak: u64,
    pub fragmentation_ratio: f64,
    pub eviction_policy: String,
    pub ops_per_sec: f64,
    /// keyspace_hits / (hits + misses) over the last window.
    pub hit_ratio: Option<f64>,
    pub evicted_per_sec: Option<f64>,
    pub expired_per_sec: Option<f64>,
    pub connected_clients: u32,
    pub blocked_clients: u32,
    pub keyspace: Vec<KeyspaceDb>,
    /// `None` when CLIENT LIST is off (slow) or not allowed.
    pub client_pools: Option<Vec<ClientPool>>,
    pub slowlog: Vec<SlowEntry>,
    pub notes: Vec<String>,
    /// Round-trip time of this poll's commands, milliseconds.
    pub poll_ms: f64,
}
