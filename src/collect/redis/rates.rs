//! Per-second rates and the hit ratio, from the counters of two polls.

/// Cumulative counters of INFO stats.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counters {
    pub commands: u64,
    pub hits: u64,
    pub misses: u64,
    pub evicted: u64,
    pub expired: u64,
    /// The server's own sampled ops/s, used when there is no window yet.
    pub instantaneous_ops: f64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rates {
    pub ops_per_sec: f64,
    pub hit_ratio: Option<f64>,
    pub evicted_per_sec: Option<f64>,
    pub expired_per_sec: Option<f64>,
}

/// Rates over the window from `prev` to `cur`, `elapsed_secs` apart. Without
/// a usable window (first poll, a counter went back after a restart or
/// CONFIG RESETSTAT), only the server's instantaneous ops/s is given.
pub fn rates(prev: Option<&Counters>, cur: &Counters, elapsed_secs: f64) -> Rates {
    let window = prev.filter(|p| elapsed_secs > 0.0 && !went_back(p, cur));
    let Some(prev) = window else {
        return Rates {
            ops_per_sec: cur.instantaneous_ops,
            ..Rates::default()
        };
    };
    let per_sec = |before: u64, now: u64| (now - before) as f64 / elapsed_secs;
    let hits = cur.hits - prev.hits;
    let lookups = hits + (cur.misses - prev.misses);
    Rates {
        ops_per_sec: per_sec(prev.commands, cur.commands),
        hit_ratio: (lookups > 0).then(|| hits as f64 / lookups as f64),
        evicted_per_sec: Some(per_sec(prev.evicted, cur.evicted)),
        expired_per_sec: Some(per_sec(prev.expired, cur.expired)),
    }
}

fn went_back(prev: &Counters, cur: &Counters) -> bool {
    cur.commands < prev.commands
        || cur.hits < prev.hits
        || cur.misses < prev.misses
        || cur.evicted < prev.evicted
        || cur.expired < prev.expired
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counters(commands: u64, hits: u64, misses: u64, evicted: u64, expired: u64) -> Counters {
        Counters {
            commands,
            hits,
            misses,
            evicted,
            expired,
            instantaneous_ops: 7.0,
        }
    }

    #[test]
    fn first_poll_has_only_the_instantaneous_ops() {
        let r = rates(None, &counters(100, 5, 5, 0, 0), 1.0);
        assert_eq!(
            r,
            Rates {
                ops_per_sec: 7.0,
                ..Rates::default()
            }
        );
    }

    #[test]
    fn hit_ratio_uses_the_window_not_the_totals() {
        let prev = counters(100, 1000, 0, 0, 0);
        let cur = counters(300, 1003, 1, 4, 10);
        let r = rates(Some(&prev), &cur, 2.0);
        assert_eq!(r.hit_ratio, Some(0.75));
        assert_eq!(r.ops_per_sec, 100.0);
        assert_eq!(r.evicted_per_sec, Some(2.0));
        assert_eq!(r.expired_per_sec, Some(5.0));
    }

    #[test]
    fn no_lookups_means_no_hit_ratio() {
        let c = counters(100, 10, 10, 0, 0);
        let r = rates(Some(&c), &counters(110, 10, 10, 0, 0), 1.0);
        assert_eq!(r.hit_ratio, None);
        assert_eq!(r.evicted_per_sec, Some(0.0));
    }

    #[test]
    fn counters_that_went_back_start_a_new_window() {
        let prev = counters(100, 10, 10, 0, 0);
        let r = rates(Some(&prev), &counters(5, 1, 0, 0, 0), 1.0);
        assert_eq!(r.hit_ratio, None);
        assert_eq!(r.ops_per_sec, 7.0);
    }
}
