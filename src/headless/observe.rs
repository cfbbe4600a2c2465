//! The dashboard's collectors and state without a screen: the same Docker
//! collector, probes, health checks and compose reading feed the same
//! store the screen reads, which the headless commands then read.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Local;
use tokio::sync::mpsc::{self, Receiver, Sender};
use tokio::time::Instant;

use crate::app::Store;
use crate::backend::Backend;
use crate::collect::health::Checks;
use crate::collect::probes::Probes;
use crate::command::Command;
use crate::config::Settings;
use crate::engine::{Engine, EngineId};
use crate::event::{ComposeEvent, DockerEvent, Event};
use crate::model::{ProbeStatus, ProjectLocation};
use crate::tasks::AbortOnDrop;

/// How often stats are sampled: two samples give CPU use, so soon.
const STATS_EVERY: Duration = Duration::from_millis(250);

/// A running set of collectors and the state they fill.
pub struct Observer {
    pub store: Store,
    pub settings: Settings,
    rx: Receiver<Event>,
    tx: Sender<Event>,
    probes: Probes,
    checks: Checks,
    _docker: Vec<AbortOnDrop>,
    /// What each engine said first: listed its containers (true), or
    /// could not be reached (false).
    answered: BTreeMap<EngineId, bool>,
    /// CPU use takes two samples; only `status` shows it.
    wants_cpu: bool,
    stats_samples: u32,
    loads_pending: usize,
    /// Compose projects to read once asked to (reading one runs the
    /// compose CLI: a second of CPU that `check` rarely needs).
    loads_deferred: Vec<(EngineId, ProjectLocation)>,
    loads_wanted: bool,
}

impl Observer {
    pub fn start(settings: Settings, engines: Vec<Engine>, wants_cpu: bool) -> Self {
        let (tx, rx) = mpsc::channel(256);
        let docker = engines
            .iter()
            .map(|engine| AbortOnDrop(Backend::follow(engine, tx.clone(), STATS_EVERY)))
            .collect();
        let now = Local::now().fixed_offset();
        let endpoints: Vec<_> = engines.iter().map(|e| e.target().clone()).collect();
        let mut observer = Self {
            probes: Probes::new(settings.interval),
            checks: Checks::new(settings.health.interval, settings.health.timeout),
            store: Store::new(&endpoints, now),
            settings,
            rx,
            tx,
            _docker: docker,
            answered: BTreeMap::new(),
            wants_cpu,
            stats_samples: 0,
            loads_pending: 0,
            loads_deferred: Vec::new(),
            loads_wanted: false,
        };
        let taken = observer.store.start(&observer.settings);
        for command in taken.commands {
            observer.run(command);
        }
        observer
    }

    /// Takes in events until everything answered (see `settled`) or until
    /// `deadline`; an error when the engine cannot be reached before it
    /// listed anything.
    pub async fn until(&mut self, deadline: Instant, compose: bool) -> Result<(), String> {
        if compose {
            self.read_projects();
        }
        while !self.settled(compose) {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(event)) => self.absorb(event)?,
                _ => break,
            }
        }
        Ok(())
    }

    /// Takes in the next event, or waits until `deadline` for one.
    pub async fn next(&mut self, deadline: Instant) -> Result<bool, String> {
        match tokio::time::timeout_at(deadline, self.rx.recv()).await {
            Ok(Some(event)) => self.absorb(event).map(|()| true),
            _ => Ok(false),
        }
    }

    fn absorb(&mut self, event: Event) -> Result<(), String> {
        match &event {
            Event::Docker(
                engine,
                DockerEvent::Disconnected {
                    endpoint, error, ..
                },
            ) => {
                self.answered.entry(*engine).or_insert(false);
                // Only when no engine at all can be read is it an error.
                if self.answered.len() == self.store.engines.len()
                    && !self.answered.values().any(|listed| *listed)
                {
                    return Err(format!(
                        "cannot reach the Docker engine at {endpoint}: {error}"
                    ));
                }
            }
            Event::Docker(engine, DockerEvent::Containers(_)) => {
                self.answered.insert(*engine, true);
            }
            Event::Docker(_, DockerEvent::Stats(_)) => self.stats_samples += 1,
            Event::Compose(ComposeEvent::Loaded { .. } | ComposeEvent::LoadFailed { .. }) => {
                self.loads_pending = self.loads_pending.saturating_sub(1);
            }
            _ => {}
        }
        // Only the store's events come here; nothing else is followed.
        if let Ok(taken) = self.store.take(&self.settings, event) {
            for command in taken.commands {
                self.run(command);
            }
        }
        Ok(())
    }

    /// Everything has answered once: the list, every probe and check, and
    /// (when CPU use is wanted) two samples. Reading the compose projects
    /// (which lists services not created) is waited for when `compose`.
    pub fn settled(&self, compose: bool) -> bool {
        let probes = self
            .store
            .probes
            .values()
            .all(|p| p.status != ProbeStatus::Connecting);
        let checks = self.store.checks.values().all(|c| c.result.is_some());
        let stats = !self.wants_cpu || self.stats_samples >= 2;
        let loaded = !compose || self.loads_pending == 0;
        self.listed() && stats && probes && checks && loaded
    }

    /// Brings the app's clock to now, before its state is read.
    pub fn tick(&mut self) {
        self.store.now = Local::now().fixed_offset();
    }

    /// Reads the compose projects: those asked for so far, and from now
    /// on every one asked for.
    pub fn read_projects(&mut self) {
        self.loads_wanted = true;
        for (engine, location) in std::mem::take(&mut self.loads_deferred) {
            self.loads_pending += 1;
            crate::compose::spawn_load(engine, location, self.tx.clone());
        }
    }

    /// Every engine answered, and at least one listed its containers.
    pub fn listed(&self) -> bool {
        self.answered.len() == self.store.engines.len() && self.answered.values().any(|l| *l)
    }

    /// The engines' addresses, for messages.
    pub fn endpoints(&self) -> String {
        let labels: Vec<String> = self.store.engines.iter().map(|e| e.label()).collect();
        labels.join(", ")
    }

    /// The collectors a headless command needs; actions are not run.
    fn run(&mut self, command: Command) {
        match command {
            Command::SetTargets(targets) => self.probes.set(targets, &self.tx),
            Command::SetChecks(checks) => self.checks.set(checks, &self.tx),
            Command::LoadProject { engine, location } => {
                self.loads_deferred.push((engine, location));
                if self.loads_wanted {
                    self.read_projects();
                }
            }
            _ => {}
        }
    }
}
