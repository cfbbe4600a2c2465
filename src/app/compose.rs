//! Compose projects in the app: declared services, up and reset.

use super::{App, Confirm, Level, Row};
use crate::event::{Command, ComposeEvent};
use crate::model::{Container, ResetPlan, VolumeToRemove};

impl App {
    /// Asks for the declared services of every project not read yet: those
    /// of the containers' labels and the one of the current folder.
    pub(super) fn load_new_projects(&mut self) -> Vec<Command> {
        let mut wanted: Vec<(String, String, Vec<String>)> = Vec::new();
        if let Some(local) = self.settings.local_compose.clone() {
            wanted.push(local);
        }
        for c in &self.containers {
            if let (Some(project), Some(dir)) = (&c.project, &c.spec.compose_working_dir)
                && !c.spec.compose_files.is_empty()
            {
                wanted.push((project.clone(), dir.clone(), c.spec.compose_files.clone()));
            }
        }
        let mut commands = Vec::new();
        for (name, working_dir, files) in wanted {
            if self.requested_projects.insert(name.clone()) {
                commands.push(Command::LoadProject {
                    name,
                    working_dir,
                    files,
                });
            }
        }
        commands
    }

    pub(super) fn on_compose(&mut self, event: ComposeEvent) -> Vec<Command> {
        match event {
            ComposeEvent::Loaded(project) => {
                self.projects.insert(project.name.clone(), *project);
                self.rebuild_rows();
            }
            ComposeEvent::LoadFailed { project, error } => {
                self.say(
                    Level::Error,
                    format!("reading compose project {project}: {error}"),
                );
            }
            ComposeEvent::ResetPlanned(plan) => self.ask_reset(*plan),
            ComposeEvent::Progress {
                project,
                label,
                step,
            } => {
                self.say(Level::Info, format!("{label}: {step}"));
                self.compose_steps.insert(project, (label, step));
            }
            ComposeEvent::Done {
                project, result, ..
            } => {
                self.compose_steps.remove(&project);
                match result {
                    Ok(text) => self.say(Level::Info, text),
                    Err(text) => self.say(Level::Error, text),
                }
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
        let (project, service) = match self.selected_row().cloned() {
            Some(Row::Declared(project, service)) => (project, Some(service)),
            Some(Row::Project(Some(project))) => (project, None),
            Some(Row::Container(id)) => match self.container(&id) {
                Some(Container {
                    project: Some(p),
                    service: Some(s),
                    ..
                }) => (p.clone(), Some(s.clone())),
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
            project: Box::new(loaded),
            service,
        }]
    }

    /// `X`: plans a reset of the selected service or project; the plan
    /// comes back with volume sizes and is confirmed before anything runs.
    pub(super) fn reset_selection(&mut self) -> Vec<Command> {
        let (project, services) = match self.selected_row().cloned() {
            Some(Row::Project(Some(project))) => (project, None),
            Some(Row::Container(id)) => match self.container(&id) {
                Some(Container {
                    project: Some(p),
                    service: Some(s),
                    ..
                }) => (p.clone(), Some(vec![s.clone()])),
                _ => return self.nothing("reset works on compose services and projects"),
            },
            _ => return self.nothing("reset works on compose services and projects"),
        };
        match self.plan_reset(&project, services) {
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

    /// Which containers and volumes a reset removes: the service's (or the
    /// project's) containers, their anonymous volumes, and the named volumes
    /// they mount that no other container mounts.
    pub fn plan_reset(
        &self,
        project: &str,
        services: Option<Vec<String>>,
    ) -> Result<ResetPlan, String> {
        let in_plan = |c: &Container| {
            c.project.as_deref() == Some(project)
                && services
                    .as_ref()
                    .is_none_or(|s| c.service.as_ref().is_some_and(|n| s.contains(n)))
        };
        let members: Vec<&Container> = self.containers.iter().filter(|c| in_plan(c)).collect();
        if members.is_empty() {
            return Err(format!("{project}: no container to reset"));
        }
        let mounted_elsewhere = |name: &str| {
            self.containers.iter().filter(|c| !in_plan(c)).any(|c| {
                c.spec
                    .volumes
                    .iter()
                    .any(|v| v.name.as_deref() == Some(name))
            })
        };
        let mut volumes: Vec<VolumeToRemove> = Vec::new();
        for volume in members.iter().flat_map(|c| &c.spec.volumes) {
            let Some(name) = &volume.name else { continue };
            if mounted_elsewhere(name) || volumes.iter().any(|v| &v.name == name) {
                continue;
            }
            volumes.push(VolumeToRemove {
                name: name.clone(),
                size_bytes: None,
                anonymous: volume.anonymous,
            });
        }
        let (working_dir, files) = self.compose_location(project, &members)?;
        let mut service_names: Vec<String> =
            members.iter().filter_map(|c| c.service.clone()).collect();
        service_names.sort();
        service_names.dedup();
        Ok(ResetPlan {
            project: project.to_string(),
            whole_project: services.is_none(),
            services: service_names,
            containers: members
                .iter()
                .map(|c| (c.id.clone(), c.name.clone()))
                .collect(),
            volumes,
            working_dir,
            files,
        })
    }

    fn compose_location(
        &self,
        project: &str,
        members: &[&Container],
    ) -> Result<(String, Vec<String>), String> {
        if let Some(loaded) = self.projects.get(project) {
            return Ok((loaded.working_dir.clone(), loaded.files.clone()));
        }
        members
            .iter()
            .find_map(|c| {
                let dir = c.spec.compose_working_dir.clone()?;
                (!c.spec.compose_files.is_empty()).then(|| (dir, c.spec.compose_files.clone()))
            })
            .ok_or_else(|| {
                format!("{project}: its compose files are unknown, so it cannot be recreated")
            })
    }

    fn ask_reset(&mut self, plan: ResetPlan) {
        let what = if plan.whole_project {
            format!("the whole project {}", plan.project)
        } else {
            format!(
                "service {} of project {}",
                plan.services.join(", "),
                plan.project
            )
        };
        let mut lines = vec![format!("Reset {what}?")];
        let names: Vec<&str> = plan.containers.iter().map(|(_, n)| n.as_str()).collect();
        lines.push(format!("Stops and removes: {}", names.join(", ")));
        if plan.volumes.is_empty() {
            lines.push("No volume is deleted.".to_string());
        } else {
            lines.push("Deletes these volumes, and their data:".to_string());
            for v in &plan.volumes {
                lines.push(format!("  {}", volume_line(v)));
            }
        }
        lines.push("Then creates and starts it again from its compose definition.".to_string());
        self.confirm = Some(Confirm {
            question: lines.join("\n"),
            command: Command::Reset(Box::new(plan)),
        });
    }

    /// Declared services of loaded projects that have no container.
    pub(super) fn not_created(&self) -> Vec<(String, String)> {
        let mut missing = Vec::new();
        for project in self.projects.values() {
            for service in &project.services {
                let exists = self.containers.iter().any(|c| {
                    c.project.as_deref() == Some(project.name.as_str())
                        && c.service.as_deref() == Some(service.name.as_str())
                });
                if !exists {
                    missing.push((project.name.clone(), service.name.clone()));
                }
            }
        }
        missing
    }
}

fn volume_line(v: &VolumeToRemove) -> String {
    let name = if v.anonymous {
        format!("{} (anonymous)", &v.name[..v.name.len().min(12)])
    } else {
        v.name.clone()
    };
    match v.size_bytes {
        Some(size) => format!("{name}  {}", crate::ui::format_bytes(size)),
        None => format!("{name}  (size unknown)"),
    }
}
