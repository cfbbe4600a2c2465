//! The PostgreSQL probe and backend actions against the real server of the
//! test stack (`postgres` in tests/stack/compose.yaml). Nothing is skipped:
//! a missing server fails the tests with what to start.
//!
//! Tests run in parallel threads: each uses its own application names and
//! tables, and the restart test restarts a throwaway container of its own.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use stacktop::actions::pg::spawn_signal;
use stacktop::collect::postgres;
use stacktop::event::{Event, PgSignal, ProbeEvent};
use stacktop::model::{
    PgPool, PgSnapshot, ProbeStatus, Target, TargetKind, TargetOrigin, TopStatements,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::{self, Receiver};
use tokio::task::JoinHandle;
use tokio_postgres::{Client, NoTls};

const POLL: Duration = Duration::from_millis(500);
const IMAGE: &str = "stacktop-test/postgres:15";

/// Host port of the stack's postgres service.
fn pg_port() -> u16 {
    std::env::var("STACKTOP_TEST_PG_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(15432)
}

fn url(user: &str, password: &str, port: u16, db: &str) -> String {
    format!("postgres://{user}:{password}@127.0.0.1:{port}/{db}")
}

fn app_url(db: &str) -> String {
    url("app", "app-secret", pg_port(), db)
}

fn target(url: String) -> Target {
    Target {
        id: "pg:test".into(),
        kind: TargetKind::Postgres,
        name: "postgres".into(),
        url,
        container_id: None,
        origin: TargetOrigin::Config,
    }
}

/// A suffix no other test run uses.
fn unique() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{}_{nanos}", std::process::id())
}

/// A session of our own, named `application`.
async fn session(url: &str, application: &str) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = format!("{url}?application_name={application}")
        .parse::<tokio_postgres::Config>()?
        .connect_timeout(Duration::from_secs(5))
        .connect(NoTls)
        .await?;
    tokio::spawn(connection);
    Ok(client)
}

/// A session of the stack's server; fails the test with what to start.
async fn app_session(db: &str, application: &str) -> Client {
    let url = app_url(db);
    session(&url, application).await.unwrap_or_else(|e| {
        panic!(
            "the test stack's PostgreSQL is not reachable at 127.0.0.1:{} ({e}); \
             is the `postgres` service of `{}` up? run scripts/test.sh",
            pg_port(),
            common::project()
        )
    })
}

async fn backend_pid(client: &Client) -> i32 {
    let row = client.query_one("SELECT pg_backend_pid()", &[]).await;
    row.expect("pg_backend_pid()").get(0)
}

/// A running probe, aborted on drop.
struct Probe {
    rx: Receiver<Event>,
    task: JoinHandle<()>,
}

impl Probe {
    fn start(url: String) -> Self {
        let (tx, rx) = mpsc::channel(256);
        let task = tokio::spawn(postgres::run(target(url), POLL, tx));
        Self { rx, task }
    }

    async fn next(&mut self, deadline: Instant) -> Option<ProbeEvent> {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, self.rx.recv()).await {
            Ok(Some(Event::Probe(event))) => Some(event),
            Ok(Some(other)) => panic!("unexpected event {other:?}"),
            Ok(None) => panic!("the probe ended"),
            Err(_) => None,
        }
    }

    /// The first snapshot `ok` accepts within `timeout`; fails with the last one.
    async fn snapshot(
        &mut self,
        timeout: Duration,
        ok: impl Fn(&PgSnapshot) -> bool,
    ) -> PgSnapshot {
        let deadline = Instant::now() + timeout;
        let mut last = None;
        while let Some(event) = self.next(deadline).await {
            if let ProbeEvent::Postgres { snapshot, .. } = event {
                if ok(&snapshot) {
                    return *snapshot;
                }
                last = Some(snapshot);
            }
        }
        panic!("no matching snapshot within {timeout:?}; the last was {last:#?}");
    }

    /// Statuses until `done` accepts one, within `timeout`; all of them in order.
    async fn statuses_until(
        &mut self,
        timeout: Duration,
        done: impl Fn(&ProbeStatus) -> bool,
    ) -> Vec<ProbeStatus> {
        let deadline = Instant::now() + timeout;
        let mut seen = Vec::new();
        while let Some(event) = self.next(deadline).await {
            if let ProbeEvent::Status { status, .. } = event {
                seen.push(status.clone());
                if done(&status) {
                    return seen;
                }
            }
        }
        panic!("no matching status within {timeout:?}; saw {seen:?}");
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn pool<'a>(snapshot: &'a PgSnapshot, application: &str) -> Option<&'a PgPool> {
    snapshot.pools.iter().find(|p| p.application == application)
}

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

/// A PostgreSQL container of the fixture image, removed on drop.
struct Throwaway {
    id: String,
    port: u16,
}

impl Throwaway {
    /// Publishes 5432 on a fixed free port: an ephemeral one (`127.0.0.1::5432`)
    /// would change when the container restarts.
    fn start() -> Self {
        common::require_engine();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let name = format!("stacktop-it-pg-{}", unique());
        let publish = format!("127.0.0.1:{port}:5432");
        let out = common::docker(&[
            "run",
            "-d",
            "--name",
            &name,
            "--label",
            "stacktop-it=1",
            "-p",
            &publish,
            IMAGE,
        ]);
        Self {
            id: String::from_utf8_lossy(&out.stdout).trim().to_string(),
            port,
        }
    }
}

impl Drop for Throwaway {
    fn drop(&mut self) {
        let _ = common::try_docker(&["rm", "-f", &self.id]);
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
    let restart = tokio::task::spawn_blocking(move || common::docker(&["restart", "-t", "5", &id]));
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

/// A TCP relay to the stack's server that counts the connections it accepts.
async fn counting_relay() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the relay");
    let port = listener.local_addr().expect("relay address").port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                if let Ok(mut server) = TcpStream::connect(("127.0.0.1", pg_port())).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    (port, accepted)
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
    let more = probe.next(Instant::now()).await;
    assert!(more.is_none(), "nothing more to report: {more:?}");
}

/// The report of the next action.
async fn action_done(rx: &mut Receiver<Event>) -> Result<String, String> {
    match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
        Ok(Some(Event::ProbeActionDone(result))) => result,
        other => panic!("no ProbeActionDone: {other:?}"),
    }
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
    tokio::time::sleep(Duration::from_millis(300)).await;
    spawn_signal(target.clone(), pid, PgSignal::Cancel, tx.clone());
    assert_eq!(
        action_done(&mut rx).await,
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
        action_done(&mut rx).await,
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
    let gone = action_done(&mut rx).await;
    assert!(
        gone.as_ref()
            .is_err_and(|e| e.contains(&pid.to_string()) && e.contains("no such backend")),
        "{gone:?}"
    );
}
