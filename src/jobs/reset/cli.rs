//! Reset and up through the compose CLI, with the project's own files,
//! name and working dir. Volumes go through the Engine API, one by one, so
//! only the plan's are removed.

use std::collections::HashMap;

use bollard::Docker;

use super::Steps;
use super::check::check_plan;
use super::volumes::remove_volumes;
use crate::compose::ComposeCli;
use crate::engine::Engine;
use crate::model::{ComposeProject, ProjectLocation, ResetPlan};

/// The compose CLI pointed at the engine that owns the project.
pub(super) struct Cli {
    cli: ComposeCli,
    env: HashMap<String, String>,
}

impl Cli {
    pub(super) fn new(cli: ComposeCli, engine: &Engine) -> Self {
        let vars = std::env::vars();
        let env = match cli {
            ComposeCli::V2 => engine.cli_env(vars),
            // It reads no DOCKER_CONTEXT: a context named there would
            // leave it on the config's current engine.
            ComposeCli::V1 => engine.address_env(vars),
        };
        Self { cli, env }
    }

    async fn run(&self, project: &ProjectLocation, args: &[&str]) -> Result<String, String> {
        self.cli.run(project, args, Some(&self.env)).await
    }
}

pub(super) async fn reset(
    docker: &Docker,
    cli: &Cli,
    plan: &ResetPlan,
    steps: &mut Steps<'_>,
) -> Result<String, String> {
    let project = &plan.location;
    steps.begin("check the plan").await;
    check_plan(docker, plan).await?;

    let services: Vec<&str> = plan.services.iter().map(String::as_str).collect();
    if plan.whole_project {
        // Not `down -v`: that would remove every volume of the project, the
        // ones the plan does not list too. The plan's go one by one below.
        steps.begin("down").await;
        cli.run(project, &["down"]).await?;
    } else {
        steps
            .begin(format!("stop and remove {}", services.join(", ")))
            .await;
        let mut args = vec!["rm", "-s", "-f", "-v"];
        args.extend(&services);
        cli.run(project, &args).await?;
    }
    // `rm -v` removed the anonymous ones already: those count as removed.
    let removed = remove_volumes(docker, plan, steps).await?;

    let mut args = vec!["up", "-d"];
    if !plan.whole_project {
        args.push("--no-deps");
        args.extend(&services);
    }
    steps.begin(args.join(" ")).await;
    cli.run(project, &args).await?;
    Ok(summary(plan.containers.len(), removed))
}

pub(super) fn summary(containers: usize, volumes: usize) -> String {
    format!("{containers} containers recreated, {volumes} volumes removed")
}

pub(super) async fn up(
    cli: &Cli,
    project: &ComposeProject,
    service: Option<&str>,
    steps: &mut Steps<'_>,
) -> Result<String, String> {
    let mut up = vec!["up", "-d"];
    up.extend(service);
    steps.begin(up.join(" ")).await;
    // A service's own profiles go along, so it starts whatever the
    // environment's COMPOSE_PROFILES says.
    let mut location = project.location.clone();
    let declared = service.and_then(|name| project.services.iter().find(|s| s.name == name));
    for profile in declared.iter().flat_map(|s| &s.profiles) {
        if !location.profiles.contains(profile) {
            location.profiles.push(profile.clone());
        }
    }
    cli.run(&location, &up).await?;
    Ok(format!("started with {}", cli.cli.program()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Endpoint;

    #[test]
    fn compose_v1_is_pointed_at_a_context_by_its_address() {
        let east = Engine::new(Endpoint {
            name: "east".into(),
            host: "unix:///east.sock".into(),
            tls: None,
        });
        let v1 = Cli::new(ComposeCli::V1, &east);
        assert_eq!(v1.env["DOCKER_HOST"], "unix:///east.sock");
        assert!(!v1.env.contains_key("DOCKER_CONTEXT"), "{:?}", v1.env);
        let v2 = Cli::new(ComposeCli::V2, &east);
        assert_eq!(v2.env["DOCKER_CONTEXT"], "east");
        assert!(!v2.env.contains_key("DOCKER_HOST"), "{:?}", v2.env);
    }
}
