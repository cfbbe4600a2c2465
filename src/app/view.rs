//! What the screen shows: one view, and at most one overlay on top.
//!
//! One enum each, so illegal mixes (logs and a database view open at once,
//! a filter being typed over a confirmation) cannot be built.

use super::database::DatabaseView;
use super::logview::LogView;
use crate::command::Command;
use crate::event::{Hits, Viewport};
use crate::keymap::Context;
use crate::model::{PgBackend, PgSignal, Queue, ResetPlan, Target};

/// What is on screen: the view, its overlay, the size and what the last
/// frame laid out.
#[derive(Debug, Clone)]
pub struct Screen {
    pub view: View,
    pub overlay: Option<Overlay>,
    pub viewport: Viewport,
    /// Where the last frame put the list rows, panel titles and scroll
    /// areas, for clicks and paging.
    pub hits: Hits,
    /// The terminal reports the mouse (the wheel scrolls); off, the
    /// terminal selects text. The runtime follows it.
    pub mouse_capture: bool,
}

impl Default for Screen {
    fn default() -> Self {
        Self {
            view: View::List,
            overlay: None,
            viewport: Viewport::default(),
            hits: Hits::default(),
            mouse_capture: true,
        }
    }
}

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
    /// The key help, scrolled down `scroll` lines when taller than the
    /// screen; the keys that move scroll it, any other key closes it.
    Help { scroll: usize },
    /// What stacktop said, newest first, whole; any key closes it.
    Messages,
    /// The session's state changes, newest first; any key closes it.
    Timeline,
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
