//! Database targets in the app: discovery results and probe reports.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, FixedOffset};

use super::App;
use crate::command::Command;
use crate::discover;
use crate::event::ProbeEvent;
use crate::model::{PgSnapshot, ProbeStatus, RedisSnapshot, Target};

/// Ops/s readings kept for the Redis sparkline (one per poll).
pub const OPS_HISTORY: usize = 120;

/// What the app knows of one target.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub target: Target,
    pub status: ProbeStatus,
    /// Latest figures, only while the probe is live: a probe that lost its
    /// server shows no stale figures as live.
    pub pg: Option<PgSnapshot>,
    pub redis: Option<RedisSnapshot>,
    pub ops_history: VecDeque<f64>,
    pub updated: Option<DateTime<FixedOffset>>,
}

impl Probe {
    pub fn new(target: Target) -> Self {
        Self {
            target,
            status: ProbeStatus::Connecting,
            pg: None,
            redis: None,
            ops_history: VecDeque::new(),
            updated: None,
        }
    }
}

impl App {
    /// Re-runs discovery after the container list changed; tells the
    /// runtime when the set of targets is not the same any more.
    pub(super) fn refresh_targets(&mut self) -> Vec<Command> {
        let targets = discover::merge(discover::discover(&self.containers), &self.settings.targets);
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
        if let Some(view) = self.database_view()
            && !self.probes.contains_key(&view.target_id)
        {
            self.view = super::View::List;
        }
        vec![Command::SetTargets(targets)]
    }

    pub(super) fn on_probe(&mut self, event: ProbeEvent) {
        let now = self.now;
        match event {
            ProbeEvent::Status { target_id, status } => {
                if let Some(probe) = self.probes.get_mut(&target_id) {
                    if status != ProbeStatus::Live {
                        probe.pg = None;
                        probe.redis = None;
                    }
                    probe.status = status;
                }
            }
            ProbeEvent::Postgres {
                target_id,
                snapshot,
            } => {
                if let Some(probe) = self.probes.get_mut(&target_id) {
                    probe.status = ProbeStatus::Live;
                    probe.pg = Some(*snapshot);
                    probe.updated = Some(now);
                }
            }
            ProbeEvent::Redis {
                target_id,
                snapshot,
            } => {
                if let Some(probe) = self.probes.get_mut(&target_id) {
                    probe.status = ProbeStatus::Live;
                    probe.ops_history.push_back(snapshot.ops_per_sec);
                    while probe.ops_history.len() > OPS_HISTORY {
                        probe.ops_history.pop_front();
                    }
                    probe.redis = Some(*snapshot);
                    probe.updated = Some(now);
                }
            }
        }
    }

    /// The probe attached to container `id`, if it runs a database.
    pub fn probe_of_container(&self, id: &str) -> Option<&Probe> {
        self.probes
            .values()
            .find(|p| p.target.container_id.as_deref() == Some(id))
    }

    /// Targets with no container row (from the config file or env).
    pub fn unattached_probes(&self) -> impl Iterator<Item = &Probe> {
        let ids: Vec<&str> = self.containers.iter().map(|c| c.id.as_str()).collect();
        self.probes.values().filter(move |p| {
            p.target
                .container_id
                .as_deref()
                .is_none_or(|id| !ids.contains(&id))
        })
    }

    /// The probe of the open database view.
    pub fn database_probe(&self) -> Option<&Probe> {
        self.probes.get(&self.database_view()?.target_id)
    }
}
