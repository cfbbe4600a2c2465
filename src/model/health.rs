//! Health checks beyond Docker's own: an HTTP GET on a service's published
//! port, and what it said.

/// How a service's health is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthCheck {
    /// Stable key: the container's project/service, or the config name.
    pub id: String,
    /// The container it belongs to, to show on its row.
    pub container_id: Option<String>,
    /// What the user sees.
    pub name: String,
    /// URLs to GET, in order (credentials in them are never shown). A
    /// guess tries each until one answers other than 404.
    pub urls: Vec<String>,
    pub source: CheckSource,
}

/// Why stacktop checks a service, which decides what counts as healthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckSource {
    /// A `stacktop.health` label or a config entry: must answer 2xx/3xx.
    Declared,
    /// A service known by its image (Prometheus, Grafana…): its own
    /// health endpoint must answer 2xx.
    Known(&'static str),
    /// An app with a published port: `/health`, `/healthz`,
    /// `/actuator/health`, then `/`. Finding none is no failure.
    Guessed,
    /// A `stacktop.health` label pointing elsewhere than the service's own
    /// published ports: never asked, shown as not allowed.
    Refused,
}

/// The verdict of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Healthy,
    Failing,
    /// Nothing to say: no health endpoint found, not HTTP.
    Unknown,
}

/// What a check found, for the HEALTH column: `http 200 12ms`, `refused`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    pub verdict: Verdict,
    pub text: String,
    /// The path that answered (for a guess), or the failure's details.
    pub detail: String,
}
