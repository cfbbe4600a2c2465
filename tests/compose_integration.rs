//! Compose loading, reset and up against the real engine, each test on a
//! compose project of its own from `tests/stack/reset.yaml`, removed with
//! `down -v` at the end. Nothing is skipped: a missing engine, compose CLI
//! or fixture image fails the test with what to run.

mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use stacktop::compose::{ComposeCli, load};
use stacktop::engine::Engine;
use stacktop::event::{ComposeEvent, Event};
use stacktop::jobs::reset::{run_reset, run_up, spawn_plan};
use stacktop::model::{ComposeProject, DeclaredService, ProjectLocation};
use support::docker::{POSTGRES, docker, inspect_field, try_docker};
use support::events::{drain_compose as drain, steps};
use support::project::{Stack, cli as compose_cli, env_with};
use tokio::sync::mpsc;
use tokio_postgres::{Client, NoTls};

/// Connects to the `db` service as the fixture's `app` user.
async fn pg_connect(port: u16) -> Result<Client, tokio_postgres::Error> {
    let config = format!(
        "host=127.0.0.1 port={port} user=app password=app-secret dbname=app_db connect_timeout=3"
    );
    let (client, connection) = tokio_postgres::connect(&config, NoTls).await?;
    tokio::spawn(connection);
    Ok(client)
}

