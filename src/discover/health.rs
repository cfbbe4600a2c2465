//! Which services get an HTTP health check, and where it asks.
//!
//! In order of precedence: a check declared in the config file or by a
//! `stacktop.health` label (a URL, or a path on the service's published
//! port); a well-known service found by its image, asked on its own health
//! endpoint; an app with a published port and no Docker health check,
//! guessed at `/health`, `/healthz`, `/actuator/health`, then `/`.
//! Databases, RabbitMQ and search clusters are left to their own probes.
//! Only published ports are asked, on the engine's host (this machine's
//! loopback for a local engine).

use super::{PortsHosts, image_name, kind_of, on_engine, ports_host, published_on};
use crate::model::{CheckSource, Container, Health, HealthCheck};

/// Paths a guess tries, in order.
pub const GUESSED_PATHS: [&str; 4] = ["/health", "/healthz", "/actuator/health", "/"];

/// A service known by its image: its container port and health endpoint.
struct Known {
    name: &'static str,
    images: &'static [&'static str],
    port: u16,
    path: &'static str,
}

const KNOWN: [Known; 6] = [
    Known {
        name: "meilisearch",
        images: &["meilisearch"],
        port: 7700,
        path: "/health",
    },
    Known {
        name: "localstack",
        images: &["localstack"],
        port: 4566,
        path: "/_localstack/health",
    },
    Known {
        name: "grafana",
        images: &["grafana"],
        port: 3000,
        path: "/api/health",
    },
    Known {
        name: "prometheus",
        images: &["prometheus"],
        port: 9090,
        path: "/-/ready",
    },
    Known {
        name: "jaeger",
        images: &["jaeger"],
        port: 16686,
        path: "/",
    },
    Known {
        name: "minio",
        images: &["minio"],
        port: 9000,
        path: "/minio/health/live",
    },
];

/// Ports that are never HTTP: a guess leaves them alone.
const NOT_HTTP: [u16; 10] = [5432, 3306, 6379, 5672, 27017, 11211, 9092, 2181, 1433, 1521];

/// A check the config file declares for a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub service: String,
    /// A URL, or a path on the service's published port.
    pub url: String,
}

/// What decides the checks: declared ones, and whether to guess.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckRules {
    pub declared: Vec<Declared>,
    pub guess: bool,
}

/// The checks of the running containers.
pub fn checks(
    containers: &[Container],
    rules: &CheckRules,
    hosts: PortsHosts<'_>,
) -> Vec<HealthCheck> {
    let mut checks: Vec<HealthCheck> = containers
        .iter()
        .filter(|c| c.state.is_running())
        .filter_map(|c| check_of(c, rules, ports_host(hosts, c)))
        .collect();
    checks.sort_by(|a, b| a.id.cmp(&b.id));
    checks
}

fn check_of(c: &Container, rules: &CheckRules, host: &str) -> Option<HealthCheck> {
    let name = c.service.clone().unwrap_or_else(|| c.name.clone());
    let id = match &c.project {
        Some(p) => format!("{p}/{name}"),
        None => name.clone(),
    };
    let declared = rules
        .declared
        .iter()
        .find(|d| d.service == name || d.service == c.name)
        .map(|d| d.url.clone())
        .or_else(|| c.spec.health_label.clone());
    let (urls, source) = match declared {
        Some(url) => (vec![absolute(c, &url, host)?], CheckSource::Declared),
        None if kind_of(c).is_some() => return None,
        None => match known(c, host) {
            Some(found) => found,
            None if rules.guess && c.health == Health::None => {
                (guessed(c, host)?, CheckSource::Guessed)
            }
            None => return None,
        },
    };
    Some(HealthCheck {
        id: on_engine(id, c),
        container_id: Some(c.id.clone()),
        name,
        urls,
        source,
    })
}

/// A declared URL as is; a bare path on the first published port.
fn absolute(c: &Container, url: &str, host: &str) -> Option<String> {
    if url.contains("://") {
        return Some(url.to_string());
    }
    let port = first_http_port(c, host)?;
    let path = if url.starts_with('/') {
        url.to_string()
    } else {
        format!("/{url}")
    };
    Some(format!("http://{host}:{port}{path}"))
}

fn known(c: &Container, host: &str) -> Option<(Vec<String>, CheckSource)> {
    let image = image_name(c);
    let known = KNOWN
        .iter()
        .find(|k| k.images.iter().any(|i| image.contains(i)))?;
    let port = published_on(&c.ports, known.port, host)?;
    let url = format!("http://{host}:{port}{}", known.path);
    Some((vec![url], CheckSource::Known(known.name)))
}

