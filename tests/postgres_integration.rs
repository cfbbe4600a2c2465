//! The PostgreSQL probe and backend actions against the real server of the
//! test stack (`postgres` in tests/stack/compose.yaml). Nothing is skipped:
//! a missing server fails the tests with what to start.
//!
//! Tests run in parallel threads: each uses its own application names and
//! tables, and the restart test restarts a throwaway container of its own.

mod support;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use stacktop::collect::postgres;
use stacktop::jobs::pg::spawn_signal;
use stacktop::model::{PgSignal, ProbeStatus, TopStatements};
use support::docker::docker;
use support::postgres::{
    Probe, Throwaway, app_session, app_url, backend_pid, counting_relay, job_result, pool, session,
    target, url, wait_until_active,
};
use support::stack::pg_port;
use support::unique;
use tokio::sync::mpsc;
use tokio_postgres::NoTls;

#[tokio::test]
async fn pool_groups_idle_in_transaction_and_blocked_sessions() {
    let table = format!("stacktop_it_locks_{}", unique());
    let setup = app_session("app_db", "pool-setup").await;
    setup
        .batch_execute(&format!(
            "CREATE TABLE {table} (id int PRIMARY KEY, v int); INSERT INTO {table} VALUES (1, 0)"
        ))
        .await
        .expect("create the test table");

    let mut pool_a = Vec::new();
    for _ in 0..5 {
        let client = app_session("app_db", "pool-a").await;
        client.simple_query("SELECT 1").await.expect("SELECT 1");
        pool_a.push(client);
    }
    let blocker = pool_a.pop().expect("five sessions");
    let blocked = Arc::new(pool_a.pop().expect("five sessions"));
    let (blocker_pid, blocked_pid) = (backend_pid(&blocker).await, backend_pid(&blocked).await);
    blocker
        .batch_execute(&format!(
            "BEGIN; SELECT * FROM {table} WHERE id = 1 FOR UPDATE"
        ))
        .await
        .expect("lock the row");
    let update = {
        let blocked = Arc::clone(&blocked);
        let sql = format!("UPDATE {table} SET v = v + 1 WHERE id = 1");
        tokio::spawn(async move { blocked.execute(&sql, &[]).await })
    };

    let mut probe = Probe::start(app_url("app_db"));
    let snapshot = probe
        .snapshot(Duration::from_secs(10), |s| {
            pool(s, "pool-a").is_some_and(|p| p.states.waiting_on_lock == 1)
        })
        .await;
    let a = pool(&snapshot, "pool-a").expect("the pool-a row");
    assert_eq!(
        snapshot
            .pools
            .iter()
            .filter(|p| p.application == "pool-a")
            .count(),
        1,
        "all of pool-a comes from one client address: {:#?}",
        snapshot.pools
    );
    assert_eq!((a.user.as_str(), a.database.as_str()), ("app", "app_db"));
    assert_eq!(a.states.idle, 3, "{a:#?}");
    assert_eq!(a.states.idle_in_transaction, 1, "{a:#?}");
    assert_eq!(
        (a.states.active, a.states.waiting_on_lock),
        (1, 1),
        "{a:#?}"
    );
    assert_eq!(a.states.total(), 5, "{a:#?}");
    assert!(a.longest_idle_in_transaction_secs.is_some(), "{a:#?}");
    assert!(a.oldest_connection_secs > 0.0, "{a:#?}");

    let waiting = snapshot
        .backends
        .iter()
        .find(|b| b.pid == blocked_pid)
        .expect("the blocked UPDATE is listed");
    assert_eq!(waiting.blocked_by, [blocker_pid], "{waiting:#?}");
    assert_eq!(waiting.state, "active");
    assert!(
        waiting
            .query
            .as_deref()
            .is_some_and(|q| q.starts_with("UPDATE"))
    );
    assert!(snapshot.blocked().any(|b| b.pid == blocked_pid));
    let holder = snapshot.backends.iter().find(|b| b.pid == blocker_pid);
    assert_eq!(
        holder.map(|b| b.state.as_str()),
        Some("idle in transaction")
    );

    blocker
        .batch_execute("ROLLBACK")
        .await
        .expect("release the row");
    let updated = tokio::time::timeout(Duration::from_secs(5), update).await;
    assert!(matches!(updated, Ok(Ok(Ok(1)))), "{updated:?}");
    setup
        .batch_execute(&format!("DROP TABLE {table}"))
        .await
        .expect("drop");
}

