#![allow(clippy::unwrap_used)]
//! End to end: the mouse, with the release binary in tmux against the test
//! stack. A click selects the row under it, also after Ctrl-Z and `fg`.
//!
//! The trend strip under the list names the selected service
//! (`── worker-2, last 12s ───`), so the plain text of the pane shows
//! which row is selected.

mod support;

use std::time::Duration;

use support::stack::{project, require_stack};
use support::tmux::{Stacktop, Tmux};
use support::wait_until;

const SECS: fn(u64) -> Duration = Duration::from_secs;

/// The screen row of `service`'s row in the list.
fn row_of(screen: &str, service: &str) -> u16 {
    let cell = format!(" {service} ");
    screen
        .lines()
        .position(|l| l.contains(&cell) && !l.starts_with('─'))
        .unwrap_or_else(|| panic!("no row of {service}:\n{screen}")) as u16
}

/// Whether the trend strip names `service` (`── worker-2, last 12s ──`,
/// or `── worker-2 ──` before its first readings).
fn strip_names(screen: &str, service: &str) -> bool {
    let (named, new) = (format!("── {service}, last "), format!("── {service} ─"));
    screen
        .lines()
        .any(|l| l.starts_with(&named) || l.starts_with(&new))
}

/// Fails unless the program in the pane asked for SGR mouse reports. The
/// click below is written as text and would reach stacktop either way; this
/// is what a real terminal needs before it reports a click at all.
fn assert_mouse_on(tmux: &Tmux) {
    let on = wait_until(SECS(5), Duration::from_millis(50), || {
        tmux.format("#{mouse_sgr_flag} #{mouse_any_flag}") == "1 1"
    });
    assert!(
        on,
        "mouse reporting is off in the pane:\n{}",
        tmux.capture()
    );
}

/// Clicks the row of `service` and waits until the strip names it.
fn click_selects(tmux: &Tmux, service: &str) {
    assert_mouse_on(tmux);
    let y = row_of(&tmux.capture(), service);
    tmux.click(4, y);
    let selected = wait_until(SECS(5), Duration::from_millis(50), || {
        strip_names(&tmux.capture(), service)
    });
    assert!(
        selected,
        "a click on row {y} did not select {service}:\n{}",
        tmux.capture()
    );
}

#[test]
fn a_click_selects_the_row_under_it() {
    require_stack();
    let app = Stacktop::on_stack("e2e-click", (120, 30));
    app.expect("worker-2", SECS(15));
    app.expect("select a service", SECS(5));
    click_selects(&app.tmux, "worker-2");
    click_selects(&app.tmux, "ticker");
    app.text("q");
    app.assert_restored("0");
}

#[test]
fn a_click_selects_after_ctrl_z_and_fg() {
    require_stack();
    let args = format!("-p '{}'", project());
    let tmux = Tmux::shell_running_stacktop("e2e-click-tstp", 120, 30, &args);
    tmux.expect_on_screen("worker-2", SECS(15));
    click_selects(&tmux, "worker-1");
    tmux.send_keys(&["C-z"]);
    tmux.expect_on_screen("Stopped", SECS(5));
    assert_eq!(tmux.format("#{alternate_on}"), "0", "suspended");
    tmux.send_text("fg");
    tmux.send_keys(&["Enter"]);
    let back = wait_until(SECS(5), Duration::from_millis(50), || {
        strip_names(&tmux.capture(), "worker-1")
    });
    assert!(back, "not back after fg:\n{}", tmux.capture());
    click_selects(&tmux, "ticker");
    tmux.send_text("q");
    assert!(
        wait_until(SECS(5), Duration::from_millis(50), || {
            tmux.format("#{alternate_on}") == "0"
        }),
        "stacktop did not quit:\n{}",
        tmux.capture()
    );
}
