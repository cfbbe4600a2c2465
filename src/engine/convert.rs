//! Conversion of bollard's types into our model, at the edge.

use std::collections::HashMap;

use bollard::models::{
    ContainerConfig, ContainerInspectResponse, ContainerState as EngineState,
    ContainerStateStatusEnum, ContainerSummary, ContainerSummaryStateEnum, HealthConfig,
    HealthStatusEnum, MountPoint, PortMap, PortSummary,
};
use chrono::{DateTime, Utc};

use crate::model::{Container, ContainerSpec, ContainerState, Health, PortMapping, VolumeMount};

/// The labels compose puts on the containers it creates.
pub const PROJECT_LABEL: &str = "com.docker.compose.project";
pub const SERVICE_LABEL: &str = "com.docker.compose.service";
pub const NUMBER_LABEL: &str = "com.docker.compose.container-number";

/// Builds our container from an inspect answer; `None` without an id.
pub fn container_from_inspect(inspect: ContainerInspectResponse) -> Option<Container> {
    let id = inspect.id?;
    let config = inspect.config.unwrap_or_default();
    let labels = config.labels.clone().unwrap_or_default();
    let mut spec = spec_from_config(&config, &labels);
    spec.volumes = volumes_of(inspect.mounts.as_deref().unwrap_or_default());
    let engine_state = inspect.state.unwrap_or_default();
    let ports = inspect
        .network_settings
        .and_then(|n| n.ports)
        .map(|p| ports_from_map(&p))
        .unwrap_or_default();
    Some(Container {
        name: inspect
            .name
            .map(|n| n.trim_start_matches('/').to_string())
            .unwrap_or_else(|| short_id(&id).to_string()),
        id,
        project: labels.get(PROJECT_LABEL).cloned(),
        service: labels.get(SERVICE_LABEL).cloned(),
        number: container_number(&labels),
        image: config.image.or(inspect.image).unwrap_or_default(),
        state: state_from_engine(&engine_state),
        health: health_from_engine(&engine_state),
        unhealthy_since: unhealthy_since(&engine_state, config.healthcheck.as_ref()),
        started_at: parse_engine_time(engine_state.started_at.as_deref()),
        finished_at: parse_engine_time(engine_state.finished_at.as_deref()),
        restart_count: inspect
            .restart_count
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(0),
        ports,
        tty: config.tty.unwrap_or(false),
        engine: Default::default(),
        spec,
    })
}

/// Builds our container from its entry in the engine's list, until its
/// inspect tells the rest (see [`ContainerSpec::listed_only`]); `None`
/// without an id.
pub fn container_from_summary(summary: ContainerSummary) -> Option<Container> {
    let id = summary.id?;
    let labels = summary.labels.unwrap_or_default();
    let status = summary.status.unwrap_or_default();
    let name = summary
        .names
        .and_then(|names| names.into_iter().next())
        .map(|n| n.trim_start_matches('/').to_string())
        .unwrap_or_else(|| short_id(&id).to_string());
    let spec = ContainerSpec {
        compose_working_dir: labels.get(WORKING_DIR_LABEL).cloned(),
        compose_files: paths_of(&labels, CONFIG_FILES_LABEL),
        compose_env_files: paths_of(&labels, ENV_FILES_LABEL),
        health_label: labels.get(HEALTH_LABEL).cloned(),
        volumes: volumes_of(summary.mounts.as_deref().unwrap_or_default()),
        listed_only: true,
        ..ContainerSpec::default()
    };
    Some(Container {
        name,
        project: labels.get(PROJECT_LABEL).cloned(),
        service: labels.get(SERVICE_LABEL).cloned(),
        number: container_number(&labels),
        image: summary.image.unwrap_or_default(),
        state: state_from_summary(summary.state, &status),
        health: health_from_status_text(&status),
        unhealthy_since: None,
        started_at: None,
        finished_at: None,
        restart_count: 0,
        ports: ports_from_summary(summary.ports.as_deref().unwrap_or_default()),
        tty: false,
        engine: Default::default(),
        spec,
        id,
    })
}

