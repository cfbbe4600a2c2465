#![allow(clippy::unwrap_used)]
//! `stacktop status`, `check` and `wait` as scripts run them: the built
//! binary against the test stack, judged by exit code and output, and the
//! JSON against `docs/status.schema.json`.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use support::ports::free_port;
use support::stack::{project, require_stack};
use support::tmux::stacktop_bin;

fn stacktop(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Output {
    Command::new(stacktop_bin())
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .expect("stacktop runs")
}

/// Runs a headless command on the test stack; (exit code, stdout, stderr).
fn on_stack(args: &[&str]) -> (i32, String, String) {
    require_stack();
    let project = project();
    let mut all = vec!["-p", &project];
    all.extend_from_slice(args);
    let out = stacktop(&all, Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

fn no_escapes(text: &str) {
    assert!(!text.contains('\x1b'), "an escape sequence in {text:?}");
}

fn status_json() -> Value {
    let (code, out, err) = on_stack(&["status", "--json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

fn service<'a>(status: &'a Value, name: &str) -> &'a Value {
    status["services"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["name"] == name))
        .unwrap_or_else(|| panic!("no service {name} in {status:#}"))
}

#[test]
fn status_json_follows_its_schema_and_tells_the_stack() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/status.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).expect("the schema"))
            .expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let status = status_json();
    let errors: Vec<String> = validator
        .iter_errors(&status)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{status:#}");

    assert_eq!(status["schema"], "stacktop.status/1");
    assert_eq!(status["projects"][0]["name"], project());
    let failing = service(&status, "failing-api");
    assert_eq!(failing["health"]["level"], "bad");
    assert_eq!(failing["health"]["text"], "http 503");
    assert_eq!(failing["problems"][0], "unhealthy (health check: http 503)");
    assert_eq!(service(&status, "api")["health"]["source"], "http");
    let rabbit = service(&status, "rabbitmq");
    assert_eq!(rabbit["probe"]["kind"], "rabbitmq");
    assert!(rabbit["probe"]["figures"]["memory_limit_bytes"].as_u64() > Some(0));
    assert!(
        !rabbit["probe"]["url"]
            .as_str()
            .unwrap()
            .contains("rabbit-secret"),
        "the password is masked"
    );
    let postgres = service(&status, "postgres");
    assert_eq!(postgres["probe"]["figures"]["max_connections"], 100);
    let crash = service(&status, "crashloop");
    assert_eq!(crash["exit_code"], 3);
    assert!(crash["restarts"].as_u64() > Some(0));
    assert!(service(&status, "ticker")["cpu_percent"].is_number());
}

#[test]
fn status_as_text_is_a_plain_table() {
    let (code, out, _) = on_stack(&["status"]);
    assert_eq!(code, 0);
    no_escapes(&out);
    assert!(out.starts_with("SERVICE "), "{out}");
    let line = out
        .lines()
        .find(|l| l.contains("failing-api"))
        .expect("a row");
    assert!(line.contains("✗ http 503"), "{line}");
}

#[test]
fn check_names_each_problem_and_exits_1() {
    let (code, out, _) = on_stack(&["check"]);
    no_escapes(&out);
    assert_eq!(code, 1, "{out}");
    let p = project();
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines.contains(&format!("{p}/failing-api: unhealthy (health check: http 503)").as_str()),
        "{out}"
    );
    let unhealthy = format!("{p}/unhealthy: unhealthy (health check failing for ");
    assert!(lines.iter().any(|l| l.starts_with(&unhealthy)), "{out}");
    let crash = format!("{p}/crashloop: ");
    let crash_line = lines
        .iter()
        .find(|l| l.starts_with(&crash))
        .expect("crashloop");
    assert!(
        // Between two crashes of its loop it runs for 2 s: a crash loop too.
        crash_line.contains("restarting, exit 3,")
            || crash_line.contains("exited (3)")
            || crash_line.contains("crash loop, "),
        "{crash_line}"
    );
    assert_eq!(lines.len(), 3, "nothing else is wrong: {out}");
}

