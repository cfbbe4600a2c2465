//! The database views of PostgreSQL and Redis, panel by panel.

use crate::fixtures::*;

#[test]
fn postgres_pools() {
    snapshot("pg_pools", |size| database_app(size, "db"));
}

#[test]
fn postgres_statements_with_confirm() {
    snapshot("pg_statements_confirm", |size| {
        let mut app = database_app(size, "db");
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Char('c'));
        app
    });
}

#[test]
fn postgres_reconnecting_shows_no_figures() {
    snapshot("pg_reconnecting", |size| {
        let mut app = database_app(size, "db");
        app.update(Event::Probe(ProbeEvent::Status {
            target_id: PG.into(),
            status: ProbeStatus::Reconnecting {
                error: "connection refused".into(),
                retry_in_ms: 2000,
            },
        }));
        app
    });
}

#[test]
fn postgres_hint_without_pg_stat_statements() {
    snapshot("pg_no_statements", |size| {
        let mut app = overview_app(size);
        let mut snapshot = pg_snapshot();
        snapshot.top_statements = TopStatements::NotInstalled {
            hint: "add pg_stat_statements to shared_preload_libraries, restart, then CREATE EXTENSION pg_stat_statements in app_db".into(),
        };
        snapshot.notes =
            vec!["not a member of pg_monitor: queries of other users are hidden".into()];
        app.update(Event::Probe(ProbeEvent::Snapshot {
            target_id: PG.into(),
            snapshot: Box::new(Snapshot::Postgres(snapshot)),
        }));
        app.list.selected = row_of_label(&app, "db");
        press(&mut app, KeyCode::Char('d'));
        for _ in 0..3 {
            press(&mut app, KeyCode::Tab);
        }
        app
    });
}

#[test]
fn redis_keyspace() {
    snapshot("redis", |size| database_app(size, "cache"));
}

#[test]
fn redis_client_pools() {
    snapshot("redis_pools", |size| {
        let mut app = database_app(size, "cache");
        press(&mut app, KeyCode::Tab);
        app
    });
}

/// The database view of `label`, Tab pressed `tabs` times.
fn panel(size: (u16, u16), label: &str, tabs: usize) -> App {
    let mut app = database_app(size, label);
    for _ in 0..tabs {
        press(&mut app, KeyCode::Tab);
    }
    app
}

#[test]
fn postgres_blocked() {
    snapshot("pg_blocked", |size| panel(size, "db", 2));
}

#[test]
fn postgres_top_statements() {
    snapshot("pg_top_statements", |size| panel(size, "db", 3));
}

#[test]
fn postgres_databases() {
    snapshot("pg_databases", |size| panel(size, "db", 4));
}

#[test]
fn redis_slowlog() {
    snapshot("redis_slowlog", |size| panel(size, "cache", 2));
}

#[test]
fn tab_wraps_around_to_the_first_panel() {
    let theme = Theme::default();
    let first = draw(&panel((120, 40), "db", 0), &theme);
    let wrapped = draw(&panel((120, 40), "db", 5), &theme);
    assert_eq!(first.backend(), wrapped.backend());
}
