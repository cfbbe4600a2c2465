//! Work `App::update` asks the runtime to do; never done inside `update`.

use crate::model::{
    ComposeProject, EngineId, HealthCheck, LogSource, PgSignal, ProjectLocation, ResetPlan, Target,
    Verb,
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
    /// Follow the logs of containers of one engine.
    OpenLogs {
        engine: EngineId,
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
        engine: EngineId,
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
    Quit,
}
