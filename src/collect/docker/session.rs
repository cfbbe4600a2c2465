//! One connection to the engine, from the first list until it is lost.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::hash::{Hash, Hasher};
use std::time::Duration;

use anyhow::Context as _;
use bollard::Docker;
use futures_util::{StreamExt, stream};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::dotenv::DotenvFiles;
use super::events::{Pending, Relevance, classify, container_events};
use super::{DockerOptions, RESYNC_EVERY};
use crate::engine::{
    Engine, ListError, container_from_inspect, container_from_summary, engine_error, is_not_found,
    is_unreadable,
};
use crate::event::{DockerEvent, Event};
use crate::model::{Container, ContainerState, EngineId, Health};
use crate::tasks::{AbortOnDrop, supervise};

/// How many inspect requests are in flight at once.
const CONCURRENT_INSPECTS: usize = 8;

/// Containers inspected before the first list is sent (every container of
/// a usual stack); with more, the list is sent with the details of these
/// first, and the others' follow this many at a time, the engine's events
/// read between two batches.
const DETAILS_BATCH: usize = 500;

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
    let mut session = Session::new(engine.clone(), docker, tx.clone());
    // Events from a second before the list, so none falls in between;
    // replayed ones only cost an inspect.
    let since = chrono::Utc::now().timestamp() - 1;
    let mut pending = Pending::default();
    // Connected only once the list was read: an engine that answers its
    // version but not the list stays down, its banner up, the last list
    // it gave kept as it was.
    session.first_list(&mut pending).await?;
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
                for id in session.refresh(pending.take(DETAILS_BATCH)).await? {
                    pending.add(id, Instant::now() + BETWEEN_RETRY);
                }
            }
            _ = resync.tick() => session.resync(&mut pending).await?,
        }
        if std::mem::take(&mut session.running_changed) {
            running_tx.send_replace(session.running_ids());
        }
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
    engine: Engine,
    docker: Docker,
    tx: mpsc::Sender<Event>,
    /// What was last reported of each container.
    known: HashMap<String, Known>,
    /// Whether a container started or stopped running, or came or went,
    /// since the stats sampler was last told.
    running_changed: bool,
    dotenv: DotenvFiles,
}

impl Session {
    fn new(engine: Engine, docker: Docker, tx: mpsc::Sender<Event>) -> Self {
        Self {
            engine,
            docker,
            tx,
            known: HashMap::new(),
            running_changed: true,
            dotenv: DotenvFiles::default(),
        }
    }

    async fn send(&self, event: DockerEvent) -> Result<(), Stop> {
        self.tx
            .send(Event::Docker(self.engine.id(), event))
            .await
            .map_err(|_| Stop::Closed)
    }

