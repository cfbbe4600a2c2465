//! Spawning the app's tasks so that none can fail unseen.
//!
//! A task that panics is a bug, but the screen must not go on showing
//! figures nobody updates, nor a row "restarting…" for ever. Every task is
//! spawned here: a panic in a job ends it with an error like any failure,
//! and a panic in a collector or stream becomes [`Event::TaskFailed`].
//! (The panic hook in `tui` logs the message and keeps it off the screen.)

use std::collections::HashMap;
use std::future::Future;

use tokio::sync::mpsc::Sender;
use tokio::sync::oneshot;
use tokio::task::{AbortHandle, JoinError, JoinHandle};

use crate::event::Event;
use crate::model::{Done, Job, JobError};

/// Aborts a task when dropped, so a task's helpers end with it.
#[derive(Debug)]
pub struct AbortOnDrop(pub AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl From<JoinHandle<()>> for AbortOnDrop {
    fn from(task: JoinHandle<()>) -> Self {
        Self(task.abort_handle())
    }
}

/// Long-running tasks kept one per key (a probe per target, a check per
/// service): started for new items, stopped for those that went, and
/// restarted for those that changed. All stop on drop.
pub struct TaskSet<T> {
    running: HashMap<String, (T, AbortHandle)>,
}

impl<T> Default for TaskSet<T> {
    fn default() -> Self {
        Self {
            running: HashMap::new(),
        }
    }
}

impl<T: PartialEq> TaskSet<T> {
    /// Makes the running tasks those of `wanted`, by key; `start` starts
    /// one for a new or changed item.
    pub fn set(&mut self, wanted: Vec<(String, T)>, mut start: impl FnMut(&T) -> AbortHandle) {
        let mut wanted: HashMap<String, T> = wanted.into_iter().collect();
        self.running.retain(|key, (item, task)| {
            let keep = wanted.get(key) == Some(item);
            if keep {
                wanted.remove(key);
            } else {
                task.abort();
            }
            keep
        });
        for (key, item) in wanted {
            let task = start(&item);
            self.running.insert(key, (item, task));
        }
    }
}

impl<T> Drop for TaskSet<T> {
    fn drop(&mut self) {
        for (_, task) in self.running.values() {
            task.abort();
        }
    }
}

/// Runs a long-lived task (a collector, a stream); if it panics, tells
/// the app which task stopped. Aborting it through the handle is silent.
pub fn supervise<F>(task: impl Into<String>, tx: Sender<Event>, work: F) -> AbortHandle
where
    F: Future<Output = ()> + Send + 'static,
{
    let name = task.into();
    let running = tokio::spawn(work);
    let handle = running.abort_handle();
    tokio::spawn(async move {
        if let Err(error) = running.await
            && error.is_panic()
        {
            let error = panic_text(error);
            tracing::error!(task = %name, %error, "task stopped on a panic");
            let _ = tx.send(Event::TaskFailed { task: name, error }).await;
        }
    });
    handle
}

/// Runs a job to its end and reports [`Event::Done`], a panic included.
pub fn spawn_job<F>(job: Job, tx: Sender<Event>, work: F)
where
    F: Future<Output = Result<String, String>> + Send + 'static,
{
    tokio::spawn(async move {
        let result = to_the_end(work).await;
        if let Err(error) = &result {
            tracing::warn!(?job, %error, "job failed");
        }
        // Nobody to tell when the app is gone.
        let _ = tx.send(Event::Done(Done { job, result })).await;
    });
}

/// Runs a step of a job that reports its own success: sizing a reset's
/// volumes answers with the plan to confirm, not with `Done`. `report`
/// makes that event of `work`'s value. An error, or a panic, ends the job
/// there with an error [`Event::Done`] (`{step} failed: …`), so nothing
/// waits for an answer that never comes.
pub fn spawn_step<T, F, R>(job: Job, step: String, tx: Sender<Event>, work: F, report: R)
where
    T: Send + 'static,
    F: Future<Output = Result<T, String>> + Send + 'static,
    R: FnOnce(T) -> Event + Send + 'static,
{
    tokio::spawn(async move {
        let event = match to_the_end(work).await {
            Ok(value) => report(value),
            Err(error) => {
                tracing::warn!(?job, %step, %error, "job failed");
                let result = Err(error.map(|e| format!("{step} failed: {e}")));
                Event::Done(Done { job, result })
            }
        };
        let _ = tx.send(event).await;
    });
}

/// Runs `work` to its end and hands its output to the receiver. A panic is
/// logged and closes the receiver, so whoever waits on it is not left
/// waiting.
pub fn spawn_answer<T, F>(task: &'static str, work: F) -> oneshot::Receiver<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let (tell, answer) = oneshot::channel();
    tokio::spawn(async move {
        match tokio::spawn(work).await {
            Ok(value) => {
                let _ = tell.send(value);
            }
            Err(error) => {
                let error = panic_text(error);
                tracing::error!(task, %error, "task stopped on a panic");
            }
        }
    });
    answer
}

/// Runs a one-off task that ends in an event and sends it; a panic sends
/// `failed(message)` instead, so whoever waits for the event gets one.
pub fn spawn_event<F>(
    tx: Sender<Event>,
    failed: impl FnOnce(String) -> Event + Send + 'static,
    work: F,
) where
    F: Future<Output = Event> + Send + 'static,
{
    tokio::spawn(async move {
        let event = match tokio::spawn(work).await {
            Ok(event) => event,
            Err(error) => {
                let error = panic_text(error);
                tracing::error!(%error, "task stopped on a panic");
                failed(error)
            }
        };
        // Nobody to tell when the app is gone.
        let _ = tx.send(event).await;
    });
}

/// What `work` ended with: its own error refused, a panic crashed.
async fn to_the_end<T, F>(work: F) -> Result<T, JobError>
where
    T: Send + 'static,
    F: Future<Output = Result<T, String>> + Send + 'static,
{
    match tokio::spawn(work).await {
        Ok(result) => result.map_err(JobError::Refused),
        Err(error) => Err(JobError::Crashed(format!(
            "stopped on an internal error: {}",
            panic_text(error)
        ))),
    }
}

/// The message a task panicked with, as text.
fn panic_text(error: JoinError) -> String {
    if !error.is_panic() {
        return "cancelled".to_string();
    }
    let payload = error.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::mpsc;

    #[tokio::test]
    async fn an_answer_comes_and_a_panic_closes_the_receiver() {
        assert_eq!(spawn_answer("adds", async { 2 + 2 }).await, Ok(4));
        let panicked = spawn_answer("panics", async { panic!("boom") as u32 });
        assert!(panicked.await.is_err(), "a panic leaves nobody waiting");
    }

    #[tokio::test]
    async fn a_panicking_job_still_reports_done_with_the_message() {
        let (tx, mut rx) = mpsc::channel(4);
        let project = crate::model::ProjectKey::new(crate::model::EngineId(0), "shop");
        let verb = crate::model::ComposeVerb::Reset;
        let job = Job::Compose(crate::model::ComposeWork::new(
            project,
            verb,
            vec!["db".into()],
        ));
        spawn_job(job.clone(), tx, async { panic!("boom") });
        match rx.recv().await {
            Some(Event::Done(done)) => {
                assert_eq!(done.job, job);
                let error = done.result.unwrap_err();
                assert!(matches!(error, JobError::Crashed(_)), "{error:?}");
                assert!(error.message().contains("boom"), "{error}");
            }
            other => panic!("expected Done, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_step_reports_its_own_event_and_ends_its_job_when_it_panics() {
        let (tx, mut rx) = mpsc::channel(4);
        let project = crate::model::ProjectKey::new(crate::model::EngineId(0), "shop");
        let verb = crate::model::ComposeVerb::Reset;
        let job = Job::Compose(crate::model::ComposeWork::new(
            project,
            verb,
            vec!["db".into()],
        ));
        let step = || "counting".to_string();
        // Any event will do as the step's own answer.
        let report = |n: u32| Event::PrefsNotSaved(format!("got {n}"));
        spawn_step(job.clone(), step(), tx.clone(), async { Ok(7) }, report);
        let answer = rx.recv().await;
        assert!(
            matches!(&answer, Some(Event::PrefsNotSaved(text)) if text == "got 7"),
            "{answer:?}"
        );
        let work = async { panic!("broke") };
        spawn_step(job.clone(), step(), tx, work, report);
        match rx.recv().await {
            Some(Event::Done(done)) => {
                assert_eq!(done.job, job);
                let error = done.result.unwrap_err();
                assert_eq!(
                    error,
                    JobError::Crashed(
                        "counting failed: stopped on an internal error: broke".into()
                    )
                );
            }
            other => panic!("expected Done, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_panicking_one_off_task_still_sends_its_event() {
        let (tx, mut rx) = mpsc::channel(4);
        let failed = |error| Event::TaskFailed {
            task: "load".into(),
            error,
        };
        spawn_event(tx, failed, async { panic!("bad file") });
        match rx.recv().await {
            Some(Event::TaskFailed { error, .. }) => assert_eq!(error, "bad file"),
            other => panic!("expected the failure event, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_panicking_task_is_reported_and_an_aborted_one_is_not() {
        let (tx, mut rx) = mpsc::channel(4);
        let quiet = supervise("sleeper", tx.clone(), std::future::pending());
        quiet.abort();
        supervise("docker collector", tx, async { panic!("bad state") });
        match rx.recv().await {
            Some(Event::TaskFailed { task, error }) => {
                assert_eq!(task, "docker collector");
                assert_eq!(error, "bad state");
            }
            other => panic!("expected TaskFailed, got {other:?}"),
        }
        assert!(rx.recv().await.is_none(), "the abort is not reported");
    }

    #[tokio::test]
    async fn task_set_restarts_only_what_changed() {
        let mut set = TaskSet::default();
        let mut started = Vec::new();
        let mut start = |item: &&str| {
            started.push(item.to_string());
            tokio::spawn(std::future::pending::<()>()).abort_handle()
        };
        set.set(vec![("a".into(), "1"), ("b".into(), "1")], &mut start);
        let first_b = set.running["b"].1.clone();
        set.set(vec![("a".into(), "2"), ("b".into(), "1")], &mut start);
        tokio::task::yield_now().await;
        assert!(!first_b.is_finished(), "b did not change: kept running");
        set.set(vec![("a".into(), "2")], &mut start);
        tokio::task::yield_now().await;
        assert!(first_b.is_finished(), "b went: stopped");
        started.sort();
        assert_eq!(started, ["1", "1", "2"]);
    }
}
