//! The PostgreSQL probe: one connection per target, polled every interval.
//!
//! The probe owns its reconnects: a lost server is retried with backoff
//! (500 ms doubling to 5 s), a starting one shows as `Starting`, and wrong
//! credentials are retried once a minute, never in a storm. Its own sessions
//! are named `stacktop` and left out of every figure.

mod connect;
mod deltas;
mod notes;
mod poll;
mod queries;
mod sessions;

use std::future::Future;
use std::time::Duration;

use tokio::sync::mpsc::Sender;
use tokio::sync::oneshot;
use tokio::time::MissedTickBehavior;

pub use connect::{APPLICATION_NAME, Failure, FailureKind, connect, describe};
pub use queries::MARK;

use super::report::Reporter;
use crate::backoff::Backoff;
use crate::event::Event;
use crate::model::{ProbeStatus, Snapshot, Target};
use poll::Poller;

/// Longest a poll (all its queries) may take before the connection is
/// dropped and made anew: a slow server only delays its own probe.
pub const POLL_TIMEOUT: Duration = Duration::from_secs(5);
/// Wait after wrong credentials before trying again.
pub const AUTH_RETRY: Duration = Duration::from_secs(60);

/// Probes `target` every `interval` until `tx` closes or the task is aborted.
pub async fn run(target: Target, interval: Duration, tx: Sender<Event>) {
    let mut report = Reporter::new(&target, tx);
    let mut backoff = Backoff::default();
    if !report.status(ProbeStatus::Connecting).await {
        return;
    }
    loop {
        let (failure, was_live) = match session(&target, interval, &mut report).await {
            Some(ended) => ended,
            None => return,
        };
        if was_live {
            backoff.reset();
        }
        let failure = Failure {
            message: format!("{}: {}", target.display_url(), failure.message),
            ..failure
        };
        let (status, wait) = retry(&failure, &mut backoff);
        tracing::debug!(target = %target.name, ?status, "postgres probe not live");
        if !report.status(status).await {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = report.closed() => return,
        }
    }
}

/// Connects and polls until something fails: returns the failure and whether
/// the probe had been live, or `None` when nobody listens any more.
async fn session(
    target: &Target,
    interval: Duration,
    report: &mut Reporter,
) -> Option<(Failure, bool)> {
    let mut conn = match connect(target).await {
        Ok(conn) => conn,
        Err(failure) => return Some((failure, false)),
    };
    let mut poller = match within(&mut conn.ended, Poller::new(&conn.client)).await {
        Ok(poller) => poller,
        Err(failure) => return Some((failure, false)),
    };
    if !report.status(ProbeStatus::Live).await {
        return None;
    }
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match within(&mut conn.ended, poller.poll(&conn.client)).await {
            Ok(snapshot) => {
                if !report.snapshot(Snapshot::Postgres(snapshot)).await {
                    return None;
                }
            }
            Err(failure) => return Some((failure, true)),
        }
    }
}

/// Runs `work` within [`POLL_TIMEOUT`]; a failure says why.
async fn within<T>(
    ended: &mut oneshot::Receiver<Option<tokio_postgres::Error>>,
    work: impl Future<Output = Result<T, tokio_postgres::Error>>,
) -> Result<T, Failure> {
    match tokio::time::timeout(POLL_TIMEOUT, work).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(connect::failure(ended, &e).await),
        Err(_) => Err(Failure::lost(format!(
            "the server did not answer within {} s",
            POLL_TIMEOUT.as_secs()
        ))),
    }
}

/// The status to show after `failure`, and how long to wait before trying again.
fn retry(failure: &Failure, backoff: &mut Backoff) -> (ProbeStatus, Duration) {
    match failure.kind {
        FailureKind::Starting => (ProbeStatus::Starting, backoff.next_delay()),
        FailureKind::Rejected => (
            ProbeStatus::AuthFailed {
                error: failure.message.clone(),
            },
            AUTH_RETRY,
        ),
        FailureKind::Lost => {
            let wait = backoff.next_delay();
            let status = ProbeStatus::Reconnecting {
                error: failure.message.clone(),
                retry_in_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            };
            (status, wait)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(kind: FailureKind) -> Failure {
        Failure {
            kind,
            message: "postgres://app:***@127.0.0.1:1/db: boom".into(),
        }
    }

    #[test]
    fn a_lost_server_is_retried_with_backoff() {
        let mut backoff = Backoff::default();
        let (status, wait) = retry(&failure(FailureKind::Lost), &mut backoff);
        assert_eq!(wait, Duration::from_millis(500));
        assert_eq!(
            status,
            ProbeStatus::Reconnecting {
                error: "postgres://app:***@127.0.0.1:1/db: boom".into(),
                retry_in_ms: 500
            }
        );
        let (_, wait) = retry(&failure(FailureKind::Starting), &mut backoff);
        assert_eq!(wait, Duration::from_millis(1000));
    }

    #[test]
    fn wrong_credentials_wait_a_minute() {
        let mut backoff = Backoff::default();
        let (status, wait) = retry(&failure(FailureKind::Rejected), &mut backoff);
        assert!(matches!(status, ProbeStatus::AuthFailed { .. }));
        assert_eq!(wait, AUTH_RETRY);
    }
}
