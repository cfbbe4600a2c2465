//! Compose projects as declared in their files, and reset plans.

/// A volume mounted by a container or declared for a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeMount {
    /// Engine name of the volume (`shop_pgdata`); for an anonymous volume
    /// the engine's generated name, or `None` when only declared.
    pub name: Option<String>,
    /// Path inside the container.
    pub target: String,
    /// An anonymous volume (no name in the compose file).
    pub anonymous: bool,
}

/// One service as the compose files declare it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeclaredService {
    pub name: String,
    pub image: Option<String>,
    /// Profiles the service belongs to; empty means always active.
    pub profiles: Vec<String>,
    /// Named volumes of the project it mounts, by their compose key
    /// (`pgdata`), and anonymous volume targets.
    pub volumes: Vec<VolumeMount>,
    /// Replicas asked for (`scale` / `deploy.replicas`), 1 by default.
    pub replicas: u32,
}

/// A compose project: where its files are and what they declare.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ComposeProject {
    pub name: String,
    pub working_dir: String,
    pub files: Vec<String>,
    /// Services active with the current profiles, in file order.
    pub services: Vec<DeclaredService>,
}

/// What a reset will remove before it recreates the service(s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetPlan {
    pub project: String,
    /// The services reset; all of the project's when `whole_project`.
    pub services: Vec<String>,
    pub whole_project: bool,
    /// Containers stopped and removed: (id, name).
    pub containers: Vec<(String, String)>,
    /// Volumes removed: every one is listed in the confirmation.
    pub volumes: Vec<VolumeToRemove>,
    /// Compose files, working dir: how the service is recreated.
    pub working_dir: String,
    pub files: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeToRemove {
    pub name: String,
    /// Size the engine reports, if it does.
    pub size_bytes: Option<u64>,
    pub anonymous: bool,
}
