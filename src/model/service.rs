//! Containers as the dashboard sees them.

use chrono::{DateTime, Utc};

/// Lifecycle state of a container, as the engine reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ContainerState {
    Created,
    Running,
    /// Between two runs; carries the exit code of the last one.
    Restarting {
        exit_code: i64,
    },
    Paused,
    Exited {
        code: i64,
    },
    Dead,
    Removing,
    Unknown(String),
}

impl ContainerState {
    pub fn is_running(&self) -> bool {
        matches!(self, Self::Running | Self::Restarting { .. } | Self::Paused)
    }

    /// The engine's name of the state: `running`, `exited`.
    pub fn name(&self) -> &str {
        match self {
            Self::Created => "created",
            Self::Running => "running",
            Self::Restarting { .. } => "restarting",
            Self::Paused => "paused",
            Self::Exited { .. } => "exited",
            Self::Dead => "dead",
            Self::Removing => "removing",
            Self::Unknown(name) => name,
        }
    }

    /// The exit code of the last run, when it ended.
    pub fn exit_code(&self) -> Option<i64> {
        match self {
            Self::Exited { code } => Some(*code),
            Self::Restarting { exit_code } => Some(*exit_code),
            _ => None,
        }
    }

    /// The state in words, no symbol: `running`, `exited (3)`.
    pub fn words(&self) -> String {
        match self {
            Self::Created => "created".into(),
            Self::Running => "running".into(),
            Self::Restarting { exit_code } => format!("restarting (exit {exit_code})"),
            Self::Paused => "paused".into(),
            Self::Exited { code } => format!("exited ({code})"),
            Self::Dead => "dead".into(),
            Self::Removing => "removing".into(),
            Self::Unknown(state) => state.clone(),
        }
    }

    /// A state that should catch the eye: a crash or a crash loop.
    pub fn is_bad(&self) -> bool {
        match self {
            Self::Exited { code } => *code != 0,
            Self::Restarting { .. } | Self::Dead => true,
            _ => false,
        }
    }
}

/// Result of the container's health check, if it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Health {
    Healthy,
    Unhealthy,
    Starting,
    #[default]
    None,
}

/// A port published on the host.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PortMapping {
    pub host_ip: String,
    pub host_port: u16,
    pub container_port: u16,
    pub protocol: String,
}

/// Which engine of several: its place in the list stacktop follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct EngineId(pub u16);

impl EngineId {
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// One container, with its Compose labels already read.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Container {
    pub id: String,
    /// The engine that runs it: actions and logs go there.
    pub engine: EngineId,
    /// Name without the leading slash.
    pub name: String,
    /// `com.docker.compose.project`; `None` for containers outside Compose.
    pub project: Option<String>,
    /// `com.docker.compose.service`.
    pub service: Option<String>,
    /// `com.docker.compose.container-number`.
    pub number: Option<u32>,
    pub image: String,
    pub state: ContainerState,
    pub health: Health,
    /// When the current run of failed health checks began, as far as the
    /// engine's log goes back; set only while unhealthy.
    pub unhealthy_since: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub restart_count: u64,
    pub ports: Vec<PortMapping>,
    /// Whether the container was created with a TTY: its logs are one stream.
    pub tty: bool,
    /// Configuration read to discover databases and compose files.
    pub spec: ContainerSpec,
}

/// The parts of a container's configuration that discovery reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ContainerSpec {
    /// `KEY=value` pairs. May hold passwords: never shown.
    pub env: Vec<String>,
    /// Entrypoint followed by command.
    pub command: Vec<String>,
    /// Ports the image exposes, published or not (container side).
    pub exposed_ports: Vec<u16>,
    /// `com.docker.compose.project.working_dir`.
    pub compose_working_dir: Option<String>,
    /// `com.docker.compose.project.config_files`, split on commas.
    pub compose_files: Vec<String>,
    /// `com.docker.compose.project.environment_file` (compose v2), split.
    pub compose_env_files: Vec<String>,
    /// URL-valued variables of the compose project's `.env` file.
    pub dotenv_urls: Vec<(String, String)>,
    /// The `stacktop.health` label: a URL, or a path on the published port.
    pub health_label: Option<String>,
    /// Volumes the container mounts (bind mounts are not listed).
    pub volumes: Vec<crate::model::VolumeMount>,
    /// Only the engine's list entry is known yet, not its inspect: no
    /// environment, command or exposed ports, no start time or restart
    /// count. Discovery and health checks wait for the inspect that follows.
    pub listed_only: bool,
}

impl ContainerSpec {
    /// The value of environment variable `key`, if set.
    pub fn env_var(&self, key: &str) -> Option<&str> {
        self.env.iter().find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == key).then_some(v)
        })
    }
}

impl Container {
    /// Name shown in the list: the Compose service, else the container name.
    pub fn display_name(&self) -> &str {
        self.service.as_deref().unwrap_or(&self.name)
    }
}

/// Resource use of one running container.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stats {
    /// Percent of one core, so 200.0 means two cores busy.
    pub cpu_percent: f64,
    pub mem_used: u64,
    /// 0 when the engine reports no limit.
    pub mem_limit: u64,
}
