//! Log streams for the log view.
//!
//! One task per source follows `docker logs --follow --timestamps`. When a
//! container stops, its stream ends; the task then waits for it to run
//! again, tells the view (which marks the place between the two runs) and
//! reopens from the last timestamp it saw, so a restart from anywhere keeps
//! the view following without repeating lines. When the
//! container is removed, the task follows the next container of the same
//! name (`docker rm -f x; docker run --name x …`, or compose recreating a
//! service); when the engine goes away, it says so and waits for it.

mod decode;

use std::time::Duration;

use bollard::Docker;
use bollard::query_parameters::LogsOptionsBuilder;
use futures_util::StreamExt;
use tokio::sync::mpsc::Sender;
use tokio::task::AbortHandle;

use crate::engine::{Engine, describe, is_not_found};
use crate::event::{Event, LogEvent};
use crate::model::{Container, ContainerState, LogQuery, LogSource};
use crate::tasks::supervise;

use decode::{Batch, Closed};
pub use decode::{Decoder, MAX_BATCH, MAX_BATCH_DELAY};

/// How often a stopped container is looked at, waiting for it to run.
const WAIT_POLL: Duration = Duration::from_millis(500);

/// The tasks of one log view; dropping it (or [`LogsHandle::close`]) stops
/// them all.
#[derive(Debug)]
pub struct LogsHandle {
    session: u64,
    tasks: Vec<AbortHandle>,
}

impl LogsHandle {
    pub fn session(&self) -> u64 {
        self.session
    }

    /// Stops every stream of this view.
    pub fn close(&mut self) {
        for task in self.tasks.drain(..) {
            task.abort();
        }
    }

    /// Whether every stream has stopped by itself (or was closed).
    pub fn is_finished(&self) -> bool {
        self.tasks.iter().all(AbortHandle::is_finished)
    }
}

impl Drop for LogsHandle {
    fn drop(&mut self) {
        self.close();
    }
}

/// Follows the logs of `sources` (each with its index in the view),
/// starting with what `query` asks for; lines arrive as
/// [`LogEvent::Lines`] tagged with `session`.
pub fn open(
    engine: &Engine,
    session: u64,
    sources: Vec<(usize, LogSource)>,
    query: LogQuery,
    tx: Sender<Event>,
) -> LogsHandle {
    let tasks = sources
        .into_iter()
        .map(|(index, source)| {
            let task = format!("log stream of {}", source.label);
            let follower = Follower {
                engine: engine.clone(),
                container_id: source.container_id,
                name: None,
                source: index,
                query,
                exit: None,
                batch: Batch::new(session, tx.clone()),
                session,
            };
            supervise(task, tx.clone(), follower.run())
        })
        .collect();
    LogsHandle { session, tasks }
}

/// How one opening of the stream ended.
enum StreamEnd {
    /// The engine closed it: the container stopped.
    Ended,
    Failed(bollard::errors::Error),
}

/// What the view was last told about why the stream is not running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Told {
    Nothing,
    Removed,
    EngineAway,
}

/// Follows the log of one source across restarts of its container, its
/// replacement by a container of the same name, and engine outages.
struct Follower {
    engine: Engine,
    container_id: String,
    /// The container's name, once an inspect has told it.
    name: Option<String>,
    source: usize,
    query: LogQuery,
    /// How the last run ended, when the engine said.
    exit: Option<i64>,
    session: u64,
    batch: Batch,
}

/// A container running again after its stream ended.
struct Resumed {
    started: Option<chrono::DateTime<chrono::Utc>>,
    /// A new container of the same name, not the same one restarted.
    recreated: bool,
}

impl Follower {
    async fn run(mut self) {
        // `Closed` only means nobody listens any more: nothing to report.
        let _ = self.follow().await;
    }

    async fn follow(&mut self) -> Result<(), Closed> {
        let docker = match self.engine.client().await {
            Ok(docker) => docker,
            Err(error) => return self.failed(format!("{error:#}")).await,
        };
        let mut decoder = Decoder::new(self.source);
        let mut first = true;
        loop {
            let opened = self.inspect(&docker).await.ok().flatten();
            if let Some(container) = &opened {
                self.name = Some(container.name.clone());
            }
            let end = self.stream(&docker, &mut decoder, first).await?;
            first = false;
            let told = self.report_end(&docker, end).await?;
            let started = opened.and_then(|c| c.started_at);
            let Some(resumed) = self.wait_for_run(&docker, started, told).await? else {
                return Ok(());
            };
            self.restarted(resumed).await?;
            decoder.restart();
        }
    }

