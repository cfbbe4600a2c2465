#![allow(clippy::unwrap_used)]
//! End to end: the database views of the release binary, in tmux, against
//! the test stack's PostgreSQL and Redis, found with no configuration.

mod support;

use std::time::Duration;

use support::docker::require_engine;
use support::postgres::{app_session, backend_pid};
use support::tmux::Stacktop;
use support::unique;

const SECS: fn(u64) -> Duration = Duration::from_secs;

/// Selects the service `name` with the filter, then opens its database view.
fn open_database_view(app: &Stacktop, name: &str) {
    app.select(name);
    app.text("d");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_view_shows_the_pool_a_group_and_its_blocked_session() {
    require_engine();
    // A pool of five: three idle, one idle in a transaction holding a row
    // lock, one blocked on that lock.
    let table = format!("stacktop_e2e_{}", unique());
    let setup = app_session("app_db", "e2e-setup").await;
    setup
        .batch_execute(&format!(
            "CREATE TABLE {table} (id int primary key, v int); INSERT INTO {table} VALUES (1, 0)"
        ))
        .await
        .unwrap();
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(app_session("app_db", "pool-a").await);
    }
    let holder = app_session("app_db", "pool-a").await;
    holder
        .batch_execute(&format!(
            "BEGIN; SELECT * FROM {table} WHERE id = 1 FOR UPDATE"
        ))
        .await
        .unwrap();
    let holder_pid = backend_pid(&holder).await;
    let waiter = app_session("app_db", "pool-a").await;
    let update = format!("UPDATE {table} SET v = 1 WHERE id = 1");
    let blocked = tokio::spawn(async move { waiter.batch_execute(&update).await });

    let app = Stacktop::on_stack("e2e-pg", (140, 40));
    app.expect("pg ", SECS(20));
    open_database_view(&app, "postgres");
    app.expect("PostgreSQL 15", SECS(10));
    app.expect("pool-a", SECS(10));
    // Tab twice: the Blocked panel names the holder as the blocker.
    app.keys(&["Tab", "Tab"]);
    app.expect(&holder_pid.to_string(), SECS(10));
    let screen = app.screen();
    assert!(!screen.contains("app-secret"), "password shown:\n{screen}");
    app.text("q");

    holder.batch_execute("ROLLBACK").await.unwrap();
    blocked.await.unwrap().unwrap();
    setup
        .batch_execute(&format!("DROP TABLE {table}"))
        .await
        .unwrap();
    drop(idle);
}

#[test]
fn redis_view_shows_memory_against_maxmemory() {
    require_engine();
    let app = Stacktop::on_stack("e2e-redis", (140, 40));
    app.expect("redis ", SECS(20));
    open_database_view(&app, "redis");
    app.expect("Redis 7", SECS(10));
    app.expect("/ 64.0M", SECS(10));
    app.expect("allkeys-lru", SECS(5));
    let screen = app.screen();
    assert!(
        !screen.contains("redis-secret"),
        "password shown:\n{screen}"
    );
    assert!(screen.contains("redis://:***@127.0.0.1:"), "{screen}");
}
