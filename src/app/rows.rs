//! The rows of the service list: projects and their containers, filtered.

use std::collections::BTreeMap;

use crate::model::sort::{Facts, SortKey};
use crate::model::{Container, DeclaredService, EngineId, ProjectKey, Target};

/// Name of the group of containers that belong to no Compose project.
pub const NO_PROJECT: &str = "(no compose project)";

/// One line of the service list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// An engine's header, above its projects (only with several engines).
    Engine(EngineId),
    /// A project header of an engine; `None` is the group of containers
    /// outside Compose.
    Project(EngineId, Option<String>),
    /// A container, by id.
    Container(String),
    /// A declared service with no container.
    Declared {
        project: ProjectKey,
        service: String,
    },
    /// The header of targets that belong to no container.
    Databases,
    /// A database target with no container row, by target id.
    Target(String),
}

/// Name of the group of configured databases that run in no container.
pub const DATABASES: &str = "(configured databases)";

/// What the list shows: one project (`scope`) or all, and the filter text.
/// Both the rows and a project's members are chosen by it, so a project
/// row always stands for exactly the containers listed under it.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    pub scope: Option<&'a str>,
    pub filter: &'a str,
}

impl Shown<'_> {
    /// Whether a project (`None`: outside Compose) is in the scope.
    pub fn in_scope(&self, project: Option<&str>) -> bool {
        self.scope.is_none_or(|s| project == Some(s))
    }

    fn matches(&self, fields: &[Option<&str>]) -> bool {
        let needle = self.filter.to_lowercase();
        needle.is_empty()
            || fields
                .iter()
                .flatten()
                .any(|f| f.to_lowercase().contains(&needle))
    }

    /// Whether container `c` is listed.
    pub fn container(&self, c: &Container) -> bool {
        let project = c.project.as_deref();
        self.in_scope(project)
            && self.matches(&[project, c.service.as_deref(), Some(c.name.as_str())])
    }

    /// Whether a declared service with no container is listed.
    pub fn declared(&self, project: &str, service: &str) -> bool {
        self.in_scope(Some(project)) && self.matches(&[Some(project), Some(service)])
    }
}

/// The listed containers of `project` (`None`: those outside Compose) on
/// `engine`, in list order.
pub fn members<'a>(
    containers: &'a [Container],
    engine: EngineId,
    project: Option<&str>,
    shown: Shown<'_>,
) -> Vec<&'a Container> {
    let mut members: Vec<&Container> = containers
        .iter()
        .filter(|c| c.engine == engine && c.project.as_deref() == project && shown.container(c))
        .collect();
    members.sort_by(|a, b| (a.display_name(), a.number).cmp(&(b.display_name(), b.number)));
    members
}

/// A service a project's files declare and no container runs.
#[derive(Debug, Clone, Copy)]
pub struct NotCreated<'a> {
    /// The engine whose group lists it: the one running the project.
    pub engine: EngineId,
    pub project: &'a str,
    pub service: &'a DeclaredService,
}

/// A row of a project group with what it sorts by.
type Member<'a> = (Facts<'a>, Row);

/// How the rows of each project are arranged: their order, and which
/// projects are folded into their header row.
pub struct Arrange<'f> {
    pub sort: SortKey,
    /// What a container sorts by.
    pub facts: &'f dyn Fn(&Container) -> Facts<'_>,
    /// Whether a project (`None`: the group outside Compose) is folded.
    pub folded: &'f dyn Fn(EngineId, Option<&str>) -> bool,
}

/// A project group's place: engine, outside Compose last, then by name.
type GroupKey<'a> = (EngineId, bool, Option<&'a str>);

/// What the list is built from.
pub struct Groups<'a> {
    /// How many engines are followed; with more than one, each gets a
    /// header row above its projects, even with no container.
    pub engines: usize,
    pub containers: &'a [Container],
    pub declared: &'a [NotCreated<'a>],
    /// Projects whose files are being read or could not be: a row each,
    /// with or without containers.
    pub unread: &'a [&'a ProjectKey],
    pub targets: &'a [&'a Target],
}

/// Builds the rows: per engine, projects in name order (the no-project
/// group last), each followed by its containers and declared services in
/// the order of `arrange.sort`, unless the project is folded; then the
/// configured databases. While a filter is typed every project shows its
/// matches.
pub fn build(from: &Groups<'_>, shown: Shown<'_>, arrange: &Arrange<'_>) -> Vec<Row> {
    let mut groups: BTreeMap<GroupKey, Vec<Member>> = BTreeMap::new();
    for c in from.containers.iter().filter(|c| shown.container(c)) {
        let project = c.project.as_deref();
        let member = ((arrange.facts)(c), Row::Container(c.id.clone()));
        groups
            .entry((c.engine, project.is_none(), project))
            .or_default()
            .push(member);
    }
    for NotCreated {
        engine,
        project,
        service,
    } in from.declared
    {
        if shown.declared(project, &service.name) {
            let row = Row::Declared {
                project: ProjectKey::new(*engine, *project),
                service: service.name.clone(),
            };
            let facts = Facts {
                name: &service.name,
                ..Facts::default()
            };
            groups
                .entry((*engine, false, Some(*project)))
                .or_default()
                .push((facts, row));
        }
    }
    for key in from.unread {
        if shown.in_scope(Some(&key.name)) && shown.matches(&[Some(&key.name)]) {
            groups
                .entry((key.engine, false, Some(key.name.as_str())))
                .or_default();
        }
    }
    let mut rows = Vec::new();
    let several = from.engines > 1;
    let mut headed = 0;
    for ((engine, _, project), mut members) in groups {
        // Headers of engines with nothing listed come too, in order.
        while several && headed <= engine.index() {
            rows.push(Row::Engine(EngineId(headed as u16)));
            headed += 1;
        }
        rows.push(Row::Project(engine, project.map(str::to_string)));
        if shown.filter.is_empty() && (arrange.folded)(engine, project) {
            continue;
        }
        members.sort_by(|a, b| arrange.sort.compare(&a.0, &b.0));
        rows.extend(members.into_iter().map(|(_, row)| row));
    }
    while several && headed < from.engines {
        rows.push(Row::Engine(EngineId(headed as u16)));
        headed += 1;
    }
    let targets: Vec<Row> = from
        .targets
        .iter()
        .filter(|t| shown.matches(&[Some(&t.name)]))
        .map(|t| Row::Target(t.id.clone()))
        .collect();
    if !targets.is_empty() {
        rows.push(Row::Databases);
        rows.extend(targets);
    }
    rows
}
