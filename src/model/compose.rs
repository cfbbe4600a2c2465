//! Compose projects as declared in their files, and reset plans.

use super::{Container, EngineId};

/// A compose project is known by its engine and its name: the same name on
/// two engines is two projects, with their own files, rows and steps.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ProjectKey {
    pub engine: EngineId,
    pub name: String,
}

impl ProjectKey {
    pub fn new(engine: EngineId, name: impl Into<String>) -> Self {
        Self {
            engine,
            name: name.into(),
        }
    }

    /// The project of container `c`, if it belongs to one.
    pub fn of(c: &Container) -> Option<Self> {
        Some(Self::new(c.engine, c.project.clone()?))
    }
}

/// A volume mounted by a container or declared for a service.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

/// Which compose project, and how compose is pointed at it: `-p NAME
/// --project-directory WORKING_DIR -f FILE… --env-file FILE… --profile P…`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProjectLocation {
    pub name: String,
    pub working_dir: String,
    /// Compose files; empty means compose's default file of the folder.
    pub files: Vec<String>,
    /// Env files; empty means the working dir's `.env`.
    pub env_files: Vec<String>,
    /// Profiles asked for; empty means `COMPOSE_PROFILES`.
    pub profiles: Vec<String>,
}

impl ProjectLocation {
    /// Where compose put the project of container `c`, from its labels.
    pub fn from_labels(c: &Container) -> Option<Self> {
        let (project, dir) = (c.project.as_ref()?, c.spec.compose_working_dir.as_ref()?);
        (!c.spec.compose_files.is_empty()).then(|| Self {
            name: project.clone(),
            working_dir: dir.clone(),
            files: c.spec.compose_files.clone(),
            env_files: c.spec.compose_env_files.clone(),
            profiles: Vec::new(),
        })
    }
}

/// A compose project: where its files are and what they declare.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ComposeProject {
    pub location: ProjectLocation,
    /// Services active with the current profiles, in file order.
    pub services: Vec<DeclaredService>,
}

impl ComposeProject {
    pub fn name(&self) -> &str {
        &self.location.name
    }
}

/// The compose CLI refused a project's files that stacktop's own reader
/// read: which CLI, and its whole message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliFailure {
    pub program: String,
    pub error: String,
    /// Compose's own words when it refuses the files (compose v2 ran and
    /// said so, or stacktop's reader found what Compose refuses). v1
    /// refuses newer syntax Compose accepts, and a CLI may time out:
    /// neither says the files are wrong.
    pub refusal: Option<String>,
}
