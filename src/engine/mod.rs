//! The container engine: where it listens, one shared client, and how its
//! errors read.
//!
//! Collectors and jobs all go through one [`Engine`]: the API version is
//! agreed once per process, not once per restart, log stream or reset, and
//! every error names the engine in the same words.

mod convert;
mod dial;
pub mod endpoint;
mod list;
mod raw;
pub mod reach;
mod ssh;
mod tls;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use bollard::Docker;
use bollard::query_parameters::{RestartContainerOptionsBuilder, StopContainerOptionsBuilder};
use tokio::sync::OnceCell;

pub use crate::model::EngineId;
use crate::model::{Container, Verb};
use crate::text::one_line;

pub use convert::{
    NUMBER_LABEL, PROJECT_LABEL, SERVICE_LABEL, container_from_inspect, container_from_summary,
    parse_engine_time,
};
pub use endpoint::{DEFAULT_SOCKET as DEFAULT_ENDPOINT, Endpoint, Resolved, TlsFiles};
pub use list::{ListError, is_unreadable};
pub use raw::RawBody;

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
    /// Its place among the engines followed; its containers carry it.
    id: EngineId,
    endpoint: Arc<Endpoint>,
    /// The other sockets searched when none was named: told again, with
    /// why each fails, when this engine goes away.
    alternatives: Arc<Vec<Endpoint>>,
    client: Arc<OnceCell<Docker>>,
}

impl Engine {
    /// The engine `DOCKER_HOST` and the docker CLI's settings name, else
    /// the standard socket; no engine is asked (see [`reach`] for that).
    pub fn from_env() -> Self {
        let env = endpoint::Environment::from_process();
        let chosen = endpoint::resolve(&endpoint::Request::default(), &env)
            .ok()
            .and_then(|r| r.endpoints().first().cloned());
        Self::new(chosen.unwrap_or_else(|| {
            Endpoint::plain(endpoint::DEFAULT_CONTEXT, endpoint::DEFAULT_SOCKET)
        }))
    }

    /// The engine at `host` (`unix://`, `tcp://`, `http://` or `ssh://`).
    pub fn at(host: impl Into<String>) -> Self {
        Self::new(Endpoint::plain(endpoint::DEFAULT_CONTEXT, &host.into()))
    }

    pub fn new(endpoint: Endpoint) -> Self {
        Self {
            id: EngineId::default(),
            endpoint: Arc::new(endpoint),
            alternatives: Arc::new(Vec::new()),
            client: Arc::new(OnceCell::new()),
        }
    }

    /// The same engine as the `id`th of those followed.
    pub fn with_id(mut self, id: EngineId) -> Self {
        self.id = id;
        self
    }

    pub fn id(&self) -> EngineId {
        self.id
    }

    /// The same engine, found among `others` that were searched too.
    pub fn with_alternatives(mut self, others: Vec<Endpoint>) -> Self {
        self.alternatives = Arc::new(others);
        self
    }

