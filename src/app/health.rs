//! Health in the app: the HTTP checks and their results, and the one
//! summary of a service's health that the HEALTH column, the attention
//! marks and the headless commands all use.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::Store;
use super::containers::{find_again, in_order};
use super::store::Touched;
use crate::command::{Collect, Command};
use crate::discover::health::CheckRules;
use crate::discover::health::{check_of_container, refusal};
use crate::model::{
    CheckResult, CheckSource, ClusterHealth, Container, Health, HealthCheck, ProbeStatus, Snapshot,
    Verdict,
};

/// A check, its latest result, and since when it keeps failing.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckState {
    pub check: HealthCheck,
    pub result: Option<CheckResult>,
    pub failing_since: Option<DateTime<Utc>>,
}

/// How a service is, all sources combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Nothing checks it.
    None,
    Good,
    /// Starting, or a search cluster in yellow.
    Warn,
    /// Needs attention: unhealthy, a failing check, an alarm.
    Bad,
}

impl Level {
    /// For scripts: `none`, `good`, `warn`, `bad`.
    pub fn word(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Good => "good",
            Self::Warn => "warn",
            Self::Bad => "bad",
        }
    }

    /// The symbol before the words on screen.
    fn mark(self) -> &'static str {
        match self {
            Self::None => "",
            Self::Good => "✓ ",
            Self::Warn => "… ",
            Self::Bad => "✗ ",
        }
    }
}

/// Where a health verdict comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    None,
    /// The container's own health check.
    Docker,
    /// stacktop's HTTP check.
    Http,
    /// A RabbitMQ node's alarms.
    RabbitMq,
    /// A search cluster's colour.
    Search,
}

impl Source {
    pub fn word(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Docker => "docker",
            Self::Http => "http",
            Self::RabbitMq => "rabbitmq",
            Self::Search => "search",
        }
    }
}

/// A service's health as the HEALTH column, the attention marks and the
/// headless commands all tell it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthSummary {
    pub level: Level,
    /// No symbol: `http 503`, `healthy`, `es yellow`.
    pub words: String,
    pub source: Source,
    /// Since when it keeps failing, when known.
    pub since: Option<DateTime<Utc>>,
}

impl HealthSummary {
    fn new(level: Level, words: impl Into<String>, source: Source) -> Self {
        Self {
            level,
            words: words.into(),
            source,
            since: None,
        }
    }

    /// The column's text: `✓ http 200 12ms`, `✗ refused`, `—`.
    pub fn text(&self) -> String {
        format!("{}{}", self.level.mark(), self.words)
    }
}

impl Store {
    /// Works out the checks again after the container list changed; tells
    /// the runtime when they are not the same any more. A refused check
    /// gets its verdict here and never reaches the runtime, so nothing is
    /// sent to where it points.
    pub(super) fn refresh_checks(&mut self, rules: &CheckRules, touched: &Touched) -> Vec<Command> {
        let hosts = self.ports_hosts();
        let find = |c: &Container| check_of_container(c, rules, &hosts);
        let containers = (&self.containers[..], &self.index);
        if !find_again(&mut self.found_checks, containers, touched, find) {
            return Vec::new();
        }
        let mut wanted = in_order(&self.found_checks, &self.index);
        wanted.sort_by(|a, b| a.id.cmp(&b.id));
        let same = wanted.len() == self.checks.len()
            && wanted
                .iter()
                .all(|c| self.checks.get(&c.id).is_some_and(|s| s.check == *c));
        if same {
            return Vec::new();
        }
        let mut kept = BTreeMap::new();
        for check in &wanted {
            let old = self.checks.remove(&check.id).filter(|s| s.check == *check);
            let result = match check.source {
                CheckSource::Refused => Some(refusal(check)),
                _ => old.as_ref().and_then(|s| s.result.clone()),
            };
            let state = CheckState {
                check: check.clone(),
                result,
                failing_since: old.and_then(|s| s.failing_since),
            };
            kept.insert(check.id.clone(), state);
        }
        self.checks = kept;
        let asked = wanted
            .into_iter()
            .filter(|c| c.source != CheckSource::Refused)
            .collect();
        vec![Command::Collect(Collect::SetChecks(asked))]
    }

