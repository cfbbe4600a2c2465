//! Columns that fit their content: long and similar names at 80, 120 and
//! 200 columns. Nothing is cut while there is room; a cut name keeps its
//! distinguishing end.

use crate::fixtures::*;

const WIDE: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 50)];

/// A stack named as real ones are: long names sharing their prefixes.
fn named_stack() -> Vec<Container> {
    let names = [
        "auth-service",
        "crashy-worker",
        "noisy-logger",
        "notification-service-api",
        "notification-service-worker",
        "postgres-auth",
        "postgres-user",
    ];
    names
        .iter()
        .map(|name| {
            let mut c = container(name, name, 1);
            c.project = Some("shop".into());
            c.name = format!("shop-{name}-1");
            c.image = format!("registry.example/shop/{name}:2026.11.1");
            c
        })
        .collect()
}

fn named_app(size: (u16, u16)) -> App {
    connected_app(size, named_stack())
}

fn snapshots(name: &str, build: impl Fn((u16, u16)) -> App) {
    let theme = Theme::default();
    for size in WIDE {
        let terminal = draw(&build(size), &theme);
        assert_screen(&format!("{name}_{}x{}", size.0, size.1), &terminal);
    }
}

#[test]
fn long_similar_names_at_three_widths() {
    snapshots("columns_names", named_app);
}

#[test]
fn nothing_is_cut_while_there_is_room() {
    let theme = Theme::default();
    for size in [(120, 40), (200, 50)] {
        let screen: String = {
            let terminal = draw(&named_app(size), &theme);
            (0..size.1).map(|y| row_text(&terminal, y) + "\n").collect()
        };
        for name in ["notification-service-worker", "notification-service-api"] {
            assert!(screen.contains(name), "{name} whole at {size:?}:\n{screen}");
        }
        if size.0 == 200 {
            assert!(
                !screen.contains('…'),
                "nothing cut at 200 columns:\n{screen}"
            );
        }
    }
}

#[test]
fn cut_names_stay_apart() {
    let theme = Theme::default();
    let terminal = draw(&named_app((60, 20)), &theme);
    let service_cells = |needle: &str| {
        let row = row_text(&terminal, row_of(&terminal, needle));
        row.split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let api = service_cells("-api");
    let worker = service_cells("-worker");
    assert_ne!(api, worker, "two services read alike");
    assert!(api.ends_with("-api"), "{api}");
}

/// A pool whose user and client are long: they show whole next to a long
/// application name.
fn long_pools(size: (u16, u16)) -> App {
    let mut app = overview_app(size);
    let mut snapshot = pg_snapshot();
    snapshot.pools[0].application = "notification-service-worker (sqlx pool)".into();
    snapshot.pools[0].user = "notification_service_rw".into();
    snapshot.pools[1].user = "auth_user_service".into();
    app.update(Event::Probe(ProbeEvent::Snapshot {
        target_id: PG.into(),
        snapshot: Box::new(Snapshot::Postgres(snapshot)),
    }));
    app.list.selected = row_of_label(&app, "db");
    press(&mut app, KeyCode::Char('d'));
    app
}

#[test]
fn pool_columns_fit_their_users() {
    snapshots("columns_pg_pools", long_pools);
    let theme = Theme::default();
    let terminal = draw(&long_pools((120, 40)), &theme);
    let row = row_text(&terminal, row_of(&terminal, "auth_user_service"));
    assert!(row.contains("auth_user_service "), "{row}");
}
