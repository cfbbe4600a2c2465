//! `update` tests: events in, state and commands out.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use super::*;
use crate::command::Collect;
use crate::event::{DockerEvent, LogEvent};
use crate::model::Sample;
use crate::model::{
    ContainerState, JobError, LogLine, LogSource, PgSignal, Stats, StyledSpan, Verb,
};

pub(super) fn now() -> DateTime<FixedOffset> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
        .unwrap()
        .fixed_offset()
}

pub(super) fn container(id: &str, project: Option<&str>, service: &str, number: u32) -> Container {
    let sample = match project {
        Some(project) => Sample::service(project, service, number),
        None => Sample::lone(&format!("x-{service}-{number}")),
    };
    let started = Utc.with_ymd_and_hms(2026, 11, 25, 11, 0, 0).unwrap();
    sample.id(id).started(started).build()
}

fn stack() -> Vec<Container> {
    vec![
        container("w2", Some("shop"), "worker", 2),
        container("db", Some("shop"), "db", 1),
        container("w1", Some("shop"), "worker", 1),
        container("a1", Some("auth"), "api", 1),
        container("lone", None, "lone", 1),
    ]
}

fn app_with(containers: Vec<Container>) -> App {
    let mut app = App::new(Settings::default(), "unix:///test.sock".into(), now());
    app.screen.viewport = Viewport {
        width: 120,
        height: 40,
        list_rows: 36,
        log_rows: 38,
    };
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Containers(containers),
    ));
    app
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(super) fn ch(c: char) -> Event {
    key(KeyCode::Char(c))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(ch(c));
    }
}

#[test]
fn rows_group_by_project_with_loose_containers_last() {
    let app = app_with(stack());
    let expected = vec![
        Row::Project(EngineId(0), Some("auth".into())),
        Row::Container("a1".into()),
        Row::Project(EngineId(0), Some("shop".into())),
        Row::Container("db".into()),
        Row::Container("w1".into()),
        Row::Container("w2".into()),
        Row::Project(EngineId(0), None),
        Row::Container("lone".into()),
    ];
    assert_eq!(app.list.rows, expected);
}

#[test]
fn replicas_get_numbered_labels_and_single_services_do_not() {
    let app = app_with(stack());
    let label = |id: &str| app.store.label(app.store.container(id).unwrap());
    assert_eq!(label("w1"), "worker-1");
    assert_eq!(label("w2"), "worker-2");
    assert_eq!(label("db"), "db");
    assert_eq!(label("lone"), "x-lone-1");
}

#[test]
fn arrows_and_vim_keys_move_within_bounds() {
    let mut app = app_with(stack());
    app.update(ch('j'));
    app.update(key(KeyCode::Down));
    assert_eq!(app.list.selected, 2);
    app.update(ch('G'));
    assert_eq!(app.list.selected, app.list.rows.len() - 1);
    app.update(ch('j'));
    assert_eq!(app.list.selected, app.list.rows.len() - 1);
    app.update(ch('g'));
    assert_eq!(app.list.selected, 0);
    app.update(ch('k'));
    assert_eq!(app.list.selected, 0);
}

#[test]
fn filter_narrows_as_typed_and_enter_selects_first_match() {
    let mut app = app_with(stack());
    app.update(ch('/'));
    assert!(app.filter_editing());
    type_text(&mut app, "work");
    assert_eq!(app.list.rows.len(), 3, "project header and two workers");
    app.update(key(KeyCode::Enter));
    assert!(!app.filter_editing());
    assert_eq!(app.list.filter, "work");
    assert_eq!(app.selected_row(), Some(&Row::Container("w1".into())));
}

#[test]
fn filter_matches_project_and_container_names_case_insensitively() {
    let mut app = app_with(stack());
    app.update(ch('/'));
    type_text(&mut app, "AUTH");
    assert_eq!(
        app.list.rows,
        vec![
            Row::Project(EngineId(0), Some("auth".into())),
            Row::Container("a1".into())
        ]
    );
}

#[test]
fn escape_clears_the_filter() {
    let mut app = app_with(stack());
    app.update(ch('/'));
    type_text(&mut app, "db");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Esc));
    assert!(app.list.filter.is_empty());
    assert_eq!(app.list.rows.len(), 8);
    app.update(ch('/'));
    type_text(&mut app, "zz");
    app.update(key(KeyCode::Esc));
    assert!(!app.filter_editing());
    assert_eq!(app.list.rows.len(), 8);
}

