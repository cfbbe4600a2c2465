//! The store's containers and what is kept beside them so that taking in
//! one container's change costs the same with 10 containers as with
//! 100,000: where each one is, and how many replicas each service has.

use std::collections::HashMap;

use super::Store;
use super::store::Touched;
use crate::model::{Container, EngineId};

/// A service of a project of an engine (`None`: outside Compose).
pub(super) type ServiceKey = (EngineId, Option<String>, String);

impl Store {
    /// Container `id`, if it is known.
    pub fn container(&self, id: &str) -> Option<&Container> {
        self.containers.get(*self.index.get(id)?)
    }

    /// How many containers run `service` of `project` on `engine`.
    pub fn replicas(&self, engine: EngineId, project: Option<&str>, service: &str) -> usize {
        let key = (engine, project.map(str::to_string), service.to_string());
        self.replicas.get(&key).copied().unwrap_or(0)
    }

    /// Puts in a container that came or changed; returns what it was.
    pub(super) fn put(&mut self, c: Container) -> Option<Container> {
        self.count(&c, true);
        let Some(&at) = self.index.get(&c.id) else {
            self.index.insert(c.id.clone(), self.containers.len());
            self.containers.push(c);
            return None;
        };
        let before = std::mem::replace(&mut self.containers[at], c);
        self.count(&before, false);
        Some(before)
    }

    /// Takes out a container that went; the last one takes its place.
    pub(super) fn take_out(&mut self, id: &str) -> Option<Container> {
        let at = self.index.remove(id)?;
        let gone = self.containers.swap_remove(at);
        if let Some(moved) = self.containers.get(at)
            && let Some(slot) = self.index.get_mut(&moved.id)
        {
            *slot = at;
        }
        self.count(&gone, false);
        Some(gone)
    }

    /// Puts `all` in place of every container of `engine`. One listed
    /// only (see `ContainerSpec::listed_only`) keeps the details known
    /// of it while its state and health are the same, until its inspect
    /// comes.
    pub(super) fn relist(&mut self, engine: EngineId, all: Vec<Container>) {
        let (theirs, others): (Vec<Container>, Vec<Container>) =
            std::mem::take(&mut self.containers)
                .into_iter()
                .partition(|c| c.engine == engine);
        let mut before: HashMap<String, Container> =
            theirs.into_iter().map(|c| (c.id.clone(), c)).collect();
        // Mapped in place: a list of 100,000 is not held twice.
        let fresh: Vec<Container> = all
            .into_iter()
            .map(|c| {
                let c = Container { engine, ..c };
                match before.remove(&c.id) {
                    Some(old) if c.spec.listed_only && keeps_details(&old, &c) => old,
                    _ => c,
                }
            })
            .collect();
        self.containers = if others.is_empty() {
            fresh
        } else {
            let mut all = others;
            all.extend(fresh);
            all
        };
        self.reindex();
    }

    fn reindex(&mut self) {
        self.index = self
            .containers
            .iter()
            .enumerate()
            .map(|(at, c)| (c.id.clone(), at))
            .collect();
        self.replicas.clear();
        for c in &self.containers {
            count(&mut self.replicas, c, true);
        }
    }

    fn count(&mut self, c: &Container, counted: bool) {
        count(&mut self.replicas, c, counted);
    }
}

/// Counts a container of a service in or out.
fn count(replicas: &mut HashMap<ServiceKey, usize>, c: &Container, counted: bool) {
    let Some(service) = &c.service else {
        return;
    };
    let key = (c.engine, c.project.clone(), service.clone());
    let n = replicas.entry(key).or_default();
    if counted {
        *n += 1;
    } else {
        *n = n.saturating_sub(1);
    }
}

/// Whether an older container's details still stand for its list entry.
fn keeps_details(old: &Container, listed: &Container) -> bool {
    !old.spec.listed_only
        && old.state.name() == listed.state.name()
        && old.health == listed.health
        && old.name == listed.name
}

/// Finds again what `find` makes of the containers `touched` changed (a
/// target, a health check), kept by container id in `found`; returns
/// whether that is not the same any more.
pub(super) fn find_again<T: PartialEq>(
    found: &mut HashMap<String, T>,
    (containers, index): (&[Container], &HashMap<String, usize>),
    touched: &Touched,
    find: impl Fn(&Container) -> Option<T>,
) -> bool {
    match touched {
        Touched::All => {
            let all = containers.iter();
            *found = all.filter_map(|c| Some((c.id.clone(), find(c)?))).collect();
            true
        }
        Touched::One { id, .. } => {
            let now = index.get(id).and_then(|at| find(&containers[*at]));
            if found.get(id) == now.as_ref() {
                return false;
            }
            match now {
                Some(thing) => found.insert(id.clone(), thing),
                None => found.remove(id),
            };
            true
        }
        Touched::Gone(gone) => found.remove(&gone.id).is_some(),
    }
}

/// What was found, in the order of the containers it was found in.
pub(super) fn in_order<T: Clone>(
    found: &HashMap<String, T>,
    index: &HashMap<String, usize>,
) -> Vec<T> {
    let mut all: Vec<(usize, &T)> = found
        .iter()
        .filter_map(|(id, thing)| Some((*index.get(id)?, thing)))
        .collect();
    all.sort_by_key(|(at, _)| *at);
    all.into_iter().map(|(_, thing)| thing.clone()).collect()
}
