//! The Docker engine collector: container list, live events, stats.
//!
//! One task follows the engine: it lists and inspects every container once,
//! then keeps the list current from the engine's event stream (inspecting
//! only containers an event names), resyncs from a cheap list every
//! [`RESYNC_EVERY`], and samples stats of running containers every
//! interval. When the engine cannot be reached it reports
//! [`DockerEvent::Disconnected`] and tries again with a growing delay.

mod cgroup;
mod dotenv;
mod events;
mod session;
mod stats;

use std::time::Duration;

use tokio::sync::mpsc;

use crate::backoff::Backoff;
use crate::engine::{Engine, reach};
use crate::event::{DockerEvent, Event};
use crate::text::one_line;

pub use stats::{CpuSample, cpu_percent, memory_of};

/// How often the whole list is read again, in case an event was missed.
pub const RESYNC_EVERY: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct DockerOptions {
    /// How often stats of running containers are sampled.
    pub interval: Duration,
}

impl Default for DockerOptions {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(1),
        }
    }
}

/// Follows `engine` until `tx` closes, reconnecting with backoff whenever
/// it is lost.
pub async fn run(engine: Engine, tx: mpsc::Sender<Event>, opts: DockerOptions) {
    let mut backoff = Backoff::default();
    let endpoint = engine.endpoint().to_string();
    loop {
        let (stop, was_connected) = session::follow(&engine, &tx, &opts).await;
        let error = match stop {
            session::Stop::Closed => return,
            session::Stop::Lost(error) => error,
        };
        if was_connected {
            backoff.reset();
        }
        let retry_in = backoff.next_delay();
        let error = one_line(&format!("{error:#}"));
        tracing::warn!(%endpoint, %error, ?retry_in, "docker engine unreachable");
        let lost = DockerEvent::Disconnected {
            endpoint: endpoint.clone(),
            error,
            retry_in,
            others: reach::alternatives(&engine).await,
        };
        if tx.send(Event::Docker(engine.id(), lost)).await.is_err() {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(retry_in) => {}
            () = tx.closed() => return,
        }
    }
}
