//! Work in flight: actions under way, their outcomes, compose jobs and
//! tasks that stopped on a bug.

use std::collections::HashMap;

use chrono::{DateTime, Duration as Age, FixedOffset};

use crate::model::{ComposeWork, Container, ProjectKey, Verb};

/// How long the result of an action stays on its row.
pub const OUTCOME_SHOWN_FOR: Age = Age::seconds(5);

/// The step a reset or up of a project is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeStep {
    pub work: ComposeWork,
    pub step: String,
}

/// The finished action shown on a container's row for a few seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub verb: Verb,
    pub ok: bool,
    pub until: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, Default)]
pub struct InFlight {
    /// Restarts, stops and starts under way, by container id.
    pub pending: HashMap<String, Verb>,
    pub outcomes: HashMap<String, Outcome>,
    /// The running reset or up of each project.
    pub compose_steps: HashMap<ProjectKey, ComposeStep>,
    /// Tasks that stopped on a bug: shown until stacktop restarts.
    pub failed_tasks: Vec<String>,
    /// The number of the next log session.
    next_session: u64,
}

impl InFlight {
    /// The compose job touching container `c`, if one runs.
    pub fn compose_step_of(&self, c: &Container) -> Option<&ComposeStep> {
        let step = self.compose_steps.get(&ProjectKey::of(c)?)?;
        step.work.touches(c.service.as_deref()).then_some(step)
    }

    /// Whether stacktop is acting on container `c`, or just did (restart,
    /// stop, reset): what follows was asked for, not a change for the worse.
    pub fn acting_on(&self, c: &Container) -> bool {
        self.pending.contains_key(&c.id)
            || self.outcomes.contains_key(&c.id)
            || ProjectKey::of(c).is_some_and(|p| self.compose_steps.contains_key(&p))
    }

    pub fn next_session(&mut self) -> u64 {
        self.next_session += 1;
        self.next_session
    }

    /// Forgets the outcomes whose time is up.
    pub fn expire(&mut self, now: DateTime<FixedOffset>) {
        self.outcomes.retain(|_, o| o.until > now);
    }
}
