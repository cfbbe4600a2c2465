#![allow(clippy::unwrap_used)]
//! End to end: the release binary in tmux against the test stack, driven by
//! keys as a user would, checked on screen and through `docker inspect`.

mod support;

use std::time::Duration;

use support::docker::{docker, inspect_field, require_engine};
use support::stack::{container_name, project};
use support::tmux::{Stacktop, stacktop_bin};
use support::wait_until;

const SECS: fn(u64) -> Duration = Duration::from_secs;

fn started_at(container: &str) -> String {
    inspect_field(container, "{{.State.StartedAt}}")
}

#[test]
fn dashboard_filters_restarts_tails_logs_and_quits_cleanly() {
    require_engine();
    let app = Stacktop::on_stack("e2e-main", (120, 40));

    // Every service of the stack shows up.
    for name in [
        "ticker",
        "healthy",
        "unhealthy",
        "crashloop",
        "worker-1",
        "worker-2",
    ] {
        app.expect(name, SECS(15));
    }
    app.expect("✗ unhealthy", SECS(30));

    // `/worker` + Enter selects worker-1; `r` restarts it.
    let worker = container_name("worker", 1);
    let before = started_at(&worker);
    app.select("worker");
    app.text("r");
    let restarted = wait_until(SECS(20), Duration::from_millis(200), || {
        started_at(&worker) != before && inspect_field(&worker, "{{.State.Status}}") == "running"
    });
    assert!(restarted, "{worker} was not restarted:\n{}", app.screen());
    // The status line may have moved on by now on a busy machine: the
    // messages overlay keeps what was said.
    app.text("m");
    app.expect("restart done", SECS(15));
    app.text("m");
    app.wait_screen_for("the messages overlay closed", SECS(5), |s| {
        !s.contains("Messages, newest first")
    });

    // Esc clears the filter; select the ticker and open its logs.
    app.escape();
    app.select("ticker");
    app.text("l");
    app.expect("Logs ", SECS(5));
    app.expect("tick ", SECS(10));
    let marker = format!("e2e-marker-{}", std::process::id());
    let ticker = container_name("ticker", 1);
    docker(&[
        "exec",
        &ticker,
        "sh",
        "-c",
        &format!("echo {marker} > /proc/1/fd/1"),
    ]);
    app.expect(&marker, SECS(5));

    // Back to the list, then quit: status 0 and a sane terminal.
    app.escape();
    app.expect("SERVICE", SECS(5));
    app.text("q");
    app.assert_restored("0");
    let after = app.screen();
    assert!(
        !after.contains("-echo") && !after.contains("-icanon"),
        "{after}"
    );
}

#[test]
fn sigterm_leaves_the_terminal_restored() {
    require_engine();
    let app = Stacktop::on_stack("e2e-term", (80, 24));
    app.expect("SERVICE", SECS(15));
    app.signal("TERM");
    app.assert_restored("0");
}

#[test]
fn panic_restores_the_terminal_then_prints_the_message() {
    require_engine();
    let args = format!("-p '{}'", project());
    let env = [("STACKTOP_DEBUG_PANIC", "1".to_string())];
    let app = Stacktop::start("e2e-panic", (80, 24), &args, &env);
    app.assert_restored("101");
    let after = app.tmux.capture_history();
    assert!(after.contains("debug panic requested"), "{after}");
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
