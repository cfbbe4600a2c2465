#![allow(clippy::unwrap_used)]
//! End to end: the release binary in tmux against the test stack, driven by
//! keys as a user would, checked on screen and through `docker inspect`.

mod common;

use std::time::Duration;

use common::{Tmux, container_name, docker, inspect_field, project, require_engine, stacktop_bin};

const SECS: fn(u64) -> Duration = Duration::from_secs;

/// Runs stacktop on the test project in a 120x40 pane; after it exits the
/// shell prints its status and the terminal modes, to check the restore.
fn start(session: &str, width: u16, height: u16) -> Tmux {
    start_with(session, width, height, "")
}

fn start_with(session: &str, width: u16, height: u16, env: &str) -> Tmux {
    let bin = stacktop_bin();
    let command = format!(
        "{env} '{}' -p '{}'; s=$?; m=$(stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(echo|icanon)$' | tr '\\n' ' '); echo \"stacktop-exit=$s modes: $m.\"; sleep 30",
        bin.display(),
        project()
    );
    Tmux::start(session, width, height, &command)
}

fn screen_of(tmux: &Tmux) -> String {
    tmux.capture()
}

fn started_at(container: &str) -> String {
    inspect_field(container, "{{.State.StartedAt}}")
}

#[test]
fn dashboard_filters_restarts_tails_logs_and_quits_cleanly() {
    require_engine();
    let tmux = start("e2e-main", 120, 40);

    // Every service of the stack shows up.
    for name in [
        "ticker",
        "healthy",
        "unhealthy",
        "crashloop",
        "worker-1",
        "worker-2",
    ] {
        tmux.expect_on_screen(name, SECS(15));
    }
    tmux.expect_on_screen("✗ unhealthy", SECS(30));

    // `/worker` + Enter selects worker-1; `r` restarts it.
    let worker = container_name("worker", 1);
    let before = started_at(&worker);
    tmux.send_text("/worker");
    tmux.expect_on_screen("/worker", SECS(5));
    tmux.send_keys(&["Enter"]);
    tmux.send_text("r");
    let restarted = common::wait_until(SECS(20), Duration::from_millis(200), || {
        started_at(&worker) != before && inspect_field(&worker, "{{.State.Status}}") == "running"
    });
    assert!(
        restarted,
        "{worker} was not restarted:\n{}",
        screen_of(&tmux)
    );
    tmux.expect_on_screen("restart done", SECS(15));

    // Esc clears the filter; select the ticker and open its logs. (Wait for
    // the Esc to land: an Esc followed at once by more input reads as Alt.)
    tmux.send_keys(&["Escape"]);
    assert!(
        common::wait_until(SECS(5), Duration::from_millis(50), || {
            screen_of(&tmux).contains("ticker")
        }),
        "Esc did not clear the filter:\n{}",
        screen_of(&tmux)
    );
    tmux.send_text("/ticker");
    tmux.send_keys(&["Enter"]);
    tmux.send_text("l");
    tmux.expect_on_screen("Logs ", SECS(5));
    tmux.expect_on_screen("tick ", SECS(10));
    let marker = format!("e2e-marker-{}", std::process::id());
    let ticker = container_name("ticker", 1);
    docker(&[
        "exec",
        &ticker,
        "sh",
        "-c",
        &format!("echo {marker} > /proc/1/fd/1"),
    ]);
    tmux.expect_on_screen(&marker, SECS(5));

    // Back to the list, then quit: status 0 and a sane terminal.
    tmux.send_keys(&["Escape"]);
    tmux.expect_on_screen("SERVICE", SECS(5));
    tmux.send_text("q");
    tmux.expect_on_screen("modes: ", SECS(5));
    let after = screen_of(&tmux);
    assert!(after.contains("stacktop-exit=0"), "{after}");
    assert!(after.contains("icanon echo"), "{after}");
    assert!(
        !after.contains("-echo") && !after.contains("-icanon"),
        "{after}"
    );
    assert_eq!(tmux.format("#{alternate_on}"), "0", "alternate screen left");
}

#[test]
fn sigterm_leaves_the_terminal_restored() {
    require_engine();
    let tmux = start("e2e-term", 80, 24);
    tmux.expect_on_screen("SERVICE", SECS(15));
    let shell = tmux.pid();
    // The pane runs a shell; stacktop is its child.
    let pgrep = std::process::Command::new("pgrep")
        .args(["-P", &shell.to_string(), "stacktop"])
        .output()
        .unwrap();
    let pid = String::from_utf8_lossy(&pgrep.stdout).trim().to_string();
    assert!(!pid.is_empty(), "stacktop process not found under {shell}");
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    tmux.expect_on_screen("modes: ", SECS(5));
    let after = screen_of(&tmux);
    assert!(after.contains("stacktop-exit=0"), "{after}");
    assert!(after.contains("icanon echo"), "{after}");
    assert_eq!(tmux.format("#{alternate_on}"), "0");
}

#[test]
fn panic_restores_the_terminal_then_prints_the_message() {
    require_engine();
    let tmux = start_with("e2e-panic", 80, 24, "STACKTOP_DEBUG_PANIC=1");
    tmux.expect_on_screen("modes: ", SECS(10));
    let after = tmux.capture_history();
    assert!(after.contains("stacktop-exit=101"), "{after}");
    assert!(after.contains("debug panic requested"), "{after}");
    assert!(after.contains("icanon echo"), "{after}");
    assert_eq!(tmux.format("#{alternate_on}"), "0");
}

#[test]
fn bad_theme_is_refused_before_the_screen_is_taken() {
    let dir = std::env::temp_dir().join(format!("stacktop-e2e-theme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let theme = dir.join("broken.toml");
    std::fs::write(&theme, "[roles]\nerror = { fg = \"#ff00ff\" \n").unwrap();
    let out = std::process::Command::new(stacktop_bin())
        .args(["--theme", theme.to_str().unwrap()])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("broken.toml:2:"), "{stderr}");
}
