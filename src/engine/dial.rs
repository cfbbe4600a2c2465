//! Clients over connections stacktop opens itself (an ssh process, a TLS
//! stream), for bollard to send its requests through.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bollard::{API_DEFAULT_VERSION, BollardRequest, Docker};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncRead, AsyncWrite};

/// Opens one connection to the engine; called for each connection the
/// client's pool needs.
pub trait Dial: Clone + Send + Sync + 'static {
    type Io: AsyncRead + AsyncWrite + Send + Unpin + 'static;

    fn dial(&self) -> impl Future<Output = io::Result<Self::Io>> + Send + 'static;
}

/// A client whose connections `dialer` opens. `address` only shapes the
/// request URIs.
pub fn client<D: Dial>(dialer: D, address: &str) -> anyhow::Result<Docker> {
    let client = Client::builder(TokioExecutor::new()).build(Dialer(dialer));
    let transport = move |request: BollardRequest| {
        let client = client.clone();
        async move {
            client
                .request(request)
                .await
                .map_err(|e| bollard::errors::Error::IOError {
                    // The innermost message: ssh's or the TLS library's.
                    err: io::Error::other(super::root_cause(&e)),
                })
        }
    };
    let docker = Docker::connect_with_custom_transport(
        transport,
        Some(address),
        super::REQUEST_TIMEOUT.as_secs(),
        API_DEFAULT_VERSION,
    )?;
    Ok(docker)
}

/// A [`Dial`] as hyper's connector.
#[derive(Clone)]
struct Dialer<D>(D);

type Dialing<T> = Pin<Box<dyn Future<Output = io::Result<Stream<T>>> + Send>>;

impl<D: Dial> tower_service::Service<hyper::Uri> for Dialer<D> {
    type Response = Stream<D::Io>;
    type Error = io::Error;
    type Future = Dialing<D::Io>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: hyper::Uri) -> Self::Future {
        let dialing = self.0.dial();
        Box::pin(async move { Ok(Stream(TokioIo::new(dialing.await?))) })
    }
}

/// A connection as hyper reads and writes it.
pub struct Stream<T>(TokioIo<T>);

impl<T> Connection for Stream<T> {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> hyper::rt::Read for Stream<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_read(cx, buf)
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> hyper::rt::Write for Stream<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_shutdown(cx)
    }
}
