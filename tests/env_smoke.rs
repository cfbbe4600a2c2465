//! Smoke test of the test environment itself: the stack that `scripts/test.sh`
//! brings up is complete, and tmux can run and read a command.

mod support;

use std::time::Duration;

use support::docker::{health, require_engine};
use support::stack::{SERVICES, container_name, project, service_containers};
use support::tmux::Tmux;
use support::wait_until;

#[test]
fn stack_has_every_service_and_two_workers() {
    require_engine();
    for service in SERVICES {
        let containers = service_containers(service);
        assert!(
            !containers.is_empty(),
            "service `{service}` has no container in project `{}`",
            project()
        );
    }
    assert_eq!(
        service_containers("worker").len(),
        2,
        "worker should have 2 replicas"
    );
    assert!(
        service_containers("flood").is_empty(),
        "flood belongs to the bench profile and must not start with the stack"
    );
}

#[test]
fn health_checks_reach_their_states() {
    require_engine();
    let healthy = container_name("healthy", 1);
    let unhealthy = container_name("unhealthy", 1);
    let reached = wait_until(Duration::from_secs(30), Duration::from_millis(250), || {
        health(&healthy) == "healthy" && health(&unhealthy) == "unhealthy"
    });
    assert!(
        reached,
        "{healthy} is {}, {unhealthy} is {}",
        health(&healthy),
        health(&unhealthy)
    );
}

/// What the end-to-end tests rely on: a pane runs a command, its output
/// can be read, and the shell around it reports the command's exit status.
/// (tmux 3.3 itself sometimes loses a dead pane's last output or exit
/// status, so the tests never ask tmux for them.)
#[test]
fn tmux_runs_a_command_and_shows_its_exit_status() {
    let tmux = Tmux::start(
        "env-smoke",
        120,
        40,
        "sh -c 'echo hello; exit 7'; echo exit=$?; sleep 30",
    );
    tmux.expect_on_screen("hello", Duration::from_secs(5));
    tmux.expect_on_screen("exit=7", Duration::from_secs(5));
    assert!(!tmux.pane_dead());
    assert_eq!(tmux.size(), (120, 40));
}
