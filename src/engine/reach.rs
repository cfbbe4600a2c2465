//! Asking the chosen engines whether they answer, and saying why not.
//!
//! Every reason reads as what to do about it: no such file (the engine is
//! not installed or not started), permission denied (with the group to
//! join), refused, a TLS error, ssh's own message.

use std::io::ErrorKind;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;
use std::time::Duration;

use futures_util::future::join_all;

use super::endpoint::Resolved;
use super::{Engine, describe};

/// Longest wait for a ping: an ssh login takes a while.
const PING_TIMEOUT: Duration = Duration::from_secs(5);
const SSH_PING_TIMEOUT: Duration = Duration::from_secs(15);

/// What asking one endpoint gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// `name (host)`, or the host alone.
    pub endpoint: String,
    /// The engine's version, or why it did not answer.
    pub outcome: Result<String, String>,
}

/// The engines to follow: for a search the first socket that answers, for
/// a choice every engine named (those down are followed too, and show
/// their own banner) as long as one answers. When none does, the message
/// lists every endpoint tried with its reason.
pub async fn connect(resolved: Resolved) -> Result<Vec<Engine>, String> {
    match resolved {
        Resolved::Search(candidates) => {
            let mut attempts = Vec::new();
            for (at, endpoint) in candidates.iter().enumerate() {
                let engine = Engine::new(endpoint.clone());
                let outcome = attempt(&engine).await;
                let answered = outcome.is_ok();
                attempts.push(Attempt {
                    endpoint: endpoint.label(),
                    outcome,
                });
                if answered {
                    let mut others = candidates.clone();
                    others.remove(at);
                    return Ok(vec![engine.with_alternatives(others)]);
                }
            }
            Err(nothing_answered(&attempts))
        }
        Resolved::Chosen(endpoints) => {
            let engines: Vec<Engine> = endpoints.into_iter().map(Engine::new).collect();
            let outcomes = join_all(engines.iter().map(attempt)).await;
            if outcomes.iter().any(Result::is_ok) {
                return Ok(engines);
            }
            let attempts: Vec<Attempt> = engines
                .iter()
                .zip(outcomes)
                .map(|(engine, outcome)| Attempt {
                    endpoint: engine.target().label(),
                    outcome,
                })
                .collect();
            Err(nothing_answered(&attempts))
        }
    }
}

/// Why each of the engine's alternatives does not answer, or that it
/// does: said in the banner when the engine found by search goes away.
pub async fn alternatives(engine: &Engine) -> Vec<Attempt> {
    let mut attempts = Vec::new();
    for endpoint in engine.alternatives() {
        let other = Engine::new(endpoint.clone());
        attempts.push(Attempt {
            endpoint: endpoint.label(),
            outcome: attempt(&other).await,
        });
    }
    attempts
}

/// Pings `engine`: its version, or why it does not answer.
pub async fn attempt(engine: &Engine) -> Result<String, String> {
    if let Some(socket) = engine.target().socket() {
        socket_problem(socket)?;
    }
    let timeout = if engine.endpoint().starts_with("ssh://") {
        SSH_PING_TIMEOUT
    } else {
        PING_TIMEOUT
    };
    let asked = tokio::time::timeout(timeout, async {
        let docker = engine.client().await.map_err(|e| format!("{e:#}"))?;
        docker.version().await.map_err(|e| describe(&e))
    })
    .await;
    match asked {
        Ok(Ok(version)) => Ok(version.version.unwrap_or_default()),
        Ok(Err(error)) => Err(reason(&error)),
        Err(_) => Err(format!("no answer within {} s", timeout.as_secs())),
    }
}

/// What is wrong with a socket before anything is sent: missing, not
/// ours to open, or nobody listening.
fn socket_problem(path: &Path) -> Result<(), String> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Err("no such file".to_string()),
        Err(e) if e.kind() == ErrorKind::PermissionDenied => {
            return Err(permission_denied(path, None));
        }
        Err(e) => return Err(e.to_string()),
    };
    match std::os::unix::net::UnixStream::connect(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::PermissionDenied => {
            Err(permission_denied(path, Some(meta.gid())))
        }
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
            Err("refused: nothing listens on it (is the engine running?)".to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// `permission denied: join group docker (…)`, naming the socket's group.
fn permission_denied(path: &Path, gid: Option<u32>) -> String {
    let group = gid.and_then(group_name);
    match group.as_deref() {
        Some("root") | None => format!(
            "permission denied: {} is not yours to open (run as its owner, or use your own rootless socket)",
            path.display()
        ),
        Some(group) => format!(
            "permission denied: join the group `{group}` (`sudo usermod -aG {group} $USER`, then log in again)"
        ),
    }
}

/// The name of group `gid`, from `/etc/group`.
fn group_name(gid: u32) -> Option<String> {
    let groups = std::fs::read_to_string("/etc/group").ok()?;
    groups.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id = fields.nth(1)?;
        (id.parse() == Ok(gid)).then(|| name.to_string())
    })
}

