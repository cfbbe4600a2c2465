//! One poll of a server: the queries, timed, turned into a snapshot, with
//! what the previous poll left for rates.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use tokio_postgres::{Client, Error, Statement};

use super::deltas::{self, DbCounters, OwnXacts, StatementTotals};
use super::notes;
use super::queries::{self, Queries, ServerInfo};
use super::sessions::{self, Session};
use crate::model::{PgDatabase, PgSnapshot, TopStatements};

/// Most backends a snapshot lists.
const BACKENDS: usize = 50;
/// How often database sizes are read: they stat every file of a database.
const SIZES_EVERY: Duration = Duration::from_secs(30);
/// Sizes slower than this are switched off for the connection.
const SIZES_TOO_SLOW: Duration = Duration::from_millis(500);
/// How often a missing pg_stat_statements is looked for again.
const PGSS_RECHECK: Duration = Duration::from_secs(30);

/// pg_stat_statements in the target database.
enum Pgss {
    /// Not there, or not loaded, as of `checked`.
    Missing { checked: Instant, hint: String },
    /// Its query, and the totals of the previous poll with their time.
    Ready {
        query: Statement,
        before: Option<(Instant, StatementTotals)>,
    },
}

/// Database sizes: read now and then, off when slow.
#[derive(Default)]
struct Sizes {
    last: BTreeMap<String, u64>,
    read_at: Option<Instant>,
    off: Option<String>,
}

/// Counters of every database, and when they were read.
struct Reading {
    at: Instant,
    databases: BTreeMap<String, DbCounters>,
}

/// Polls one connection; keeps what rates need between polls.
pub struct Poller {
    server: ServerInfo,
    queries: Queries,
    pgss: Pgss,
    sizes: Sizes,
    before: Option<Reading>,
    /// Whether a poll has been made. Its reading is not kept: the server
    /// counts the connection's own setup up to a second late, in the window
    /// after it.
    polled: bool,
    /// Transactions stacktop ran in its own database since the last reading:
    /// each statement it runs is one, and they are not the application's.
    own_xacts: u64,
    own: OwnXacts,
}

impl Poller {
    /// Reads what the server is and prepares the statements.
    pub async fn new(client: &Client) -> Result<Self, Error> {
        let server = queries::server_info(client).await?;
        let queries = Queries::prepare(client).await?;
        let mut poller = Self {
            pgss: missing(&server.database, true),
            server,
            queries,
            sizes: Sizes::default(),
            before: None,
            polled: false,
            own_xacts: 0,
            own: OwnXacts::default(),
        };
        poller.find_pgss(client).await?;
        Ok(poller)
    }

    /// One snapshot; `poll_ms` is the time its queries took.
    pub async fn poll(&mut self, client: &Client) -> Result<PgSnapshot, Error> {
        let started = Instant::now();
        self.read_sizes(client).await?;
        // Sent together: the driver pipelines them on the one connection.
        let (uptime_secs, sessions, databases) = tokio::try_join!(
            self.queries.uptime_secs(client),
            self.queries.sessions(client),
            self.queries.databases(client),
        )?;
        let reading = Reading {
            at: Instant::now(),
            databases,
        };
        self.own_xacts += 3;
        let mut snapshot = PgSnapshot {
            version: self.server.version.clone(),
            uptime_secs,
            max_connections: self.server.max_connections,
            ..PgSnapshot::default()
        };
        self.add_sessions(&mut snapshot, &sessions);
        // Takes the transactions counted so far; later ones go to the next window.
        self.add_databases(&mut snapshot, &sessions, reading);
        snapshot.top_statements = self.top_statements(client, &mut snapshot.notes).await?;
        snapshot.notes.extend(self.sizes.off.clone());
        snapshot.poll_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(snapshot)
    }

    fn add_sessions(&self, snapshot: &mut PgSnapshot, sessions: &[Session]) {
        snapshot.states = sessions::state_counts(sessions);
        snapshot.pools = sessions::pools(sessions);
        snapshot.backends = sessions::backends(sessions, BACKENDS);
        if !self.server.sees_all {
            let hidden = sessions.iter().filter(|s| s.hidden()).count();
            let note = notes::hidden_sessions(&self.server.user, hidden);
            snapshot.notes.push(note);
        }
    }

    /// Per-database and server-wide figures.
    fn add_databases(&mut self, snapshot: &mut PgSnapshot, sessions: &[Session], now: Reading) {
        let connections = sessions::connections_by_database(sessions);
        let mut total = DbCounters::default();
        for (name, counters) in &now.databases {
            total.blks_hit += counters.blks_hit;
            total.blks_read += counters.blks_read;
            let (xact_per_sec, rows_per_sec) = self.rates(name, counters, now.at);
            snapshot.databases.push(PgDatabase {
                name: name.clone(),
                connections: connections.get(name).copied().unwrap_or(0),
                size_bytes: self.sizes.last.get(name).copied(),
                xact_per_sec,
                rows_per_sec,
                cache_hit_ratio: counters.cache_hit_ratio(),
            });
        }
        snapshot.xact_per_sec = sum(snapshot.databases.iter().map(|d| d.xact_per_sec));
        snapshot.rows_per_sec = sum(snapshot.databases.iter().map(|d| d.rows_per_sec));
        snapshot.cache_hit_ratio = total.cache_hit_ratio();
        self.before = self.polled.then_some(now);
        self.polled = true;
        self.own_xacts = 0;
    }

