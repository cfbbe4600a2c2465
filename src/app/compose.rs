//! Compose projects in the app: declared services, up and reset.

use super::{App, ComposeStep, Confirm, Files, Level, Overlay, Row};
use crate::command::Command;
use crate::event::ComposeEvent;
use crate::model::{Container, EngineId, ProjectKey, ResetPlan, plan_reset};

impl App {
    pub(super) fn on_compose(&mut self, event: ComposeEvent) -> Vec<Command> {
        match event {
            // The store takes what compose loading reports.
            ComposeEvent::Loaded { .. } | ComposeEvent::LoadFailed { .. } => {}
            ComposeEvent::ResetPlanned(plan) => {
                self.screen.overlay = Some(Overlay::Confirm(Box::new(Confirm::Reset(*plan))));
            }
            ComposeEvent::Progress { work, step } => {
                self.say(Level::Info, format!("{}: {step}", work.label()));
                self.flight
                    .compose_steps
                    .insert(work.project.clone(), ComposeStep { work, step });
            }
        }
        Vec::new()
    }

    /// Refuses an action in read-only mode, saying so.
    pub(super) fn refused(&mut self, what: &str) -> bool {
        if self.settings.read_only {
            self.say(
                Level::Error,
                format!("read-only mode: {what} is disabled (--read-only or read_only = true)"),
            );
        }
        self.settings.read_only
    }

    /// `u`: brings up the selected declared service, or the whole project.
    pub(super) fn up_selection(&mut self) -> Vec<Command> {
        let (key, service) = match self.selected_row().cloned() {
            Some(Row::Declared { project, service }) => (project, Some(service)),
            Some(Row::Project(engine, Some(project))) => (ProjectKey::new(engine, project), None),
            Some(Row::Container(id)) => match self.store.container(&id) {
                Some(
                    c @ Container {
                        service: Some(s), ..
                    },
                ) if c.project.is_some() => {
                    (ProjectKey::of(c).unwrap_or_default(), Some(s.clone()))
                }
                _ => return self.nothing("up works on compose services"),
            },
            _ => return self.nothing("up works on compose services and projects"),
        };
        let Some(loaded) = self.store.projects.get(&key).cloned() else {
            return self.nothing(&self.not_read(&key));
        };
        if self
            .store
            .files
            .get(&key)
            .and_then(Files::invalid)
            .is_some()
        {
            let what = format!(
                "Compose refuses the files of {}: nothing is brought up from them (m shows why)",
                key.name
            );
            return self.nothing(&what);
        }
        let label = service.clone().unwrap_or_else(|| key.name.clone());
        self.say(Level::Info, format!("bringing up {label}…"));
        vec![Command::Up {
            engine: key.engine,
            project: Box::new(loaded),
            service,
        }]
    }

    /// Why the files of a project are not at hand.
    fn not_read(&self, key: &ProjectKey) -> String {
        match self.store.engines.get(key.engine.index()) {
            Some(state) if !state.is_local() => format!(
                "the compose files of {} are on the engine's host ({}): not read here",
                key.name, state.endpoint
            ),
            _ => format!("the compose files of {} are not read yet", key.name),
        }
    }

    /// `X`: plans a reset of the selected service or project; the plan
    /// comes back with volume sizes and is confirmed before anything runs.
    pub(super) fn reset_selection(&mut self) -> Vec<Command> {
        let (engine, project, services) = match self.selected_row().cloned() {
            Some(Row::Project(engine, Some(project))) => (engine, project, None),
            Some(Row::Container(id)) => match self.store.container(&id) {
                Some(Container {
                    engine,
                    project: Some(p),
                    service: Some(s),
                    ..
                }) => (*engine, p.clone(), Some(vec![s.clone()])),
                _ => return self.nothing("reset works on compose services and projects"),
            },
            _ => return self.nothing("reset works on compose services and projects"),
        };
        match self.plan_reset_on(engine, &project, services.as_deref()) {
            Ok(plan) => {
                self.say(Level::Info, "sizing the volumes to remove…".to_string());
                vec![Command::PlanReset(Box::new(plan))]
            }
            Err(why) => self.nothing(&why),
        }
    }

    fn nothing(&mut self, why: &str) -> Vec<Command> {
        self.say(Level::Info, why.to_string());
        Vec::new()
    }

    /// The reset plan of `services` of `project` (`None`: all of them), on
    /// the first engine that runs it.
    pub fn plan_reset(
        &self,
        project: &str,
        services: Option<&[String]>,
    ) -> Result<ResetPlan, String> {
        let engine = self.store.engine_running(project).unwrap_or_default();
        self.plan_reset_on(engine, project, services)
    }

    /// The same, on one engine of several: only its containers count.
    fn plan_reset_on(
        &self,
        engine: EngineId,
        project: &str,
        services: Option<&[String]>,
    ) -> Result<ResetPlan, String> {
        let key = ProjectKey::new(engine, project);
        let loaded = self.store.projects.get(&key).map(|p| &p.location);
        let theirs: Vec<Container> = self
            .store
            .containers
            .iter()
            .filter(|c| c.engine == engine)
            .cloned()
            .collect();
        plan_reset(&theirs, project, services, loaded)
    }
}
