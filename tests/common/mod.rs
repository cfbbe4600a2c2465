//! Helpers shared by the integration and end-to-end tests.
//!
//! Use from a test file with `mod common;`. The tests expect the stack of
//! `tests/stack/compose.yaml` to be up, as `scripts/test.sh` arranges; a
//! missing engine or service makes a test fail, never skip.
//!
//! Environment read here (all set by `scripts/test.sh`):
//! - `STACKTOP_TEST_PROJECT`: compose project of the test stack (default `stacktop-test`)
//! - `STACKTOP_TEST_COMPOSE_FILE`: the compose file (default: the one in this repository)
//! - `STACKTOP_BIN`: the binary for end-to-end tests (default: cargo's `CARGO_BIN_EXE_stacktop`)
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

pub const DEFAULT_PROJECT: &str = "stacktop-test";

/// Every service the test stack starts by default (`flood` is only for the benchmark).
pub const STACK_SERVICES: [&str; 7] = [
    "ticker",
    "healthy",
    "unhealthy",
    "crashloop",
    "worker",
    "redis",
    "postgres",
];

/// Compose project name of the test stack.
pub fn project() -> String {
    std::env::var("STACKTOP_TEST_PROJECT")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| DEFAULT_PROJECT.to_string())
}

/// The compose file of the test stack.
pub fn compose_file() -> PathBuf {
    std::env::var_os("STACKTOP_TEST_COMPOSE_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/stack/compose.yaml")
        })
}

/// The stacktop binary to drive in end-to-end tests: `STACKTOP_BIN` (the release
/// build, set by `scripts/test.sh`), else the binary cargo built for this test run.
pub fn stacktop_bin() -> PathBuf {
    std::env::var_os("STACKTOP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_stacktop")))
}

fn describe(cmd: &str, args: &[&str]) -> String {
    format!("{cmd} {}", args.join(" "))
}

