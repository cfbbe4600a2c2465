#![allow(clippy::unwrap_used)]
//! End to end: reset and up from the keyboard, in tmux, on a compose project
//! of its own (tests/stack/reset.yaml), checked through the engine.

mod common;
#[path = "compose/stack.rs"]
mod stack;

use std::time::Duration;

use common::{Tmux, inspect_field, stacktop_bin, try_docker, wait_until};
use stack::Stack;

const SECS: fn(u64) -> Duration = Duration::from_secs;

fn select(tmux: &Tmux, name: &str) {
    tmux.send_keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(150));
    tmux.send_text(&format!("/{name}"));
    tmux.expect_on_screen(&format!("/{name}"), SECS(5));
    tmux.send_keys(&["Enter"]);
    std::thread::sleep(Duration::from_millis(150));
}

#[test]
fn reset_asks_lists_the_volume_and_only_y_recreates_the_service() {
    let stack = Stack::up("e2e", &["keeper"]);
    stack.write_marker("before-reset");
    let keeper = stack.container("keeper");
    let id_before = inspect_field(&keeper, "{{.Id}}");
    let volume = stack.volume("keep");

    let command = format!("'{}' -p '{}'", stacktop_bin().display(), stack.project);
    let tmux = Tmux::start("e2e-reset", 140, 40, &command);
    tmux.expect_on_screen("keeper", SECS(15));

    // Declared but never created: `cache` shows as such, and u starts it.
    tmux.expect_on_screen("not created", SECS(15));
    select(&tmux, "cache");
    tmux.send_text("u");
    assert!(
        wait_until(SECS(30), Duration::from_millis(300), || {
            stack.containers_of("cache").len() == 1
                && inspect_field(&stack.container("cache"), "{{.State.Status}}") == "running"
        }),
        "u did not bring cache up:\n{}",
        tmux.capture()
    );
    tmux.expect_on_screen("up of cache done", SECS(30));

    // X asks, naming the volume; anything but y changes nothing.
    select(&tmux, "keeper");
    tmux.send_text("X");
    tmux.expect_on_screen("Confirm", SECS(10));
    tmux.expect_on_screen(&volume, SECS(5));
    tmux.send_text("n");
    tmux.expect_on_screen("nothing was changed", SECS(5));
    assert_eq!(inspect_field(&keeper, "{{.Id}}"), id_before);
    assert_eq!(stack.marker().trim(), "before-reset");

    // y resets: a new container, running, on an emptied volume.
    tmux.send_text("X");
    tmux.expect_on_screen("Confirm", SECS(10));
    tmux.send_text("y");
    let recreated = wait_until(SECS(60), Duration::from_millis(300), || {
        let names = stack.containers_of("keeper");
        names.len() == 1 && {
            let id = inspect_field(&names[0], "{{.Id}}");
            id != id_before && inspect_field(&names[0], "{{.State.Status}}") == "running"
        }
    });
    assert!(recreated, "keeper was not recreated:\n{}", tmux.capture());
    tmux.expect_on_screen("reset of keeper done", SECS(30));
    let marker = try_docker(&["exec", &stack.container("keeper"), "cat", "/keep/marker"]);
    assert!(
        !marker.status.success(),
        "the volume still holds the marker"
    );
    tmux.send_text("q");
}
