//! Reset and up: recreate services from their compose definition.

use tokio::sync::mpsc::Sender;

use crate::event::Event;
use crate::model::{ComposeProject, ResetPlan};

/// Sizes the plan's volumes and reports `ComposeEvent::ResetPlanned`
/// (placeholder).
pub fn spawn_plan(_plan: ResetPlan, _tx: Sender<Event>) {}

/// Runs a confirmed reset, reporting each step (placeholder).
pub fn spawn_reset(_plan: ResetPlan, _tx: Sender<Event>) {}

/// Brings up a declared service or the whole project (placeholder).
pub fn spawn_up(_project: ComposeProject, _service: Option<String>, _tx: Sender<Event>) {}
