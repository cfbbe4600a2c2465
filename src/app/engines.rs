//! The engines the app follows: what each collector last said, and the
//! containers and figures each one reports, kept apart from the others'.

use std::collections::HashSet;

use super::Store;
use super::store::Touched;
use crate::engine::endpoint::{DEFAULT_CONTEXT, Endpoint};
use crate::engine::reach::Attempt;
use crate::event::DockerEvent;
use crate::model::{Container, EngineId, Stats};

/// Connection to an engine, as last reported by its collector.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineStatus {
    Connecting,
    /// `product` is `Docker` or `Podman`.
    Up {
        product: String,
        version: String,
    },
    Down {
        error: String,
        retry_in_ms: u64,
    },
}

/// An engine the app follows, and what its collector last said.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineState {
    /// The context's name; `default` outside contexts.
    pub name: String,
    pub endpoint: String,
    /// Where its published ports are reached (`127.0.0.1` when local).
    pub ports_host: String,
    pub status: EngineStatus,
    /// When it was found by searching: why each other socket is no
    /// alternative, for the banner when it goes away.
    pub others: Vec<Attempt>,
    /// Whether its collector sent its container list once.
    pub listed: bool,
}

impl EngineState {
    pub fn new(endpoint: &Endpoint) -> Self {
        Self {
            name: endpoint.name.clone(),
            endpoint: endpoint.host.clone(),
            ports_host: endpoint.ports_host(),
            status: EngineStatus::Connecting,
            others: Vec::new(),
            listed: false,
        }
    }

    /// `desktop-linux · unix:///…`, or the address alone outside contexts.
    pub fn label(&self) -> String {
        if self.name == DEFAULT_CONTEXT {
            self.endpoint.clone()
        } else {
            format!("{} · {}", self.name, self.endpoint)
        }
    }

    /// Whether the engine runs on this machine, so that its projects'
    /// compose files and `.env`s are here to read. Over `ssh://`, or
    /// `tcp://` to another host, they are on the engine's host.
    pub fn is_local(&self) -> bool {
        if self.endpoint.starts_with("ssh://") {
            return false;
        }
        let Some((_, rest)) = self.endpoint.split_once("://") else {
            return true;
        };
        if !["tcp", "http", "https"]
            .iter()
            .any(|s| self.endpoint.starts_with(s))
        {
            return true;
        }
        let host = rest.split(['/', '?']).next().unwrap_or_default();
        let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
        crate::discover::is_loopback(host)
    }

    pub fn is_up(&self) -> bool {
        matches!(self.status, EngineStatus::Up { .. })
    }
}

/// What an engine's report changed in the store.
#[derive(Debug)]
pub(super) enum Changed {
    /// The engine's connection only.
    Engine,
    /// Containers came, went or changed.
    Containers(Touched),
    /// New figures.
    Stats,
}

impl Store {
    /// Takes in what engine `engine`'s collector says; `None` when no
    /// such engine is followed.
    pub(super) fn on_docker(&mut self, engine: EngineId, event: DockerEvent) -> Option<Changed> {
        let state = self.engines.get_mut(engine.index())?;
        match event {
            DockerEvent::Connected {
                product,
                version,
                endpoint,
            } => {
                state.status = EngineStatus::Up { product, version };
                state.endpoint = endpoint;
            }
            DockerEvent::Disconnected {
                endpoint,
                error,
                retry_in,
                others,
            } => {
                state.endpoint = endpoint;
                state.others = others;
                state.status = EngineStatus::Down {
                    error,
                    retry_in_ms: retry_in.as_millis() as u64,
                };
            }
            DockerEvent::Containers(all) => {
                state.listed = true;
                self.relist(engine, all);
                let index = &self.index;
                self.stats.retain(|id, _| index.contains_key(id));
                self.trends.retain(|id| index.contains_key(id));
                return Some(Changed::Containers(Touched::All));
            }
            DockerEvent::ContainerChanged(changed) => {
                let changed = Container { engine, ..*changed };
                let id = changed.id.clone();
                let before = self.put(changed).map(Box::new);
                return Some(Changed::Containers(Touched::One { id, before }));
            }
            DockerEvent::ContainerRemoved(id) => {
                self.stats.remove(&id);
                self.trends.remove(&id);
                return self
                    .take_out(&id)
                    .map(|gone| Changed::Containers(Touched::Gone(Box::new(gone))));
            }
            DockerEvent::Stats(stats) => {
                self.take_stats(engine, stats);
                return Some(Changed::Stats);
            }
        }
        Some(Changed::Engine)
    }

    fn take_stats(&mut self, engine: EngineId, stats: Vec<(String, Stats)>) {
        for (id, figures) in &stats {
            self.trends.record(id, figures);
        }
        if self.engines.len() > 1 {
            let theirs: HashSet<&str> = self
                .containers
                .iter()
                .filter(|c| c.engine == engine)
                .map(|c| c.id.as_str())
                .collect();
            self.stats.retain(|id, _| !theirs.contains(id.as_str()));
            self.stats.extend(stats);
        } else {
            self.stats = stats.into_iter().collect();
        }
        self.last_update = Some(self.now);
    }
}
