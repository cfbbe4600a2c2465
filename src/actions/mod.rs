//! Actions run as tasks of their own and report back with events.

pub mod logs;

use crate::event::{ActionKind, Event};
use tokio::sync::mpsc::Sender;

// Placeholder until the actions land.
pub fn spawn_action(_kind: ActionKind, _id: String, _name: String, _tx: Sender<Event>) {}
