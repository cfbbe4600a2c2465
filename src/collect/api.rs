//! The probe loop of targets reached over an HTTP API (RabbitMQ's
//! management API, a search cluster): poll every interval, report a
//! snapshot, and on failure the same states and retries as the database
//! probes: reconnecting with backoff, refused credentials rarely.

use std::future::Future;
use std::time::Duration;

use tokio::sync::mpsc::Sender;
use url::Url;

use super::http::{Http, HttpError};
use super::report::Reporter;
use crate::backoff::Backoff;
use crate::event::Event;
use crate::model::{ProbeStatus, Snapshot, Target};

/// Longest wait for one request of a poll.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Wait after refused credentials before trying again.
const AUTH_RETRY: Duration = Duration::from_secs(60);

/// One kind's way of reading its API into a snapshot.
pub trait Poll: Send {
    fn poll(
        &mut self,
        http: &Http,
        base: &Url,
    ) -> impl Future<Output = Result<Snapshot, HttpError>> + Send;
}

/// Polls `target` with `poller` every `interval` until `tx` closes.
pub async fn run(target: Target, interval: Duration, tx: Sender<Event>, mut poller: impl Poll) {
    let mut reporter = Reporter::new(&target, tx);
    let Ok(base) = Url::parse(&target.url) else {
        let error = format!("{} is not a URL", target.display_url());
        reporter.status(ProbeStatus::AuthFailed { error }).await;
        return;
    };
    let http = Http::new(REQUEST_TIMEOUT);
    let mut backoff = Backoff::default();
    if !reporter.status(ProbeStatus::Connecting).await {
        return;
    }
    loop {
        let wait = match poller.poll(&http, &base).await {
            Ok(snapshot) => {
                backoff.reset();
                if !live(&mut reporter, snapshot).await {
                    return;
                }
                interval
            }
            Err(error) => match failed(&mut reporter, error, &mut backoff).await {
                Some(wait) => wait,
                None => return,
            },
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = reporter.closed() => return,
        }
    }
}

/// Reports a snapshot, saying first that the target answers.
async fn live(reporter: &mut Reporter, snapshot: Snapshot) -> bool {
    reporter.status(ProbeStatus::Live).await && reporter.snapshot(snapshot).await
}

/// Reports a failure; how long to wait, or `None` when nobody listens.
async fn failed(
    reporter: &mut Reporter,
    error: HttpError,
    backoff: &mut Backoff,
) -> Option<Duration> {
    let (status, wait) = if error.auth {
        let status = ProbeStatus::AuthFailed {
            error: error.message,
        };
        (status, AUTH_RETRY)
    } else {
        let wait = backoff.next_delay();
        let status = ProbeStatus::Reconnecting {
            error: error.message,
            retry_in_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        };
        (status, wait)
    };
    reporter.status(status).await.then_some(wait)
}

/// `base` with `path` (and query) in place of its own path.
pub fn endpoint(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    url.set_path(path);
    url.set_query((!query.is_empty()).then_some(query));
    url
}

/// JSON helpers that read what is there and default what is not: the APIs
/// differ between versions, and a missing field is no reason to fail.
pub mod field {
    use serde_json::Value;

    pub fn text(v: &Value, key: &str) -> String {
        v.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    pub fn count(v: &Value, key: &str) -> u64 {
        match v.get(key) {
            Some(Value::Number(n)) => n
                .as_u64()
                .or_else(|| n.as_f64().map(|f| f as u64))
                .unwrap_or(0),
            Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
            _ => 0,
        }
    }

    pub fn real(v: &Value, key: &str) -> f64 {
        match v.get(key) {
            Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
            Some(Value::String(s)) => s.trim().parse().unwrap_or(0.0),
            _ => 0.0,
        }
    }

    /// `v[a][b][c]…` as a rate: `message_stats.publish_details.rate`.
    pub fn path_real(v: &Value, path: &[&str]) -> f64 {
        let mut at = v;
        for key in path {
            match at.get(key) {
                Some(next) => at = next,
                None => return 0.0,
            }
        }
        at.as_f64().unwrap_or(0.0)
    }
}
