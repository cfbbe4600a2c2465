//! stacktop: a terminal dashboard for local development stacks.

pub mod actions;
pub mod collect;
pub mod event;
pub mod logtext;
pub mod model;