/// An engine error as a reason: TLS and refusals named as such.
fn reason(error: &str) -> String {
    let lower = error.to_lowercase();
    if ["certificate", "tls", "handshake", "unknownissuer"]
        .iter()
        .any(|w| lower.contains(w))
    {
        format!("TLS error: {error}")
    } else if lower.contains("connection refused") {
        format!("refused: {error}")
    } else {
        error.to_string()
    }
}

/// The message when no engine answers: every endpoint with its reason,
/// then how to choose one.
pub fn nothing_answered(attempts: &[Attempt]) -> String {
    let width = attempts
        .iter()
        .map(|a| a.endpoint.chars().count())
        .max()
        .unwrap_or(0);
    let mut text = String::from("no container engine answered. Tried:\n");
    for attempt in attempts {
        let why = match &attempt.outcome {
            Ok(version) => format!("answers (engine {version})"),
            Err(reason) => reason.clone(),
        };
        text.push_str(&format!("  {:width$}  {why}\n", attempt.endpoint));
    }
    text.push_str(CHOOSING);
    text
}

/// How to point stacktop at an engine.
pub const CHOOSING: &str = "Choose an engine with --host URL (or DOCKER_HOST), \
--context NAME (or DOCKER_CONTEXT, or `docker context use NAME`; see `docker context ls`), \
or `engines = [...]` in stacktop.toml.";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Endpoint;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("stacktop-reach-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp folder");
        dir
    }

    #[test]
    fn a_missing_socket_is_no_such_file() {
        let dir = temp("missing");
        assert_eq!(
            socket_problem(&dir.join("docker.sock")),
            Err("no such file".to_string())
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_socket_nobody_listens_on_is_refused() {
        let dir = temp("refused");
        let path = dir.join("docker.sock");
        drop(std::os::unix::net::UnixListener::bind(&path).expect("bind"));
        let problem = socket_problem(&path).expect_err("nobody listens");
        assert!(problem.starts_with("refused"), "{problem}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn permission_denied_names_the_group_to_join() {
        let text = permission_denied(Path::new("/var/run/docker.sock"), Some(0));
        assert!(text.contains("not yours"), "{text}");
        let groups = std::fs::read_to_string("/etc/group").unwrap_or_default();
        if let Some(gid) = groups
            .lines()
            .find(|l| !l.starts_with("root:"))
            .and_then(|l| l.split(':').nth(2))
            .and_then(|g| g.parse().ok())
        {
            let text = permission_denied(Path::new("/x.sock"), Some(gid));
            assert!(text.contains("sudo usermod -aG"), "{text}");
        }
    }

    #[test]
    fn tls_and_refusals_are_named() {
        assert!(reason("invalid peer certificate: UnknownIssuer").starts_with("TLS error"));
        assert!(reason("Connection refused (os error 111)").starts_with("refused"));
        assert_eq!(reason("ssh: Permission denied"), "ssh: Permission denied");
    }

    #[test]
    fn the_message_lists_every_endpoint_and_how_to_choose() {
        let attempts = [
            Attempt {
                endpoint: "unix:///var/run/docker.sock".into(),
                outcome: Err("no such file".into()),
            },
            Attempt {
                endpoint: "desktop (unix:///d.sock)".into(),
                outcome: Err("refused: nothing listens on it".into()),
            },
        ];
        let text = nothing_answered(&attempts);
        assert!(
            text.contains("unix:///var/run/docker.sock  no such file"),
            "{text}"
        );
        assert!(
            text.contains("desktop (unix:///d.sock)     refused"),
            "{text}"
        );
        assert!(
            text.contains("--host") && text.contains("--context"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn a_search_with_nothing_answering_lists_each_socket() {
        let dir = temp("search");
        let refused = dir.join("refused.sock");
        drop(std::os::unix::net::UnixListener::bind(&refused).expect("bind"));
        let candidates = vec![
            Endpoint::plain("default", &format!("unix://{}/none.sock", dir.display())),
            Endpoint::plain("default", &format!("unix://{}", refused.display())),
        ];
        let error = connect(Resolved::Search(candidates))
            .await
            .expect_err("nothing answers");
        let line = |name: &str| {
            error
                .lines()
                .find(|l| l.contains(name))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        assert_eq!(line("none.sock"), "no such file", "{error}");
        assert!(line("refused.sock").starts_with("refused"), "{error}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
