//! Keys of the log view: moving, searching, filtering, choosing what to
//! load and what to show, saving; and the prompt and picker it opens.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::input::ActOn;
use super::logview::{Found, Input, Prompt, PromptKind};
use super::{App, Level, LogView, View};
use crate::command::Command;
use crate::keymap::{Action, Context};
use crate::model::{LogQuery, Severity, TimeRange, Verb};

impl App {
    /// The log view, to change, when it is open.
    fn log_view_mut(&mut self) -> Option<&mut LogView> {
        match &mut self.screen.view {
            View::Logs(view) => Some(view),
            _ => None,
        }
    }

    /// Whether the log view's prompt or picker takes the keys.
    pub(super) fn log_input_open(&self) -> bool {
        self.log_view().is_some_and(|v| v.input.is_some())
    }

    pub(super) fn on_log_action(&mut self, action: Action) -> Vec<Command> {
        if action == Action::Restart {
            return self.restart_followed();
        }
        let rows = self.log_rows();
        let Some(view) = self.log_view_mut() else {
            return Vec::new();
        };
        match action {
            Action::Back => return self.close_view(),
            Action::Up => view.scroll_up(1),
            Action::Down => view.scroll_down(1),
            Action::PageUp => view.scroll_up(rows),
            Action::PageDown => view.scroll_down(rows),
            Action::Top => view.to_oldest(),
            Action::Bottom | Action::Follow => view.follow(),
            Action::Timestamps => view.timestamps = !view.timestamps,
            Action::Wrap => view.wrap = !view.wrap,
            Action::Plain => view.plain = !view.plain,
            Action::Search => {
                view.input = Some(Input::Prompt(Prompt::new(
                    PromptKind::Search,
                    String::new(),
                )))
            }
            Action::Filter => {
                let text = view
                    .filter
                    .as_ref()
                    .map(|f| f.text.clone())
                    .unwrap_or_default();
                view.input = Some(Input::Prompt(Prompt::new(PromptKind::Filter, text)));
            }
            Action::NextMatch => self.jump(true),
            Action::PrevMatch => self.jump(false),
            Action::MinLevel => {
                view.min_level = next_level(view.min_level);
                view.remark();
            }
            Action::Json => {
                view.structured = !view.structured;
                view.remark();
            }
            Action::Range(range) => {
                view.range = range;
                return self.reload_logs();
            }
            Action::Save => return self.save_logs(),
            Action::Mouse => self.toggle_mouse(),
            Action::Sources if view.merged => view.input = Some(Input::Picker { cursor: 0 }),
            Action::Sources => {
                let text = "one source here: pick sources in a project's logs".to_string();
                self.say(Level::Info, text);
            }
            _ => {}
        }
        Vec::new()
    }

    /// `r`: restarts the containers whose logs are loaded; the streams
    /// follow them into their next run.
    fn restart_followed(&mut self) -> Vec<Command> {
        let Some(view) = self.log_view() else {
            return Vec::new();
        };
        let ids: Vec<String> = view
            .streaming
            .iter()
            .filter_map(|i| view.sources.get(*i))
            .map(|s| s.log.container_id.clone())
            .collect();
        if self.refused("restart") {
            return Vec::new();
        }
        let targets = ids
            .into_iter()
            .filter(|id| !self.flight.pending.contains_key(id))
            .filter_map(|id| self.store.container(&id).map(ActOn::from))
            .collect();
        self.act(Verb::Restart, targets)
    }

    /// Width of the log lines' area: the terminal's.
    /// The lines the log view shows: as the last frame drew it, else as
    /// the terminal's size predicts.
    fn log_rows(&self) -> usize {
        let drawn = self.screen.hits.log_rows.map(usize::from);
        drawn.unwrap_or(self.screen.viewport.log_rows).max(1)
    }

    fn width(&self) -> usize {
        usize::from(self.screen.viewport.width).max(1)
    }

