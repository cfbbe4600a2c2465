//! How the service list is arranged: its order, folded projects, and the
//! rows that fit a small pane (problems never hide).

use std::collections::{BTreeMap, HashSet};

use super::rows::{self, Arrange, NO_PROJECT, Row};
use super::sort::{Facts, SortKey};
use super::{App, Level};
use crate::command::Command;
use crate::keymap::{Action, Context};
use crate::model::Container;

/// What stacktop remembers between runs: the order of the list and the
/// projects the user folded or unfolded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Prefs {
    pub sort: SortKey,
    /// By project name ([`NO_PROJECT`] for the containers outside Compose):
    /// true when folded.
    pub folds: BTreeMap<String, bool>,
}

/// The name a project's fold is remembered by.
pub fn fold_key(project: Option<&str>) -> &str {
    project.unwrap_or(NO_PROJECT)
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
    /// Whether a project is folded: as the user last left it, else as it
    /// was folded at first sight.
    pub fn is_folded(&self, project: Option<&str>) -> bool {
        let key = fold_key(project);
        self.prefs
            .folds
            .get(key)
            .copied()
            .unwrap_or_else(|| self.auto_folded.contains(key))
    }

    /// `o`: the next order of the cycle.
    pub(super) fn cycle_sort(&mut self) -> Vec<Command> {
        self.prefs.sort = self.prefs.sort.next();
        let key = self.key_for(Context::List, Action::Sort);
        let text = format!("sorted {} ({key}: next order)", self.prefs.sort.phrase());
        self.say(Level::Info, text);
        self.rebuild_rows();
        vec![Command::SavePrefs(self.prefs.clone())]
    }

    /// Space: folds or unfolds the project of the selected row; the
    /// selection moves to the project's row.
    pub(super) fn toggle_fold(&mut self) -> Vec<Command> {
        let project = match self.selected_row() {
            Some(Row::Project(_, p)) => p.clone(),
            Some(Row::Container(id)) => match self.container(id) {
                Some(c) => c.project.clone(),
                None => return Vec::new(),
            },
            Some(Row::Declared { project, .. }) => Some(project.clone()),
            _ => return Vec::new(),
        };
        let folded = !self.is_folded(project.as_deref());
        self.prefs
            .folds
            .insert(fold_key(project.as_deref()).to_string(), folded);
        self.rebuild_rows();
        if let Some(at) = self
            .rows
            .iter()
            .position(|r| matches!(r, Row::Project(_, p) if *p == project))
        {
            self.selected = at;
            self.clamp_offset();
        }
        vec![Command::SavePrefs(self.prefs.clone())]
    }

    /// `Z`: folds every listed project, or unfolds them all when all are
    /// folded already.
    pub(super) fn toggle_fold_all(&mut self) -> Vec<Command> {
        let projects: Vec<Option<String>> = self
            .rows
            .iter()
            .filter_map(|r| match r {
                Row::Project(_, p) => Some(p.clone()),
                _ => None,
            })
            .collect();
        let fold = projects.iter().any(|p| !self.is_folded(p.as_deref()));
        for project in &projects {
            let key = fold_key(project.as_deref()).to_string();
            self.prefs.folds.insert(key, fold);
        }
        self.rebuild_rows();
        vec![Command::SavePrefs(self.prefs.clone())]
    }

    /// What container `c` sorts by.
    fn facts<'c>(&self, c: &'c Container) -> Facts<'c> {
        let stats = self.stats.get(&c.id).filter(|_| c.state.is_running());
        Facts {
            name: c.display_name(),
            number: c.number,
            attention: self.needs_attention(c),
            cpu: stats.map(|s| s.cpu_percent),
            memory: stats.map(|s| s.mem_used),
            uptime_secs: super::uptime(c, self.now).map(|a| a.num_seconds()),
            restarts: Some(c.restart_count),
        }
    }

    /// The rows, in the order and with the folds of the moment.
    pub(super) fn arranged_rows(&mut self) -> Vec<Row> {
        self.fold_new_projects();
        let targets: Vec<&crate::model::Target> =
            self.unattached_probes().map(|p| &p.target).collect();
        let declared = self.not_created();
        let facts: &dyn Fn(&Container) -> Facts<'_> = &|c| self.facts(c);
        let folded = |p: Option<&str>| self.is_folded(p);
        let arrange = Arrange {
            sort: self.prefs.sort,
            facts,
            folded: &folded,
        };
        let groups = rows::Groups {
            engines: self.engines.len(),
            containers: &self.containers,
            declared: &declared,
            targets: &targets,
        };
        rows::build(&groups, self.shown(), &arrange)
    }

    /// With every project listed, several of them and more rows than fit,
    /// projects seen for the first time start folded unless they have a
    /// problem or the user left them unfolded before.
    fn fold_new_projects(&mut self) {
        let shown = self.shown();
        let mut projects: BTreeMap<&str, (usize, bool)> = BTreeMap::new();
        for c in self.containers.iter().filter(|c| shown.container(c)) {
            let entry = projects.entry(fold_key(c.project.as_deref())).or_default();
            entry.0 += 1;
            entry.1 |= self.needs_attention(c);
        }
        let new: Vec<&str> = projects
            .keys()
            .copied()
            .filter(|p| !self.met_projects.contains(*p))
            .collect();
        if new.is_empty() {
            return;
        }
        let lines: usize = projects
            .iter()
            .map(|(p, (n, _))| if self.is_folded(Some(p)) { 1 } else { 1 + n })
            .sum();
        // Before the screen's size is known nothing is crowded.
        let crowded = self.scope.is_none()
            && projects.len() > 1
            && self.viewport.height > 0
            && lines > self.viewport.list_rows;
        let mut folded = Vec::new();
        // Containers outside Compose are no project: they never start folded.
        for project in new.iter().filter(|p| **p != NO_PROJECT) {
            let trouble = projects[project].1;
            if crowded && !trouble && !self.prefs.folds.contains_key(*project) {
                folded.push(project.to_string());
            }
        }
        let new: Vec<String> = new.into_iter().map(str::to_string).collect();
        self.met_projects.extend(new);
        self.auto_folded.extend(folded);
    }

    /// Rows that stay in sight however little room there is: those that
    /// need attention, and the rows of their projects.
    fn pinned(&self) -> Vec<Pin> {
        let shown = self.shown();
        let troubled: HashSet<Option<&str>> = self
            .containers
            .iter()
            .filter(|c| shown.container(c) && self.needs_attention(c))
            .map(|c| c.project.as_deref())
            .collect();
        self.rows
            .iter()
            .map(|row| match row {
                Row::Project(_, p) if troubled.contains(&p.as_deref()) => Pin::Context,
                Row::Container(id)
                    if self.container(id).is_some_and(|c| self.needs_attention(c)) =>
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
        let (rows, offset) = fit(&pinned, self.selected, self.offset, height);
        let mut hidden = 0;
        let mut hidden_trouble = 0;
        let mut hidden_all_running = true;
        let mut shown = rows.iter().peekable();
        for (index, row) in self.rows.iter().enumerate() {
            if shown.next_if(|i| **i == index).is_some() {
                continue;
            }
            match row {
                Row::Container(id) => {
                    hidden += 1;
                    hidden_trouble += usize::from(pinned[index] == Pin::Problem);
                    hidden_all_running &= self.container(id).is_some_and(|c| c.state.is_running());
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
