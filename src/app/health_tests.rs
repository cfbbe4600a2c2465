//! `update` tests of health (the HTTP checks and their results, the one
//! summary per service), purging a RabbitMQ queue, and mouse clicks.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::health::{Level as HealthLevel, Source};
use super::*;
use crate::command::Collect;
use crate::event::{DockerEvent, ProbeEvent};
use crate::model::Sample;
use crate::model::{CheckResult, Health, HealthCheck, Queue, RabbitSnapshot, Snapshot, Verdict};

fn at(second: u32) -> DateTime<FixedOffset> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, second)
        .unwrap()
        .fixed_offset()
}

fn service(id: &str, name: &str, image: &str, port: (u16, u16)) -> Container {
    Sample::service("shop", name, 1)
        .id(id)
        .image(image)
        .started(Utc.with_ymd_and_hms(2026, 11, 25, 11, 0, 0).unwrap())
        .port(port.0, port.1)
        .build()
}

fn app_with(containers: Vec<Container>, read_only: bool) -> (App, Vec<Command>) {
    let settings = Settings {
        read_only,
        ..Settings::default()
    };
    let mut app = App::new(settings, String::new(), at(0));
    let commands = app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Containers(containers),
    ));
    (app, commands)
}

fn result(verdict: Verdict, text: &str) -> CheckResult {
    CheckResult {
        verdict,
        text: text.into(),
        detail: "/health".into(),
    }
}

fn report(app: &mut App, second: u32, verdict: Verdict, text: &str) {
    app.update(Event::Tick(at(second)));
    app.update(Event::Health {
        check_id: "shop/api".into(),
        result: result(verdict, text),
    });
}

fn ch(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn an_app_with_a_published_port_gets_a_guessed_check() {
    let (app, commands) = app_with(vec![service("a", "api", "shop/api", (3001, 3000))], false);
    let checks: Vec<&HealthCheck> = commands
        .iter()
        .flat_map(|c| match c {
            Command::Collect(Collect::SetChecks(checks)) => checks.iter().collect(),
            _ => Vec::new(),
        })
        .collect();
    assert_eq!(checks.len(), 1, "{commands:?}");
    assert_eq!(checks[0].urls[0], "http://127.0.0.1:3001/health");
    assert_eq!(
        app.store.health_of(&app.store.containers[0]).text(),
        "—",
        "no answer yet"
    );
}

#[test]
fn the_worst_source_wins_and_marks_the_row() {
    let mut api = service("a", "api", "shop/api", (3001, 3000));
    api.health = Health::Healthy;
    api.spec.health_label = Some("/health".into());
    let (mut app, _) = app_with(vec![api], false);
    assert_eq!(
        app.store.health_of(&app.store.containers[0]).text(),
        "✓ healthy"
    );
    report(&mut app, 1, Verdict::Failing, "http 503");
    let summary = app.store.health_of(&app.store.containers[0]);
    assert_eq!(summary.text(), "✗ http 503");
    assert_eq!(summary.source, Source::Http);
    assert!(app.store.needs_attention(&app.store.containers[0]));
}

#[test]
fn failing_since_is_known_only_when_the_failure_was_seen_to_begin() {
    let mut api = service("a", "api", "shop/api", (3001, 3000));
    api.spec.health_label = Some("/health".into());
    let (mut app, _) = app_with(vec![api], false);
    report(&mut app, 1, Verdict::Failing, "refused");
    assert_eq!(app.store.health_of(&app.store.containers[0]).since, None);
    report(&mut app, 2, Verdict::Healthy, "http 200 3ms");
    report(&mut app, 5, Verdict::Failing, "http 503");
    report(&mut app, 9, Verdict::Failing, "refused");
    let since = app.store.health_of(&app.store.containers[0]).since;
    assert_eq!(since, Some(at(5).with_timezone(&Utc)));
}

#[test]
fn a_docker_unhealthy_container_carries_since_when() {
    let mut db = service("w", "worker", "shop/worker", (9999, 9999));
    db.health = Health::Unhealthy;
    db.unhealthy_since = Some(Utc.with_ymd_and_hms(2026, 11, 25, 11, 57, 0).unwrap());
    let (app, _) = app_with(vec![db], false);
    let summary = app.store.health_of(&app.store.containers[0]);
    assert_eq!(
        (summary.level, summary.source),
        (HealthLevel::Bad, Source::Docker)
    );
    assert_eq!(summary.since, app.store.containers[0].unhealthy_since);
}

fn rabbit_app(read_only: bool) -> App {
    let mut rabbit = service("r", "rabbitmq", "rabbitmq:3-management", (15672, 15672));
    rabbit.spec.env = vec!["RABBITMQ_DEFAULT_PASS=secret".into()];
    let (mut app, _) = app_with(vec![rabbit], read_only);
    let queue = |name: &str, ready| Queue {
        vhost: "/".into(),
        name: name.into(),
        ready,
        unacked: 2,
        ..Queue::default()
    };
    let snapshot = RabbitSnapshot {
        queues: vec![queue("orders", 40), queue("emails", 3)],
        ..RabbitSnapshot::default()
    };
    app.update(Event::Probe(ProbeEvent::Snapshot {
        target_id: "rabbit:shop/rabbitmq".into(),
        snapshot: Box::new(Snapshot::RabbitMq(snapshot)),
    }));
    app.list.selected = app
        .list
        .rows
        .iter()
        .position(|r| *r == Row::Container("r".into()))
        .unwrap();
    app.update(ch('d'));
    app
}

#[test]
fn purge_names_the_queue_and_runs_only_after_yes() {
    let mut app = rabbit_app(false);
    app.update(Event::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)));
    app.update(ch('P'));
    let Some(Overlay::Confirm(confirm)) = &app.screen.overlay else {
        panic!("P asks first: {:?}", app.screen.overlay);
    };
    let Confirm::Purge { queue, .. } = confirm.as_ref() else {
        panic!("a purge to confirm: {confirm:?}");
    };
    assert_eq!((queue.name.as_str(), queue.ready), ("emails", 3));
    let commands = app.update(ch('y'));
    let [Command::PurgeQueue { vhost, queue, .. }] = commands.as_slice() else {
        panic!("y purges: {commands:?}");
    };
    assert_eq!((vhost.as_str(), queue.as_str()), ("/", "emails"));
}

