//! The Redis probe.

use std::time::Duration;

use tokio::sync::mpsc::Sender;

use crate::event::Event;
use crate::model::Target;

/// Probes `target` every `interval` until `tx` closes (placeholder).
pub async fn run(_target: Target, _interval: Duration, _tx: Sender<Event>) {}