    /// Transactions and rows per second of one database since the previous
    /// poll, stacktop's own transactions left out.
    fn rates(&mut self, name: &str, now: &DbCounters, at: Instant) -> (Option<f64>, Option<f64>) {
        let Some((before_at, then)) = self
            .before
            .as_ref()
            .and_then(|b| Some((b.at, *b.databases.get(name)?)))
        else {
            return (None, None);
        };
        let secs = at.duration_since(before_at).as_secs_f64();
        let mut xacts = now.xacts - then.xacts;
        if name == self.server.database && xacts >= 0 {
            xacts = self.own.others(xacts, self.own_xacts);
        }
        (
            deltas::rate(0, xacts, secs),
            deltas::rate(then.rows, now.rows, secs),
        )
    }

    async fn top_statements(
        &mut self,
        client: &Client,
        notes: &mut Vec<String>,
    ) -> Result<TopStatements, Error> {
        if matches!(&self.pgss, Pgss::Missing { checked, .. } if checked.elapsed() >= PGSS_RECHECK)
        {
            self.find_pgss(client).await?;
        }
        let Pgss::Ready { query, .. } = &self.pgss else {
            return Ok(self.not_installed());
        };
        let query = query.clone();
        let read = queries::statements(client, &query).await;
        self.own_xacts += 1;
        match read {
            Ok((entries, hidden)) => {
                if hidden > 0 && !self.server.sees_all {
                    notes.push(notes::hidden_statements(&self.server.user, hidden));
                }
                Ok(self.statement_rates(&entries))
            }
            Err(e) => {
                self.pgss = unavailable(&self.server.database, &e).ok_or(e)?;
                Ok(self.not_installed())
            }
        }
    }

    fn not_installed(&self) -> TopStatements {
        match &self.pgss {
            Pgss::Missing { hint, .. } => TopStatements::NotInstalled { hint: hint.clone() },
            Pgss::Ready { .. } => TopStatements::Warming,
        }
    }

    /// Rates since the previous reading; `Warming` on the first.
    fn statement_rates(&mut self, entries: &[deltas::StatementCounters]) -> TopStatements {
        let Pgss::Ready { before, .. } = &mut self.pgss else {
            return TopStatements::Warming;
        };
        let now = Instant::now();
        let rows = before.as_ref().map(|(at, totals)| {
            deltas::statement_rates(totals, entries, now.duration_since(*at).as_secs_f64())
        });
        *before = Some((now, deltas::statement_totals(entries)));
        rows.map_or(TopStatements::Warming, TopStatements::Rows)
    }

    /// Looks for pg_stat_statements and prepares its query when it is there.
    async fn find_pgss(&mut self, client: &Client) -> Result<(), Error> {
        let schema = queries::pgss_schema(client).await?;
        self.own_xacts += 1;
        let Some(schema) = schema else {
            self.pgss = missing(&self.server.database, true);
            return Ok(());
        };
        let sql = queries::pgss_sql(&schema, self.server.version_num);
        let prepared = client.prepare(&sql).await;
        self.own_xacts += 1;
        self.pgss = match prepared {
            Ok(query) => Pgss::Ready {
                query,
                before: None,
            },
            Err(e) => unavailable(&self.server.database, &e).ok_or(e)?,
        };
        Ok(())
    }

    /// Reads database sizes when due, unless switched off for being slow.
    async fn read_sizes(&mut self, client: &Client) -> Result<(), Error> {
        let due = self
            .sizes
            .read_at
            .is_none_or(|at| at.elapsed() >= SIZES_EVERY);
        if self.sizes.off.is_some() || !due {
            return Ok(());
        }
        let started = Instant::now();
        let sizes = self.queries.sizes(client).await?;
        self.own_xacts += 1;
        let took = started.elapsed();
        self.sizes.read_at = Some(Instant::now());
        if took > SIZES_TOO_SLOW {
            self.sizes.last.clear();
            self.sizes.off = Some(notes::sizes_off(took));
        } else {
            self.sizes.last = sizes;
        }
        Ok(())
    }
}

fn missing(database: &str, loaded: bool) -> Pgss {
    Pgss::Missing {
        checked: Instant::now(),
        hint: notes::pgss_hint(database, loaded),
    }
}

/// pg_stat_statements dropped (undefined table) or not preloaded (55000):
/// `None` for any other error.
fn unavailable(database: &str, error: &Error) -> Option<Pgss> {
    match error.code().map(|c| c.code()) {
        Some("42P01") => Some(missing(database, true)),
        Some("55000") => Some(missing(database, false)),
        _ => None,
    }
}

fn sum(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    values
        .flatten()
        .fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
}
