#![allow(clippy::unwrap_used)]
//! End to end under rough handling: tiny windows, signals, suspend and
//! resume. Every way out must leave a usable terminal.

mod support;

use std::time::Duration;

use support::docker::require_engine;
use support::process::alive;
use support::stack::project;
use support::tmux::{Stacktop, Tmux};
use support::wait_until;

const SECS: fn(u64) -> Duration = Duration::from_secs;

fn start(session: &str) -> Stacktop {
    Stacktop::on_stack(session, (100, 30))
}

#[test]
fn tiny_window_says_so_and_recovers() {
    require_engine();
    let app = start("faults-resize");
    app.expect("SERVICE", SECS(15));
    app.tmux.resize(20, 5);
    app.expect("window too small", SECS(5));
    app.tmux.resize(100, 30);
    app.expect("SERVICE", SECS(5));
    app.text("q");
    app.assert_restored("0");
}

#[test]
fn sighup_and_ctrl_c_restore_the_terminal() {
    require_engine();
    let hup = start("faults-hup");
    hup.expect("SERVICE", SECS(15));
    hup.signal("HUP");
    hup.assert_restored("0");

    let ctrl_c = start("faults-ctrl-c");
    ctrl_c.expect("SERVICE", SECS(15));
    ctrl_c.keys(&["C-c"]);
    ctrl_c.assert_restored("0");
}

#[test]
fn ctrl_z_suspends_and_fg_resumes() {
    require_engine();
    let args = format!("-p '{}'", project());
    let tmux = Tmux::shell_running_stacktop("faults-tstp", 100, 30, &args);
    tmux.send_keys(&["C-z"]);
    tmux.expect_on_screen("Stopped", SECS(5));
    assert_eq!(
        tmux.format("#{alternate_on}"),
        "0",
        "suspended: main screen back"
    );
    tmux.send_text("stty -a | grep -o ' icanon' ; echo checked-modes");
    tmux.send_keys(&["Enter"]);
    tmux.expect_on_screen("checked-modes", SECS(5));
    assert!(tmux.capture().contains(" icanon"), "{}", tmux.capture());
    // Prompts on the main screen now: one more means the shell is back.
    let prompts = tmux.capture().matches("ready$").count();
    tmux.send_text("fg");
    tmux.send_keys(&["Enter"]);
    tmux.expect_on_screen("SERVICE", SECS(5));
    tmux.send_text("q");
    // Type the next command only once the shell prompts again, or
    // stacktop eats it.
    assert!(wait_until(SECS(5), Duration::from_millis(50), || {
        tmux.format("#{alternate_on}") == "0" && tmux.capture().matches("ready$").count() > prompts
    }));
    tmux.send_text("echo after-exit-$?");
    tmux.send_keys(&["Enter"]);
    tmux.expect_on_screen("after-exit-0", SECS(5));
}

#[test]
fn a_lost_terminal_ends_stacktop_within_a_second() {
    require_engine();
    let app = start("faults-lost-tty");
    app.expect("SERVICE", SECS(15));
    let pid = app.pid();
    // The terminal goes away under stacktop: its tmux server is killed.
    drop(app);
    let gone = wait_until(SECS(2), Duration::from_millis(50), || !alive(&pid));
    assert!(
        gone,
        "stacktop (pid {pid}) still runs after its terminal went away"
    );
}

#[test]
fn sigterm_ends_stacktop_within_a_second() {
    require_engine();
    let app = start("faults-term");
    app.expect("SERVICE", SECS(15));
    let pid = app.pid();
    app.signal("TERM");
    let gone = wait_until(SECS(2), Duration::from_millis(20), || !alive(&pid));
    assert!(gone, "stacktop (pid {pid}) still runs after SIGTERM");
    app.assert_restored("0");
}