    fn running_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .known
            .iter()
            .filter(|(_, k)| k.state == ContainerState::Running)
            .map(|(id, _)| id.clone())
            .collect();
        ids.sort();
        ids
    }

    /// Keeps what was reported of a container.
    fn note(&mut self, id: String, known: Known) {
        let running = known.state == ContainerState::Running;
        let before = self.known.insert(id, known);
        self.running_changed |=
            before.is_none_or(|k| (k.state == ContainerState::Running) != running);
    }

    async fn remove(&mut self, id: String) -> Result<(), Stop> {
        if let Some(known) = self.known.remove(&id) {
            self.running_changed |= known.state == ContainerState::Running;
            self.send(DockerEvent::ContainerRemoved(id)).await?;
        }
        Ok(())
    }

    /// Inspects containers named by events (or listed without their
    /// details) and reports those that changed; returns those to ask
    /// about again, caught between two states.
    async fn refresh(&mut self, ids: Vec<String>) -> Result<Vec<String>, Stop> {
        let mut again = Vec::new();
        for (id, inspected) in self.inspect(ids).await? {
            match inspected {
                Inspected::Gone => self.remove(id).await?,
                Inspected::Between => again.push(id),
                Inspected::Found(c) => {
                    let known = Known::of(&c);
                    if self.known.get(&id) != Some(&known) {
                        self.note(id, known);
                        self.send(DockerEvent::ContainerChanged(c)).await?;
                    }
                }
            }
        }
        Ok(again)
    }

    /// Every container's list entry, in list order (project, service,
    /// number); tried again a few times while one is in a state the
    /// client cannot read.
    async fn list(&self) -> anyhow::Result<Vec<Container>> {
        let engine = self.engine.id();
        let mut tries = 1;
        loop {
            let mut listed = Vec::new();
            let read = self.engine.list_each(&self.docker, |summary| {
                let container = container_from_summary(summary);
                listed.extend(container.map(|c| Container { engine, ..c }));
            });
            match read.await {
                Ok(()) => {
                    // Names are unique, so an unstable sort orders alike;
                    // it needs no copy of half the list, as a stable one
                    // does. A list grown by doubling gives back its slack.
                    listed.sort_unstable_by(|a, b| {
                        (&a.project, &a.service, a.number, &a.name)
                            .cmp(&(&b.project, &b.service, b.number, &b.name))
                    });
                    listed.shrink_to_fit();
                    return Ok(listed);
                }
                Err(ListError::Unreadable(_)) if tries < LIST_TRIES => {
                    tries += 1;
                    tokio::time::sleep(BETWEEN_RETRY).await;
                }
                Err(ListError::Unreadable(e)) => {
                    return Err(anyhow::anyhow!(e).context("listing containers"));
                }
                Err(ListError::Failed(e)) => return Err(e.context("listing containers")),
            }
        }
    }

    /// Reports the whole list once, with the details of its first
    /// [`DETAILS_BATCH`] containers (a whole usual stack); the others are
    /// left to `pending`, and reported as their details come.
    async fn first_list(&mut self, pending: &mut Pending) -> Result<(), Stop> {
        let mut listed = self.list().await?;
        let first = listed.iter().take(DETAILS_BATCH).map(|c| c.id.clone());
        let mut details: HashMap<String, Inspected> =
            self.inspect(first.collect()).await?.into_iter().collect();
        let now = Instant::now();
        listed.retain_mut(|c| match details.remove(&c.id) {
            Some(Inspected::Found(found)) => {
                *c = *found;
                true
            }
            Some(Inspected::Gone) => false,
            Some(Inspected::Between) | None => {
                pending.add(c.id.clone(), now);
                true
            }
        });
        for c in &listed {
            self.note(c.id.clone(), Known::of(c));
        }
        self.send(DockerEvent::Containers(listed)).await
    }

    /// Lists every container again, in case an event was missed: those
    /// gone are reported, those new or whose state or health differs are
    /// left to `pending` to inspect.
    async fn resync(&mut self, pending: &mut Pending) -> Result<(), Stop> {
        let listed = self.list().await?;
        let now = Instant::now();
        let mut present = HashSet::with_capacity(listed.len());
        for c in listed {
            if !self.known.get(&c.id).is_some_and(|k| k.lists_as(&c)) {
                pending.add(c.id.clone(), now);
            }
            present.insert(c.id);
        }
        let gone: Vec<String> = self
            .known
            .keys()
            .filter(|id| !present.contains(*id))
            .cloned()
            .collect();
        for id in gone {
            pending.forget(&id);
            self.remove(id).await?;
        }
        Ok(())
    }

    /// Inspects containers, each with the URLs of its project's `.env`.
    async fn inspect(&self, ids: Vec<String>) -> anyhow::Result<Vec<(String, Inspected)>> {
        let mut inspected = inspect_many(self.engine.id(), &self.docker, ids).await?;
        let found = inspected.iter_mut().filter_map(|(_, i)| match i {
            Inspected::Found(c) => Some(&mut c.spec),
            Inspected::Gone | Inspected::Between => None,
        });
        self.dotenv.fill(found).await;
        Ok(inspected)
    }
}

/// What was last reported of a container: enough to tell whether an
/// inspect or a list entry says something new, without a copy of it.
#[derive(Debug, PartialEq)]
struct Known {
    state: ContainerState,
    health: Health,
    /// A digest of the whole container; `None` while only its list entry
    /// was reported.
    digest: Option<u64>,
}

impl Known {
    fn of(c: &Container) -> Self {
        let digest = (!c.spec.listed_only).then(|| {
            let mut hasher = std::hash::DefaultHasher::new();
            c.hash(&mut hasher);
            hasher.finish()
        });
        Self {
            state: c.state.clone(),
            health: c.health,
            digest,
        }
    }

    /// Whether a list entry agrees with what was reported, so a resync
    /// need not inspect it.
    fn lists_as(&self, listed: &Container) -> bool {
        self.state.name() == listed.state.name() && self.health == listed.health
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
