//! `tcp://` engines over TLS, as `DOCKER_TLS_VERIFY` or a context's TLS
//! files ask: the engine's certificate verified against the CA given, and
//! the client's certificate presented.
//!
//! Sessions are never resumed: each connection does a full handshake. It
//! costs a round trip, and it works with every TLS terminator in front of
//! an engine (socat, stunnel, older proxies), some of which refuse a
//! resumption when they verify clients.

use std::future::Future;
use std::io;
use std::sync::Arc;

use anyhow::{Context as _, Result, anyhow, bail};
use bollard::Docker;
use rustls::ClientConfig;
use rustls::client::Resumption;
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::TlsFiles;
use super::dial::{self, Dial};

/// A client for `tcp://host:port` over TLS with `files`.
pub fn connect(host: &str, files: &TlsFiles) -> Result<Docker> {
    if !files.verify {
        bail!(
            "the context turns TLS verification off (SkipTLSVerify), which stacktop does not do: \
             give the engine's CA to the context instead"
        );
    }
    let address = host
        .strip_prefix("tcp://")
        .or_else(|| host.strip_prefix("https://"))
        .unwrap_or(host)
        .trim_end_matches('/')
        .to_string();
    let name = address
        .rsplit_once(':')
        .map_or(address.as_str(), |(name, _)| name)
        .trim_start_matches('[')
        .trim_end_matches(']');
    let server = ServerName::try_from(name.to_string())
        .map_err(|_| anyhow!("{name:?} is not a host name to verify a certificate for"))?;
    let dialer = TlsDialer {
        address: Arc::from(address.as_str()),
        server,
        connector: TlsConnector::from(Arc::new(config(files)?)),
    };
    dial::client(dialer, &format!("https://{address}"))
}

/// Trusts the CA given (and only it) and presents the client certificate.
fn config(files: &TlsFiles) -> Result<ClientConfig> {
    let read = |what: &str, path: &std::path::Path| {
        if path.is_file() {
            Ok(())
        } else {
            Err(anyhow!("TLS {what} {} not found", path.display()))
        }
    };
    read("CA", &files.ca)?;
    read("certificate", &files.cert)?;
    read("key", &files.key)?;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(&files.ca)
        .with_context(|| format!("reading {}", files.ca.display()))?
    {
        roots
            .add(cert.with_context(|| format!("reading {}", files.ca.display()))?)
            .with_context(|| format!("the CA in {}", files.ca.display()))?;
    }
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|certs| certs.collect())
        .with_context(|| format!("reading {}", files.cert.display()))?;
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .with_context(|| format!("reading {}", files.key.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS versions")?
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, key)
        .context("the client certificate and key do not go together")?;
    config.resumption = Resumption::disabled();
    Ok(config)
}

/// Opens a TCP connection and does the TLS handshake on it.
#[derive(Clone)]
struct TlsDialer {
    address: Arc<str>,
    server: ServerName<'static>,
    connector: TlsConnector,
}

impl Dial for TlsDialer {
    type Io = TlsStream<TcpStream>;

    fn dial(&self) -> impl Future<Output = io::Result<Self::Io>> + Send + 'static {
        let this = self.clone();
        async move {
            let tcp = TcpStream::connect(&*this.address).await?;
            this.connector.connect(this.server.clone(), tcp).await
        }
    }
}
