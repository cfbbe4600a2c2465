//! HTTP for probes: management APIs (RabbitMQ, search engines) and the
//! `/health` endpoints of app services.
//!
//! Probes must not change what they measure and must never wander off the
//! host they were pointed at: GET only, no redirects followed, no proxy
//! from the environment, a short timeout, and a bounded body. Credentials
//! travel as basic auth and never appear in a message. The one action
//! over HTTP, purging a queue the user confirmed, is a DELETE.

use std::time::{Duration, Instant};

use reqwest::{Client, Method, StatusCode, redirect};
use url::Url;

use crate::model::mask_url;

/// Longest body read from an answer: a queue list of a busy broker fits.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// An answer: its status, body and how long it took.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Vec<u8>,
    pub elapsed: Duration,
}

/// Why a request failed, in one short phrase (`refused`, `timed out`…),
/// and whether the server refused the credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    pub short: String,
    /// The whole story, for the database view; no password in it.
    pub message: String,
    pub auth: bool,
}

/// A client for probes, shared by every probe of a kind.
#[derive(Debug, Clone)]
pub struct Http {
    client: Client,
    timeout: Duration,
}

impl Http {
    pub fn new(timeout: Duration) -> Self {
        let client = Client::builder()
            .redirect(redirect::Policy::none())
            .no_proxy()
            .timeout(timeout)
            .connect_timeout(timeout)
            .pool_max_idle_per_host(1)
            .user_agent(concat!("stacktop/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Self { client, timeout }
    }

    /// GET `url` (credentials in it become basic auth); any status is an
    /// answer, only a failure to get one is an error.
    pub async fn get(&self, url: &Url) -> Result<Answer, HttpError> {
        self.send(Method::GET, url).await
    }

    /// DELETE `url`, for an action the user confirmed.
    pub async fn delete(&self, url: &Url) -> Result<Answer, HttpError> {
        self.send(Method::DELETE, url).await
    }

    async fn send(&self, method: Method, url: &Url) -> Result<Answer, HttpError> {
        let started = Instant::now();
        let mut plain = url.clone();
        let _ = plain.set_username("");
        let _ = plain.set_password(None);
        let mut request = self.client.request(method, plain);
        if !url.username().is_empty() {
            let user = decoded(url.username());
            let password = url.password().map(decoded);
            request = request.basic_auth(user, password);
        }
        let response = request.send().await.map_err(|e| self.failure(url, &e))?;
        let status = response.status();
        let body = self.body(url, response).await?;
        Ok(Answer {
            status,
            body,
            elapsed: started.elapsed(),
        })
    }

    /// GET `url` and read a JSON answer; a status other than 2xx is an
    /// error naming it (401 and 403 as refused credentials).
    pub async fn json(&self, url: &Url) -> Result<serde_json::Value, HttpError> {
        let answer = self.get(url).await?;
        if !answer.status.is_success() {
            let auth = matches!(answer.status.as_u16(), 401 | 403);
            let short = format!("http {}", answer.status.as_u16());
            return Err(HttpError {
                message: format!("{}: answered {}", mask_url(url.as_str()), answer.status),
                short,
                auth,
            });
        }
        serde_json::from_slice(&answer.body).map_err(|e| HttpError {
            short: "not JSON".to_string(),
            message: format!("{}: the answer is not JSON ({e})", mask_url(url.as_str())),
            auth: false,
        })
    }

    async fn body(&self, url: &Url, mut response: reqwest::Response) -> Result<Vec<u8>, HttpError> {
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.failure(url, &e))? {
            let room = MAX_BODY.saturating_sub(body.len());
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if room < chunk.len() {
                break;
            }
        }
        Ok(body)
    }

    fn failure(&self, url: &Url, error: &reqwest::Error) -> HttpError {
        let short = if error.is_timeout() {
            format!("no answer in {} s", self.timeout.as_secs_f64())
        } else if error.is_connect() {
            "refused".to_string()
        } else if error.is_decode() || error.is_body() {
            "bad answer".to_string()
        } else {
            "not http".to_string()
        };
        HttpError {
            message: format!(
                "{}: {short} ({})",
                mask_url(url.as_str()),
                root_cause(error)
            ),
            short,
            auth: false,
        }
    }
}

fn decoded(text: &str) -> String {
    percent_decode(text)
}

/// `%40` back to `@`: the URL keeps its userinfo percent-encoded.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_decoded_for_basic_auth() {
        assert_eq!(percent_decode("s3cr%40t"), "s3cr@t");
        assert_eq!(percent_decode("plain"), "plain");
        assert_eq!(percent_decode("bad%zz"), "bad%zz");
    }

    #[tokio::test]
    async fn a_closed_port_is_refused_and_names_the_url_without_password() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let http = Http::new(Duration::from_secs(2));
        let url = Url::parse(&format!("http://u:topsecret@127.0.0.1:{port}/api")).unwrap();
        let error = http.get(&url).await.unwrap_err();
        assert_eq!(error.short, "refused");
        assert!(!error.message.contains("topsecret"), "{}", error.message);
        assert!(
            error.message.contains(&port.to_string()),
            "{}",
            error.message
        );
    }
}
