//! What the screen shows: one view, and at most one overlay on top.
//!
//! One enum each, so illegal mixes (logs and a database view open at once,
//! a filter being typed over a confirmation) cannot be built.

use super::database::DatabaseView;
use super::logview::LogView;
use crate::command::Command;
use crate::keymap::Context;
use crate::model::{PgBackend, PgSignal, Queue, ResetPlan, Target};

/// The view that fills the screen.
#[derive(Debug, Clone)]
pub enum View {
    /// The service list.
    List,
    Logs(Box<LogView>),
    Database(DatabaseView),
}

impl View {
    /// Where key bindings are looked up while this view is open.
    pub fn context(&self) -> Context {
        match self {
            Self::List => Context::List,
            Self::Logs(_) => Context::Logs,
            Self::Database(_) => Context::Database,
        }
    }
}

/// Drawn over the view; takes the keys while it is open.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// The key help; any key closes it.
    Help,
    /// What stacktop said, newest first, whole; any key closes it.
    Messages,
    /// The list filter is being typed.
    Filter,
    /// A destructive action waiting for `y`.
    Confirm(Box<Confirm>),
}

/// A question asked before a destructive action. It holds what the action
/// will touch; the view writes the question from it. Only `y` runs it.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    /// A reset, its volumes sized.
    Reset(ResetPlan),
    /// A signal to a PostgreSQL backend, as the backend was when asked.
    Signal {
        target: Target,
        backend: PgBackend,
        signal: PgSignal,
    },
    /// Purging a RabbitMQ queue, as the queue was when asked.
    Purge { target: Target, queue: Queue },
}

impl Confirm {
    /// The command a `y` runs.
    pub fn command(self) -> Command {
        match self {
            Self::Reset(plan) => Command::Reset(Box::new(plan)),
            Self::Signal {
                target,
                backend,
                signal,
            } => Command::SignalBackend {
                target,
                pid: backend.pid,
                signal,
            },
            Self::Purge { target, queue } => Command::PurgeQueue {
                target,
                vhost: queue.vhost,
                queue: queue.name,
            },
        }
    }
}
