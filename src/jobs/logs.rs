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
mod resume;

use std::time::Duration;

use bollard::Docker;
use bollard::query_parameters::LogsOptionsBuilder;
use futures_util::StreamExt;
use tokio::sync::mpsc::Sender;
use tokio::task::AbortHandle;

use crate::engine::Engine;
use crate::event::{Event, LogEvent};
use crate::model::{Container, LogQuery, LogSource};
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
