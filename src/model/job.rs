//! Work the user asks for, and how it ended.

use super::ProjectKey;

/// What a container can be asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Restart,
    Stop,
    Start,
}

impl Verb {
    pub fn word(self) -> &'static str {
        match self {
            Self::Restart => "restart",
            Self::Stop => "stop",
            Self::Start => "start",
        }
    }

    pub fn progressive(self) -> &'static str {
        match self {
            Self::Restart => "restarting",
            Self::Stop => "stopping",
            Self::Start => "starting",
        }
    }
}

/// Signals a PostgreSQL backend can be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PgSignal {
    /// pg_cancel_backend: cancel the running query.
    Cancel,
    /// pg_terminate_backend: end the session.
    Terminate,
}

impl PgSignal {
    pub fn word(self) -> &'static str {
        match self {
            Self::Cancel => "cancel",
            Self::Terminate => "terminate",
        }
    }
}

/// A container whose logs a log view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSource {
    pub container_id: String,
    /// Prefix shown before each line when several sources are merged.
    pub label: String,
}

/// A piece of work that runs once and reports how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// A restart, stop or start of one container.
    Container {
        id: String,
        name: String,
        verb: Verb,
    },
    /// A reset or an up of a compose project's services.
    Compose(ComposeWork),
    /// A signal sent to a PostgreSQL backend.
    Backend { target: String, pid: i32 },
    /// A RabbitMQ queue emptied.
    Purge { target: String, queue: String },
    /// A log view's lines written to a file.
    SaveLog { path: std::path::PathBuf },
}

/// What a compose job does to a project's services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComposeVerb {
    /// Remove the containers and volumes, then create them again.
    Reset,
    /// Create and start what is declared.
    Up,
}

/// A compose job: which project, which of its services, doing what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeWork {
    pub project: ProjectKey,
    pub verb: ComposeVerb,
    /// The services touched; empty means the whole project.
    pub services: Vec<String>,
}

impl ComposeWork {
    pub fn new(project: ProjectKey, verb: ComposeVerb, services: Vec<String>) -> Self {
        Self {
            project,
            verb,
            services,
        }
    }

    /// Whether the job touches `service` of its project.
    pub fn touches(&self, service: Option<&str>) -> bool {
        self.services.is_empty() || service.is_some_and(|s| self.services.iter().any(|t| t == s))
    }

    /// How messages name what it touches: the services, or the project.
    pub fn label(&self) -> String {
        if self.services.is_empty() {
            self.project.name.clone()
        } else {
            self.services.join(", ")
        }
    }
}

/// How a job ended: what it did, as a line for the status bar, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub job: Job,
    pub result: Result<String, JobError>,
}

/// Why a job did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    /// The engine, the compose CLI or a server said no, or could not be
    /// reached; the line says which and why.
    Refused(String),
    /// The job's own task stopped on a panic: a bug in stacktop, kept on
    /// screen until it restarts.
    Crashed(String),
}

impl JobError {
    /// The line for the status bar.
    pub fn message(&self) -> &str {
        match self {
            Self::Refused(text) | Self::Crashed(text) => text,
        }
    }

    /// The same error, its line put in context by `say`.
    pub fn map(self, say: impl FnOnce(String) -> String) -> Self {
        match self {
            Self::Refused(text) => Self::Refused(say(text)),
            Self::Crashed(text) => Self::Crashed(say(text)),
        }
    }
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

/// Which lines a log view loads from the engine (keys `0` to `5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeRange {
    /// The last `--tail` lines.
    #[default]
    Tail,
    Minute,
    FiveMinutes,
    FifteenMinutes,
    Hour,
    /// Everything the engine still has, up to `--log-lines`.
    All,
}

impl TimeRange {
    /// How far back the range reaches, when it is a span of time.
    pub fn span(self) -> Option<chrono::Duration> {
        let minutes = match self {
            Self::Tail | Self::All => return None,
            Self::Minute => 1,
            Self::FiveMinutes => 5,
            Self::FifteenMinutes => 15,
            Self::Hour => 60,
        };
        Some(chrono::Duration::minutes(minutes))
    }

    /// The title's words for it; `tail` is `--tail`.
    pub fn label(self, tail: usize) -> String {
        match self {
            Self::Tail => format!("last {tail} lines"),
            Self::Minute => "last 1 min".into(),
            Self::FiveMinutes => "last 5 min".into(),
            Self::FifteenMinutes => "last 15 min".into(),
            Self::Hour => "last 1 h".into(),
            Self::All => "all the engine has".into(),
        }
    }
}

/// What a log stream loads before it follows: the last `tail` lines, of
/// those since `since` when set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogQuery {
    pub tail: usize,
    pub since: Option<chrono::DateTime<chrono::Utc>>,
}
