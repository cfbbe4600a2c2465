//! Targets in the app: discovery results and probe reports.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, FixedOffset};

use super::containers::{find_again, in_order};
use super::store::Touched;
use super::{App, Store};
use crate::command::{Collect, Command};
use crate::discover;
use crate::event::ProbeEvent;
use crate::model::{
    Container, PgSnapshot, ProbeStatus, RabbitSnapshot, RedisSnapshot, SearchSnapshot, Snapshot,
    Target,
};
use crate::text::{bytes_short, count_short};

/// Readings of a kind's headline rate kept for its sparkline (one a poll).
pub const RATE_HISTORY: usize = 120;
/// Readings kept of each per-row series (a queue's depth).
pub const SERIES_HISTORY: usize = 30;

/// What the app knows of one target.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub target: Target,
    pub status: ProbeStatus,
    /// Latest figures, only while the probe is live: a probe that lost its
    /// server shows no stale figures as live.
    pub snapshot: Option<Snapshot>,
    /// The headline rate of each poll (Redis ops/s…), oldest first.
    pub history: VecDeque<f64>,
    /// Per-row readings of each poll (a queue's depth), oldest first, for
    /// the rows of the latest poll only.
    pub series: BTreeMap<String, VecDeque<f64>>,
    pub updated: Option<DateTime<FixedOffset>>,
}

impl Probe {
    pub fn new(target: Target) -> Self {
        Self {
            target,
            status: ProbeStatus::Connecting,
            snapshot: None,
            history: VecDeque::new(),
            series: BTreeMap::new(),
            updated: None,
        }
    }

    /// The list's one-line summary (`pg 12/100 conn`, `redis 3.1M/64M`, or
    /// the probe's state) and, when it measures a fill, how full (0..=1).
    pub fn summary(&self) -> (String, Option<f64>) {
        let kind = self.target.kind.info().short;
        if self.status != ProbeStatus::Live {
            return (format!("{kind} {}", self.status.word()), None);
        }
        let (text, fill) = self
            .snapshot
            .as_ref()
            .map_or_else(|| ("…".to_string(), None), figures);
        (format!("{kind} {text}"), fill)
    }

    /// Adds a poll's per-row readings; rows gone from it are forgotten.
    fn keep_series(&mut self, snapshot: &Snapshot) {
        let readings = snapshot.series();
        self.series
            .retain(|key, _| readings.iter().any(|(k, _)| k == key));
        for (key, value) in readings {
            let history = self.series.entry(key).or_default();
            history.push_back(value);
            while history.len() > SERIES_HISTORY {
                history.pop_front();
            }
        }
    }

    pub fn pg(&self) -> Option<&PgSnapshot> {
        self.snapshot.as_ref()?.postgres()
    }

    pub fn redis(&self) -> Option<&RedisSnapshot> {
        self.snapshot.as_ref()?.redis()
    }

    pub fn rabbit(&self) -> Option<&RabbitSnapshot> {
        self.snapshot.as_ref()?.rabbit()
    }

    pub fn search(&self) -> Option<&SearchSnapshot> {
        self.snapshot.as_ref()?.search()
    }
}

/// A poll in a few words, after the kind's short name in the list, and
/// how full the server is when its kind measures a fill.
fn figures(snapshot: &Snapshot) -> (String, Option<f64>) {
    match snapshot {
        Snapshot::Postgres(pg) => {
            let used = pg.in_use();
            let ratio = f64::from(used) / f64::from(pg.max_connections.max(1));
            (format!("{used}/{} conn", pg.max_connections), Some(ratio))
        }
        Snapshot::Redis(redis) => {
            let used = bytes_short(redis.used_memory);
            if redis.maxmemory == 0 {
                return (used, None);
            }
            let ratio = redis.used_memory as f64 / redis.maxmemory as f64;
            (
                format!("{used}/{}", bytes_short(redis.maxmemory)),
                Some(ratio),
            )
        }
        Snapshot::RabbitMq(rabbit) => {
            let depth: u64 = rabbit.queues.iter().map(|q| q.depth()).sum();
            let fill = Some(rabbit.memory.ratio());
            (format!("{} msg", count_short(depth)), fill)
        }
        Snapshot::Search(search) => {
            let docs: u64 = search.indices.iter().map(|i| i.docs).sum();
            (format!("{} docs", count_short(docs)), None)
        }
    }
}

