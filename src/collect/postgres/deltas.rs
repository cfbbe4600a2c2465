//! Rates from cumulative counters read at two polls.

use std::collections::HashMap;

use crate::model::PgStatement;

/// How many statements the top list keeps.
pub const TOP_STATEMENTS: usize = 20;

/// Cumulative counters of one database (pg_stat_database).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DbCounters {
    /// Commits and rollbacks.
    pub xacts: i64,
    /// Rows returned, fetched, inserted, updated and deleted.
    pub rows: i64,
    pub blks_hit: i64,
    pub blks_read: i64,
}

impl DbCounters {
    /// blks_hit / (blks_hit + blks_read) since the statistics were reset.
    pub fn cache_hit_ratio(&self) -> Option<f64> {
        let total = self.blks_hit + self.blks_read;
        (total > 0).then(|| self.blks_hit as f64 / total as f64)
    }
}

/// Per second between two readings; `None` when a counter went back (reset,
/// restart) or no time passed.
pub fn rate(before: i64, after: i64, secs: f64) -> Option<f64> {
    (after >= before && secs > 0.0).then(|| (after - before) as f64 / secs)
}

/// stacktop's own transactions, taken off the count of the database it
/// connects to. The server counts a session's transactions up to a second
/// late, so ours not seen in a window stay owed to the next one (at most one
/// window's worth: what is owed longer is not coming).
#[derive(Debug, Clone, Copy, Default)]
pub struct OwnXacts {
    owed: i64,
}

impl OwnXacts {
    /// A window's transaction count (`delta`, not negative) less ours.
    pub fn others(&mut self, delta: i64, ours: u64) -> i64 {
        let ours = i64::try_from(ours).unwrap_or(i64::MAX);
        let owed = self.owed.saturating_add(ours);
        let paid = owed.min(delta);
        self.owed = (owed - paid).min(ours);
        delta - paid
    }
}

/// Identity of a pg_stat_statements entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatementKey {
    pub queryid: i64,
    pub dbid: u32,
    pub userid: u32,
    pub toplevel: bool,
}

/// One pg_stat_statements entry as read.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementCounters {
    pub key: StatementKey,
    pub calls: i64,
    pub total_ms: f64,
    pub query: String,
}

/// Calls and time of each entry at the previous poll.
pub type StatementTotals = HashMap<StatementKey, (i64, f64)>;

pub fn statement_totals(now: &[StatementCounters]) -> StatementTotals {
    now.iter().map(|s| (s.key, (s.calls, s.total_ms))).collect()
}

/// The statements called in the window, most time first. An entry new since
/// the previous poll, or reset, counts from zero.
pub fn statement_rates(
    before: &StatementTotals,
    now: &[StatementCounters],
    secs: f64,
) -> Vec<PgStatement> {
    if secs <= 0.0 {
        return Vec::new();
    }
    let mut rows: Vec<PgStatement> = now
        .iter()
        .filter_map(|s| {
            let (calls0, total0) = before
                .get(&s.key)
                .copied()
                .filter(|(calls0, _)| *calls0 <= s.calls)
                .unwrap_or((0, 0.0));
            let calls = s.calls - calls0;
            let total_ms = (s.total_ms - total0).max(0.0);
            (calls > 0).then(|| PgStatement {
                query: s.query.clone(),
                calls_per_sec: calls as f64 / secs,
                mean_ms: total_ms / calls as f64,
                total_ms,
            })
        })
        .collect();
    rows.sort_by(|a, b| b.total_ms.total_cmp(&a.total_ms));
    rows.truncate(TOP_STATEMENTS);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counters(queryid: i64, calls: i64, total_ms: f64) -> StatementCounters {
        StatementCounters {
            key: StatementKey {
                queryid,
                dbid: 1,
                userid: 10,
                toplevel: true,
            },
            calls,
            total_ms,
            query: format!("q{queryid}"),
        }
    }

    #[test]
    fn rates_are_per_second_and_unknown_after_a_reset() {
        assert_eq!(rate(100, 300, 2.0), Some(100.0));
        assert_eq!(rate(300, 100, 2.0), None);
        assert_eq!(rate(1, 2, 0.0), None);
    }

    #[test]
    fn stacktops_own_transactions_are_left_out_even_when_counted_late() {
        let mut own = OwnXacts::default();
        assert_eq!(own.others(10, 4), 6);
        // Ours not counted yet: owed to the next window.
        assert_eq!(own.others(0, 4), 0);
        assert_eq!(own.others(8, 4), 0);
        assert_eq!(own.others(7, 4), 3);
        // Never more than one window's worth is owed.
        assert_eq!(own.others(0, 4), 0);
        assert_eq!(own.others(0, 4), 0);
        assert_eq!(own.others(9, 4), 1);
    }

    #[test]
    fn cache_hit_ratio_needs_some_reads() {
        let c = DbCounters {
            blks_hit: 90,
            blks_read: 10,
            ..DbCounters::default()
        };
        assert_eq!(c.cache_hit_ratio(), Some(0.9));
        assert_eq!(DbCounters::default().cache_hit_ratio(), None);
    }

    #[test]
    fn statements_are_deltas_over_the_window_by_time_spent() {
        let before = statement_totals(&[counters(1, 10, 100.0), counters(2, 5, 50.0)]);
        let now = [
            counters(1, 30, 140.0), // 20 calls, 40 ms
            counters(2, 5, 50.0),   // not called
            counters(3, 2, 300.0),  // new: counts from zero
        ];
        let rows = statement_rates(&before, &now, 2.0);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].query, "q3");
        assert_eq!((rows[0].calls_per_sec, rows[0].mean_ms), (1.0, 150.0));
        assert_eq!(rows[1].query, "q1");
        assert_eq!(rows[1].calls_per_sec, 10.0);
        assert_eq!((rows[1].total_ms, rows[1].mean_ms), (40.0, 2.0));
    }

    #[test]
    fn a_reset_entry_counts_from_zero() {
        let before = statement_totals(&[counters(1, 100, 100.0)]);
        let rows = statement_rates(&before, &[counters(1, 4, 8.0)], 1.0);
        assert_eq!(rows[0].calls_per_sec, 4.0);
        assert_eq!(rows[0].total_ms, 8.0);
    }
}