fn guessed(c: &Container, host: &str) -> Option<Vec<String>> {
    let port = first_http_port(c, host)?;
    Some(
        GUESSED_PATHS
            .iter()
            .map(|path| format!("http://{host}:{port}{path}"))
            .collect(),
    )
}

/// The host port of the lowest published TCP port that may be HTTP.
fn first_http_port(c: &Container, host: &str) -> Option<u16> {
    let mut ports: Vec<u16> = c
        .ports
        .iter()
        .filter(|p| p.protocol == "tcp" && !NOT_HTTP.contains(&p.container_port))
        .map(|p| p.container_port)
        .collect();
    ports.sort_unstable();
    ports
        .into_iter()
        .find_map(|inner| published_on(&c.ports, inner, host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContainerSpec, ContainerState, PortMapping};

    fn container(image: &str, ports: &[(u16, u16)]) -> Container {
        Container {
            id: format!("id-{image}"),
            name: format!("shop-{image}-1"),
            project: Some("shop".into()),
            service: Some(image.replace(['/', ':'], "-")),
            number: Some(1),
            image: image.into(),
            state: ContainerState::Running,
            health: Health::None,
            unhealthy_since: None,
            started_at: None,
            finished_at: None,
            restart_count: 0,
            ports: ports
                .iter()
                .map(|(host, inner)| PortMapping {
                    host_ip: "127.0.0.1".into(),
                    host_port: *host,
                    container_port: *inner,
                    protocol: "tcp".into(),
                })
                .collect(),
            tty: false,
            engine: Default::default(),
            spec: ContainerSpec::default(),
        }
    }

    fn rules() -> CheckRules {
        CheckRules {
            declared: Vec::new(),
            guess: true,
        }
    }

    #[test]
    fn an_app_is_guessed_on_its_published_port_and_databases_are_not() {
        let api = container("shop/api:1", &[(18081, 8080)]);
        let db = container("postgres:16", &[(15432, 5432)]);
        let found = checks(&[api, db], &rules(), super::super::LOCAL);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].source, CheckSource::Guessed);
        assert_eq!(found[0].urls[0], "http://127.0.0.1:18081/health");
        assert_eq!(found[0].urls.len(), 4);
    }

    #[test]
    fn known_services_are_asked_on_their_own_endpoint() {
        let prom = container("prom/prometheus:v2", &[(19090, 9090)]);
        let found = checks(&[prom], &rules(), super::super::LOCAL);
        assert_eq!(found[0].source, CheckSource::Known("prometheus"));
        assert_eq!(found[0].urls, ["http://127.0.0.1:19090/-/ready"]);
    }

    #[test]
    fn a_label_or_the_config_declares_and_wins_over_a_guess() {
        let mut api = container("shop/api:1", &[(18081, 8080), (18082, 9000)]);
        api.spec.health_label = Some("/ready".into());
        let found = checks(std::slice::from_ref(&api), &rules(), super::super::LOCAL);
        assert_eq!(found[0].urls, ["http://127.0.0.1:18081/ready"]);
        assert_eq!(found[0].source, CheckSource::Declared);
        let rules = CheckRules {
            declared: vec![Declared {
                service: "shop-api-1".into(),
                url: "http://127.0.0.1:3001/health".into(),
            }],
            guess: true,
        };
        let found = checks(&[api], &rules, super::super::LOCAL);
        assert_eq!(found[0].urls, ["http://127.0.0.1:3001/health"]);
    }

    #[test]
    fn guessing_can_be_turned_off_and_skips_docker_health_checks() {
        let mut api = container("shop/api:1", &[(18081, 8080)]);
        let off = CheckRules::default();
        assert!(checks(std::slice::from_ref(&api), &off, super::super::LOCAL).is_empty());
        api.health = Health::Healthy;
        assert!(checks(&[api], &rules(), super::super::LOCAL).is_empty());
    }

    #[test]
    fn unpublished_or_stopped_services_have_no_check() {
        let mut api = container("shop/api:1", &[]);
        assert!(checks(std::slice::from_ref(&api), &rules(), super::super::LOCAL).is_empty());
        api = container("shop/api:1", &[(18081, 8080)]);
        api.state = ContainerState::Exited { code: 0 };
        assert!(checks(&[api], &rules(), super::super::LOCAL).is_empty());
    }
}
