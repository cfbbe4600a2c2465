//! Which engine to talk to, decided the way the `docker` CLI decides it.
//!
//! In order: `--context` or `--host` (never both), the config file's
//! `engines`, `DOCKER_HOST`, `DOCKER_CONTEXT`, the current context of
//! `$DOCKER_CONFIG/config.json`; and when none of them names an engine, the
//! well-known sockets of Docker, rootless Docker, Docker Desktop, Colima,
//! OrbStack, Rancher Desktop and Podman, the first that answers winning.
//! Pure: the environment and the files come in through [`Environment`], so
//! tests run over a temporary home.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The context the docker CLI calls the one without a context file.
pub const DEFAULT_CONTEXT: &str = "default";

/// Where the engine listens when nothing else is said.
pub const DEFAULT_SOCKET: &str = "unix:///var/run/docker.sock";

/// One engine to reach: its name and address, and TLS files if it has some.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The context's name; `default` for `DOCKER_HOST` or a socket found.
    pub name: String,
    /// `unix:///…`, `tcp://host:port`, `ssh://user@host:port`.
    pub host: String,
    pub tls: Option<TlsFiles>,
}

impl Endpoint {
    pub fn plain(name: &str, host: &str) -> Self {
        Self {
            name: name.to_string(),
            host: host.to_string(),
            tls: None,
        }
    }

    /// The socket path of a `unix://` endpoint.
    pub fn socket(&self) -> Option<&Path> {
        self.host.strip_prefix("unix://").map(Path::new)
    }

    /// Whether the engine runs on this machine: its cgroups can be read
    /// and its published ports are on this machine's loopback.
    pub fn is_local(&self) -> bool {
        self.socket().is_some()
    }

    /// The host whose addresses publish the engine's ports: `127.0.0.1`
    /// for a local engine, else the host part of `tcp://` or `ssh://`.
    pub fn ports_host(&self) -> String {
        let rest = self
            .host
            .split_once("://")
            .map_or(self.host.as_str(), |(_, rest)| rest);
        if self.is_local() || rest.is_empty() {
            return "127.0.0.1".to_string();
        }
        let authority = rest.split('/').next().unwrap_or(rest);
        let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
        let host = match authority.strip_prefix('[') {
            // `[::1]:2376`: an IPv6 address keeps its brackets in URLs.
            Some(v6) => v6.split(']').next().map(|a| format!("[{a}]")),
            None => authority.split(':').next().map(str::to_string),
        };
        host.filter(|h| !h.is_empty() && h != "localhost")
            .unwrap_or_else(|| "127.0.0.1".to_string())
    }

    /// `name (host)`, or the host alone for the default context.
    pub fn label(&self) -> String {
        if self.name == DEFAULT_CONTEXT {
            self.host.clone()
        } else {
            format!("{} ({})", self.name, self.host)
        }
    }
}

/// The client certificate and the CA of a TLS endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
    /// False only when a context says `SkipTLSVerify`.
    pub verify: bool,
}

impl TlsFiles {
    /// `ca.pem`, `cert.pem` and `key.pem` in `dir`, as the docker CLI
    /// names them.
    pub fn in_folder(dir: &Path, verify: bool) -> Self {
        Self {
            ca: dir.join("ca.pem"),
            cert: dir.join("cert.pem"),
            key: dir.join("key.pem"),
            verify,
        }
    }
}

/// What the resolution found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Named by a flag, a variable, the config file or a context: these
    /// engines, all of them, and no other.
    Chosen(Vec<Endpoint>),
    /// Nothing named one: the first of these sockets that answers.
    Search(Vec<Endpoint>),
}

impl Resolved {
    pub fn endpoints(&self) -> &[Endpoint] {
        match self {
            Self::Chosen(all) | Self::Search(all) => all,
        }
    }
}

/// What the choice depends on: variables, the home folder and the user.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub vars: HashMap<String, String>,
    pub home: Option<PathBuf>,
    /// The user's id, for `/run/user/<uid>` when `XDG_RUNTIME_DIR` is unset.
    pub uid: Option<u32>,
}

impl Environment {
    /// This process's variables, home and user.
    pub fn from_process() -> Self {
        use std::os::unix::fs::MetadataExt as _;
        Self {
            vars: std::env::vars().collect(),
            home: dirs::home_dir(),
            // `/proc/self` belongs to the user the process runs as.
            uid: std::fs::metadata("/proc/self").ok().map(|m| m.uid()),
        }
    }

