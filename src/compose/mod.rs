//! Reading compose projects: declared services, profiles, volumes.

use tokio::sync::mpsc::Sender;

use crate::event::Event;

/// Reads a project's declared services in a task of its own and reports
/// `ComposeEvent::Loaded` or `LoadFailed` (placeholder).
pub fn spawn_load(_name: String, _working_dir: String, _files: Vec<String>, _tx: Sender<Event>) {}
