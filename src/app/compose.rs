//! Compose projects in the app: declared services, up and reset.

use super::rows::NotCreated;
use super::{App, ComposeStep, Confirm, Level, Overlay, Row};
use crate::command::{Collect, Command};
use crate::event::ComposeEvent;
use crate::model::{Container, DeclaredService, EngineId, ProjectLocation, ResetPlan, plan_reset};

impl App {
    /// Asks for the declared services of every project not read yet: those
    /// of the containers' labels and the one of the current folder.
    pub(super) fn load_new_projects(&mut self) -> Vec<Command> {
        let mut wanted: Vec<ProjectLocation> = Vec::new();
        wanted.extend(self.settings.local_compose.clone());
        wanted.extend(
            self.containers
                .iter()
                .filter_map(ProjectLocation::from_labels),
        );
        wanted
            .into_iter()
            .filter(|location| self.requested_projects.insert(location.name.clone()))
            .map(|location| Command::Collect(Collect::LoadProject(location)))
            .collect()
    }

    pub(super) fn on_compose(&mut self, event: ComposeEvent) -> Vec<Command> {
        match event {
            ComposeEvent::Loaded {
                project,
                cli_failure,
            } => {
                if let Some(failure) = cli_failure {
                    let text = format!(
                        "{} could not read project {}'s files; stacktop's reader read them",
                        failure.program,
                        project.name()
                    );
                    self.say_more(Level::Info, text, Some(failure.error));
                }
                self.projects.insert(project.name().to_string(), *project);
                self.rebuild_rows();
            }
            ComposeEvent::LoadFailed { project, error } => {
                let text = format!("reading compose project {project} failed");
                self.say_more(Level::Error, text, Some(error));
            }
            ComposeEvent::ResetPlanned(plan) => {
                self.overlay = Some(Overlay::Confirm(Box::new(Confirm::Reset(*plan))));
            }
            ComposeEvent::Progress {
                project,
                label,
                step,
            } => {
                self.say(Level::Info, format!("{label}: {step}"));
                self.compose_steps
                    .insert(project, ComposeStep { label, step });
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
        let (engine, project, service) = match self.selected_row().cloned() {
            Some(Row::Declared { project, service }) => {
                (self.engine_of_project(&project), project, Some(service))
            }
            Some(Row::Project(engine, Some(project))) => (engine, project, None),
            Some(Row::Container(id)) => match self.container(&id) {
                Some(Container {
                    engine,
                    project: Some(p),
                    service: Some(s),
                    ..
                }) => (*engine, p.clone(), Some(s.clone())),
                _ => return self.nothing("up works on compose services"),
            },
            _ => return self.nothing("up works on compose services and projects"),
        };
        let Some(loaded) = self.projects.get(&project).cloned() else {
            return self.nothing(&format!("the compose files of {project} are not read yet"));
        };
        let label = service.clone().unwrap_or_else(|| project.clone());
        self.say(Level::Info, format!("bringing up {label}…"));
        vec![Command::Up {
            engine,
            project: Box::new(loaded),
            service,
        }]
    }

    /// `X`: plans a reset of the selected service or project; the plan
    /// comes back with volume sizes and is confirmed before anything runs.
    pub(super) fn reset_selection(&mut self) -> Vec<Command> {
        let (engine, project, services) = match self.selected_row().cloned() {
            Some(Row::Project(engine, Some(project))) => (engine, project, None),
            Some(Row::Container(id)) => match self.container(&id) {
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

    /// The reset plan of `services` of `project` (`None`: all of them).
    pub fn plan_reset(
        &self,
        project: &str,
        services: Option<&[String]>,
    ) -> Result<ResetPlan, String> {
        self.plan_reset_on(self.engine_of_project(project), project, services)
    }

    /// The same, on one engine of several: only its containers count.
    fn plan_reset_on(
        &self,
        engine: EngineId,
        project: &str,
        services: Option<&[String]>,
    ) -> Result<ResetPlan, String> {
        let loaded = self.projects.get(project).map(|p| &p.location);
        let theirs: Vec<Container> = self
            .containers
            .iter()
            .filter(|c| c.engine == engine)
            .cloned()
            .collect();
        plan_reset(&theirs, project, services, loaded)
    }

    /// The engine that runs `project` (the first engine when none does
    /// yet: a project not created is brought up there).
    pub fn engine_of_project(&self, project: &str) -> EngineId {
        self.containers
            .iter()
            .find(|c| c.project.as_deref() == Some(project))
            .map_or(EngineId::default(), |c| c.engine)
    }

    /// How `service` of `project` is declared, once its files were read.
    pub fn declared_service(&self, project: &str, service: &str) -> Option<&DeclaredService> {
        self.projects
            .get(project)?
            .services
            .iter()
            .find(|s| s.name == service)
    }

    /// Declared services of loaded projects that have no container.
    pub fn not_created(&self) -> Vec<NotCreated<'_>> {
        let mut missing = Vec::new();
        for project in self.projects.values() {
            for service in &project.services {
                let exists = self.containers.iter().any(|c| {
                    c.project.as_deref() == Some(project.name())
                        && c.service.as_deref() == Some(service.name.as_str())
                });
                if !exists {
                    missing.push(NotCreated {
                        engine: self.engine_of_project(project.name()),
                        project: project.name(),
                        service,
                    });
                }
            }
        }
        missing
    }
}
