//! The Docker collector, actions and log streams against the real engine
//! and the test stack (`tests/stack/compose.yaml`). Nothing is skipped: a
//! missing engine or stack fails the tests with what to start.
//!
//! Tests run in parallel, so each one that stops or restarts a container
//! makes its own throwaway container; the stack is only read.

mod support;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use stacktop::collect::docker::{self as collector, DockerOptions};
use stacktop::engine::Engine;
use stacktop::event::{DockerEvent, Event, LogEvent};
use stacktop::jobs::{logs, spawn_verb};
use stacktop::model::{
    Container, ContainerState, Done, Health, Job, LogLine, LogQuery, LogSource, LogStream, Verb,
};
use support::docker::{
    BUSYBOX, EngineProxy, IDLE_SCRIPT, Throwaway, docker, inspect_field, require_engine,
};
use support::events::wait_for;
use support::stack::{SERVICES, container_id, http_port, project, require_stack};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Starts the collector on the default engine; abort the handle to stop.
fn start_collector(interval: Duration) -> (mpsc::Receiver<Event>, JoinHandle<()>) {
    let (tx, rx) = mpsc::channel(1024);
    let options = DockerOptions { interval };
    let task = tokio::spawn(collector::run(Engine::from_env(), tx, options));
    (rx, task)
}

/// Waits for the first full list.
async fn first_list(rx: &mut mpsc::Receiver<Event>) -> HashMap<String, Container> {
    let all = wait_for(rx, Duration::from_secs(10), "container list", |e| match e {
        Event::Docker(_, DockerEvent::Containers(all)) => Some(all.clone()),
        Event::Docker(_, DockerEvent::Disconnected { error, .. }) => {
            panic!("collector could not reach the engine: {error}")
        }
        _ => None,
    })
    .await;
    all.into_iter().map(|c| (c.id.clone(), c)).collect()
}

/// Applies a collector event to a list, as the app does.
fn apply(list: &mut HashMap<String, Container>, event: &Event) {
    match event {
        Event::Docker(_, DockerEvent::Containers(all)) => {
            *list = all.iter().map(|c| (c.id.clone(), c.clone())).collect();
        }
        Event::Docker(_, DockerEvent::ContainerChanged(c)) => {
            list.insert(c.id.clone(), (**c).clone());
        }
        Event::Docker(_, DockerEvent::ContainerRemoved(id)) => {
            list.remove(id);
        }
        _ => {}
    }
}

fn of_service<'a>(list: &'a HashMap<String, Container>, service: &str) -> Vec<&'a Container> {
    let project = project();
    let mut found: Vec<&Container> = list
        .values()
        .filter(|c| c.project.as_deref() == Some(&project) && c.service.as_deref() == Some(service))
        .collect();
    found.sort_by_key(|c| c.number);
    found
}

fn health_of(list: &HashMap<String, Container>, service: &str) -> Option<Health> {
    of_service(list, service).first().map(|c| c.health)
}

