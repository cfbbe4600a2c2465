//! Cancelling and terminating PostgreSQL backends.

use tokio::sync::mpsc::Sender;

use crate::event::{Event, PgSignal};
use crate::model::Target;

/// Sends `signal` to backend `pid` of `target` in a task of its own;
/// reports with `Event::ProbeActionDone` (placeholder).
pub fn spawn_signal(_target: Target, _pid: i32, _signal: PgSignal, _tx: Sender<Event>) {}
