//! A fake Docker engine on a unix socket, for the hostile-engine tests: it
//! answers `/_ping` and `/version` as an engine does, and the container
//! list as the test asks (garbage, a list of many containers, or a whole
//! [`FakeFleet`] that is also inspected, followed and sampled).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio::task::JoinHandle;

use super::fake_fleet::FakeFleet;

/// What the fake engine answers to `GET /containers/json`.
#[derive(Debug, Clone)]
pub enum ListAnswer {
    /// A 200 whose body is not JSON.
    Garbage,
    /// A 200 with this JSON body.
    Json(String),
    /// The fleet's list; its containers' inspect and stats answers, and
    /// an event stream that stays open (with no event).
    Fleet(Arc<FakeFleet>),
}

pub struct FakeEngine {
    pub socket: PathBuf,
    server: JoinHandle<()>,
}

impl FakeEngine {
    /// Listens on a fresh socket under the temp folder.
    pub fn start(purpose: &str, list: ListAnswer) -> Self {
        let socket = std::env::temp_dir().join(format!(
            "stacktop-fake-{purpose}-{}.sock",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&socket);
        let listener = UnixListener::bind(&socket).expect("binding the fake engine's socket");
        let list = Arc::new(list);
        let server = tokio::spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => drop(tokio::spawn(answer(stream, Arc::clone(&list)))),
                    // Out of descriptors: answer again once some are closed.
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
                }
            }
        });
        Self { socket, server }
    }

    /// `unix:///…`, for an `Engine`.
    pub fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }
}

impl Drop for FakeEngine {
    fn drop(&mut self) {
        self.server.abort();
        let _ = std::fs::remove_file(&self.socket);
    }
}

async fn answer(mut stream: UnixStream, list: Arc<ListAnswer>) {
    let mut request = Vec::new();
    let mut chunk = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&request);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    if let ListAnswer::Fleet(fleet) = list.as_ref() {
        return answer_fleet(stream, fleet, &path).await;
    }
    let (status, body) = if path.ends_with("/_ping") {
        ("200 OK", "OK".to_string())
    } else if path.contains("/version") {
        ("200 OK", VERSION.to_string())
    } else if path.contains("/containers/json") {
        match list.as_ref() {
            ListAnswer::Garbage => ("200 OK", "\u{1b}]0;pwned\u{7}{{{ not json".to_string()),
            ListAnswer::Json(body) => ("200 OK", body.clone()),
            ListAnswer::Fleet(_) => unreachable!("answered above"),
        }
    } else {
        not_found()
    };
    reply(&mut stream, status, body.as_bytes()).await;
}

const VERSION: &str = r#"{"Version":"99.0.0","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64","Components":[{"Name":"Engine","Version":"99.0.0"}]}"#;

fn not_found() -> (&'static str, String) {
    ("404 Not Found", r#"{"message":"not here"}"#.to_string())
}

/// A whole answer, then the connection closed.
async fn reply(stream: &mut UnixStream, status: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body).await;
    let _ = stream.shutdown().await;
}

/// Streams held open at most; past them the fake engine answers 503, so
/// that a client opening one per container cannot take every descriptor
/// of the test.
const HELD_AT_MOST: usize = 1000;
static HELD: AtomicUsize = AtomicUsize::new(0);

/// An answer with no length that stays open, as the engine's streams
/// do, until the client goes.
async fn hold_open(mut stream: UnixStream, first: &str) {
    if HELD.fetch_add(1, Ordering::SeqCst) >= HELD_AT_MOST {
        HELD.fetch_sub(1, Ordering::SeqCst);
        let busy = br#"{"message":"too many streams"}"#;
        return reply(&mut stream, "503 Service Unavailable", busy).await;
    }
    hold(stream, first).await;
    HELD.fetch_sub(1, Ordering::SeqCst);
}

async fn hold(mut stream: UnixStream, first: &str) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\nConnection: close\r\n\r\n";
    if stream.write_all(head.as_bytes()).await.is_err()
        || stream.write_all(first.as_bytes()).await.is_err()
    {
        return;
    }
    let mut chunk = [0u8; 256];
    while matches!(stream.read(&mut chunk).await, Ok(n) if n > 0) {}
}

/// What the fleet's engine answers to `path`.
async fn answer_fleet(mut stream: UnixStream, fleet: &FakeFleet, path: &str) {
    let path = path.split('?').next().unwrap_or_default();
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    // Past the API version, `/v1.41/…`, when there is one.
    let parts = match parts.split_first() {
        Some((first, rest)) if first.starts_with("v1.") => rest,
        _ => &parts[..],
    };
    let found = match parts {
        ["_ping"] => Some("OK".to_string()),
        ["version"] => Some(VERSION.to_string()),
        ["containers", "json"] => {
            return reply(&mut stream, "200 OK", &fleet.list).await;
        }
        ["containers", id, "json"] => fleet.inspect(id),
        ["containers", id, "stats"] => match fleet.stats(id) {
            Some(sample) => return hold_open(stream, &format!("{sample}\n")).await,
            None => None,
        },
        ["events"] => return hold_open(stream, "").await,
        _ => None,
    };
    let (status, body) = match found {
        Some(body) => ("200 OK", body),
        None => not_found(),
    };
    reply(&mut stream, status, body.as_bytes()).await;
}