#[test]
fn selection_follows_its_container_when_the_list_changes() {
    let mut app = app_with(stack());
    app.list.selected = 5; // w2
    let mut newcomer = container("a2", Some("auth"), "web", 1);
    newcomer.state = ContainerState::Created;
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::ContainerChanged(Box::new(newcomer)),
    ));
    assert_eq!(app.selected_row(), Some(&Row::Container("w2".into())));
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::ContainerRemoved("w2".into()),
    ));
    assert!(app.store.container("w2").is_none());
    assert!(app.list.selected < app.list.rows.len());
}

#[test]
fn restart_on_a_container_marks_it_pending_and_reports_the_result() {
    let mut app = app_with(stack());
    app.list.selected = 3; // db
    let commands = app.update(ch('r'));
    assert_eq!(
        commands,
        vec![Command::Act {
            engine: EngineId(0),
            verb: Verb::Restart,
            container_id: "db".into(),
            container_name: "shop-db-1".into(),
        }]
    );
    assert_eq!(app.flight.pending.get("db"), Some(&Verb::Restart));
    assert!(
        app.update(ch('r')).is_empty(),
        "no second restart while pending"
    );
    app.update(Event::Done(Done {
        job: Job::Container {
            id: "db".into(),
            name: "shop-db-1".into(),
            verb: Verb::Restart,
        },
        result: Err(JobError::Refused("No such container: db".into())),
    }));
    assert!(app.flight.pending.is_empty());
    assert!(!app.flight.outcomes["db"].ok);
    let status = app.messages.status.clone().unwrap();
    assert_eq!(status.level, Level::Error);
    assert!(status.text.contains("No such container"), "{}", status.text);
}

#[test]
fn a_job_that_crashed_stays_on_screen_as_a_bug_and_one_refused_does_not() {
    let mut app = app_with(stack());
    let done = |result| {
        Event::Done(Done {
            job: Job::Container {
                id: "db".into(),
                name: "shop-db-1".into(),
                verb: Verb::Restart,
            },
            result,
        })
    };
    app.update(done(Err(JobError::Refused("No such container: db".into()))));
    assert!(app.flight.failed_tasks.is_empty());
    let crash = "stopped on an internal error: boom";
    app.update(done(Err(JobError::Crashed(crash.into()))));
    assert_eq!(app.flight.failed_tasks, [crash]);
    assert_eq!(app.messages.status.clone().unwrap().level, Level::Error);
}

#[test]
fn outcomes_and_status_expire_on_ticks() {
    let mut app = app_with(stack());
    app.list.selected = 3;
    app.update(ch('r'));
    app.update(Event::Done(Done {
        job: Job::Container {
            id: "db".into(),
            name: "shop-db-1".into(),
            verb: Verb::Restart,
        },
        result: Ok("shop-db-1: restart done".into()),
    }));
    assert!(app.flight.outcomes.contains_key("db"));
    app.update(Event::Tick(now() + Age::seconds(10)));
    assert!(app.flight.outcomes.is_empty());
    assert!(app.messages.status.is_none());
}

