//! What the headless commands say of each service, read from the
//! store: the rows the screen lists, and the problems of each.

use chrono::{DateTime, Utc};

use crate::app::problems::{Facts, Rule, problems};
use crate::app::rows::{NO_PROJECT, Shown};
use crate::app::{CheckState, HealthSummary, Probe, Row, Store};
use crate::config::Settings;
use crate::model::SortKey;
use crate::model::{Container, DeclaredService, EngineId, Stats};

/// One service as the screen lists it.
#[derive(Debug, Clone)]
pub struct ServiceReport<'a> {
    /// The engine that runs it (or would).
    pub engine: EngineId,
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

/// Every service in scope, in the list's default order, unfolded.
pub fn services<'a>(store: &'a Store, settings: &Settings) -> Vec<ServiceReport<'a>> {
    let now = store.now.with_timezone(&Utc);
    let shown = Shown {
        scope: settings.project.as_deref(),
        filter: "",
    };
    let rows = store.rows(shown, SortKey::default(), &|_, _| false);
    let mut project: Option<String> = None;
    let mut out = Vec::new();
    for row in &rows {
        match row {
            Row::Project(_, name) => project = name.clone(),
            Row::Engine(_) => project = None,
            Row::Databases => project = None,
            Row::Container(id) => out.extend(store.container(id).map(|c| container(store, c))),
            Row::Declared { project, service } => out.push(ServiceReport {
                engine: project.engine,
                project: Some(project.name.clone()),
                name: service.clone(),
                container: None,
                declared: store.declared_service(project, service),
                health: None,
                probe: None,
                check: None,
                stats: None,
                now,
            }),
            Row::Target(id) => out.extend(store.probes.get(id).map(|p| ServiceReport {
                engine: EngineId::default(),
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

fn container<'a>(store: &'a Store, c: &'a Container) -> ServiceReport<'a> {
    ServiceReport {
        engine: c.engine,
        project: c.project.clone(),
        name: store.label(c),
        container: Some(c),
        declared: None,
        health: Some(store.health_of(c)),
        probe: store.probe_of_container(&c.id),
        check: store.check_of_container(&c.id),
        stats: store.stats.get(&c.id).filter(|_| c.state.is_running()),
        now: store.now.with_timezone(&Utc),
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

    /// Why this service is not running and healthy, by the strict rule
    /// of `check` and `wait`; empty when it is.
    pub fn problems(&self) -> Vec<String> {
        let facts = Facts {
            container: self.container,
            declared: self.declared.is_some(),
            health: self.health.as_ref(),
            check: self.check,
            probe: self.probe,
            now: self.now,
        };
        problems(&facts, Rule::Strict)
            .into_iter()
            .map(|p| p.0)
            .collect()
    }

    /// The group heading the text output puts it under.
    pub fn group(&self) -> &str {
        self.project.as_deref().unwrap_or(NO_PROJECT)
    }
}