#[test]
fn read_only_refuses_to_purge() {
    let mut app = rabbit_app(true);
    assert!(app.update(ch('P')).is_empty());
    assert_eq!(app.screen.overlay, None);
    let said = app
        .messages
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(said.contains("read-only"), "{said}");
}

fn click(app: &mut App, x: u16, y: u16) -> Vec<Command> {
    let mouse = crossterm::event::MouseEvent {
        kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    };
    app.update(Event::Mouse(mouse))
}

#[test]
fn a_click_selects_the_row_under_it_and_a_double_click_opens_its_logs() {
    let containers = vec![
        service("a", "api", "shop/api", (3001, 3000)),
        service("w", "worker", "shop/worker", (3002, 3000)),
    ];
    let (mut app, _) = app_with(containers, false);
    // The list's rows start at screen row 5; the project row is first.
    app.update(Event::Layout(crate::event::Hits {
        list: Some(crate::event::ListArea { top: 5, height: 3 }),
        ..Default::default()
    }));
    click(&mut app, 10, 7);
    assert_eq!(app.list.rows[app.list.selected], Row::Container("w".into()));
    click(&mut app, 10, 30);
    assert_eq!(
        app.list.rows[app.list.selected],
        Row::Container("w".into()),
        "below the rows"
    );
    let mouse = crossterm::event::MouseEvent {
        kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
        column: 10,
        row: 6,
        modifiers: KeyModifiers::NONE,
    };
    let commands = app.update(Event::DoubleClick(mouse));
    assert_eq!(app.list.rows[app.list.selected], Row::Container("a".into()));
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::OpenLogs { .. })),
        "{commands:?}"
    );
}

#[test]
fn a_click_on_a_panel_title_switches_to_it() {
    let mut app = rabbit_app(false);
    assert_eq!(app.database_view().unwrap().panel, Panel::Queues);
    app.update(Event::Layout(crate::event::Hits {
        list: None,
        tabs: vec![
            crate::event::TabHit {
                y: 6,
                x: 1..9,
                panel: 0,
            },
            crate::event::TabHit {
                y: 6,
                x: 10..19,
                panel: 1,
            },
        ],
        ..Default::default()
    }));
    click(&mut app, 12, 6);
    assert_eq!(app.database_view().unwrap().panel, Panel::Clients);
}
