//! The store: what the engines, probes, checks and compose files say.
//!
//! It holds no screen state, so the headless commands read the same
//! facts, and the same verdicts, as the list does.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset};

use super::containers::ServiceKey;
use super::engines::{Changed, EngineState};
use super::health::CheckState;
use super::messages::Level;
use super::probes::Probe;
use super::rows::{self, Arrange, Groups, NotCreated, Row, Shown};
use crate::command::{Collect, Command};
use crate::config::Settings;
use crate::engine::endpoint::Endpoint;
use crate::event::{ComposeEvent, Event};
use crate::model::sort::{Facts, SortKey};
use crate::model::trend::Trends;
use crate::model::{
    ComposeProject, Container, DeclaredService, EngineId, HealthCheck, HostSnapshot, ProjectKey,
    ProjectLocation, Stats, Target,
};

/// Where the reading of a project's compose files stands. They are read off
/// the thread that draws; the screen comes first and says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Files {
    /// Asked for, not answered yet: the project row says "reading…".
    Reading,
    Read,
    /// Reading them failed, for this reason (a notice says it too).
    Unreadable(String),
    /// On a remote engine's host: not read here.
    Elsewhere,
    /// Read by stacktop's own reader, but Compose refuses them, in these
    /// words: what runs is shown, nothing new is brought up from them.
    Invalid(String),
}

impl Files {
    /// Whether the project gets a row before it has any container: the
    /// user sees its files are being read, or could not be.
    pub fn shows_alone(&self) -> bool {
        matches!(self, Self::Reading | Self::Unreadable(_))
    }

    /// Why the files could not be read, when they could not.
    pub fn error(&self) -> Option<&str> {
        match self {
            Self::Unreadable(error) => Some(error),
            Self::Reading | Self::Read | Self::Elsewhere | Self::Invalid(_) => None,
        }
    }

    /// Compose's reason for refusing the files, when it refuses them.
    pub fn invalid(&self) -> Option<&str> {
        match self {
            Self::Invalid(error) => Some(error),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Store {
    /// The engines followed, by `EngineId`; one unless several were asked.
    pub engines: Vec<EngineState>,
    /// Every container the engines reported, in no particular order.
    pub containers: Vec<Container>,
    /// Where each container is in `containers`, by id.
    pub(super) index: HashMap<String, usize>,
    /// How many containers each service has: how replicas are labelled.
    pub(super) replicas: HashMap<ServiceKey, usize>,
    /// The targets and health checks found in containers, by container
    /// id: an event finds them again in the containers it changed only.
    pub(super) found_targets: HashMap<String, Target>,
    pub(super) found_checks: HashMap<String, HealthCheck>,
    pub stats: HashMap<String, Stats>,
    pub host: Option<HostSnapshot>,
    /// Recent CPU and memory of each container and of the host.
    pub trends: Trends,
    /// Database targets and what their probes report, by target id.
    pub probes: BTreeMap<String, Probe>,
    /// HTTP health checks and their latest results, by check id.
    pub checks: BTreeMap<String, CheckState>,
    /// Compose projects whose declared services were read.
    pub projects: BTreeMap<ProjectKey, ComposeProject>,
    /// Where the reading of each project's compose files stands: every
    /// project asked for is here, read or not.
    pub files: BTreeMap<ProjectKey, Files>,
    /// Local time of the last tick: uptimes are computed from it.
    pub now: DateTime<FixedOffset>,
    /// When an engine last sent data.
    pub last_update: Option<DateTime<FixedOffset>>,
}

impl Store {
    pub fn new(engines: &[Endpoint], now: DateTime<FixedOffset>) -> Self {
        Self {
            engines: engines.iter().map(EngineState::new).collect(),
            containers: Vec::new(),
            index: HashMap::new(),
            replicas: HashMap::new(),
            found_targets: HashMap::new(),
            found_checks: HashMap::new(),
            stats: HashMap::new(),
            host: None,
            trends: Trends::default(),
            probes: BTreeMap::new(),
            checks: BTreeMap::new(),
            projects: BTreeMap::new(),
            files: BTreeMap::new(),
            now,
            last_update: None,
        }
    }

    /// `worker-2` when a service has several replicas, else the service
    /// (or, outside Compose, the container) name.
    pub fn label(&self, c: &Container) -> String {
        let replicas = c.service.as_deref().map_or(0, |service| {
            self.replicas(c.engine, c.project.as_deref(), service)
        });
        label(c, replicas)
    }

    /// Whether the list is split into one group per engine.
    pub fn several_engines(&self) -> bool {
        self.engines.len() > 1
    }

    /// Where each engine publishes its ports, by `EngineId`, for discovery.
    pub fn ports_hosts(&self) -> Vec<String> {
        self.engines.iter().map(|e| e.ports_host.clone()).collect()
    }

    /// The engine that runs `project` of that name, if any does.
    pub fn engine_running(&self, project: &str) -> Option<EngineId> {
        self.containers
            .iter()
            .find(|c| c.project.as_deref() == Some(project))
            .map(|c| c.engine)
    }

    /// How `service` of a project is declared, once its files were read.
    pub fn declared_service(
        &self,
        project: &ProjectKey,
        service: &str,
    ) -> Option<&DeclaredService> {
        self.projects
            .get(project)?
            .services
            .iter()
            .find(|s| s.name == service)
    }

    /// Declared services of loaded projects that have no container on the
    /// project's engine.
    pub fn not_created(&self) -> Vec<NotCreated<'_>> {
        let mut missing = Vec::new();
        for (key, project) in &self.projects {
            for service in &project.services {
                let exists = self.replicas(key.engine, Some(&key.name), &service.name) > 0;
                if !exists {
                    missing.push(NotCreated {
                        engine: key.engine,
                        project: &key.name,
                        service,
                    });
                }
            }
        }
        missing
    }
}

impl Store {
    /// What container `c` sorts by.
    pub(super) fn facts<'c>(&self, c: &'c Container) -> Facts<'c> {
        let stats = self.stats.get(&c.id).filter(|_| c.state.is_running());
        Facts {
            name: c.display_name(),
            number: c.number,
            attention: self.needs_attention(c),
            cpu: stats.map(|s| s.cpu_percent),
            memory: stats.map(|s| s.mem_used),
            uptime_secs: super::uptime(c, self.now).map(|a| a.num_seconds()),
            restarts: Some(c.restart_count),
        }
    }

