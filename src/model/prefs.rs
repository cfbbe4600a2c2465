//! What stacktop remembers between runs, as plain data: the app keeps it,
//! the state file writes it.

use std::collections::BTreeMap;

use super::SortKey;

/// The order of the list and the projects the user folded or unfolded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Prefs {
    pub sort: SortKey,
    /// By project name (the list's name for the containers outside
    /// Compose, for those): true when folded.
    pub folds: BTreeMap<String, bool>,
}
