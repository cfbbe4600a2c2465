#![allow(clippy::unwrap_used)]
//! Snapshot tests of every view at 120x40 and 80x24, from fixed state,
//! plus checks of cell styles that text snapshots cannot see.

mod columns;
mod database;
mod engines;
mod fixtures;
mod health;
mod keymap;
mod log_reading;
mod logs;
mod overview;
mod panes;
mod trends;
