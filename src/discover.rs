//! Finding the targets of a stack with no configuration.
//!
//! A container is a target of a kind (see `TargetKind::info`) when its
//! image looks like one or it exposes the kind's port: PostgreSQL 5432,
//! Redis 6379, RabbitMQ's management API 15672, Elasticsearch or
//! OpenSearch 9200. stacktop connects through the port the engine publishes
//! (on this machine's loopback for a local engine, on the engine's host for
//! a remote one), with credentials from the container's environment or
//! command, or from the compose project's `.env` URLs. Pure functions: the
//! collector already read what they need.

pub mod health;

use url::Url;

use crate::model::{Container, PortMapping, Target, TargetKind, TargetOrigin};

/// Where each engine's published ports are reached, by `EngineId`; an
/// engine missing here is local (`127.0.0.1`).
pub type PortsHosts<'a> = &'a [String];

/// Every engine local: ports on this machine's loopback.
pub const LOCAL: PortsHosts<'static> = &[];

/// The host whose address publishes `c`'s ports.
pub fn ports_host<'a>(hosts: PortsHosts<'a>, c: &Container) -> &'a str {
    hosts
        .get(c.engine.index())
        .map_or("127.0.0.1", String::as_str)
}

/// Every target found in `containers` (running ones only: a stopped
/// container has no published port to reach).
pub fn discover(containers: &[Container], hosts: PortsHosts<'_>) -> Vec<Target> {
    containers
        .iter()
        .filter_map(|c| target_of_container(c, hosts))
        .collect()
}

/// The target `c` is, if it is one and runs; a container whose inspect
/// has not come yet is none yet (its credentials are not known).
pub fn target_of_container(c: &Container, hosts: PortsHosts<'_>) -> Option<Target> {
    let ready = c.state.is_running() && !c.spec.listed_only;
    ready.then(|| target_of(c, ports_host(hosts, c)))?
}

/// The kind of target `c` runs, if any: by image first, then by port.
pub fn kind_of(c: &Container) -> Option<TargetKind> {
    let image = image_name(c);
    let exposes = |port| {
        c.spec.exposed_ports.contains(&port) || c.ports.iter().any(|p| p.container_port == port)
    };
    let by_image = TargetKind::ALL
        .into_iter()
        .find(|k| k.info().images.iter().any(|n| image.contains(n)));
    by_image.or_else(|| TargetKind::ALL.into_iter().find(|k| exposes(k.info().port)))
}

/// The image's name, lower case, without its tag.
pub fn image_name(c: &Container) -> String {
    let image = c.image.to_lowercase();
    match image.rsplit_once(':') {
        // A registry port (`host:5000/x`) is no tag.
        Some((name, tag)) if !tag.contains('/') => name.to_string(),
        _ => image,
    }
}

fn target_of(c: &Container, host: &str) -> Option<Target> {
    let kind = kind_of(c)?;
    let host_port = published_on(&c.ports, kind.info().port, host)?;
    let at = Published {
        host,
        port: host_port,
    };
    let url = match kind {
        TargetKind::Postgres => postgres_url(c, at),
        TargetKind::Redis => redis_url(c, at),
        TargetKind::RabbitMq => rabbit_url(c, at),
        TargetKind::Search => search_url(c, at),
    };
    let name = c.service.clone().unwrap_or_else(|| c.name.clone());
    let id = target_id(kind, &c.project, &name);
    Some(Target {
        id: on_engine(id, c),
        kind,
        name,
        url,
        container_id: Some(c.id.clone()),
        origin: TargetOrigin::Discovered,
    })
}

/// An id made unique across engines: the first engine's as is, another's
/// with `@N` (the same project can run on two engines).
pub fn on_engine(id: String, c: &Container) -> String {
    match c.engine.0 {
        0 => id,
        n => format!("{id}@{n}"),
    }
}

/// `pg:project/service`: stable across restarts of the container.
pub fn target_id(kind: TargetKind, project: &Option<String>, name: &str) -> String {
    let prefix = kind.info().short;
    match project {
        Some(p) => format!("{prefix}:{p}/{name}"),
        None => format!("{prefix}:{name}"),
    }
}

/// Where a port is reached: the engine's host and the published port.
#[derive(Debug, Clone, Copy)]
struct Published<'a> {
    host: &'a str,
    port: u16,
}

/// The host port that `container_port` is published on, reachable at
/// `host`: bound to all addresses, to `host` itself, or to loopback when
/// `host` is this machine's loopback.
pub fn published_on(ports: &[PortMapping], container_port: u16, host: &str) -> Option<u16> {
    ports
        .iter()
        .filter(|p| p.container_port == container_port)
        .find(|p| reachable_at(p, host))
        .map(|p| p.host_port)
}

/// Whether the TCP port `p` publishes can be reached at `host`.
pub fn reachable_at(p: &PortMapping, host: &str) -> bool {
    p.protocol == "tcp"
        && match p.host_ip.as_str() {
            "" | "0.0.0.0" | "::" => true,
            "127.0.0.1" | "::1" => is_loopback(host),
            bound => bound == unbracketed(host),
        }
}

