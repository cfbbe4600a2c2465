//! Work `App::update` asks the runtime to do; never done inside `update`.

use std::path::PathBuf;

use crate::model::{
    ComposeProject, EngineId, HealthCheck, LogQuery, LogSource, PgSignal, Prefs, ProjectLocation,
    ResetPlan, Target, Verb,
};

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Restart, stop or start one container, on the engine that runs it.
    Act {
        engine: EngineId,
        verb: Verb,
        container_id: String,
        container_name: String,
    },
    /// Follow the logs of `sources` on one engine, each with its index in the view.
    OpenLogs {
        engine: EngineId,
        session: u64,
        sources: Vec<(usize, LogSource)>,
        query: LogQuery,
    },
    CloseLogs {
        session: u64,
    },
    /// Write a log view's shown lines (`lines` of them) to a new file.
    SaveLog {
        path: PathBuf,
        text: String,
        lines: usize,
    },
    /// Work for the collectors that feed the state.
    Collect(Collect),
    /// Size the volumes of a reset plan, then report `ResetPlanned`.
    PlanReset(Box<ResetPlan>),
    /// Run a reset the user confirmed.
    Reset(Box<ResetPlan>),
    /// Bring up a declared service (or the whole project when `None`).
    Up {
        engine: EngineId,
        project: Box<ComposeProject>,
        service: Option<String>,
    },
    SignalBackend {
        target: Target,
        pid: i32,
        signal: PgSignal,
    },
    /// Empty a RabbitMQ queue of its ready messages.
    PurgeQueue {
        target: Target,
        vhost: String,
        queue: String,
    },
    /// Remember the list's order and folds in the state file.
    SavePrefs(Prefs),
    /// A service changed for the worse: ring the bell or send a desktop
    /// notification, as the config says.
    Alert(String),
    /// Set the pane title (`stacktop: 2 problems`).
    SetTitle(String),
    Quit,
}

/// What the collectors are asked to watch. The dashboard and the headless
/// commands both hand these to [`crate::collect::dispatch::Collectors`];
/// the rest of [`Command`] changes things or the screen, which only the
/// dashboard does.
#[derive(Debug, Clone, PartialEq)]
pub enum Collect {
    /// The database targets to probe now; probes of others stop.
    SetTargets(Vec<Target>),
    /// The health checks to run now; others stop.
    SetChecks(Vec<HealthCheck>),
    /// Read the declared services of a compose project of an engine.
    LoadProject {
        engine: EngineId,
        location: ProjectLocation,
    },
}
