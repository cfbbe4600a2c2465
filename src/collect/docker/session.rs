//! One connection to the engine, from the first list until it is lost.

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use anyhow::Context as _;
use bollard::Docker;
use bollard::query_parameters::ListContainersOptionsBuilder;
use futures_util::{StreamExt, stream};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::dotenv::DotenvFiles;
use super::events::{Pending, Relevance, classify, container_events};
use super::{DockerOptions, RESYNC_EVERY};
use crate::engine::{Engine, container_from_inspect, engine_error, is_not_found, summary_matches};
use crate::event::{DockerEvent, Event};
use crate::model::{Container, ContainerState, EngineId};
use crate::tasks::{AbortOnDrop, supervise};

/// How many inspect requests are in flight at once.
const CONCURRENT_INSPECTS: usize = 8;

/// When to ask again about a container in a state the client cannot read
/// (Podman's `stopped`, between a stop and its cleanup), and how often a
/// list is tried again for the same reason.
const BETWEEN_RETRY: Duration = Duration::from_millis(300);
const LIST_TRIES: u32 = 5;

/// Why a session ended.
pub enum Stop {
    /// Nobody listens any more: the collector is done.
    Closed,
    /// The engine went away or answered with an error.
    Lost(anyhow::Error),
}

impl From<anyhow::Error> for Stop {
    fn from(error: anyhow::Error) -> Self {
        Self::Lost(error)
    }
}

/// Runs one session; also tells whether it got as far as connecting.
pub async fn follow(
    engine: &Engine,
    tx: &mpsc::Sender<Event>,
    opts: &DockerOptions,
) -> (Stop, bool) {
    let mut connected = false;
    let stop = match follow_inner(engine, tx, opts, &mut connected).await {
        Ok(never) => match never {},
        Err(stop) => stop,
    };
    (stop, connected)
}

async fn follow_inner(
    engine: &Engine,
    tx: &mpsc::Sender<Event>,
    opts: &DockerOptions,
    connected: &mut bool,
) -> Result<Infallible, Stop> {
    let docker = engine.client().await?;
    let answer = docker
        .version()
        .await
        .map_err(engine_error)
        .context("asking the engine for its version")?;
    let product = product_of(&answer).to_string();
    let version = answer.version.unwrap_or_default();
    *connected = true;
    let mut session = Session::new(engine.id(), docker, tx.clone());
    // Events from a second before the list, so none falls in between;
    // replayed ones only cost an inspect.
    let since = chrono::Utc::now().timestamp() - 1;
    // Connected only once the list was read: an engine that answers its
    // version but not the list stays down, its banner up, the last list
    // it gave kept as it was.
    session.resync().await?;
    session
        .send(DockerEvent::Connected {
            product,
            version,
            endpoint: engine.endpoint().to_string(),
        })
        .await?;
    let (running_tx, running_rx) = watch::channel(session.running_ids());
    let source = super::stats::Source {
        engine: engine.id(),
        docker: session.docker.clone(),
        cgroups: super::stats::local_cgroups(engine),
    };
    let sampler = super::stats::sample_loop(source, running_rx, opts.interval, tx.clone());
    let _stats = AbortOnDrop(supervise("stats sampler", tx.clone(), sampler));
    let events = container_events(&session.docker, since);
    let mut events = std::pin::pin!(events);
    let mut resync = tokio::time::interval_at(Instant::now() + RESYNC_EVERY, RESYNC_EVERY);
    let mut pending = Pending::default();
    loop {
        let due = pending.due();
        tokio::select! {
            () = tx.closed() => return Err(Stop::Closed),
            event = events.next() => match event {
                Some(Ok(event)) => match classify(&event) {
                    Relevance::Changed(id) => pending.add(id, Instant::now()),
                    Relevance::Removed(id) => {
                        pending.forget(&id);
                        session.remove(id).await?;
                    }
                    Relevance::Ignored => {}
                },
                Some(Err(error)) => {
                    return Err(Stop::Lost(engine_error(error).context("following engine events")));
                }
                None => return Err(anyhow::anyhow!("the engine closed its event stream").into()),
            },
            () = sleep_until_due(due), if due.is_some() => {
                for id in session.refresh(pending.take()).await? {
                    pending.add(id, Instant::now() + BETWEEN_RETRY);
                }
            }
            _ = resync.tick() => session.resync().await?,
        }
        running_tx.send_if_modified(|ids| {
            let now = session.running_ids();
            let changed = *ids != now;
            *ids = now;
            changed
        });
    }
}

/// `Podman` when Podman answers through its Docker-compatible API, else
/// `Docker`.
pub fn product_of(version: &bollard::models::SystemVersion) -> &'static str {
    let podman = version
        .components
        .iter()
        .flatten()
        .any(|c| c.name.to_lowercase().contains("podman"));
    if podman { "Podman" } else { "Docker" }
}

async fn sleep_until_due(due: Option<Instant>) {
    if let Some(due) = due {
        tokio::time::sleep_until(due).await;
    }
}

/// What the session knows: every container, by id.
struct Session {
    engine: EngineId,
    docker: Docker,
    tx: mpsc::Sender<Event>,
    known: HashMap<String, Container>,
    dotenv: DotenvFiles,
}

impl Session {
    fn new(engine: EngineId, docker: Docker, tx: mpsc::Sender<Event>) -> Self {
        Self {
            engine,
            docker,
            tx,
            known: HashMap::new(),
            dotenv: DotenvFiles::default(),
        }
    }