    /// The rows of what `shown` lets through, in `sort` order, with the
    /// projects `folded` says folded.
    pub fn rows(
        &self,
        shown: Shown<'_>,
        sort: SortKey,
        folded: &dyn Fn(EngineId, Option<&str>) -> bool,
    ) -> Vec<Row> {
        let targets: Vec<&Target> = self.unattached_probes().map(|p| &p.target).collect();
        let declared = self.not_created();
        let facts: &dyn Fn(&Container) -> Facts<'_> = &|c| self.facts(c);
        let arrange = Arrange {
            sort,
            facts,
            folded,
        };
        let unread: Vec<&ProjectKey> = self
            .files
            .iter()
            .filter(|(_, files)| files.shows_alone())
            .map(|(key, _)| key)
            .collect();
        let groups = Groups {
            engines: self.engines.len(),
            containers: &self.containers,
            declared: &declared,
            unread: &unread,
            targets: &targets,
        };
        rows::build(&groups, shown, &arrange)
    }
}

/// A container's label, given how many replicas its service has.
fn label(c: &Container, replicas: usize) -> String {
    match (c.service.as_deref(), c.number) {
        (None, _) => c.name.clone(),
        (Some(service), Some(n)) if replicas > 1 => format!("{service}-{n}"),
        (Some(service), _) => service.to_string(),
    }
}

/// Something the store has to tell the user.
#[derive(Debug, Clone, PartialEq)]
pub struct News {
    pub level: Level,
    pub text: String,
    /// The whole story, for the history.
    pub detail: Option<String>,
}

impl News {
    fn info(text: String) -> Self {
        Self {
            level: Level::Info,
            text,
            detail: None,
        }
    }
}

/// The containers an event changed.
#[derive(Debug)]
pub enum Touched {
    /// Every container of an engine, listed again.
    All,
    /// One came (`before` is `None`) or changed.
    One {
        id: String,
        before: Option<Box<Container>>,
    },
    /// One went.
    Gone(Box<Container>),
}

/// What taking in an event changed in the store.
#[derive(Debug, Default)]
pub struct Taken {
    /// What the runtime must do: probes, checks, projects to read.
    pub commands: Vec<Command>,
    /// Containers came, went or changed.
    pub containers: Option<Touched>,
    /// The targets or health checks are not the same any more.
    pub derived: bool,
    /// New figures came.
    pub stats: bool,
    /// A project's files were read.
    pub project: bool,
    /// The container whose health or probe changed.
    pub observe: Option<String>,
    pub news: Vec<News>,
}

