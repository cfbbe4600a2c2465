#![allow(clippy::unwrap_used)]
//! HTTP health checks as the app runs them: against the test stack's
//! `api` (200) and `failing-api` (503), a refused port, a server that never
//! answers, and a small server of the test's own that shows which paths a
//! guess asks.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use stacktop::collect::health::Checks;
use stacktop::event::Event;
use stacktop::model::{CheckResult, CheckSource, HealthCheck, Verdict};
use support::ports::{free_port, silent_listener};
use support::stack::{api_port, container_name, failing_port};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const INTERVAL: Duration = Duration::from_millis(300);
const TIMEOUT: Duration = Duration::from_secs(2);

fn check(urls: &[String], source: CheckSource) -> HealthCheck {
    HealthCheck {
        id: "test/check".into(),
        container_id: None,
        name: "check".into(),
        urls: urls.to_vec(),
        source,
    }
}

fn guessed(port: u16) -> Vec<String> {
    ["/health", "/healthz", "/actuator/health", "/"]
        .iter()
        .map(|path| format!("http://127.0.0.1:{port}{path}"))
        .collect()
}

/// One check running as the app runs it; stopped on drop.
struct Running {
    rx: mpsc::Receiver<Event>,
    _checks: Checks,
}

impl Running {
    fn start(check: HealthCheck) -> Self {
        let (tx, rx) = mpsc::channel(16);
        let mut checks = Checks::new(INTERVAL, TIMEOUT);
        checks.set(vec![check], &tx);
        Self {
            rx,
            _checks: checks,
        }
    }

    /// Results as they come, until `count` or `within`.
    async fn results(&mut self, count: usize, within: Duration) -> Vec<CheckResult> {
        let deadline = tokio::time::Instant::now() + within;
        let mut seen = Vec::new();
        while seen.len() < count {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(Event::Health { result, .. })) => seen.push(result),
                Ok(Some(other)) => panic!("not a health event: {other:?}"),
                _ => break,
            }
        }
        seen
    }
}

async fn results(check: HealthCheck, count: usize, within: Duration) -> Vec<CheckResult> {
    Running::start(check).results(count, within).await
}

async fn first(check: HealthCheck) -> CheckResult {
    let got = results(check, 1, Duration::from_secs(10)).await;
    got.into_iter().next().expect("a result within 10 s")
}

#[tokio::test]
async fn the_stack_s_api_answers_its_guessed_health_path() {
    container_name("api", 1);
    let result = first(check(&guessed(api_port()), CheckSource::Guessed)).await;
    assert_eq!(result.verdict, Verdict::Healthy, "{result:?}");
    assert!(result.text.starts_with("http 200 "), "{}", result.text);
    assert!(result.text.ends_with("ms"), "{}", result.text);
    assert_eq!(result.detail, "/health");
}

#[tokio::test]
async fn a_declared_503_is_failing() {
    container_name("failing-api", 1);
    let url = format!("http://127.0.0.1:{}/cgi-bin/health", failing_port());
    let result = first(check(&[url], CheckSource::Declared)).await;
    assert_eq!(
        (result.verdict, result.text.as_str()),
        (Verdict::Failing, "http 503")
    );
}

#[tokio::test]
async fn a_closed_port_is_refused() {
    let url = format!("http://127.0.0.1:{}/health", free_port());
    let result = first(check(&[url], CheckSource::Declared)).await;
    assert_eq!(
        (result.verdict, result.text.as_str()),
        (Verdict::Failing, "refused")
    );
}

#[tokio::test]
async fn a_server_that_never_answers_fails_at_the_timeout() {
    let url = format!("http://127.0.0.1:{}/health", silent_listener());
    let started = Instant::now();
    let result = first(check(&[url], CheckSource::Declared)).await;
    assert_eq!(result.verdict, Verdict::Failing);
    assert_eq!(result.text, "no answer in 2 s");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

/// A server answering 200 on `ok_path`, 302 to another host on
/// `/moved`, and 404 elsewhere; it records the paths asked.
async fn small_server(ok_path: &'static str) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = asked.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 2048];
            let n = stream.read(&mut buf).await.unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            let path = request.split(' ').nth(1).unwrap_or("").to_string();
            let method = request.split(' ').next().unwrap_or("").to_string();
            log.lock().unwrap().push(format!("{method} {path}"));
            let head = match path.as_str() {
                p if p == ok_path => "200 OK\r\n".to_string(),
                "/moved" => "302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\n".to_string(),
                _ => "404 Not Found\r\n".to_string(),
            };
            let answer = format!("HTTP/1.1 {head}Content-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    (port, asked)
}

#[tokio::test]
async fn a_guess_walks_past_404s_then_asks_only_the_path_that_answered() {
    let (port, asked) = small_server("/actuator/health").await;
    let mut running = Running::start(check(&guessed(port), CheckSource::Guessed));
    let seen = running.results(1, TIMEOUT * 3).await;
    assert_eq!(seen[0].verdict, Verdict::Healthy, "{seen:?}");
    assert_eq!(seen[0].detail, "/actuator/health");
    // Two more runs of the check (the result does not change, so none is
    // sent): only the path that answered is asked again.
    tokio::time::sleep(INTERVAL * 3).await;
    let asked = asked.lock().unwrap().clone();
    assert_eq!(
        &asked[..3],
        ["GET /health", "GET /healthz", "GET /actuator/health"]
    );
    assert!(asked.len() >= 5, "{asked:?}");
    assert!(
        asked[3..].iter().all(|a| a == "GET /actuator/health"),
        "{asked:?}"
    );
}

#[tokio::test]
async fn a_redirect_is_an_answer_and_is_not_followed() {
    let (port, asked) = small_server("/health").await;
    let url = format!("http://127.0.0.1:{port}/moved");
    let result = first(check(&[url], CheckSource::Declared)).await;
    assert_eq!(result.verdict, Verdict::Healthy, "{result:?}");
    assert!(result.text.starts_with("http 302"), "{}", result.text);
    assert!(asked.lock().unwrap().iter().all(|a| a == "GET /moved"));
}

#[tokio::test]
async fn a_guess_that_finds_nothing_says_so_and_stops() {
    let (port, asked) = small_server("/nothing-here").await;
    let seen = results(check(&guessed(port), CheckSource::Guessed), 2, TIMEOUT * 2).await;
    assert_eq!(seen.len(), 1, "one result, then the check stops: {seen:?}");
    assert_eq!(
        (seen[0].verdict, seen[0].text.as_str()),
        (Verdict::Unknown, "no health endpoint")
    );
    assert_eq!(asked.lock().unwrap().len(), 4, "each path once");
}