    /// The address: `unix:///var/run/docker.sock`, `ssh://dev@box`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint.host
    }

    /// Where it is and how it is reached.
    pub fn target(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The context's name (`default` outside contexts).
    pub fn name(&self) -> &str {
        &self.endpoint.name
    }

    pub fn alternatives(&self) -> &[Endpoint] {
        &self.alternatives
    }

    /// The environment `vars` with this engine chosen for the docker CLI
    /// and compose v2: its context by name, or its address (and TLS files).
    pub fn cli_env(
        &self,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> std::collections::HashMap<String, String> {
        let target = &self.endpoint;
        if target.name == endpoint::DEFAULT_CONTEXT {
            return self.address_env(vars);
        }
        let mut env = without_engine_vars(vars);
        env.insert("DOCKER_CONTEXT".into(), target.name.clone());
        env
    }

    /// The same by address alone, contexts too: docker-compose 1.x reads
    /// no `DOCKER_CONTEXT`, and told of a context that way it would act on
    /// the config's current engine instead.
    pub fn address_env(
        &self,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> std::collections::HashMap<String, String> {
        let mut env = without_engine_vars(vars);
        let target = &self.endpoint;
        env.insert("DOCKER_HOST".into(), target.host.clone());
        let tls = target.tls.as_ref();
        if let Some((tls, folder)) = tls.and_then(|t| Some((t, t.ca.parent()?))) {
            if tls.verify {
                env.insert("DOCKER_TLS_VERIFY".into(), "1".into());
            }
            env.insert("DOCKER_CERT_PATH".into(), folder.display().to_string());
        }
        env
    }

    /// Whether the engine runs on this host, so its cgroups can be read.
    pub fn is_local(&self) -> bool {
        self.endpoint.is_local()
    }

    /// The client, with the API version agreed with the engine (which
    /// refuses requests made for a newer API than its own). Agreed once;
    /// until it succeeds every call tries again.
    pub async fn client(&self) -> anyhow::Result<Docker> {
        let client = self
            .client
            .get_or_try_init(|| async {
                connect(&self.endpoint)?
                    .negotiate_version()
                    .await
                    .map_err(engine_error)
                    .with_context(|| format!("reaching the engine at {}", self.endpoint.host))
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

/// The engines `request` names (see [`endpoint`] for the order), each
/// asked once before the screen is taken; the error lists every endpoint
/// tried and why it failed (see [`reach::connect`]).
pub async fn choose(request: &endpoint::Request) -> Result<Vec<Engine>, String> {
    let env = endpoint::Environment::from_process();
    let resolved = endpoint::resolve(request, &env).map_err(|e| format!("{e:#}"))?;
    let engines = reach::connect(resolved).await?;
    Ok(engines
        .into_iter()
        .zip(0u16..)
        .map(|(engine, at)| engine.with_id(EngineId(at)))
        .collect())
}

/// A client for the engine at `host`, without TLS.
pub fn connect_to(host: &str) -> anyhow::Result<Docker> {
    connect(&Endpoint::plain(endpoint::DEFAULT_CONTEXT, host))
}

/// A client for `endpoint`: over its socket, TCP (with TLS when it has
/// TLS files) or SSH. No request is made yet, so this fails only on a bad
/// address, a missing socket or missing TLS files.
pub fn connect(endpoint: &Endpoint) -> anyhow::Result<Docker> {
    let host = endpoint.host.as_str();
    let docker = if host.starts_with("ssh://") {
        ssh::connect(host)
    } else if let Some(files) = &endpoint.tls {
        tls::connect(host, files)
    } else {
        Docker::connect_with_host(host).map_err(engine_error)
    };
    let docker = docker.with_context(|| format!("connecting to {host}"))?;
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

/// Whether the engine answered "no such …". Podman answers an inspect
/// racing a removal with a 500 that says "no such container".
pub fn is_not_found(error: &bollard::errors::Error) -> bool {
    match error {
        bollard::errors::Error::DockerResponseServerError {
            status_code,
            message,
        } => *status_code == 404 || message.to_lowercase().contains("no such container"),
        _ => false,
    }
}

/// `vars` without the variables that choose an engine.
fn without_engine_vars(
    vars: impl IntoIterator<Item = (String, String)>,
) -> std::collections::HashMap<String, String> {
    let chooses = [
        "DOCKER_HOST",
        "DOCKER_CONTEXT",
        "DOCKER_TLS_VERIFY",
        "DOCKER_CERT_PATH",
    ];
    vars.into_iter()
        .filter(|(name, _)| !chooses.contains(&name.as_str()))
        .collect()
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
        // Podman, when an inspect races a removal.
        let podman = bollard::errors::Error::DockerResponseServerError {
            status_code: 500,
            message: "container ada0 does not exist in database: no such container".to_string(),
        };
        assert!(is_not_found(&podman));
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

    fn context(name: &str, host: &str, tls: Option<TlsFiles>) -> Engine {
        Engine::new(Endpoint {
            name: name.into(),
            host: host.into(),
            tls,
        })
    }

    /// What a shell started elsewhere may have set, for another engine.
    fn stale() -> Vec<(String, String)> {
        [
            ("DOCKER_HOST", "unix:///other.sock"),
            ("DOCKER_CONTEXT", "west"),
            ("DOCKER_TLS_VERIFY", "1"),
            ("PATH", "/bin"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .to_vec()
    }

    #[test]
    fn a_context_is_given_by_name_and_the_default_engine_by_address() {
        let east = context("east", "unix:///east.sock", None).cli_env(stale());
        assert_eq!(east["DOCKER_CONTEXT"], "east");
        assert!(!east.contains_key("DOCKER_HOST"), "{east:?}");
        assert!(!east.contains_key("DOCKER_TLS_VERIFY"), "{east:?}");
        assert_eq!(east["PATH"], "/bin");
        let main = context("default", "unix:///main.sock", None).cli_env(stale());
        assert_eq!(main["DOCKER_HOST"], "unix:///main.sock");
        assert!(!main.contains_key("DOCKER_CONTEXT"), "{main:?}");
        assert!(!main.contains_key("DOCKER_TLS_VERIFY"), "{main:?}");
    }

    #[test]
    fn an_address_carries_the_tls_files_and_verifies_unless_the_context_skips_it() {
        let certs = std::path::Path::new("/certs/east");
        for (verify, asked) in [(true, Some("1")), (false, None)] {
            let tls = Some(TlsFiles::in_folder(certs, verify));
            let env = context("east", "tcp://box:2376", tls).address_env(stale());
            assert_eq!(env["DOCKER_HOST"], "tcp://box:2376");
            assert_eq!(env["DOCKER_CERT_PATH"], "/certs/east");
            let verifying = env.get("DOCKER_TLS_VERIFY").map(String::as_str);
            assert_eq!(verifying, asked, "{env:?}");
        }
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
