//! Log streams for the log view.

use crate::event::{Event, LogSource};
use tokio::sync::mpsc::Sender;

// Placeholder until the log streams land.
pub struct LogsHandle;

impl LogsHandle {
    pub fn close(self) {}
}

pub fn open(
    _session: u64,
    _sources: Vec<LogSource>,
    _tail: usize,
    _tx: Sender<Event>,
) -> LogsHandle {
    LogsHandle
}
