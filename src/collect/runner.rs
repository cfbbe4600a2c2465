//! The one lifecycle of every probe. A kind (PostgreSQL, Redis, an HTTP
//! API) supplies `connect` and `poll`; the runner owns the rest, the same for
//! all of them: connecting, live, starting, reconnecting with backoff (500 ms
//! doubling to 5 s), and refused credentials retried after [`AUTH_RETRY`].
//! It reports a status only when it changes, and a snapshot after each poll.

use std::future::Future;
use std::time::Duration;

use tokio::sync::mpsc::Sender;
use tokio::time::MissedTickBehavior;

use crate::backoff::Backoff;
use crate::event::{Event, ProbeEvent};
use crate::model::{AUTH_RETRY, ProbeStatus, Snapshot, Target};

/// Longest wait for one answer: a connect, a request, a poll's queries. A
/// slow server only delays its own probe.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(5);

/// What a failure means for the probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    /// The server is starting or shutting down (a restart): retry soon.
    Starting,
    /// Wrong credentials, or a URL that cannot work: retry after
    /// [`AUTH_RETRY`].
    Rejected,
    /// Anything else (refused, reset, timed out): retry with backoff.
    Lost,
}

/// A failed connect or poll: what it means and one line for the screen,
/// with no password in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub trouble: Trouble,
    pub message: String,
}

impl Failure {
    pub fn new(trouble: Trouble, message: impl Into<String>) -> Self {
        Self {
            trouble,
            message: message.into(),
        }
    }

    pub fn lost(message: impl Into<String>) -> Self {
        Self::new(Trouble::Lost, message)
    }
}

/// What one poll read.
pub enum Reading {
    /// Boxed: a snapshot is large, and the event carries it boxed.
    Figures(Box<Snapshot>),
    /// The server answers but is still loading its data: no figures yet,
    /// and the connection is kept.
    Loading,
}

/// One kind's way of reaching its target and reading it.
pub trait Probe: Send {
    /// What one connection keeps between polls.
    type Session: Send;

    fn connect(&mut self) -> impl Future<Output = Result<Self::Session, Failure>> + Send;

    fn poll(
        &mut self,
        session: &mut Self::Session,
    ) -> impl Future<Output = Result<Reading, Failure>> + Send;
}

/// Probes `target` with `probe` every `interval` until `tx` closes or the
/// task is aborted.
pub async fn run(target: &Target, interval: Duration, tx: Sender<Event>, mut probe: impl Probe) {
    let mut report = Reporter::new(target, tx);
    let mut backoff = Backoff::default();
    if !report.status(ProbeStatus::Connecting).await {
        return;
    }
    loop {
        let Some(failure) = session(&mut probe, interval, &mut report, &mut backoff).await else {
            return;
        };
        let (status, wait) = retry(failure, &mut backoff);
        tracing::debug!(target = %target.name, ?status, "probe not live");
        if !report.status(status).await {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = report.closed() => return,
        }
    }
}

/// Connects and polls until something fails: the failure, or `None` when
/// nobody listens any more.
async fn session<P: Probe>(
    probe: &mut P,
    interval: Duration,
    report: &mut Reporter,
    backoff: &mut Backoff,
) -> Option<Failure> {
    let mut session = match probe.connect().await {
        Ok(session) => session,
        Err(failure) => return Some(failure),
    };
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let sent = match probe.poll(&mut session).await {
            Ok(Reading::Figures(snapshot)) => {
                backoff.reset();
                report.status(ProbeStatus::Live).await && report.snapshot(snapshot).await
            }
            Ok(Reading::Loading) => report.status(ProbeStatus::Starting).await,
            Err(failure) => return Some(failure),
        };
        if !sent {
            return None;
        }
    }
}

/// The status to show after `failure`, and how long to wait before trying
/// again.
fn retry(failure: Failure, backoff: &mut Backoff) -> (ProbeStatus, Duration) {
    match failure.trouble {
        Trouble::Starting => (ProbeStatus::Starting, backoff.next_delay()),
        Trouble::Rejected => (
            ProbeStatus::AuthFailed {
                error: failure.message,
            },
            AUTH_RETRY,
        ),
        Trouble::Lost => {
            let wait = backoff.next_delay();
            let status = ProbeStatus::Reconnecting {
                error: failure.message,
                retry_in_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            };
            (status, wait)
        }
    }
}

/// Sends a target's events; a status only when it changed.
struct Reporter {
    target_id: String,
    tx: Sender<Event>,
    last: Option<ProbeStatus>,
}

impl Reporter {
    fn new(target: &Target, tx: Sender<Event>) -> Self {
        Self {
            target_id: target.id.clone(),
            tx,
            last: None,
        }
    }

    /// False when the receiver is gone.
    async fn status(&mut self, status: ProbeStatus) -> bool {
        if self.last.as_ref() == Some(&status) {
            return true;
        }
        self.last = Some(status.clone());
        let event = ProbeEvent::Status {
            target_id: self.target_id.clone(),
            status,
        };
        self.tx.send(Event::Probe(event)).await.is_ok()
    }

    /// False when the receiver is gone.
    async fn snapshot(&self, snapshot: Box<Snapshot>) -> bool {
        let event = ProbeEvent::Snapshot {
            target_id: self.target_id.clone(),
            snapshot,
        };
        self.tx.send(Event::Probe(event)).await.is_ok()
    }

    /// Resolves when the receiver is gone.
    async fn closed(&self) {
        self.tx.closed().await;
    }
}

#[cfg(test)]
mod tests;
