//! Reset and up through the Engine API alone, for machines without a
//! compose CLI. Each container is recreated from its own inspected
//! configuration, captured before anything is removed: image, command,
//! entrypoint, environment, labels (compose's too, so it stays in its
//! project), mounts, published ports, networks with their aliases, restart
//! policy, health check, user, working dir, hostname, init, stop signal and
//! timeout all come back as they were.

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::{NetworkConnectRequest, VolumeCreateRequest};
use bollard::query_parameters::{
    CreateContainerOptions, ListContainersOptions, RemoveContainerOptions, StopContainerOptions,
};

use super::Steps;
use super::check::{check_plan, summary_name};
use super::cli::summary;
use super::recipe::{Recipe, recipe};
use super::volumes::remove_volumes;
use crate::engine::STOP_TIMEOUT_SECS;
use crate::engine::{PROJECT_LABEL, SERVICE_LABEL, describe, is_not_found};
use crate::model::ResetPlan;

/// Longest wait for one engine request: a stop waits for its timeout.
pub(super) const API_TIMEOUT: Duration = Duration::from_secs(STOP_TIMEOUT_SECS as u64 + 30);

pub(super) async fn reset(
    docker: &Docker,
    plan: &ResetPlan,
    steps: &mut Steps<'_>,
) -> Result<String, String> {
    steps.begin("check the plan").await;
    let inspected = check_plan(docker, plan).await?;
    if let Some(gone) = plan.containers.iter().find(|c| {
        !inspected
            .iter()
            .any(|i| i.id.as_deref() == Some(c.id.as_str()))
    }) {
        return Err(format!(
            "container {} no longer exists: without a compose CLI nothing can recreate it",
            gone.name
        ));
    }

    steps
        .begin("read the containers' and volumes' settings")
        .await;
    let mut recipes: Vec<Recipe> = inspected.into_iter().map(recipe).collect();
    recipes.sort_by_key(|r| r.number);
    let volume_settings = volume_settings(docker, plan, &recipes).await?;

    for container in &plan.containers {
        steps
            .begin(format!("remove container {}", container.name))
            .await;
        remove_container(docker, &container.id).await?;
    }
    let removed = remove_volumes(docker, plan, steps).await?;

    for recipe in &recipes {
        steps.begin(format!("create {}", recipe.name)).await;
        create(docker, recipe, &volume_settings).await?;
        steps.begin(format!("start {}", recipe.name)).await;
        docker
            .start_container(&recipe.name, None)
            .await
            .map_err(|e| describe(&e))?;
    }
    Ok(summary(recipes.len(), removed))
}

/// Without a CLI, `up` can only start containers that exist.
pub(super) async fn up(
    docker: &Docker,
    project: &str,
    service: Option<&str>,
    steps: &mut Steps<'_>,
) -> Result<String, String> {
    steps.begin("find the containers").await;
    let mut labels = vec![format!("{PROJECT_LABEL}={project}")];
    labels.extend(service.map(|s| format!("{SERVICE_LABEL}={s}")));
    let options = ListContainersOptions {
        all: true,
        filters: Some(HashMap::from([("label".to_string(), labels)])),
        ..Default::default()
    };
    let containers = docker
        .list_containers(Some(options))
        .await
        .map_err(|e| describe(&e))?;
    if containers.is_empty() {
        let what = service.unwrap_or(project);
        return Err(format!(
            "{what} was never created: creating it needs a compose CLI (docker compose or docker-compose)"
        ));
    }
    let mut started = 0;
    for container in containers {
        let running = container.state.as_ref().map(|s| s.to_string()).as_deref() == Some("running");
        if running {
            continue;
        }
        let name = summary_name(&container);
        steps.begin(format!("start {name}")).await;
        let id = container.id.unwrap_or_default();
        docker
            .start_container(&id, None)
            .await
            .map_err(|e| describe(&e))?;
        started += 1;
    }
    Ok(format!("{started} containers started"))
}

async fn remove_container(docker: &Docker, id: &str) -> Result<(), String> {
    let stop = StopContainerOptions {
        t: Some(STOP_TIMEOUT_SECS),
        signal: None,
    };
    match docker.stop_container(id, Some(stop)).await {
        Ok(()) => {}
        Err(e) if is_not_found(&e) => return Ok(()),
        // 304: already stopped.
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 304, ..
        }) => {}
        Err(e) => return Err(describe(&e)),
    }
    let remove = RemoveContainerOptions {
        v: true,
        force: true,
        link: false,
    };
    match docker.remove_container(id, Some(remove)).await {
        Ok(()) => Ok(()),
        Err(e) if is_not_found(&e) => Ok(()),
        Err(e) => Err(describe(&e)),
    }
}

/// Driver, options and labels of the plan's named volumes the containers
/// mount, read before they are removed, to create them again alike.
async fn volume_settings(
    docker: &Docker,
    plan: &ResetPlan,
    recipes: &[Recipe],
) -> Result<HashMap<String, VolumeCreateRequest>, String> {
    let mut settings = HashMap::new();
    for recipe in recipes {
        for name in &recipe.named_volumes {
            if settings.contains_key(name) || !plan.volumes.iter().any(|v| &v.name == name) {
                continue;
            }
            let volume = docker
                .inspect_volume(name)
                .await
                .map_err(|e| format!("inspecting volume {name}: {}", describe(&e)))?;
            settings.insert(
                name.clone(),
                VolumeCreateRequest {
                    name: Some(volume.name),
                    driver: Some(volume.driver),
                    driver_opts: Some(volume.options),
                    labels: Some(volume.labels),
                    ..Default::default()
                },
            );
        }
    }
    Ok(settings)
}

async fn create(
    docker: &Docker,
    recipe: &Recipe,
    volumes: &HashMap<String, VolumeCreateRequest>,
) -> Result<(), String> {
    for name in &recipe.named_volumes {
        if let Some(request) = volumes.get(name) {
            match docker.inspect_volume(name).await {
                Ok(_) => {}
                Err(e) if is_not_found(&e) => {
                    docker
                        .create_volume(request.clone())
                        .await
                        .map_err(|e| format!("creating volume {name}: {}", describe(&e)))?;
                }
                Err(e) => return Err(describe(&e)),
            }
        }
    }
    let options = CreateContainerOptions {
        name: Some(recipe.name.clone()),
        ..Default::default()
    };
    docker
        .create_container(Some(options), recipe.body.clone())
        .await
        .map_err(|e| describe(&e))?;
    for (network, endpoint) in &recipe.more_networks {
        let request = NetworkConnectRequest {
            container: recipe.name.clone(),
            endpoint_config: Some(endpoint.clone()),
        };
        docker
            .connect_network(network, request)
            .await
            .map_err(|e| format!("connecting to network {network}: {}", describe(&e)))?;
    }
    Ok(())
}
