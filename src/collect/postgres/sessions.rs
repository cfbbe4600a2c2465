//! Sessions of pg_stat_activity, grouped into what the dashboard shows:
//! state counts, pools, and the backends running something.

use std::collections::BTreeMap;

use crate::model::{PgBackend, PgPool, StateCounts};

/// Longest query text kept, in characters.
pub const QUERY_CHARS: usize = 200;

/// One client session of another application, as read from pg_stat_activity.
/// `None` marks what the server hides from a role without pg_read_all_stats.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Session {
    pub pid: i32,
    pub database: String,
    pub user: String,
    pub application: String,
    pub client: Option<String>,
    pub state: Option<String>,
    pub wait_event_type: Option<String>,
    pub wait_event: Option<String>,
    pub connection_secs: Option<f64>,
    pub xact_secs: Option<f64>,
    pub query_secs: Option<f64>,
    pub state_secs: Option<f64>,
    pub query: Option<String>,
    pub blocked_by: Vec<i32>,
}

impl Session {
    fn waits_on_lock(&self) -> bool {
        self.wait_event_type.as_deref() == Some("Lock")
    }

    fn idle_in_transaction(&self) -> bool {
        matches!(
            self.state.as_deref(),
            Some("idle in transaction" | "idle in transaction (aborted)")
        )
    }

    /// Whether the server hid this session's details from us.
    pub fn hidden(&self) -> bool {
        self.state.is_none() && self.query.is_none()
    }
}

/// Counts sessions by state; a session waiting on a lock counts in its
/// state and in `waiting_on_lock`.
pub fn add(counts: &mut StateCounts, session: &Session) {
    match session.state.as_deref() {
        Some("active") => counts.active += 1,
        Some("idle") => counts.idle += 1,
        Some("idle in transaction") => counts.idle_in_transaction += 1,
        Some("idle in transaction (aborted)") => counts.idle_in_transaction_aborted += 1,
        _ => counts.other += 1,
    }
    if session.waits_on_lock() {
        counts.waiting_on_lock += 1;
    }
}

pub fn state_counts(sessions: &[Session]) -> StateCounts {
    let mut counts = StateCounts::default();
    sessions.iter().for_each(|s| add(&mut counts, s));
    counts
}

/// Sessions per database name.
pub fn connections_by_database(sessions: &[Session]) -> BTreeMap<String, u32> {
    let mut by_db = BTreeMap::new();
    for session in sessions {
        *by_db.entry(session.database.clone()).or_insert(0) += 1;
    }
    by_db
}

/// Sessions grouped by (application, user, client, database), biggest first.
pub fn pools(sessions: &[Session]) -> Vec<PgPool> {
    let mut groups: BTreeMap<(String, String, String, String), PgPool> = BTreeMap::new();
    for s in sessions {
        let client = s.client.clone().unwrap_or_else(|| "?".to_string());
        let key = (
            s.application.clone(),
            s.user.clone(),
            client.clone(),
            s.database.clone(),
        );
        let pool = groups.entry(key).or_insert_with(|| PgPool {
            application: s.application.clone(),
            user: s.user.clone(),
            client,
            database: s.database.clone(),
            ..PgPool::default()
        });
        add(&mut pool.states, s);
        pool.oldest_connection_secs = pool
            .oldest_connection_secs
            .max(s.connection_secs.unwrap_or(0.0));
        if s.idle_in_transaction() {
            let idle = s.state_secs.unwrap_or(0.0);
            pool.longest_idle_in_transaction_secs = Some(
                pool.longest_idle_in_transaction_secs
                    .map_or(idle, |l| l.max(idle)),
            );
        }
    }
    let mut pools: Vec<PgPool> = groups.into_values().collect();
    // Stable sort: equal sizes keep the key order.
    pools.sort_by_key(|p| std::cmp::Reverse(p.states.total()));
    pools
}

/// Sessions running a statement or idle in a transaction, longest first,
/// at most `limit`.
pub fn backends(sessions: &[Session], limit: usize) -> Vec<PgBackend> {
    let mut backends: Vec<PgBackend> = sessions.iter().filter_map(backend).collect();
    backends.sort_by(|a, b| b.duration_secs.total_cmp(&a.duration_secs));
    backends.truncate(limit);
    backends
}

fn backend(s: &Session) -> Option<PgBackend> {
    let since = match s.state.as_deref()? {
        "active" => s.query_secs,
        _ if s.idle_in_transaction() => s.xact_secs,
        _ => None,
    }?;
    Some(PgBackend {
        pid: s.pid,
        duration_secs: since,
        state: s.state.clone().unwrap_or_default(),
        wait_event: s.wait_event.clone(),
        database: s.database.clone(),
        user: s.user.clone(),
        application: s.application.clone(),
        query: s.query.as_deref().map(|q| first_line(q, QUERY_CHARS)),
        blocked_by: s.blocked_by.clone(),
    })
}

