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
use crate::collect::dispatch::{Collectors, Reading};
use crate::command::Command;
use crate::config::Settings;
use crate::engine::{Engine, EngineId};
use crate::event::{DockerEvent, Event};
use crate::model::ProbeStatus;
use crate::tasks::AbortOnDrop;

/// How often stats are sampled: two samples give CPU use, so soon.
const STATS_EVERY: Duration = Duration::from_millis(250);

/// A running set of collectors and the state they fill.
pub struct Observer {
    pub store: Store,
    pub settings: Settings,
    rx: Receiver<Event>,
    tx: Sender<Event>,
    /// Compose projects are read once asked to (see `read_projects`).
    collectors: Collectors,
    _docker: Vec<AbortOnDrop>,
    /// What each engine said first: listed its containers (true), or
    /// could not be reached (false).
    answered: BTreeMap<EngineId, bool>,
    /// CPU use takes two samples; only `status` shows it.
    wants_cpu: bool,
    stats_samples: u32,
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
            collectors: Collectors::new(&settings, Reading::Later),
            store: Store::new(&endpoints, now),
            settings,
            rx,
            tx,
            _docker: docker,
            answered: BTreeMap::new(),
            wants_cpu,
            stats_samples: 0,
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
            _ => {}
        }
        self.collectors.saw(&event);
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
        let loaded = !compose || self.collectors.projects_read();
        self.listed() && stats && probes && checks && loaded
    }

    /// Brings the app's clock to now, before its state is read.
    pub fn tick(&mut self) {
        self.store.now = Local::now().fixed_offset();
    }

    /// Reads the compose projects: those asked for so far, and from now
    /// on every one asked for.
    pub fn read_projects(&mut self) {
        self.collectors.read_projects(&self.tx);
    }

    /// Every compose project asked for has been read, or failed to be.
    pub fn projects_read(&self) -> bool {
        self.collectors.projects_read()
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

    /// Runs the collectors as the dashboard does. A headless command only
    /// watches: it acts on nothing, follows no logs, writes no file and
    /// has no terminal to ring or title, so the rest is not run. Each
    /// command is named, so a new one is decided on here too.
    fn run(&mut self, command: Command) {
        match command {
            Command::Collect(work) => self.collectors.run(work, &self.tx),
            Command::Act { .. }
            | Command::OpenLogs { .. }
            | Command::CloseLogs { .. }
            | Command::SaveLog { .. }
            | Command::PlanReset(_)
            | Command::Reset(_)
            | Command::Up { .. }
            | Command::SignalBackend { .. }
            | Command::PurgeQueue { .. }
            | Command::SavePrefs(_)
            | Command::Alert(_)
            | Command::SetTitle(_)
            | Command::Quit => {}
        }
    }
}