#[test]
fn restart_on_a_project_row_restarts_all_its_containers() {
    let mut app = app_with(stack());
    app.list.selected = 2; // shop
    let commands = app.update(ch('r'));
    let ids: Vec<String> = commands
        .into_iter()
        .map(|c| match c {
            Command::Act { container_id, .. } => container_id,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(ids, vec!["db", "w1", "w2"]);
}

#[test]
fn s_stops_running_and_starts_stopped() {
    let mut containers = stack();
    containers[1].state = ContainerState::Exited { code: 0 };
    let mut app = app_with(containers);
    app.list.selected = 3; // db, exited
    assert!(matches!(
        app.update(ch('s')).as_slice(),
        [Command::Act {
            verb: Verb::Start,
            ..
        }]
    ));
    app.list.selected = 4; // w1, running
    assert!(matches!(
        app.update(ch('s')).as_slice(),
        [Command::Act {
            verb: Verb::Stop,
            ..
        }]
    ));
}

fn line(ts_secs: i64, text: &str, source: usize) -> LogLine {
    LogLine {
        timestamp: DateTime::from_timestamp(ts_secs, 0),
        spans: vec![StyledSpan {
            text: text.into(),
            ..Default::default()
        }],
        source,
        ..Default::default()
    }
}

#[test]
fn logs_open_on_a_container_and_close_on_escape() {
    let mut app = app_with(stack());
    app.list.selected = 3;
    let commands = app.update(ch('l'));
    let session = app.log_view().unwrap().session;
    assert_eq!(
        commands,
        vec![Command::OpenLogs {
            engine: EngineId(0),
            session,
            sources: vec![(
                0,
                LogSource {
                    container_id: "db".into(),
                    label: "db".into(),
                }
            )],
            query: crate::model::LogQuery {
                tail: 500,
                since: None
            },
        }]
    );
    assert_eq!(
        app.update(key(KeyCode::Esc)),
        vec![Command::CloseLogs { session }]
    );
    assert!(app.log_view().is_none());
}

#[test]
fn project_logs_merge_every_container_in_time_order() {
    let mut app = app_with(stack());
    app.list.selected = 2;
    app.update(key(KeyCode::Enter));
    let view = app.log_view().unwrap();
    let session = view.session;
    assert!(view.merged);
    assert_eq!(view.sources.len(), 3);
    app.update(Event::Log(LogEvent::Lines {
        session,
        lines: vec![line(10, "a", 0), line(30, "c", 0)],
    }));
    app.update(Event::Log(LogEvent::Lines {
        session,
        lines: vec![line(20, "b", 1)],
    }));
    let texts: Vec<String> = app
        .log_view()
        .unwrap()
        .buffer
        .iter()
        .map(|l| l.text())
        .collect();
    assert_eq!(texts, vec!["a", "b", "c"]);
}

#[test]
fn lines_from_a_closed_session_are_ignored() {
    let mut app = app_with(stack());
    app.list.selected = 3;
    app.update(ch('l'));
    let old = app.log_view().unwrap().session;
    app.update(key(KeyCode::Esc));
    app.update(ch('l'));
    app.update(Event::Log(LogEvent::Lines {
        session: old,
        lines: vec![line(1, "stale", 0)],
    }));
    assert!(app.log_view().unwrap().buffer.is_empty());
}

#[test]
fn scrolling_up_pauses_and_new_lines_keep_the_view_in_place() {
    let mut app = app_with(stack());
    app.list.selected = 3;
    app.update(ch('l'));
    let session = app.log_view().unwrap().session;
    let batch: Vec<LogLine> = (0..100).map(|i| line(i, "x", 0)).collect();
    app.update(Event::Log(LogEvent::Lines {
        session,
        lines: batch,
    }));
    app.update(key(KeyCode::Up));
    let view = app.log_view().unwrap();
    assert!(!view.follow);
    assert_eq!(view.scroll, 1);
    app.update(Event::Log(LogEvent::Lines {
        session,
        lines: vec![line(200, "new", 0), line(201, "new", 0)],
    }));
    assert_eq!(app.log_view().unwrap().scroll, 3);
    app.update(ch('f'));
    let view = app.log_view().unwrap();
    assert!(view.follow);
    assert_eq!(view.scroll, 0);
}

#[test]
fn mouse_wheel_scrolls_logs_and_pauses() {
    let mut app = app_with(stack());
    app.list.selected = 3;
    app.update(ch('l'));
    let session = app.log_view().unwrap().session;
    let batch: Vec<LogLine> = (0..50).map(|i| line(i, "x", 0)).collect();
    app.update(Event::Log(LogEvent::Lines {
        session,
        lines: batch,
    }));
    app.update(Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollUp,
        column: 0,
        row: 0,
        modifiers: KeyModifiers::NONE,
    }));
    let view = app.log_view().unwrap();
    assert_eq!(view.scroll, 3);
    assert!(!view.follow);
}

