//! Helpers for tests against the real Docker engine and the test stack.
//!
//! Nothing here skips a test: a missing engine, image or stack fails it with
//! a message that says what to start.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use stacktop::event::Event;
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::mpsc::Receiver;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

/// The image every test container runs.
pub const TEST_IMAGE: &str = "stacktop-test/busybox:latest";

/// The services of `tests/stack/compose.yaml`.
pub const STACK_SERVICES: &[&str] = &["ticker", "healthy", "unhealthy", "crashloop", "worker"];

/// Compose project name of the test stack.
pub fn project() -> String {
    std::env::var("STACKTOP_TEST_PROJECT")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "stacktop-test".to_string())
}

/// Host port the stack's `healthy` service publishes on 127.0.0.1.
pub fn http_port() -> u16 {
    std::env::var("STACKTOP_TEST_HTTP_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(18080)
}

/// Runs the docker CLI; `Err` carries its stderr.
pub fn docker(args: &[&str]) -> Result<String, String> {
    let output = Command::new("docker")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run the docker CLI: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

/// Runs the docker CLI and fails the test if it fails.
pub fn docker_ok(args: &[&str]) -> String {
    docker(args).unwrap_or_else(|e| panic!("`docker {}` failed: {e}", args.join(" ")))
}

/// Fails the test unless the engine answers and the test image exists.
pub fn require_engine() {
    if let Err(e) = docker(&["version", "--format", "{{.Server.Version}}"]) {
        panic!("the Docker engine is not reachable ({e}); start dockerd before these tests");
    }
    if docker(&["image", "inspect", "--format", "{{.Id}}", TEST_IMAGE]).is_err() {
        panic!("image {TEST_IMAGE} is missing; build it as the test stack's README says");
    }
}

/// Fails the test unless every service of the test stack has a container.
pub fn require_stack() {
    require_engine();
    let project = project();
    let filter = format!("label=com.docker.compose.project={project}");
    let services = docker_ok(&[
        "ps",
        "-a",
        "--filter",
        &filter,
        "--format",
        "{{.Label \"com.docker.compose.service\"}}",
    ]);
    let missing: Vec<&str> = STACK_SERVICES
        .iter()
        .copied()
        .filter(|s| !services.lines().any(|l| l == *s))
        .collect();
    assert!(
        missing.is_empty(),
        "the test stack `{project}` lacks {missing:?}; bring it up with \
         `docker-compose -p {project} -f tests/stack/compose.yaml up -d`"
    );
}

/// Id of the stack container of `service` with compose number `number`.
pub fn stack_container(service: &str, number: u32) -> String {
    let project = project();
    let id = docker_ok(&[
        "ps",
        "-a",
        "-q",
        "--no-trunc",
        "--filter",
        &format!("label=com.docker.compose.project={project}"),
        "--filter",
        &format!("label=com.docker.compose.service={service}"),
        "--filter",
        &format!("label=com.docker.compose.container-number={number}"),
    ]);
    assert!(!id.is_empty(), "no container for {service} #{number}");
    id
}

/// One field of `docker inspect`, by Go template.
pub fn inspect_field(id: &str, template: &str) -> String {
    docker_ok(&["inspect", "--format", template, id])
}

/// A container made for one test, removed when dropped.
pub struct Throwaway {
    pub id: String,
    pub name: String,
}

impl Throwaway {
    /// Runs `script` with `sh -c` in a new container named after `purpose`.
    pub fn run(purpose: &str, script: &str) -> Self {
        require_engine();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!("stacktop-it-{purpose}-{}-{nanos}", std::process::id());
        let id = docker_ok(&[
            "run",
            "-d",
            "--name",
            &name,
            "--label",
            "stacktop-it=1",
            TEST_IMAGE,
            "sh",
            "-c",
            script,
        ]);
        Self { id, name }
    }
}

impl Drop for Throwaway {
    fn drop(&mut self) {
        let _ = docker(&["rm", "-f", &self.id]);
    }
}

/// A shell loop that exits at once on SIGTERM, so stops are quick.
pub const IDLE_SCRIPT: &str = "trap 'exit 0' TERM; while true; do sleep 0.2; done";

/// Receives events until `pick` returns something, or fails after
/// `timeout` with `what` in the message.
pub async fn wait_for<T>(
    rx: &mut Receiver<Event>,
    timeout: Duration,
    what: &str,
    mut pick: impl FnMut(&Event) -> Option<T>,
) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(event)) => {
                if let Some(found) = pick(&event) {
                    return found;
                }
            }
            Ok(None) => panic!("channel closed while waiting for {what}"),
            Err(_) => panic!("no {what} within {timeout:?}"),
        }
    }
}

/// A unix socket that forwards to the engine and can be cut, to play an
/// engine that goes away and comes back.
pub struct EngineProxy {
    pub endpoint: String,
    path: PathBuf,
    engine: PathBuf,
    serving: Option<JoinHandle<()>>,
}

impl EngineProxy {
    /// Listens on a fresh socket named after `purpose`.
    pub fn start(purpose: &str) -> Self {
        let engine = stacktop::collect::docker::endpoint();
        let Some(engine) = engine.strip_prefix("unix://") else {
            panic!("the engine proxy needs a unix socket engine, not {engine}");
        };
        let path =
            std::env::temp_dir().join(format!("stacktop-it-{purpose}-{}.sock", std::process::id()));
        let mut proxy = Self {
            endpoint: format!("unix://{}", path.display()),
            path,
            engine: PathBuf::from(engine),
            serving: None,
        };
        proxy.resume();
        proxy
    }

    /// Cuts every connection and stops listening.
    pub fn cut(&mut self) {
        if let Some(task) = self.serving.take() {
            task.abort();
        }
        let _ = std::fs::remove_file(&self.path);
    }

    /// Listens again on the same path.
    pub fn resume(&mut self) {
        self.cut();
        let listener = UnixListener::bind(&self.path)
            .unwrap_or_else(|e| panic!("cannot listen on {}: {e}", self.path.display()));
        self.serving = Some(tokio::spawn(forward(listener, self.engine.clone())));
    }
}

impl Drop for EngineProxy {
    fn drop(&mut self) {
        self.cut();
    }
}

/// Accepts clients and pipes each to the engine; aborting it drops every
/// connection with it.
async fn forward(listener: UnixListener, engine: PathBuf) {
    let mut connections = JoinSet::new();
    while let Ok((mut client, _)) = listener.accept().await {
        let engine = engine.clone();
        connections.spawn(async move {
            if let Ok(mut server) = UnixStream::connect(&engine).await {
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            }
        });
        while connections.try_join_next().is_some() {}
    }
}
