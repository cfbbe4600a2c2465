//! `stacktop status --json`: one document, its shape versioned by
//! `schema` and described by `docs/status.schema.json`. A field's meaning
//! never changes within a version; new fields may appear.

use serde::Serialize;

use super::figures::{self, Figures};
use super::report::ServiceReport;
use crate::app::{Files, Store, uptime};
use crate::model::ProjectKey;

/// Names this document's shape; bumped when a field changes meaning.
pub const SCHEMA: &str = "stacktop.status/1";

#[derive(Debug, Serialize)]
pub struct Status {
    pub schema: &'static str,
    pub generated_at: String,
    pub engine: Engine,
    pub projects: Vec<Project>,
    pub services: Vec<Service>,
}

/// A compose project the list shows.
#[derive(Debug, Serialize)]
pub struct Project {
    pub name: String,
    /// Its folder, when its compose files were read.
    pub working_dir: Option<String>,
    pub compose_files: Vec<String>,
    /// Why its compose files could not be read; `None` when they were, or
    /// were not asked for.
    pub files_error: Option<String>,
    /// Compose's reason for refusing its files, when stacktop's own reader
    /// read them but Compose (v2) refuses them: a problem for `check`.
    pub compose_error: Option<String>,
    pub services: usize,
    pub running: usize,
    /// Services with at least one problem.
    pub failing: usize,
}

#[derive(Debug, Serialize)]
pub struct Engine {
    pub endpoint: String,
    /// The engine's version, `null` when it could not be asked.
    pub version: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Service {
    pub project: Option<String>,
    pub name: String,
    pub container: Option<String>,
    /// The engine's state (`running`, `exited`, `restarting`, `paused`,
    /// `created`, `dead`, `removing`), `not created` for a declared
    /// service without a container, `configured` for a configured target.
    pub state: String,
    /// The last run's exit code, when exited or restarting.
    pub exit_code: Option<i64>,
    pub running: bool,
    pub health: Health,
    pub restarts: Option<u64>,
    pub uptime_seconds: Option<i64>,
    pub cpu_percent: Option<f64>,
    pub memory_bytes: Option<u64>,
    pub memory_limit_bytes: Option<u64>,
    pub image: Option<String>,
    pub profiles: Vec<String>,
    pub probe: Option<Probe>,
    pub problems: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Health {
    /// `good`, `warn`, `bad` or `none`.
    pub level: &'static str,
    /// What the HEALTH column says, without its symbol: `http 503`.
    pub text: String,
    /// `docker`, `http`, `rabbitmq`, `search` or `none`.
    pub source: &'static str,
    /// When the failing began (RFC 3339), when known.
    pub failing_since: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Probe {
    /// `postgres`, `redis`, `rabbitmq` or `search`.
    pub kind: &'static str,
    /// `live`, `connecting`, `starting`, `retrying`, `auth error`.
    pub status: &'static str,
    /// The list's summary: `pg 12/100 conn`.
    pub summary: String,
    /// The URL with its password masked.
    pub url: String,
    /// The latest figures; `null` until the first poll answered.
    pub figures: Option<Figures>,
}

pub fn status(store: &Store, services: &[ServiceReport<'_>]) -> Status {
    // The first engine: the one there is unless several were asked for.
    let first = store.engines.first();
    let version = match first.map(|e| &e.status) {
        Some(crate::app::EngineStatus::Up { version, .. }) => Some(version.clone()),
        _ => None,
    };
    Status {
        schema: SCHEMA,
        generated_at: store.now.to_rfc3339(),
        engine: Engine {
            endpoint: first.map(|e| e.endpoint.clone()).unwrap_or_default(),
            version,
        },
        projects: projects(store, services),
        services: services.iter().map(|s| service(store, s)).collect(),
    }
}

fn projects(store: &Store, services: &[ServiceReport<'_>]) -> Vec<Project> {
    let mut out: Vec<Project> = Vec::new();
    for s in services {
        let Some(name) = &s.project else { continue };
        if out.last().is_none_or(|p| p.name != *name) {
            let key = ProjectKey::new(s.engine, name.clone());
            let location = store.projects.get(&key).map(|p| &p.location);
            out.push(Project {
                name: name.clone(),
                working_dir: location.map(|l| l.working_dir.clone()),
                compose_files: location.map(|l| l.files.clone()).unwrap_or_default(),
                files_error: store
                    .files
                    .get(&key)
                    .and_then(Files::error)
                    .map(str::to_string),
                compose_error: store
                    .files
                    .get(&key)
                    .and_then(Files::invalid)
                    .map(str::to_string),
                services: 0,
                running: 0,
                failing: 0,
            });
        }
        let project = out.last_mut().expect("pushed above");
        project.services += 1;
        project.running += usize::from(s.container.is_some_and(|c| c.state.is_running()));
        project.failing += usize::from(!s.problems().is_empty());
    }
    // A project whose files could not be read may have no service to list.
    for (key, error) in store.unreadable() {
        if !out.iter().any(|p| p.name == key.name) {
            out.push(Project {
                name: key.name.clone(),
                working_dir: None,
                compose_files: Vec::new(),
                files_error: Some(error.to_string()),
                compose_error: None,
                services: 0,
                running: 0,
                failing: 0,
            });
        }
    }
    out
}

fn service(store: &Store, s: &ServiceReport<'_>) -> Service {
    let c = s.container;
    let health = s.health.as_ref().map_or(
        Health {
            level: "none",
            text: "—".into(),
            source: "none",
            failing_since: None,
        },
        |h| Health {
            level: h.level.word(),
            text: h.words.clone(),
            source: h.source.word(),
            failing_since: h.since.map(|t| t.to_rfc3339()),
        },
    );
    let state = match (c, s.declared) {
        (Some(c), _) => c.state.name().to_string(),
        (None, Some(_)) => "not created".to_string(),
        (None, None) => "configured".to_string(),
    };
    Service {
        project: s.project.clone(),
        name: s.name.clone(),
        container: c.map(|c| c.name.clone()),
        exit_code: c.and_then(|c| c.state.exit_code()),
        running: c.is_some_and(|c| c.state.is_running()),
        state,
        health,
        restarts: c.map(|c| c.restart_count),
        uptime_seconds: c
            .and_then(|c| uptime(c, store.now))
            .map(|a| a.num_seconds()),
        cpu_percent: s.stats.map(|st| (st.cpu_percent * 10.0).round() / 10.0),
        memory_bytes: s.stats.map(|st| st.mem_used),
        memory_limit_bytes: s.stats.map(|st| st.mem_limit).filter(|l| *l > 0),
        image: c
            .map(|c| c.image.clone())
            .or_else(|| s.declared.and_then(|d| d.image.clone())),
        profiles: s.declared.map(|d| d.profiles.clone()).unwrap_or_default(),
        probe: s.probe.map(|p| Probe {
            kind: p.target.kind.info().config_key,
            status: p.status.word(),
            summary: p.summary().0,
            url: p.target.display_url(),
            figures: p.snapshot.as_ref().map(figures::of),
        }),
        problems: s.problems(),
    }
}
