//! Everything that can happen to the app.
//!
//! Collectors, jobs and the terminal send [`Event`]s over one channel;
//! `App::update` turns each into state changes and commands for the runtime.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

use crate::engine::reach::Attempt;
use crate::model::{
    CheckResult, CliFailure, ComposeProject, ComposeWork, Container, Done, EngineId, HostSnapshot,
    LogLine, ProbeStatus, ProjectKey, ResetPlan, Snapshot, Stats,
};

#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// A second left click on the same cell, soon after the first.
    DoubleClick(MouseEvent),
    /// Where the last frame put what a click can hit.
    Layout(Hits),
    /// The terminal's new size, with the rows each view has at that size.
    Resize(Viewport),
    /// Once a second, with the local time: ages uptimes, expires messages.
    Tick(DateTime<FixedOffset>),
    /// SIGTERM, SIGHUP or SIGINT: leave cleanly.
    Terminate,
    /// What the collector of one engine reports.
    Docker(EngineId, DockerEvent),
    Host(HostSnapshot),
    Log(LogEvent),
    Probe(ProbeEvent),
    Compose(ComposeEvent),
    /// A job (restart, reset, backend signal…) ended.
    Done(Done),
    /// A health check's result, when it changed (or got stale).
    Health {
        check_id: String,
        result: CheckResult,
    },
    /// A collector or stream task stopped on a bug (a panic): it is not
    /// running any more, and the screen must say so.
    TaskFailed {
        task: String,
        error: String,
    },
    /// The state file could not be written: the error.
    PrefsNotSaved(String),
}

/// What compose loading and compose jobs report on the way.
#[derive(Debug, Clone, PartialEq)]
pub enum ComposeEvent {
    /// A project's declared services were read; `cli_failure` when the
    /// compose CLI refused the files and stacktop's reader read them.
    Loaded {
        engine: EngineId,
        project: Box<ComposeProject>,
        cli_failure: Option<CliFailure>,
    },
    /// A project's files could not be read: the whole message, which may
    /// run over several lines.
    LoadFailed { project: ProjectKey, error: String },
    /// The volumes of a reset were sized: ask the user now.
    ResetPlanned(Box<ResetPlan>),
    /// A step of a running reset or up, for the row and the status line.
    Progress { work: ComposeWork, step: String },
}

/// What a target's probe reports, by target id.
#[derive(Debug, Clone, PartialEq)]
pub enum ProbeEvent {
    Status {
        target_id: String,
        status: ProbeStatus,
    },
    Snapshot {
        target_id: String,
        snapshot: Box<Snapshot>,
    },
}

/// What the Docker collector reports.
#[derive(Debug, Clone, PartialEq)]
pub enum DockerEvent {
    Connected {
        /// `Docker` or `Podman`.
        product: String,
        version: String,
        endpoint: String,
    },
    /// The engine could not be reached; the collector retries after `retry_in`.
    Disconnected {
        endpoint: String,
        error: String,
        retry_in: Duration,
        /// When the engine was found by searching the well-known sockets:
        /// why each other socket does not answer either.
        others: Vec<Attempt>,
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
    /// The container of one source runs again after it stopped
    /// (`recreated`: a new container of the same name): the view marks
    /// the place between the two runs.
    Restarted {
        session: u64,
        source: usize,
        at: Option<DateTime<Utc>>,
        exit: Option<i64>,
        recreated: bool,
    },
    /// The stream of one source failed; carries the engine's message.
    Failed {
        session: u64,
        source: usize,
        error: String,
    },
}

/// Where the last frame put what a click can hit; the views work it out
/// and the runtime hands it to the app when it changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hits {
    /// The service list's rows, when the list is on screen.
    pub list: Option<ListArea>,
    /// The panel titles of a detail view.
    pub tabs: Vec<TabHit>,
    /// Lines of the key help that do not fit: how far it can scroll.
    pub help_overflow: usize,
    /// Lines the log view drew log lines in: what a page moves by.
    pub log_rows: Option<u16>,
}

/// The screen rows of the service list: which row is on which line is
/// `App::window(height)`, worked out the same way as the list drew it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListArea {
    /// Screen row of the list's first line.
    pub top: u16,
    /// Lines the list has for its rows.
    pub height: u16,
}

/// A panel title: its screen row, columns, and which panel (its index in
/// the kind's panels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabHit {
    pub y: u16,
    pub x: std::ops::Range<u16>,
    pub panel: usize,
}

/// The terminal's size and the rows each view has for its lines, worked
/// out by the views' layout; page moves and scrolling use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub width: u16,
    pub height: u16,
    /// Rows of the service list (without a banner).
    pub list_rows: usize,
    /// Rows of log lines in the log view.
    pub log_rows: usize,
}

impl Default for Viewport {
    /// Before the terminal's size is known: one row of each.
    fn default() -> Self {
        Self {
            width: 0,
            height: 0,
            list_rows: 1,
            log_rows: 1,
        }
    }
}