    /// `n` (newer) or `N` (older): to the next match, saying when the
    /// search went round or found nothing.
    fn jump(&mut self, newer: bool) {
        let (rows, width) = (self.log_rows(), self.width());
        let searched = self.log_view().and_then(|v| v.search.as_ref());
        let Some(pattern) = searched.map(|s| s.pattern.text.clone()) else {
            let key = self.key_for(Context::Logs, Action::Search);
            self.say(Level::Info, format!("no search: {key} to search"));
            return;
        };
        let Some(view) = self.log_view_mut() else {
            return;
        };
        let found = view.next_match(newer);
        if let Found::At(hit) | Found::Wrapped(hit) = found {
            view.go_to(hit, rows, width);
        }
        let end = if newer { "oldest" } else { "newest" };
        match found {
            Found::Wrapped(_) => {
                self.say(Level::Info, format!("search went round to the {end} match"))
            }
            Found::Nothing => self.say(Level::Info, format!("no match for {pattern}")),
            Found::At(_) => {}
        }
    }

    /// Keys while the prompt or the picker is open.
    pub(super) fn on_log_input(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(input) = self.log_view().and_then(|v| v.input.as_ref()) else {
            return Vec::new();
        };
        let action = self.settings.keys.lookup(input.context(), &key);
        if action == Some(Action::Quit) {
            return self.quit();
        }
        let Some(view) = self.log_view_mut() else {
            return Vec::new();
        };
        match view.input.take() {
            Some(Input::Prompt(prompt)) => self.on_prompt_key(prompt, action, key),
            Some(Input::Picker { cursor }) => self.on_picker_key(cursor, action),
            None => Vec::new(),
        }
    }

