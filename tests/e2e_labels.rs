#![allow(clippy::unwrap_used)]
//! Where a `stacktop.health` label may send stacktop's checks: only to a
//! port the service itself publishes, unless the user's config file allows
//! more. A label pointing elsewhere is refused before anything is sent; the
//! refused address here (192.0.2.1, TEST-NET-1) is never contacted, the
//! allowed one is the test stack's `api` on the loopback.

mod support;

use std::path::Path;
use std::process::Command;

use support::Folder;
use support::docker::{BUSYBOX, IDLE_SCRIPT};
use support::hostile::{assert_printable, stack_container};
use support::stack::{api_port, project, require_stack};
use support::tmux::stacktop_bin;

/// `stacktop -p PROJECT check SERVICE` with `config`; (exit code, stdout).
fn check(service: &str, config: &Path) -> (i32, String) {
    let out = Command::new(stacktop_bin())
        .args(["-p", &project(), "--config"])
        .arg(config)
        .args(["check", service])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("stacktop runs");
    assert_printable("check", &out.stdout, false);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), text)
}

/// An idle container of the stack, labelled to be checked at `url`.
fn labelled(service: &str, url: &str) -> support::docker::Throwaway {
    require_stack();
    let label = format!("stacktop.health={url}");
    stack_container(service, &[&label], &[], &[BUSYBOX, "sh", "-c", IDLE_SCRIPT])
}

#[test]
fn a_label_pointing_at_another_host_is_refused_without_asking() {
    let service = format!("label-elsewhere-{}", support::unique());
    let _container = labelled(&service, "http://192.0.2.1:80/health");
    let folder = Folder::new("labels-none");
    let config = folder.write("stacktop.toml", "");
    let (code, out) = check(&service, &config);
    assert_eq!(code, 1, "{out}");
    let line = format!(
        "{}/{service}: unhealthy (health check: not allowed)",
        project()
    );
    // Not `no answer in 2 s`: the check was never handed to the runner.
    assert!(out.lines().any(|l| l == line), "{out}");
}

#[test]
fn a_label_pointing_at_another_services_port_needs_the_users_leave() {
    let service = format!("label-borrowed-{}", support::unique());
    let url = format!("http://127.0.0.1:{}/health", api_port());
    let _container = labelled(&service, &url);
    let folder = Folder::new("labels-allow");
    let none = folder.write("none.toml", "");
    let (code, out) = check(&service, &none);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(": unhealthy (health check: not allowed)"),
        "{out}"
    );
    let allowing = folder.write(
        "allow.toml",
        &format!("[health]\nlabel_hosts = [\"127.0.0.1:{}\"]\n", api_port()),
    );
    let (code, out) = check(&service, &allowing);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.trim(), "all 1 services run and are healthy");
}
