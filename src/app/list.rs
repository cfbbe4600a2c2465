//! How the service list is arranged: its order, folded projects, and the
//! rows that fit a small pane (problems never hide).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::rows::{self, NO_PROJECT, Row};
use super::{App, Level};
use crate::command::Command;
use crate::engine::endpoint::DEFAULT_CONTEXT;
use crate::keymap::{Action, Context};
use crate::model::{EngineId, Prefs};

/// The service list: its rows, the selection, the filter, its order and
/// folds.
#[derive(Debug, Clone, Default)]
pub struct List {
    pub rows: Vec<Row>,
    pub selected: usize,
    /// First row shown: kept so the list scrolls only when it must.
    pub offset: usize,
    pub filter: String,
    /// Only this project is listed (from `-p` or the compose file here).
    pub scope: Option<String>,
    /// The list's order and the user's folds, remembered between runs.
    pub prefs: Prefs,
    /// Projects folded at first sight (see `fold_new_projects`); not
    /// remembered.
    auto_folded: HashSet<String>,
    /// Projects the list has shown already, by fold key.
    met_projects: HashSet<String>,
    /// What events changed since the list was last arranged.
    pub(super) stale_since: Stale,
}

/// How out of date the list is: see `App::settle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Stale {
    #[default]
    No,
    /// The rows stand, but which needs attention changed: the scroll
    /// offset is to be checked.
    Offset,
    Rows,
}

impl List {
    pub fn new(scope: Option<String>) -> Self {
        Self {
            scope,
            ..Self::default()
        }
    }

    /// What the list shows: the scope and the filter.
    pub fn shown(&self) -> rows::Shown<'_> {
        rows::Shown {
            scope: self.scope.as_deref(),
            filter: &self.filter,
        }
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }

    /// Notes that the list is out of date, at least so much.
    pub(super) fn stale(&mut self, how: Stale) {
        self.stale_since = self.stale_since.max(how);
    }

    /// Whether the project of fold key `key` is folded: as the user last
    /// left it, else as it was folded at first sight.
    pub fn is_folded(&self, key: &str) -> bool {
        self.prefs
            .folds
            .get(key)
            .copied()
            .unwrap_or_else(|| self.auto_folded.contains(key))
    }
}

/// The name a project's fold is remembered by: the project's name on the
/// default engine (as earlier versions wrote it), `context/name` on any
/// other, so the same name on two engines folds apart.
pub fn fold_key(context: &str, project: Option<&str>) -> String {
    let name = project.unwrap_or(NO_PROJECT);
    if context == DEFAULT_CONTEXT {
        name.to_string()
    } else {
        format!("{context}/{name}")
    }
}

/// The rows of the list that fit in a given height.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Window {
    /// Indices into `App::rows`, in list order.
    pub rows: Vec<usize>,
    /// Service rows left out (never one that needs attention while the
    /// problems alone fit).
    pub hidden: usize,
    /// Of those, how many need attention (only when problems fill the list).
    pub hidden_trouble: usize,
    /// Whether every service row left out is a running container.
    pub hidden_all_running: bool,
    /// Where the scrolled part of the list starts: see [`fit`].
    pub offset: usize,
}

impl App {
    /// `o`: the next order of the cycle.
    pub(super) fn cycle_sort(&mut self) -> Vec<Command> {
        self.list.prefs.sort = self.list.prefs.sort.next();
        let key = self.key_for(Context::List, Action::Sort);
        let text = format!(
            "sorted {} ({key}: next order)",
            self.list.prefs.sort.phrase()
        );
        self.say(Level::Info, text);
        self.rebuild_rows();
        vec![Command::SavePrefs(self.list.prefs.clone())]
    }

    /// Space: folds or unfolds the project of the selected row; the
    /// selection moves to the project's row.
    pub(super) fn toggle_fold(&mut self) -> Vec<Command> {
        let (engine, project) = match self.selected_row() {
            Some(Row::Project(e, p)) => (*e, p.clone()),
            Some(Row::Container(id)) => match self.store.container(id) {
                Some(c) => (c.engine, c.project.clone()),
                None => return Vec::new(),
            },
            Some(Row::Declared { project, .. }) => (project.engine, Some(project.name.clone())),
            _ => return Vec::new(),
        };
        let key = self.fold_key(engine, project.as_deref());
        let folded = !self.list.is_folded(&key);
        self.list.prefs.folds.insert(key, folded);
        self.rebuild_rows();
        if let Some(at) = self
            .list
            .rows
            .iter()
            .position(|r| matches!(r, Row::Project(e, p) if *e == engine && *p == project))
        {
            self.list.selected = at;
            self.clamp_offset();
        }
        vec![Command::SavePrefs(self.list.prefs.clone())]
    }

