//! `update` tests of the list's arrangement and of notices: the sort key,
//! folded projects, what a small pane shows, and the changes for the
//! worse that stay until seen.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::config::notify::{Desktop, NotifySettings};
use crate::event::DockerEvent;
use crate::model::{ContainerState, Health, Prefs, SortKey};

fn at(second: u32) -> DateTime<FixedOffset> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 1, second)
        .unwrap()
        .fixed_offset()
}

fn service(project: &str, name: &str) -> Container {
    super::tests::container(&format!("{project}-{name}"), Some(project), name, 1)
}

/// `shop`: api, billing, cart fine; user-service unhealthy, worker exited.
fn shop() -> Vec<Container> {
    let mut unhealthy = service("shop", "user-service");
    unhealthy.health = Health::Unhealthy;
    let mut crashed = service("shop", "worker");
    crashed.state = ContainerState::Exited { code: 3 };
    vec![
        service("shop", "cart"),
        unhealthy,
        service("shop", "api"),
        crashed,
        service("shop", "billing"),
    ]
}

fn app_of(settings: Settings, rows: usize, containers: Vec<Container>) -> App {
    let mut app = App::new(settings, String::new(), at(0));
    app.screen.viewport = Viewport {
        width: 100,
        height: rows as u16 + 3,
        list_rows: rows,
        log_rows: rows,
    };
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Containers(containers),
    ));
    app
}

fn ch(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn labels(app: &App) -> Vec<String> {
    app.list
        .rows
        .iter()
        .map(|row| match row {
            Row::Project(_, p) => format!("[{}]", p.as_deref().unwrap_or("-")),
            Row::Container(id) => app.store.label(app.store.container(id).unwrap()),
            other => format!("{other:?}"),
        })
        .collect()
}

#[test]
fn problems_sort_first_by_default_and_o_cycles_the_order_and_saves_it() {
    let mut app = app_of(Settings::default(), 30, shop());
    assert_eq!(
        labels(&app),
        ["[shop]", "user-service", "worker", "api", "billing", "cart"]
    );
    let commands = app.update(ch('o'));
    assert_eq!(app.list.prefs.sort, SortKey::Name);
    assert_eq!(
        labels(&app),
        ["[shop]", "api", "billing", "cart", "user-service", "worker"]
    );
    assert_eq!(commands, vec![Command::SavePrefs(app.list.prefs.clone())]);
    assert!(
        app.messages
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("by name")
    );
}

#[test]
fn cpu_order_follows_each_stats_sample() {
    let mut app = app_of(Settings::default(), 30, shop());
    app.list.prefs.sort = SortKey::Cpu;
    let busy = |id: &str, cpu: f64| {
        (
            id.to_string(),
            crate::model::Stats {
                cpu_percent: cpu,
                ..Default::default()
            },
        )
    };
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Stats(vec![busy("shop-api", 1.0), busy("shop-cart", 50.0)]),
    ));
    assert_eq!(labels(&app)[1..3], ["cart", "api"]);
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Stats(vec![busy("shop-api", 80.0), busy("shop-cart", 5.0)]),
    ));
    assert_eq!(labels(&app)[1..3], ["api", "cart"]);
}

#[test]
fn a_small_pane_keeps_the_problems_in_sight_when_sorted_by_name() {
    let mut app = app_of(Settings::default(), 4, shop());
    app.update(ch('o'));
    let window = app.window(4);
    let shown: Vec<&str> = window
        .rows
        .iter()
        .map(|i| match &app.list.rows[*i] {
            Row::Container(id) => id.as_str(),
            _ => "project",
        })
        .collect();
    assert_eq!(shown, ["project", "shop-user-service", "shop-worker"]);
    assert_eq!(window.hidden, 3);
    assert!(window.hidden_all_running);
    assert_eq!(window.hidden_trouble, 0);
}

#[test]
fn space_folds_the_project_into_its_row_and_remembers_it() {
    let mut app = app_of(Settings::default(), 30, shop());
    app.list.selected = 2;
    let commands = app.update(ch(' '));
    assert_eq!(labels(&app), ["[shop]"]);
    assert_eq!(app.list.selected, 0);
    assert!(app.list.is_folded("shop"));
    assert_eq!(app.list.prefs.folds.get("shop"), Some(&true));
    assert_eq!(commands, vec![Command::SavePrefs(app.list.prefs.clone())]);
    // `r`, `s` and logs on the folded row still act on every container.
    assert_eq!(app.members(EngineId(0), Some("shop")).len(), 5);
    // A filter shows matches inside folded projects.
    app.update(ch('/'));
    app.update(ch('w'));
    assert!(labels(&app).contains(&"worker".to_string()));
    app.update(Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    app.update(ch(' '));
    assert_eq!(labels(&app).len(), 6);
    assert_eq!(app.list.prefs.folds.get("shop"), Some(&false));
}

#[test]
fn restored_prefs_fold_and_order_the_list() {
    let mut app = app_of(Settings::default(), 30, shop());
    let mut prefs = Prefs {
        sort: SortKey::Name,
        ..Prefs::default()
    };
    prefs.folds.insert("shop".into(), true);
    app.restore(prefs);
    assert_eq!(labels(&app), ["[shop]"]);
    app.update(ch('Z'));
    assert_eq!(labels(&app)[1], "api");
}

#[test]
fn with_many_projects_the_fine_ones_start_folded() {
    let mut all = shop();
    all.extend(["a", "b", "c"].map(|n| service("blog", n)));
    all.extend(["x", "y"].map(|n| service("auth", n)));
    let mut prefs_app = app_of(Settings::default(), 6, Vec::new());
    prefs_app.list.prefs.folds.insert("auth".into(), false);
    prefs_app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Containers(all.clone()),
    ));
    assert!(prefs_app.list.is_folded("blog"));
    assert!(!prefs_app.list.is_folded("shop"), "it has problems");
    assert!(!prefs_app.list.is_folded("auth"), "the user unfolded it");

    let roomy = app_of(Settings::default(), 40, all.clone());
    assert!(!roomy.list.is_folded("blog"), "everything fits");
    let scoped = Settings {
        project: Some("blog".into()),
        ..Settings::default()
    };
    assert!(
        !app_of(scoped, 2, all).list.is_folded("blog"),
        "one project"
    );
}