/// The state of a list entry; the exit code is read from its status text,
/// `Exited (3) 2 minutes ago`.
fn state_from_summary(state: Option<ContainerSummaryStateEnum>, status: &str) -> ContainerState {
    use ContainerSummaryStateEnum as S;
    let code = || {
        let (_, after) = status.split_once('(')?;
        after.split_once(')')?.0.trim().parse().ok()
    };
    match state {
        Some(S::CREATED) => ContainerState::Created,
        Some(S::RUNNING) => ContainerState::Running,
        Some(S::RESTARTING) => ContainerState::Restarting {
            exit_code: code().unwrap_or(0),
        },
        Some(S::PAUSED) => ContainerState::Paused,
        Some(S::EXITED) => ContainerState::Exited {
            code: code().unwrap_or(0),
        },
        Some(S::DEAD) => ContainerState::Dead,
        Some(S::REMOVING) => ContainerState::Removing,
        Some(other) => ContainerState::Unknown(other.to_string()),
        None => ContainerState::Unknown(String::new()),
    }
}

/// Published ports of a list entry, sorted as an inspect's are.
fn ports_from_summary(ports: &[PortSummary]) -> Vec<PortMapping> {
    let mut mapped: Vec<PortMapping> = ports
        .iter()
        .filter_map(|p| {
            Some(PortMapping {
                host_ip: p.ip.clone().unwrap_or_default(),
                host_port: p.public_port?,
                container_port: p.private_port,
                protocol: p.typ.map_or("tcp".to_string(), |t| t.to_string()),
            })
        })
        .collect();
    sort_ports(&mut mapped);
    mapped
}

/// The volumes among the container's mounts; an anonymous one has the
/// 64-hex-digit name the engine generates.
fn volumes_of(mounts: &[MountPoint]) -> Vec<VolumeMount> {
    mounts
        .iter()
        .filter(|m| m.typ.as_deref() == Some("volume"))
        .map(|m| {
            let name = m.name.clone();
            let anonymous = name
                .as_deref()
                .is_some_and(|n| n.len() == 64 && n.chars().all(|c| c.is_ascii_hexdigit()));
            VolumeMount {
                name,
                target: m.destination.clone().unwrap_or_default(),
                anonymous,
            }
        })
        .collect()
}

const WORKING_DIR_LABEL: &str = "com.docker.compose.project.working_dir";
const CONFIG_FILES_LABEL: &str = "com.docker.compose.project.config_files";
/// A service's own health check for stacktop: a URL or a path.
const HEALTH_LABEL: &str = "stacktop.health";
/// Set by compose v2: the env files the project was started with.
const ENV_FILES_LABEL: &str = "com.docker.compose.project.environment_file";