    /// `Z`: folds every listed project, or unfolds them all when all are
    /// folded already.
    pub(super) fn toggle_fold_all(&mut self) -> Vec<Command> {
        let keys: Vec<String> = self
            .list
            .rows
            .iter()
            .filter_map(|r| match r {
                Row::Project(e, p) => Some(self.fold_key(*e, p.as_deref())),
                _ => None,
            })
            .collect();
        let fold = keys.iter().any(|k| !self.list.is_folded(k));
        for key in keys {
            self.list.prefs.folds.insert(key, fold);
        }
        self.rebuild_rows();
        vec![Command::SavePrefs(self.list.prefs.clone())]
    }

    /// The name the fold of `project` on `engine` is remembered by.
    pub fn fold_key(&self, engine: EngineId, project: Option<&str>) -> String {
        let context = self.store.engines.get(engine.index());
        fold_key(context.map_or(DEFAULT_CONTEXT, |e| &e.name), project)
    }

    /// Whether `project` on `engine` is folded.
    pub fn is_folded(&self, engine: EngineId, project: Option<&str>) -> bool {
        self.list.is_folded(&self.fold_key(engine, project))
    }

    /// The rows, in the order and with the folds of the moment.
    pub(super) fn arranged_rows(&mut self) -> Vec<Row> {
        self.fold_new_projects();
        let folded = |e: EngineId, p: Option<&str>| self.is_folded(e, p);
        self.store.rows(self.shown(), self.list.prefs.sort, &folded)
    }

    /// With every project listed, several of them and more rows than fit,
    /// projects seen for the first time start folded unless they have a
    /// problem or the user left them unfolded before.
    fn fold_new_projects(&mut self) {
        let shown = self.shown();
        // By engine and project: how many containers, any trouble.
        let mut groups: HashMap<(EngineId, Option<&str>), (usize, bool)> = HashMap::new();
        for c in self.store.containers.iter().filter(|c| shown.container(c)) {
            let entry = groups.entry((c.engine, c.project.as_deref())).or_default();
            entry.0 += 1;
            entry.1 |= self.store.needs_attention(c);
        }
        // By fold key: how many containers, any trouble, a compose project.
        let mut projects: BTreeMap<String, (usize, bool, bool)> = BTreeMap::new();
        for ((engine, project), (n, trouble)) in groups {
            let entry = projects.entry(self.fold_key(engine, project)).or_default();
            entry.0 += n;
            entry.1 |= trouble;
            entry.2 = project.is_some();
        }
        let new: Vec<&String> = projects
            .keys()
            .filter(|k| !self.list.met_projects.contains(*k))
            .collect();
        if new.is_empty() {
            return;
        }
        let lines: usize = projects
            .iter()
            .map(|(k, (n, ..))| if self.list.is_folded(k) { 1 } else { 1 + n })
            .sum();
        // Before the screen's size is known nothing is crowded.
        let crowded = self.list.scope.is_none()
            && projects.len() > 1
            && self.screen.viewport.height > 0
            && lines > self.screen.viewport.list_rows;
        let mut folded = Vec::new();
        // Containers outside Compose are no project: they never start folded.
        for key in new.iter().filter(|k| projects[**k].2) {
            let trouble = projects[*key].1;
            if crowded && !trouble && !self.list.prefs.folds.contains_key(*key) {
                folded.push(key.to_string());
            }
        }
        let new: Vec<String> = new.into_iter().cloned().collect();
        self.list.met_projects.extend(new);
        self.list.auto_folded.extend(folded);
    }

    /// Rows that stay in sight however little room there is: those that
    /// need attention, and the rows of their projects.
    fn pinned(&self) -> Vec<Pin> {
        let shown = self.shown();
        let troubled: HashSet<Option<&str>> = self
            .store
            .containers
            .iter()
            .filter(|c| shown.container(c) && self.store.needs_attention(c))
            .map(|c| c.project.as_deref())
            .collect();
        self.list
            .rows
            .iter()
            .map(|row| match row {
                Row::Project(_, p) if troubled.contains(&p.as_deref()) => Pin::Context,
                Row::Container(id)
                    if self
                        .store
                        .container(id)
                        .is_some_and(|c| self.store.needs_attention(c)) =>
                {
                    Pin::Problem
                }
                _ => Pin::No,
            })
            .collect()
    }

    /// The rows shown in `height` lines: every row when they fit; else the
    /// problems and their projects' rows, the rest of the list scrolled
    /// around the selection in what room is left, and one line to say
    /// what was left out.
    pub fn window(&self, height: usize) -> Window {
        let pinned = self.pinned();
        let (rows, offset) = fit(&pinned, self.list.selected, self.list.offset, height);
        let mut hidden = 0;
        let mut hidden_trouble = 0;
        let mut hidden_all_running = true;
        let mut shown = rows.iter().peekable();
        for (index, row) in self.list.rows.iter().enumerate() {
            if shown.next_if(|i| **i == index).is_some() {
                continue;
            }
            match row {
                Row::Container(id) => {
                    hidden += 1;
                    hidden_trouble += usize::from(pinned[index] == Pin::Problem);
                    hidden_all_running &= self
                        .store
                        .container(id)
                        .is_some_and(|c| c.state.is_running());
                }
                Row::Declared { .. } => {
                    hidden += 1;
                    hidden_all_running = false;
                }
                Row::Target(_) => hidden += 1,
                Row::Engine(_) | Row::Project(..) | Row::Databases => {}
            }
        }
        Window {
            rows,
            hidden,
            hidden_trouble,
            hidden_all_running,
            offset,
        }
    }
}

