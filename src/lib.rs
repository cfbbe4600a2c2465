//! stacktop: a terminal dashboard for local development stacks.

// Tests may unwrap: a failed unwrap there is a failed test.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod app;
pub mod backend;
pub mod backoff;
pub mod collect;
pub mod command;
pub mod compose;
pub mod config;
pub mod discover;
pub mod engine;
pub mod event;
pub mod frame_stats;
pub mod headless;
pub mod jobs;
pub mod keymap;
pub mod logging;
pub mod logtext;
pub mod model;
pub mod runtime;
pub mod state_file;
pub mod tasks;
pub mod text;
pub mod theme;
pub mod toml_error;
pub mod tui;
pub mod ui;
