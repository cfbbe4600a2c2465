//! Keys and mouse: what each does to the state, by view.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::{App, Confirm, Level, LogView, Overlay, Row, View, rows};
use crate::command::Command;
use crate::keymap::{Action, Context};
use crate::model::{Container, EngineId, LogQuery, LogSource, Verb};

/// Lines a mouse-wheel step scrolls.
const WHEEL_STEP: usize = 3;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        // A key pressed in stacktop: the notices were seen.
        self.messages.notices.seen();
        if self.log_input_open() {
            return self.on_log_input(key);
        }
        let action = self.settings.keys.lookup(self.screen.view.context(), &key);
        match self.screen.overlay.take() {
            Some(Overlay::Filter) => return self.on_filter_key(key),
            Some(Overlay::Confirm(confirm)) => return self.on_confirm_key(key, *confirm),
            Some(Overlay::Help { scroll }) if action != Some(Action::Quit) => {
                self.scroll_help(scroll, action);
                return Vec::new();
            }
            // Any key closes the messages or the timeline; only quit goes
            // through.
            Some(Overlay::Messages | Overlay::Timeline) if action != Some(Action::Quit) => {
                return Vec::new();
            }
            _ => {}
        }
        let Some(action) = action else {
            return Vec::new();
        };
        // Keys that mean the same in every view.
        match action {
            Action::Quit => return self.quit(),
            Action::Help => {
                self.screen.overlay = Some(Overlay::Help { scroll: 0 });
                return Vec::new();
            }
            Action::Messages => {
                self.screen.overlay = Some(Overlay::Messages);
                return Vec::new();
            }
            Action::Timeline => {
                self.screen.overlay = Some(Overlay::Timeline);
                return Vec::new();
            }
            _ => {}
        }
        match self.screen.view {
            View::List => self.on_list_action(action),
            View::Logs(_) => self.on_log_action(action),
            View::Database(_) => self.on_database_action(action),
        }
    }

    /// In the help, the keys that move scroll it when it is taller than
    /// the screen; any other key closes it.
    fn scroll_help(&mut self, scroll: usize, action: Option<Action>) {
        let most = self.screen.hits.help_overflow;
        let page = self.screen.viewport.height.saturating_sub(2).max(1) as usize;
        let scroll = match action {
            Some(Action::Down) => scroll + 1,
            Some(Action::Up) => scroll.saturating_sub(1),
            Some(Action::PageDown) => scroll + page,
            Some(Action::PageUp) => scroll.saturating_sub(page),
            _ => return,
        };
        if most > 0 {
            self.screen.overlay = Some(Overlay::Help {
                scroll: scroll.min(most),
            });
        }
    }

    /// Only the confirm key (`y`) runs the action asked about; any other
    /// key cancels it.
    fn on_confirm_key(&mut self, key: KeyEvent, confirm: Confirm) -> Vec<Command> {
        if self.settings.keys.lookup(Context::Confirm, &key) == Some(Action::Confirm) {
            return vec![confirm.command()];
        }
        self.say(Level::Info, "cancelled: nothing was changed".to_string());
        Vec::new()
    }

    /// Typed characters go into the filter; the filter's keys edit it.
    fn on_filter_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let mut editing = true;
        match (self.settings.keys.lookup(Context::Filter, &key), key.code) {
            (Some(Action::Quit), _) => return self.quit(),
            (Some(Action::ClearLine), _) => self.list.filter.clear(),
            (Some(Action::DeleteChar), _) => {
                self.list.filter.pop();
            }
            (Some(Action::KeepFilter), _) => {
                editing = false;
                self.select_first_container();
            }
            (Some(Action::Back), _) => {
                editing = false;
                self.list.filter.clear();
            }
            (Some(Action::Up), _) => self.move_selection(-1),
            (Some(Action::Down), _) => self.move_selection(1),
            (_, KeyCode::Char(c)) if !ctrl => self.list.filter.push(c),
            _ => {}
        }
        if editing {
            self.screen.overlay = Some(Overlay::Filter);
        }
        self.rebuild_rows();
        Vec::new()
    }

    /// How the key in force for `action` in `context` is written, for a
    /// message that names it.
    pub(super) fn key_for(&self, context: Context, action: Action) -> String {
        self.settings.keys.key_of(context, action)
    }

    /// Whether the list filter is being typed.
    pub fn filter_editing(&self) -> bool {
        self.screen.overlay == Some(Overlay::Filter)
    }

    /// The log view, when it is open.
    pub fn log_view(&self) -> Option<&LogView> {
        match &self.screen.view {
            View::Logs(view) => Some(view),
            _ => None,
        }
    }

    fn on_list_action(&mut self, action: Action) -> Vec<Command> {
        let page = self.screen.viewport.list_rows.max(1) as isize;
        match action {
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-page),
            Action::PageDown => self.move_selection(page),
            Action::Top => self.move_selection(isize::MIN / 2),
            Action::Bottom => self.move_selection(isize::MAX / 2),
            Action::Filter => self.screen.overlay = Some(Overlay::Filter),
            Action::Back => {
                self.list.filter.clear();
                self.rebuild_rows();
            }
            Action::ToggleAll => return self.toggle_scope(),
            Action::Sort => return self.cycle_sort(),
            Action::Fold => return self.toggle_fold(),
            Action::FoldAll => return self.toggle_fold_all(),
            Action::Restart if !self.refused("restart") => {
                return self.act_on_selection(Verb::Restart);
            }
            Action::StopStart if !self.refused("stop and start") => return self.stop_or_start(),
            Action::BringUp if !self.refused("up") => return self.up_selection(),
            Action::Reset if !self.refused("reset") => return self.reset_selection(),
            Action::OpenLogs => return self.open_logs(),
            Action::OpenDatabase => self.open_database(),
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Command> {
        self.messages.notices.seen();
        if self.screen.overlay.is_some() {
            return Vec::new();
        }
        let up = match mouse.kind {
            MouseEventKind::ScrollUp => true,
            MouseEventKind::ScrollDown => false,
            MouseEventKind::Down(MouseButton::Left) => {
                self.click(mouse.column, mouse.row);
                return Vec::new();
            }
            _ => return Vec::new(),
        };
        match &mut self.screen.view {
            View::Logs(view) if up => view.scroll_up(WHEEL_STEP),
            View::Logs(view) => view.scroll_down(WHEEL_STEP),
            View::List => self.move_selection(if up { -1 } else { 1 }),
            View::Database(_) => {
                return self.on_database_action(if up { Action::Up } else { Action::Down });
            }
        }
        Vec::new()
    }

    /// A left click: selects the list row, or switches to the panel whose
    /// title it hit. Returns whether it hit something.
    fn click(&mut self, x: u16, y: u16) -> bool {
        if let (View::List, Some(list)) = (&self.screen.view, self.screen.hits.list)
            && (list.top..list.top + list.height).contains(&y)
        {
            let window = self.window(usize::from(list.height));
            if let Some(row) = window.rows.get(usize::from(y - list.top)) {
                self.list.selected = *row;
                self.clamp_offset();
                return true;
            }
        }
        let tab = self
            .screen
            .hits
            .tabs
            .iter()
            .find(|t| t.y == y && t.x.contains(&x));
        if let (Some(tab), View::Database(view)) = (tab, &mut self.screen.view) {
            let kind = self
                .store
                .probes
                .get(&view.target_id)
                .map(|p| p.target.kind);
            if let Some(panel) = kind.and_then(|k| super::Panel::of(k).get(tab.panel)) {
                view.panel = *panel;
                view.row = 0;
                return true;
            }
        }
        false
    }

    /// A double click on a list row opens its logs.
    pub(super) fn on_double_click(&mut self, mouse: MouseEvent) -> Vec<Command> {
        let list = matches!(self.screen.view, View::List);
        if self.screen.overlay.is_none() && list && self.click(mouse.column, mouse.row) {
            return self.open_logs();
        }
        Vec::new()
    }

    fn move_selection(&mut self, delta: isize) {
        if self.list.rows.is_empty() {
            return;
        }
        let last = self.list.rows.len() as isize - 1;
        self.list.selected = (self.list.selected as isize + delta).clamp(0, last) as usize;
        self.clamp_offset();
    }

    fn select_first_container(&mut self) {
        self.rebuild_rows();
        let first =
            self.list.rows.iter().position(|r| {
                matches!(r, Row::Container(_) | Row::Declared { .. } | Row::Target(_))
            });
        if let Some(at) = first {
            self.list.selected = at;
            self.clamp_offset();
        }
    }

    fn toggle_scope(&mut self) -> Vec<Command> {
        match (&self.list.scope, &self.settings.project) {
            (Some(_), _) => self.list.scope = None,
            (None, Some(project)) => self.list.scope = Some(project.clone()),
            (None, None) => {
                let project = self.selected_container().and_then(|c| c.project.clone());
                self.list.scope = project;
            }
        }
        let text = match &self.list.scope {
            Some(p) => {
                let key = self.key_for(Context::List, Action::ToggleAll);
                format!("showing project {p} ({key}: all projects)")
            }
            None => "showing all projects".to_string(),
        };
        self.say(Level::Info, text);
        self.rebuild_rows();
        self.observe_afresh()
    }

    fn selected_container(&self) -> Option<&Container> {
        match self.selected_row()? {
            Row::Container(id) => self.store.container(id),
            _ => None,
        }
    }

    /// Containers the selected row stands for: itself, or a project's.
    fn selected_targets(&self) -> Vec<&Container> {
        match self.selected_row() {
            Some(Row::Container(id)) => self.store.container(id).into_iter().collect(),
            Some(Row::Project(engine, project)) => self.members(*engine, project.as_deref()),
            _ => Vec::new(),
        }
    }

    fn act_on_selection(&mut self, verb: Verb) -> Vec<Command> {
        let targets: Vec<ActOn> = self
            .selected_targets()
            .into_iter()
            .filter(|c| !self.flight.pending.contains_key(&c.id))
            .map(ActOn::from)
            .collect();
        self.act(verb, targets)
    }

    pub(super) fn act(&mut self, verb: Verb, targets: Vec<ActOn>) -> Vec<Command> {
        if targets.is_empty() {
            self.say(Level::Info, format!("nothing to {}", verb.word()));
            return Vec::new();
        }
        let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
        let text = format!("{} {}…", verb.progressive(), names.join(", "));
        self.say(Level::Info, text);
        targets
            .into_iter()
            .map(|ActOn { engine, id, name }| {
                let (container_id, container_name) = (id, name);
                self.flight.pending.insert(container_id.clone(), verb);
                self.flight.outcomes.remove(&container_id);
                Command::Act {
                    engine,
                    verb,
                    container_id,
                    container_name,
                }
            })
            .collect()
    }

    /// `s`: stop what runs; if nothing runs, start everything.
    fn stop_or_start(&mut self) -> Vec<Command> {
        let targets = self.selected_targets();
        let any_running = targets.iter().any(|c| c.state.is_running());
        let verb = if any_running { Verb::Stop } else { Verb::Start };
        let chosen: Vec<ActOn> = targets
            .into_iter()
            .filter(|c| {
                c.state.is_running() == any_running && !self.flight.pending.contains_key(&c.id)
            })
            .map(ActOn::from)
            .collect();
        self.act(verb, chosen)
    }

    fn open_logs(&mut self) -> Vec<Command> {
        let targets = self.selected_targets();
        if targets.is_empty() {
            return Vec::new();
        }
        let engine = targets[0].engine;
        let (title, name) = match self.selected_row() {
            Some(Row::Project(_, p)) => {
                let project = p.as_deref().unwrap_or(rows::NO_PROJECT);
                (format!("project {project}"), project.to_string())
            }
            _ => (targets[0].name.clone(), self.store.label(targets[0])),
        };
        let sources: Vec<LogSource> = targets
            .iter()
            .map(|c| LogSource {
                container_id: c.id.clone(),
                label: self.store.label(c),
            })
            .collect();
        let session = self.flight.next_session();
        let capacity = self.settings.log_lines;
        let now = self.store.now.to_utc();
        let mut view = LogView::new(session, title, name, sources.clone(), capacity, now);
        view.engine = engine;
        self.screen.view = View::Logs(Box::new(view));
        vec![Command::OpenLogs {
            engine,
            session,
            sources: sources.into_iter().enumerate().collect(),
            query: LogQuery {
                tail: self.settings.tail,
                since: None,
            },
        }]
    }
}

/// A container an action goes to: its engine, id and name.
pub(super) struct ActOn {
    engine: EngineId,
    id: String,
    name: String,
}

impl From<&Container> for ActOn {
    fn from(c: &Container) -> Self {
        Self {
            engine: c.engine,
            id: c.id.clone(),
            name: c.name.clone(),
        }
    }
}
