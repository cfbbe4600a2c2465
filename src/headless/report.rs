//! What the headless commands say of each service, read from the app's
//! state: the rows the screen lists, and the problems of each.

use chrono::{DateTime, Utc};

use crate::app::{
    App, CheckState, HealthLevel, HealthSource, HealthSummary, Probe, Row, rows::NO_PROJECT,
};
use crate::model::{Container, ContainerState, DeclaredService, ProbeStatus, Stats};
use crate::text::age;

/// One service as the screen lists it.
#[derive(Debug, Clone)]
pub struct ServiceReport<'a> {
    /// `None`: outside Compose (or a configured target).
    pub project: Option<String>,
    /// As the list calls it: `worker-2`, `db`.
    pub name: String,
    pub container: Option<&'a Container>,
    /// The declaration of a service that has no container.
    pub declared: Option<&'a DeclaredService>,
    pub health: Option<HealthSummary>,
    pub probe: Option<&'a Probe>,
    pub check: Option<&'a CheckState>,
    pub stats: Option<&'a Stats>,
    /// The time of the app's state, to tell how long a failure lasts.
    pub now: DateTime<Utc>,
}

/// Every service the list shows, in its order.
pub fn services(app: &App) -> Vec<ServiceReport<'_>> {
    let now = app.now.with_timezone(&Utc);
    let mut project: Option<String> = None;
    let mut out = Vec::new();
    for row in &app.rows {
        match row {
            Row::Project(_, name) => project = name.clone(),
            Row::Engine(_) => project = None,
            Row::Databases => project = None,
            Row::Container(id) => out.extend(app.container(id).map(|c| container(app, c))),
            Row::Declared { project, service } => out.push(ServiceReport {
                project: Some(project.clone()),
                name: service.clone(),
                container: None,
                declared: app.declared_service(project, service),
                health: None,
                probe: None,
                check: None,
                stats: None,
                now,
            }),
            Row::Target(id) => out.extend(app.probes.get(id).map(|p| ServiceReport {
                project: project.clone(),
                name: p.target.name.clone(),
                container: None,
                declared: None,
                health: None,
                probe: Some(p),
                check: None,
                stats: None,
                now,
            })),
        }
    }
    out
}

fn container<'a>(app: &'a App, c: &'a Container) -> ServiceReport<'a> {
    ServiceReport {
        project: c.project.clone(),
        name: app.label(c),
        container: Some(c),
        declared: None,
        health: Some(app.health_of(c)),
        probe: app.probe_of_container(&c.id),
        check: app.check_of_container(&c.id),
        stats: app.stats.get(&c.id).filter(|_| c.state.is_running()),
        now: app.now.with_timezone(&Utc),
    }
}

impl ServiceReport<'_> {
    /// `project/name`, the way the headless commands name a service.
    pub fn full_name(&self) -> String {
        match &self.project {
            Some(project) => format!("{project}/{}", self.name),
            None => self.name.clone(),
        }
    }

    /// Whether the user named this service: by its list name, its compose
    /// service, its container name, or `project/name`.
    pub fn is_named(&self, name: &str) -> bool {
        let service = self.container.and_then(|c| c.service.as_deref());
        let container = self.container.map(|c| c.name.as_str());
        name == self.name
            || Some(name) == service
            || Some(name) == container
            || name == self.full_name()
    }

    /// Why this service is not running and healthy; empty when it is.
    pub fn problems(&self) -> Vec<String> {
        let now = self.now;
        let mut problems = Vec::new();
        match self.container {
            Some(c) => {
                problems.extend(state_problem(c));
                let health = self.health.as_ref();
                problems.extend(health.and_then(|h| health_problem(h, now)));
            }
            None if self.declared.is_some() => problems.push("not created".to_string()),
            None => {}
        }
        if self.check.is_some_and(|c| c.result.is_none()) {
            problems.push("health check did not answer yet".to_string());
        }
        problems.extend(self.probe.and_then(probe_problem));
        problems
    }

    /// The group heading the text output puts it under.
    pub fn group(&self) -> &str {
        self.project.as_deref().unwrap_or(NO_PROJECT)
    }
}

fn state_problem(c: &Container) -> Option<String> {
    match &c.state {
        ContainerState::Running => None,
        ContainerState::Restarting { exit_code } => Some(format!(
            "restarting, exit {exit_code}, {} restarts",
            c.restart_count
        )),
        other => Some(other.words()),
    }
}

/// `unhealthy (health check failing for 3m05s)`, `unhealthy (health
/// check: http 503)`, `rabbit alarm: memory`.
fn health_problem(health: &HealthSummary, now: DateTime<Utc>) -> Option<String> {
    let since = health
        .since
        .map(|t| format!(" for {}", age(now - t)))
        .unwrap_or_default();
    match (health.level, health.source) {
        (HealthLevel::Bad, HealthSource::Docker) => {
            Some(format!("unhealthy (health check failing{since})"))
        }
        (HealthLevel::Bad, HealthSource::Http) => Some(format!(
            "unhealthy (health check: {}{})",
            health.words,
            since.replacen(" for", ", failing for", 1)
        )),
        (HealthLevel::Bad, HealthSource::RabbitMq) => Some(format!("RabbitMQ {}", health.words)),
        (HealthLevel::Bad, HealthSource::Search) => Some(format!("cluster {}", health.words)),
        (HealthLevel::Bad, _) => Some(health.words.clone()),
        (HealthLevel::Warn, HealthSource::Docker) => Some("health check still starting".into()),
        _ => None,
    }
}

fn probe_problem(probe: &Probe) -> Option<String> {
    let title = probe.target.kind.info().title;
    match &probe.status {
        ProbeStatus::Live => None,
        ProbeStatus::Connecting => Some(format!("{title} did not answer yet")),
        ProbeStatus::Starting => Some(format!("{title} is starting")),
        ProbeStatus::Reconnecting { error, .. } | ProbeStatus::AuthFailed { error } => {
            Some(format!("{title} {}: {error}", probe.status.word()))
        }
    }
}
