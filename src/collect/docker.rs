//! The Docker engine collector: container list, live events, stats.

// Placeholder until the collector lands.
use crate::event::Event;
use tokio::sync::mpsc::Sender;

pub fn endpoint() -> String {
    std::env::var("DOCKER_HOST").unwrap_or_else(|_| "unix:///var/run/docker.sock".into())
}

pub struct DockerOptions {
    pub interval: std::time::Duration,
}

pub async fn run(_tx: Sender<Event>, _opts: DockerOptions) {}
