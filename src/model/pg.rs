//! What a PostgreSQL probe reports.

/// Sessions by state. stacktop's own sessions are never counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StateCounts {
    pub active: u32,
    pub idle: u32,
    pub idle_in_transaction: u32,
    pub idle_in_transaction_aborted: u32,
    /// Sessions waiting on a lock (any state).
    pub waiting_on_lock: u32,
    /// Everything else (fastpath, disabled, unknown).
    pub other: u32,
}

impl StateCounts {
    pub fn total(&self) -> u32 {
        self.active
            + self.idle
            + self.idle_in_transaction
            + self.idle_in_transaction_aborted
            + self.other
    }
}

/// One database of the server.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PgDatabase {
    pub name: String,
    pub connections: u32,
    /// `None` when sizes are off (slow) or not visible.
    pub size_bytes: Option<u64>,
    /// Commits + rollbacks per second since the previous poll.
    pub xact_per_sec: Option<f64>,
    /// Rows returned + fetched + inserted + updated + deleted per second.
    pub rows_per_sec: Option<f64>,
    /// blks_hit / (blks_hit + blks_read), 0..=1.
    pub cache_hit_ratio: Option<f64>,
}

/// Sessions sharing application, user, client address and database: how
/// an application's connection pool shows up.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PgPool {
    pub application: String,
    pub user: String,
    /// Client address, or `local` for a unix socket.
    pub client: String,
    pub database: String,
    pub states: StateCounts,
    pub oldest_connection_secs: f64,
    pub longest_idle_in_transaction_secs: Option<f64>,
}

/// A backend running a statement (or idle in a transaction).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PgBackend {
    pub pid: i32,
    /// Since the statement (or, idle in transaction, the transaction) began.
    pub duration_secs: f64,
    pub state: String,
    pub wait_event: Option<String>,
    pub database: String,
    pub user: String,
    pub application: String,
    /// First line of the query, cut; `None` when not visible to us.
    pub query: Option<String>,
    /// Pids holding the locks it waits for (only for sessions on a Lock).
    pub blocked_by: Vec<i32>,
}

/// A statement of pg_stat_statements, as a rate over the last poll window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PgStatement {
    pub query: String,
    pub calls_per_sec: f64,
    pub mean_ms: f64,
    /// Time spent in the window, milliseconds.
    pub total_ms: f64,
}

/// pg_stat_statements, when it can be read.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum TopStatements {
    /// Not installed in the target database; carries how to enable it.
    NotInstalled {
        hint: String,
    },
    /// First poll: rates need two readings.
    #[default]
    Warming,
    Rows(Vec<PgStatement>),
}

/// One poll of a PostgreSQL server.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PgSnapshot {
    /// `15.4`, from server_version.
    pub version: String,
    pub uptime_secs: f64,
    pub max_connections: u32,
    pub states: StateCounts,
    pub databases: Vec<PgDatabase>,
    pub pools: Vec<PgPool>,
    /// Longest-running first.
    pub backends: Vec<PgBackend>,
    pub top_statements: TopStatements,
    /// Server-wide transactions and rows per second.
    pub xact_per_sec: Option<f64>,
    pub rows_per_sec: Option<f64>,
    pub cache_hit_ratio: Option<f64>,
    /// What is hidden from us and why (e.g. not pg_monitor), or checks
    /// switched off because they were slow.
    pub notes: Vec<String>,
    /// Round-trip time of this poll's queries, milliseconds.
    pub poll_ms: f64,
}

impl PgSnapshot {
    /// Sessions in use (stacktop's own excluded).
    pub fn in_use(&self) -> u32 {
        self.states.total()
    }

    /// Backends blocked by others, with who blocks them.
    pub fn blocked(&self) -> impl Iterator<Item = &PgBackend> {
        self.backends.iter().filter(|b| !b.blocked_by.is_empty())
    }
}