#[tokio::test]
async fn stacktop_sessions_are_not_counted() {
    let watcher = app_session("postgres", "it-watcher").await;
    // Another stacktop, as the server sees it: named stacktop too.
    let other_stacktop = app_session("app_db", "stacktop").await;
    other_stacktop
        .batch_execute("BEGIN; SELECT 1")
        .await
        .expect("idle in a transaction");

    let mut probe = Probe::start(app_url("app_db"));
    let snapshot = probe.snapshot(Duration::from_secs(10), |_| true).await;
    let on_server: i64 = watcher
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'stacktop'",
            &[],
        )
        .await
        .expect("count stacktop sessions")
        .get(0);
    assert!(
        on_server >= 2,
        "the probe and the other stacktop are connected"
    );

    assert!(
        pool(&snapshot, "stacktop").is_none(),
        "{:#?}",
        snapshot.pools
    );
    assert!(
        snapshot
            .backends
            .iter()
            .all(|b| b.application != "stacktop")
    );
    let in_pools: u32 = snapshot.pools.iter().map(|p| p.states.total()).sum();
    assert_eq!(in_pools, snapshot.in_use());
    let in_databases: u32 = snapshot.databases.iter().map(|d| d.connections).sum();
    assert_eq!(in_databases, snapshot.in_use());
    assert!(
        pool(&snapshot, "it-watcher").is_some(),
        "others are counted"
    );
}

#[tokio::test]
async fn statements_show_as_rates_between_polls() {
    let table = format!("stacktop_it_rates_{}", unique());
    let client = app_session("app_db", "it-rates").await;
    client
        .batch_execute(&format!("CREATE TABLE {table} (id int)"))
        .await
        .expect("create the test table");
    let count = client
        .prepare(&format!("SELECT count(*) FROM {table}"))
        .await
        .expect("prepare");

    let mut probe = Probe::start(app_url("app_db"));
    let first = probe.snapshot(Duration::from_secs(10), |_| true).await;
    assert_eq!(first.top_statements, TopStatements::Warming);
    for _ in 0..40 {
        client.query(&count, &[]).await.expect("count");
    }
    let snapshot = probe
        .snapshot(Duration::from_secs(5), |s| match &s.top_statements {
            TopStatements::Rows(rows) => rows.iter().any(|r| r.query.contains(&table)),
            _ => false,
        })
        .await;
    let TopStatements::Rows(rows) = &snapshot.top_statements else {
        unreachable!("checked above")
    };
    let ours = rows
        .iter()
        .find(|r| r.query.contains(&table))
        .expect("ours");
    assert!(ours.calls_per_sec > 0.0, "{ours:?}");
    assert!(ours.total_ms >= 0.0 && ours.mean_ms >= 0.0, "{ours:?}");
    assert!(
        rows.iter().all(|r| !r.query.starts_with(postgres::MARK)),
        "stacktop's own statements are left out: {rows:#?}"
    );
    client
        .batch_execute(&format!("DROP TABLE {table}"))
        .await
        .expect("drop");
}

#[tokio::test]
async fn missing_pg_stat_statements_gives_a_hint() {
    let _check = app_session("plain_db", "it-hint").await;
    let mut probe = Probe::start(app_url("plain_db"));
    let snapshot = probe.snapshot(Duration::from_secs(10), |_| true).await;
    let TopStatements::NotInstalled { hint } = &snapshot.top_statements else {
        panic!(
            "plain_db has no pg_stat_statements: {:?}",
            snapshot.top_statements
        );
    };
    assert!(
        hint.contains("CREATE EXTENSION pg_stat_statements"),
        "{hint}"
    );
    assert!(hint.contains("plain_db"), "{hint}");
    assert!(!hint.contains('\n'), "one line: {hint}");
}

#[tokio::test]
async fn non_superuser_sees_what_it_can_and_says_what_is_hidden() {
    let hidden = app_session("app_db", "it-hidden-app").await;
    let reader_url = url("reader", "reader-secret", pg_port(), "app_db");
    let own = session(&reader_url, "it-reader-own")
        .await
        .expect("reader logs in");
    let sleeps = [hidden.cancel_token(), own.cancel_token()];
    let (hidden, own) = (Arc::new(hidden), Arc::new(own));
    for client in [&hidden, &own] {
        let client = Arc::clone(client);
        tokio::spawn(async move { client.simple_query("SELECT pg_sleep(20)").await });
    }

    let mut probe = Probe::start(reader_url);
    let snapshot = probe
        .snapshot(Duration::from_secs(10), |s| {
            pool(s, "it-hidden-app").is_some()
                && s.backends.iter().any(|b| b.application == "it-reader-own")
        })
        .await;
    assert!(snapshot.version.starts_with("15."), "{}", snapshot.version);
    assert_eq!(snapshot.max_connections, 100);
    assert!(!snapshot.databases.is_empty());

    let other = pool(&snapshot, "it-hidden-app").expect("other roles' sessions are counted");
    assert_eq!(
        other.client, "?",
        "their client address is hidden: {other:#?}"
    );
    assert_eq!(other.states.other, 1, "and their state: {other:#?}");
    assert!(
        snapshot
            .backends
            .iter()
            .all(|b| b.application != "it-hidden-app")
    );
    let mine = snapshot
        .backends
        .iter()
        .find(|b| b.application == "it-reader-own")
        .expect("our own session");
    assert!(
        mine.query
            .as_deref()
            .is_some_and(|q| q.contains("pg_sleep")),
        "{mine:#?}"
    );
    assert!(
        snapshot
            .notes
            .iter()
            .any(|n| n.contains("pg_read_all_stats") && n.contains("reader")),
        "{:?}",
        snapshot.notes
    );

    for token in sleeps {
        let _ = token.cancel_query(NoTls).await;
    }
}