impl Store {
    /// Takes in what a collector or loader reports; hands back an event
    /// that is not the store's.
    pub fn take(&mut self, settings: &Settings, event: Event) -> Result<Taken, Event> {
        let mut taken = Taken::default();
        match event {
            Event::Docker(engine, event) => match self.on_docker(engine, event) {
                Some(Changed::Containers(touched)) => {
                    self.last_update = Some(self.now);
                    self.refresh(settings, &touched, &mut taken);
                    taken.containers = Some(touched);
                }
                Some(Changed::Stats) => taken.stats = true,
                Some(Changed::Engine) | None => {}
            },
            Event::Host(snapshot) => {
                self.trends.record_host(&snapshot);
                self.host = Some(snapshot);
            }
            Event::Probe(event) => taken.observe = self.on_probe(event),
            Event::Health { check_id, result } => taken.observe = self.on_health(check_id, result),
            Event::Compose(ComposeEvent::Loaded {
                engine,
                project,
                cli_failure,
            }) => {
                let key = ProjectKey::new(engine, project.name());
                let mut files = Files::Read;
                if let Some(failure) = cli_failure {
                    let (level, text) = if let Some(words) = failure.refusal {
                        files = Files::Invalid(words);
                        let text = format!("Compose refuses project {}'s files", project.name());
                        (Level::Error, text)
                    } else {
                        let text = format!(
                            "{} could not read project {}'s files; stacktop's reader read them",
                            failure.program,
                            project.name()
                        );
                        (Level::Info, text)
                    };
                    taken.news.push(News {
                        level,
                        text,
                        detail: Some(failure.error),
                    });
                }
                self.files.insert(key.clone(), files);
                self.projects.insert(key, *project);
                taken.project = true;
            }
            Event::Compose(ComposeEvent::LoadFailed { project, error }) => {
                self.files
                    .insert(project.clone(), Files::Unreadable(error.clone()));
                taken.project = true;
                taken.news.push(News {
                    level: Level::Error,
                    text: format!("reading compose project {} failed", project.name),
                    detail: Some(error),
                });
            }
            other => return Err(other),
        }
        Ok(taken)
    }

    /// Commands to run once at start: probes of configured targets, the
    /// project of the folder stacktop started in.
    pub fn start(&mut self, settings: &Settings) -> Taken {
        let mut taken = Taken::default();
        self.refresh(settings, &Touched::All, &mut taken);
        taken
    }

    /// After containers changed: targets, checks and projects worked out
    /// again, from the containers `touched` only.
    fn refresh(&mut self, settings: &Settings, touched: &Touched, taken: &mut Taken) {
        let targets = self.refresh_targets(&settings.targets, touched);
        let checks = self.refresh_checks(&settings.health.rules, touched);
        taken.derived = !targets.is_empty() || !checks.is_empty();
        taken.commands.extend(targets);
        taken.commands.extend(checks);
        self.load_new_projects(settings.local_compose.as_ref(), touched, taken);
    }

    /// The projects whose compose files could not be read, and why.
    pub fn unreadable(&self) -> impl Iterator<Item = (&ProjectKey, &str)> {
        self.files
            .iter()
            .filter_map(|(key, files)| Some((key, files.error()?)))
    }

    /// The projects whose files Compose refuses, with its reason.
    pub fn invalid(&self) -> impl Iterator<Item = (&ProjectKey, &str)> {
        self.files
            .iter()
            .filter_map(|(key, files)| Some((key, files.invalid()?)))
    }

    /// Asks for the declared services of every project not read yet: those
    /// of the containers' labels and the one of the current folder. A
    /// project on a remote engine has its files on the engine's host:
    /// nothing here is read for it, and the user is told once.
    fn load_new_projects(
        &mut self,
        local: Option<&ProjectLocation>,
        touched: &Touched,
        taken: &mut Taken,
    ) {
        let mut wanted: Vec<(EngineId, ProjectLocation)> = Vec::new();
        wanted.extend(local.map(|location| {
            // With one engine, that one, whether it runs it yet or not.
            let engine = match self.several_engines() {
                true => self.engine_running(&location.name),
                false => None,
            };
            (engine.unwrap_or_default(), location.clone())
        }));
        let of = |c: &Container| Some((c.engine, ProjectLocation::from_labels(c)?));
        match touched {
            Touched::All => wanted.extend(self.containers.iter().filter_map(of)),
            Touched::One { id, .. } => wanted.extend(self.container(id).and_then(of)),
            Touched::Gone(_) => {}
        }
        for (engine, location) in wanted {
            let key = ProjectKey::new(engine, location.name.clone());
            if self.files.contains_key(&key) {
                continue;
            }
            match self.engines.get(engine.index()) {
                Some(state) if !state.is_local() => {
                    self.files.insert(key, Files::Elsewhere);
                    taken.news.push(News::info(format!(
                        "{}: its compose files are on the engine's host ({}), not read here; \
                         its declared services are not shown",
                        location.name, state.endpoint
                    )));
                }
                _ => {
                    self.files.insert(key, Files::Reading);
                    taken
                        .commands
                        .push(Command::Collect(Collect::LoadProject { engine, location }));
                }
            }
        }
    }
}
