//! `update` with several engines: rows grouped per engine, each engine's
//! reports touching only its own containers, actions sent to the engine
//! that owns the row.

use std::time::Duration;

use super::tests::{ch, container, now, select};
use super::*;
use crate::engine::endpoint::Endpoint;
use crate::event::DockerEvent;
use crate::model::{ContainerState, Stats, Verb};

fn on(engine: u16, mut c: Container) -> Container {
    c.engine = EngineId(engine);
    c
}

/// `east` and `west` both run project `shop` (the same stack on two
/// machines), `west` also a container outside Compose.
fn two_engines() -> App {
    let engines = [
        Endpoint::plain("east", "unix:///east.sock"),
        Endpoint::plain("west", "tcp://10.0.0.7:2376"),
    ];
    let mut app = App::with_engines(Settings::default(), &engines, now());
    app.screen.viewport.list_rows = 30;
    let east = vec![container("e-db", Some("shop"), "db", 1)];
    let west = vec![
        container("w-db", Some("shop"), "db", 1),
        container("w-lone", None, "lone", 1),
    ];
    app.update(Event::Docker(EngineId(0), DockerEvent::Containers(east)));
    app.update(Event::Docker(EngineId(1), DockerEvent::Containers(west)));
    app
}

#[test]
fn each_engine_heads_its_own_projects() {
    let app = two_engines();
    assert_eq!(
        app.list.rows,
        vec![
            Row::Engine(EngineId(0)),
            Row::Project(EngineId(0), Some("shop".into())),
            Row::Container("e-db".into()),
            Row::Engine(EngineId(1)),
            Row::Project(EngineId(1), Some("shop".into())),
            Row::Container("w-db".into()),
            Row::Project(EngineId(1), None),
            Row::Container("w-lone".into()),
        ]
    );
    assert_eq!(app.members(EngineId(1), Some("shop")).len(), 1);
    assert_eq!(app.store.ports_hosts(), ["127.0.0.1", "10.0.0.7"]);
}

#[test]
fn an_engine_with_nothing_listed_keeps_its_header() {
    let mut app = two_engines();
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Containers(Vec::new()),
    ));
    assert_eq!(app.list.rows[0], Row::Engine(EngineId(0)));
    assert_eq!(app.list.rows[1], Row::Engine(EngineId(1)));
}

#[test]
fn one_engines_reports_leave_the_others_containers_and_figures() {
    let mut app = two_engines();
    let stats = |id: &str| {
        vec![(
            id.to_string(),
            Stats {
                cpu_percent: 1.0,
                ..Stats::default()
            },
        )]
    };
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Stats(stats("e-db")),
    ));
    app.update(Event::Docker(
        EngineId(1),
        DockerEvent::Stats(stats("w-db")),
    ));
    assert_eq!(
        app.store.stats.len(),
        2,
        "one engine's figures keep the other's"
    );
    let again = vec![on(0, container("e-db", Some("shop"), "db", 1))];
    app.update(Event::Docker(EngineId(0), DockerEvent::Containers(again)));
    assert_eq!(app.store.containers.len(), 3);
    app.update(Event::Docker(
        EngineId(1),
        DockerEvent::Disconnected {
            endpoint: "tcp://10.0.0.7:2376".into(),
            error: "connection refused".into(),
            retry_in: Duration::from_secs(1),
            others: Vec::new(),
        },
    ));
    assert!(matches!(
        app.store.engines[1].status,
        EngineStatus::Down { .. }
    ));
    assert_eq!(app.store.engines[0].status, EngineStatus::Connecting);
    assert_eq!(app.store.containers.len(), 3, "the last known list stays");
}

#[test]
fn a_project_row_acts_on_its_own_engines_containers_only() {
    let mut app = two_engines();
    select(&mut app, Row::Project(EngineId(1), Some("shop".into())));
    let commands = app.update(ch('r'));
    assert_eq!(
        commands,
        vec![Command::Act {
            engine: EngineId(1),
            verb: Verb::Restart,
            container_id: "w-db".into(),
            container_name: "shop-db-1".into(),
        }]
    );
    select(&mut app, Row::Container("e-db".into()));
    let commands = app.update(ch('l'));
    assert!(
        matches!(
            &commands[..],
            [Command::OpenLogs {
                engine: EngineId(0),
                ..
            }]
        ),
        "{commands:?}"
    );
}

#[test]
fn a_shows_the_project_within_each_engine() {
    let mut app = two_engines();
    select(&mut app, Row::Container("w-db".into()));
    app.update(ch('a'));
    assert_eq!(app.list.scope.as_deref(), Some("shop"));
    let containers: Vec<&Row> = app
        .list
        .rows
        .iter()
        .filter(|r| matches!(r, Row::Container(_)))
        .collect();
    assert_eq!(
        containers.len(),
        2,
        "shop on both engines: {:?}",
        app.list.rows
    );
    assert!(!app.list.rows.contains(&Row::Container("w-lone".into())));
}