    /// A variable, unless unset or blank.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// `$DOCKER_CONFIG`, else `~/.docker`.
    pub fn config_dir(&self) -> Option<PathBuf> {
        match self.var("DOCKER_CONFIG") {
            Some(dir) => Some(PathBuf::from(dir)),
            None => self.home.as_ref().map(|h| h.join(".docker")),
        }
    }

    fn runtime_dir(&self) -> Option<PathBuf> {
        match self.var("XDG_RUNTIME_DIR") {
            Some(dir) => Some(PathBuf::from(dir)),
            None => self
                .uid
                .map(|uid| PathBuf::from(format!("/run/user/{uid}"))),
        }
    }
}

/// What the user asked for: `--host`, `--context` and the config file's
/// `engines` (context names, or addresses with `://`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    pub hosts: Vec<String>,
    pub contexts: Vec<String>,
    pub from_file: Vec<String>,
}

/// The engines to reach, in the docker CLI's order (see the module).
pub fn resolve(request: &Request, env: &Environment) -> Result<Resolved> {
    if !request.hosts.is_empty() && !request.contexts.is_empty() {
        bail!("conflicting options: either specify --host or --context, not both");
    }
    let named: Vec<Result<Endpoint>> = if !request.contexts.is_empty() {
        request.contexts.iter().map(|c| context(c, env)).collect()
    } else if !request.hosts.is_empty() {
        request.hosts.iter().map(|h| from_host(h, env)).collect()
    } else if !request.from_file.is_empty() {
        request.from_file.iter().map(|e| entry(e, env)).collect()
    } else if let Some(host) = env.var("DOCKER_HOST") {
        vec![from_host(host, env)]
    } else if let Some(name) = env.var("DOCKER_CONTEXT") {
        vec![context(name, env)]
    } else {
        match current_context(env)? {
            Some(name) => vec![context(&name, env)],
            None => return Ok(Resolved::Search(well_known(env))),
        }
    };
    let mut endpoints: Vec<Endpoint> = named.into_iter().collect::<Result<_>>()?;
    // The same engine named twice would list every container twice.
    let mut seen = Vec::new();
    endpoints.retain(|e| {
        let new = !seen.contains(&e.host);
        seen.push(e.host.clone());
        new
    });
    Ok(Resolved::Chosen(endpoints))
}

/// A config file entry: an address when it has a scheme, else a context.
fn entry(entry: &str, env: &Environment) -> Result<Endpoint> {
    if entry.contains("://") {
        from_host(entry, env)
    } else {
        context(entry, env)
    }
}

/// An address given by `--host` or `DOCKER_HOST`, with TLS when
/// `DOCKER_TLS_VERIFY` asks for it (files from `DOCKER_CERT_PATH`, else
/// the config folder).
fn from_host(host: &str, env: &Environment) -> Result<Endpoint> {
    let host = normalise_host(host)?;
    let tls = match (env.var("DOCKER_TLS_VERIFY"), host.starts_with("tcp://")) {
        (Some(_), true) => {
            let dir = env
                .var("DOCKER_CERT_PATH")
                .map(PathBuf::from)
                .or_else(|| env.config_dir())
                .ok_or_else(|| anyhow!("DOCKER_TLS_VERIFY is set but no DOCKER_CERT_PATH"))?;
            Some(TlsFiles::in_folder(&dir, true))
        }
        _ => None,
    };
    Ok(Endpoint {
        name: DEFAULT_CONTEXT.to_string(),
        host,
        tls,
    })
}

/// Checks the scheme, and gives a bare `tcp://host` the docker CLI's port.
fn normalise_host(host: &str) -> Result<String> {
    let host = host.trim();
    let Some((scheme, rest)) = host.split_once("://") else {
        bail!("{host:?} is not an engine address (unix://, tcp:// or ssh://)");
    };
    match scheme {
        "unix" | "ssh" | "http" | "https" => Ok(host.to_string()),
        "tcp" if rest.contains(':') => Ok(host.to_string()),
        "tcp" => Ok(format!("tcp://{}:2375", rest.trim_end_matches('/'))),
        other => bail!("{host:?}: unknown scheme {other}:// (unix://, tcp:// or ssh://)"),
    }
}

#[derive(Debug, Deserialize)]
struct ConfigFile {
    #[serde(rename = "currentContext", default)]
    current_context: Option<String>,
}

