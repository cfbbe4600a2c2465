//! The one way tests and benches make a container: a running Compose service
//! with nothing else set, and a step for each thing a test needs. Shared by
//! the unit tests, the integration tests and the benches, so a new field of
//! [`Container`] is written here once.

use chrono::{DateTime, Utc};

use super::{Container, ContainerSpec, ContainerState, EngineId, Health, PortMapping};

/// A container being made for a test.
#[derive(Debug, Clone)]
pub struct Sample(Container);

impl Sample {
    /// Service `service` of `project`, its container `number`: named
    /// `{project}-{service}-{number}`, with that name as id, running image
    /// `busybox`, no health check, no ports, never started.
    pub fn service(project: &str, service: &str, number: u32) -> Self {
        let name = format!("{project}-{service}-{number}");
        Self(Container {
            id: name.clone(),
            engine: EngineId::default(),
            name,
            project: Some(project.into()),
            service: Some(service.into()),
            number: Some(number),
            image: "busybox".into(),
            state: ContainerState::Running,
            health: Health::None,
            unhealthy_since: None,
            started_at: None,
            finished_at: None,
            restart_count: 0,
            ports: Vec::new(),
            tty: false,
            spec: ContainerSpec::default(),
        })
    }

    /// A container outside Compose, named `name`, with that name as id.
    pub fn lone(name: &str) -> Self {
        let mut sample = Self::service("", "", 0);
        sample.0.id = name.into();
        sample.0.name = name.into();
        sample.0.project = None;
        sample.0.service = None;
        sample.0.number = None;
        sample
    }

    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.0.id = id.into();
        self
    }

    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.0.name = name.into();
        self
    }

    pub fn image(mut self, image: impl Into<String>) -> Self {
        self.0.image = image.into();
        self
    }

    pub fn state(mut self, state: ContainerState) -> Self {
        self.0.state = state;
        self
    }

    pub fn health(mut self, health: Health) -> Self {
        self.0.health = health;
        self
    }

    pub fn started(mut self, at: DateTime<Utc>) -> Self {
        self.0.started_at = Some(at);
        self
    }

    pub fn restarts(mut self, count: u64) -> Self {
        self.0.restart_count = count;
        self
    }

    /// Publishes container port `inner` on `127.0.0.1:host` (TCP).
    pub fn port(mut self, host: u16, inner: u16) -> Self {
        self.0.ports.push(PortMapping {
            host_ip: "127.0.0.1".into(),
            host_port: host,
            container_port: inner,
            protocol: "tcp".into(),
        });
        self
    }

    /// Sets environment variables, `KEY=value` each.
    pub fn env(mut self, vars: &[&str]) -> Self {
        self.0.spec.env = vars.iter().map(|v| (*v).to_string()).collect();
        self
    }

    pub fn on(mut self, engine: EngineId) -> Self {
        self.0.engine = engine;
        self
    }

    /// Whatever else of the configuration a test needs.
    pub fn spec(mut self, change: impl FnOnce(&mut ContainerSpec)) -> Self {
        change(&mut self.0.spec);
        self
    }

    pub fn build(self) -> Container {
        self.0
    }
}

impl From<Container> for Sample {
    /// Goes on from a container another helper made.
    fn from(container: Container) -> Self {
        Self(container)
    }
}
