//! Requests made to the engine outside bollard.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::Engine;

impl Engine {
    /// A GET on the engine outside bollard, over a unix socket or plain
    /// TCP, for answers bollard cannot read.
    pub async fn raw_get(&self, path: &str) -> Result<Vec<u8>, String> {
        let endpoint = self.endpoint();
        if let Some(socket) = endpoint.strip_prefix("unix://") {
            let stream = tokio::net::UnixStream::connect(socket)
                .await
                .map_err(|e| format!("connecting to {endpoint}: {e}"))?;
            exchange(stream, path).await
        } else if let Some(address) = endpoint
            .strip_prefix("tcp://")
            .or_else(|| endpoint.strip_prefix("http://"))
        {
            let stream = tokio::net::TcpStream::connect(address.trim_end_matches('/'))
                .await
                .map_err(|e| format!("connecting to {endpoint}: {e}"))?;
            exchange(stream, path).await
        } else {
            Err(format!("cannot ask {endpoint} for {path}"))
        }
    }
}

/// HTTP/1.0, so the engine closes the connection after a plain body.
async fn exchange(
    mut stream: impl AsyncRead + AsyncWrite + Unpin,
    path: &str,
) -> Result<Vec<u8>, String> {
    let request = format!("GET {path} HTTP/1.0\r\nHost: docker\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| format!("asking the engine: {e}"))?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .await
        .map_err(|e| format!("reading the engine's answer: {e}"))?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("the engine's answer has no body")?;
    let head = String::from_utf8_lossy(&response[..split]);
    let status = head.lines().next().unwrap_or_default();
    if status.split_whitespace().nth(1) != Some("200") {
        return Err(format!("the engine answered {status}"));
    }
    Ok(response[split + 4..].to_vec())
}
