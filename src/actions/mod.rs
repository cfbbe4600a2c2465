//! Actions run as tasks of their own and report back with events.

pub mod logs;
