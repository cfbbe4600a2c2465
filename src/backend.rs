//! The engine boundary: everything the runtime and the headless commands
//! ask of an engine of containers, as one trait.
//!
//! The app, the views and the model never see it: they deal in `Container`,
//! `Stats`, `LogLine` and the events of `event.rs`, which any engine can
//! fill. The runtime holds one `Arc<dyn Backend>` per engine followed and
//! hands each command to the engine that owns the row. The Docker Engine
//! API (Docker, and Podman through its Docker-compatible socket) is the
//! one implementation today; `docs/engines.md` shows how a Kubernetes
//! backend would fill the same methods.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::Sender;
use tokio::task::AbortHandle;

use crate::collect::docker::{self, DockerOptions};
use crate::engine::{Endpoint, Engine, EngineId};
use crate::event::Event;
use crate::jobs::{self, logs::LogsHandle};
use crate::model::{ComposeProject, LogQuery, LogSource, ResetPlan, Verb};
use crate::tasks::supervise;

/// What stacktop needs from an engine. Every method returns at once: the
/// work runs in tasks that report through `tx`.
pub trait Backend: Send + Sync {
    /// Which engine of those followed; its events and containers carry it.
    fn id(&self) -> EngineId;

    /// Its name and address, for the header and messages.
    fn endpoint(&self) -> &Endpoint;

    /// Starts following the engine: the whole list, then changes as they
    /// happen (`DockerEvent::Containers`, `ContainerChanged`,
    /// `ContainerRemoved`), resource use every `interval` (`Stats`), and
    /// `Connected` / `Disconnected` as the connection comes and goes. It
    /// reconnects by itself, until `tx` closes.
    fn follow(&self, tx: Sender<Event>, interval: Duration) -> AbortHandle;

    /// Restarts, stops or starts workload `id`; reports `Event::Done`.
    fn act(&self, verb: Verb, id: String, name: String, tx: Sender<Event>);

    /// Follows the logs of `sources` (each with its index in the view), as
    /// `query` asks (the last lines, or a time range), as `LogEvent`s tagged
    /// with `session`, until the handle is closed.
    fn logs(
        &self,
        session: u64,
        sources: Vec<(usize, LogSource)>,
        query: LogQuery,
        tx: Sender<Event>,
    ) -> LogsHandle;

    /// Sizes what a reset removes, then reports `ResetPlanned`.
    fn plan_reset(&self, plan: ResetPlan, tx: Sender<Event>);

    /// Runs a confirmed reset, reporting each step and then `Done`.
    fn reset(&self, plan: ResetPlan, tx: Sender<Event>);

    /// Brings up a declared service (or the whole project when `None`).
    fn up(&self, project: ComposeProject, service: Option<String>, tx: Sender<Event>);
}

/// The engines followed, by `EngineId`.
pub type Backends = Vec<Arc<dyn Backend>>;

/// Backends for engines reached through the Docker Engine API.
pub fn docker_backends(engines: Vec<Engine>) -> Backends {
    engines
        .into_iter()
        .map(|engine| Arc::new(engine) as Arc<dyn Backend>)
        .collect()
}

/// The Docker Engine API: Docker itself, and Podman's compatible socket.
impl Backend for Engine {
    fn id(&self) -> EngineId {
        Engine::id(self)
    }

    fn endpoint(&self) -> &Endpoint {
        self.target()
    }

    fn follow(&self, tx: Sender<Event>, interval: Duration) -> AbortHandle {
        let options = DockerOptions { interval };
        let task = format!("the collector of {}", self.target().label());
        supervise(task, tx.clone(), docker::run(self.clone(), tx, options))
    }

    fn act(&self, verb: Verb, id: String, name: String, tx: Sender<Event>) {
        jobs::spawn_verb(self.clone(), verb, id, name, tx);
    }

    fn logs(
        &self,
        session: u64,
        sources: Vec<(usize, LogSource)>,
        query: LogQuery,
        tx: Sender<Event>,
    ) -> LogsHandle {
        jobs::logs::open(self, session, sources, query, tx)
    }

    fn plan_reset(&self, plan: ResetPlan, tx: Sender<Event>) {
        jobs::reset::spawn_plan(self.clone(), plan, tx);
    }

    fn reset(&self, plan: ResetPlan, tx: Sender<Event>) {
        jobs::reset::spawn_reset(self.clone(), plan, tx);
    }

    fn up(&self, project: ComposeProject, service: Option<String>, tx: Sender<Event>) {
        jobs::reset::spawn_up(self.clone(), project, service, tx);
    }
}
