//! Small panes: a project of 14 services in 100x12, 60x10 and 40x8, its
//! problems in sight however it is sorted; folded projects, notices, the
//! timeline and the help when the pane is short.

use crate::fixtures::*;

use stacktop::model::SortKey;

/// The small panes a user keeps stacktop in.
const PANES: [(u16, u16); 3] = [(100, 12), (60, 10), (40, 8)];

/// `shop`: 11 services running fine, and the three broken ones last by
/// name: user-service unhealthy, worker-1 in a crash loop, worker-2 killed.
fn shop() -> Vec<Container> {
    let fine = [
        "api",
        "auth",
        "billing",
        "cart",
        "catalog",
        "checkout",
        "gateway",
        "inventory",
        "mailer",
        "orders",
        "payments",
    ];
    let mut all: Vec<Container> = fine
        .iter()
        .map(|name| shop_service(name, name, 1))
        .collect();
    let mut unhealthy = shop_service("user-service", "user-service", 1);
    unhealthy.health = Health::Unhealthy;
    let mut crashing = shop_service("worker-1", "worker", 1);
    crashing.state = ContainerState::Restarting { exit_code: 3 };
    crashing.restart_count = 4;
    let mut killed = shop_service("worker-2", "worker", 2);
    killed.state = ContainerState::Exited { code: 137 };
    all.extend([unhealthy, crashing, killed]);
    all
}

fn shop_service(id: &str, service: &str, number: u32) -> Container {
    Sample::service("shop", service, number)
        .id(id)
        .image(format!("shop/{service}:dev"))
        .started(time(10, 30, 0))
        .build()
}

fn shop_stats() -> Vec<(String, Stats)> {
    shop()
        .iter()
        .enumerate()
        .filter(|(_, c)| c.state == ContainerState::Running)
        .map(|(i, c)| {
            let stats = Stats {
                cpu_percent: (i % 5) as f64 * 1.5 + 0.2,
                mem_used: (20 + i as u64 * 7) * 1024 * 1024,
                mem_limit: 0,
            };
            (c.id.clone(), stats)
        })
        .collect()
}

/// `stacktop -p shop` in a pane of `size`, sorted by `sort`.
fn shop_app(size: (u16, u16), sort: SortKey) -> App {
    let settings = Settings {
        project: Some("shop".into()),
        ..Settings::default()
    };
    let mut app = connected_app_with(settings, size, shop());
    app.update(Event::Docker(EngineId(0), DockerEvent::Stats(shop_stats())));
    while app.list.prefs.sort != sort {
        press(&mut app, KeyCode::Char('o'));
    }
    // The order's message has gone by.
    app.update(Event::Tick(now() + chrono::Duration::seconds(30)));
    app
}

fn snapshot_panes(name: &str, build: impl Fn((u16, u16)) -> App) {
    let theme = Theme::default();
    for size in PANES {
        let app = build(size);
        let terminal = draw(&app, &theme);
        assert_screen(&format!("{name}_{}x{}", size.0, size.1), &terminal);
    }
}

