//! The container engine: where it listens, one shared client, and how its
//! errors read.
//!
//! Collectors and jobs all go through one [`Engine`]: the API version is
//! agreed once per process, not once per restart, log stream or reset, and
//! every error names the engine in the same words.

mod convert;
mod raw;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use bollard::Docker;
use bollard::query_parameters::{RestartContainerOptionsBuilder, StopContainerOptionsBuilder};
use tokio::sync::OnceCell;

use crate::model::{Container, Verb};
use crate::text::one_line;

pub use convert::{
    NUMBER_LABEL, PROJECT_LABEL, SERVICE_LABEL, container_from_inspect, parse_engine_time,
    summary_matches,
};

/// Where the engine listens when `DOCKER_HOST` is not set.
pub const DEFAULT_ENDPOINT: &str = "unix:///var/run/docker.sock";

/// Longest wait for the engine's answer to one request (not for the body
/// of a stream). Actions get longer: a stop may wait out its own timeout.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Seconds a container gets to stop before the engine kills it.
pub const STOP_TIMEOUT_SECS: i32 = 10;

/// Longest wait for a restart, stop or start: the stop timeout and a start.
const VERB_TIMEOUT: Duration = Duration::from_secs(STOP_TIMEOUT_SECS as u64 + 30);

/// One engine and its client. Cheap to clone: clones share the client.
#[derive(Debug, Clone)]
pub struct Engine {
    endpoint: String,
    client: Arc<OnceCell<Docker>>,
}

impl Engine {
    /// The engine at `DOCKER_HOST`, else at the local socket.
    pub fn from_env() -> Self {
        let endpoint = std::env::var("DOCKER_HOST")
            .ok()
            .filter(|h| !h.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string());
        Self::at(endpoint)
    }

    /// The engine at `endpoint` (`unix://`, `tcp://` or `http://`).
    pub fn at(endpoint: impl Into<String>) -> Self {
        Self {
            endpoint: endpoint.into(),
            client: Arc::new(OnceCell::new()),
        }
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Whether the engine runs on this host, so its cgroups can be read.
    pub fn is_local(&self) -> bool {
        self.endpoint.starts_with("unix://")
    }

    /// The client, with the API version agreed with the engine (which
    /// refuses requests made for a newer API than its own). Agreed once;
    /// until it succeeds every call tries again.
    pub async fn client(&self) -> anyhow::Result<Docker> {
        let client = self
            .client
            .get_or_try_init(|| async {
                connect_to(&self.endpoint)?
                    .negotiate_version()
                    .await
                    .map_err(engine_error)
                    .with_context(|| format!("reaching the engine at {}", self.endpoint))
            })
            .await?;
        Ok(client.clone())
    }

    /// The client with a longer request timeout, for slow work.
    pub async fn client_with_timeout(&self, timeout: Duration) -> Result<Docker, String> {
        self.client()
            .await
            .map(|d| d.with_timeout(timeout))
            .map_err(|e| format!("{e:#}"))
    }

    /// Restarts, stops or starts a container; the error is one line.
    pub async fn act(&self, verb: Verb, id: &str) -> Result<(), String> {
        let docker = self.client_with_timeout(VERB_TIMEOUT).await?;
        let result = match verb {
            Verb::Restart => {
                let options = RestartContainerOptionsBuilder::new()
                    .t(STOP_TIMEOUT_SECS)
                    .build();
                docker.restart_container(id, Some(options)).await
            }
            Verb::Stop => {
                let options = StopContainerOptionsBuilder::new()
                    .t(STOP_TIMEOUT_SECS)
                    .build();
                docker.stop_container(id, Some(options)).await
            }
            Verb::Start => docker.start_container(id, None).await,
        };
        result.map_err(|e| describe(&e))
    }

    /// A container as our model has it; `Ok(None)` when it has no id.
    pub async fn inspect(
        &self,
        docker: &Docker,
        id: &str,
    ) -> Result<Option<Container>, bollard::errors::Error> {
        let inspect = docker.inspect_container(id, None).await?;
        Ok(container_from_inspect(inspect))
    }
}

/// A client for `endpoint`. No request is made yet, so this fails only on a
/// bad address or a missing socket.
pub fn connect_to(endpoint: &str) -> anyhow::Result<Docker> {
    let docker = Docker::connect_with_host(endpoint)
        .map_err(engine_error)
        .with_context(|| format!("connecting to {endpoint}"))?;
    Ok(docker.with_timeout(REQUEST_TIMEOUT))
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

/// An engine error as an `anyhow` error carrying [`describe`]'s line.
pub fn engine_error(error: bollard::errors::Error) -> anyhow::Error {
    anyhow::anyhow!(describe(&error))
}

/// Whether the engine answered "no such …".
pub fn is_not_found(error: &bollard::errors::Error) -> bool {
    matches!(
        error,
        bollard::errors::Error::DockerResponseServerError {
            status_code: 404,
            ..
        }
    )
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

    #[tokio::test]
    async fn an_unreachable_engine_is_tried_again_on_the_next_call() {
        let engine = Engine::at("unix:///nonexistent/docker.sock");
        assert!(engine.client().await.is_err());
        assert!(engine.client().await.is_err(), "a failure is not kept");
        assert!(engine.is_local());
        assert!(!Engine::at("tcp://127.0.0.1:2375").is_local());
    }
}
