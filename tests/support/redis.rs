//! Redis for the tests: throwaway servers, a probe run with its events,
//! and plain client connections for the test's own commands.

use std::time::Duration;

use redis::aio::MultiplexedConnection;
use stacktop::collect::redis as probe;
use stacktop::event::{Event, ProbeEvent};
use stacktop::model::{ProbeStatus, RedisSnapshot, Snapshot, Target, TargetKind, TargetOrigin};
use stacktop::tasks::AbortOnDrop;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::docker::{REDIS, Throwaway as Container, require_image};
use super::ports::with_free_port;
use super::stack::{REDIS_PASSWORD, container_name, redis_port};
use super::wait_until;

/// URL of the test stack's `redis` service, db `db`. Fails with a hint when
/// the service is not up.
pub fn stack_url(db: u32) -> String {
    container_name("redis", 1);
    format!("redis://:{REDIS_PASSWORD}@127.0.0.1:{}/{db}", redis_port())
}

/// A Redis container of the fixture image made for one test, removed on drop.
/// Its port is fixed when it starts, so it survives a restart.
pub struct Throwaway {
    _container: Container,
    pub id: String,
    pub port: u16,
    pub password: String,
}

impl Throwaway {
    pub fn start(purpose: &str, password: &str) -> Self {
        Self::start_with(purpose, password, &[])
    }

    /// Like [`Throwaway::start`], with more `redis-server` options.
    pub fn start_with(purpose: &str, password: &str, options: &[&str]) -> Self {
        require_image(REDIS);
        let server = with_free_port(|port| {
            let publish = format!("127.0.0.1:{port}:6379");
            let mut command = vec![
                REDIS,
                "redis-server",
                "--port",
                "6379",
                "--bind",
                "0.0.0.0",
                "--protected-mode",
                "no",
                "--requirepass",
                password,
                "--save",
                "",
                "--appendonly",
                "no",
            ];
            command.extend_from_slice(options);
            let name = format!("redis-{purpose}");
            let container = Container::try_run_with(&name, &["--init", "-p", &publish], &command)?;
            Ok(Self {
                id: container.id.clone(),
                _container: container,
                port,
                password: password.to_string(),
            })
        });
        server.wait_until_up();
        server
    }

    pub fn url(&self, db: u32) -> String {
        format!("redis://:{}@127.0.0.1:{}/{db}", self.password, self.port)
    }

    /// Waits until the server answers PING, for up to 15 s.
    pub fn wait_until_up(&self) {
        let url = self.url(0);
        let up = wait_until(Duration::from_secs(15), Duration::from_millis(100), || {
            redis::Client::open(url.as_str())
                .and_then(|c| c.get_connection_with_timeout(Duration::from_secs(1)))
                .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c))
                .is_ok()
        });
        assert!(
            up,
            "throwaway redis {} did not answer PING in 15 s",
            self.id
        );
    }
}

/// A plain connection for the test's own commands.
pub async fn connect(url: &str) -> MultiplexedConnection {
    let client = redis::Client::open(url).expect("a valid URL");
    match client.get_multiplexed_async_connection().await {
        Ok(conn) => conn,
        Err(e) => panic!(
            "cannot connect to {} ({e}): is the test stack up? run scripts/test.sh",
            stacktop::model::mask_url(url)
        ),
    }
}

/// Runs `cmd` with `args`, panicking with the command when it fails.
pub async fn run<T: redis::FromRedisValue>(conn: &mut MultiplexedConnection, args: &[&str]) -> T {
    let mut cmd = redis::cmd(args[0]);
    cmd.arg(&args[1..]);
    match cmd.query_async(conn).await {
        Ok(v) => v,
        Err(e) => panic!("`{}` failed: {e}", args.join(" ")),
    }
}

/// One field of `INFO section`.
pub async fn info_field(conn: &mut MultiplexedConnection, section: &str, field: &str) -> String {
    let text: String = run(conn, &["INFO", section]).await;
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| panic!("no {field} in INFO {section}"))
}

/// A probe task and the events it sent, aborted on drop.
pub struct Probe {
    pub rx: mpsc::Receiver<Event>,
    _task: AbortOnDrop,
}

pub fn target(url: &str) -> Target {
    Target {
        id: "redis:test".into(),
        kind: TargetKind::Redis,
        name: "test".into(),
        url: url.to_string(),
        container_id: None,
        origin: TargetOrigin::Config,
    }
}

impl Probe {
    pub fn start(url: &str, interval: Duration) -> Self {
        let (tx, rx) = mpsc::channel(256);
        let task = tokio::spawn(probe::run(target(url), interval, tx)).into();
        Self { rx, _task: task }
    }

    /// The next event within `timeout`, or `None`.
    pub async fn next(&mut self, timeout: Duration) -> Option<ProbeEvent> {
        match tokio::time::timeout(timeout, self.rx.recv()).await {
            Ok(Some(Event::Probe(event))) => Some(event),
            Ok(Some(other)) => panic!("the probe sent a non-probe event: {other:?}"),
            Ok(None) => panic!("the probe ended"),
            Err(_) => None,
        }
    }

    /// Events until `pick` finds something; fails after `timeout` with the
    /// events seen.
    pub async fn until<T>(
        &mut self,
        timeout: Duration,
        what: &str,
        mut pick: impl FnMut(&ProbeEvent) -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + timeout;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            let Some(event) = self.next(left).await else {
                break;
            };
            if let Some(found) = pick(&event) {
                return found;
            }
            seen.push(describe(&event));
        }
        panic!("no {what} within {timeout:?}; saw: {seen:#?}");
    }

    /// The next snapshot that satisfies `check`.
    pub async fn snapshot_where(
        &mut self,
        timeout: Duration,
        what: &str,
        check: impl Fn(&RedisSnapshot) -> bool,
    ) -> RedisSnapshot {
        self.until(timeout, what, |e| match e {
            ProbeEvent::Snapshot { snapshot, .. } => match snapshot.as_ref() {
                Snapshot::Redis(redis) if check(redis) => Some(redis.clone()),
                _ => None,
            },
            _ => None,
        })
        .await
    }

    /// The next status that satisfies `check`.
    pub async fn status_where(
        &mut self,
        timeout: Duration,
        what: &str,
        check: impl Fn(&ProbeStatus) -> bool,
    ) -> ProbeStatus {
        self.until(timeout, what, |e| match e {
            ProbeEvent::Status { status, .. } if check(status) => Some(status.clone()),
            _ => None,
        })
        .await
    }
}

impl Probe {
    /// Waits for Live, failing if figures come first: none may be sent
    /// while the server is away or loading.
    pub async fn live_before_figures(&mut self, timeout: Duration, what: &str) {
        let live = self
            .until(timeout, what, |e| match e {
                ProbeEvent::Status { status, .. } if *status == ProbeStatus::Live => Some(true),
                ProbeEvent::Snapshot { .. } => Some(false),
                _ => None,
            })
            .await;
        assert!(live, "{what}: a snapshot came before the probe was Live");
    }
}

/// A short line for an event (snapshots are long).
pub fn describe(event: &ProbeEvent) -> String {
    match event {
        ProbeEvent::Status { status, .. } => format!("status {status:?}"),
        ProbeEvent::Snapshot { snapshot, .. } => match snapshot.redis() {
            Some(redis) => format!(
                "snapshot (keyspace {:?}, hit ratio {:?})",
                redis.keyspace, redis.hit_ratio
            ),
            None => format!("a {:?} snapshot", snapshot.kind()),
        },
    }
}
