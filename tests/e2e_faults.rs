#![allow(clippy::unwrap_used)]
//! End to end under rough handling: tiny windows, signals, suspend and
//! resume. Every way out must leave a usable terminal.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{Tmux, project, require_engine, stacktop_bin};

const SECS: fn(u64) -> Duration = Duration::from_secs;

/// stacktop in a pane; after it exits the shell prints its status and the
/// terminal modes on one line.
fn start(session: &str) -> Tmux {
    let command = format!(
        "'{}' -p '{}'; s=$?; m=$(stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(echo|icanon)$' | tr '\\n' ' '); echo \"stacktop-exit=$s modes: $m.\"; sleep 30",
        stacktop_bin().display(),
        project()
    );
    Tmux::start(session, 100, 30, &command)
}

fn stacktop_pid(tmux: &Tmux) -> String {
    let out = Command::new("pgrep")
        .args(["-P", &tmux.pid().to_string(), "stacktop"])
        .output()
        .unwrap();
    let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        !pid.is_empty(),
        "stacktop is not running:\n{}",
        tmux.capture()
    );
    pid
}

fn signal(pid: &str, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), pid])
        .status()
        .unwrap();
    assert!(status.success());
}

fn assert_restored(tmux: &Tmux, exit: &str) {
    tmux.expect_on_screen("modes: ", SECS(5));
    let screen = tmux.capture();
    assert!(
        screen.contains(&format!("stacktop-exit={exit} ")),
        "{screen}"
    );
    assert!(screen.contains("icanon echo"), "{screen}");
    assert_eq!(tmux.format("#{alternate_on}"), "0", "alternate screen left");
}

#[test]
fn tiny_window_says_so_and_recovers() {
    require_engine();
    let tmux = start("faults-resize");
    tmux.expect_on_screen("SERVICE", SECS(15));
    tmux.resize(20, 5);
    tmux.expect_on_screen("window too small", SECS(5));
    tmux.resize(100, 30);
    tmux.expect_on_screen("SERVICE", SECS(5));
    tmux.send_text("q");
    assert_restored(&tmux, "0");
}

#[test]
fn sighup_and_ctrl_c_restore_the_terminal() {
    require_engine();
    let hup = start("faults-hup");
    hup.expect_on_screen("SERVICE", SECS(15));
    signal(&stacktop_pid(&hup), "HUP");
    assert_restored(&hup, "0");

    let ctrl_c = start("faults-ctrl-c");
    ctrl_c.expect_on_screen("SERVICE", SECS(15));
    ctrl_c.send_keys(&["C-c"]);
    assert_restored(&ctrl_c, "0");
}

#[test]
fn ctrl_z_suspends_and_fg_resumes() {
    require_engine();
    // An interactive shell, so job control (fg) works.
    let tmux = Tmux::start("faults-tstp", 100, 30, "bash --norc --noprofile -i");
    std::thread::sleep(Duration::from_millis(300));
    tmux.send_text(&format!(
        "'{}' -p '{}'",
        stacktop_bin().display(),
        project()
    ));
    tmux.send_keys(&["Enter"]);
    tmux.expect_on_screen("SERVICE", SECS(15));
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
    tmux.send_text("fg");
    tmux.send_keys(&["Enter"]);
    tmux.expect_on_screen("SERVICE", SECS(5));
    tmux.send_text("q");
    // Type the next command only once stacktop has gone, or it eats it.
    assert!(common::wait_until(
        SECS(5),
        Duration::from_millis(50),
        || { tmux.format("#{alternate_on}") == "0" }
    ));
    std::thread::sleep(Duration::from_millis(200));
    tmux.send_text("echo after-exit-$?");
    tmux.send_keys(&["Enter"]);
    tmux.expect_on_screen("after-exit-0", SECS(5));
}