/// Waits until `db` accepts connections and answers a query.
async fn pg_ready(stack: &Stack, timeout: Duration) -> Client {
    let mut last = String::new();
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        // The port may change when compose recreates the container.
        let port = stack.host_port("db", "5432/tcp");
        match pg_connect(port).await {
            Ok(client) if client.simple_query("select 1").await.is_ok() => return client,
            Ok(_) => last = "connected, but select 1 failed".into(),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    panic!("db did not accept connections within {timeout:?}: {last}");
}

/// Runs a reset and returns its result, the events and how long it took.
async fn reset(
    plan: &stacktop::model::ResetPlan,
    cli: Option<ComposeCli>,
) -> (Result<String, String>, Vec<ComposeEvent>, Duration) {
    let (tx, rx) = mpsc::channel(256);
    let started = Instant::now();
    let result = run_reset(&Engine::from_env(), plan, cli, &tx).await;
    let took = started.elapsed();
    drop(tx);
    (result, drain(rx).await, took)
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_recreates_postgres_with_an_empty_volume() {
    let stack = Stack::up("pg", &["db", "keeper"]);
    let marker = format!("kept-{}", std::process::id());
    stack.write_marker(&marker);

    let client = pg_ready(&stack, Duration::from_secs(60)).await;
    client
        .batch_execute("create table reset_probe (id int); insert into reset_probe values (1)")
        .await
        .expect("create the probe table");
    drop(client);

    let plan = stack.plan(Some(&["db"])).await;
    let old_id = plan.containers[0].id.clone();
    let names: Vec<&str> = plan.volumes.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        [stack.volume("pgdata").as_str()],
        "only db's own volume goes"
    );

    let (result, events, took) = reset(&plan, Some(stack.cli)).await;
    let done = result.expect("reset through the CLI");
    assert_eq!(
        done,
        "reset of db done: 1 containers recreated, 1 volumes removed"
    );
    let steps = steps(&events);
    assert_eq!(
        steps.first().map(String::as_str),
        Some("connect to the engine")
    );
    assert!(
        steps.contains(&format!("remove volume {}", stack.volume("pgdata"))),
        "{steps:?}"
    );
    assert_eq!(steps.last().map(String::as_str), Some("up -d --no-deps db"));
    eprintln!("reset of db through {} took {took:?}", stack.cli.program());

    let new = stack.container("db");
    assert_ne!(inspect_field(&new, "{{.Id}}"), old_id, "db was recreated");
    let ready = Instant::now();
    let client = pg_ready(&stack, Duration::from_secs(60)).await;
    eprintln!(
        "db accepted connections {:?} after the reset",
        ready.elapsed()
    );
    let rows = client
        .query("select to_regclass('public.reset_probe')::text", &[])
        .await
        .expect("query after reset");
    let table: Option<String> = rows[0].get(0);
    assert_eq!(table, None, "the table went with the volume");
    assert_eq!(stack.marker(), marker, "keeper's volume is untouched");
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_has_sizes_for_every_volume() {
    let stack = Stack::up("plan", &["keeper", "cache"]);
    let keeper = stack.container("keeper");
    docker(&[
        "exec",
        &keeper,
        "sh",
        "-c",
        "dd if=/dev/zero of=/keep/blob bs=1024 count=2048 2>/dev/null",
    ]);
    let mut plan = stack.plan(Some(&["keeper", "cache"])).await;
    plan.volumes.push(stacktop::model::VolumeToRemove {
        name: format!("{}_never_created", stack.project),
        size_bytes: Some(1),
        anonymous: false,
    });
    let (tx, mut rx) = mpsc::channel(8);
    spawn_plan(Engine::from_env(), plan.clone(), tx);
    let event = tokio::time::timeout(Duration::from_secs(60), rx.recv())
        .await
        .expect("ResetPlanned within 60 s");
    let Some(Event::Compose(ComposeEvent::ResetPlanned(planned))) = event else {
        panic!("expected ResetPlanned, got {event:?}");
    };
    let names = |p: &stacktop::model::ResetPlan| {
        p.volumes.iter().map(|v| v.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(&planned), names(&plan), "no volume is dropped");
    assert_eq!(
        planned.volumes.len(),
        3,
        "keep, cache's anonymous one, the missing one"
    );
    let keep = &planned.volumes[planned
        .volumes
        .iter()
        .position(|v| v.name == stack.volume("keep"))
        .expect("keep is planned")];
    let size = keep.size_bytes.expect("the engine sizes a local volume");
    assert!(size >= 2 * 1024 * 1024, "keep holds the 2 MiB blob: {size}");
    assert!(planned.volumes.iter().any(|v| v.anonymous));
    assert_eq!(
        planned.volumes[2].size_bytes, None,
        "an unknown volume has no size"
    );
}

/// What the API path must bring back alike.
fn identity(container: &str) -> HashMap<&'static str, String> {
    let fields: [(&str, &str); 10] = [
        ("env", "{{json .Config.Env}}"),
        ("labels", "{{json .Config.Labels}}"),
        ("ports", "{{json .NetworkSettings.Ports}}"),
        ("hostname", "{{.Config.Hostname}}"),
        ("workdir", "{{.Config.WorkingDir}}"),
        ("restart", "{{.HostConfig.RestartPolicy.Name}}"),
        ("health", "{{json .Config.Healthcheck}}"),
        ("init", "{{.HostConfig.Init}}"),
        ("cmd", "{{json .Config.Cmd}}"),
        (
            "networks",
            "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{range $v.Aliases}}{{.}},{{end}};{{end}}",
        ),
    ];
    fields
        .into_iter()
        .map(|(k, t)| (k, inspect_field(container, t)))
        .collect()
}

/// Aliases less the engine's own (the short id): those change by nature.
fn user_aliases(networks: &str, id: &str) -> String {
    networks.replace(&format!("{},", &id[..12]), "")
}

#[tokio::test(flavor = "multi_thread")]
async fn api_path_recreates_with_same_ports_env_labels_and_aliases() {
    let stack = Stack::up("api", &["cache", "keeper"]);
    let name = stack.container("cache");
    let old_id = inspect_field(&name, "{{.Id}}");
    let old_anon = inspect_field(&name, "{{range .Mounts}}{{.Name}}{{end}}");
    let mut before = identity(&name);
    before.insert("networks", user_aliases(&before["networks"], &old_id));
    let plan = stack.plan(Some(&["cache"])).await;
    assert_eq!(
        plan.volumes.len(),
        1,
        "cache's anonymous volume: {:?}",
        plan.volumes
    );

    let (result, events, took) = reset(&plan, None).await;
    let done = result.expect("reset through the Engine API");
    assert_eq!(
        done,
        "reset of cache done: 1 containers recreated, 1 volumes removed"
    );
    eprintln!(
        "reset of cache through the Engine API took {took:?}; steps {:?}",
        steps(&events)
    );

    let new_id = inspect_field(&name, "{{.Id}}");
    assert_ne!(new_id, old_id, "a new container");
    assert_eq!(inspect_field(&name, "{{.State.Status}}"), "running");
    let mut after = identity(&name);
    after.insert("networks", user_aliases(&after["networks"], &new_id));
    for key in before.keys() {
        assert_eq!(before[key], after[key], "{key} differs after the API reset");
    }
    assert!(after["networks"].contains("cache-alias") && after["networks"].contains("cache-back"));
    let new_anon = inspect_field(&name, "{{range .Mounts}}{{.Name}}{{end}}");
    assert_ne!(new_anon, old_anon, "a new, empty anonymous volume");
    assert!(
        try_docker(&["volume", "inspect", &old_anon]).is_err(),
        "the old one is gone"
    );
    // Compose still sees it as its own, up to date: nothing to recreate.
    let out = stack.compose(&["up", "-d", "--no-deps", "cache"]);
    assert_eq!(
        inspect_field(&name, "{{.Id}}"),
        new_id,
        "compose kept it: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn names(project: &ComposeProject) -> Vec<&str> {
    let mut names: Vec<&str> = project.services.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn never_started_service_is_loaded_as_declared_and_up_starts_it() {
    let stack = Stack::up("up", &["keeper"]);
    let location = stack.location();
    for cli in [Some(stack.cli), None] {
        let plain = load(&location, cli, &env_with(&[]))
            .await
            .expect("load")
            .project;
        assert_eq!(names(&plain), ["cache", "db", "keeper"], "{cli:?}");
        let extra = load(&location, cli, &env_with(&[("COMPOSE_PROFILES", "extra")]))
            .await
            .expect("load with a profile")
            .project;
        assert_eq!(names(&extra), ["cache", "db", "extra", "keeper"], "{cli:?}");
        let db = plain
            .services
            .iter()
            .find(|s| s.name == "db")
            .expect("db is declared");
        assert_eq!(db.image.as_deref(), Some(POSTGRES));
    }

    let project = load(&location, Some(stack.cli), &env_with(&[]))
        .await
        .expect("load")
        .project;
    let engine = Engine::from_env();
    let (tx, rx) = mpsc::channel(64);
    // Declared, never created: the CLI creates and starts it.
    assert!(stack.containers_of("cache").is_empty());
    let up = run_up(&engine, &project, Some("cache"), Some(stack.cli), &tx).await;
    assert!(up.is_ok(), "{up:?}");
    assert_eq!(
        inspect_field(&stack.container("cache"), "{{.State.Status}}"),
        "running"
    );

    // Created but never started: the API path starts it.
    stack.compose(&["rm", "-s", "-f", "keeper"]);
    stack.compose(&["create", "keeper"]);
    let keeper = stack.container("keeper");
    assert_eq!(inspect_field(&keeper, "{{.State.Status}}"), "created");
    let up = run_up(&engine, &project, Some("keeper"), None, &tx).await;
    assert_eq!(
        up,
        Ok("up of keeper done: 1 containers started".to_string())
    );
    assert_eq!(inspect_field(&keeper, "{{.State.Status}}"), "running");

    // Never created and no CLI: said plainly, nothing done.
    let up = run_up(&engine, &project, Some("db"), None, &tx).await;
    let error = up.expect_err("no CLI, no container");
    assert!(
        error.contains("never created") && error.contains("compose CLI"),
        "{error}"
    );
    drop(tx);
    let events = drain(rx).await;
    assert!(
        events
            .iter()
            .any(|e| matches!(e, ComposeEvent::Progress { step, .. } if step == "up -d cache"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_step_stops_and_names_it() {
    let stack = Stack::up("fail", &["keeper", "cache"]);
    stack.write_marker("still-here");
    let keep = stack.volume("keep");
    for cli in [Some(stack.cli), None] {
        let mut plan = stack.plan(Some(&["cache"])).await;
        // A volume keeper's running container uses: the engine refuses.
        plan.volumes.insert(
            0,
            stacktop::model::VolumeToRemove {
                name: keep.clone(),
                size_bytes: None,
                anonymous: false,
            },
        );
        let (result, events, _) = reset(&plan, cli).await;
        let error = result.expect_err("removing a volume in use fails");
        assert!(
            error.starts_with(&format!(
                "reset of cache failed at step 'remove volume {keep}': "
            )),
            "{cli:?}: {error}"
        );
        let steps = steps(&events);
        assert_eq!(
            steps.last(),
            Some(&format!("remove volume {keep}")),
            "nothing ran after the failing step: {steps:?}"
        );
        assert!(
            stack.containers_of("cache").is_empty(),
            "cache was removed and not recreated"
        );
        assert_eq!(stack.marker(), "still-here");
        assert_eq!(
            inspect_field(&stack.container("keeper"), "{{.State.Status}}"),
            "running"
        );
        // Back for the next path.
        stack.compose(&["up", "-d", "cache"]);
    }
    let volumes = docker(&["volume", "ls", "-q", "--filter", &format!("name={keep}")]);
    assert_eq!(volumes, keep);
}

#[tokio::test(flavor = "multi_thread")]
async fn whole_project_reset_removes_only_planned_volumes() {
    let stack = Stack::up("whole", &["keeper", "cache"]);
    stack.write_marker("gone-after-reset");
    // A volume of the project no container mounts: not planned, so kept.
    let stray = stack.volume("stray");
    let label = format!("com.docker.compose.project={}", stack.project);
    docker(&["volume", "create", "--label", &label, &stray]);
    let plan = stack.plan(None).await;
    assert_eq!(plan.containers.len(), 2);
    assert!(!plan.volumes.iter().any(|v| v.name == stray));

    let (result, events, took) = reset(&plan, Some(stack.cli)).await;
    let removed = try_docker(&["volume", "rm", &stray]).is_ok();
    let done = result.expect("whole-project reset through the CLI");
    assert_eq!(
        done,
        format!(
            "reset of {} done: 2 containers recreated, 2 volumes removed",
            stack.project
        )
    );
    assert!(removed, "the unplanned volume survived the reset");
    let steps = steps(&events);
    assert!(
        steps.contains(&"down".to_string()) && steps.last() == Some(&"up -d".to_string()),
        "{steps:?}"
    );
    eprintln!(
        "whole-project reset through {} took {took:?}",
        stack.cli.program()
    );
    let keeper = stack.container("keeper");
    assert_eq!(inspect_field(&keeper, "{{.State.Status}}"), "running");
    let marker = try_docker(&["exec", &keeper, "cat", "/keep/marker"]);
    assert!(marker.is_err(), "keep was emptied");
    assert_eq!(
        inspect_field(&stack.container("cache"), "{{.State.Status}}"),
        "running"
    );
}

/// A project in a temp dir: two files, a `.env`, a profile.
struct TempProject(std::path::PathBuf);

impl TempProject {
    fn new() -> Self {
        let dir =
            std::env::temp_dir().join(format!("stacktop-compose-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
        write(
            "compose.yaml",
            "x-base: &base\n  image: \"stacktop-test/busybox:${IMG_TAG:-latest}\"\n\
             services:\n  app:\n    <<: *base\n    scale: 3\n    volumes:\n      - data:/data\n      - ./src:/src\n      - /anon\n      - type: volume\n        source: logs\n        target: /logs\n\
             \x20 worker:\n    <<: *base\n    profiles: [extra]\n    deploy:\n      replicas: 2\n\
             volumes:\n  data: {}\n  logs: {}\n  cache: {}\n",
        );
        write(
            "override.yaml",
            "services:\n  app:\n    image: \"registry.local/app:${EMPTY-unused}x$${NOT_A_VAR}\"\n    volumes:\n      - cache:/data\n",
        );
        write(".env", "IMG_TAG=7\nEMPTY=\n");
        TempProject(dir)
    }
}

impl Drop for TempProject {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Services sorted by name, volumes by target: the CLI sorts, files don't.
fn normalised(mut services: Vec<DeclaredService>) -> Vec<DeclaredService> {
    services.sort_by(|a, b| a.name.cmp(&b.name));
    for s in &mut services {
        s.volumes.sort_by(|a, b| a.target.cmp(&b.target));
    }
    services
}

#[tokio::test(flavor = "multi_thread")]
async fn load_reads_profiles_env_interpolation_and_volumes() {
    let temp = TempProject::new();
    let wd = temp.0.to_string_lossy().into_owned();
    let location = ProjectLocation {
        name: "stacktop-reset-load".into(),
        working_dir: wd.clone(),
        files: vec!["compose.yaml".to_string(), "override.yaml".to_string()],
        ..ProjectLocation::default()
    };
    let cli = compose_cli();
    for (label, cli) in [("cli", Some(cli)), ("fallback", None)] {
        let plain = load(&location, cli, &env_with(&[]))
            .await
            .expect(label)
            .project;
        let services = normalised(plain.services);
        assert_eq!(services.len(), 1, "{label}: worker needs its profile");
        let app = &services[0];
        assert_eq!(
            app.image.as_deref(),
            Some("registry.local/app:x${NOT_A_VAR}"),
            "{label}"
        );
        assert_eq!(app.replicas, 3, "{label}");
        let volumes: Vec<(Option<&str>, &str, bool)> = app
            .volumes
            .iter()
            .map(|v| (v.name.as_deref(), v.target.as_str(), v.anonymous))
            .collect();
        assert_eq!(
            volumes,
            [
                (None, "/anon", true),
                (Some("cache"), "/data", false),
                (Some("logs"), "/logs", false)
            ],
            "{label}: bind left out, override wins at /data"
        );

        let env = env_with(&[("COMPOSE_PROFILES", "extra"), ("IMG_TAG", "9")]);
        let extra = normalised(
            load(&location, cli, &env)
                .await
                .expect(label)
                .project
                .services,
        );
        assert_eq!(extra.len(), 2, "{label}");
        let worker = &extra[1];
        assert_eq!(worker.name, "worker");
        assert_eq!(worker.replicas, 2, "{label}");
        assert_eq!(worker.profiles, ["extra"], "{label}");
        assert_eq!(
            worker.image.as_deref(),
            Some("stacktop-test/busybox:9"),
            "{label}: environment wins over .env"
        );
    }
    let missing = ProjectLocation {
        files: vec!["missing.yaml".to_string()],
        ..location
    };
    let broken = load(&missing, None, &env_with(&[])).await;
    assert!(format!("{:#}", broken.expect_err("a missing file fails")).contains("missing.yaml"));
}