#[test]
fn check_of_healthy_services_exits_0() {
    let names = [
        "api",
        "healthy",
        "postgres",
        "redis",
        "rabbitmq",
        "prometheus",
    ];
    let mut args = vec!["check"];
    args.extend(names);
    let (code, out, err) = on_stack(&args);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "all 6 services run and are healthy");
}

#[test]
fn an_unknown_service_is_a_usage_error() {
    let (code, out, err) = on_stack(&["check", "no-such-service"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("no service named \"no-such-service\""),
        "{err}"
    );
    assert!(
        err.contains("/failing-api"),
        "the known ones are listed: {err}"
    );
}

#[test]
fn an_engine_that_is_not_there_is_exit_2_with_its_address() {
    let dir = std::env::temp_dir();
    let out = stacktop(
        &["check", "-a"],
        &dir,
        &[("DOCKER_HOST", "unix:///nonexistent/docker.sock")],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("/nonexistent/docker.sock"), "{err}");
}

#[test]
fn a_declared_check_on_a_closed_port_is_refused() {
    let dir = tempdir("refused");
    let config = dir.join("stacktop.toml");
    let url = format!("http://127.0.0.1:{}/health", free_port());
    std::fs::write(
        &config,
        format!("[[health.check]]\nservice = \"api\"\nurl = \"{url}\"\n"),
    )
    .unwrap();
    let config = config.to_string_lossy().to_string();
    let (code, out, _) = on_stack(&["--config", &config, "check", "api"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out.trim(),
        format!("{}/api: unhealthy (health check: refused)", project())
    );
}

#[test]
fn wait_returns_once_ready_and_times_out_with_reasons() {
    let (code, out, _) = on_stack(&["wait", "--timeout", "30s", "api", "postgres"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("all 2 services run and are healthy ("),
        "{out}"
    );

    let (code, out, _) = on_stack(&["wait", "--timeout", "2s", "unhealthy"]);
    no_escapes(&out);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("timed out after 2 s:"), "{out}");
    assert!(
        out.contains("/unhealthy: unhealthy (health check failing for"),
        "{out}"
    );
}

/// A declared service that was never created is a problem only when named.
#[test]
fn a_service_not_created_counts_only_when_named() {
    require_stack();
    let dir = tempdir("ghost");
    std::fs::write(
        dir.join("compose.yaml"),
        "name: stacktop-ghost\nservices:\n  ghost:\n    image: stacktop-test/busybox:latest\n",
    )
    .unwrap();
    let out = stacktop(&["check"], &dir, &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(text.trim(), "no service to check");
    let out = stacktop(&["check", "ghost"], &dir, &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(text.trim(), "stacktop-ghost/ghost: not created");
}

fn tempdir(purpose: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("stacktop-{purpose}-{}", support::unique()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A project whose files Compose (v2) refuses, with nothing of it running:
/// `status` names it in Compose's words, `status --json` gives
/// `compose_error`, and `check` fails on it.
#[test]
fn files_compose_refuses_are_a_problem_for_check() {
    support::docker::require_engine();
    let folder = support::Folder::new("refused");
    folder.write(
        "compose.yaml",
        "services:\n  api:\n    image: nginx\n    depends_on: [db]\n",
    );
    let config = support::compose_cli::v2_config_dir();
    let env = [("DOCKER_CONFIG", config.as_str())];
    let project = folder
        .0
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_lowercase();
    let line = format!("{project}: Compose refuses the files: ");
    let status = stacktop(&["status"], &folder.0, &env);
    let text = String::from_utf8_lossy(&status.stdout);
    let said = text.lines().find(|l| l.starts_with(&line));
    assert!(
        said.is_some_and(|l| l.contains("depends on undefined service")),
        "{text}"
    );
    let json = stacktop(&["status", "--json"], &folder.0, &env);
    let doc: Value = serde_json::from_slice(&json.stdout).expect("a JSON document");
    let listed = doc["projects"]
        .as_array()
        .and_then(|all| all.iter().find(|p| p["name"] == project.as_str()))
        .unwrap_or_else(|| panic!("{project} not in {doc}"));
    assert!(listed["compose_error"].is_string(), "{listed}");
    let check = stacktop(&["check"], &folder.0, &env);
    assert_eq!(check.status.code(), Some(1));
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(said.lines().any(|l| l.starts_with(&line)), "{said}");
}
