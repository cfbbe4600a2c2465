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
//!
//! A label is the stack's word, not the user's, and an image's labels carry
//! over to its containers: a pulled image could point the probes anywhere.
//! So a label's URL is asked only on a port the service itself publishes,
//! on the loopback or the engine's host, or at a host the config file's
//! `[health] label_hosts` allows; any other is refused before anything is
//! sent ([`CheckSource::Refused`]). The config file's own checks are the
//! user's, and go where they say.

use url::Url;

use super::{PortsHosts, image_name, is_loopback, kind_of, on_engine, ports_host, published_on};
use crate::model::{CheckResult, CheckSource, Container, Health, HealthCheck, Verdict, mask_url};

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

/// What decides the checks: declared ones, whether to guess, and where
/// else labels may point.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckRules {
    pub declared: Vec<Declared>,
    pub guess: bool,
    /// Hosts (`status.internal`) or host:port pairs (`10.0.0.5:8080`) a
    /// `stacktop.health` label may name besides the service's own ports.
    pub label_hosts: Vec<String>,
}

/// The checks of the running containers.
pub fn checks(
    containers: &[Container],
    rules: &CheckRules,
    hosts: PortsHosts<'_>,
) -> Vec<HealthCheck> {
    let mut checks: Vec<HealthCheck> = containers
        .iter()
        .filter_map(|c| check_of_container(c, rules, hosts))
        .collect();
    checks.sort_by(|a, b| a.id.cmp(&b.id));
    checks
}

/// The check of `c`, if it has one and runs; a container whose inspect
/// has not come yet has none yet.
pub fn check_of_container(
    c: &Container,
    rules: &CheckRules,
    hosts: PortsHosts<'_>,
) -> Option<HealthCheck> {
    let ready = c.state.is_running() && !c.spec.listed_only;
    ready.then(|| check_of(c, rules, ports_host(hosts, c)))?
}