/// `currentContext` of `config.json`, unless it is `default`.
fn current_context(env: &Environment) -> Result<Option<String>> {
    let Some(path) = env.config_dir().map(|d| d.join("config.json")) else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let file: ConfigFile =
        serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))?;
    Ok(file
        .current_context
        .filter(|c| !c.is_empty() && c != DEFAULT_CONTEXT))
}

#[derive(Debug, Deserialize)]
struct ContextMeta {
    #[serde(rename = "Endpoints", default)]
    endpoints: HashMap<String, ContextEndpoint>,
}

#[derive(Debug, Deserialize)]
struct ContextEndpoint {
    #[serde(rename = "Host", default)]
    host: Option<String>,
    #[serde(rename = "SkipTLSVerify", default)]
    skip_tls_verify: bool,
}

/// Context folders are named by the SHA-256 of the name, in hex.
pub fn context_folder(name: &str) -> String {
    Sha256::digest(name.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The engine of context `name`, from `contexts/meta/<sha256>/meta.json`
/// and the TLS files under `contexts/tls/<sha256>/docker/`.
fn context(name: &str, env: &Environment) -> Result<Endpoint> {
    if name == DEFAULT_CONTEXT {
        let host = env.var("DOCKER_HOST").unwrap_or(DEFAULT_SOCKET);
        return from_host(host, env);
    }
    let dir = env
        .config_dir()
        .ok_or_else(|| anyhow!("context {name:?}: no home folder to find contexts in"))?
        .join("contexts");
    let hash = context_folder(name);
    let meta_path = dir.join("meta").join(&hash).join("meta.json");
    let text = std::fs::read_to_string(&meta_path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => anyhow!(
            "context {name:?} not found ({} does not exist; see `docker context ls`)",
            meta_path.display()
        ),
        _ => anyhow!("context {name:?}: reading {}: {e}", meta_path.display()),
    })?;
    let meta: ContextMeta = serde_json::from_str(&text)
        .with_context(|| format!("context {name:?}: reading {}", meta_path.display()))?;
    let docker = meta
        .endpoints
        .get("docker")
        .ok_or_else(|| anyhow!("context {name:?} has no docker endpoint"))?;
    let host = docker
        .host
        .as_deref()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| anyhow!("context {name:?} names no host"))?;
    let tls_dir = dir.join("tls").join(&hash).join("docker");
    let tls = (host.starts_with("tcp://") && tls_dir.is_dir())
        .then(|| TlsFiles::in_folder(&tls_dir, !docker.skip_tls_verify));
    Ok(Endpoint {
        name: name.to_string(),
        host: normalise_host(host).with_context(|| format!("context {name:?}"))?,
        tls,
    })
}

/// The sockets engines listen on by default, in the order they are tried.
pub fn well_known(env: &Environment) -> Vec<Endpoint> {
    let home = env.home.as_deref();
    let runtime = env.runtime_dir();
    let mut paths: Vec<PathBuf> = vec![PathBuf::from("/var/run/docker.sock")];
    paths.extend(runtime.as_ref().map(|r| r.join("docker.sock")));
    if let Some(home) = home {
        paths.push(home.join(".docker/run/docker.sock"));
        paths.push(home.join(".docker/desktop/docker.sock"));
        paths.extend(colima_sockets(&home.join(".colima")));
        paths.push(home.join(".orbstack/run/docker.sock"));
        paths.push(home.join(".rd/docker.sock"));
    }
    paths.extend(runtime.map(|r| r.join("podman/podman.sock")));
    paths.push(PathBuf::from("/run/podman/podman.sock"));
    let mut endpoints: Vec<Endpoint> = Vec::new();
    for path in paths {
        let host = format!("unix://{}", path.display());
        if !endpoints.iter().any(|e| e.host == host) {
            endpoints.push(Endpoint::plain(DEFAULT_CONTEXT, &host));
        }
    }
    endpoints
}

/// `default/docker.sock` first, then every other Colima profile by name.
fn colima_sockets(colima: &Path) -> Vec<PathBuf> {
    let mut profiles: Vec<String> = std::fs::read_dir(colima)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("docker.sock").exists())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name != "default")
        .collect();
    profiles.sort();
    std::iter::once("default".to_string())
        .chain(profiles)
        .map(|p| colima.join(p).join("docker.sock"))
        .collect()
}

#[cfg(test)]
mod tests;
