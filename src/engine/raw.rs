//! Requests made to the engine outside bollard.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::{Engine, REQUEST_TIMEOUT};

/// Longest head of an answer read: past it the answer is no HTTP.
const HEAD_AT_MOST: usize = 64 * 1024;

/// The body of an answer, read as it arrives.
pub struct RawBody {
    stream: Box<dyn AsyncRead + Unpin + Send>,
    /// What came with the head.
    start: Vec<u8>,
}

impl RawBody {
    /// Appends the next piece of the body to `buf`; false at its end.
    pub async fn read(&mut self, buf: &mut Vec<u8>) -> Result<bool, String> {
        if !self.start.is_empty() {
            buf.append(&mut self.start);
            return Ok(true);
        }
        let mut piece = [0u8; 64 * 1024];
        let read = tokio::time::timeout(REQUEST_TIMEOUT, self.stream.read(&mut piece));
        match read.await {
            Err(_) => Err("the engine stopped answering".to_string()),
            Ok(Err(e)) => Err(format!("reading the engine's answer: {e}")),
            Ok(Ok(0)) => Ok(false),
            Ok(Ok(n)) => {
                buf.extend_from_slice(&piece[..n]);
                Ok(true)
            }
        }
    }

    /// The rest of the body, up to `limit` bytes.
    async fn rest(mut self, limit: usize) -> Result<Vec<u8>, String> {
        let mut body = Vec::new();
        while body.len() <= limit && self.read(&mut body).await? {}
        body.truncate(limit);
        Ok(body)
    }
}

impl Engine {
    /// Whether [`Engine::raw_get`] and [`Engine::raw_open`] can reach it:
    /// a unix socket or plain TCP.
    pub fn answers_raw(&self) -> bool {
        let host = self.endpoint();
        self.target().tls.is_none()
            && ["unix://", "tcp://", "http://"]
                .iter()
                .any(|s| host.starts_with(s))
    }

    /// A GET on the engine outside bollard, over a unix socket or plain
    /// TCP, for answers bollard cannot read.
    pub async fn raw_get(&self, path: &str) -> Result<Vec<u8>, String> {
        self.raw_open(path).await?.rest(usize::MAX).await
    }

    /// A GET whose 200 answer is read as it arrives; another status is
    /// an error with the engine's message.
    pub async fn raw_open(&self, path: &str) -> Result<RawBody, String> {
        let endpoint = self.endpoint();
        let stream: Box<dyn AsyncRead + Unpin + Send> =
            if let Some(socket) = endpoint.strip_prefix("unix://") {
                let stream = tokio::net::UnixStream::connect(socket)
                    .await
                    .map_err(|e| format!("connecting to {endpoint}: {e}"))?;
                Box::new(ask(stream, path).await?)
            } else if let Some(address) = endpoint
                .strip_prefix("tcp://")
                .or_else(|| endpoint.strip_prefix("http://"))
            {
                let stream = tokio::net::TcpStream::connect(address.trim_end_matches('/'))
                    .await
                    .map_err(|e| format!("connecting to {endpoint}: {e}"))?;
                Box::new(ask(stream, path).await?)
            } else {
                return Err(format!("cannot ask {endpoint} for {path}"));
            };
        let answer = tokio::time::timeout(REQUEST_TIMEOUT, answer(stream)).await;
        answer.map_err(|_| "the engine did not answer in time".to_string())?
    }
}

/// HTTP/1.0, so the engine closes the connection after a plain body.
async fn ask<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, path: &str) -> Result<S, String> {
    let request = format!("GET {path} HTTP/1.0\r\nHost: docker\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| format!("asking the engine: {e}"))?;
    Ok(stream)
}

/// Reads the head; the body follows.
async fn answer(stream: Box<dyn AsyncRead + Unpin + Send>) -> Result<RawBody, String> {
    let mut body = RawBody {
        stream,
        start: Vec::new(),
    };
    let mut head = Vec::new();
    let split = loop {
        if let Some(at) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if head.len() > HEAD_AT_MOST || !body.read(&mut head).await? {
            return Err("the engine's answer has no body".to_string());
        }
    };
    body.start = head.split_off(split + 4);
    let head = String::from_utf8_lossy(&head);
    let status = head.lines().next().unwrap_or_default().to_string();
    if status.split_whitespace().nth(1) == Some("200") {
        return Ok(body);
    }
    let text = body.rest(HEAD_AT_MOST).await.unwrap_or_default();
    Err(engine_message(&text).unwrap_or(format!("the engine answered {status}")))
}

/// The `message` of the engine's JSON error answer.
fn engine_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    Some(crate::text::one_line(value.get("message")?.as_str()?))
}
