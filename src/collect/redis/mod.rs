//! The Redis probe: one connection per target, polled every interval.
//!
//! It supplies `connect` and `poll` to the probe runner, which reports the
//! statuses and snapshots; no figures while the connection is down.

mod clients;
mod failure;
mod info;
mod rates;
mod session;
mod slowlog;

use std::time::Duration;

use tokio::sync::mpsc::Sender;

use super::runner::{self, Failure, Reading, Trouble};
use crate::event::Event;
use crate::model::{Snapshot, Target};
use failure::Kind;
use session::Session;

/// Probes `target` every `interval` until `tx` closes or the task is aborted.
pub async fn run(target: Target, interval: Duration, tx: Sender<Event>) {
    let probe = Redis {
        masked: target.display_url(),
        url: target.url.clone(),
    };
    runner::run(&target, interval, tx, probe).await;
}

struct Redis {
    url: String,
    /// The URL with its password masked, for every message.
    masked: String,
}

impl runner::Probe for Redis {
    type Session = Session;

    async fn connect(&mut self) -> Result<Session, Failure> {
        let client = redis::Client::open(self.url.as_str()).map_err(|e| {
            // Neither the URL nor the parser's message (which may quote it)
            // is shown: only the masked form.
            let error = format!("invalid Redis URL {} ({:?})", self.masked, e.kind());
            Failure::new(Trouble::Rejected, error)
        })?;
        Session::open(&client, &self.masked)
            .await
            .map_err(|f| f.for_runner(&self.masked))
    }

    async fn poll(&mut self, session: &mut Session) -> Result<Reading, Failure> {
        match session.poll().await {
            Ok(snapshot) => Ok(Reading::Figures(Box::new(Snapshot::Redis(snapshot)))),
            // Still loading: keep the connection, no figures yet.
            Err(f) if f.kind == Kind::Loading => Ok(Reading::Loading),
            Err(f) => Err(f.for_runner(&self.masked)),
        }
    }
}