#[test]
fn log_window_is_bounded() {
    let settings = Settings {
        log_lines: 100,
        ..Settings::default()
    };
    let mut app = App::new(settings, String::new(), now());
    app.update(Event::Docker(EngineId(0), DockerEvent::Containers(stack())));
    app.list.selected = 3;
    app.update(ch('l'));
    let session = app.log_view().unwrap().session;
    for chunk in 0..10 {
        let batch: Vec<LogLine> = (0..100).map(|i| line(chunk * 100 + i, "x", 0)).collect();
        app.update(Event::Log(LogEvent::Lines {
            session,
            lines: batch,
        }));
    }
    let view = app.log_view().unwrap();
    assert_eq!(view.buffer.len(), 100);
    assert_eq!(view.buffer.dropped(), 900);
    assert_eq!(view.received, 1000);
}

#[test]
fn t_and_w_toggle_timestamps_and_wrapping() {
    let mut app = app_with(stack());
    app.list.selected = 3;
    app.update(ch('l'));
    app.update(ch('t'));
    app.update(ch('w'));
    let view = app.log_view().unwrap();
    assert!(view.timestamps);
    assert!(!view.wrap);
}

#[test]
fn help_opens_with_question_mark_and_any_key_closes_it() {
    let mut app = app_with(stack());
    app.update(ch('?'));
    assert_eq!(app.screen.overlay, Some(Overlay::Help { scroll: 0 }));
    app.update(ch('j'));
    assert_eq!(app.screen.overlay, None);
    assert_eq!(app.list.selected, 0, "the closing key does nothing else");
}

#[test]
fn quit_keys_and_signals_quit() {
    for event in [
        ch('q'),
        Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        Event::Terminate,
    ] {
        let mut app = app_with(stack());
        assert_eq!(app.update(event), vec![Command::Quit]);
    }
}

#[test]
fn quitting_from_the_log_view_closes_its_stream() {
    let mut app = app_with(stack());
    app.list.selected = 3;
    app.update(ch('l'));
    let session = app.log_view().unwrap().session;
    assert_eq!(
        app.update(ch('q')),
        vec![Command::CloseLogs { session }, Command::Quit]
    );
}

#[test]
fn engine_outage_is_reported_and_recovery_clears_it() {
    let mut app = app_with(stack());
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Disconnected {
            endpoint: "unix:///test.sock".into(),
            error: "connection refused".into(),
            retry_in: std::time::Duration::from_secs(2),
            others: Vec::new(),
        },
    ));
    assert!(matches!(
        app.store.engines[0].status,
        EngineStatus::Down { .. }
    ));
    assert_eq!(app.store.containers.len(), 5, "last known list stays");
    app.update(ch('j'));
    assert_eq!(app.list.selected, 1, "keys keep working");
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Connected {
            product: "Docker".into(),
            version: "28.2".into(),
            endpoint: "unix:///test.sock".into(),
        },
    ));
    assert_eq!(
        app.store.engines[0].status,
        EngineStatus::Up {
            product: "Docker".into(),
            version: "28.2".into()
        }
    );
}

#[test]
fn project_scope_hides_other_projects_and_a_toggles_it() {
    let settings = Settings {
        project: Some("shop".into()),
        ..Settings::default()
    };
    let mut app = App::new(settings, String::new(), now());
    app.update(Event::Docker(EngineId(0), DockerEvent::Containers(stack())));
    assert_eq!(app.list.rows.len(), 4);
    app.update(ch('a'));
    assert_eq!(app.list.rows.len(), 8);
    app.update(ch('a'));
    assert_eq!(app.list.rows.len(), 4);
}

#[test]
fn stats_are_dropped_for_removed_containers() {
    let mut app = app_with(stack());
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Stats(vec![
            ("db".into(), Stats::default()),
            ("w1".into(), Stats::default()),
        ]),
    ));
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::ContainerRemoved("db".into()),
    ));
    assert!(!app.store.stats.contains_key("db"));
    assert!(app.store.stats.contains_key("w1"));
}

#[test]
fn page_down_keeps_the_selection_visible() {
    let many: Vec<Container> = (0..100)
        .map(|i| container(&format!("c{i:03}"), Some("big"), &format!("svc{i:03}"), 1))
        .collect();
    let mut app = app_with(many);
    let visible = 20;
    app.screen.viewport.list_rows = visible;
    app.update(key(KeyCode::PageDown));
    assert_eq!(app.list.selected, visible);
    assert!(app.list.selected >= app.list.offset && app.list.selected < app.list.offset + visible);
    app.update(ch('G'));
    // The last line says how many rows are left out.
    assert_eq!(app.list.offset, app.list.rows.len() - (visible - 1));
    assert_eq!(app.window(visible).rows.last(), Some(&app.list.selected));
}

