//! The PostgreSQL probe: one connection per target, polled every interval.
//!
//! It supplies `connect` and `poll` to the probe runner, which owns the
//! reconnects, backoff and retries. Its own sessions are named `stacktop` and
//! left out of every figure.

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

pub use connect::{APPLICATION_NAME, connect, describe};
pub use queries::MARK;

use super::runner::{self, ANSWER_TIMEOUT, Failure, Reading};
use crate::event::Event;
use crate::model::{Snapshot, Target};
use connect::Connection;
use poll::Poller;

/// Probes `target` every `interval` until `tx` closes or the task is aborted.
pub async fn run(target: Target, interval: Duration, tx: Sender<Event>) {
    let probe = Postgres {
        target: target.clone(),
    };
    runner::run(&target, interval, tx, probe).await;
}

struct Postgres {
    target: Target,
}

/// An open connection and what its polls remember.
struct Session {
    conn: Connection,
    poller: Poller,
}

impl Postgres {
    /// `failure` with the (masked) URL in front: which server it was.
    fn named(&self, failure: Failure) -> Failure {
        Failure {
            message: format!("{}: {}", self.target.display_url(), failure.message),
            ..failure
        }
    }
}

impl runner::Probe for Postgres {
    type Session = Session;

    async fn connect(&mut self) -> Result<Session, Failure> {
        let mut conn = connect(&self.target).await.map_err(|f| self.named(f))?;
        let poller = within(&mut conn.ended, Poller::new(&conn.client))
            .await
            .map_err(|f| self.named(f))?;
        Ok(Session { conn, poller })
    }

    async fn poll(&mut self, session: &mut Session) -> Result<Reading, Failure> {
        let Session { conn, poller } = session;
        match within(&mut conn.ended, poller.poll(&conn.client)).await {
            Ok(snapshot) => Ok(Reading::Figures(Box::new(Snapshot::Postgres(snapshot)))),
            Err(failure) => Err(self.named(failure)),
        }
    }
}

/// Runs `work` within [`ANSWER_TIMEOUT`]; a failure says why.
async fn within<T>(
    ended: &mut oneshot::Receiver<Option<tokio_postgres::Error>>,
    work: impl Future<Output = Result<T, tokio_postgres::Error>>,
) -> Result<T, Failure> {
    match tokio::time::timeout(ANSWER_TIMEOUT, work).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(connect::failure(ended, &e).await),
        Err(_) => Err(Failure::lost(format!(
            "the server did not answer within {} s",
            ANSWER_TIMEOUT.as_secs()
        ))),
    }
}
