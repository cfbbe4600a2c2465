//! The rows of the service list: projects and their containers, filtered.

use std::collections::BTreeMap;

use crate::model::Container;

/// Name of the group of containers that belong to no Compose project.
pub const NO_PROJECT: &str = "(no compose project)";

/// One line of the service list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A project header; `None` is the group of containers outside Compose.
    Project(Option<String>),
    /// A container, by id.
    Container(String),
    /// The header of targets that belong to no container.
    Databases,
    /// A database target with no container row, by target id.
    Target(String),
}

/// Name of the group of configured databases that run in no container.
pub const DATABASES: &str = "(configured databases)";

/// Builds the rows: projects in name order (the no-project group last),
/// each followed by its containers sorted by service and replica number.
///
/// `scope` keeps one project; `filter` keeps containers whose project,
/// service or container name contains it (case-insensitive).
pub fn build(
    containers: &[Container],
    extra: &[(String, String)],
    scope: Option<&str>,
    filter: &str,
) -> Vec<Row> {
    let needle = filter.to_lowercase();
    let mut groups: BTreeMap<(bool, Option<&str>), Vec<&Container>> = BTreeMap::new();
    for c in containers {
        let project = c.project.as_deref();
        if scope.is_some_and(|s| project != Some(s)) {
            continue;
        }
        if !needle.is_empty() && !matches(c, &needle) {
            continue;
        }
        groups
            .entry((project.is_none(), project))
            .or_default()
            .push(c);
    }
    let mut rows = Vec::new();
    for ((_, project), mut members) in groups {
        members.sort_by(|a, b| {
            (a.display_name(), a.number, &a.name).cmp(&(b.display_name(), b.number, &b.name))
        });
        rows.push(Row::Project(project.map(str::to_string)));
        rows.extend(members.iter().map(|c| Row::Container(c.id.clone())));
    }
    let targets: Vec<Row> = extra
        .iter()
        .filter(|(_, name)| name.to_lowercase().contains(&needle))
        .map(|(id, _)| Row::Target(id.clone()))
        .collect();
    if !targets.is_empty() {
        rows.push(Row::Databases);
        rows.extend(targets);
    }
    rows
}

fn matches(c: &Container, needle: &str) -> bool {
    let fields = [
        c.project.as_deref(),
        c.service.as_deref(),
        Some(c.name.as_str()),
    ];
    fields
        .into_iter()
        .flatten()
        .any(|f| f.to_lowercase().contains(needle))
}

/// Ids of the containers listed under the project header at `index`.
pub fn members(rows: &[Row], index: usize) -> Vec<String> {
    rows.iter()
        .skip(index + 1)
        .map_while(|r| match r {
            Row::Container(id) => Some(id.clone()),
            _ => None,
        })
        .collect()
}
