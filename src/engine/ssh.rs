//! `ssh://` engines, reached as the docker CLI reaches them: each
//! connection runs `ssh … docker system dial-stdio` on the engine's host
//! and speaks HTTP over the process's stdin and stdout.
//!
//! The system's `ssh` does the login, so keys, agents, `~/.ssh/config`
//! (ports, jump hosts, `ControlMaster`) all apply. It runs in batch mode:
//! a password prompt would land on the screen stacktop draws, so a host
//! that needs one fails with ssh's own message instead.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::process::Stdio;
use std::sync::Arc;
use std::task::{Context, Poll};

use anyhow::{Result, bail};
use bollard::Docker;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command};

use super::dial::{self, Dial};

/// Where to log in, from `ssh://[user@]host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub user: Option<String>,
    pub host: String,
    pub port: Option<u16>,
}

impl Destination {
    pub fn parse(address: &str) -> Result<Self> {
        let Some(rest) = address.strip_prefix("ssh://") else {
            bail!("{address:?} is not an ssh:// address");
        };
        let authority = rest.split('/').next().unwrap_or_default();
        let (user, host_port) = match authority.rsplit_once('@') {
            Some((user, rest)) => (Some(user.to_string()), rest),
            None => (None, authority),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || host.starts_with('[') => {
                let port = port
                    .parse()
                    .map_err(|_| anyhow::anyhow!("{address:?}: {port:?} is not a port"))?;
                (host, Some(port))
            }
            _ => (host_port, None),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            bail!("{address:?} names no host");
        }
        Ok(Self {
            user,
            host: host.to_string(),
            port,
        })
    }

    /// The arguments of `ssh`, as the docker CLI passes them.
    pub fn ssh_args(&self) -> Vec<String> {
        let mut args: Vec<String> = ["-o", "ConnectTimeout=10", "-o", "BatchMode=yes", "-T"]
            .map(String::from)
            .to_vec();
        if let Some(user) = &self.user {
            args.extend(["-l".to_string(), user.clone()]);
        }
        if let Some(port) = self.port {
            args.extend(["-p".to_string(), port.to_string()]);
        }
        args.extend(["--", &self.host, "docker", "system", "dial-stdio"].map(String::from));
        args
    }
}

/// A client whose every connection is a `dial-stdio` over ssh.
pub fn connect(address: &str) -> Result<Docker> {
    let destination = Arc::new(Destination::parse(address)?);
    dial::client(SshDialer(destination), "http://engine-over-ssh")
}

/// Starts one `ssh` per connection.
#[derive(Clone)]
struct SshDialer(Arc<Destination>);

impl Dial for SshDialer {
    type Io = Pipe;

    fn dial(&self) -> impl Future<Output = io::Result<Pipe>> + Send + 'static {
        let destination = self.0.clone();
        async move {
            let mut ssh = Command::new("ssh");
            ssh.args(destination.ssh_args())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let (mut child, group) = crate::child::spawn(&mut ssh)
                .map_err(|e| io::Error::new(e.kind(), format!("running ssh: {e}")))?;
            Ok(Pipe {
                stdin: child
                    .stdin
                    .take()
                    .ok_or_else(|| io::Error::other("no stdin"))?,
                stdout: child
                    .stdout
                    .take()
                    .ok_or_else(|| io::Error::other("no stdout"))?,
                stderr: child.stderr.take(),
                said: Vec::new(),
                answered: false,
                _child: child,
                _group: group,
            })
        }
    }
}

/// The ssh process as one byte stream. When it ends before the engine
/// said anything, reading fails with what ssh wrote to stderr.
struct Pipe {
    stdin: ChildStdin,
    stdout: ChildStdout,
    stderr: Option<ChildStderr>,
    said: Vec<u8>,
    answered: bool,
    _child: Child,
    /// Ends ssh (and what it started) when the connection goes.
    _group: crate::child::Group,
}

impl Pipe {
    /// Reads ssh's stderr to its end (the process has exited).
    fn poll_stderr(&mut self, cx: &mut Context<'_>) -> Poll<String> {
        while let Some(stderr) = self.stderr.as_mut() {
            let mut chunk = [0u8; 512];
            let mut buf = ReadBuf::new(&mut chunk);
            match Pin::new(stderr).poll_read(cx, &mut buf) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(())) if !buf.filled().is_empty() => {
                    if self.said.len() < 4096 {
                        self.said.extend_from_slice(buf.filled());
                    }
                }
                Poll::Ready(_) => self.stderr = None,
            }
        }
        let text = String::from_utf8_lossy(&self.said);
        let text = crate::text::one_line(text.trim());
        Poll::Ready(if text.is_empty() {
            "ssh ended before the engine answered".to_string()
        } else {
            format!("ssh: {text}")
        })
    }
}

impl AsyncRead for Pipe {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.stdout).poll_read(cx, buf) {
            Poll::Ready(Ok(())) if buf.filled().len() == before && !this.answered => {
                match this.poll_stderr(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(text) => {
                        Poll::Ready(Err(io::Error::new(io::ErrorKind::ConnectionAborted, text)))
                    }
                }
            }
            Poll::Ready(Ok(())) => {
                this.answered = true;
                Poll::Ready(Ok(()))
            }
            other => other,
        }
    }
}

impl AsyncWrite for Pipe {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stdin).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stdin).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stdin).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_into_user_host_and_port() {
        let d = Destination::parse("ssh://dev@box.lan:2222").expect("parses");
        assert_eq!(d.user.as_deref(), Some("dev"));
        assert_eq!(d.host, "box.lan");
        assert_eq!(d.port, Some(2222));
        let d = Destination::parse("ssh://box").expect("parses");
        assert_eq!((d.user, d.port), (None, None));
        let d = Destination::parse("ssh://root@[::1]:22").expect("parses");
        assert_eq!(d.host, "::1");
        assert!(Destination::parse("ssh://").is_err());
        assert!(Destination::parse("ssh://a:b").is_err());
    }

    #[test]
    fn ssh_runs_dial_stdio_in_batch_mode() {
        let d = Destination::parse("ssh://dev@box:2222").expect("parses");
        let args = d.ssh_args().join(" ");
        assert!(args.contains("BatchMode=yes"), "{args}");
        assert!(
            args.ends_with("-l dev -p 2222 -- box docker system dial-stdio"),
            "{args}"
        );
    }
}
