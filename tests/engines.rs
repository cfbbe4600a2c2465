//! Reaching engines other than the machine's own: a second Docker engine
//! named by a context file, two engines at once, nothing answering, Podman
//! through its API socket, TLS and SSH. Every engine here is real: private
//! dockerds in their own network namespaces, a Podman service with its own
//! storage, socat and sshd on the loopback.
//!
//! Nothing is skipped: a missing tool or image fails the test with what to
//! install. One test at a time: they start daemons, and the screen test
//! measures how fast the screen follows.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use stacktop::collect::docker::{self as collector, DockerOptions};
use stacktop::engine::{Endpoint, Engine, TlsFiles, reach};
use stacktop::event::{DockerEvent, Event, LogEvent};
use stacktop::jobs;
use stacktop::model::{Container, LogQuery, LogSource, Verb};
use support::docker::{BUSYBOX, IDLE_SCRIPT, TICKER_SCRIPT, require_engine};
use support::engine::{PrivateEngine, config_with_contexts};
use support::events::wait_for;
use support::fleet::run_args;
use support::podman::Podman;
use support::remote::{Sshd, TlsProxy};
use support::tmux::{Stacktop, stacktop_bin};
use tokio::sync::mpsc;

const SECS: fn(u64) -> Duration = Duration::from_secs;

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

/// A private engine running one idle fixture container named `name`.
fn engine_with(purpose: &str, name: &str) -> PrivateEngine {
    require_engine();
    let engine = PrivateEngine::start(purpose);
    engine.load_image(BUSYBOX);
    engine.docker(&run_args(name, IDLE_SCRIPT));
    engine
}

/// Runs `stacktop ARGS` without a terminal, in an empty folder, with the
/// engine variables of this run cleared and `env` set.
fn stacktop(args: &[&str], env: &[(&str, String)]) -> Output {
    let mut cmd = Command::new(stacktop_bin());
    cmd.args(args).current_dir(std::env::temp_dir());
    for name in [
        "DOCKER_HOST",
        "DOCKER_CONTEXT",
        "DOCKER_TLS_VERIFY",
        "DOCKER_CERT_PATH",
    ] {
        cmd.env_remove(name);
    }
    cmd.envs(env.iter().map(|(k, v)| (k, v)));
    cmd.output().expect("running stacktop")
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_current_context_names_a_second_engine_and_docker_host_wins_over_it() {
    let _serial = serial();
    let engine = engine_with("ctx", "alpha");
    let config = config_with_contexts("ctx", &[("second", &engine.host())], Some("second"));
    let env = [("DOCKER_CONFIG", config.0.display().to_string())];
    let out = stacktop(&["status", "--json", "-a"], &env);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("\"alpha\""), "{shown}");
    assert!(shown.contains(&engine.host()), "{shown}");

    // DOCKER_HOST comes first, as for the docker CLI.
    let missing = format!("unix://{}/none.sock", config.0.display());
    let mut env = env.to_vec();
    env.push(("DOCKER_HOST", missing.clone()));
    let out = stacktop(&["status", "--json", "-a"], &env);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains(&format!("{missing}  no such file")),
        "{shown}"
    );
}

