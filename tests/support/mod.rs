//! Everything the integration and end-to-end tests share, in one tree.
//!
//! Use from a test file with `mod support;`. The tests expect the stack of
//! `tests/stack/compose.yaml` to be up, as `scripts/test.sh` arranges; a
//! missing engine, image or service fails a test with what to start, never
//! skips it.
//!
//! - [`docker`]: the docker CLI, throwaway containers, an engine proxy.
//! - [`compose_cli`]: picking compose v2, only v1, or none.
//! - [`stack`]: the test stack: its project, services, ports.
//! - [`project`]: a throwaway compose project of `tests/stack/reset.yaml`.
//! - [`engine`]: a private Docker engine in its own network namespace.
//! - [`podman`]: a Podman API service with storage of its own.
//! - [`remote`]: TLS (socat) and SSH (sshd) in front of an engine's socket.
//! - [`fleet`]: many fixture containers at once.
//! - [`fake_engine`], [`fake_fleet`]: a made-up engine, and 100,000 made-up containers for it.
//! - [`postgres`], [`redis`]: sessions, probes and throwaway servers.
//! - [`rabbit`]: the stack's RabbitMQ: its target, AMQP publishing and consuming.
//! - [`probe`]: any probe run as the app runs it, and its events.
//! - [`tmux`]: stacktop in a tmux pane, and reading its screen.
//! - [`ports`]: free ports on the loopback.
//! - [`events`]: waiting on the app's event channel.
//! - [`hostile`]: escape payloads, and the check that none is printed.
//! - [`process`]: whether a process runs, and what it started.
#![allow(dead_code)]

pub mod compose_cli;
pub mod docker;
pub mod engine;
pub mod events;
pub mod fake_engine;
pub mod fake_fleet;
pub mod fleet;
pub mod hostile;
pub mod podman;
pub mod ports;
pub mod postgres;
pub mod probe;
pub mod process;
pub mod project;
pub mod rabbit;
pub mod redis;
pub mod remote;
pub mod stack;
pub mod tmux;

use std::path::PathBuf;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

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

/// A suffix no other test run uses: the pid and the clock's nanoseconds.
pub fn unique() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{}_{nanos}", std::process::id())
}

/// A folder of its own for one test, removed when dropped.
pub struct Folder(pub PathBuf);

impl Folder {
    pub fn new(purpose: &str) -> Self {
        let path = std::env::temp_dir().join(format!("stacktop-{purpose}-{}", unique()));
        std::fs::create_dir_all(&path).expect("a temporary folder");
        Self(path)
    }

    /// Writes `name` in the folder; returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("writing a test file");
        path
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