fn notifying() -> Settings {
    Settings {
        notify: NotifySettings {
            bell: true,
            desktop: Desktop::Off,
            title: true,
        },
        project: Some("shop".into()),
        ..Settings::default()
    }
}

fn changed(app: &mut App, c: Container) -> Vec<Command> {
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::ContainerChanged(Box::new(c)),
    ))
}

#[test]
fn a_change_for_the_worse_is_noticed_once_until_seen() {
    let mut app = app_of(notifying(), 30, shop());
    assert!(
        app.messages.notices.unseen.is_empty(),
        "what was bad at start is no news"
    );
    app.update(Event::Tick(at(5)));
    let mut api = service("shop", "api");
    api.health = Health::Unhealthy;
    let commands = changed(&mut app, api.clone());
    assert_eq!(app.messages.notices.unseen.len(), 1);
    assert_eq!(
        app.messages.notices.unseen[0].text(),
        "api became unhealthy"
    );
    assert_eq!(
        commands,
        vec![
            Command::Alert("api became unhealthy".into()),
            Command::SetTitle("stacktop: 3 problems".into())
        ]
    );
    // Worse again before it was seen: the notice changes, no second alert.
    api.state = ContainerState::Restarting { exit_code: 3 };
    api.restart_count = 4;
    let commands = changed(&mut app, api.clone());
    assert_eq!(app.messages.notices.unseen.len(), 1);
    assert_eq!(
        app.messages.notices.unseen[0].text(),
        "api exited (3), restart 4"
    );
    assert!(commands.is_empty(), "{commands:?}");
    // A key: seen. The timeline keeps everything, newest first.
    app.update(ch('j'));
    assert!(app.messages.notices.unseen.is_empty());
    let timeline: Vec<String> = app
        .messages
        .notices
        .timeline
        .iter()
        .map(Change::text)
        .collect();
    assert_eq!(
        timeline,
        ["api exited (3), restart 4", "api became unhealthy"]
    );
    // Better: told in the timeline, no notice, the title follows.
    api.state = ContainerState::Running;
    api.health = Health::Healthy;
    let commands = changed(&mut app, api.clone());
    assert_eq!(app.messages.notices.timeline[0].text(), "api running again");
    assert!(app.messages.notices.unseen.is_empty());
    assert_eq!(
        commands,
        vec![Command::SetTitle("stacktop: 2 problems".into())]
    );
    // Worse after it was seen: a new alert.
    api.state = ContainerState::Exited { code: 137 };
    let commands = changed(&mut app, api);
    assert_eq!(
        commands[0],
        Command::Alert("api exited (137), restart 4".into())
    );
}

#[test]
fn alerts_are_off_by_default_and_other_projects_are_not_watched() {
    let scoped = Settings {
        project: Some("shop".into()),
        ..Settings::default()
    };
    let mut app = app_of(scoped, 30, shop());
    let mut api = service("shop", "api");
    api.state = ContainerState::Exited { code: 1 };
    assert!(changed(&mut app, api).is_empty());
    assert_eq!(
        app.messages.notices.unseen.len(),
        1,
        "the notice shows all the same"
    );
    let mut other = service("blog", "web");
    other.state = ContainerState::Exited { code: 1 };
    changed(&mut app, other);
    assert_eq!(app.messages.notices.unseen.len(), 1);
}

#[test]
fn a_removed_container_is_told_but_is_no_problem() {
    let mut app = app_of(notifying(), 30, shop());
    let before = app.messages.notices.timeline.len();
    let commands = app.update(Event::Docker(
        EngineId(0),
        DockerEvent::ContainerRemoved("shop-worker".into()),
    ));
    assert_eq!(app.messages.notices.timeline.len(), before + 1);
    assert_eq!(app.messages.notices.timeline[0].text(), "worker removed");
    assert_eq!(
        commands,
        vec![Command::SetTitle("stacktop: 1 problem".into())]
    );
    assert!(app.messages.notices.unseen.is_empty());
}

#[test]
fn what_stacktop_was_asked_to_do_is_no_change_for_the_worse() {
    let mut app = app_of(notifying(), 30, shop());
    let api = app
        .list
        .rows
        .iter()
        .position(|r| *r == Row::Container("shop-api".into()));
    app.list.selected = api.unwrap();
    app.update(ch('r'));
    let mut api = service("shop", "api");
    api.state = ContainerState::Exited { code: 143 };
    let commands = changed(&mut app, api);
    assert!(app.messages.notices.unseen.is_empty());
    assert_eq!(app.messages.notices.timeline[0].text(), "api exited (143)");
    assert!(!app.messages.notices.timeline[0].worse);
    assert!(!commands.iter().any(|c| matches!(c, Command::Alert(_))));
}