fn crashloop_seen(list: &HashMap<String, Container>) -> bool {
    of_service(list, "crashloop").first().is_some_and(|c| {
        matches!(c.state, ContainerState::Restarting { .. })
            || c.state == (ContainerState::Exited { code: 3 })
            || c.restart_count > 0
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collector_reports_every_stack_service() {
    require_stack();
    let (mut rx, task) = start_collector(Duration::from_secs(1));
    let mut list = first_list(&mut rx).await;

    // Health checks may still be starting: follow events until they settle.
    let settled = |l: &HashMap<String, Container>| {
        health_of(l, "healthy") == Some(Health::Healthy)
            && health_of(l, "unhealthy") == Some(Health::Unhealthy)
            && crashloop_seen(l)
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    while !settled(&list) && tokio::time::Instant::now() < deadline {
        if let Ok(Some(event)) = tokio::time::timeout_at(deadline, rx.recv()).await {
            apply(&mut list, &event);
        }
    }
    task.abort();

    for service in SERVICES {
        assert!(
            !of_service(&list, service).is_empty(),
            "service {service} missing from {:?}",
            list.values().map(|c| &c.name).collect::<Vec<_>>()
        );
    }
    let workers: Vec<Option<u32>> = of_service(&list, "worker")
        .iter()
        .map(|c| c.number)
        .collect();
    assert_eq!(workers, [Some(1), Some(2)]);
    assert_eq!(health_of(&list, "healthy"), Some(Health::Healthy));
    assert_eq!(health_of(&list, "unhealthy"), Some(Health::Unhealthy));
    assert!(
        crashloop_seen(&list),
        "crashloop: {:?}",
        of_service(&list, "crashloop")
    );
    let ticker = of_service(&list, "ticker")[0];
    assert_eq!(ticker.state, ContainerState::Running);
    assert!(ticker.started_at.is_some());
    assert_eq!(ticker.finished_at, None);
    assert_eq!(ticker.image, BUSYBOX);
    let healthy = of_service(&list, "healthy")[0];
    let port = http_port();
    assert!(
        healthy
            .ports
            .iter()
            .any(|p| p.host_ip == "127.0.0.1" && p.host_port == port && p.container_port == 8080),
        "healthy ports: {:?}",
        healthy.ports
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_cover_running_stack_containers() {
    require_stack();
    let ticker = container_id("ticker", 1);
    let (mut rx, task) = start_collector(Duration::from_millis(500));
    let stats = wait_for(
        &mut rx,
        Duration::from_secs(10),
        "ticker stats",
        |e| match e {
            Event::Docker(_, DockerEvent::Stats(all)) => all
                .iter()
                .find(|(id, s)| *id == ticker && s.mem_used > 0)
                .map(|(_, s)| *s),
            _ => None,
        },
    )
    .await;
    task.abort();
    assert!(stats.cpu_percent >= 0.0 && stats.cpu_percent < 400.0);
    // 0 means no limit (read from the cgroup); else the limit covers use.
    assert!(
        stats.mem_limit == 0 || stats.mem_limit >= stats.mem_used,
        "{stats:?}"
    );
}

/// Waits for a ContainerChanged of `id` in `state`; returns the wait.
async fn changed_to(
    rx: &mut mpsc::Receiver<Event>,
    id: &str,
    want: fn(&ContainerState) -> bool,
) -> Duration {
    let start = tokio::time::Instant::now();
    wait_for(rx, Duration::from_secs(5), "state change", |e| match e {
        Event::Docker(_, DockerEvent::ContainerChanged(c)) if c.id == id && want(&c.state) => {
            Some(())
        }
        _ => None,
    })
    .await;
    start.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_stream_reports_state_change_within_a_second() {
    let target = Throwaway::run("events", IDLE_SCRIPT);
    let (mut rx, task) = start_collector(Duration::from_secs(1));
    let list = first_list(&mut rx).await;
    assert_eq!(
        list.get(&target.id).map(|c| &c.state),
        Some(&ContainerState::Running)
    );

    docker(&["kill", &target.id]);
    let stopped = changed_to(&mut rx, &target.id, |s| {
        matches!(s, ContainerState::Exited { .. })
    })
    .await;
    docker(&["start", &target.id]);
    let started = changed_to(&mut rx, &target.id, |s| *s == ContainerState::Running).await;
    docker(&["rm", "-f", &target.id]);
    wait_for(&mut rx, Duration::from_secs(5), "removal", |e| match e {
        Event::Docker(_, DockerEvent::ContainerRemoved(id)) if *id == target.id => Some(()),
        _ => None,
    })
    .await;
    task.abort();
    let limit = Duration::from_millis(1500);
    assert!(stopped < limit, "exit reported after {stopped:?}");
    assert!(started < limit, "start reported after {started:?}");
}

fn started_at(id: &str) -> DateTime<Utc> {
    let raw = inspect_field(id, "{{.State.StartedAt}}");
    DateTime::parse_from_rfc3339(&raw)
        .unwrap_or_else(|e| panic!("bad StartedAt {raw:?}: {e}"))
        .with_timezone(&Utc)
}

async fn verb_result(verb: Verb, id: &str, name: &str) -> Done {
    let (tx, mut rx) = mpsc::channel(16);
    spawn_verb(
        Engine::from_env(),
        verb,
        id.to_string(),
        name.to_string(),
        tx,
    );
    support::events::done(&mut rx, Duration::from_secs(30)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_changes_started_at() {
    let target = Throwaway::run("restart", IDLE_SCRIPT);
    let before = started_at(&target.id);
    let done = verb_result(Verb::Restart, &target.id, &target.name).await;
    assert_eq!(done.result, Ok(format!("{}: restart done", target.name)));
    assert_eq!(
        done.job,
        Job::Container {
            id: target.id.clone(),
            name: target.name.clone(),
            verb: Verb::Restart
        }
    );
    assert!(started_at(&target.id) > before, "StartedAt did not move");
    assert_eq!(inspect_field(&target.id, "{{.State.Running}}"), "true");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_then_start_reports_both() {
    let target = Throwaway::run("stopstart", IDLE_SCRIPT);
    let stop = verb_result(Verb::Stop, &target.id, &target.name).await;
    assert!(stop.result.is_ok(), "{:?}", stop.result);
    assert_eq!(inspect_field(&target.id, "{{.State.Running}}"), "false");
    let start = verb_result(Verb::Start, &target.id, &target.name).await;
    assert!(start.result.is_ok(), "{:?}", start.result);
    assert_eq!(inspect_field(&target.id, "{{.State.Running}}"), "true");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn action_failure_reports_engine_message() {
    require_engine();
    let missing = "stacktop-no-such-container-0451";
    let done = verb_result(Verb::Restart, missing, missing).await;
    let error = done
        .result
        .expect_err("restarting a missing container fails")
        .to_string();
    assert!(
        error.to_lowercase().contains("no such container"),
        "error was {error:?}"
    );
    assert!(!error.contains('\n'));
}

/// Collects log lines (and panics on failures) until `done` holds.
async fn lines_until(
    rx: &mut mpsc::Receiver<Event>,
    session: u64,
    timeout: Duration,
    what: &str,
    seen: &mut Vec<LogLine>,
    mut done: impl FnMut(&[LogLine]) -> bool,
) {
    wait_for(rx, timeout, what, |e| match e {
        Event::Log(LogEvent::Lines { session: s, lines }) => {
            assert_eq!(*s, session);
            seen.extend(lines.iter().cloned());
            done(seen).then_some(())
        }
        Event::Log(LogEvent::Failed { error, .. }) => panic!("log stream failed: {error}"),
        _ => None,
    })
    .await;
}

fn log_source(id: &str) -> LogSource {
    LogSource {
        container_id: id.to_string(),
        label: "t".into(),
    }
}

fn tail(lines: usize) -> LogQuery {
    LogQuery {
        tail: lines,
        since: None,
    }
}

fn has_text(lines: &[LogLine], text: &str) -> Option<LogStream> {
    lines.iter().find(|l| l.text() == text).map(|l| l.stream)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_line_printed_after_open_arrives_within_2s() {
    require_stack();
    let ticker = container_id("ticker", 1);
    let (tx, mut rx) = mpsc::channel(64);
    let opened_at = Utc::now();
    let source = LogSource {
        container_id: ticker.clone(),
        label: "ticker".into(),
    };
    let _handle = logs::open(&Engine::from_env(), 7, vec![(0, source)], tail(5), tx);
    // Let the stream open and the tail arrive.
    let mut seen = Vec::new();
    lines_until(&mut rx, 7, Duration::from_secs(5), "tail", &mut seen, |l| {
        !l.is_empty()
    })
    .await;

    let marker = format!("marker-{}", std::process::id());
    let warn = format!("{marker}-stderr");
    let script = format!("echo {marker} > /proc/1/fd/1; echo {warn} > /proc/1/fd/2");
    let printed = tokio::time::Instant::now();
    docker(&["exec", &ticker, "sh", "-c", &script]);
    lines_until(
        &mut rx,
        7,
        Duration::from_secs(2),
        "marker",
        &mut seen,
        |l| has_text(l, &marker).is_some() && has_text(l, &warn).is_some(),
    )
    .await;
    assert!(printed.elapsed() < Duration::from_secs(2));

    assert_eq!(has_text(&seen, &marker), Some(LogStream::Stdout));
    assert_eq!(has_text(&seen, &warn), Some(LogStream::Stderr));
    let old = seen
        .iter()
        .filter(|l| l.timestamp.is_some_and(|t| t < opened_at))
        .count();
    assert!(old <= 5, "{old} lines from before the open, tail was 5");
    for line in &seen {
        assert_eq!(line.source, 0);
        let text = line.text();
        if text.starts_with("warn ") {
            assert_eq!(line.stream, LogStream::Stderr, "{text}");
        } else if text.starts_with("tick ") {
            assert_eq!(line.stream, LogStream::Stdout, "{text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_stream_follows_a_restart_without_repeating_lines() {
    let script =
        "trap 'exit 0' TERM; n=0; while true; do n=$((n+1)); echo line $n; sleep 0.1; done";
    let target = Throwaway::run("logrestart", script);
    let (tx, mut rx) = mpsc::channel(64);
    let source = log_source(&target.id);
    let _handle = logs::open(&Engine::from_env(), 1, vec![(0, source)], tail(1000), tx);
    let mut seen = Vec::new();
    lines_until(
        &mut rx,
        1,
        Duration::from_secs(5),
        "first lines",
        &mut seen,
        |l| l.len() >= 5,
    )
    .await;

    let before_restart = started_at(&target.id);
    docker(&["restart", "-t", "5", &target.id]);
    let restarted = started_at(&target.id);
    assert!(restarted > before_restart);
    lines_until(
        &mut rx,
        1,
        Duration::from_secs(5),
        "lines after the restart",
        &mut seen,
        |l| {
            l.iter()
                .filter(|x| x.timestamp.is_some_and(|t| t > restarted))
                .count()
                >= 5
        },
    )
    .await;

    let mut unique = HashSet::new();
    for line in &seen {
        assert!(
            unique.insert((line.timestamp, line.text())),
            "line repeated: {:?} {}",
            line.timestamp,
            line.text()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_container_that_exits_and_starts_again_is_reported_with_its_exit_code() {
    let script = "echo run-$(cat /proc/uptime | cut -d' ' -f1); sleep 1; exit 3";
    let target = Throwaway::run("logexit", script);
    let (tx, mut rx) = mpsc::channel(64);
    let source = log_source(&target.id);
    let _handle = logs::open(&Engine::from_env(), 4, vec![(2, source)], tail(100), tx);
    wait_for(&mut rx, Duration::from_secs(10), "the exit", |e| match e {
        Event::Log(LogEvent::Ended { reason, .. }) => reason.contains("code 3").then_some(()),
        _ => None,
    })
    .await;
    docker(&["start", &target.id]);
    let started = started_at(&target.id);
    let (source, at, exit, recreated) =
        wait_for(&mut rx, Duration::from_secs(10), "Restarted", |e| match e {
            Event::Log(LogEvent::Restarted {
                session: 4,
                source,
                at,
                exit,
                recreated,
            }) => Some((*source, *at, *exit, *recreated)),
            _ => None,
        })
        .await;
    assert_eq!((source, exit, recreated), (2, Some(3), false));
    assert_eq!(
        at,
        Some(started),
        "the separator is stamped with the new run's start"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_since_query_loads_only_the_recent_lines() {
    // `since` goes to the engine in whole seconds: seconds apart.
    let script = "echo old; sleep 4; echo new; while :; do sleep 3600; done";
    let target = Throwaway::run("logsince", script);
    tokio::time::sleep(Duration::from_secs(5)).await;
    let since = Utc::now() - chrono::Duration::milliseconds(2500);
    let (tx, mut rx) = mpsc::channel(64);
    let source = log_source(&target.id);
    let query = LogQuery {
        tail: 100,
        since: Some(since),
    };
    let _handle = logs::open(&Engine::from_env(), 5, vec![(0, source)], query, tx);
    let mut seen = Vec::new();
    lines_until(&mut rx, 5, Duration::from_secs(5), "new", &mut seen, |l| {
        has_text(l, "new").is_some()
    })
    .await;
    assert!(
        has_text(&seen, "old").is_none(),
        "a line from before `since` came"
    );
}

/// Waits for the next Disconnected; checks its error is one line.
async fn next_disconnect(
    rx: &mut mpsc::Receiver<Event>,
    timeout: Duration,
) -> (String, String, Duration) {
    wait_for(rx, timeout, "Disconnected", |e| match e {
        Event::Docker(
            _,
            DockerEvent::Disconnected {
                endpoint,
                error,
                retry_in,
                ..
            },
        ) => {
            assert!(!error.is_empty() && !error.contains('\n'), "{error:?}");
            Some((endpoint.clone(), error.clone(), *retry_in))
        }
        _ => None,
    })
    .await
}

async fn first_disconnect(endpoint: &str) -> (String, String, Duration) {
    let (tx, mut rx) = mpsc::channel(16);
    let task = tokio::spawn(collector::run(
        Engine::at(endpoint),
        tx,
        DockerOptions::default(),
    ));
    let found = next_disconnect(&mut rx, Duration::from_secs(2)).await;
    let (_, _, second) = next_disconnect(&mut rx, Duration::from_secs(3)).await;
    task.abort();
    assert!(second > found.2, "backoff did not grow: {second:?}");
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_engine_reports_disconnected() {
    let path = std::env::temp_dir().join(format!(
        "stacktop-test-no-engine-{}.sock",
        std::process::id()
    ));
    let socket = format!("unix://{}", path.display());
    for endpoint in [socket.as_str(), "tcp://127.0.0.1:1"] {
        let (reported, error, retry_in) = first_disconnect(endpoint).await;
        assert_eq!(reported, endpoint);
        assert!(!error.is_empty() && !error.contains('\n'), "{error:?}");
        assert_eq!(retry_in, Duration::from_millis(500));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_engine_is_reported_and_reconnected() {
    require_engine();
    let mut proxy = EngineProxy::start("reconnect");
    let (tx, mut rx) = mpsc::channel(1024);
    let task = tokio::spawn(collector::run(
        Engine::at(proxy.endpoint.clone()),
        tx,
        DockerOptions::default(),
    ));
    first_list(&mut rx).await;

    proxy.cut();
    let (endpoint, _, retry_in) = next_disconnect(&mut rx, Duration::from_secs(3)).await;
    assert_eq!(endpoint, proxy.endpoint);
    assert_eq!(
        retry_in,
        Duration::from_millis(500),
        "backoff restarts after a session"
    );

    proxy.resume();
    // Connected follows the list it was read with; a retry may still fail
    // before it.
    let list = wait_for(
        &mut rx,
        Duration::from_secs(10),
        "the list again",
        |e| match e {
            Event::Docker(_, DockerEvent::Containers(all)) => Some(all.clone()),
            _ => None,
        },
    )
    .await;
    wait_for(&mut rx, Duration::from_secs(8), "Connected again", |e| {
        matches!(e, Event::Docker(_, DockerEvent::Connected { .. })).then_some(())
    })
    .await;
    task.abort();
    assert!(!list.is_empty());
}