fn screen(app: &App) -> String {
    let terminal = draw(app, &Theme::default());
    (0..app.screen.viewport.height)
        .map(|y| row_text(&terminal, y))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn sorted_by_name_the_problems_stay_in_sight_in_every_small_pane() {
    snapshot_panes("pane_by_name", |size| shop_app(size, SortKey::Name));
    for size in PANES {
        let app = shop_app(size, SortKey::Name);
        let screen = screen(&app);
        // (The service column cuts user-service to `user-servi…`.)
        for name in ["user-servi", "worker-1", "worker-2"] {
            assert!(
                screen.contains(name),
                "{name} hidden at {size:?}:\n{screen}"
            );
        }
        assert!(screen.contains("more running fine"), "{screen}");
    }
}

#[test]
fn small_panes_by_default_show_problems_first_and_a_notice() {
    snapshot_panes("pane", |size| {
        let mut app = shop_app(size, SortKey::Attention);
        app.update(Event::Tick(now() + chrono::Duration::seconds(61)));
        let mut api = shop_service("api", "api", 1);
        api.health = Health::Unhealthy;
        app.update(Event::Docker(
            EngineId(0),
            DockerEvent::ContainerChanged(Box::new(api)),
        ));
        app
    });
    let app = shop_app((100, 12), SortKey::Attention);
    let screen = screen(&app);
    let first = screen.lines().nth(3).unwrap_or_default();
    assert!(first.contains("user-servi"), "{screen}");
    assert!(
        !screen.contains("? help  q quit") && !screen.contains(" r restart"),
        "no key hints in a short pane:\n{screen}"
    );
    assert_eq!(
        app.screen.viewport.list_rows, 10,
        "one header line, titles, no footer"
    );
}

#[test]
fn the_sort_column_is_marked_and_stays_when_the_pane_is_narrow() {
    let app = shop_app((40, 8), SortKey::Restarts);
    let screen = screen(&app);
    let titles = screen.lines().nth(1).unwrap();
    assert!(titles.contains("RST▼"), "{titles}");
    let app = shop_app((100, 12), SortKey::Cpu);
    let terminal = draw(&app, &Theme::default());
    let titles = row_of(&terminal, "CPU▼");
    let x = row_text(&terminal, titles).find("CPU▼").unwrap() as u16;
    let style = terminal.backend().buffer()[(x, titles)].fg;
    assert_eq!(style, Theme::default().key.fg.unwrap());
}

/// `stacktop -a` with three projects: `shop` folded by the user, `blog`
/// and `auth` running fine.
fn three_projects(size: (u16, u16)) -> App {
    let mut all = shop();
    for (project, services) in [("blog", ["web", "db"]), ("auth", ["api", "cache"])] {
        for service in services {
            let mut c = container(&format!("{project}-{service}"), service, 1);
            c.project = Some(project.into());
            c.name = format!("{project}-{service}-1");
            all.push(c);
        }
    }
    let mut app = connected_app(size, all);
    press(&mut app, KeyCode::Char('G'));
    while !matches!(app.selected_row(), Some(stacktop::app::Row::Project(_, Some(p))) if p == "shop")
    {
        press(&mut app, KeyCode::Up);
    }
    press(&mut app, KeyCode::Char(' '));
    app
}

#[test]
fn folded_projects_read_as_one_summary_line() {
    let theme = Theme::default();
    let app = three_projects((100, 12));
    let terminal = draw(&app, &theme);
    assert_screen("pane_folded_100x12", &terminal);
    let shop = row_text(&terminal, row_of(&terminal, "▸ shop"));
    assert!(
        shop.contains("14 containers · 11 ok · ✗ 3 need attention"),
        "{shop}"
    );
    // Two fine projects started folded: they did not fit, and have no problem.
    assert!(app.list.is_folded("blog") && app.list.is_folded("auth"));
}

#[test]
fn the_timeline_lists_the_changes_of_the_session() {
    let theme = Theme::default();
    let mut app = shop_app((100, 12), SortKey::Attention);
    for (minute, state) in [
        (1, ContainerState::Exited { code: 1 }),
        (2, ContainerState::Running),
    ] {
        app.update(Event::Tick(now() + chrono::Duration::minutes(minute)));
        let mut mailer = shop_service("mailer", "mailer", 1);
        mailer.state = state;
        app.update(Event::Docker(
            EngineId(0),
            DockerEvent::ContainerChanged(Box::new(mailer)),
        ));
    }
    press(&mut app, KeyCode::Char('e'));
    assert_screen("pane_timeline_100x12", &draw(&app, &theme));
}

#[test]
fn the_help_scrolls_in_a_short_pane() {
    let theme = Theme::default();
    let mut app = shop_app((100, 12), SortKey::Attention);
    press(&mut app, KeyCode::Char('?'));
    settle(&mut app, &theme);
    for _ in 0..12 {
        press(&mut app, KeyCode::Down);
    }
    let terminal = draw(&app, &theme);
    assert_screen("pane_help_scrolled_100x12", &terminal);
    assert!(row_text(&terminal, 0).contains("↑↓ scroll"));
    press(&mut app, KeyCode::Char('x'));
    assert!(app.screen.overlay.is_none(), "another key closes it");
}
