//! The Docker engine collector: container list, live events, stats.
//!
//! One task follows the engine: it lists and inspects every container once,
//! then keeps the list current from the engine's event stream (inspecting
//! only containers an event names), resyncs from a cheap list every
//! [`RESYNC_EVERY`], and samples stats of running containers every
//! interval. When the engine cannot be reached it reports
//! [`DockerEvent::Disconnected`] and tries again with a growing delay.

mod cgroup;
mod convert;
mod events;
mod session;
mod stats;

use std::time::Duration;

use anyhow::Context as _;
use bollard::Docker;
use tokio::sync::mpsc;

use crate::backoff::Backoff;
use crate::event::{DockerEvent, Event};

pub use convert::{container_from_inspect, parse_engine_time};
pub use stats::{CpuSample, cpu_percent, memory_of};

/// Where the engine listens when `DOCKER_HOST` is not set.
pub const DEFAULT_ENDPOINT: &str = "unix:///var/run/docker.sock";

/// Longest wait for the engine's answer to one request (not for the body
/// of a stream). Actions get longer: a stop may wait out its own timeout.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

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

/// The engine address: `DOCKER_HOST` if set, else the local socket.
pub fn endpoint() -> String {
    std::env::var("DOCKER_HOST")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string())
}

/// A client for [`endpoint()`]; see [`connect_to`].
pub fn connect() -> anyhow::Result<Docker> {
    connect_to(&endpoint())
}

/// A client for `unix://`, `tcp://` or `http://` endpoints. No request is
/// made yet, so this fails only on a bad address or a missing socket.
pub fn connect_to(endpoint: &str) -> anyhow::Result<Docker> {
    let docker = Docker::connect_with_host(endpoint)
        .map_err(engine_error)
        .with_context(|| format!("connecting to {endpoint}"))?;
    Ok(docker.with_timeout(REQUEST_TIMEOUT))
}

/// Connects and agrees on the API version with the engine, which refuses
/// requests made for a newer API than its own.
pub async fn connect_ready(endpoint: &str) -> anyhow::Result<Docker> {
    connect_to(endpoint)?
        .negotiate_version()
        .await
        .map_err(engine_error)
        .with_context(|| format!("reaching the engine at {endpoint}"))
}

/// One readable line for an engine error: the engine's own message when it
/// answered (`No such container: abc`), else the root cause
/// (`Connection refused (os error 111)`).
pub fn describe(error: &bollard::errors::Error) -> String {
    use bollard::errors::Error as E;
    let text = match error {
        E::DockerResponseServerError { message, .. } => message.clone(),
        E::RequestTimeoutError => "the engine did not answer in time".to_string(),
        other => root_cause(other),
    };
    one_line(&text)
}

fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

/// Joins the lines of a message; trims the ends.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An engine error as an `anyhow` error carrying [`describe`]'s line.
pub fn engine_error(error: bollard::errors::Error) -> anyhow::Error {
    anyhow::anyhow!(describe(&error))
}

pub(crate) fn is_not_found(error: &bollard::errors::Error) -> bool {
    matches!(
        error,
        bollard::errors::Error::DockerResponseServerError {
            status_code: 404,
            ..
        }
    )
}

/// Aborts a task when dropped, so a task's helpers end with it.
pub(crate) struct AbortOnDrop(pub tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Follows the engine at [`endpoint()`] until `tx` closes.
pub async fn run(tx: mpsc::Sender<Event>, opts: DockerOptions) {
    run_on(endpoint(), tx, opts).await;
}

/// Follows the engine at `endpoint` until `tx` closes, reconnecting with
/// backoff whenever it is lost.
pub async fn run_on(endpoint: String, tx: mpsc::Sender<Event>, opts: DockerOptions) {
    let mut backoff = Backoff::default();
    loop {
        let (stop, was_connected) = session::follow(&endpoint, &tx, &opts).await;
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
        };
        if tx.send(Event::Docker(lost)).await.is_err() {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(retry_in) => {}
            () = tx.closed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_keeps_the_engine_message() {
        let error = bollard::errors::Error::DockerResponseServerError {
            status_code: 404,
            message: "No such container: abc\n".to_string(),
        };
        assert_eq!(describe(&error), "No such container: abc");
        assert!(is_not_found(&error));
    }

    #[test]
    fn connect_to_rejects_unknown_schemes_with_the_address() {
        let error = connect_to("ftp://example").expect_err("not a docker scheme");
        let text = format!("{error:#}");
        assert!(text.contains("ftp://example"), "{text}");
    }

    #[test]
    fn connect_to_a_missing_socket_names_it() {
        let error = connect_to("unix:///nonexistent/docker.sock").expect_err("no socket there");
        let text = format!("{error:#}");
        assert!(text.contains("/nonexistent/docker.sock"), "{text}");
    }
}
