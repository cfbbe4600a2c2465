//! The test stack of `tests/stack/compose.yaml`, as `scripts/test.sh`
//! brings it up: its project, its services and their published ports.
//!
//! Environment read here (all set by `scripts/test.sh`):
//! - `STACKTOP_TEST_PROJECT`: compose project of the test stack (default `stacktop-test`)
//! - `STACKTOP_TEST_COMPOSE_FILE`: the compose file (default: the one in this repository)
//! - `STACKTOP_TEST_HTTP_PORT`, `STACKTOP_TEST_PG_PORT`, `STACKTOP_TEST_REDIS_PORT`,
//!   `STACKTOP_TEST_API_PORT`, `STACKTOP_TEST_FAILING_PORT`, `STACKTOP_TEST_RABBIT_PORT`,
//!   `STACKTOP_TEST_AMQP_PORT`, `STACKTOP_TEST_PROMETHEUS_PORT`

use std::path::PathBuf;
use std::process::Command;

use super::docker::{docker, require_engine, try_docker};

/// Every service the test stack starts by default (`flood` is only for the
/// benchmark's profile).
pub const SERVICES: [&str; 13] = [
    "ticker",
    "levels",
    "jsonlog",
    "healthy",
    "unhealthy",
    "crashloop",
    "worker",
    "redis",
    "postgres",
    "api",
    "failing-api",
    "rabbitmq",
    "prometheus",
];

/// The user and password of the stack's RabbitMQ.
pub const RABBIT_USER: (&str, &str) = ("app", "rabbit-secret");

/// The password of the stack's Redis.
pub const REDIS_PASSWORD: &str = "redis-secret";

/// Compose project name of the test stack.
pub fn project() -> String {
    std::env::var("STACKTOP_TEST_PROJECT")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "stacktop-test".to_string())
}

/// The compose file of the test stack.
pub fn compose_file() -> PathBuf {
    std::env::var_os("STACKTOP_TEST_COMPOSE_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/stack/compose.yaml")
        })
}

fn port(var: &str, default: u16) -> u16 {
    std::env::var(var)
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(default)
}

/// Host port the `healthy` service publishes on 127.0.0.1.
pub fn http_port() -> u16 {
    port("STACKTOP_TEST_HTTP_PORT", 18080)
}

/// Host port of the stack's `postgres` service.
pub fn pg_port() -> u16 {
    port("STACKTOP_TEST_PG_PORT", 15432)
}

/// Host port of the stack's `redis` service.
pub fn redis_port() -> u16 {
    port("STACKTOP_TEST_REDIS_PORT", 16379)
}

/// Host port of `api` (its `/health` answers 200).
pub fn api_port() -> u16 {
    port("STACKTOP_TEST_API_PORT", 18082)
}

/// Host port of `failing-api` (its declared check answers 503).
pub fn failing_port() -> u16 {
    port("STACKTOP_TEST_FAILING_PORT", 18083)
}

/// Host port of RabbitMQ's management API.
pub fn rabbit_port() -> u16 {
    port("STACKTOP_TEST_RABBIT_PORT", 18672)
}

/// Host port of RabbitMQ's AMQP listener.
pub fn amqp_port() -> u16 {
    port("STACKTOP_TEST_AMQP_PORT", 18673)
}

/// Host port of Prometheus.
pub fn prometheus_port() -> u16 {
    port("STACKTOP_TEST_PROMETHEUS_PORT", 19090)
}

/// Runs compose (`docker compose` v2 when present, else `docker-compose`
/// v1) on the test stack: `compose(&["restart", "worker"])`. Fails the test
/// when it fails.
pub fn compose(args: &[&str]) -> String {
    let file = compose_file();
    let file = file.to_string_lossy();
    let project = project();
    let mut full: Vec<&str> = vec!["-p", &project, "-f", &file];
    full.extend_from_slice(args);
    let mut command = if try_docker(&["compose", "version"]).is_ok() {
        let mut c = Command::new("docker");
        c.arg("compose");
        c
    } else {
        Command::new("docker-compose")
    };
    let out = command
        .args(&full)
        .output()
        .unwrap_or_else(|e| panic!("cannot run compose: {e}"));
    assert!(
        out.status.success(),
        "compose {full:?} failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `docker ps -a` over the containers of a service of the test stack, with
/// more filters, printing `format` for each.
fn ps_service(service: &str, more_filters: &[String], format: &str) -> String {
    let mut filters = vec![
        format!("label=com.docker.compose.project={}", project()),
        format!("label=com.docker.compose.service={service}"),
    ];
    filters.extend_from_slice(more_filters);
    let mut args = vec!["ps", "-a", "--no-trunc"];
    for filter in &filters {
        args.extend(["--filter", filter.as_str()]);
    }
    args.extend(["--format", format]);
    docker(&args)
}

/// Names of all containers (running or not) of a service of the test stack,
/// ordered by replica number.
pub fn service_containers(service: &str) -> Vec<String> {
    let out = ps_service(
        service,
        &[],
        "{{.Label \"com.docker.compose.container-number\"}} {{.Names}}",
    );
    let mut numbered: Vec<(u32, String)> = out
        .lines()
        .filter_map(|line| {
            let (n, name) = line.split_once(' ')?;
            Some((n.parse().unwrap_or(0), name.to_string()))
        })
        .collect();
    numbered.sort();
    numbered.into_iter().map(|(_, name)| name).collect()
}

/// `{{.Names}}` or `{{.ID}}` of replica `n` (1-based) of a service, found by
/// compose labels, so it works whatever the naming scheme (v1 `P_worker_2`,
/// v2 `P-worker-2`).
fn replica(service: &str, n: u32, format: &str) -> Option<String> {
    let number = format!("label=com.docker.compose.container-number={n}");
    ps_service(service, &[number], format)
        .lines()
        .next()
        .map(str::to_string)
}

fn missing(service: &str, n: u32) -> String {
    format!(
        "no container for service `{service}` #{n} in compose project `{}` \
         (is the test stack up? run scripts/test.sh)",
        project()
    )
}

/// The name of replica `n` of a service; fails with a hint when there is none.
pub fn container_name(service: &str, n: u32) -> String {
    replica(service, n, "{{.Names}}").unwrap_or_else(|| panic!("{}", missing(service, n)))
}

/// The full id of replica `n` of a service.
pub fn container_id(service: &str, n: u32) -> String {
    replica(service, n, "{{.ID}}").unwrap_or_else(|| panic!("{}", missing(service, n)))
}

/// Fails the test unless every service of the test stack has a container.
pub fn require_stack() {
    require_engine();
    let project = project();
    let filter = format!("label=com.docker.compose.project={project}");
    let services = docker(&[
        "ps",
        "-a",
        "--filter",
        &filter,
        "--format",
        "{{.Label \"com.docker.compose.service\"}}",
    ]);
    let missing: Vec<&str> = SERVICES
        .iter()
        .copied()
        .filter(|s| !services.lines().any(|l| l == *s))
        .collect();
    assert!(
        missing.is_empty(),
        "the test stack `{project}` lacks {missing:?}; run the tests through scripts/test.sh"
    );
}
