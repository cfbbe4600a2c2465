#![allow(clippy::unwrap_used)]
//! Secrets never reach the log file: with `RUST_LOG=debug`, or with the
//! engine client asked for by name (it logs whole inspect answers, the
//! environment and command of the stack's PostgreSQL, Redis and RabbitMQ
//! included), `--log-file` holds no password of the test stack.

mod support;

use std::path::Path;
use std::process::Command;

use support::Folder;
use support::hostile::assert_printable;
use support::stack::{RABBIT_USER, REDIS_PASSWORD, project, require_stack};
use support::tmux::stacktop_bin;

/// The stack's passwords, as its compose file gives them.
const PASSWORDS: [&str; 3] = ["app-secret", REDIS_PASSWORD, RABBIT_USER.1];

/// Runs `stacktop status` on the test stack with `RUST_LOG=rust_log` and a
/// log file; returns the file's text.
fn log_of_status(rust_log: &str) -> String {
    require_stack();
    let folder = Folder::new("secrets-log");
    let log = folder.0.join("stacktop.log");
    let out = Command::new(stacktop_bin())
        .args(["-p", &project(), "--log-file"])
        .arg(&log)
        .arg("status")
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .env("RUST_LOG", rust_log)
        .output()
        .expect("stacktop runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&log).expect("the log file");
    assert_printable("the log file", &bytes, false);
    String::from_utf8_lossy(&bytes).into_owned()
}

fn assert_no_password(log: &str) {
    for password in PASSWORDS {
        assert!(!log.contains(password), "{password} in the log:\n{log}");
    }
}

#[test]
fn a_debug_log_holds_no_password_and_no_dependency_chatter() {
    let log = log_of_status("debug");
    assert_no_password(&log);
    assert!(
        !log.contains("bollard"),
        "dependencies log at debug:\n{log}"
    );
}

#[test]
fn a_dependency_asked_for_by_name_logs_with_its_secrets_masked() {
    let log = log_of_status("debug,bollard=debug");
    assert_no_password(&log);
    // The inspect answers were logged, and masked, not left out.
    assert!(log.contains("POSTGRES_PASSWORD=***"), "{log}");
    assert!(log.contains("\"--requirepass\",\"***\""), "{log}");
    assert!(log.contains("RABBITMQ_DEFAULT_PASS=***"), "{log}");
}