fn run(cmd: &str, args: &[&str]) -> Output {
    Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{}`: {e}", describe(cmd, args)))
}

fn must_succeed(cmd: &str, args: &[&str], out: Output) -> Output {
    if !out.status.success() {
        panic!(
            "`{}` failed ({}):\n{}",
            describe(cmd, args),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    out
}

/// Runs `docker ARGS`, panicking with its stderr when it fails.
pub fn docker(args: &[&str]) -> Output {
    must_succeed("docker", args, run("docker", args))
}

/// Runs `docker ARGS` and returns the output whatever the exit status.
pub fn try_docker(args: &[&str]) -> Output {
    run("docker", args)
}

/// Trimmed stdout of `docker ARGS` (panics when it fails).
pub fn docker_stdout(args: &[&str]) -> String {
    String::from_utf8_lossy(&docker(args).stdout)
        .trim()
        .to_string()
}

/// Runs compose (`docker compose` v2 when present, else `docker-compose` v1) on
/// the test stack: `compose(&["restart", "worker"])`. Panics when it fails.
pub fn compose(args: &[&str]) -> Output {
    let file = compose_file();
    let file = file.to_string_lossy();
    let project = project();
    let mut full: Vec<&str> = vec!["-p", &project, "-f", &file];
    full.extend_from_slice(args);
    let v2 = Command::new("docker")
        .args(["compose", "version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if v2 {
        let mut with_sub = vec!["compose"];
        with_sub.extend_from_slice(&full);
        must_succeed("docker", &with_sub, run("docker", &with_sub))
    } else {
        must_succeed("docker-compose", &full, run("docker-compose", &full))
    }
}

/// `docker inspect -f TEMPLATE CONTAINER`, trimmed: `inspect_field(&c, "{{.State.Status}}")`.
pub fn inspect_field(container: &str, template: &str) -> String {
    docker_stdout(&["inspect", "-f", template, container])
}

/// Health status of a container: `starting`, `healthy`, `unhealthy`, or `none`
/// when it has no health check.
pub fn health(container: &str) -> String {
    inspect_field(
        container,
        "{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}",
    )
}

/// `docker ps -a` over the containers of a service of the test stack, with
/// more filters, printing `format` for each.
fn ps_service(service: &str, more_filters: &[String], format: &str) -> String {
    let mut filters = vec![
        format!("label=com.docker.compose.project={}", project()),
        format!("label=com.docker.compose.service={service}"),
    ];
    filters.extend_from_slice(more_filters);
    let mut args = vec!["ps", "-a"];
    for filter in &filters {
        args.extend(["--filter", filter.as_str()]);
    }
    args.extend(["--format", format]);
    docker_stdout(&args)
}

/// Names of all containers (running or not) of a service of the test stack,
/// ordered by replica number.
pub fn service_containers(service: &str) -> Vec<String> {
    let out = ps_service(
        service,
        &[],
        "{{.Label \"com.docker.compose.container-number\"}} {{.Names}}",
    );
    let mut numbered: Vec<(u32, String)> = out
        .lines()
        .filter_map(|line| {
            let (n, name) = line.split_once(' ')?;
            Some((n.parse().unwrap_or(0), name.to_string()))
        })
        .collect();
    numbered.sort();
    numbered.into_iter().map(|(_, name)| name).collect()
}

/// The container of replica `n` (1-based) of a service, found by compose labels,
/// so it works whatever the naming scheme (v1 `P_worker_2`, v2 `P-worker-2`).
pub fn try_container_name(service: &str, n: u32) -> Option<String> {
    let number = format!("label=com.docker.compose.container-number={n}");
    ps_service(service, &[number], "{{.Names}}")
        .lines()
        .next()
        .map(str::to_string)
}

/// Like [`try_container_name`], panicking with a hint when there is none.
pub fn container_name(service: &str, n: u32) -> String {
    try_container_name(service, n).unwrap_or_else(|| {
        panic!(
            "no container for service `{service}` #{n} in compose project `{}` \
             (is the test stack up? run scripts/test.sh)",
            project()
        )
    })
}

/// Calls `check` every `poll` until it returns true or `timeout` has passed.
/// Returns whether it succeeded.
pub fn wait_until(timeout: Duration, poll: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(poll);
    }
}

/// Panics with a clear message when no Docker engine answers: a missing
/// service is a failing test, not a skipped one.
pub fn require_engine() {
    let out = Command::new("docker").args(["info"]).output();
    match out {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "the Docker engine is not reachable (`docker info` failed: {}). \
             Run the tests through scripts/test.sh, which starts it.",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => panic!("cannot run `docker` ({e}); run scripts/test.sh, which installs it"),
    }
}

/// A detached tmux session running one command in its own tmux server, for
/// end-to-end tests of the terminal UI. The server is killed on drop.
///
/// Panes stay after their command exits (`remain-on-exit`), so the exit
/// status can be read with [`Tmux::exit_status`].
pub struct Tmux {
    socket: String,
    /// The server's socket file: `kill-server` leaves it behind, so Drop removes it.
    socket_path: Option<PathBuf>,
    session: String,
    config: PathBuf,
}

static TMUX_SERVERS: AtomicUsize = AtomicUsize::new(0);

impl Tmux {
    /// Starts `command` (a shell command line) in a `width`x`height` session.
    pub fn start(session: &str, width: u16, height: u16, command: &str) -> Tmux {
        let n = TMUX_SERVERS.fetch_add(1, Ordering::SeqCst);
        let socket = format!("stacktop-test-{}-{n}", std::process::id());
        // A config file, not a later set-option, so remain-on-exit is already on
        // when a fast command exits.
        let config = std::env::temp_dir().join(format!("{socket}.conf"));
        std::fs::write(
            &config,
            "set -g remain-on-exit on\n\
             set -g default-terminal screen-256color\n\
             set -g history-limit 10000\n\
             set -g status off\n",
        )
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", config.display()));
        let mut tmux = Tmux {
            socket,
            socket_path: None,
            session: session.to_string(),
            config,
        };
        let (w, h) = (width.to_string(), height.to_string());
        let config_arg = tmux.config.to_string_lossy().to_string();
        let args = [
            "-L",
            tmux.socket.as_str(),
            "-f",
            config_arg.as_str(),
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            &w,
            "-y",
            &h,
            command,
        ];
        let out = Command::new("tmux")
            .args(args)
            .env_remove("TMUX")
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run tmux ({e}); run scripts/test.sh, which installs it")
            });
        must_succeed("tmux", &args, out);
        tmux.socket_path = Some(PathBuf::from(tmux.format("#{socket_path}")));
        tmux
    }

    /// Runs a tmux command against this session's server.
    fn tmux(&self, args: &[&str]) -> Output {
        let mut full = vec!["-L", self.socket.as_str()];
        full.extend_from_slice(args);
        must_succeed("tmux", &full, run("tmux", &full))
    }

    fn target(&self) -> String {
        format!("{}:", self.session)
    }

    /// Resizes the window (and so the pane) to `width`x`height`.
    pub fn resize(&self, width: u16, height: u16) {
        let target = self.target();
        let (w, h) = (width.to_string(), height.to_string());
        self.tmux(&["resize-window", "-t", &target, "-x", &w, "-y", &h]);
    }

    /// Sends keys as `tmux send-keys` understands them: `"q"`, `"Enter"`, `"C-c"`, `"Down"`.
    pub fn send_keys(&self, keys: &[&str]) {
        let target = self.target();
        let mut args = vec!["send-keys", "-t", target.as_str()];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Types `text` literally (no key-name lookup).
    pub fn send_text(&self, text: &str) {
        let target = self.target();
        self.tmux(&["send-keys", "-t", &target, "-l", text]);
    }

    /// The visible screen as plain text, one line per row.
    pub fn capture(&self) -> String {
        let target = self.target();
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", &target]).stdout)
            .into_owned()
    }

    /// The scrollback history followed by the visible screen. (When the pane
    /// dies, tmux writes its "Pane is dead" line at the bottom, which can push
    /// the first line of a short output into the history.)
    pub fn capture_history(&self) -> String {
        let target = self.target();
        String::from_utf8_lossy(
            &self
                .tmux(&["capture-pane", "-p", "-S", "-", "-t", &target])
                .stdout,
        )
        .into_owned()
    }

    /// The visible screen with colours and attributes as escape sequences.
    pub fn capture_with_escapes(&self) -> String {
        let target = self.target();
        String::from_utf8_lossy(
            &self
                .tmux(&["capture-pane", "-p", "-e", "-t", &target])
                .stdout,
        )
        .into_owned()
    }

    /// Waits until `text` is in the pane (screen or scrollback; a full-screen
    /// program on the alternate screen has no scrollback, so for it this is the
    /// screen). Returns whether it appeared in time.
    pub fn wait_for_text(&self, text: &str, timeout: Duration) -> bool {
        wait_until(timeout, Duration::from_millis(100), || {
            self.capture_history().contains(text)
        })
    }

    /// Fails the test unless `text` is on the visible screen within
    /// `timeout`, showing the screen it saw.
    pub fn expect_on_screen(&self, text: &str, timeout: Duration) {
        assert!(
            self.wait_for_text_on_screen(text, timeout),
            "`{text}` not on screen after {timeout:?}:\n{}",
            self.capture()
        );
    }

    /// Waits until `text` is on the visible screen.
    pub fn wait_for_text_on_screen(&self, text: &str, timeout: Duration) -> bool {
        wait_until(timeout, Duration::from_millis(100), || {
            self.capture().contains(text)
        })
    }

    /// Reads a tmux format for the pane, e.g. `"#{pane_pid}"`.
    pub fn format(&self, format: &str) -> String {
        let target = self.target();
        String::from_utf8_lossy(
            &self
                .tmux(&["display-message", "-p", "-t", &target, format])
                .stdout,
        )
        .trim()
        .to_string()
    }

    /// Size of the pane as (width, height).
    pub fn size(&self) -> (u16, u16) {
        let s = self.format("#{pane_width} #{pane_height}");
        let mut it = s.split(' ').map(|v| v.parse().unwrap_or(0));
        (it.next().unwrap_or(0), it.next().unwrap_or(0))
    }

    /// PID of the command running in the pane.
    pub fn pid(&self) -> u32 {
        let s = self.format("#{pane_pid}");
        s.parse()
            .unwrap_or_else(|_| panic!("tmux gave no pane pid: {s:?}"))
    }

    /// Whether the command in the pane has exited.
    pub fn pane_dead(&self) -> bool {
        self.format("#{pane_dead}") == "1"
    }

    /// The command's exit status once it has exited, `None` while it runs.
    pub fn exit_status(&self) -> Option<i32> {
        let s = self.format("#{pane_dead} #{pane_dead_status}");
        let (dead, status) = s.split_once(' ').unwrap_or((s.as_str(), ""));
        // tmux can mark a pane dead a moment before it records the status.
        if dead != "1" || status.is_empty() {
            return None;
        }
        // A command killed by a signal has no status; report it as -1.
        Some(status.parse().unwrap_or(-1))
    }

    /// Waits for the command to exit and returns its exit status.
    pub fn wait_for_exit(&self, timeout: Duration) -> Option<i32> {
        let mut status = None;
        wait_until(timeout, Duration::from_millis(100), || {
            status = self.exit_status();
            status.is_some()
        });
        status
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
        let _ = std::fs::remove_file(&self.config);
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}
