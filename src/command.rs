//! Work `App::update` asks the runtime to do; never done inside `update`.

use crate::app::Prefs;
use crate::model::{
    ComposeProject, HealthCheck, LogSource, PgSignal, ProjectLocation, ResetPlan, Target, Verb,
};

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Restart, stop or start one container.
    Act {
        verb: Verb,
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
    LoadProject(ProjectLocation),
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
    /// The health checks to run now; others stop.
    SetChecks(Vec<HealthCheck>),
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