    /// Takes in a check's result; returns the container it checks, if any.
    pub(super) fn on_health(&mut self, check_id: String, result: CheckResult) -> Option<String> {
        let now = self.now.with_timezone(&Utc);
        let state = self.checks.get_mut(&check_id)?;
        // Since when is known only when stacktop saw it begin.
        let before = state.result.as_ref().map(|r| r.verdict);
        state.failing_since = match (result.verdict, before) {
            (Verdict::Failing, Some(Verdict::Failing)) => state.failing_since,
            (Verdict::Failing, Some(_)) => Some(now),
            _ => None,
        };
        state.result = Some(result);
        state.check.container_id.clone()
    }

    /// The check attached to container `id`, if it has one.
    pub fn check_of_container(&self, id: &str) -> Option<&CheckState> {
        self.checks
            .values()
            .find(|s| s.check.container_id.as_deref() == Some(id))
    }

    /// The service's health from every source: Docker's health check, the
    /// HTTP check, a RabbitMQ node's alarms, a search cluster's colour.
    /// The worst wins.
    pub fn health_of(&self, c: &Container) -> HealthSummary {
        let mut found = vec![docker(c)];
        found.extend(self.check_of_container(&c.id).and_then(http));
        if let Some(probe) = self.probe_of_container(&c.id)
            && probe.status == ProbeStatus::Live
        {
            found.extend(probe.snapshot.as_ref().and_then(target));
        }
        found
            .into_iter()
            .max_by_key(|s| s.level)
            .unwrap_or_else(|| HealthSummary::new(Level::None, "—", Source::None))
    }
}

impl Store {
    /// The level of [`Store::health_of`], without its words.
    pub fn health_level(&self, c: &Container) -> Level {
        let docker = docker_level(c.health);
        let http = self
            .check_of_container(&c.id)
            .and_then(|s| s.result.as_ref())
            .map_or(Level::None, |r| verdict_level(r.verdict));
        let target = self
            .probe_of_container(&c.id)
            .filter(|p| p.status == ProbeStatus::Live)
            .and_then(|p| p.snapshot.as_ref())
            .and_then(target_level)
            .unwrap_or(Level::None);
        docker.max(http).max(target)
    }
}

fn docker_level(health: Health) -> Level {
    match health {
        Health::Healthy => Level::Good,
        Health::Unhealthy => Level::Bad,
        Health::Starting => Level::Warn,
        Health::None => Level::None,
    }
}

fn verdict_level(verdict: Verdict) -> Level {
    match verdict {
        Verdict::Healthy => Level::Good,
        Verdict::Failing => Level::Bad,
        Verdict::Unknown => Level::None,
    }
}

fn target_level(snapshot: &Snapshot) -> Option<Level> {
    match snapshot {
        Snapshot::RabbitMq(rabbit) if rabbit.alarms.is_empty() => Some(Level::Good),
        Snapshot::RabbitMq(_) => Some(Level::Bad),
        Snapshot::Search(search) => Some(match search.health {
            ClusterHealth::Green => Level::Good,
            ClusterHealth::Yellow => Level::Warn,
            ClusterHealth::Red => Level::Bad,
            ClusterHealth::Unknown => Level::None,
        }),
        Snapshot::Postgres(_) | Snapshot::Redis(_) => None,
    }
}

fn docker(c: &Container) -> HealthSummary {
    let words = match c.health {
        Health::Healthy => "healthy",
        Health::Unhealthy => "unhealthy",
        Health::Starting => "starting",
        Health::None => "—",
    };
    HealthSummary {
        since: c.unhealthy_since,
        ..HealthSummary::new(docker_level(c.health), words, Source::Docker)
    }
}

fn http(state: &CheckState) -> Option<HealthSummary> {
    let result = state.result.as_ref()?;
    let level = verdict_level(result.verdict);
    Some(HealthSummary {
        since: state.failing_since,
        ..HealthSummary::new(level, result.text.clone(), Source::Http)
    })
}

fn target(snapshot: &Snapshot) -> Option<HealthSummary> {
    let level = target_level(snapshot)?;
    let (words, source) = match snapshot {
        Snapshot::RabbitMq(rabbit) if rabbit.alarms.is_empty() => {
            ("broker ok".to_string(), Source::RabbitMq)
        }
        Snapshot::RabbitMq(rabbit) => (
            format!("alarm: {}", rabbit.alarms.join(",")),
            Source::RabbitMq,
        ),
        Snapshot::Search(search) => (format!("es {}", search.health.word()), Source::Search),
        Snapshot::Postgres(_) | Snapshot::Redis(_) => return None,
    };
    Some(HealthSummary::new(level, words, source))
}