fn pg_container() -> Container {
    let mut db = container("pgc", Some("shop"), "auth_db", 1);
    db.image = "postgres:16".into();
    Sample::from(db)
        .port(5433, 5432)
        .env(&["POSTGRES_PASSWORD=pw"])
        .build()
}

fn pg_with_backend(pid: i32) -> crate::model::PgSnapshot {
    crate::model::PgSnapshot {
        max_connections: 100,
        backends: vec![crate::model::PgBackend {
            pid,
            state: "active".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn app_with_pg() -> (App, Vec<Command>) {
    let mut app = App::new(Settings::default(), String::new(), now());
    let mut containers = stack();
    containers.push(pg_container());
    let commands = app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Containers(containers),
    ));
    (app, commands)
}

#[test]
fn discovered_databases_are_sent_to_the_probes_once() {
    let (mut app, commands) = app_with_pg();
    let [Command::Collect(Collect::SetTargets(targets))] = commands.as_slice() else {
        panic!("expected SetTargets, got {commands:?}");
    };
    assert_eq!(targets[0].id, "pg:shop/auth_db");
    let again = app.update(Event::Docker(
        EngineId(0),
        DockerEvent::ContainerChanged(Box::new(container("w1", Some("shop"), "worker", 1))),
    ));
    assert!(again.is_empty(), "same targets: no new command");
    let gone = app.update(Event::Docker(
        EngineId(0),
        DockerEvent::ContainerRemoved("pgc".into()),
    ));
    assert_eq!(gone, vec![Command::Collect(Collect::SetTargets(vec![]))]);
}

#[test]
fn a_lost_probe_shows_no_stale_figures() {
    let (mut app, _) = app_with_pg();
    let id = "pg:shop/auth_db".to_string();
    app.update(Event::Probe(crate::event::ProbeEvent::Snapshot {
        target_id: id.clone(),
        snapshot: Box::new(crate::model::Snapshot::Postgres(pg_with_backend(7))),
    }));
    assert!(app.store.probes[&id].pg().is_some());
    app.update(Event::Probe(crate::event::ProbeEvent::Status {
        target_id: id.clone(),
        status: crate::model::ProbeStatus::Reconnecting {
            error: "refused".into(),
            retry_in_ms: 500,
        },
    }));
    assert!(app.store.probes[&id].pg().is_none());
}

#[test]
fn cancel_asks_first_and_only_y_sends_the_signal() {
    let (mut app, _) = app_with_pg();
    let id = "pg:shop/auth_db".to_string();
    app.update(Event::Probe(crate::event::ProbeEvent::Snapshot {
        target_id: id.clone(),
        snapshot: Box::new(crate::model::Snapshot::Postgres(pg_with_backend(4321))),
    }));
    app.list.selected = app
        .list
        .rows
        .iter()
        .position(|r| *r == Row::Container("pgc".into()))
        .unwrap();
    app.update(ch('d'));
    assert_eq!(app.database_view().unwrap().target_id, id);
    app.update(key(KeyCode::Tab));
    app.update(ch('c'));
    assert!(matches!(app.screen.overlay, Some(Overlay::Confirm(_))));
    assert!(app.update(ch('n')).is_empty(), "any other key cancels");
    assert_eq!(app.screen.overlay, None);
    app.update(ch('K'));
    let commands = app.update(ch('y'));
    assert!(matches!(
        commands.as_slice(),
        [Command::SignalBackend {
            pid: 4321,
            signal: PgSignal::Terminate,
            ..
        }]
    ));
}

#[test]
fn configured_targets_without_container_get_rows_of_their_own() {
    let settings = Settings {
        targets: vec![crate::model::Target {
            id: "redis:sessions".into(),
            kind: crate::model::TargetKind::Redis,
            name: "sessions".into(),
            url: "redis://127.0.0.1:6390".into(),
            container_id: None,
            origin: crate::model::TargetOrigin::Config,
        }],
        ..Settings::default()
    };
    let mut app = App::new(settings, String::new(), now());
    assert_eq!(app.start().len(), 1);
    app.update(Event::Docker(EngineId(0), DockerEvent::Containers(stack())));
    assert_eq!(app.list.rows[app.list.rows.len() - 2], Row::Databases);
    assert_eq!(
        app.list.rows[app.list.rows.len() - 1],
        Row::Target("redis:sessions".into())
    );
}

fn volume(name: &str, anonymous: bool) -> crate::model::VolumeMount {
    crate::model::VolumeMount {
        name: Some(name.into()),
        target: "/data".into(),
        anonymous,
    }
}

/// shop: db (pgdata + an anonymous volume), cache and backup sharing
/// `shared`; compose files known from the labels.
fn compose_stack() -> Vec<Container> {
    let mut db = container("db", Some("shop"), "db", 1);
    db.spec.volumes = vec![volume("shop_pgdata", false), volume(&"a".repeat(64), true)];
    let mut cache = container("cache", Some("shop"), "cache", 1);
    cache.spec.volumes = vec![volume("shop_shared", false)];
    let mut backup = container("backup", Some("shop"), "backup", 1);
    backup.spec.volumes = vec![volume("shop_shared", false)];
    let mut all = vec![db, cache, backup];
    for c in &mut all {
        c.spec.compose_working_dir = Some("/src/shop".into());
        c.spec.compose_files = vec!["/src/shop/compose.yaml".into()];
    }
    all
}

pub(super) fn select(app: &mut App, row: Row) {
    app.list.selected = app.list.rows.iter().position(|r| *r == row).unwrap();
}

#[test]
fn reset_plan_takes_own_volumes_and_spares_shared_ones() {
    let app = app_with(compose_stack());
    let plan = app.plan_reset("shop", Some(&["db".into()])).unwrap();
    let names: Vec<&str> = plan.volumes.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, vec!["shop_pgdata", &"a".repeat(64)]);
    assert_eq!(plan.containers.len(), 1);
    assert_eq!(plan.containers[0].name, "shop-db-1");
    let cache = app.plan_reset("shop", Some(&["cache".into()])).unwrap();
    assert!(cache.volumes.is_empty(), "backup also mounts shop_shared");
    let whole = app.plan_reset("shop", None).unwrap();
    assert!(whole.whole_project);
    assert_eq!(whole.volumes.len(), 3);
    assert_eq!(whole.location.working_dir, "/src/shop");
}

#[test]
fn reset_asks_with_every_volume_and_only_y_runs_it() {
    let mut app = app_with(compose_stack());
    select(&mut app, Row::Container("db".into()));
    let commands = app.update(ch('X'));
    let [Command::PlanReset(plan)] = commands.as_slice() else {
        panic!("expected PlanReset, got {commands:?}");
    };
    let mut sized = (**plan).clone();
    sized.volumes[0].size_bytes = Some(45 * 1024 * 1024);
    app.update(Event::Compose(crate::event::ComposeEvent::ResetPlanned(
        Box::new(sized),
    )));
    let Some(Overlay::Confirm(confirm)) = &app.screen.overlay else {
        panic!("expected a confirmation, got {:?}", app.screen.overlay);
    };
    let Confirm::Reset(asked) = confirm.as_ref() else {
        panic!(
            "expected a reset confirmation, got {:?}",
            app.screen.overlay
        );
    };
    assert_eq!(asked.services, ["db"]);
    assert_eq!(asked.volumes.len(), 2, "every volume is listed");
    assert_eq!(asked.volumes[0].size_bytes, Some(45 * 1024 * 1024));
    assert!(
        app.update(key(KeyCode::Enter)).is_empty(),
        "Enter is not yes"
    );
    assert_eq!(app.screen.overlay, None);
    app.update(Event::Compose(crate::event::ComposeEvent::ResetPlanned(
        plan.clone(),
    )));
    assert!(matches!(
        app.update(ch('y')).as_slice(),
        [Command::Reset(_)]
    ));
}

#[test]
fn read_only_refuses_every_changing_key() {
    let settings = Settings {
        read_only: true,
        ..Settings::default()
    };
    let mut app = App::new(settings, String::new(), now());
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Containers(compose_stack()),
    ));
    select(&mut app, Row::Container("db".into()));
    for c in ['r', 's', 'u', 'X'] {
        assert!(app.update(ch(c)).is_empty(), "{c} must do nothing");
        let status = app.messages.status.clone().unwrap();
        assert!(status.text.contains("read-only"), "{}", status.text);
    }
}

