#![allow(clippy::unwrap_used)]
//! Hostile names and answers from the stack, and what stacktop prints of
//! them. Escape sequences, C1 controls and bidi controls (see
//! `support::hostile`) are put, through the real services of the test
//! stack, into a PostgreSQL role, database and query text, a Redis slowlog
//! entry, a RabbitMQ queue name (through the management API), the compose
//! service label of a container on the stack's network, and the health
//! answer that container gives. Then `status`, `status --json`, `check` and
//! `wait`, piped to a file, and every panel of the dashboard in tmux, must
//! show each of them cleaned, with no control byte, no C1 control and no
//! bidi control, and the pane title untouched.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use support::docker::{BUSYBOX, docker, try_docker};
use support::hostile::{assert_printable, payload, shown, stack_container};
use support::ports::free_port;
use support::postgres::app_session;
use support::redis::{connect, run, stack_url};
use support::stack::{RABBIT_USER, pg_port, project, rabbit_port, require_stack};
use support::tmux::{Stacktop, stacktop_bin};
use tokio::runtime::Runtime;

const SECS: fn(u64) -> Duration = Duration::from_secs;

/// An image name the health checks know as LocalStack's, for a fixture
/// container that answers its health endpoint with hostile service names.
const LOCALSTACK: &str = "stacktop-test/localstack-hostile:latest";

/// A PostgreSQL identifier, quoted.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Everything hostile put into the stack; taken out again when dropped.
struct Hostile {
    runtime: Runtime,
    container: Option<support::docker::Throwaway>,
    service: String,
    /// The hostile role's session, running the hostile query.
    session: Option<tokio::task::JoinHandle<()>>,
}

impl Hostile {
    fn plant() -> Self {
        require_stack();
        let runtime = Runtime::new().unwrap();
        let mut hostile = Self {
            runtime,
            container: None,
            service: payload("xsvc"),
            session: None,
        };
        hostile.container = Some(hostile.localstack());
        hostile.session = Some(hostile.runtime.block_on(postgres()));
        hostile.runtime.block_on(redis_slowlog());
        hostile.runtime.block_on(rabbit_queue("PUT"));
        hostile
    }

    /// A container of the stack named by a hostile service label, whose
    /// LocalStack-like health answer names a hostile service in error.
    fn localstack(&self) -> support::docker::Throwaway {
        docker(&["tag", BUSYBOX, LOCALSTACK]);
        let body = serde_json::json!({ "services": { payload("xbody"): "error" } }).to_string();
        let body_env = format!("BODY={body}");
        let publish = format!("127.0.0.1:{}:4566", free_port());
        let script = "mkdir -p /tmp/www/_localstack && printf '%s' \"$BODY\" \
                      > /tmp/www/_localstack/health && exec httpd -f -p 4566 -h /tmp/www";
        stack_container(
            &self.service,
            &[],
            &["-e", &body_env, "-p", &publish],
            &[LOCALSTACK, "sh", "-c", script],
        )
    }
}

/// A hostile role, owning a hostile database, whose session runs a query
/// with a hostile comment.
async fn postgres() -> tokio::task::JoinHandle<()> {
    let admin = app_session("app_db", "it-hostile").await;
    let (role, db) = (payload("xrole"), payload("xdb"));
    admin
        .batch_execute(&format!(
            "CREATE ROLE {} LOGIN PASSWORD 'hostile-pw'",
            ident(&role)
        ))
        .await
        .unwrap();
    admin
        .batch_execute(&format!(
            "CREATE DATABASE {} OWNER {}",
            ident(&db),
            ident(&role)
        ))
        .await
        .unwrap();
    let (client, connection) = tokio_postgres::Config::new()
        .host("127.0.0.1")
        .port(pg_port())
        .user(&role)
        .password("hostile-pw")
        .dbname(&db)
        .application_name("it-hostile")
        .connect(tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let query = format!("SELECT pg_sleep(600) /* {} */", payload("xquery"));
    // Left running: the session stays active with its query on show.
    tokio::spawn(async move {
        let _ = client.simple_query(&query).await;
    })
}

async fn drop_postgres() {
    let admin = app_session("app_db", "it-hostile").await;
    let (role, db) = (payload("xrole"), payload("xdb"));
    let _ = admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
            &[&role],
        )
        .await;
    let _ = admin
        .batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            ident(&db)
        ))
        .await;
    let _ = admin
        .batch_execute(&format!("DROP ROLE IF EXISTS {}", ident(&role)))
        .await;
}

/// A slowlog entry whose key is hostile: every command is logged for the
/// moment it takes to set it.
async fn redis_slowlog() {
    let mut conn = connect(&stack_url(0)).await;
    let key = payload("xkey");
    let _: () = run(
        &mut conn,
        &["CONFIG", "SET", "slowlog-log-slower-than", "0"],
    )
    .await;
    let _: () = run(&mut conn, &["SET", &key, "v"]).await;
    let _: () = run(
        &mut conn,
        &["CONFIG", "SET", "slowlog-log-slower-than", "10000"],
    )
    .await;
}

async fn drop_redis() {
    let mut conn = connect(&stack_url(0)).await;
    let _: i64 = run(&mut conn, &["DEL", &payload("xkey")]).await;
    let _: () = run(&mut conn, &["SLOWLOG", "RESET"]).await;
}