    /// Tells the view the container runs again, and how the last run ended.
    async fn restarted(&mut self, resumed: Resumed) -> Result<(), Closed> {
        let event = LogEvent::Restarted {
            session: self.session,
            source: self.source,
            at: resumed.started,
            exit: self.exit.take(),
            recreated: resumed.recreated,
        };
        self.batch.send(event).await
    }

    /// The exit code of the run that just ended, if the engine still has it.
    async fn last_exit(&self, docker: &Docker, now: Option<&Container>) -> Option<i64> {
        match now.map(|c| &c.state) {
            Some(ContainerState::Exited { code }) => Some(*code),
            // Waiting to be restarted by its policy: the code is kept.
            Some(ContainerState::Restarting) => {
                let inspect = docker.inspect_container(&self.container_id, None).await;
                inspect.ok()?.state?.exit_code
            }
            _ => None,
        }
    }

    /// Tells the view how the stream ended.
    async fn report_end(&mut self, docker: &Docker, end: StreamEnd) -> Result<Told, Closed> {
        match end {
            StreamEnd::Failed(error) if is_not_found(&error) => {
                self.ended(REMOVED.to_string()).await?;
                Ok(Told::Removed)
            }
            StreamEnd::Failed(error) => {
                self.failed(describe(&error)).await?;
                Ok(Told::Nothing)
            }
            // The engine closes every stream as it shuts down: ask it why
            // this one ended, and say so if it no longer answers.
            StreamEnd::Ended => match self.inspect(docker).await {
                Ok(now) => {
                    self.exit = self.last_exit(docker, now.as_ref()).await;
                    self.ended(ended_reason(now.as_ref())).await?;
                    Ok(Told::Nothing)
                }
                Err(error) if is_not_found(&error) => {
                    self.ended(REMOVED.to_string()).await?;
                    Ok(Told::Removed)
                }
                Err(error) => {
                    self.ended(engine_away(&error)).await?;
                    Ok(Told::EngineAway)
                }
            },
        }
    }

    /// Streams until the engine closes the stream, in batches.
    async fn stream(
        &mut self,
        docker: &Docker,
        decoder: &mut Decoder,
        first: bool,
    ) -> Result<StreamEnd, Closed> {
        let mut options = LogsOptionsBuilder::new()
            .follow(true)
            .stdout(true)
            .stderr(true)
            .timestamps(true);
        // Whole seconds only: the decoder drops the lines seen again.
        let since = |t: chrono::DateTime<chrono::Utc>| i32::try_from(t.timestamp()).unwrap_or(0);
        options = match decoder.last_timestamp() {
            Some(last) if !first => options.tail("all").since(since(last)),
            _ if first => {
                let options = options.tail(&self.query.tail.to_string());
                match self.query.since {
                    Some(from) => options.since(since(from)),
                    None => options,
                }
            }
            _ => options.tail("all"),
        };
        let stream = docker.logs(&self.container_id, Some(options.build()));
        let mut stream = std::pin::pin!(stream);
        loop {
            let due = self.batch.due();
            tokio::select! {
                biased;
                () = sleep_until_due(due), if due.is_some() => self.batch.flush().await?,
                item = stream.next() => match item {
                    Some(Ok(output)) => {
                        decoder.push(&output, &mut self.batch.lines);
                        self.batch.added().await?;
                    }
                    Some(Err(error)) => {
                        decoder.finish(&mut self.batch.lines);
                        self.batch.flush().await?;
                        return Ok(StreamEnd::Failed(error));
                    }
                    None => {
                        decoder.finish(&mut self.batch.lines);
                        self.batch.flush().await?;
                        return Ok(StreamEnd::Ended);
                    }
                },
            }
        }
    }

