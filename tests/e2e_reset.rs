#![allow(clippy::unwrap_used)]
//! End to end: reset and up from the keyboard, in tmux, on a compose project
//! of its own (tests/stack/reset.yaml), checked through the engine.

mod support;

use std::time::Duration;

use support::docker::{inspect_field, try_docker};
use support::project::Stack;
use support::tmux::Stacktop;
use support::wait_until;

const SECS: fn(u64) -> Duration = Duration::from_secs;

/// Clears the filter (if one is kept), then selects `name` with it.
fn select(app: &Stacktop, name: &str) {
    if app.screen().contains("filter: ") {
        app.escape();
    }
    app.select(name);
}

#[test]
fn reset_asks_lists_the_volume_and_only_y_recreates_the_service() {
    let stack = Stack::up("e2e", &["keeper"]);
    stack.write_marker("before-reset");
    let keeper = stack.container("keeper");
    let id_before = inspect_field(&keeper, "{{.Id}}");
    let volume = stack.volume("keep");

    let args = format!("-p '{}'", stack.project);
    let app = Stacktop::start("e2e-reset", (140, 40), &args, &[]);
    app.expect("keeper", SECS(15));

    // Declared but never created: `cache` shows as such, and u starts it.
    app.expect("not created", SECS(15));
    select(&app, "cache");
    app.text("u");
    assert!(
        wait_until(SECS(30), Duration::from_millis(300), || {
            stack.containers_of("cache").len() == 1
                && inspect_field(&stack.container("cache"), "{{.State.Status}}") == "running"
        }),
        "u did not bring cache up:\n{}",
        app.screen()
    );
    app.expect("up of cache done", SECS(30));

    // X asks, naming the volume; anything but y changes nothing.
    select(&app, "keeper");
    app.text("X");
    app.expect("Confirm", SECS(10));
    app.expect(&volume, SECS(5));
    app.text("n");
    app.expect("nothing was changed", SECS(5));
    assert_eq!(inspect_field(&keeper, "{{.Id}}"), id_before);
    assert_eq!(stack.marker().trim(), "before-reset");

    // y resets: a new container, running, on an emptied volume.
    app.text("X");
    app.expect("Confirm", SECS(10));
    app.text("y");
    let recreated = wait_until(SECS(60), Duration::from_millis(300), || {
        let names = stack.containers_of("keeper");
        // The old container may go between the listing and the inspect.
        let state =
            |name: &str| try_docker(&["inspect", "--format", "{{.Id}} {{.State.Status}}", name]);
        names.len() == 1
            && state(&names[0]).is_ok_and(|s| !s.starts_with(&id_before) && s.ends_with(" running"))
    });
    assert!(recreated, "keeper was not recreated:\n{}", app.screen());
    app.expect("reset of keeper done", SECS(30));
    let marker = try_docker(&["exec", &stack.container("keeper"), "cat", "/keep/marker"]);
    assert!(marker.is_err(), "the volume still holds the marker");
    app.text("q");
}