#[test]
fn nothing_answering_lists_every_endpoint_before_the_screen_is_taken() {
    let _serial = serial();
    let dir = std::env::temp_dir().join(format!("ste-none-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("folder");
    let refused = dir.join("refused.sock");
    drop(std::os::unix::net::UnixListener::bind(&refused).expect("bind"));
    let none = format!("unix://{}/none.sock", dir.display());
    let refused = format!("unix://{}", refused.display());
    let out = stacktop(&["--host", &none, "--host", &refused], &[]);
    let shown = text(&out);
    assert!(!out.status.success(), "{shown}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("stacktop: no container engine answered"),
        "{shown}"
    );
    let reason = |host: &str| {
        stderr
            .lines()
            .find(|l| l.trim_start().starts_with(host))
            .map(|l| l.trim_start()[host.len()..].trim().to_string())
            .unwrap_or_default()
    };
    assert_eq!(reason(&none), "no such file", "{shown}");
    assert!(reason(&refused).starts_with("refused"), "{shown}");
    assert!(stderr.contains("--context NAME"), "{shown}");
    // Nothing was drawn: no escape sequence of a taken screen.
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains('\u{1b}'),
        "{shown}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn two_engines_at_once_each_acted_on_and_one_going_down_leaves_the_other() {
    let _serial = serial();
    let mut first = engine_with("two-a", "alpha");
    let second = engine_with("two-b", "bravo");
    let contexts = [("east", first.host()), ("west", second.host())];
    let named: Vec<(&str, &str)> = contexts.iter().map(|(n, h)| (*n, h.as_str())).collect();
    let config = config_with_contexts("two", &named, None);
    let app = Stacktop::on_contexts("engines-two", (120, 30), &config.0, &["east", "west"]);
    app.wait_screen_for("both engines and their containers", SECS(15), |s| {
        ["◆ east", "◆ west", "alpha", "bravo"]
            .iter()
            .all(|t| s.contains(t))
    });
    let screen = app.screen();
    let at = |t: &str| screen.find(t).unwrap_or(usize::MAX);
    assert!(
        at("◆ east") < at("alpha") && at("alpha") < at("◆ west"),
        "{screen}"
    );
    assert!(at("◆ west") < at("bravo"), "{screen}");

    // `r` restarts alpha on the first engine.
    let started = first.inspect("alpha", "{{.State.StartedAt}}");
    app.select("alpha");
    app.text("r");
    let restarted = support::wait_until(SECS(20), Duration::from_millis(200), || {
        first.inspect("alpha", "{{.State.StartedAt}}") != started
    });
    assert!(restarted, "alpha was not restarted:\n{}", app.screen());
    // `s` stops bravo on the second.
    app.escape();
    app.select("bravo");
    app.text("s");
    let stopped = support::wait_until(SECS(20), Duration::from_millis(200), || {
        second.inspect("bravo", "{{.State.Status}}") == "exited"
    });
    assert!(stopped, "bravo was not stopped:\n{}", app.screen());
    app.escape();
    app.escape();

    // The first engine goes away: its own banner line; the second goes on.
    first.stop();
    app.wait_screen_for("a banner line for the first engine", SECS(5), |s| {
        s.contains("Docker engine unreachable at east · unix://")
    });
    second.docker(&["start", "bravo"]);
    app.wait_screen_for("bravo running again on the second engine", SECS(10), |s| {
        s.lines()
            .any(|l| l.contains("bravo") && l.contains("running"))
    });
    let screen = app.screen();
    assert!(!screen.contains("unreachable at west"), "{screen}");
}

/// Starts the collector on `engine`, returning its events.
fn follow(engine: Engine) -> mpsc::Receiver<Event> {
    let (tx, rx) = mpsc::channel(1024);
    let options = DockerOptions {
        interval: Duration::from_millis(500),
    };
    tokio::spawn(collector::run(engine, tx, options));
    rx
}

/// Runs `work` on a runtime of its own (the serial lock is held outside).
fn block_on<F: std::future::Future>(work: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(work)
}

#[test]
fn podman_lists_compose_containers_follows_logs_and_restarts() {
    let _serial = serial();
    let podman = Podman::start("pod");
    block_on(podman_checks(&podman));
}

async fn podman_checks(podman: &Podman) {
    let labels = [
        "com.docker.compose.project=podstack",
        "com.docker.compose.service=web",
    ];
    let id = podman.run("podweb", &labels, TICKER_SCRIPT);
    let engine = Engine::at(podman.host());
    let mut rx = follow(engine.clone());
    // The collector says Connected once it has read the list.
    let web = wait_for(&mut rx, SECS(10), "the list", |e| match e {
        Event::Docker(_, DockerEvent::Containers(all)) => all.iter().find(|c| c.id == id).cloned(),
        _ => None,
    })
    .await;
    let product = wait_for(&mut rx, SECS(10), "Connected", |e| match e {
        Event::Docker(_, DockerEvent::Connected { product, .. }) => Some(product.clone()),
        _ => None,
    })
    .await;
    assert_eq!(product, "Podman");
    assert_eq!(web.project.as_deref(), Some("podstack"));
    assert_eq!(web.service.as_deref(), Some("web"));
    assert!(web.state.is_running(), "{web:?}");

    let (log_tx, mut logs) = mpsc::channel(256);
    let source = LogSource {
        container_id: id.clone(),
        label: "web".into(),
    };
    let _handle = jobs::logs::open(
        &engine,
        1,
        vec![(0, source)],
        LogQuery {
            tail: 5,
            since: None,
        },
        log_tx,
    );
    wait_for(&mut logs, SECS(10), "a tick line", |e| match e {
        Event::Log(LogEvent::Lines { lines, .. }) => lines
            .iter()
            .any(|l| l.text().contains("tick"))
            .then_some(()),
        _ => None,
    })
    .await;

    engine
        .act(Verb::Restart, &id)
        .await
        .expect("restart through podman");
    let before = web.started_at;
    let restarted = |c: &Container| c.id == id && c.started_at != before;
    let how = follow_podman(&mut rx, "the restart", |e| match e {
        DockerEvent::ContainerChanged(c) => restarted(c),
        DockerEvent::Containers(all) => all.iter().any(restarted),
        _ => false,
    })
    .await;
    eprintln!("the restart came by {how}");
    // Podman names a removal `remove`, not `destroy`. Removed through its
    // API, as `docker-compose down` pointed at Podman does.
    let docker = engine.client().await.expect("podman's API");
    let force = bollard::query_parameters::RemoveContainerOptionsBuilder::new()
        .force(true)
        .build();
    docker
        .remove_container(&id, Some(force))
        .await
        .expect("removing through podman's API");
    let how = follow_podman(&mut rx, "the removal", |e| match e {
        DockerEvent::ContainerRemoved(gone) => *gone == id,
        DockerEvent::Containers(all) => all.iter().all(|c| c.id != id),
        _ => false,
    })
    .await;
    eprintln!("the removal came by {how}");
}

/// Waits for what `seen` looks for, from Podman's event stream or, when
/// that stalls, from the collector's resync (every 30 s): Podman's file
/// event backend, the only one without journald, now and then delivers
/// events late on a busy machine. Says which way it came.
async fn follow_podman(
    rx: &mut mpsc::Receiver<Event>,
    what: &str,
    seen: impl Fn(&DockerEvent) -> bool,
) -> &'static str {
    let window = collector::RESYNC_EVERY + SECS(10);
    wait_for(rx, window, what, |e| match e {
        Event::Docker(_, event @ DockerEvent::Containers(_)) if seen(event) => Some("a resync"),
        Event::Docker(_, event) if seen(event) => Some("its event"),
        _ => None,
    })
    .await
}

fn tls_engine(proxy: &TlsProxy, certs: &Path) -> Engine {
    Engine::new(Endpoint {
        name: "default".into(),
        host: proxy.host(),
        tls: Some(TlsFiles::in_folder(certs, true)),
    })
}

#[test]
fn tls_with_the_right_ca_lists_and_with_the_wrong_one_says_why() {
    let _serial = serial();
    let engine = engine_with("tls", "alpha");
    let socket = engine.host().trim_start_matches("unix://").to_string();
    let proxy = TlsProxy::start("tls", Path::new(&socket));
    block_on(tls_checks(&proxy));
}

async fn tls_checks(proxy: &TlsProxy) {
    let verified = tls_engine(proxy, &proxy.client_certs());
    let version = reach::attempt(&verified)
        .await
        .unwrap_or_else(|e| panic!("a verified connection: {e}\nsocat: {}", proxy.log()));
    assert!(!version.is_empty());
    let mut rx = follow(verified);
    wait_for(&mut rx, SECS(10), "alpha over TLS", |e| match e {
        Event::Docker(_, DockerEvent::Containers(all)) => {
            all.iter().any(|c| c.name == "alpha").then_some(())
        }
        _ => None,
    })
    .await;

    let refused = tls_engine(proxy, &proxy.wrong_ca_certs());
    let why = reach::attempt(&refused)
        .await
        .expect_err("the wrong CA is refused");
    assert!(why.starts_with("TLS error"), "{why}");
    assert!(why.to_lowercase().contains("certificate"), "{why}");
}

#[test]
fn ssh_reaches_the_engine_through_dial_stdio() {
    let _serial = serial();
    let engine = engine_with("ssh", "alpha");
    let sshd = Sshd::start("ssh", &engine.host());
    let env = [("DOCKER_HOST", sshd.host()), ("PATH", sshd.path())];
    let out = stacktop(&["status", "--json", "-a"], &env);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}\nsshd log:\n{}", sshd.log());
    assert!(shown.contains("\"alpha\""), "{shown}");
    assert!(shown.contains(&sshd.host()), "{shown}");
}