    /// Waits until the container runs again (or ran since `started`), or
    /// until a new container of the same name has run; `None` when the
    /// container was removed before its name was known.
    async fn wait_for_run(
        &mut self,
        docker: &Docker,
        started: Option<chrono::DateTime<chrono::Utc>>,
        mut told: Told,
    ) -> Result<Option<Resumed>, Closed> {
        loop {
            tokio::time::sleep(WAIT_POLL).await;
            match self.inspect(docker).await {
                Ok(now) => {
                    let Some(now) = now else {
                        continue;
                    };
                    let runs = now.state == ContainerState::Running || now.started_at != started;
                    if told == Told::EngineAway {
                        // The engine is back: replace the outage notice.
                        let reason = if runs {
                            "Docker engine back; following again".to_string()
                        } else {
                            ended_reason(Some(&now))
                        };
                        self.ended(reason).await?;
                        told = Told::Nothing;
                    }
                    if runs {
                        return Ok(Some(Resumed {
                            started: now.started_at,
                            recreated: false,
                        }));
                    }
                }
                Err(error) if is_not_found(&error) => {
                    if told != Told::Removed {
                        self.ended(REMOVED.to_string()).await?;
                        told = Told::Removed;
                    }
                    let Some(name) = self.name.clone() else {
                        return Ok(None);
                    };
                    if let Some(started) = self.follow_successor(docker, &name).await? {
                        return Ok(Some(Resumed {
                            started,
                            recreated: true,
                        }));
                    }
                }
                // The engine may be restarting: say so once, keep waiting.
                Err(error) => {
                    tracing::debug!(%error, "waiting for a container to run");
                    if told != Told::EngineAway {
                        self.ended(engine_away(&error)).await?;
                        told = Told::EngineAway;
                    }
                }
            }
        }
    }

    /// Switches to the container now named `name`, if it is another one
    /// that has run; tells the view. Gives the new one's start, if known.
    async fn follow_successor(
        &mut self,
        docker: &Docker,
        name: &str,
    ) -> Result<Option<Option<chrono::DateTime<chrono::Utc>>>, Closed> {
        let Ok(Some(next)) = self.engine.inspect(docker, name).await else {
            return Ok(None);
        };
        let has_run = next.state == ContainerState::Running || next.started_at.is_some();
        if next.id == self.container_id || !has_run {
            return Ok(None);
        }
        self.container_id = next.id;
        self.ended(format!("{REMOVED}; following the new {name}"))
            .await?;
        Ok(Some(next.started_at))
    }

    async fn inspect(&self, docker: &Docker) -> Result<Option<Container>, bollard::errors::Error> {
        self.engine.inspect(docker, &self.container_id).await
    }

    async fn ended(&mut self, reason: String) -> Result<(), Closed> {
        let event = LogEvent::Ended {
            session: self.session,
            source: self.source,
            reason,
        };
        self.batch.send(event).await
    }

    async fn failed(&mut self, error: String) -> Result<(), Closed> {
        let event = LogEvent::Failed {
            session: self.session,
            source: self.source,
            error,
        };
        self.batch.send(event).await
    }
}

async fn sleep_until_due(due: Option<tokio::time::Instant>) {
    if let Some(due) = due {
        tokio::time::sleep_until(due).await;
    }
}

const REMOVED: &str = "container removed";

/// The notice while the engine does not answer.
fn engine_away(error: &bollard::errors::Error) -> String {
    format!("Docker engine unreachable: {}", describe(error))
}

/// Why a stream ended, from the container's state just after.
fn ended_reason(container: Option<&Container>) -> String {
    match container.map(|c| &c.state) {
        None => REMOVED.to_string(),
        Some(ContainerState::Exited { code }) => format!("container exited with code {code}"),
        Some(ContainerState::Running | ContainerState::Restarting) => {
            "container restarted".to_string()
        }
        Some(_) => "container stopped".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ended_reason_tells_exit_code_and_restarts() {
        let mut container = Container {
            id: "c".into(),
            name: "c".into(),
            project: None,
            service: None,
            number: None,
            image: String::new(),
            state: ContainerState::Exited { code: 3 },
            health: Default::default(),
            started_at: None,
            finished_at: None,
            restart_count: 0,
            ports: Vec::new(),
            tty: false,
            spec: Default::default(),
        };
        assert_eq!(
            ended_reason(Some(&container)),
            "container exited with code 3"
        );
        container.state = ContainerState::Restarting;
        assert_eq!(ended_reason(Some(&container)), "container restarted");
        container.state = ContainerState::Paused;
        assert_eq!(ended_reason(Some(&container)), "container stopped");
        assert_eq!(ended_reason(None), "container removed");
    }
}