fn check_of(c: &Container, rules: &CheckRules, host: &str) -> Option<HealthCheck> {
    let name = c.service.clone().unwrap_or_else(|| c.name.clone());
    let id = match &c.project {
        Some(p) => format!("{p}/{name}"),
        None => name.clone(),
    };
    let configured = rules
        .declared
        .iter()
        .find(|d| d.service == name || d.service == c.name)
        .map(|d| d.url.clone());
    let from_label = configured.is_none();
    let (urls, source) = match configured.or_else(|| c.spec.health_label.clone()) {
        Some(url) => {
            let url = absolute(c, &url, host)?;
            let allowed = !from_label || label_may_ask(c, &url, host, &rules.label_hosts);
            let source = if allowed {
                CheckSource::Declared
            } else {
                CheckSource::Refused
            };
            (vec![url], source)
        }
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

/// Whether a label's URL may be asked: HTTP(S) on a port `c` publishes,
/// reached where its ports are (`host`, or any loopback name when that is
/// the loopback), or at a host `allowed` names.
fn label_may_ask(c: &Container, url: &str, host: &str, allowed: &[String]) -> bool {
    let Ok(url) = Url::parse(url) else {
        return false;
    };
    let (Some(to), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        return false;
    };
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    let to = to.to_ascii_lowercase();
    let named = allowed.iter().any(|a| {
        let a = a.trim().to_ascii_lowercase();
        a == to || a == format!("{to}:{port}")
    });
    let ours = to == host.to_ascii_lowercase() || (is_loopback(host) && is_loopback(&to));
    let published = c
        .ports
        .iter()
        .any(|p| p.host_port == port && super::reachable_at(p, host));
    named || (ours && published)
}

/// What a refused check says, in place of an answer it never asked for.
pub fn refusal(check: &HealthCheck) -> CheckResult {
    let url = check.urls.first().map_or(String::new(), |u| mask_url(u));
    CheckResult {
        verdict: Verdict::Failing,
        text: "not allowed".to_string(),
        detail: format!(
            "the stacktop.health label points at {url}, not at a port this service \
             publishes; stacktop does not ask it (allow it with label_hosts in [health])"
        ),
    }
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
    use crate::model::ContainerState;
    use crate::model::Sample;

    fn container(image: &str, ports: &[(u16, u16)]) -> Container {
        let service = image.replace(['/', ':'], "-");
        let sample = Sample::service("shop", &service, 1)
            .id(format!("id-{image}"))
            .name(format!("shop-{image}-1"))
            .image(image);
        ports
            .iter()
            .fold(sample, |s, (host, inner)| s.port(*host, *inner))
            .build()
    }

    fn rules() -> CheckRules {
        CheckRules {
            guess: true,
            ..CheckRules::default()
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
            label_hosts: Vec::new(),
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

    /// The check of `api` (publishing 18081) labelled `label`, with `rules`.
    fn labelled(label: &str, rules: &CheckRules, hosts: PortsHosts<'_>) -> HealthCheck {
        let mut api = container("shop/api:1", &[(18081, 8080)]);
        api.spec.health_label = Some(label.into());
        checks(&[api], rules, hosts).remove(0)
    }

    #[test]
    fn a_label_may_name_the_services_own_published_port_on_the_loopback() {
        for label in [
            "http://127.0.0.1:18081/ready",
            "http://localhost:18081/ready",
            "https://[::1]:18081/",
        ] {
            let check = labelled(label, &rules(), super::super::LOCAL);
            assert_eq!(check.source, CheckSource::Declared, "{label}");
        }
    }

    #[test]
    fn a_label_naming_another_host_or_port_is_refused() {
        for label in [
            "http://192.0.2.1:18081/health",
            "http://127.0.0.1:18082/health",
            "http://127.evil.example:18081/",
            "http://127.0.0.1/",
            "ftp://127.0.0.1:18081/",
            "http://[::ffff:192.0.2.1]:18081/",
            "not a url://x",
        ] {
            let check = labelled(label, &rules(), super::super::LOCAL);
            assert_eq!(check.source, CheckSource::Refused, "{label}");
            let refused = refusal(&check);
            assert_eq!(refused.verdict, Verdict::Failing);
            assert_eq!(refused.text, "not allowed");
        }
    }

    #[test]
    fn a_remote_engines_label_may_name_only_that_host() {
        let hosts = ["devbox".to_string()];
        let mut api = container("shop/api:1", &[(18081, 8080)]);
        api.ports[0].host_ip = "0.0.0.0".into();
        for (label, source) in [
            ("http://devbox:18081/health", CheckSource::Declared),
            ("http://127.0.0.1:18081/health", CheckSource::Refused),
            ("http://other:18081/health", CheckSource::Refused),
        ] {
            api.spec.health_label = Some(label.into());
            let check = checks(std::slice::from_ref(&api), &rules(), &hosts).remove(0);
            assert_eq!(check.source, source, "{label}");
        }
    }

    #[test]
    fn the_config_file_may_allow_more_and_its_own_checks_go_anywhere() {
        let allowing = CheckRules {
            label_hosts: vec!["192.0.2.1".into(), "127.0.0.1:18082".into()],
            ..rules()
        };
        for label in ["http://192.0.2.1/health", "http://127.0.0.1:18082/health"] {
            let check = labelled(label, &allowing, super::super::LOCAL);
            assert_eq!(check.source, CheckSource::Declared, "{label}");
        }
        let check = labelled("http://127.0.0.1:18083/", &allowing, super::super::LOCAL);
        assert_eq!(check.source, CheckSource::Refused);
        let configured = CheckRules {
            declared: vec![Declared {
                service: "shop-api-1".into(),
                url: "http://192.0.2.1:9000/health".into(),
            }],
            ..rules()
        };
        let check = labelled("http://192.0.2.1/x", &configured, super::super::LOCAL);
        assert_eq!(check.source, CheckSource::Declared);
        assert_eq!(check.urls, ["http://192.0.2.1:9000/health"]);
    }
}
