//! A fake Docker engine on a unix socket, for the hostile-engine tests: it
//! answers `/_ping` and `/version` as an engine does, and the container
//! list as the test asks (garbage, or a list of many containers).

use std::path::PathBuf;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio::task::JoinHandle;

/// What the fake engine answers to `GET /containers/json`.
#[derive(Debug, Clone)]
pub enum ListAnswer {
    /// A 200 whose body is not JSON.
    Garbage,
    /// A 200 with this JSON body.
    Json(String),
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
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(answer(stream, Arc::clone(&list)));
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
    let (status, body) = if path.ends_with("/_ping") {
        ("200 OK", "OK".to_string())
    } else if path.contains("/version") {
        let version = r#"{"Version":"99.0.0","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64","Components":[{"Name":"Engine","Version":"99.0.0"}]}"#;
        ("200 OK", version.to_string())
    } else if path.contains("/containers/json") {
        match list.as_ref() {
            ListAnswer::Garbage => ("200 OK", "\u{1b}]0;pwned\u{7}{{{ not json".to_string()),
            ListAnswer::Json(body) => ("200 OK", body.clone()),
        }
    } else {
        ("404 Not Found", r#"{"message":"not here"}"#.to_string())
    };
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
}