#[test]
fn declared_services_without_containers_show_and_u_brings_them_up() {
    let mut app = app_with(compose_stack());
    let project = crate::model::ComposeProject {
        location: crate::model::ProjectLocation {
            name: "shop".into(),
            working_dir: "/src/shop".into(),
            files: vec!["/src/shop/compose.yaml".into()],
            ..Default::default()
        },
        services: ["db", "cache", "backup", "mailer"]
            .iter()
            .map(|n| crate::model::DeclaredService {
                name: n.to_string(),
                replicas: 1,
                ..Default::default()
            })
            .collect(),
    };
    app.update(Event::Compose(crate::event::ComposeEvent::Loaded {
        engine: EngineId(0),
        project: Box::new(project),
        cli_failure: None,
    }));
    let declared = Row::Declared {
        project: crate::model::ProjectKey::new(EngineId(0), "shop"),
        service: "mailer".into(),
    };
    assert!(app.list.rows.contains(&declared));
    select(&mut app, declared);
    let commands = app.update(ch('u'));
    assert!(
        matches!(commands.as_slice(), [Command::Up { service: Some(s), .. }] if s == "mailer"),
        "{commands:?}"
    );
}

#[test]
fn each_project_is_loaded_once() {
    let mut app = App::new(Settings::default(), String::new(), now());
    let commands = app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Containers(compose_stack()),
    ));
    let loads: Vec<&Command> = commands
        .iter()
        .filter(|c| matches!(c, Command::Collect(Collect::LoadProject { .. })))
        .collect();
    assert_eq!(loads.len(), 1);
    let again = app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Containers(compose_stack()),
    ));
    assert!(again.is_empty());
}