/// The first non-blank line of `query`, trimmed and cut to `max` characters
/// (an ellipsis marks a cut, and a query that goes on past the line).
pub fn first_line(query: &str, max: usize) -> String {
    let mut lines = query.lines().map(str::trim).filter(|l| !l.is_empty());
    let line = lines.next().unwrap_or("");
    let more = lines.next().is_some();
    let mut cut: String = line.chars().take(max).collect();
    if cut.len() < line.len() || more {
        cut.push('…');
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(pid: i32, app: &str, state: &str) -> Session {
        Session {
            pid,
            database: "app_db".into(),
            user: "app".into(),
            application: app.into(),
            client: Some("172.17.0.1".into()),
            state: Some(state.into()),
            connection_secs: Some(f64::from(pid)),
            xact_secs: Some(2.0),
            query_secs: Some(1.0),
            state_secs: Some(0.5),
            query: Some("SELECT 1".into()),
            ..Session::default()
        }
    }

    fn blocked(pid: i32, by: i32) -> Session {
        Session {
            wait_event_type: Some("Lock".into()),
            wait_event: Some("transactionid".into()),
            blocked_by: vec![by],
            ..session(pid, "pool-a", "active")
        }
    }

    #[test]
    fn pools_group_by_application_user_client_and_database() {
        let sessions = vec![
            session(1, "pool-a", "idle"),
            session(2, "pool-a", "idle"),
            session(3, "pool-a", "idle in transaction"),
            blocked(4, 3),
            session(5, "web", "active"),
            Session {
                database: "other_db".into(),
                ..session(6, "pool-a", "idle")
            },
        ];
        let pools = pools(&sessions);
        assert_eq!(pools.len(), 3);
        let a = &pools[0];
        assert_eq!(
            (a.application.as_str(), a.database.as_str()),
            ("pool-a", "app_db")
        );
        let expected = StateCounts {
            active: 1,
            idle: 2,
            idle_in_transaction: 1,
            waiting_on_lock: 1,
            ..StateCounts::default()
        };
        assert_eq!(a.states, expected);
        assert_eq!(a.oldest_connection_secs, 4.0);
        assert_eq!(a.longest_idle_in_transaction_secs, Some(0.5));
        assert_eq!(pools[1].longest_idle_in_transaction_secs, None);
    }

    #[test]
    fn hidden_sessions_count_as_other_with_an_unknown_client() {
        let hidden = Session {
            pid: 9,
            database: "app_db".into(),
            user: "app".into(),
            application: "secret-app".into(),
            ..Session::default()
        };
        assert!(hidden.hidden());
        let pools = pools(std::slice::from_ref(&hidden));
        assert_eq!(pools[0].client, "?");
        assert_eq!(pools[0].states.other, 1);
        assert!(backends(&[hidden], 10).is_empty());
    }

    #[test]
    fn backends_are_running_or_in_a_transaction_longest_first() {
        let mut long = session(7, "web", "active");
        long.query_secs = Some(30.0);
        let sessions = vec![
            session(1, "web", "idle"),
            session(2, "web", "idle in transaction"),
            long,
            blocked(4, 2),
        ];
        let backends = backends(&sessions, 2);
        let pids: Vec<i32> = backends.iter().map(|b| b.pid).collect();
        // The transaction's age counts for a session idle in it.
        assert_eq!(pids, [7, 2]);
        assert_eq!(backends[1].duration_secs, 2.0);
        let all = super::backends(&sessions, 10);
        assert_eq!(all[2].blocked_by, [2]);
    }

    #[test]
    fn counts_by_state_and_database() {
        let sessions = vec![
            session(1, "a", "idle"),
            session(2, "a", "idle in transaction (aborted)"),
            session(3, "a", "fastpath function call"),
        ];
        let counts = state_counts(&sessions);
        assert_eq!(
            (
                counts.idle,
                counts.idle_in_transaction_aborted,
                counts.other
            ),
            (1, 1, 1)
        );
        assert_eq!(counts.total(), 3);
        assert_eq!(connections_by_database(&sessions)["app_db"], 3);
    }

    #[test]
    fn query_text_is_its_first_line_cut() {
        assert_eq!(first_line("\n  SELECT 1  \n", 200), "SELECT 1");
        assert_eq!(first_line("SELECT *\nFROM t", 200), "SELECT *…");
        assert_eq!(first_line("SELECT ééé", 8), "SELECT é…");
        assert_eq!(first_line("", 200), "");
    }
}
