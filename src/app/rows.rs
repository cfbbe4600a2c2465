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
    /// A declared service with no container: (project, service).
    Declared(String, String),
    /// The header of targets that belong to no container.
    Databases,
    /// A database target with no container row, by target id.
    Target(String),
}

/// Name of the group of configured databases that run in no container.
pub const DATABASES: &str = "(configured databases)";

/// A row of a project group with what it sorts by: name, replica number.
type Member<'a> = (&'a str, Option<u32>, Row);

/// Builds the rows: projects in name order (the no-project group last),
/// each followed by its containers sorted by service and replica number.
///
/// `scope` keeps one project; `filter` keeps containers whose project,
/// service or container name contains it (case-insensitive).
pub fn build(
    containers: &[Container],
    declared: &[(String, String)],
    extra: &[(String, String)],
    scope: Option<&str>,
    filter: &str,
) -> Vec<Row> {
    let needle = filter.to_lowercase();
    let mut groups: BTreeMap<(bool, Option<&str>), Vec<Member>> = BTreeMap::new();
    let in_scope = |project: Option<&str>| scope.is_none_or(|s| project == Some(s));
    for c in containers {
        let project = c.project.as_deref();
        if !in_scope(project) || (!needle.is_empty() && !matches(c, &needle)) {
            continue;
        }
        let member = (c.display_name(), c.number, Row::Container(c.id.clone()));
        groups
            .entry((project.is_none(), project))
            .or_default()
            .push(member);
    }
    for (project, service) in declared {
        let shown = in_scope(Some(project))
            && (needle.is_empty()
                || project.to_lowercase().contains(&needle)
                || service.to_lowercase().contains(&needle));
        if shown {
            let member = (
                service.as_str(),
                None,
                Row::Declared(project.clone(), service.clone()),
            );
            groups
                .entry((false, Some(project)))
                .or_default()
                .push(member);
        }
    }
    let mut rows = Vec::new();
    for ((_, project), mut members) in groups {
        members.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        rows.push(Row::Project(project.map(str::to_string)));
        rows.extend(members.into_iter().map(|(_, _, row)| row));
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