/// `localhost` or a loopback address (`127.0.0.1`, `[::1]`); a name that
/// only starts like one (`127.example.com`) is none.
pub fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || unbracketed(host)
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// An IPv6 address without its URL brackets.
fn unbracketed(host: &str) -> &str {
    host.trim_start_matches('[').trim_end_matches(']')
}

fn postgres_url(c: &Container, at: Published<'_>) -> String {
    let env = |k| c.spec.env_var(k).filter(|v| !v.is_empty());
    if let (None, Some(from_dotenv)) = (
        env("POSTGRES_PASSWORD"),
        dotenv_match(c, at.port, &["postgres", "postgresql"]),
    ) {
        return relocate(&from_dotenv, at);
    }
    let user = env("POSTGRES_USER").unwrap_or("postgres");
    let db = env("POSTGRES_DB").unwrap_or(user);
    let mut url = base_url("postgres", at);
    let _ = url.set_username(user);
    let _ = url.set_password(env("POSTGRES_PASSWORD"));
    url.set_path(db);
    url.to_string()
}

fn redis_url(c: &Container, at: Published<'_>) -> String {
    let password = requirepass(&c.spec.command)
        .or_else(|| c.spec.env_var("REDIS_PASSWORD").map(str::to_string))
        .filter(|p| !p.is_empty());
    if password.is_none()
        && let Some(from_dotenv) = dotenv_match(c, at.port, &["redis", "rediss"])
    {
        return relocate(&from_dotenv, at);
    }
    let mut url = base_url("redis", at);
    let _ = url.set_password(password.as_deref());
    url.to_string()
}

/// The management API, as `RABBITMQ_DEFAULT_USER` / `_PASS` say (else
/// RabbitMQ's own guest).
fn rabbit_url(c: &Container, at: Published<'_>) -> String {
    let env = |k| c.spec.env_var(k).filter(|v| !v.is_empty());
    let mut url = base_url("http", at);
    let _ = url.set_username(env("RABBITMQ_DEFAULT_USER").unwrap_or("guest"));
    let _ = url.set_password(Some(env("RABBITMQ_DEFAULT_PASS").unwrap_or("guest")));
    url.to_string()
}

/// The search cluster's API; as `elastic` with `ELASTIC_PASSWORD` when
/// security is on.
fn search_url(c: &Container, at: Published<'_>) -> String {
    let mut url = base_url("http", at);
    if let Some(password) = c.spec.env_var("ELASTIC_PASSWORD").filter(|v| !v.is_empty()) {
        let _ = url.set_username("elastic");
        let _ = url.set_password(Some(password));
    }
    url.to_string()
}

/// `scheme://host:port`; a host that makes no URL falls back to loopback.
fn base_url(scheme: &str, at: Published<'_>) -> Url {
    let mut url = Url::parse(&format!("{scheme}://{}", at.host))
        .or_else(|_| Url::parse(&format!("{scheme}://127.0.0.1")))
        .expect("a valid base URL");
    let _ = url.set_port(Some(at.port));
    url
}

/// The password given by `--requirepass X` or `--requirepass=X`.
fn requirepass(command: &[String]) -> Option<String> {
    let mut words = command.iter().flat_map(|w| w.split_whitespace());
    while let Some(word) = words.next() {
        if let Some(value) = word.strip_prefix("--requirepass=") {
            return Some(value.trim_matches(['"', '\'']).to_string());
        }
        if word == "--requirepass" {
            return words
                .next()
                .map(|v| v.trim_matches(['"', '\'']).to_string());
        }
    }
    None
}

/// A `.env` URL of one of `schemes` that points at this container: by its
/// service or container name, or by its published port on localhost.
fn dotenv_match(c: &Container, host_port: u16, schemes: &[&str]) -> Option<Url> {
    c.spec.dotenv_urls.iter().find_map(|(_, value)| {
        let url = Url::parse(value).ok()?;
        if !schemes.contains(&url.scheme()) {
            return None;
        }
        let host = url.host_str()?;
        let by_name = Some(host) == c.service.as_deref() || host == c.name;
        let by_port = matches!(host, "localhost" | "127.0.0.1") && url.port() == Some(host_port);
        (by_name || by_port).then_some(url)
    })
}

/// The same URL, pointed at the published port on the engine's host.
fn relocate(url: &Url, at: Published<'_>) -> String {
    let mut url = url.clone();
    let _ = url.set_host(Some(at.host));
    let _ = url.set_port(Some(at.port));
    url.to_string()
}

/// Discovered targets with configured ones merged in: a configured target
/// with the name of a discovered one replaces it and keeps its row.
pub fn merge(discovered: Vec<Target>, configured: &[Target]) -> Vec<Target> {
    let mut all = discovered;
    for extra in configured {
        match all
            .iter_mut()
            .find(|t| t.kind == extra.kind && t.name == extra.name)
        {
            Some(found) => {
                let container_id = found.container_id.take();
                *found = Target {
                    container_id,
                    ..extra.clone()
                };
            }
            None => all.push(extra.clone()),
        }
    }
    all.sort_by(|a, b| a.id.cmp(&b.id));
    all
}

#[cfg(test)]
mod tests;
