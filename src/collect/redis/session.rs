//! One connection to a Redis server and the polls made over it.

use std::future::Future;
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Client, Cmd, FromRedisValue, Value};

use super::clients::{self, OWN_NAME};
use super::failure::{Failure, Kind};
use super::info::{Info, SECTIONS};
use super::rates::{self, Counters};
use super::slowlog;
use crate::collect::runner::ANSWER_TIMEOUT;
use crate::model::{ClientPool, RedisSnapshot, SlowEntry};

/// CLIENT LIST walks every connection: run it this often at most...
const CLIENT_LIST_EVERY: Duration = Duration::from_secs(5);
/// ...and not at all once it takes longer than this.
const CLIENT_LIST_SLOW: Duration = Duration::from_millis(200);

/// How INFO is asked for: one multi-section command (Redis 7+) or one
/// command a section (older servers reject several sections).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InfoForm {
    Multi,
    PerSection,
}

/// CLIENT LIST state: the pools it last gave, or why it is off.
#[derive(Debug)]
enum ClientList {
    On {
        last_run: Option<Instant>,
        pools: Vec<ClientPool>,
    },
    Off,
}

/// A live connection, with what the polls remember between them.
pub struct Session {
    conn: MultiplexedConnection,
    own_id: u64,
    info_form: InfoForm,
    client_list: ClientList,
    slowlog_on: bool,
    notes: Vec<String>,
    previous: Option<(Counters, Instant)>,
}

/// Runs `fut` with the command timeout, turning errors into a `Failure`
/// that says what was being done.
async fn timed<T>(
    doing: &str,
    fut: impl Future<Output = redis::RedisResult<T>>,
) -> Result<T, Failure> {
    match tokio::time::timeout(ANSWER_TIMEOUT, fut).await {
        Err(_) => Err(Failure::timeout(doing, ANSWER_TIMEOUT)),
        Ok(Err(e)) => Err(Failure::from_redis(&e, doing)),
        Ok(Ok(v)) => Ok(v),
    }
}

impl Session {
    /// Connects, authenticates and selects the db (the client's URL says
    /// which: every new connection does both), then names the connection.
    /// `target` is the masked URL, for messages.
    pub async fn open(client: &Client, target: &str) -> Result<Self, Failure> {
        let doing = format!("connecting to {target}");
        // The library's own limits (1 s to connect, 500 ms a reply) are
        // off: `timed` applies ours, with a message saying what hung.
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(None)
            .set_response_timeout(None);
        let conn = timed(
            &doing,
            client.get_multiplexed_async_connection_with_config(&config),
        )
        .await?;
        let mut session = Self {
            conn,
            own_id: 0,
            info_form: InfoForm::Multi,
            client_list: ClientList::On {
                last_run: None,
                pools: Vec::new(),
            },
            slowlog_on: true,
            notes: Vec::new(),
            previous: None,
        };
        session.name_connection(&doing).await?;
        Ok(session)
    }

    /// `CLIENT SETNAME stacktop`, and our id to leave out of the pools. A
    /// user without CLIENT rights still gets figures, with a note.
    async fn name_connection(&mut self, doing: &str) -> Result<(), Failure> {
        let setname = redis::cmd("CLIENT").arg("SETNAME").arg(OWN_NAME).to_owned();
        let id = redis::cmd("CLIENT").arg("ID").to_owned();
        let named = match self.query::<()>(&setname, doing).await {
            Ok(()) => self.query::<u64>(&id, doing).await,
            Err(f) => Err(f),
        };
        match named {
            Ok(own_id) => self.own_id = own_id,
            Err(f) if f.kind == Kind::NoPerm => self.notes.push(
                "CLIENT SETNAME not allowed for this user (NOPERM): connection unnamed".into(),
            ),
            Err(f) => return Err(f),
        }
        Ok(())
    }

    async fn query<T: FromRedisValue>(&mut self, cmd: &Cmd, doing: &str) -> Result<T, Failure> {
        timed(doing, cmd.query_async(&mut self.conn)).await
    }

