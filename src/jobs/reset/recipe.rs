//! How to create a container again from its inspected configuration.

use std::collections::HashMap;

use bollard::models::{
    ContainerCreateBody, ContainerInspectResponse, EndpointSettings, NetworkingConfig, PortBinding,
};

use super::check::is_anonymous_name;
use crate::engine::NUMBER_LABEL;

/// How to create one container again.
#[derive(Debug, Clone)]
pub(super) struct Recipe {
    pub name: String,
    pub number: u32,
    pub body: ContainerCreateBody,
    /// Networks joined after create, before start.
    pub more_networks: Vec<(String, EndpointSettings)>,
    /// Named volumes it mounts: created (empty) before it when missing.
    pub named_volumes: Vec<String>,
}

/// The create request that gives a container like `inspect` again.
pub(super) fn recipe(inspect: ContainerInspectResponse) -> Recipe {
    let id = inspect.id.clone().unwrap_or_default();
    let short_id: String = id.chars().take(12).collect();
    let name = inspect
        .name
        .clone()
        .unwrap_or_default()
        .trim_start_matches('/')
        .to_string();
    let config = inspect.config.unwrap_or_default();
    let mut host_config = inspect.host_config.unwrap_or_default();
    let settings = inspect.network_settings.unwrap_or_default();

    // A random host port (`127.0.0.1::5432`) keeps the port it was given:
    // clients of the reset service keep working.
    if let (Some(bindings), Some(actual)) =
        (host_config.port_bindings.as_mut(), settings.ports.as_ref())
    {
        for (port, wanted) in bindings.iter_mut() {
            let unpinned = wanted.iter().flatten().any(|b| {
                let host_port = b.host_port.as_deref().unwrap_or_default();
                host_port.is_empty() || host_port.contains('-')
            });
            if let (true, Some(Some(given))) = (unpinned, actual.get(port))
                && !given.is_empty()
            {
                *wanted = Some(
                    given
                        .iter()
                        .map(|b| PortBinding {
                            host_ip: b.host_ip.clone(),
                            host_port: b.host_port.clone(),
                        })
                        .collect(),
                );
            }
        }
    }

    let mut networks: Vec<(String, EndpointSettings)> = settings
        .networks
        .unwrap_or_default()
        .into_iter()
        .map(|(network, endpoint)| (network, endpoint_for_create(endpoint, &id, &short_id)))
        .collect();
    networks.sort_by(|a, b| a.0.cmp(&b.0));
    let primary = host_config
        .network_mode
        .as_ref()
        .and_then(|mode| networks.iter().position(|(n, _)| n == mode))
        .unwrap_or(0);
    let networking_config = (!networks.is_empty()).then(|| {
        let (network, endpoint) = networks.remove(primary);
        NetworkingConfig {
            endpoints_config: Some(HashMap::from([(network, endpoint)])),
        }
    });

    let named_volumes = inspect
        .mounts
        .unwrap_or_default()
        .into_iter()
        .filter(|m| m.typ.as_deref() == Some("volume"))
        .filter_map(|m| m.name)
        .filter(|n| !is_anonymous_name(n))
        .collect();
    let number = config
        .labels
        .as_ref()
        .and_then(|l| l.get(NUMBER_LABEL))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    // Without a hostname of its own a container is named after its id;
    // the new one gets its own id instead.
    let hostname = config.hostname.filter(|h| !h.is_empty() && *h != short_id);

    let body = ContainerCreateBody {
        hostname,
        domainname: config.domainname,
        user: config.user,
        attach_stdin: config.attach_stdin,
        attach_stdout: config.attach_stdout,
        attach_stderr: config.attach_stderr,
        exposed_ports: config.exposed_ports,
        tty: config.tty,
        open_stdin: config.open_stdin,
        stdin_once: config.stdin_once,
        env: config.env,
        cmd: config.cmd,
        healthcheck: config.healthcheck,
        args_escaped: config.args_escaped,
        image: config.image,
        volumes: config.volumes,
        working_dir: config.working_dir,
        entrypoint: config.entrypoint,
        network_disabled: config.network_disabled,
        on_build: config.on_build,
        labels: config.labels,
        stop_signal: config.stop_signal,
        stop_timeout: config.stop_timeout,
        shell: config.shell,
        host_config: Some(host_config),
        networking_config,
    };
    Recipe {
        name,
        number,
        body,
        more_networks: networks,
        named_volumes,
    }
}