    /// A key in the prompt: its action, else a character typed.
    fn on_prompt_key(
        &mut self,
        mut prompt: Prompt,
        action: Option<Action>,
        key: KeyEvent,
    ) -> Vec<Command> {
        let Some(view) = self.log_view_mut() else {
            return Vec::new();
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match (action, key.code) {
            (Some(Action::Apply), _) => return self.apply_prompt(prompt),
            // Back leaves the search as it was; for a filter it removes it.
            (Some(Action::Back), _) if prompt.kind == PromptKind::Filter => {
                if view.filter.take().is_some() {
                    view.remark();
                }
                return Vec::new();
            }
            (Some(Action::Back), _) => return Vec::new(),
            (Some(Action::DeleteChar), _) if prompt.text.is_empty() => return Vec::new(),
            (Some(Action::DeleteChar), _) => prompt.pop(),
            (Some(Action::ClearLine), _) => prompt.clear(),
            (None, KeyCode::Char(c)) if !ctrl => prompt.push(c),
            _ => {}
        }
        view.input = Some(Input::Prompt(prompt));
        Vec::new()
    }

    /// Enter in a prompt: an empty pattern ends the search or filter; an
    /// invalid one keeps the prompt open, its error shown.
    fn apply_prompt(&mut self, prompt: Prompt) -> Vec<Command> {
        let (rows, width) = (self.log_rows(), self.width());
        let Some(view) = self.log_view_mut() else {
            return Vec::new();
        };
        let pattern = match prompt.pattern() {
            Some(Err(_)) => {
                view.input = Some(Input::Prompt(prompt));
                return Vec::new();
            }
            Some(Ok(pattern)) => Some(pattern),
            None => None,
        };
        match (prompt.kind, pattern) {
            (PromptKind::Search, None) => view.clear_search(),
            (PromptKind::Search, Some(pattern)) => {
                let text = pattern.text.clone();
                match view.start_search(pattern) {
                    Found::At(hit) | Found::Wrapped(hit) => view.go_to(hit, rows, width),
                    Found::Nothing => self.say(Level::Info, format!("no match for {text}")),
                }
            }
            (PromptKind::Filter, pattern) => {
                view.filter = pattern;
                view.remark();
            }
        }
        Vec::new()
    }

    /// The source picker: up and down move, toggle turns a source on or
    /// off (never the last one on), back closes it and loads the chosen
    /// sources.
    fn on_picker_key(&mut self, cursor: usize, action: Option<Action>) -> Vec<Command> {
        let Some(view) = self.log_view_mut() else {
            return Vec::new();
        };
        let last = view.sources.len().saturating_sub(1);
        let cursor = match action {
            Some(Action::Back) => return self.load_chosen(),
            Some(Action::Up) => cursor.saturating_sub(1),
            Some(Action::Down) => (cursor + 1).min(last),
            Some(Action::ToggleSource) => {
                let on = view.sources.iter().filter(|s| s.on).count();
                if let Some(source) = view.sources.get_mut(cursor)
                    && (!source.on || on > 1)
                {
                    source.on = !source.on;
                }
                cursor
            }
            _ => cursor,
        };
        view.input = Some(Input::Picker { cursor });
        Vec::new()
    }

    /// After the picker: reloads when the chosen sources are not the ones
    /// streaming.
    fn load_chosen(&mut self) -> Vec<Command> {
        let Some(view) = self.log_view() else {
            return Vec::new();
        };
        let loaded: Vec<usize> = view
            .sources
            .iter()
            .enumerate()
            .filter(|(_, s)| s.on)
            .map(|(i, _)| i)
            .collect();
        if view.streaming == loaded {
            return Vec::new();
        }
        self.reload_logs()
    }

    /// Loads the view's range of its chosen sources again, in a new
    /// session; what the reader asked to see stays.
    pub(super) fn reload_logs(&mut self) -> Vec<Command> {
        let session = self.flight.next_session();
        let now = self.store.now.to_utc();
        let (tail, capacity) = (self.settings.tail, self.settings.log_lines);
        let Some(view) = self.log_view_mut() else {
            return Vec::new();
        };
        let old = view.session;
        view.restart(session);
        let query = query(view.range, tail, capacity, now);
        let sources = view.chosen();
        view.streaming = sources.iter().map(|(i, _)| *i).collect();
        vec![
            Command::CloseLogs { session: old },
            Command::OpenLogs {
                engine: view.engine,
                session,
                sources,
                query,
            },
        ]
    }

    fn save_logs(&mut self) -> Vec<Command> {
        let folder = self.settings.log_folder.clone();
        let now = self.store.now;
        let Some(view) = self.log_view() else {
            return Vec::new();
        };
        let (text, lines) = view.text_to_save();
        if lines == 0 {
            self.say(Level::Info, "nothing to save: no line shown".to_string());
            return Vec::new();
        }
        let path = folder.join(view.file_name(now));
        vec![Command::SaveLog { path, text, lines }]
    }

    /// `M`: mouse capture off lets the terminal select text; the runtime
    /// follows `mouse_capture`.
    fn toggle_mouse(&mut self) {
        self.screen.mouse_capture = !self.screen.mouse_capture;
        let key = self.key_for(Context::Logs, Action::Mouse);
        let text = if self.screen.mouse_capture {
            format!("mouse on: the wheel scrolls ({key}: select text instead)")
        } else {
            format!("mouse off: select text with the terminal ({key}: wheel scrolls again)")
        };
        self.say(Level::Info, text);
    }
}

/// All, then info, warn, error, and round again.
fn next_level(level: Option<Severity>) -> Option<Severity> {
    match level {
        None => Some(Severity::Info),
        Some(Severity::Trace | Severity::Debug | Severity::Info) => Some(Severity::Warn),
        Some(Severity::Warn) => Some(Severity::Error),
        Some(Severity::Error) => None,
    }
}

/// What a range loads: `--tail` lines, or up to `capacity` lines of the
/// last minutes (or of all the engine has).
pub fn query(
    range: TimeRange,
    tail: usize,
    capacity: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> LogQuery {
    match (range, range.span()) {
        (TimeRange::Tail, _) => LogQuery { tail, since: None },
        (_, span) => LogQuery {
            tail: capacity,
            since: span.map(|s| now - s),
        },
    }
}
