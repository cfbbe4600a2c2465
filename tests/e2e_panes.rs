#![allow(clippy::unwrap_used)]
//! End to end: the release binary in a small tmux pane, as someone keeps it
//! all day next to an editor: problems in sight at 100x12, the order key,
//! a fold kept across runs, the notice of a service killed while its
//! project is folded, and exactly one bell when the config asks for it.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use support::docker::docker;
use support::project::Stack;
use support::stack::require_stack;
use support::tmux::Stacktop;
use support::{unique, wait_until};

const SECS: fn(u64) -> Duration = Duration::from_secs;

/// The screen line of the row named `name` (after the attention mark), if
/// it is on screen.
fn row(screen: &str, name: &str) -> Option<usize> {
    screen
        .lines()
        .position(|l| l.split_whitespace().take(2).any(|word| word == name))
}

/// A file in the temporary folder for this test only.
fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("stacktop-panes-{name}-{}", unique()))
}

#[test]
fn at_100x12_the_unhealthy_service_shows_without_scrolling() {
    require_stack();
    let app = Stacktop::on_stack("panes-small", (100, 12));
    app.expect("✗ unhealthy", SECS(30));
    let screen = app.screen();
    assert!(screen.contains("more running fine"), "{screen}");
    assert_eq!(screen.lines().count(), 12, "{screen}");
    // Sorted by name it sorts among the last rows, and still shows.
    app.text("o");
    app.expect("SERVICE▲", SECS(5));
    app.wait_screen_for("unhealthy in sight, sorted by name", SECS(5), |s| {
        row(s, "unhealthy").is_some() && s.contains("more running fine")
    });
    app.text("q");
    app.assert_restored("0");
}

#[test]
fn the_sort_key_changes_the_order() {
    require_stack();
    let app = Stacktop::on_stack("panes-sort", (140, 40));
    app.expect("✗ unhealthy", SECS(30));
    app.wait_screen_for(
        "problems first",
        SECS(10),
        |s| matches!((row(s, "unhealthy"), row(s, "api")), (Some(bad), Some(fine)) if bad < fine),
    );
    app.text("o");
    app.wait_screen_for("by name", SECS(5), |s| {
        s.contains("SERVICE▲")
            && matches!((row(s, "unhealthy"), row(s, "api")), (Some(bad), Some(fine)) if fine < bad)
    });
    app.text("o");
    app.expect("CPU▼", SECS(5));
    app.text("q");
}

#[test]
fn a_folded_project_stays_folded_when_stacktop_starts_again() {
    let stack = Stack::up("panes-fold", &["keeper"]);
    let state = scratch("fold-state.toml");
    let env = [("STACKTOP_STATE_FILE", state.display().to_string())];
    let args = format!("-p '{}'", stack.project);
    let folded = format!("▸ {}", stack.project);

    let app = Stacktop::start("panes-fold-1", (100, 12), &args, &env);
    app.wait_screen_for("keeper listed", SECS(15), |s| row(s, "keeper").is_some());
    // The project's row is selected first: Space folds it.
    app.text(" ");
    app.wait_screen_for("folded", SECS(5), |s| {
        s.contains(&folded) && row(s, "keeper").is_none()
    });
    app.text("q");
    app.assert_restored("0");
    let saved = std::fs::read_to_string(&state).unwrap();
    assert!(
        saved.contains(&format!("{} = true", stack.project)),
        "{saved}"
    );

    let again = Stacktop::start("panes-fold-2", (100, 12), &args, &env);
    again.expect(&folded, SECS(15));
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        row(&again.screen(), "keeper").is_none(),
        "{}",
        again.screen()
    );
    again.text("q");
    let _ = std::fs::remove_file(&state);
}

#[test]
fn a_service_killed_while_its_project_is_folded_is_noticed() {
    let stack = Stack::up("panes-kill", &["keeper"]);
    let args = format!("-p '{}'", stack.project);
    let app = Stacktop::start("panes-kill", (100, 12), &args, &[]);
    app.wait_screen_for("keeper listed", SECS(15), |s| row(s, "keeper").is_some());
    app.text(" ");
    app.expect(&format!("▸ {}", stack.project), SECS(5));

    docker(&["kill", &stack.container("keeper")]);
    app.wait_screen_for("the notice", SECS(15), |s| {
        s.lines()
            .any(|l| l.contains("✗ ") && l.contains("keeper exited (137)"))
    });
    // Still folded: the notice is all that tells.
    assert!(row(&app.screen(), "keeper").is_none(), "{}", app.screen());
    // A key: seen. The timeline keeps it.
    app.text("e");
    app.expect("State changes", SECS(5));
    app.expect("keeper exited (137)", SECS(5));
    app.text("x");
    app.wait_screen_for("the notice gone", SECS(5), |s| !s.contains("keeper exited"));
    app.text("q");
}

#[test]
fn with_the_bell_on_a_kill_rings_it_exactly_once() {
    let stack = Stack::up("panes-bell", &["keeper"]);
    let config = scratch("bell.toml");
    std::fs::write(&config, "[notify]\nbell = true\ntitle = true\n").unwrap();
    let output = scratch("bell-output");
    let args = format!("-p '{}' --config '{}'", stack.project, config.display());
    let app = Stacktop::start("panes-bell", (100, 12), &args, &[]);
    app.tmux.record_output(&output);
    app.wait_screen_for("keeper listed", SECS(15), |s| row(s, "keeper").is_some());
    let titled = wait_until(SECS(5), Duration::from_millis(100), || {
        app.tmux.format("#{pane_title}") == "stacktop: ok"
    });
    assert!(titled, "pane title: {}", app.tmux.format("#{pane_title}"));
    let bells = || {
        let bytes = std::fs::read(&output).unwrap_or_default();
        bytes.iter().filter(|b| **b == 0x07).count()
    };
    assert_eq!(bells(), 0, "no bell before anything broke");

    docker(&["kill", &stack.container("keeper")]);
    app.expect("keeper exited (137)", SECS(15));
    // Whatever else arrives about it (the engine's die and stop events,
    // the next ticks), one change rings once.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(bells(), 1, "bells in the pane's output");
    assert_eq!(app.tmux.format("#{window_bell_flag}"), "1");
    assert_eq!(app.tmux.format("#{pane_title}"), "stacktop: 1 problem");
    app.text("q");
    app.assert_restored("0");
    let _ = std::fs::remove_file(&config);
    let _ = std::fs::remove_file(&output);
}
