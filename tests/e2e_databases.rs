#![allow(clippy::unwrap_used)]
//! End to end: the database views of the release binary, in tmux, against
//! the test stack's PostgreSQL and Redis, found with no configuration.

mod common;
#[path = "common/postgres.rs"]
mod pg;

use std::time::Duration;

use common::{Tmux, project, require_engine, stacktop_bin};
use pg::{app_session, backend_pid, unique};

const SECS: fn(u64) -> Duration = Duration::from_secs;

/// Selects the service `name` with the filter, then opens its database view.
fn open_database_view(tmux: &Tmux, name: &str) {
    tmux.send_text(&format!("/{name}"));
    tmux.expect_on_screen(&format!("/{name}"), SECS(5));
    tmux.send_keys(&["Enter"]);
    std::thread::sleep(Duration::from_millis(200));
    tmux.send_text("d");
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

    let command = format!("'{}' -p '{}'", stacktop_bin().display(), project());
    let tmux = Tmux::start("e2e-pg", 140, 40, &command);
    tmux.expect_on_screen("pg ", SECS(20));
    open_database_view(&tmux, "postgres");
    tmux.expect_on_screen("PostgreSQL 15", SECS(10));
    tmux.expect_on_screen("pool-a", SECS(10));
    // Tab twice: the Blocked panel names the holder as the blocker.
    tmux.send_keys(&["Tab", "Tab"]);
    tmux.expect_on_screen(&holder_pid.to_string(), SECS(10));
    let screen = tmux.capture();
    assert!(!screen.contains("app-secret"), "password shown:\n{screen}");
    tmux.send_text("q");

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
    let command = format!("'{}' -p '{}'", stacktop_bin().display(), project());
    let tmux = Tmux::start("e2e-redis", 140, 40, &command);
    tmux.expect_on_screen("redis ", SECS(20));
    open_database_view(&tmux, "redis");
    tmux.expect_on_screen("Redis 7", SECS(10));
    tmux.expect_on_screen("/ 64.0M", SECS(10));
    tmux.expect_on_screen("allkeys-lru", SECS(5));
    let screen = tmux.capture();
    assert!(
        !screen.contains("redis-secret"),
        "password shown:\n{screen}"
    );
    assert!(screen.contains("redis://:***@127.0.0.1:"), "{screen}");
}