    /// One poll: INFO, SLOWLOG and, now and then, CLIENT LIST.
    pub async fn poll(&mut self) -> Result<RedisSnapshot, Failure> {
        let started = Instant::now();
        let info = self.info().await?;
        if info.loading() {
            return Err(Failure {
                kind: Kind::Loading,
                message: "LOADING: the server is loading its data set".into(),
                server_reply: true,
            });
        }
        let slowlog = self.slowlog().await?;
        let client_pools = self.client_pools().await?;
        let poll_ms = started.elapsed().as_secs_f64() * 1000.0;

        let counters = info.counters();
        let prev = self.previous.replace((counters, started));
        let elapsed = prev.map_or(0.0, |(_, at)| started.duration_since(at).as_secs_f64());
        let rates = rates::rates(prev.as_ref().map(|(c, _)| c), &counters, elapsed);
        Ok(RedisSnapshot {
            ops_per_sec: rates.ops_per_sec,
            hit_ratio: rates.hit_ratio,
            evicted_per_sec: rates.evicted_per_sec,
            expired_per_sec: rates.expired_per_sec,
            client_pools,
            slowlog,
            notes: self.notes.clone(),
            poll_ms,
            ..info.snapshot()
        })
    }

    /// The sections the probe needs, in one command where the server can.
    async fn info(&mut self) -> Result<Info, Failure> {
        if self.info_form == InfoForm::Multi {
            let mut cmd = redis::cmd("INFO");
            cmd.arg(&SECTIONS[..]);
            match self.query::<String>(&cmd, "INFO").await {
                Ok(text) => return Ok(Info::parse(&text)),
                // Before Redis 7: `ERR syntax error`. Ask section by section.
                Err(f) if f.server_reply && f.kind == Kind::Other => {
                    self.info_form = InfoForm::PerSection;
                }
                Err(f) => return Err(f),
            }
        }
        let mut info = Info::default();
        for section in SECTIONS {
            let text: String = self
                .query(redis::cmd("INFO").arg(section), &format!("INFO {section}"))
                .await?;
            info.add(&text);
        }
        Ok(info)
    }

    async fn slowlog(&mut self) -> Result<Vec<SlowEntry>, Failure> {
        if !self.slowlog_on {
            return Ok(Vec::new());
        }
        let cmd = redis::cmd("SLOWLOG")
            .arg("GET")
            .arg(slowlog::ENTRIES)
            .to_owned();
        match self.query::<Value>(&cmd, "SLOWLOG GET").await {
            Ok(reply) => Ok(slowlog::entries(&reply)),
            Err(f) if f.kind == Kind::NoPerm => {
                self.slowlog_on = false;
                self.notes
                    .push("SLOWLOG not allowed for this user (NOPERM): slow log off".into());
                Ok(Vec::new())
            }
            Err(f) => Err(f),
        }
    }

    /// The pools, from a fresh CLIENT LIST when the last one is old enough,
    /// else from the last one; `None` once CLIENT LIST is off.
    async fn client_pools(&mut self) -> Result<Option<Vec<ClientPool>>, Failure> {
        let due = match &self.client_list {
            ClientList::Off => return Ok(None),
            ClientList::On { last_run, .. } => {
                last_run.is_none_or(|at| at.elapsed() >= CLIENT_LIST_EVERY)
            }
        };
        if due {
            self.run_client_list().await?;
        }
        Ok(match &self.client_list {
            ClientList::On { pools, .. } => Some(pools.clone()),
            ClientList::Off => None,
        })
    }

    async fn run_client_list(&mut self) -> Result<(), Failure> {
        let started = Instant::now();
        let cmd = redis::cmd("CLIENT").arg("LIST").to_owned();
        let text = match self.query::<String>(&cmd, "CLIENT LIST").await {
            Ok(text) => text,
            Err(f) if f.kind == Kind::NoPerm => {
                self.client_list_off(
                    "CLIENT LIST not allowed for this user (NOPERM): client pools off".into(),
                );
                return Ok(());
            }
            Err(f) => return Err(f),
        };
        if let Some(note) = too_slow(started.elapsed()) {
            self.client_list_off(note);
            return Ok(());
        }
        self.client_list = ClientList::On {
            last_run: Some(started),
            pools: clients::pools(&clients::parse(&text), self.own_id),
        };
        Ok(())
    }

    fn client_list_off(&mut self, note: String) {
        self.client_list = ClientList::Off;
        self.notes.push(note);
    }
}

/// The note that switches CLIENT LIST off when one took `took`.
fn too_slow(took: Duration) -> Option<String> {
    let ms = took.as_millis();
    let limit = CLIENT_LIST_SLOW.as_millis();
    (took > CLIENT_LIST_SLOW)
        .then(|| format!("CLIENT LIST took {ms} ms (over {limit} ms): client pools off"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slow_client_list_switches_the_pools_off_with_a_note() {
        assert_eq!(too_slow(Duration::from_millis(3)), None);
        assert_eq!(too_slow(CLIENT_LIST_SLOW), None);
        assert_eq!(
            too_slow(Duration::from_millis(312)).as_deref(),
            Some("CLIENT LIST took 312 ms (over 200 ms): client pools off")
        );
    }
}
