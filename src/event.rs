//! Everything that can happen to the app, and everything it can ask for.
//!
//! Collectors and action tasks send [`Event`]s over one channel; `App::update`
//! turns each into state changes and [`Command`]s for the runtime to run.

use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyEvent, MouseEvent};

use crate::model::{
    ComposeProject, Container, HostSnapshot, LogLine, PgSnapshot, ProbeStatus, RedisSnapshot,
    ResetPlan, Stats, Target,
};

#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Once a second, with the local time: ages uptimes, expires messages.
    Tick(DateTime<FixedOffset>),
    /// SIGTERM, SIGHUP or SIGINT: leave cleanly.
    Terminate,
    Docker(DockerEvent),
    Host(HostSnapshot),
    Log(LogEvent),
    ActionDone(ActionDone),
    Probe(ProbeEvent),
    Compose(ComposeEvent),
    /// A database action (cancel, terminate) finished: a line for the
    /// status bar, `Err` when it failed.
    ProbeActionDone(Result<String, String>),
}

/// What compose loading and compose actions report.
#[derive(Debug, Clone, PartialEq)]
pub enum ComposeEvent {
    /// A project's declared services were read.
    Loaded(Box<ComposeProject>),
    /// A project's files could not be read; carries the project name.
    LoadFailed { project: String, error: String },
    /// The volumes of a reset were sized: ask the user now.
    ResetPlanned(Box<ResetPlan>),
    /// A step of a running reset or up, for the row and the status line.
    Progress {
        project: String,
        label: String,
        step: String,
    },
    /// A reset or up ended; `Err` names the step that failed and why.
    Done {
        project: String,
        label: String,
        result: Result<String, String>,
    },
}

/// What a database probe reports, by target id.
#[derive(Debug, Clone, PartialEq)]
pub enum ProbeEvent {
    Status {
        target_id: String,
        status: ProbeStatus,
    },
    Postgres {
        target_id: String,
        snapshot: Box<PgSnapshot>,
    },
    Redis {
        target_id: String,
        snapshot: Box<RedisSnapshot>,
    },
}

/// Signals a PostgreSQL backend can be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PgSignal {
    /// pg_cancel_backend: cancel the running query.
    Cancel,
    /// pg_terminate_backend: end the session.
    Terminate,
}

/// What the Docker collector reports.
#[derive(Debug, Clone, PartialEq)]
pub enum DockerEvent {
    Connected {
        version: String,
        endpoint: String,
    },
    /// The engine could not be reached; the collector retries after `retry_in`.
    Disconnected {
        endpoint: String,
        error: String,
        retry_in: Duration,
    },
    /// Every container the engine knows (after connecting, and on resync).
    Containers(Vec<Container>),
    /// One container changed (from the event stream).
    ContainerChanged(Box<Container>),
    /// A container was removed; carries its id.
    ContainerRemoved(String),
    /// Resource use of running containers, by container id.
    Stats(Vec<(String, Stats)>),
}

/// What a log stream reports. `session` tells apart streams of a log view
/// that was closed from the one open now.
#[derive(Debug, Clone, PartialEq)]
pub enum LogEvent {
    Lines {
        session: u64,
        lines: Vec<LogLine>,
    },
    /// The stream of one source ended (container stopped or removed).
    Ended {
        session: u64,
        source: usize,
        reason: String,
    },
    /// The stream of one source failed; carries the engine's message.
    Failed {
        session: u64,
        source: usize,
        error: String,
    },
}

/// Actions on containers the user can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    Restart,
    Stop,
    Start,
}

impl ActionKind {
    pub fn verb(self) -> &'static str {
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

/// Report of a finished action on one container.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionDone {
    pub container_id: String,
    pub container_name: String,
    pub kind: ActionKind,
    /// `Err` carries the engine's message.
    pub result: Result<(), String>,
}

/// A container whose logs a log view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSource {
    pub container_id: String,
    /// Prefix shown before each line when several sources are merged.
    pub label: String,
}

/// Work `update` asks the runtime to do; never done inside `update`.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Act {
        kind: ActionKind,
        container_id: String,
        container_name: String,
    },
    OpenLogs {
        session: u64,
        sources: Vec<LogSource>,
        tail: usize,
    },
    CloseLogs {
        session: u64,
    },
    /// Read the declared services of a compose project.
    LoadProject {
        name: String,
        working_dir: String,
        files: Vec<String>,
    },
    /// Size the volumes of a reset plan, then report `ResetPlanned`.
    PlanReset(Box<ResetPlan>),
    /// Run a reset the user confirmed.
    Reset(Box<ResetPlan>),
    /// Bring up a declared service (or the whole project when `None`).
    Up {
        project: Box<ComposeProject>,
        service: Option<String>,
    },
    /// The database targets to probe now; probes of others stop.
    SetTargets(Vec<Target>),
    SignalBackend {
        target: Target,
        pid: i32,
        signal: PgSignal,
    },
    Quit,
}
