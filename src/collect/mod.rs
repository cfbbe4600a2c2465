//! Collectors: one async task per data source. Each converts what it reads
//! into `model` types, sends `Event`s, and owns its reconnect and backoff.

pub mod api;
pub mod dispatch;
pub mod docker;
pub mod health;
pub mod host;
pub mod http;
pub mod postgres;
pub mod probes;
pub mod rabbit;
pub mod redis;
pub mod runner;
pub mod search;