/// The user's part of an endpoint: aliases (less the engine's own alias,
/// the short id), links, static addresses, driver options.
fn endpoint_for_create(endpoint: EndpointSettings, id: &str, short_id: &str) -> EndpointSettings {
    let aliases = endpoint.aliases.map(|aliases| {
        aliases
            .into_iter()
            .filter(|a| a != short_id && a != id)
            .collect::<Vec<_>>()
    });
    EndpointSettings {
        aliases: aliases.filter(|a| !a.is_empty()),
        links: endpoint.links,
        ipam_config: endpoint.ipam_config,
        driver_opts: endpoint.driver_opts,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::{ContainerConfig, HostConfig, MountPoint, NetworkSettings};

    fn inspect() -> ContainerInspectResponse {
        let id = "0123456789ab".to_string() + &"c".repeat(52);
        let endpoint = |aliases: &[&str]| EndpointSettings {
            aliases: Some(aliases.iter().map(|a| a.to_string()).collect()),
            ip_address: Some("172.20.0.5".to_string()),
            network_id: Some("n1".to_string()),
            ..Default::default()
        };
        ContainerInspectResponse {
            id: Some(id),
            name: Some("/shop-cache-1".to_string()),
            config: Some(ContainerConfig {
                hostname: Some("0123456789ab".to_string()),
                image: Some("busybox".to_string()),
                env: Some(vec!["A=1".to_string()]),
                labels: Some(HashMap::from([(NUMBER_LABEL.to_string(), "2".to_string())])),
                ..Default::default()
            }),
            host_config: Some(HostConfig {
                network_mode: Some("shop_default".to_string()),
                port_bindings: Some(HashMap::from([(
                    "8080/tcp".to_string(),
                    Some(vec![PortBinding {
                        host_ip: Some("127.0.0.1".to_string()),
                        host_port: Some(String::new()),
                    }]),
                )])),
                ..Default::default()
            }),
            network_settings: Some(NetworkSettings {
                ports: Some(HashMap::from([(
                    "8080/tcp".to_string(),
                    Some(vec![PortBinding {
                        host_ip: Some("127.0.0.1".to_string()),
                        host_port: Some("49153".to_string()),
                    }]),
                )])),
                networks: Some(HashMap::from([
                    (
                        "shop_back".to_string(),
                        endpoint(&["cache-back", "0123456789ab"]),
                    ),
                    (
                        "shop_default".to_string(),
                        endpoint(&["cache", "0123456789ab"]),
                    ),
                ])),
                ..Default::default()
            }),
            mounts: Some(vec![
                MountPoint {
                    typ: Some("volume".to_string()),
                    name: Some("shop_keep".to_string()),
                    ..Default::default()
                },
                MountPoint {
                    typ: Some("volume".to_string()),
                    name: Some("f".repeat(64)),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        }
    }

    #[test]
    fn recipe_pins_random_ports_and_keeps_user_aliases() {
        let r = recipe(inspect());
        assert_eq!(r.name, "shop-cache-1");
        assert_eq!(r.number, 2);
        assert_eq!(r.body.hostname, None, "the old id is no hostname to keep");
        let bindings = r
            .body
            .host_config
            .as_ref()
            .unwrap()
            .port_bindings
            .as_ref()
            .unwrap();
        assert_eq!(
            bindings["8080/tcp"].as_ref().unwrap()[0]
                .host_port
                .as_deref(),
            Some("49153")
        );
        let first = r.body.networking_config.unwrap().endpoints_config.unwrap();
        let default = &first["shop_default"];
        assert_eq!(default.aliases.as_deref(), Some(&["cache".to_string()][..]));
        assert_eq!(
            default.ip_address, None,
            "runtime addresses are not asked for"
        );
        assert_eq!(r.more_networks.len(), 1);
        assert_eq!(r.more_networks[0].0, "shop_back");
        assert_eq!(r.named_volumes, ["shop_keep"]);
        assert_eq!(r.body.env, Some(vec!["A=1".to_string()]));
    }
}
