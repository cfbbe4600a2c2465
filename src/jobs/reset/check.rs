//! Before anything is removed: the plan must still cover what the reset
//! will remove. Compose removes a service's containers by label, and their
//! anonymous volumes with them; a container started since the plan was made
//! would go unconfirmed, so the reset stops instead.

use std::collections::HashMap;

use bollard::Docker;
use bollard::models::{ContainerInspectResponse, ContainerSummary};
use bollard::query_parameters::ListContainersOptions;

use crate::engine::{PROJECT_LABEL, SERVICE_LABEL, describe, is_not_found};
use crate::model::ResetPlan;

/// The engine's name for an anonymous volume: 64 hex digits.
pub(super) fn is_anonymous_name(name: &str) -> bool {
    name.len() == 64 && name.chars().all(|c| c.is_ascii_hexdigit())
}

/// Checks the plan against the engine and returns the inspected plan
/// containers that still exist, in plan order.
pub(super) async fn check_plan(
    docker: &Docker,
    plan: &ResetPlan,
) -> Result<Vec<ContainerInspectResponse>, String> {
    let listed = |id: &str| plan.containers.iter().any(|planned| planned.id == id);
    for (id, name, service) in project_containers(docker, plan.project()).await? {
        let covered = plan.whole_project || plan.services.contains(&service);
        if covered && !listed(&id) {
            return Err(format!(
                "container {name} of {service} is not in the confirmed plan (the stack changed since); plan the reset again"
            ));
        }
    }
    let mut inspected = Vec::new();
    for planned in &plan.containers {
        let name = &planned.name;
        match docker.inspect_container(&planned.id, None).await {
            Ok(inspect) => inspected.push(inspect),
            Err(e) if is_not_found(&e) => tracing::info!(container = %name, "already gone"),
            Err(e) => return Err(format!("inspecting {name}: {}", describe(&e))),
        }
    }
    let planned_volume = |name: &str| plan.volumes.iter().any(|v| v.name == name);
    for inspect in &inspected {
        for mount in inspect.mounts.iter().flatten() {
            let Some(volume) = mount.name.as_deref() else {
                continue;
            };
            if mount.typ.as_deref() == Some("volume")
                && is_anonymous_name(volume)
                && !planned_volume(volume)
            {
                return Err(format!(
                    "anonymous volume {volume} of {} is not in the confirmed plan; plan the reset again",
                    inspect
                        .name
                        .as_deref()
                        .unwrap_or_default()
                        .trim_start_matches('/')
                ));
            }
        }
    }
    Ok(inspected)
}

/// (id, name, service) of every container of `project`, running or not.
pub(super) async fn project_containers(
    docker: &Docker,
    project: &str,
) -> Result<Vec<(String, String, String)>, String> {
    let filters = HashMap::from([(
        "label".to_string(),
        vec![format!("{PROJECT_LABEL}={project}")],
    )]);
    let options = ListContainersOptions {
        all: true,
        filters: Some(filters),
        ..Default::default()
    };
    let summaries = docker
        .list_containers(Some(options))
        .await
        .map_err(|e| format!("listing the containers of {project}: {}", describe(&e)))?;
    Ok(summaries
        .into_iter()
        .map(|s| {
            let name = summary_name(&s);
            let service = s
                .labels
                .as_ref()
                .and_then(|l| l.get(SERVICE_LABEL))
                .cloned()
                .unwrap_or_default();
            (s.id.unwrap_or_default(), name, service)
        })
        .collect())
}

/// A listed container's name, without the leading slash.
pub(super) fn summary_name(summary: &ContainerSummary) -> String {
    summary
        .names
        .as_ref()
        .and_then(|n| n.first())
        .map(|n| n.trim_start_matches('/').to_string())
        .unwrap_or_default()
}
