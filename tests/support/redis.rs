//! Redis for the tests: throwaway servers, a probe run with its events,
//! and plain client connections for the test's own commands.

use std::time::Duration;

use redis::aio::MultiplexedConnection;
use stacktop::collect::redis as probe;
use stacktop::model::{RedisSnapshot, Target, TargetKind, TargetOrigin};

use super::docker::{REDIS, Throwaway as Container, require_image};
use super::ports::with_free_port;
use super::probe::Probe as GenericProbe;
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

/// The Redis probe, with the reads its tests want; everything else is the
/// generic probe's.
pub struct Probe(GenericProbe);

impl Probe {
    pub fn start(url: &str, interval: Duration) -> Self {
        let target = target(url);
        Self(GenericProbe::start(|tx| probe::run(target, interval, tx)))
    }

    /// The next snapshot that satisfies `check`.
    pub async fn snapshot_where(
        &mut self,
        timeout: Duration,
        what: &str,
        check: impl Fn(&RedisSnapshot) -> bool,
    ) -> RedisSnapshot {
        self.0
            .snapshot_where(timeout, what, |s| s.redis().filter(|r| check(r)).cloned())
            .await
    }
}

super::probe::generic_methods!(Probe);