/// Whether a row stays in sight in a small pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pin {
    No,
    /// A project row of a problem: it stays while there is room.
    Context,
    /// A row that needs attention.
    Problem,
}

/// Which of `pinned.len()` rows to show in `height` lines, and the offset
/// to keep. When they do not all fit, the last line is left for a note of
/// what is not shown; the pinned rows are shown, and the others fill the
/// room left, from `offset` (counted among the rows not pinned) moved just
/// enough to show the selected row. When the pinned rows alone overflow,
/// only the problems (and the selected row) show, scrolled among
/// themselves, `offset` counting them.
pub fn fit(pinned: &[Pin], selected: usize, offset: usize, height: usize) -> (Vec<usize>, usize) {
    let n = pinned.len();
    let height = height.max(1);
    if n <= height {
        return ((0..n).collect(), 0);
    }
    let budget = (height - 1).max(1);
    let pins: Vec<usize> = (0..n).filter(|i| pinned[*i] != Pin::No).collect();
    if pins.len() > budget {
        let rows: Vec<usize> = (0..n)
            .filter(|i| pinned[*i] == Pin::Problem || *i == selected)
            .collect();
        let rank = rows.iter().position(|i| *i == selected);
        let start = scrolled(offset, rank, budget, rows.len());
        let end = (start + budget).min(rows.len());
        return (rows[start..end].to_vec(), start);
    }
    let free: Vec<usize> = (0..n).filter(|i| pinned[*i] == Pin::No).collect();
    let room = budget - pins.len();
    // A pinned row selected (the top, say) brings the free rows next to
    // it into view, as any selected row would.
    let rank = free.partition_point(|i| *i < selected);
    let start = scrolled(
        offset,
        Some(rank.min(free.len().saturating_sub(1))),
        room,
        free.len(),
    );
    let mut rows = pins;
    rows.extend_from_slice(&free[start..start + room]);
    rows.sort_unstable();
    (rows, start)
}

/// The start of `room` items out of `len` from `offset`, moved just enough
/// to hold `keep`.
fn scrolled(offset: usize, keep: Option<usize>, room: usize, len: usize) -> usize {
    let mut start = offset;
    if let Some(keep) = keep {
        if keep < start {
            start = keep;
        } else if keep >= start + room {
            start = keep + 1 - room;
        }
    }
    start.min(len.saturating_sub(room))
}

#[cfg(test)]
mod tests {
    use super::Pin::{Context, No, Problem};
    use super::*;

    fn problems_at(n: usize, at: &[usize]) -> Vec<Pin> {
        (0..n)
            .map(|i| if at.contains(&i) { Problem } else { No })
            .collect()
    }

    #[test]
    fn everything_shows_when_it_fits() {
        assert_eq!(fit(&[No, Problem, No], 0, 5, 3), (vec![0, 1, 2], 0));
    }

    #[test]
    fn problems_stay_and_the_rest_fills_the_room_left() {
        // 10 rows in 5 lines: 4 rows and a line for what is left out.
        let mut pinned = problems_at(10, &[8, 9]);
        assert_eq!(fit(&pinned, 0, 0, 5), (vec![0, 1, 8, 9], 0));
        pinned[7] = Context;
        assert_eq!(fit(&pinned, 0, 0, 5), (vec![0, 7, 8, 9], 0));
    }

    #[test]
    fn the_free_rows_scroll_to_hold_the_selection() {
        let pinned = problems_at(10, &[9]);
        let (rows, offset) = fit(&pinned, 5, 0, 5);
        assert_eq!(rows, vec![3, 4, 5, 9]);
        assert_eq!(offset, 3);
        // Moving back up inside the window does not scroll.
        assert_eq!(fit(&pinned, 4, offset, 5), (vec![3, 4, 5, 9], 3));
        // A pinned selection brings the free rows next to it into view:
        // the last problem shows the end of the list, the first row its top.
        assert_eq!(fit(&pinned, 9, offset, 5), (vec![6, 7, 8, 9], 6));
        let pinned = problems_at(10, &[0, 9]);
        assert_eq!(fit(&pinned, 0, 6, 5), (vec![0, 1, 2, 9], 0));
    }

    #[test]
    fn too_many_problems_scroll_among_themselves() {
        let pinned = problems_at(10, &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(fit(&pinned, 7, 0, 5), (vec![4, 5, 6, 7], 4));
        let mut pinned = problems_at(10, &[2, 4, 6, 8, 9]);
        pinned[1] = Context;
        assert_eq!(fit(&pinned, 0, 0, 4), (vec![0, 2, 4], 0));
        assert_eq!(fit(&pinned, 9, 0, 4), (vec![6, 8, 9], 2));
    }
}
