//! PostgreSQL for the tests: sessions of the test stack's server, a probe
//! to read events from, a throwaway server, a counting relay.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use stacktop::collect::postgres;
use stacktop::event::{Event, ProbeEvent};
use stacktop::model::{PgPool, PgSnapshot, ProbeStatus, Target, TargetKind, TargetOrigin};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::Receiver;
use tokio_postgres::{Client, NoTls};

use super::docker::{POSTGRES, Throwaway as Container, require_image};
use super::ports::with_free_port;
use super::probe::Probe as GenericProbe;
use super::stack::{pg_port, project};

/// How often the tests' probes poll.
pub const POLL: Duration = Duration::from_millis(500);

pub fn url(user: &str, password: &str, port: u16, db: &str) -> String {
    format!("postgres://{user}:{password}@127.0.0.1:{port}/{db}")
}

pub fn app_url(db: &str) -> String {
    url("app", "app-secret", pg_port(), db)
}

pub fn target(url: String) -> Target {
    Target {
        id: "pg:test".into(),
        kind: TargetKind::Postgres,
        name: "postgres".into(),
        url,
        container_id: None,
        origin: TargetOrigin::Config,
    }
}

/// A session of our own, named `application`.
pub async fn session(url: &str, application: &str) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = format!("{url}?application_name={application}")
        .parse::<tokio_postgres::Config>()?
        .connect_timeout(Duration::from_secs(5))
        .connect(NoTls)
        .await?;
    tokio::spawn(connection);
    Ok(client)
}

/// A session of the stack's server; fails the test with what to start.
pub async fn app_session(db: &str, application: &str) -> Client {
    let url = app_url(db);
    session(&url, application).await.unwrap_or_else(|e| {
        panic!(
            "the test stack's PostgreSQL is not reachable at 127.0.0.1:{} ({e}); \
             is the `postgres` service of `{}` up? run scripts/test.sh",
            pg_port(),
            project()
        )
    })
}

/// Waits (up to 10 s) until backend `pid` runs a query containing `text`,
/// asking from a session of its own.
pub async fn wait_until_active(pid: i32, text: &str) {
    let watcher = app_session("app_db", "it-watcher").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let sql = "SELECT state = 'active' AND query LIKE '%' || $2 || '%' \
               FROM pg_stat_activity WHERE pid = $1";
    while Instant::now() < deadline {
        let row = watcher.query_opt(sql, &[&pid, &text]).await;
        if let Ok(Some(row)) = row
            && row.get::<_, Option<bool>>(0) == Some(true)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("backend {pid} did not start running `{text}` within 10 s");
}

pub async fn backend_pid(client: &Client) -> i32 {
    let row = client.query_one("SELECT pg_backend_pid()", &[]).await;
    row.expect("pg_backend_pid()").get(0)
}

/// The PostgreSQL probe, with the reads its tests want; everything else is
/// the generic probe's.
pub struct Probe(GenericProbe);

impl Probe {
    pub fn start(url: String) -> Self {
        let target = target(url);
        Self(GenericProbe::start(|tx| postgres::run(target, POLL, tx)))
    }

    /// The first snapshot `ok` accepts within `timeout`.
    pub async fn snapshot(
        &mut self,
        timeout: Duration,
        ok: impl Fn(&PgSnapshot) -> bool,
    ) -> PgSnapshot {
        self.0
            .snapshot_where(timeout, "a matching snapshot", |s| {
                s.postgres().filter(|pg| ok(pg)).cloned()
            })
            .await
    }

    /// Statuses until `done` accepts one, within `timeout`; all of them in order.
    pub async fn statuses_until(
        &mut self,
        timeout: Duration,
        done: impl Fn(&ProbeStatus) -> bool,
    ) -> Vec<ProbeStatus> {
        let mut seen = Vec::new();
        self.0
            .until(timeout, "a matching status", |event| match event {
                ProbeEvent::Status { status, .. } => {
                    seen.push(status.clone());
                    done(status).then_some(())
                }
                ProbeEvent::Snapshot { .. } => None,
            })
            .await;
        seen
    }
}

super::probe::generic_methods!(Probe);

pub fn pool<'a>(snapshot: &'a PgSnapshot, application: &str) -> Option<&'a PgPool> {
    snapshot.pools.iter().find(|p| p.application == application)
}

/// A PostgreSQL container of the fixture image, removed on drop.
pub struct Throwaway {
    _container: Container,
    pub id: String,
    pub port: u16,
}

impl Throwaway {
    /// Publishes 5432 on a fixed free port: an ephemeral one (`127.0.0.1::5432`)
    /// would change when the container restarts.
    pub fn start() -> Self {
        require_image(POSTGRES);
        with_free_port(|port| {
            let publish = format!("127.0.0.1:{port}:5432");
            let container = Container::try_run_with("pg", &["-p", &publish], &[POSTGRES])?;
            Ok(Self {
                id: container.id.clone(),
                _container: container,
                port,
            })
        })
    }
}

/// A TCP relay to the stack's server that counts the connections it accepts.
pub async fn counting_relay() -> (u16, Arc<AtomicUsize>) {
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

/// The result of the next job that ends.
pub async fn job_result(rx: &mut Receiver<Event>) -> Result<String, String> {
    super::events::done(rx, Duration::from_secs(10))
        .await
        .result
        .map_err(|e| e.to_string())
}
