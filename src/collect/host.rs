//! Host CPU, memory and load, read with sysinfo.

use crate::event::Event;
use tokio::sync::mpsc::Sender;

// Placeholder until the collector lands.
pub async fn run(_tx: Sender<Event>, _interval: std::time::Duration) {}