#[test]
fn a_reset_plan_counts_only_its_engines_containers() {
    let mut app = two_engines();
    let mut db = container("w-db", Some("shop"), "db", 1);
    db.spec.compose_working_dir = Some("/src/shop".into());
    db.spec.compose_files = vec!["/src/shop/compose.yaml".into()];
    app.update(Event::Docker(
        EngineId(1),
        DockerEvent::ContainerChanged(Box::new(db)),
    ));
    select(&mut app, Row::Project(EngineId(1), Some("shop".into())));
    let commands = app.update(ch('X'));
    let [Command::PlanReset(plan)] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert_eq!(plan.engine, EngineId(1));
    let ids: Vec<&str> = plan.containers.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["w-db"]);
}

#[test]
fn stats_grow_each_containers_trend_and_removal_drops_it() {
    let mut app = two_engines();
    let figures = Stats {
        cpu_percent: 2.0,
        mem_used: 100,
        mem_limit: 0,
    };
    for _ in 0..3 {
        let stats = vec![("w-db".to_string(), figures)];
        app.update(Event::Docker(EngineId(1), DockerEvent::Stats(stats)));
    }
    let usage = app.store.trends.of("w-db").expect("a trend for w-db");
    assert_eq!(usage.cpu.latest(10), vec![2.0; 3]);
    app.update(Event::Docker(
        EngineId(1),
        DockerEvent::ContainerRemoved("w-db".into()),
    ));
    assert!(
        app.store.trends.of("w-db").is_none(),
        "its ring went with it"
    );
}

#[test]
fn only_engines_on_another_host_count_as_remote() {
    let state = |host: &str| EngineState::new(&Endpoint::plain("x", host));
    assert!(state("unix:///var/run/docker.sock").is_local());
    assert!(state("tcp://127.0.0.1:2376").is_local());
    assert!(state("tcp://localhost:2375").is_local());
    assert!(!state("tcp://build-box:2376").is_local());
    assert!(!state("ssh://dev@build-box").is_local());
}

#[test]
fn the_same_project_on_two_engines_folds_apart() {
    let mut app = two_engines();
    select(&mut app, Row::Project(EngineId(0), Some("shop".into())));
    let commands = app.update(ch(' '));
    assert!(app.is_folded(EngineId(0), Some("shop")));
    assert!(!app.is_folded(EngineId(1), Some("shop")));
    assert!(!app.list.rows.contains(&Row::Container("e-db".into())));
    assert!(app.list.rows.contains(&Row::Container("w-db".into())));
    // Remembered by context: `east/shop`, not `shop`.
    match commands.as_slice() {
        [Command::SavePrefs(prefs)] => {
            assert_eq!(prefs.folds.get("east/shop"), Some(&true), "{prefs:?}");
            assert!(!prefs.folds.contains_key("shop"), "{prefs:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_compose_step_on_one_engine_leaves_the_same_project_on_another_alone() {
    use crate::model::{ComposeVerb, ComposeWork, ProjectKey};
    let mut app = two_engines();
    let work = ComposeWork::new(
        ProjectKey::new(EngineId(0), "shop"),
        ComposeVerb::Reset,
        vec!["db".into()],
    );
    app.update(Event::Compose(crate::event::ComposeEvent::Progress {
        work,
        step: "remove the containers".into(),
    }));
    let east = app.store.container("e-db").unwrap();
    let west = app.store.container("w-db").unwrap();
    assert!(app.flight.compose_step_of(east).is_some());
    assert!(app.flight.compose_step_of(west).is_none());
    assert!(app.flight.acting_on(east));
    assert!(!app.flight.acting_on(west));
}

#[test]
fn a_second_engines_first_list_is_how_it_stands_not_a_change() {
    let app = two_engines();
    let told: Vec<String> = app
        .messages
        .notices
        .timeline
        .iter()
        .map(|c| c.text())
        .collect();
    assert!(told.is_empty(), "{told:?}");
}

#[test]
fn with_several_engines_a_change_names_its_engine() {
    let mut app = two_engines();
    let mut db = container("w-db", Some("shop"), "db", 1);
    db.state = ContainerState::Exited { code: 1 };
    app.update(Event::Docker(
        EngineId(1),
        DockerEvent::ContainerChanged(Box::new(db)),
    ));
    let told: Vec<String> = app
        .messages
        .notices
        .timeline
        .iter()
        .map(|c| c.text())
        .collect();
    assert_eq!(told, ["west: shop/db exited (1)"]);
    let unseen: Vec<String> = app
        .messages
        .notices
        .unseen
        .iter()
        .map(|c| c.text())
        .collect();
    assert_eq!(unseen, ["west: shop/db exited (1)"]);
}
