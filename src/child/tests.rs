use std::path::PathBuf;
use std::process::Stdio;

use super::*;

/// A process is gone when it no longer exists or is a zombie (a
/// grandchild handed to an init that does not reap stays one).
fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => false,
        // `pid (name) S ...`: the state follows the name's closing paren.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
            .is_some_and(|state| state != 'Z' && state != 'X'),
    }
}

/// Waits up to `limit` for `pid` to be gone, letting the runtime reap.
async fn gone_within(pid: i32, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while alive(pid) {
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(POLL).await;
    }
    true
}

fn pid_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("stacktop-child-{name}-{}", std::process::id()))
}

/// A shell that starts `sleep 600` in the background, writes its pid to
/// `file`, and waits; with `stubborn`, both ignore SIGTERM.
fn shell_with_grandchild(file: &PathBuf, stubborn: bool) -> Command {
    let _ = std::fs::remove_file(file);
    let trap = if stubborn { "trap '' TERM; " } else { "" };
    let script = format!("{trap}sleep 600 & echo $! > '{}'; wait", file.display());
    let mut cmd = Command::new("sh");
    cmd.args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

async fn grandchild_pid(file: &PathBuf) -> i32 {
    for _ in 0..100 {
        if let Some(pid) = std::fs::read_to_string(file)
            .ok()
            .and_then(|text| text.trim().parse().ok())
        {
            return pid;
        }
        tokio::time::sleep(POLL).await;
    }
    panic!("the shell never wrote {}", file.display());
}

#[tokio::test]
async fn a_finished_command_gives_its_output_and_leaves_no_group() {
    static REGISTRY: Registry = Registry::new();
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "echo out; echo err >&2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = output_in(&mut cmd, Duration::from_secs(10), &REGISTRY)
        .await
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "out\n");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "err\n");
    assert!(REGISTRY.ids().is_empty());
}

#[tokio::test]
async fn a_timed_out_command_is_ended_with_a_grandchild_that_ignores_sigterm() {
    static REGISTRY: Registry = Registry::new();
    let file = pid_file("stubborn");
    let mut cmd = shell_with_grandchild(&file, true);
    let started = Instant::now();
    let result = output_in(&mut cmd, Duration::from_millis(500), &REGISTRY).await;
    assert!(matches!(result, Err(RunError::TimedOut(_))), "{result:?}");
    let pid = grandchild_pid(&file).await;
    // SIGTERM is ignored: only SIGKILL, after the grace period, ends it.
    assert!(alive(pid), "ended before its grace period");
    assert!(gone_within(pid, GRACE + Duration::from_secs(3)).await);
    assert!(started.elapsed() >= GRACE, "killed without a grace period");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(REGISTRY.ids().is_empty(), "{:?}", REGISTRY.ids());
    let _ = std::fs::remove_file(&file);
}

#[tokio::test]
async fn a_command_nobody_waits_for_any_more_is_ended_at_once() {
    static REGISTRY: Registry = Registry::new();
    let file = pid_file("cancelled");
    let mut cmd = shell_with_grandchild(&file, false);
    let run = output_in(&mut cmd, Duration::from_secs(600), &REGISTRY);
    tokio::select! {
        _ = run => panic!("the command finished"),
        () = tokio::time::sleep(Duration::from_millis(500)) => {}
    }
    let pid = grandchild_pid(&file).await;
    // SIGTERM ends it: well within the grace period.
    assert!(gone_within(pid, GRACE / 2).await, "still running");
    let _ = std::fs::remove_file(&file);
}

#[tokio::test]
async fn ending_all_ends_the_groups_still_running() {
    static REGISTRY: Registry = Registry::new();
    let file = pid_file("at-exit");
    let mut cmd = shell_with_grandchild(&file, true);
    let (_child, group) = spawn_in(&mut cmd, &REGISTRY).unwrap();
    let pid = grandchild_pid(&file).await;
    let started = Instant::now();
    REGISTRY.end_all(Duration::from_millis(200));
    assert!(started.elapsed() < GRACE, "waited the long grace period");
    assert!(gone_within(pid, Duration::from_secs(2)).await);
    assert!(REGISTRY.ids().is_empty());
    drop(group);
    let _ = std::fs::remove_file(&file);
}

#[test]
fn a_blocking_wait_gives_the_status_or_times_out() {
    let mut ok = std::process::Command::new("true");
    assert!(
        status_blocking(&mut ok, Duration::from_secs(10))
            .unwrap()
            .success()
    );
    let mut slow = std::process::Command::new("sleep");
    slow.arg("600");
    let started = Instant::now();
    let result = status_blocking(&mut slow, Duration::from_millis(100));
    assert!(matches!(result, Err(RunError::TimedOut(_))), "{result:?}");
    assert!(started.elapsed() < GRACE, "sleep ends on SIGTERM");
}
