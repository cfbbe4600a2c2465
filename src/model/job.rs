//! Work the user asks for, and how it ended.

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
    /// A reset or an up of a compose project's services; `label` names
    /// the services (or the project) in messages.
    Compose { project: String, label: String },
    /// A signal sent to a PostgreSQL backend.
    Backend { target: String, pid: i32 },
    /// A RabbitMQ queue emptied.
    Purge { target: String, queue: String },
}

/// How a job ended: a line for the status bar either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub job: Job,
    pub result: Result<String, String>,
}
