//! Targets reached over an HTTP API (RabbitMQ's management API, a search
//! cluster): each kind reads its API into a snapshot, and the probe runner
//! gives them the same states and retries as the database probes.

use std::future::Future;
use std::time::Duration;

use tokio::sync::mpsc::Sender;
use url::Url;

use super::http::{Http, HttpError};
use super::runner::{self, ANSWER_TIMEOUT, Failure, Reading, Trouble};
use crate::event::Event;
use crate::model::{Snapshot, Target};

/// One kind's way of reading its API into a snapshot.
pub trait Poll: Send {
    fn poll(
        &mut self,
        http: &Http,
        base: &Url,
    ) -> impl Future<Output = Result<Snapshot, HttpError>> + Send;
}

/// Polls `target` with `poller` every `interval` until `tx` closes.
pub async fn run(target: Target, interval: Duration, tx: Sender<Event>, poller: impl Poll) {
    let probe = Api {
        url: target.url.clone(),
        masked: target.display_url(),
        http: Http::new(ANSWER_TIMEOUT),
        poller,
    };
    runner::run(&target, interval, tx, probe).await;
}

struct Api<P> {
    url: String,
    masked: String,
    http: Http,
    poller: P,
}

impl<P: Poll> runner::Probe for Api<P> {
    /// Each request connects anew: a session is the API's base URL.
    type Session = Url;

    async fn connect(&mut self) -> Result<Url, Failure> {
        Url::parse(&self.url)
            .map_err(|_| Failure::new(Trouble::Rejected, format!("{} is not a URL", self.masked)))
    }

    async fn poll(&mut self, base: &mut Url) -> Result<Reading, Failure> {
        match self.poller.poll(&self.http, base).await {
            Ok(snapshot) => Ok(Reading::Figures(Box::new(snapshot))),
            Err(error) if error.auth => Err(Failure::new(Trouble::Rejected, error.message)),
            Err(error) => Err(Failure::lost(error.message)),
        }
    }
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