#[tokio::test]
async fn restart_shows_reconnecting_then_live_within_15s() {
    let server = Throwaway::start();
    let url = url("app", "app-secret", server.port, "app_db");
    let mut probe = Probe::start(url);
    probe
        .statuses_until(Duration::from_secs(20), |s| *s == ProbeStatus::Live)
        .await;
    probe.snapshot(Duration::from_secs(5), |_| true).await;

    let restarted = Instant::now();
    let id = server.id.clone();
    let restart = tokio::task::spawn_blocking(move || docker(&["restart", "-t", "5", &id]));
    let seen = probe
        .statuses_until(Duration::from_secs(15), |s| *s == ProbeStatus::Live)
        .await;
    let took = restarted.elapsed();
    restart.await.expect("docker restart");
    assert!(
        matches!(
            seen.first(),
            Some(ProbeStatus::Reconnecting { .. } | ProbeStatus::Starting)
        ),
        "down first, then live: {seen:?}"
    );
    probe.snapshot(Duration::from_secs(5), |_| true).await;
    eprintln!("live again {took:?} after the restart began; statuses {seen:?}");
}

#[tokio::test]
async fn wrong_password_fails_without_a_retry_storm() {
    let _check = app_session("app_db", "it-auth-check").await;
    let (port, accepted) = counting_relay().await;
    let wrong = url("app", "not-the-password", port, "app_db");
    let mut probe = Probe::start(wrong);
    let seen = probe
        .statuses_until(Duration::from_secs(10), |s| {
            matches!(s, ProbeStatus::AuthFailed { .. })
        })
        .await;
    let Some(ProbeStatus::AuthFailed { error }) = seen.last() else {
        unreachable!("checked above")
    };
    assert!(
        error.contains(&format!("postgres://app:***@127.0.0.1:{port}/app_db")),
        "names the target: {error}"
    );
    assert!(error.contains("password authentication failed"), "{error}");
    assert!(!error.contains("not-the-password"), "{error}");

    // A backoff would have tried 3 more times in 4 s.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "one attempt, then a long wait"
    );
    let more = probe.next(Duration::ZERO).await;
    assert!(more.is_none(), "nothing more to report: {more:?}");
}

#[tokio::test]
async fn cancel_and_terminate_backends() {
    let victim = Arc::new(app_session("app_db", "it-victim").await);
    let pid = backend_pid(&victim).await;
    let (tx, mut rx) = mpsc::channel(8);
    let target = target(app_url("app_db"));
    let sleeping = {
        let victim = Arc::clone(&victim);
        tokio::spawn(async move { victim.simple_query("SELECT pg_sleep(30)").await })
    };
    // Cancel only once the query runs: a cancel before it starts hits nothing.
    wait_until_active(pid, "pg_sleep").await;
    spawn_signal(target.clone(), pid, PgSignal::Cancel, tx.clone());
    assert_eq!(
        job_result(&mut rx).await,
        Ok(format!("cancelled query of backend {pid} on app_db"))
    );
    let cancelled = tokio::time::timeout(Duration::from_secs(5), sleeping).await;
    let code = match &cancelled {
        Ok(Ok(Err(e))) => e.code().map(|c| c.code().to_string()),
        _ => None,
    };
    assert_eq!(
        code.as_deref(),
        Some("57014"),
        "query_canceled: {cancelled:?}"
    );

    spawn_signal(target.clone(), pid, PgSignal::Terminate, tx.clone());
    assert_eq!(
        job_result(&mut rx).await,
        Ok(format!("terminated backend {pid} on app_db"))
    );
    let closing = async {
        while !victim.is_closed() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let closed = tokio::time::timeout(Duration::from_secs(5), closing).await;
    assert!(closed.is_ok(), "the terminated session is closed");

    spawn_signal(target, pid, PgSignal::Cancel, tx);
    let gone = job_result(&mut rx).await;
    assert!(
        gone.as_ref()
            .is_err_and(|e| e.contains(&pid.to_string()) && e.contains("no such backend")),
        "{gone:?}"
    );
}
