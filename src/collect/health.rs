//! HTTP health checks: one task per check, GET only, one request at a time
//! per check, at most every interval, less often while it keeps failing.
//! A result is sent when it changes (and at least every 30 s, so the
//! latency shown stays fresh): a quiet stack sends nothing.

use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::mpsc::Sender;
use url::Url;

use super::http::{Answer, Http, HttpError};
use crate::event::Event;
use crate::model::{CheckResult, CheckSource, HealthCheck, Verdict};
use crate::tasks::{TaskSet, supervise};

/// A result is sent again after this long even if it did not change.
const REFRESH: Duration = Duration::from_secs(30);
/// Longest wait between two runs of a failing check.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// The running checks, by check id.
pub struct Checks {
    interval: Duration,
    timeout: Duration,
    tasks: TaskSet<HealthCheck>,
}

impl Checks {
    pub fn new(interval: Duration, timeout: Duration) -> Self {
        Self {
            interval,
            timeout,
            tasks: TaskSet::default(),
        }
    }

    /// Starts new checks, stops those that went, restarts changed ones.
    pub fn set(&mut self, checks: Vec<HealthCheck>, tx: &Sender<Event>) {
        let wanted = checks.into_iter().map(|c| (c.id.clone(), c)).collect();
        self.tasks.set(wanted, |check| {
            let runner = Runner {
                http: Http::new(self.timeout),
                urls: check.urls.clone(),
                check: check.clone(),
                interval: self.interval,
                tx: tx.clone(),
            };
            let name = format!("health check of {}", check.name);
            supervise(name, tx.clone(), runner.run())
        });
    }
}

struct Runner {
    http: Http,
    check: HealthCheck,
    /// What is still worth asking: a guess drops paths that gave 404 and
    /// keeps only the one that answered.
    urls: Vec<String>,
    interval: Duration,
    tx: Sender<Event>,
}

impl Runner {
    async fn run(mut self) {
        let mut sent: Option<(CheckResult, Instant)> = None;
        let mut failures = 0u32;
        loop {
            let result = self.once().await;
            let stale = sent
                .as_ref()
                .is_none_or(|(last, at)| *last != result || at.elapsed() >= REFRESH);
            if stale {
                let event = Event::Health {
                    check_id: self.check.id.clone(),
                    result: result.clone(),
                };
                if self.tx.send(event).await.is_err() {
                    return;
                }
                sent = Some((result.clone(), Instant::now()));
            }
            // Nothing HTTP to ask: say so once and stop.
            if self.urls.is_empty() {
                return;
            }
            failures = if result.verdict == Verdict::Failing {
                failures + 1
            } else {
                0
            };
            let wait = (self.interval * 2u32.pow(failures.min(4))).min(LONGEST_WAIT);
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = self.tx.closed() => return,
            }
        }
    }

    /// Runs the check once.
    async fn once(&mut self) -> CheckResult {
        let guessed = self.check.source == CheckSource::Guessed;
        while let Some(text) = self.urls.first().cloned() {
            let Ok(url) = Url::parse(&text) else {
                self.urls.remove(0);
                continue;
            };
            match self.http.get(&url).await {
                Ok(answer) if guessed && answer.status.as_u16() == 404 => {
                    // Not asked again.
                    self.urls.remove(0);
                }
                Ok(answer) => {
                    if guessed {
                        self.urls.truncate(1);
                    }
                    return judge(&self.check, &url, &answer);
                }
                Err(error) if guessed && error.short == "not http" => {
                    self.urls.clear();
                    return unknown("not http", &error.message);
                }
                Err(error) => return failing(&error),
            }
        }
        unknown("no health endpoint", "every guessed path answered 404")
    }
}

fn unknown(text: &str, detail: &str) -> CheckResult {
    CheckResult {
        verdict: Verdict::Unknown,
        text: text.to_string(),
        detail: detail.to_string(),
    }
}

fn failing(error: &HttpError) -> CheckResult {
    CheckResult {
        verdict: Verdict::Failing,
        text: error.short.clone(),
        detail: error.message.clone(),
    }
}

/// The verdict of an answer: 2xx and 3xx are healthy (a redirect is not
/// followed, but it is an answer), anything else is failing.
pub fn judge(check: &HealthCheck, url: &Url, answer: &Answer) -> CheckResult {
    let status = answer.status.as_u16();
    let ms = answer.elapsed.as_millis();
    let ok = (200..400).contains(&status);
    if ok && check.source == CheckSource::Known("localstack") {
        return localstack(&answer.body, ms);
    }
    CheckResult {
        verdict: if ok {
            Verdict::Healthy
        } else {
            Verdict::Failing
        },
        text: if ok {
            format!("http {status} {ms}ms")
        } else {
            format!("http {status}")
        },
        detail: url.path().to_string(),
    }
}

/// LocalStack's health lists its services' states: any in error fails.
fn localstack(body: &[u8], ms: u128) -> CheckResult {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let services = json.get("services").and_then(Value::as_object);
    let states: Vec<(&String, &str)> = services
        .into_iter()
        .flatten()
        .map(|(name, state)| (name, state.as_str().unwrap_or("")))
        .collect();
    let broken: Vec<&str> = states
        .iter()
        .filter(|(_, state)| *state == "error")
        .map(|(name, _)| name.as_str())
        .collect();
    let up = states
        .iter()
        .filter(|(_, state)| matches!(*state, "running" | "available"))
        .count();
    if broken.is_empty() {
        CheckResult {
            verdict: Verdict::Healthy,
            text: format!("{up} up {ms}ms"),
            detail: "/_localstack/health".to_string(),
        }
    } else {
        CheckResult {
            verdict: Verdict::Failing,
            text: format!("{} error", broken.join(",")),
            detail: format!("services in error: {}", broken.join(", ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    fn check(source: CheckSource) -> HealthCheck {
        HealthCheck {
            id: "shop/api".into(),
            container_id: None,
            name: "api".into(),
            urls: vec!["http://127.0.0.1:1/health".into()],
            source,
        }
    }

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            body: body.as_bytes().to_vec(),
            elapsed: Duration::from_millis(12),
        }
    }

    fn url() -> Url {
        Url::parse("http://127.0.0.1:1/health").unwrap()
    }

    #[test]
    fn statuses_make_verdicts() {
        let c = check(CheckSource::Declared);
        let ok = judge(&c, &url(), &answer(200, ""));
        assert_eq!(
            (ok.verdict, ok.text.as_str()),
            (Verdict::Healthy, "http 200 12ms")
        );
        let moved = judge(&c, &url(), &answer(302, ""));
        assert_eq!(moved.verdict, Verdict::Healthy);
        let down = judge(&c, &url(), &answer(503, ""));
        assert_eq!(
            (down.verdict, down.text.as_str()),
            (Verdict::Failing, "http 503")
        );
    }

    #[test]
    fn localstack_fails_when_a_service_is_in_error() {
        let c = check(CheckSource::Known("localstack"));
        let body = r#"{"services": {"s3": "running", "sqs": "available", "kinesis": "disabled"}, "edition": "community"}"#;
        let ok = judge(&c, &url(), &answer(200, body));
        assert_eq!(
            (ok.verdict, ok.text.as_str()),
            (Verdict::Healthy, "2 up 12ms")
        );
        let body = r#"{"services": {"s3": "running", "dynamodb": "error"}}"#;
        let bad = judge(&c, &url(), &answer(200, body));
        assert_eq!(
            (bad.verdict, bad.text.as_str()),
            (Verdict::Failing, "dynamodb error")
        );
    }
}
