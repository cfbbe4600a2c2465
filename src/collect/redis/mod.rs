//! The Redis probe: one connection per target, polled every interval.
//!
//! Reports `ProbeEvent::Status` on each change of state and a
//! `ProbeEvent::Snapshot` after each poll; no figures while the
//! connection is down.

mod clients;
mod failure;
mod info;
mod rates;
mod session;
mod slowlog;

use std::time::Duration;

use tokio::sync::mpsc::Sender;

use crate::event::{Event, ProbeEvent};
use crate::model::{ProbeStatus, Snapshot, Target};

use crate::backoff::Backoff;
use failure::{AUTH_RETRY, Failure, Kind};
use session::Session;

/// Probes `target` every `interval` until `tx` closes or the task is aborted.
pub async fn run(target: Target, interval: Duration, tx: Sender<Event>) {
    let mut probe = Probe {
        target,
        tx,
        status: None,
    };
    probe.run(interval).await;
}

struct Probe {
    target: Target,
    tx: Sender<Event>,
    /// The status last sent.
    status: Option<ProbeStatus>,
}

impl Probe {
    async fn run(&mut self, interval: Duration) {
        let masked = self.target.display_url();
        let client = match redis::Client::open(self.target.url.as_str()) {
            Ok(client) => client,
            Err(e) => {
                // Neither the URL nor the parser's message (which may quote
                // it) is shown: only the masked form.
                let kind = e.kind();
                let error = format!("invalid Redis URL {masked} ({kind:?})");
                self.set_status(ProbeStatus::AuthFailed { error }).await;
                self.tx.closed().await;
                return;
            }
        };
        let mut backoff = Backoff::default();
        self.set_status(ProbeStatus::Connecting).await;
        while !self.tx.is_closed() {
            let failure = match Session::open(&client, &masked).await {
                Ok(mut session) => {
                    backoff.reset();
                    match self.poll_until_failure(&mut session, interval).await {
                        Some(failure) => failure,
                        None => return,
                    }
                }
                Err(f) => f,
            };
            let wait = self.report(failure, &mut backoff, interval).await;
            self.sleep(wait).await;
        }
    }

    /// Polls every `interval` until a poll fails; `None` when `tx` closed.
    async fn poll_until_failure(
        &mut self,
        session: &mut Session,
        interval: Duration,
    ) -> Option<Failure> {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let snapshot = match session.poll().await {
                Ok(snapshot) => snapshot,
                // Still loading: keep the connection, no figures yet.
                Err(f) if f.kind == Kind::Loading => {
                    self.set_status(ProbeStatus::Starting).await;
                    continue;
                }
                Err(f) => return Some(f),
            };
            self.set_status(ProbeStatus::Live).await;
            let event = ProbeEvent::Snapshot {
                target_id: self.target.id.clone(),
                snapshot: Box::new(Snapshot::Redis(snapshot)),
            };
            self.tx.send(Event::Probe(event)).await.ok()?;
        }
    }

    /// Sends the status a failure means; returns how long to wait before
    /// the next attempt.
    async fn report(
        &mut self,
        failure: Failure,
        backoff: &mut Backoff,
        interval: Duration,
    ) -> Duration {
        let (status, wait) = match failure.kind {
            Kind::Auth => {
                let error = format!(
                    "authentication failed for {}: {}",
                    self.target.display_url(),
                    failure.message
                );
                (ProbeStatus::AuthFailed { error }, AUTH_RETRY)
            }
            Kind::Loading => (ProbeStatus::Starting, interval),
            Kind::NoPerm | Kind::Other => {
                let wait = backoff.next_delay();
                let status = ProbeStatus::Reconnecting {
                    error: failure.message,
                    retry_in_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                };
                (status, wait)
            }
        };
        self.set_status(status).await;
        wait
    }

    async fn set_status(&mut self, status: ProbeStatus) {
        if self.status.as_ref() == Some(&status) {
            return;
        }
        self.status = Some(status.clone());
        let event = ProbeEvent::Status {
            target_id: self.target.id.clone(),
            status,
        };
        // A closed channel ends the probe at its next check.
        let _ = self.tx.send(Event::Probe(event)).await;
    }

    /// Sleeps, waking early when the receiver goes away.
    async fn sleep(&self, wait: Duration) {
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = self.tx.closed() => {}
        }
    }
}