#[test]
fn enter_in_the_filter_selects_a_declared_service_too() {
    let mut app = app_with(compose_stack());
    let project = crate::model::ComposeProject {
        location: shop_location(),
        services: vec![crate::model::DeclaredService {
            name: "mailer".into(),
            ..Default::default()
        }],
    };
    app.update(Event::Compose(crate::event::ComposeEvent::Loaded {
        engine: EngineId(0),
        project: Box::new(project),
        cli_failure: None,
    }));
    app.update(ch('/'));
    type_text(&mut app, "mailer");
    app.update(key(KeyCode::Enter));
    assert_eq!(
        app.selected_row(),
        Some(&Row::Declared {
            project: crate::model::ProjectKey::new(EngineId(0), "shop"),
            service: "mailer".into(),
        })
    );
}

/// A project whose declared-only service sorts between its containers.
fn project_with_a_declared_service_in_the_middle() -> App {
    let names = [
        "auth-service",
        "db",
        "mailer",
        "redis",
        "seeder",
        "user-service",
    ];
    let containers: Vec<Container> = names
        .iter()
        .filter(|n| **n != "seeder")
        .enumerate()
        .map(|(i, n)| container(&format!("c{i}"), Some("shop"), n, 1))
        .chain([container("c9", Some("shop"), "worker", 1)])
        .collect();
    let mut app = app_with(containers);
    let project = crate::model::ComposeProject {
        location: shop_location(),
        services: names
            .iter()
            .chain(&["worker"])
            .map(|n| crate::model::DeclaredService {
                name: n.to_string(),
                replicas: 1,
                ..Default::default()
            })
            .collect(),
    };
    app.update(Event::Compose(crate::event::ComposeEvent::Loaded {
        engine: EngineId(0),
        project: Box::new(project),
        cli_failure: None,
    }));
    app
}

