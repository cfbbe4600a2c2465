//! The order of the service list's rows within a project, and what each
//! row sorts by.

use std::cmp::Ordering;

/// What the list is ordered by; `o` cycles through them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Rows that need attention first, then by name.
    #[default]
    Attention,
    Name,
    /// Busiest first.
    Cpu,
    /// Largest first.
    Memory,
    /// Most recently started first.
    Uptime,
    /// Most restarted first.
    Restarts,
}

impl SortKey {
    pub const ALL: [SortKey; 6] = [
        Self::Attention,
        Self::Name,
        Self::Cpu,
        Self::Memory,
        Self::Uptime,
        Self::Restarts,
    ];

    /// The next key of the cycle.
    pub fn next(self) -> Self {
        let at = Self::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Self::ALL[(at + 1) % Self::ALL.len()]
    }

    /// The key's name, in messages and in the state file.
    pub fn word(self) -> &'static str {
        match self {
            Self::Attention => "attention",
            Self::Name => "name",
            Self::Cpu => "cpu",
            Self::Memory => "memory",
            Self::Uptime => "uptime",
            Self::Restarts => "restarts",
        }
    }

    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.word() == word)
    }

    /// How the status line says it: `sorted by CPU, busiest first`.
    pub fn phrase(self) -> &'static str {
        match self {
            Self::Attention => "problems first, then by name",
            Self::Name => "by name",
            Self::Cpu => "by CPU, busiest first",
            Self::Memory => "by memory, largest first",
            Self::Uptime => "by uptime, most recently started first",
            Self::Restarts => "by restarts, most first",
        }
    }

    /// Whether the order changes with every stats sample.
    pub fn follows_stats(self) -> bool {
        matches!(self, Self::Cpu | Self::Memory)
    }

    /// `a` before `b` in this order; figures a row does not have (a
    /// stopped container's CPU) sort after those it has, then by name.
    pub fn compare(self, a: &Facts, b: &Facts) -> Ordering {
        let first = match self {
            Self::Attention => b.attention.cmp(&a.attention),
            Self::Name => Ordering::Equal,
            Self::Cpu => high_first(a.cpu, b.cpu),
            Self::Memory => high_first(a.memory.map(|m| m as f64), b.memory.map(|m| m as f64)),
            Self::Uptime => high_first(
                a.uptime_secs.map(|s| -(s as f64)),
                b.uptime_secs.map(|s| -(s as f64)),
            ),
            Self::Restarts => {
                high_first(a.restarts.map(|r| r as f64), b.restarts.map(|r| r as f64))
            }
        };
        first.then_with(|| (a.name, a.number).cmp(&(b.name, b.number)))
    }
}

/// Higher values first; rows without a value last.
fn high_first(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// What a row of a project sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Facts<'a> {
    pub name: &'a str,
    pub number: Option<u32>,
    pub attention: bool,
    pub cpu: Option<f64>,
    pub memory: Option<u64>,
    pub uptime_secs: Option<i64>,
    pub restarts: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(name: &str) -> Facts<'_> {
        Facts {
            name,
            ..Facts::default()
        }
    }

    #[test]
    fn the_cycle_visits_every_key_and_comes_back() {
        let mut key = SortKey::default();
        let mut seen = vec![key];
        for _ in 0..5 {
            key = key.next();
            seen.push(key);
        }
        assert_eq!(seen, SortKey::ALL);
        assert_eq!(key.next(), SortKey::Attention);
        for key in SortKey::ALL {
            assert_eq!(SortKey::from_word(key.word()), Some(key));
        }
    }

    #[test]
    fn problems_come_first_then_names() {
        let bad = Facts {
            attention: true,
            ..facts("zeta")
        };
        let fine = facts("alpha");
        assert_eq!(SortKey::Attention.compare(&bad, &fine), Ordering::Less);
        assert_eq!(SortKey::Name.compare(&bad, &fine), Ordering::Greater);
    }

    #[test]
    fn figures_sort_highest_first_and_missing_ones_last() {
        let busy = Facts {
            cpu: Some(50.0),
            ..facts("b")
        };
        let idle = Facts {
            cpu: Some(0.1),
            ..facts("a")
        };
        let stopped = facts("0");
        assert_eq!(SortKey::Cpu.compare(&busy, &idle), Ordering::Less);
        assert_eq!(SortKey::Cpu.compare(&stopped, &idle), Ordering::Greater);
        let young = Facts {
            uptime_secs: Some(5),
            ..facts("y")
        };
        let old = Facts {
            uptime_secs: Some(5000),
            ..facts("o")
        };
        assert_eq!(SortKey::Uptime.compare(&young, &old), Ordering::Less);
    }
}