/// A label holding a comma-separated list of paths.
fn paths_of(labels: &HashMap<String, String>, label: &str) -> Vec<String> {
    labels
        .get(label)
        .map(|files| {
            files
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// What discovery needs: environment, command, exposed ports, compose files.
fn spec_from_config(config: &ContainerConfig, labels: &HashMap<String, String>) -> ContainerSpec {
    let mut command = config.entrypoint.clone().unwrap_or_default();
    command.extend(config.cmd.clone().unwrap_or_default());
    let mut exposed_ports: Vec<u16> = config
        .exposed_ports
        .iter()
        .flatten()
        .map(|key| split_port_key(key).0)
        .filter(|p| *p != 0)
        .collect();
    exposed_ports.sort_unstable();
    exposed_ports.dedup();
    ContainerSpec {
        env: config.env.clone().unwrap_or_default(),
        command,
        exposed_ports,
        compose_working_dir: labels.get(WORKING_DIR_LABEL).cloned(),
        compose_files: paths_of(labels, CONFIG_FILES_LABEL),
        compose_env_files: paths_of(labels, ENV_FILES_LABEL),
        health_label: labels.get(HEALTH_LABEL).cloned(),
        dotenv_urls: Vec::new(),
        volumes: Vec::new(),
        listed_only: false,
    }
}

fn short_id(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

fn container_number(labels: &HashMap<String, String>) -> Option<u32> {
    labels.get(NUMBER_LABEL).and_then(|n| n.trim().parse().ok())
}

fn state_from_engine(state: &EngineState) -> ContainerState {
    use ContainerStateStatusEnum as S;
    match state.status {
        Some(S::CREATED) => ContainerState::Created,
        Some(S::RUNNING) => ContainerState::Running,
        Some(S::RESTARTING) => ContainerState::Restarting {
            exit_code: state.exit_code.unwrap_or(0),
        },
        Some(S::PAUSED) => ContainerState::Paused,
        Some(S::EXITED) => ContainerState::Exited {
            code: state.exit_code.unwrap_or(0),
        },
        Some(S::DEAD) => ContainerState::Dead,
        Some(S::REMOVING) => ContainerState::Removing,
        Some(other) => ContainerState::Unknown(other.to_string()),
        None => ContainerState::Unknown(String::new()),
    }
}

fn health_from_engine(state: &EngineState) -> Health {
    let Some(health) = state.health.as_ref() else {
        return Health::None;
    };
    match health.status {
        Some(HealthStatusEnum::HEALTHY) => Health::Healthy,
        Some(HealthStatusEnum::UNHEALTHY) => Health::Unhealthy,
        // Docker starts with an empty log (`[]`); Podman with none
        // (`null`) until its first check. Podman runs checks from systemd
        // timers, so without systemd none ever runs, and "starting" would
        // last for ever (and `stacktop wait` with it): no check yet is
        // shown as no health.
        Some(HealthStatusEnum::STARTING) if health.log.is_none() => Health::None,
        Some(HealthStatusEnum::STARTING) => Health::Starting,
        _ => Health::None,
    }
}

/// When the trailing run of failed checks began, for an unhealthy
/// container. The engine's log keeps only the last five results: when the
/// streak is longer, the checks before the log are counted back at the
/// check's interval (30 s unless set).
fn unhealthy_since(state: &EngineState, config: Option<&HealthConfig>) -> Option<DateTime<Utc>> {
    let health = state.health.as_ref()?;
    if health.status != Some(HealthStatusEnum::UNHEALTHY) {
        return None;
    }
    let failed: Vec<DateTime<Utc>> = health
        .log
        .as_deref()?
        .iter()
        .rev()
        .take_while(|result| result.exit_code != Some(0))
        .filter_map(|result| parse_engine_time(result.start.as_deref()))
        .collect();
    let oldest = failed.iter().min().copied()?;
    let streak = health.failing_streak.unwrap_or(0);
    let before_log = (streak - failed.len() as i64).max(0);
    let interval = config
        .and_then(|c| c.interval)
        .filter(|ns| *ns > 0)
        .unwrap_or(30_000_000_000);
    Some(oldest - chrono::Duration::nanoseconds(before_log.saturating_mul(interval)))
}

/// Parses an engine time; the zero time (`0001-01-01T00:00:00Z`) the engine
/// uses for "never" becomes `None`.
pub fn parse_engine_time(raw: Option<&str>) -> Option<DateTime<Utc>> {
    let time = DateTime::parse_from_rfc3339(raw?).ok()?.with_timezone(&Utc);
    (time.timestamp() > 0).then_some(time)
}

/// Published ports, sorted; exposed but unpublished ports are left out.
fn ports_from_map(map: &PortMap) -> Vec<PortMapping> {
    let mut ports: Vec<PortMapping> = map
        .iter()
        .filter_map(|(key, bindings)| Some((key, bindings.as_ref()?)))
        .flat_map(|(key, bindings)| {
            let (container_port, protocol) = split_port_key(key);
            bindings.iter().filter_map(move |b| {
                Some(PortMapping {
                    host_ip: b.host_ip.clone().unwrap_or_default(),
                    host_port: b.host_port.as_deref()?.parse().ok()?,
                    container_port,
                    protocol: protocol.to_string(),
                })
            })
        })
        .collect();
    sort_ports(&mut ports);
    ports
}

fn sort_ports(ports: &mut [PortMapping]) {
    ports.sort_by(|a, b| {
        (a.container_port, &a.protocol, &a.host_ip, a.host_port).cmp(&(
            b.container_port,
            &b.protocol,
            &b.host_ip,
            b.host_port,
        ))
    });
}

/// Splits `8080/tcp` into its port and protocol.
fn split_port_key(key: &str) -> (u16, &str) {
    let (port, protocol) = key.split_once('/').unwrap_or((key, "tcp"));
    (port.parse().unwrap_or(0), protocol)
}

/// Reads the health from a list entry's status text, such as
/// `Up 3 minutes (healthy)` (older engines have no health field in lists).
fn health_from_status_text(status: &str) -> Health {
    if status.contains("(healthy)") {
        Health::Healthy
    } else if status.contains("(unhealthy)") {
        Health::Unhealthy
    } else if status.contains("(health: starting)") {
        Health::Starting
    } else {
        Health::None
    }
}

#[cfg(test)]
mod tests {
    use bollard::models::{
        ContainerConfig, ContainerSummaryStateEnum, Health as EngineHealth, NetworkSettings,
        PortBinding,
    };

    use super::*;

    #[test]
    fn starting_before_any_check_is_no_health_as_podman_reports_it() {
        let starting = |log| EngineState {
            health: Some(EngineHealth {
                status: Some(HealthStatusEnum::STARTING),
                log,
                ..Default::default()
            }),
            ..Default::default()
        };
        // Docker: an empty log while starting.
        assert_eq!(
            health_from_engine(&starting(Some(Vec::new()))),
            Health::Starting
        );
        // Podman: no log at all until a check ran (never, without systemd).
        assert_eq!(health_from_engine(&starting(None)), Health::None);
    }

    fn labels() -> HashMap<String, String> {
        [
            (PROJECT_LABEL, "shop"),
            (SERVICE_LABEL, "web"),
            (NUMBER_LABEL, "2"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    fn binding(ip: &str, port: &str) -> PortBinding {
        PortBinding {
            host_ip: Some(ip.to_string()),
            host_port: Some(port.to_string()),
        }
    }

    fn inspect_of(state: EngineState) -> ContainerInspectResponse {
        let ports: PortMap = [
            (
                "8080/tcp".to_string(),
                Some(vec![binding("127.0.0.1", "18080")]),
            ),
            ("9000/tcp".to_string(), None),
            ("53/udp".to_string(), Some(vec![binding("0.0.0.0", "5353")])),
        ]
        .into_iter()
        .collect();
        ContainerInspectResponse {
            id: Some("0123456789abcdef0123".to_string()),
            name: Some("/shop-web-2".to_string()),
            image: Some("sha256:feed".to_string()),
            restart_count: Some(4),
            state: Some(state),
            config: Some(ContainerConfig {
                image: Some("shop/web:latest".to_string()),
                labels: Some(labels()),
                tty: Some(true),
                ..Default::default()
            }),
            network_settings: Some(NetworkSettings {
                ports: Some(ports),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn running_healthy() -> EngineState {
        EngineState {
            status: Some(ContainerStateStatusEnum::RUNNING),
            running: Some(true),
            exit_code: Some(0),
            started_at: Some("2024-05-01T10:00:00.123456789Z".to_string()),
            finished_at: Some("0001-01-01T00:00:00Z".to_string()),
            health: Some(EngineHealth {
                status: Some(HealthStatusEnum::HEALTHY),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn unhealthy_since_is_the_start_of_the_trailing_failures() {
        let check = |minute: u32, exit_code: i64| bollard::models::HealthcheckResult {
            start: Some(format!("2024-05-01T10:{minute:02}:00Z")),
            exit_code: Some(exit_code),
            ..Default::default()
        };
        let mut state = running_healthy();
        let log = vec![check(1, 1), check(2, 0), check(3, 1), check(4, 1)];
        state.health = Some(EngineHealth {
            status: Some(HealthStatusEnum::UNHEALTHY),
            log: Some(log.clone()),
            ..Default::default()
        });
        let since = unhealthy_since(&state, None).map(|t| t.to_rfc3339());
        assert_eq!(since.as_deref(), Some("2024-05-01T10:03:00+00:00"));
        if let Some(health) = state.health.as_mut() {
            health.failing_streak = Some(12);
        }
        let every_2s = HealthConfig {
            interval: Some(2_000_000_000),
            ..Default::default()
        };
        let since = unhealthy_since(&state, Some(&every_2s)).map(|t| t.to_rfc3339());
        assert_eq!(
            since.as_deref(),
            Some("2024-05-01T10:02:40+00:00"),
            "10 failures before the log, 2 s apart"
        );
        state.health = Some(EngineHealth {
            status: Some(HealthStatusEnum::HEALTHY),
            log: Some(log),
            ..Default::default()
        });
        assert_eq!(unhealthy_since(&state, None), None, "only while unhealthy");
    }

    #[test]
    fn inspect_converts_labels_state_times_and_ports() {
        let c = container_from_inspect(inspect_of(running_healthy())).expect("has an id");
        assert_eq!(c.id, "0123456789abcdef0123");
        assert_eq!(c.name, "shop-web-2");
        assert_eq!(c.project.as_deref(), Some("shop"));
        assert_eq!(c.service.as_deref(), Some("web"));
        assert_eq!(c.number, Some(2));
        assert_eq!(c.image, "shop/web:latest");
        assert_eq!(c.state, ContainerState::Running);
        assert_eq!(c.health, Health::Healthy);
        assert_eq!(
            c.started_at.map(|t| t.to_rfc3339()),
            Some("2024-05-01T10:00:00.123456789+00:00".to_string())
        );
        assert_eq!(c.finished_at, None, "zero time means never");
        assert_eq!(c.restart_count, 4);
        assert!(c.tty);
        assert_eq!(
            c.ports,
            vec![
                PortMapping {
                    host_ip: "0.0.0.0".into(),
                    host_port: 5353,
                    container_port: 53,
                    protocol: "udp".into(),
                },
                PortMapping {
                    host_ip: "127.0.0.1".into(),
                    host_port: 18080,
                    container_port: 8080,
                    protocol: "tcp".into(),
                },
            ]
        );
    }

    #[test]
    fn spec_carries_env_command_exposed_ports_and_compose_files() {
        let mut inspect = inspect_of(running_healthy());
        let mut labels = labels();
        labels.insert(WORKING_DIR_LABEL.into(), "/src/shop".into());
        labels.insert(
            CONFIG_FILES_LABEL.into(),
            "/src/shop/compose.yaml,/src/shop/dev.yaml".into(),
        );
        inspect.config = Some(ContainerConfig {
            labels: Some(labels),
            env: Some(vec!["POSTGRES_PASSWORD=pw".into(), "PATH=/bin".into()]),
            entrypoint: Some(vec!["docker-entrypoint.sh".into()]),
            cmd: Some(vec!["postgres".into()]),
            exposed_ports: Some(vec!["5432/tcp".into(), "5432/udp".into()]),
            ..Default::default()
        });
        inspect.mounts = Some(vec![
            MountPoint {
                typ: Some("volume".into()),
                name: Some("shop_pgdata".into()),
                destination: Some("/var/lib/postgresql/data".into()),
                ..Default::default()
            },
            MountPoint {
                typ: Some("volume".into()),
                name: Some("a".repeat(64)),
                destination: Some("/cache".into()),
                ..Default::default()
            },
            MountPoint {
                typ: Some("bind".into()),
                source: Some("/src".into()),
                destination: Some("/app".into()),
                ..Default::default()
            },
        ]);
        let c = container_from_inspect(inspect).expect("has an id");
        assert_eq!(c.spec.volumes.len(), 2, "bind mounts are left out");
        assert!(!c.spec.volumes[0].anonymous);
        assert!(c.spec.volumes[1].anonymous);
        assert_eq!(c.spec.env_var("POSTGRES_PASSWORD"), Some("pw"));
        assert_eq!(c.spec.env_var("MISSING"), None);
        assert_eq!(c.spec.command, vec!["docker-entrypoint.sh", "postgres"]);
        assert_eq!(c.spec.exposed_ports, vec![5432]);
        assert_eq!(c.spec.compose_working_dir.as_deref(), Some("/src/shop"));
        assert_eq!(c.spec.compose_files.len(), 2);
    }

    #[test]
    fn exited_state_keeps_exit_code_and_finish_time() {
        let state = EngineState {
            status: Some(ContainerStateStatusEnum::EXITED),
            exit_code: Some(3),
            finished_at: Some("2024-05-01T10:00:02Z".to_string()),
            ..Default::default()
        };
        let c = container_from_inspect(inspect_of(state)).expect("has an id");
        assert_eq!(c.state, ContainerState::Exited { code: 3 });
        assert_eq!(c.health, Health::None);
        assert!(c.finished_at.is_some());
        assert_eq!(c.started_at, None);
    }

    #[test]
    fn bare_inspect_gives_defaults_and_short_name() {
        let inspect = ContainerInspectResponse {
            id: Some("abcdefabcdefabcdef".to_string()),
            ..Default::default()
        };
        let c = container_from_inspect(inspect).expect("has an id");
        assert_eq!(c.name, "abcdefabcdef");
        assert_eq!(c.project, None);
        assert_eq!(c.number, None);
        assert_eq!(c.state, ContainerState::Unknown(String::new()));
        assert!(c.ports.is_empty());
        assert!(!c.tty);
        assert!(container_from_inspect(ContainerInspectResponse::default()).is_none());
    }

    #[test]
    fn other_states_map_one_to_one() {
        let cases = [
            (ContainerStateStatusEnum::CREATED, ContainerState::Created),
            (
                ContainerStateStatusEnum::RESTARTING,
                ContainerState::Restarting { exit_code: 0 },
            ),
            (ContainerStateStatusEnum::PAUSED, ContainerState::Paused),
            (ContainerStateStatusEnum::DEAD, ContainerState::Dead),
            (ContainerStateStatusEnum::REMOVING, ContainerState::Removing),
            (
                ContainerStateStatusEnum::STOPPING,
                ContainerState::Unknown("stopping".into()),
            ),
        ];
        for (status, want) in cases {
            let state = EngineState {
                status: Some(status),
                ..Default::default()
            };
            assert_eq!(state_from_engine(&state), want);
        }
    }

    #[test]
    fn a_list_entry_gives_labels_state_health_and_ports_until_its_inspect() {
        let summary = ContainerSummary {
            id: Some("0123456789abcdef0123".to_string()),
            names: Some(vec!["/shop-web-2".to_string()]),
            image: Some("shop/web:latest".to_string()),
            labels: Some(labels()),
            state: Some(ContainerSummaryStateEnum::RUNNING),
            status: Some("Up 2 minutes (unhealthy)".to_string()),
            ports: Some(vec![
                PortSummary {
                    ip: Some("127.0.0.1".to_string()),
                    private_port: 8080,
                    public_port: Some(18080),
                    typ: Some(bollard::models::PortSummaryTypeEnum::TCP),
                },
                PortSummary {
                    private_port: 9000,
                    ..Default::default()
                },
            ]),
            ..Default::default()
        };
        let c = container_from_summary(summary.clone()).expect("has an id");
        let inspected = container_from_inspect(inspect_of(running_healthy())).expect("has an id");
        assert_eq!(
            (&c.name, &c.project, &c.service, c.number, &c.image),
            (
                &inspected.name,
                &inspected.project,
                &inspected.service,
                inspected.number,
                &inspected.image
            )
        );
        assert_eq!(c.state, ContainerState::Running);
        assert_eq!(c.health, Health::Unhealthy);
        assert_eq!(c.ports, inspected.ports[1..], "published ports only");
        assert!(c.spec.listed_only && !inspected.spec.listed_only);
        let exited = ContainerSummary {
            state: Some(ContainerSummaryStateEnum::EXITED),
            status: Some("Exited (137) 5 seconds ago".to_string()),
            ..summary
        };
        let c = container_from_summary(exited).expect("has an id");
        assert_eq!(c.state, ContainerState::Exited { code: 137 });
        assert_eq!(c.health, Health::None);
    }

    #[test]
    fn engine_time_parsing_rejects_garbage_and_zero() {
        assert_eq!(parse_engine_time(None), None);
        assert_eq!(parse_engine_time(Some("")), None);
        assert_eq!(parse_engine_time(Some("not a time")), None);
        assert_eq!(parse_engine_time(Some("0001-01-01T00:00:00Z")), None);
        assert!(parse_engine_time(Some("2024-05-01T10:00:00+02:00")).is_some());
    }
}