impl App {
    /// The probe of the open database view.
    pub fn database_probe(&self) -> Option<&Probe> {
        self.store.probes.get(&self.database_view()?.target_id)
    }
}

impl Store {
    /// Re-runs discovery after the container list changed; tells the
    /// runtime when the set of targets is not the same any more.
    pub(super) fn refresh_targets(
        &mut self,
        configured: &[Target],
        touched: &Touched,
    ) -> Vec<Command> {
        let hosts = self.ports_hosts();
        let find = |c: &Container| discover::target_of_container(c, &hosts);
        let containers = (&self.containers[..], &self.index);
        if !find_again(&mut self.found_targets, containers, touched, find) {
            return Vec::new();
        }
        let found = in_order(&self.found_targets, &self.index);
        let targets = discover::merge(found, configured);
        let same = targets.len() == self.probes.len()
            && targets
                .iter()
                .all(|t| self.probes.get(&t.id).is_some_and(|p| p.target == *t));
        if same {
            return Vec::new();
        }
        let mut kept: BTreeMap<String, Probe> = BTreeMap::new();
        for target in &targets {
            let probe = match self.probes.remove(&target.id) {
                Some(p) if p.target.url == target.url => Probe {
                    target: target.clone(),
                    ..p
                },
                _ => Probe::new(target.clone()),
            };
            kept.insert(target.id.clone(), probe);
        }
        self.probes = kept;
        vec![Command::Collect(Collect::SetTargets(targets))]
    }

    /// Takes in a probe's report; returns the container of its target, if
    /// it has one.
    pub(super) fn on_probe(&mut self, event: ProbeEvent) -> Option<String> {
        let now = self.now;
        let target_id = match &event {
            ProbeEvent::Status { target_id, .. } | ProbeEvent::Snapshot { target_id, .. } => {
                target_id.clone()
            }
        };
        match event {
            ProbeEvent::Status { target_id, status } => {
                if let Some(probe) = self.probes.get_mut(&target_id) {
                    if status != ProbeStatus::Live {
                        probe.snapshot = None;
                    }
                    probe.status = status;
                }
            }
            ProbeEvent::Snapshot {
                target_id,
                snapshot,
            } => {
                if let Some(probe) = self.probes.get_mut(&target_id) {
                    probe.status = ProbeStatus::Live;
                    if let Some(rate) = snapshot.headline_rate() {
                        probe.history.push_back(rate);
                        while probe.history.len() > RATE_HISTORY {
                            probe.history.pop_front();
                        }
                    }
                    probe.keep_series(&snapshot);
                    probe.snapshot = Some(*snapshot);
                    probe.updated = Some(now);
                }
            }
        }
        self.probes.get(&target_id)?.target.container_id.clone()
    }

    /// The probe attached to container `id`, if it runs a database.
    pub fn probe_of_container(&self, id: &str) -> Option<&Probe> {
        self.probes
            .values()
            .find(|p| p.target.container_id.as_deref() == Some(id))
    }

    /// Targets with no container row (from the config file or env).
    pub fn unattached_probes(&self) -> impl Iterator<Item = &Probe> {
        self.probes.values().filter(move |p| {
            p.target
                .container_id
                .as_deref()
                .is_none_or(|id| self.container(id).is_none())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PgSnapshot, TargetKind};

    fn probe(kind: TargetKind) -> Probe {
        Probe::new(Target::example(kind, "x"))
    }

    #[test]
    fn the_summary_starts_with_the_kinds_short_name() {
        for kind in TargetKind::ALL {
            let short = kind.info().short;
            assert_eq!(probe(kind).summary(), (format!("{short} connecting"), None));
        }
        let mut pg = probe(TargetKind::Postgres);
        pg.status = ProbeStatus::Live;
        assert_eq!(pg.summary().0, "pg …");
        pg.snapshot = Some(Snapshot::Postgres(PgSnapshot {
            max_connections: 100,
            ..PgSnapshot::default()
        }));
        assert_eq!(pg.summary(), ("pg 0/100 conn".to_string(), Some(0.0)));
    }
}