/// Declares (`PUT`) or deletes (`DELETE`) the hostile queue through the
/// management API.
async fn rabbit_queue(method: &str) {
    let name: String = url::form_urlencoded::byte_serialize(payload("xqueue").as_bytes()).collect();
    let url = format!("http://127.0.0.1:{}/api/queues/%2F/{name}", rabbit_port());
    let request = reqwest::Client::new()
        .request(method.parse().unwrap(), &url)
        .basic_auth(RABBIT_USER.0, Some(RABBIT_USER.1));
    let request = if method == "PUT" {
        request.json(&serde_json::json!({ "durable": false }))
    } else {
        request
    };
    let answer = request.send().await.expect("the management API answers");
    assert!(
        answer.status().is_success() || method == "DELETE",
        "{method} of the hostile queue: {}",
        answer.status()
    );
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.container = None;
        let _ = try_docker(&["rmi", LOCALSTACK]);
        if let Some(session) = self.session.take() {
            session.abort();
        }
        self.runtime.block_on(async {
            drop_postgres().await;
            drop_redis().await;
            rabbit_queue("DELETE").await;
        });
    }
}

/// Runs `stacktop -p PROJECT ARGS` piped; (exit code, stdout), both
/// streams checked clean.
fn headless(args: &[&str]) -> (i32, String) {
    let out = Command::new(stacktop_bin())
        .args(["-p", &project()])
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("stacktop runs");
    let what = args.join(" ");
    assert_printable(&format!("{what}: stdout"), &out.stdout, false);
    assert_printable(&format!("{what}: stderr"), &out.stderr, false);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), text)
}

/// The screen without the colour and attribute sequences tmux writes
/// (`ESC [ … m`); what is left must be plain text.
fn without_sgr(screen: &str) -> String {
    let mut out = String::new();
    let mut rest = screen;
    while let Some(start) = rest.find("\x1b[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let len = after.find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'));
        match len {
            Some(len) if after[len..].starts_with('m') => rest = &after[len + 1..],
            // Not SGR: kept, for the check to catch.
            _ => {
                out.push_str(&rest[start..start + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Checks the screen (with its escapes) and the pane title.
fn assert_screen_clean(app: &Stacktop, what: &str) -> String {
    let screen = app.tmux.capture_with_escapes();
    assert_printable(what, without_sgr(&screen).as_bytes(), false);
    let title = app.tmux.format("#{pane_title}");
    assert!(
        !title.contains("owned") && !title.contains("c1"),
        "{what}: title {title:?}"
    );
    screen
}

/// Opens the database view of `service` and goes through its panels;
/// fails unless every screen is clean and `tag` shows cleaned on one.
fn view_shows_clean(service: &str, tag: &str, ready: &str) {
    let app = Stacktop::on_stack(&format!("hostile-{service}"), (160, 45));
    app.expect(&format!("{service} "), SECS(20));
    app.select(service);
    app.text("d");
    app.expect(ready, SECS(15));
    let mut seen = false;
    for _ in 0..6 {
        std::thread::sleep(Duration::from_millis(1500));
        let screen = assert_screen_clean(&app, service);
        seen |= app.screen().contains(&shown(tag));
        assert!(!screen.contains("hostile-pw"), "a password on screen");
        app.keys(&["Tab"]);
    }
    assert!(seen, "{} never shown in the {service} view", shown(tag));
}

#[test]
fn hostile_text_from_the_stack_is_printed_clean_everywhere() {
    let hostile = Hostile::plant();
    let p = project();
    let service = shown("xsvc");
    let problem = format!(
        "{p}/{service}: unhealthy (health check: {} error)",
        shown("xbody")
    );

    let (code, out) = headless(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.lines().any(|l| l == problem),
        "{problem:?} not in:\n{out}"
    );

    let (code, out) = headless(&["wait", "--timeout", "4s", &hostile.service]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("not yet: {service}")), "{out}");
    assert!(out.lines().any(|l| l == problem), "{out}");

    let (code, out) = headless(&["status"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("  xsvc<U+202E>"), "{out}");

    // Each run is checked clean; on a loaded machine a probe may not have
    // answered within the first runs, so a few are allowed to lack a figure.
    let tags = ["xsvc", "xbody", "xrole", "xdb", "xqueue"];
    let mut missing = Vec::new();
    for _ in 0..5 {
        let (code, out) = headless(&["status", "--json"]);
        assert_eq!(code, 0, "{out}");
        let text = serde_json::from_str::<Value>(&out).unwrap().to_string();
        missing = tags
            .into_iter()
            .filter(|t| !text.contains(&shown(t)))
            .collect();
        if missing.is_empty() {
            break;
        }
    }
    assert!(
        missing.is_empty(),
        "{missing:?} never shown cleaned in status --json"
    );

    let app = Stacktop::on_stack("hostile-list", (160, 45));
    app.expect("xsvc<U+202E><U+2066>end", SECS(20));
    app.expect("✗ xbody<U+202E>", SECS(20));
    assert_screen_clean(&app, "the list");
    drop(app);
    view_shows_clean("postgres", "xquery", "PostgreSQL 15");
    view_shows_clean("redis", "xkey", "Redis 7");
    view_shows_clean("rabbitmq", "xqueue", "RabbitMQ");
    drop(hostile);
}