#[test]
fn project_row_acts_on_containers_listed_after_a_declared_service() {
    let mut app = project_with_a_declared_service_in_the_middle();
    assert!(app.list.rows.contains(&Row::Declared {
        project: crate::model::ProjectKey::new(EngineId(0), "shop"),
        service: "seeder".into(),
    }));
    select(&mut app, Row::Project(EngineId(0), Some("shop".into())));
    let commands = app.update(ch('r'));
    let restarted: Vec<&str> = commands
        .iter()
        .filter_map(|c| match c {
            Command::Act { container_id, .. } => Some(container_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(restarted.len(), 6, "{restarted:?}");
    assert!(restarted.contains(&"c4"), "user-service is restarted too");
}

fn shop_location() -> crate::model::ProjectLocation {
    crate::model::ProjectLocation {
        name: "shop".into(),
        ..Default::default()
    }
}

#[test]
fn an_error_stays_three_seconds_and_every_message_is_kept() {
    let mut app = app_with(stack());
    app.say(Level::Error, "restart of db failed".into());
    app.say(Level::Info, "showing all projects".into());
    assert_eq!(app.messages.status.as_ref().unwrap().level, Level::Error);
    app.update(Event::Tick(now() + Age::seconds(4)));
    // The news held back shows once the error had its three seconds.
    assert_eq!(
        app.messages.status.as_ref().unwrap().text,
        "showing all projects"
    );
    app.say(Level::Info, "later news".into());
    assert_eq!(app.messages.status.as_ref().unwrap().text, "later news");
    let texts: Vec<&str> = app
        .messages
        .history
        .iter()
        .map(|m| m.text.as_str())
        .collect();
    assert_eq!(
        texts,
        ["later news", "showing all projects", "restart of db failed"]
    );
    for i in 0..60 {
        app.say(Level::Info, format!("message {i}"));
    }
    assert_eq!(app.messages.history.len(), super::HISTORY);
}

#[test]
fn the_answer_to_a_key_shows_over_a_fresh_error() {
    let mut app = app_with(stack());
    app.say(Level::Error, "restart of db failed".into());
    app.update(key(KeyCode::Char('a')));
    let status = app.messages.status.as_ref().unwrap();
    assert_eq!(status.level, Level::Info, "{status:?}");
    assert!(
        app.messages
            .history
            .iter()
            .any(|m| m.text == "restart of db failed")
    );
}

#[test]
fn a_cli_that_cannot_read_the_files_is_said_with_its_whole_message() {
    let mut app = app_with(compose_stack());
    let project = crate::model::ComposeProject {
        location: shop_location(),
        services: vec![],
    };
    let failure = crate::model::CliFailure {
        program: "docker-compose".into(),
        error:
            "ERROR: The Compose file './compose.yaml' is invalid because:\n'name' does not match"
                .into(),
        refusal: None,
    };
    app.update(Event::Compose(crate::event::ComposeEvent::Loaded {
        engine: EngineId(0),
        project: Box::new(project),
        cli_failure: Some(failure),
    }));
    let status = app.messages.status.clone().unwrap();
    assert!(status.text.contains("stacktop's reader"), "{}", status.text);
    assert!(status.has_detail);
    let detail = app.messages.history[0].detail.clone().unwrap();
    assert!(detail.contains("'name' does not match"), "{detail}");
    app.update(ch('m'));
    assert_eq!(app.screen.overlay, Some(Overlay::Messages));
    app.update(ch('x'));
    assert_eq!(app.screen.overlay, None);
}

#[test]
fn files_compose_refuses_are_said_and_nothing_is_brought_up_from_them() {
    let mut app = app_with(compose_stack());
    let project = crate::model::ComposeProject {
        location: shop_location(),
        services: vec![],
    };
    let failure = crate::model::CliFailure {
        program: "docker compose".into(),
        error: "`docker compose config` failed (exit status: 15): service \"api\" depends on undefined service \"db\"".into(),
        refusal: Some("service \"api\" depends on undefined service \"db\": invalid compose project".into()),
    };
    app.update(Event::Compose(crate::event::ComposeEvent::Loaded {
        engine: EngineId(0),
        project: Box::new(project),
        cli_failure: Some(failure),
    }));
    let status = app.messages.status.clone().unwrap();
    assert_eq!(status.level, Level::Error);
    assert!(status.text.contains("Compose refuses"), "{}", status.text);
    let key = crate::model::ProjectKey::new(EngineId(0), "shop");
    let reason = app.store.files.get(&key).and_then(Files::invalid).unwrap();
    assert!(reason.contains("undefined service"), "{reason}");
    let row = app
        .list
        .rows
        .iter()
        .position(|r| matches!(r, Row::Project(_, Some(p)) if p == "shop"))
        .unwrap();
    app.list.selected = row;
    assert!(app.update(ch('u')).is_empty());
    let status = app.messages.status.clone().unwrap();
    assert!(
        status.text.contains("nothing is brought up"),
        "{}",
        status.text
    );
}
