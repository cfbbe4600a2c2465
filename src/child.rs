//! The programs stacktop starts (the compose CLI, ssh), each in a process
//! group of its own so that it can be ended whole.
//!
//! Ending only the direct child is not enough: `docker compose` runs the
//! compose plugin as a grandchild, and a `docker-compose … config` left
//! behind kept a core busy long after stacktop had exited. So every child
//! leads a group, and a group is ended with SIGTERM, then SIGKILL after
//! [`GRACE`] for whatever ignored it: when its command times out, when the
//! task waiting for it is cancelled (the [`Group`] is dropped), and when
//! stacktop exits ([`end_all`]).
//!
//! A group id is its leader's pid. Once the leader is reaped and the group
//! is empty the number is free again; it could only be signalled by
//! mistake if the system handed out every other pid within the grace
//! period, which is not a risk worth more code.

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::os::unix::process::CommandExt as _;
use std::process::{ExitStatus, Output};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::process::{Child, Command};

/// How long a group has between SIGTERM and SIGKILL.
pub const GRACE: Duration = Duration::from_secs(2);
/// The same when stacktop exits, which should be at once.
const GRACE_AT_EXIT: Duration = Duration::from_millis(500);
/// How often a group is looked at while it is given time to end.
const POLL: Duration = Duration::from_millis(20);

/// The groups started and not known to be gone.
#[derive(Debug)]
pub struct Registry(Mutex<BTreeSet<i32>>);

static LIVE: Registry = Registry::new();

impl Registry {
    const fn new() -> Self {
        Self(Mutex::new(BTreeSet::new()))
    }

    fn ids(&self) -> std::sync::MutexGuard<'_, BTreeSet<i32>> {
        // A panic while the set was held left it whole: keep using it.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Ends every group still running: SIGTERM to all, then SIGKILL to
    /// those not gone after `grace`.
    fn end_all(&self, grace: Duration) {
        let ids = std::mem::take(&mut *self.ids());
        let running: Vec<i32> = ids
            .into_iter()
            .filter(|id| signal(*id, Signal::SIGTERM))
            .collect();
        let deadline = Instant::now() + grace;
        while running.iter().any(|id| exists(*id)) && Instant::now() < deadline {
            std::thread::sleep(POLL);
        }
        for id in running {
            signal(id, Signal::SIGKILL);
        }
    }
}

/// Ends every child group still running; for stacktop's way out.
pub fn end_all() {
    LIVE.end_all(GRACE_AT_EXIT);
}

/// A running process group, ended when dropped (see the module's notes).
#[derive(Debug)]
pub struct Group {
    id: i32,
    registry: &'static Registry,
}

impl Group {
    fn new(pid: Option<u32>, registry: &'static Registry) -> io::Result<Self> {
        let id = pid
            .and_then(|pid| i32::try_from(pid).ok())
            .ok_or_else(|| io::Error::other("the child has no process id"))?;
        registry.ids().insert(id);
        Ok(Self { id, registry })
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let (id, registry) = (self.id, self.registry);
        if !signal(id, Signal::SIGTERM) {
            registry.ids().remove(&id);
            return;
        }
        let kill_late = move || {
            let deadline = Instant::now() + GRACE;
            while exists(id) && Instant::now() < deadline {
                std::thread::sleep(POLL);
            }
            signal(id, Signal::SIGKILL);
            registry.ids().remove(&id);
        };
        // Without a thread to wait on it, the group gets no grace.
        let spawned = std::thread::Builder::new()
            .name("child-group-end".into())
            .spawn(kill_late);
        if spawned.is_err() {
            signal(id, Signal::SIGKILL);
            registry.ids().remove(&id);
        }
    }
}

/// Sends `sig` to group `id`; false when the group is gone.
fn signal(id: i32, sig: Signal) -> bool {
    killpg(Pid::from_raw(id), sig) != Err(Errno::ESRCH)
}

/// Whether group `id` has a member still (an exited child not yet reaped
/// counts: reaping it is the runtime's part).
fn exists(id: i32) -> bool {
    killpg(Pid::from_raw(id), None) != Err(Errno::ESRCH)
}

/// Starts `cmd` as the leader of a group of its own; the group is ended
/// when the returned [`Group`] is dropped.
pub fn spawn(cmd: &mut Command) -> io::Result<(Child, Group)> {
    spawn_in(cmd, &LIVE)
}

fn spawn_in(cmd: &mut Command, registry: &'static Registry) -> io::Result<(Child, Group)> {
    // The group, not tokio, ends it: SIGTERM first, and the grandchildren too.
    cmd.process_group(0).kill_on_drop(false);
    let child = cmd.spawn()?;
    let group = Group::new(child.id(), registry)?;
    Ok((child, group))
}

/// Why a command gave no output.
#[derive(Debug)]
pub enum RunError {
    /// It could not be started.
    Start(io::Error),
    /// It ran longer than allowed and was ended.
    TimedOut(Duration),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Start(e) => write!(f, "{e}"),
            Self::TimedOut(limit) => write!(f, "did not finish in {} s", limit.as_secs()),
        }
    }
}

impl std::error::Error for RunError {}

/// Runs `cmd` to its end in a group of its own and returns what it wrote
/// (set stdout and stderr to pipes to have it). Past `timeout`, or when
/// the caller stops waiting, the group is ended.
pub async fn output(mut cmd: Command, timeout: Duration) -> Result<Output, RunError> {
    output_in(&mut cmd, timeout, &LIVE).await
}

async fn output_in(
    cmd: &mut Command,
    timeout: Duration,
    registry: &'static Registry,
) -> Result<Output, RunError> {
    let (child, _group) = spawn_in(cmd, registry).map_err(RunError::Start)?;
    match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Ok(result) => result.map_err(RunError::Start),
        Err(_) => Err(RunError::TimedOut(timeout)),
    }
}

/// The same for a blocking caller that needs only the exit status.
pub fn status_blocking(
    cmd: &mut std::process::Command,
    timeout: Duration,
) -> Result<ExitStatus, RunError> {
    cmd.process_group(0);
    let mut child = cmd.spawn().map_err(RunError::Start)?;
    let group = Group::new(Some(child.id()), &LIVE).map_err(RunError::Start)?;
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().map_err(RunError::Start)? {
            return Ok(status);
        }
        if Instant::now() >= deadline {
            drop(group);
            // Ended within the grace period; reaped here.
            let _ = child.wait();
            return Err(RunError::TimedOut(timeout));
        }
        std::thread::sleep(POLL);
    }
}

#[cfg(test)]
mod tests;