    async fn send(&self, event: DockerEvent) -> Result<(), Stop> {
        self.tx
            .send(Event::Docker(self.engine, event))
            .await
            .map_err(|_| Stop::Closed)
    }

    fn running_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .known
            .values()
            .filter(|c| c.state == ContainerState::Running)
            .map(|c| c.id.clone())
            .collect();
        ids.sort();
        ids
    }

    async fn remove(&mut self, id: String) -> Result<(), Stop> {
        if self.known.remove(&id).is_some() {
            self.send(DockerEvent::ContainerRemoved(id)).await?;
        }
        Ok(())
    }

    /// Inspects containers named by events and reports those that changed;
    /// returns those to ask about again, caught between two states.
    async fn refresh(&mut self, ids: Vec<String>) -> Result<Vec<String>, Stop> {
        let mut again = Vec::new();
        for (id, inspected) in self.inspect(ids).await? {
            match inspected {
                Inspected::Gone => self.remove(id).await?,
                Inspected::Between => again.push(id),
                Inspected::Found(c) if self.known.get(&id) == Some(&*c) => {}
                Inspected::Found(c) => {
                    self.known.insert(id, (*c).clone());
                    self.send(DockerEvent::ContainerChanged(c)).await?;
                }
            }
        }
        Ok(again)
    }

    /// Every container's summary; tried again a few times while one is in
    /// a state the client cannot read.
    async fn list(&self) -> anyhow::Result<Vec<bollard::models::ContainerSummary>> {
        let options = ListContainersOptionsBuilder::new().all(true).build();
        let mut tries = 1;
        loop {
            match self.docker.list_containers(Some(options.clone())).await {
                Err(e) if is_unreadable(&e) && tries < LIST_TRIES => {
                    tries += 1;
                    tokio::time::sleep(BETWEEN_RETRY).await;
                }
                listed => return listed.map_err(engine_error).context("listing containers"),
            }
        }
    }

    /// Lists every container and reports the whole list; only containers
    /// that are new or whose state or health differs are inspected.
    async fn resync(&mut self) -> Result<(), Stop> {
        let summaries = self.list().await?;
        let mut next = HashMap::with_capacity(summaries.len());
        let mut stale = Vec::new();
        for summary in summaries {
            let Some(id) = summary.id.clone() else {
                continue;
            };
            match self.known.remove(&id) {
                Some(known) if summary_matches(&summary, &known) => {
                    next.insert(id, known);
                }
                _ => stale.push(id),
            }
        }
        for (id, inspected) in self.inspect(stale).await? {
            match inspected {
                Inspected::Found(c) => {
                    next.insert(id, *c);
                }
                // Its last known state stands until the next event.
                Inspected::Between => {
                    if let Some(c) = self.known.get(&id) {
                        next.insert(id, c.clone());
                    }
                }
                Inspected::Gone => {}
            }
        }
        self.known = next;
        self.send(DockerEvent::Containers(self.sorted())).await
    }

    /// Inspects containers, each with the URLs of its project's `.env`.
    async fn inspect(&self, ids: Vec<String>) -> anyhow::Result<Vec<(String, Inspected)>> {
        let mut inspected = inspect_many(self.engine, &self.docker, ids).await?;
        let found = inspected.iter_mut().filter_map(|(_, i)| match i {
            Inspected::Found(c) => Some(&mut c.spec),
            Inspected::Gone | Inspected::Between => None,
        });
        self.dotenv.fill(found).await;
        Ok(inspected)
    }

    fn sorted(&self) -> Vec<Container> {
        let mut all: Vec<Container> = self.known.values().cloned().collect();
        all.sort_by(|a, b| {
            (&a.project, &a.service, a.number, &a.name)
                .cmp(&(&b.project, &b.service, b.number, &b.name))
        });
        all
    }
}

/// What an inspect found.
enum Inspected {
    Found(Box<Container>),
    /// Removed meanwhile.
    Gone,
    /// In a state the client cannot read (Podman's `stopped`, between a
    /// stop and its cleanup): ask again shortly.
    Between,
}

/// Whether the engine answered with JSON the client cannot read.
fn is_unreadable(error: &bollard::errors::Error) -> bool {
    matches!(
        error,
        bollard::errors::Error::JsonDataError { .. }
            | bollard::errors::Error::JsonSerdeError { .. }
    )
}

/// Inspects containers concurrently.
async fn inspect_many(
    engine: EngineId,
    docker: &Docker,
    ids: Vec<String>,
) -> anyhow::Result<Vec<(String, Inspected)>> {
    stream::iter(ids)
        .map(|id| async move {
            match docker.inspect_container(&id, None).await {
                Ok(inspect) => {
                    let container =
                        container_from_inspect(inspect).map(|c| Container { engine, ..c });
                    let found = container.map(|c| Inspected::Found(Box::new(c)));
                    Ok((id, found.unwrap_or(Inspected::Gone)))
                }
                Err(e) if is_not_found(&e) => Ok((id, Inspected::Gone)),
                Err(e) if is_unreadable(&e) => Ok((id, Inspected::Between)),
                Err(e) => Err(engine_error(e).context(format!("inspecting container {id}"))),
            }
        })
        .buffer_unordered(CONCURRENT_INSPECTS)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect()
}
