//! The docker CLI against the shared engine, throwaway containers of the
//! fixture image, and a proxy to play an engine that goes away.

use std::path::PathBuf;
use std::process::Command;

use tokio::net::{UnixListener, UnixStream};
use tokio::task::{JoinHandle, JoinSet};

/// The image every fixture container runs (built by scripts/build-fixtures.sh).
pub const BUSYBOX: &str = "stacktop-test/busybox:latest";
/// The PostgreSQL 15 fixture image.
pub const POSTGRES: &str = "stacktop-test/postgres:15";
/// The Redis 7 fixture image.
pub const REDIS: &str = "stacktop-test/redis:7";
/// Marks every container a test starts by itself.
pub const LABEL: &str = "stacktop-it=1";

/// A shell loop that exits at once on SIGTERM, so stops are quick.
pub const IDLE_SCRIPT: &str = "trap 'exit 0' TERM; while true; do sleep 0.2; done";
/// Prints `tick N` every second; exits at once on SIGTERM.
pub const TICKER_SCRIPT: &str =
    "trap 'exit 0' TERM; i=0; while :; do echo tick $i; i=$((i+1)); sleep 1; done";

/// Longest a docker CLI call of a test may take: an engine that hangs (it
/// happened under hundreds of parallel `docker run`s) fails the test
/// instead of holding the whole run until CI gives up.
pub const CLI_LIMIT_SECS: u32 = 120;

/// The docker CLI, ended (TERM, then KILL 10 s later) after
/// [`CLI_LIMIT_SECS`]; `timeout` exits 124 then.
pub fn docker_cli() -> Command {
    let mut command = Command::new("timeout");
    command.args(["--kill-after=10", &CLI_LIMIT_SECS.to_string(), "docker"]);
    command
}

/// Runs the docker CLI: trimmed stdout, or `Err` with its trimmed stderr.
pub fn try_docker(args: &[&str]) -> Result<String, String> {
    let output = docker_cli()
        .args(args)
        .output()
        .map_err(|e| format!("cannot run the docker CLI ({e}); run scripts/test.sh"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

/// Runs the docker CLI: trimmed stdout; fails the test when it fails.
pub fn docker(args: &[&str]) -> String {
    try_docker(args).unwrap_or_else(|e| panic!("`docker {}` failed: {e}", args.join(" ")))
}

/// Fails the test with what to run unless the engine answers and the
/// fixture image exists.
pub fn require_engine() {
    if let Err(e) = try_docker(&["version", "--format", "{{.Server.Version}}"]) {
        panic!(
            "the Docker engine is not reachable ({e}); run the tests through scripts/test.sh, \
             which starts it"
        );
    }
    require_image(BUSYBOX);
}

/// Fails with what to run when a fixture image is missing.
pub fn require_image(image: &str) {
    if try_docker(&["image", "inspect", "--format", "{{.Id}}", image]).is_err() {
        panic!("fixture image {image} is missing: run scripts/build-fixtures.sh");
    }
}

/// One field of `docker inspect`, by Go template: `inspect_field(&c, "{{.State.Status}}")`.
pub fn inspect_field(container: &str, template: &str) -> String {
    docker(&["inspect", "--format", template, container])
}

/// Health status of a container: `starting`, `healthy`, `unhealthy`, or
/// `none` when it has no health check.
pub fn health(container: &str) -> String {
    inspect_field(
        container,
        "{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}",
    )
}

/// A container made for one test, removed (with `rm -f`) when dropped.
pub struct Throwaway {
    pub id: String,
    pub name: String,
}

impl Throwaway {
    /// Runs `script` with `sh -c` in a new busybox container named after
    /// `purpose`.
    pub fn run(purpose: &str, script: &str) -> Self {
        Self::run_with(purpose, &[], &[BUSYBOX, "sh", "-c", script])
    }

    /// `docker run -d --name … --label … OPTIONS IMAGE_AND_COMMAND`.
    pub fn run_with(purpose: &str, options: &[&str], image_and_command: &[&str]) -> Self {
        Self::try_run_with(purpose, options, image_and_command)
            .unwrap_or_else(|e| panic!("starting a {purpose} container failed: {e}"))
    }

    /// Like [`Throwaway::run_with`]; `Err` carries the engine's message
    /// (a published port taken meanwhile, say).
    pub fn try_run_with(
        purpose: &str,
        options: &[&str],
        image_and_command: &[&str],
    ) -> Result<Self, String> {
        require_engine();
        let name = format!("stacktop-it-{purpose}-{}", super::unique());
        let mut args = vec!["run", "-d", "--name", &name, "--label", LABEL];
        args.extend_from_slice(options);
        args.extend_from_slice(image_and_command);
        match try_docker(&args) {
            Ok(id) => Ok(Self { id, name }),
            Err(error) => {
                // A failed start can leave a created container behind.
                let _ = try_docker(&["rm", "-f", &name]);
                Err(error)
            }
        }
    }

    /// Hands the container over: it is no longer removed on drop.
    pub fn keep(mut self) -> String {
        std::mem::take(&mut self.id)
    }
}

impl Drop for Throwaway {
    fn drop(&mut self) {
        if !self.id.is_empty() {
            let _ = try_docker(&["rm", "-f", &self.id]);
        }
    }
}

/// Removes the named container when dropped, whether the test passed or not.
pub struct RemoveOnDrop(pub String);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = try_docker(&["rm", "-f", &self.0]);
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
        let engine = stacktop::engine::Engine::from_env();
        let Some(socket) = engine.endpoint().strip_prefix("unix://") else {
            panic!(
                "the engine proxy needs a unix socket engine, not {}",
                engine.endpoint()
            );
        };
        let path =
            std::env::temp_dir().join(format!("stacktop-it-{purpose}-{}.sock", std::process::id()));
        let mut proxy = Self {
            endpoint: format!("unix://{}", path.display()),
            path,
            engine: PathBuf::from(socket),
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
