//! What a reset removes, worked out from the containers the engine reports.

use crate::model::{Container, ResetPlan, VolumeToRemove};

/// Whether `container` is one a reset of `services` (or of the whole
/// `project`) stops and removes.
fn in_reset(
    container: &Container,
    project: &str,
    services: &[String],
    whole_project: bool,
) -> bool {
    container.project.as_deref() == Some(project)
        && (whole_project
            || container
                .service
                .as_ref()
                .is_some_and(|s| services.contains(s)))
}

/// The volumes a reset removes: every volume mounted by the containers
/// reset and by no other container (of this project or any other), named
/// and anonymous, once each, in mount order.
pub fn plan_volumes(
    containers: &[Container],
    project: &str,
    services: &[String],
    whole_project: bool,
) -> Vec<VolumeToRemove> {
    let (reset, others): (Vec<&Container>, Vec<&Container>) = containers
        .iter()
        .partition(|c| in_reset(c, project, services, whole_project));
    let used_elsewhere = |name: &str| {
        others.iter().any(|c| {
            c.spec
                .volumes
                .iter()
                .any(|v| v.name.as_deref() == Some(name))
        })
    };
    let mut volumes: Vec<VolumeToRemove> = Vec::new();
    for mount in reset.iter().flat_map(|c| &c.spec.volumes) {
        let Some(name) = mount.name.as_deref() else {
            continue;
        };
        if used_elsewhere(name) || volumes.iter().any(|v| v.name == name) {
            continue;
        }
        volumes.push(VolumeToRemove {
            name: name.to_string(),
            size_bytes: None,
            anonymous: mount.anonymous,
        });
    }
    volumes
}

/// A reset plan of `services` (or of the whole project) from the engine's
/// containers; volumes as [`plan_volumes`], sizes not known yet. The
/// compose files and working dir are those of the first container reset.
pub fn plan_reset(
    containers: &[Container],
    project: &str,
    services: &[String],
    whole_project: bool,
) -> ResetPlan {
    let reset: Vec<&Container> = containers
        .iter()
        .filter(|c| in_reset(c, project, services, whole_project))
        .collect();
    let first_spec = reset.first().map(|c| &c.spec);
    ResetPlan {
        project: project.to_string(),
        services: services.to_vec(),
        whole_project,
        containers: reset
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect(),
        volumes: plan_volumes(containers, project, services, whole_project),
        working_dir: first_spec
            .and_then(|s| s.compose_working_dir.clone())
            .unwrap_or_default(),
        files: first_spec
            .map(|s| s.compose_files.clone())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContainerSpec, ContainerState, Health, VolumeMount};

    fn container(id: &str, project: &str, service: &str, volumes: &[(&str, bool)]) -> Container {
        Container {
            id: id.to_string(),
            name: format!("{project}-{service}-1"),
            project: Some(project.to_string()),
            service: Some(service.to_string()),
            number: Some(1),
            image: "busybox".to_string(),
            state: ContainerState::Running,
            health: Health::None,
            started_at: None,
            finished_at: None,
            restart_count: 0,
            ports: Vec::new(),
            tty: false,
            spec: ContainerSpec {
                compose_working_dir: Some("/src/shop".to_string()),
                compose_files: vec!["/src/shop/compose.yaml".to_string()],
                volumes: volumes
                    .iter()
                    .map(|(name, anonymous)| VolumeMount {
                        name: Some(name.to_string()),
                        target: format!("/{name}"),
                        anonymous: *anonymous,
                    })
                    .collect(),
                ..ContainerSpec::default()
            },
        }
    }

    fn names(volumes: &[VolumeToRemove]) -> Vec<&str> {
        volumes.iter().map(|v| v.name.as_str()).collect()
    }

    #[test]
    fn shared_volumes_are_kept_own_and_anonymous_ones_removed() {
        let containers = vec![
            container(
                "1",
                "shop",
                "db",
                &[
                    ("shop_pgdata", false),
                    ("abc123", true),
                    ("shop_shared", false),
                ],
            ),
            container("2", "shop", "web", &[("shop_shared", false)]),
            container("3", "other", "db", &[("other_pgdata", false)]),
        ];
        let db = ["db".to_string()];
        assert_eq!(
            names(&plan_volumes(&containers, "shop", &db, false)),
            ["shop_pgdata", "abc123"]
        );
        let plan = plan_reset(&containers, "shop", &db, false);
        assert_eq!(
            plan.containers,
            [("1".to_string(), "shop-db-1".to_string())]
        );
        assert_eq!(plan.working_dir, "/src/shop");
        assert!(plan.volumes[1].anonymous);
    }

    #[test]
    fn whole_project_takes_every_container_and_volume_of_it_only() {
        let containers = vec![
            container("1", "shop", "db", &[("shop_pgdata", false)]),
            container("2", "shop", "web", &[("shop_shared", false)]),
            container("3", "other", "db", &[("shop_shared", false)]),
        ];
        let plan = plan_reset(
            &containers,
            "shop",
            &["db".to_string(), "web".to_string()],
            true,
        );
        assert_eq!(plan.containers.len(), 2);
        assert_eq!(
            names(&plan.volumes),
            ["shop_pgdata"],
            "a volume another project mounts stays"
        );
    }
}
