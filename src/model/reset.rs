//! Resets: what one removes, worked out from the containers the engine
//! reports. The one planner, for the app and for whoever else asks.

use super::{ComposeVerb, ComposeWork, Container, EngineId, ProjectKey, ProjectLocation};

/// What a reset will remove before it recreates the service(s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetPlan {
    /// The engine that runs the project: every step goes to it.
    pub engine: EngineId,
    /// The project, and how compose recreates its services.
    pub location: ProjectLocation,
    /// The services reset; all of the project's when `whole_project`.
    pub services: Vec<String>,
    pub whole_project: bool,
    /// Containers stopped and removed.
    pub containers: Vec<ContainerRef>,
    /// Volumes removed: every one is listed in the confirmation.
    pub volumes: Vec<VolumeToRemove>,
}

impl ResetPlan {
    pub fn project(&self) -> &str {
        &self.location.name
    }

    /// The compose job that carries it out.
    pub fn work(&self) -> ComposeWork {
        let services = if self.whole_project {
            Vec::new()
        } else {
            self.services.clone()
        };
        let project = ProjectKey::new(self.engine, self.project());
        ComposeWork::new(project, ComposeVerb::Reset, services)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeToRemove {
    pub name: String,
    /// Size the engine reports, if it does.
    pub size_bytes: Option<u64>,
    pub anonymous: bool,
}

/// A container named in a plan: its id, and its name for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerRef {
    pub id: String,
    pub name: String,
}

/// What a reset covers: the services of one project, or all of them.
#[derive(Debug, Clone, Copy)]
struct Scope<'a> {
    project: &'a str,
    /// `None`: the whole project.
    services: Option<&'a [String]>,
}

impl Scope<'_> {
    /// Whether `container` is one the reset stops and removes.
    fn covers(&self, container: &Container) -> bool {
        container.project.as_deref() == Some(self.project)
            && self
                .services
                .is_none_or(|s| container.service.as_ref().is_some_and(|n| s.contains(n)))
    }
}

/// The volumes a reset removes: every volume mounted by the containers
/// reset and by no other container (of this project or any other), named
/// and anonymous, once each, in mount order.
fn plan_volumes(containers: &[Container], scope: Scope<'_>) -> Vec<VolumeToRemove> {
    let (reset, others): (Vec<&Container>, Vec<&Container>) =
        containers.iter().partition(|c| scope.covers(c));
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

/// The plan of a reset of `services` of `project` (`None`: the whole
/// project), worked out from the engine's containers: which containers and
/// volumes it removes (sizes not known yet), and how compose recreates
/// them. `loaded` is where the project's files were read from, when they
/// were; else the containers' compose labels say.
pub fn plan_reset(
    containers: &[Container],
    project: &str,
    services: Option<&[String]>,
    loaded: Option<&ProjectLocation>,
) -> Result<ResetPlan, String> {
    let scope = Scope { project, services };
    let members: Vec<&Container> = containers.iter().filter(|c| scope.covers(c)).collect();
    if members.is_empty() {
        return Err(format!("{project}: no container to reset"));
    }
    let location = loaded
        .cloned()
        .or_else(|| location_from_labels(project, &members))
        .ok_or_else(|| {
            format!("{project}: its compose files are unknown, so it cannot be recreated")
        })?;
    let mut names: Vec<String> = members.iter().filter_map(|c| c.service.clone()).collect();
    names.sort();
    names.dedup();
    Ok(ResetPlan {
        engine: members[0].engine,
        location,
        services: names,
        whole_project: services.is_none(),
        containers: members
            .iter()
            .map(|c| ContainerRef {
                id: c.id.clone(),
                name: c.name.clone(),
            })
            .collect(),
        volumes: plan_volumes(containers, scope),
    })
}

/// Where compose put a project, from the labels of its containers.
fn location_from_labels(project: &str, members: &[&Container]) -> Option<ProjectLocation> {
    members
        .iter()
        .filter(|c| c.project.as_deref() == Some(project))
        .find_map(|c| ProjectLocation::from_labels(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sample;
    use crate::model::VolumeMount;

    fn container(id: &str, project: &str, service: &str, volumes: &[(&str, bool)]) -> Container {
        let mounts = volumes.iter().map(|(name, anonymous)| VolumeMount {
            name: Some(name.to_string()),
            target: format!("/{name}"),
            anonymous: *anonymous,
        });
        Sample::service(project, service, 1)
            .id(id)
            .spec(|spec| {
                spec.compose_working_dir = Some("/src/shop".to_string());
                spec.compose_files = vec!["/src/shop/compose.yaml".to_string()];
                spec.volumes = mounts.collect();
            })
            .build()
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
        let plan = plan_reset(&containers, "shop", Some(&db), None).unwrap();
        assert_eq!(names(&plan.volumes), ["shop_pgdata", "abc123"]);
        assert_eq!(
            plan.containers,
            [ContainerRef {
                id: "1".into(),
                name: "shop-db-1".into()
            }]
        );
        assert_eq!(plan.location.working_dir, "/src/shop");
        assert_eq!(plan.services, ["db"]);
        assert!(!plan.whole_project);
        assert!(plan.volumes[1].anonymous);
    }

    #[test]
    fn whole_project_takes_every_container_and_volume_of_it_only() {
        let containers = vec![
            container("1", "shop", "db", &[("shop_pgdata", false)]),
            container("2", "shop", "web", &[("shop_shared", false)]),
            container("3", "other", "db", &[("shop_shared", false)]),
        ];
        let plan = plan_reset(&containers, "shop", None, None).unwrap();
        assert_eq!(plan.containers.len(), 2);
        assert_eq!(plan.services, ["db", "web"]);
        assert_eq!(
            names(&plan.volumes),
            ["shop_pgdata"],
            "a volume another project mounts stays"
        );
    }

    #[test]
    fn nothing_to_reset_or_no_files_known_is_said() {
        let mut containers = vec![container("1", "shop", "db", &[])];
        let err = plan_reset(&containers, "other", None, None).unwrap_err();
        assert!(err.contains("no container"), "{err}");
        containers[0].spec.compose_files.clear();
        let err = plan_reset(&containers, "shop", None, None).unwrap_err();
        assert!(err.contains("compose files are unknown"), "{err}");
        let loaded = ProjectLocation {
            name: "shop".into(),
            working_dir: "/elsewhere".into(),
            ..Default::default()
        };
        let plan = plan_reset(&containers, "shop", None, Some(&loaded)).unwrap();
        assert_eq!(plan.location, loaded, "what was read wins over labels");
    }
}
