//! App state and the only place it changes: [`App::update`].
//!
//! No I/O here: `update` takes an event, changes the state and returns the
//! commands the runtime must run. Views read the state and nothing else.
//!
//! The state is in parts: the [`Store`] of what engines and probes say,
//! the [`List`], work [`InFlight`], the [`Messages`], and the [`Screen`].

mod compose;
mod containers;
mod database;
mod engines;
pub mod flight;
mod health;
mod input;
pub mod list;
mod logevents;
mod logkeys;
pub mod logview;
mod messages;
pub mod notices;
pub mod probes;
pub mod problems;
pub mod rows;
pub mod store;
mod view;

use std::collections::HashMap;

use chrono::{DateTime, Duration as Age, FixedOffset, Utc};

use crate::command::Command;
use crate::config::Settings;
use crate::engine::endpoint::{DEFAULT_CONTEXT, Endpoint};
use crate::event::Event;
pub use crate::event::Viewport;
use crate::model::{Container, Done, EngineId, Job, JobError, Prefs};
pub use database::{DatabaseView, Panel};
pub use engines::{EngineState, EngineStatus};
pub use flight::{ComposeStep, InFlight, Outcome};
pub use health::{CheckState, HealthSummary, Level as HealthLevel, Source as HealthSource};
pub use list::{List, Stale, Window};
pub use logview::LogView;
pub use messages::{HISTORY, History, Level, Message, Messages, Status};
pub use notices::{Change, Notices};
pub use probes::Probe;
pub use problems::Problem;
pub use rows::Row;
use store::Touched;
pub use store::{Files, Store};
pub use view::{Confirm, Overlay, Screen, View};

/// The app's state, in parts whose names say what they hold.
#[derive(Debug, Clone)]
pub struct App {
    pub settings: Settings,
    /// What the engines, probes, checks and compose files say.
    pub store: Store,
    /// The list: rows, selection, filter, order and folds.
    pub list: List,
    /// Actions under way and their outcomes.
    pub flight: InFlight,
    /// What stacktop said, and the changes it noticed.
    pub messages: Messages,
    /// What is on screen: the view, its overlay, its size and hit areas.
    pub screen: Screen,
}

impl App {
    /// An app following the one engine at `endpoint`.
    pub fn new(settings: Settings, endpoint: String, now: DateTime<FixedOffset>) -> Self {
        let endpoint = Endpoint::plain(DEFAULT_CONTEXT, &endpoint);
        Self::with_engines(settings, &[endpoint], now)
    }

    /// An app following `engines`, each a group of its own when several.
    pub fn with_engines(
        settings: Settings,
        engines: &[Endpoint],
        now: DateTime<FixedOffset>,
    ) -> Self {
        Self {
            list: List::new(settings.project.clone()),
            settings,
            store: Store::new(engines, now),
            flight: InFlight::default(),
            messages: Messages::default(),
            screen: Screen::default(),
        }
    }

    /// Takes back what an earlier run remembered.
    pub fn restore(&mut self, prefs: Prefs) {
        self.list.prefs = prefs;
        self.rebuild_rows();
    }

    /// Applies one event; returns what the runtime must do because of it.
    pub fn update(&mut self, event: Event) -> Vec<Command> {
        let commands = self.absorb(event);
        self.settle();
        commands
    }

    /// Applies one event as [`App::update`] does, but a collector's event
    /// leaves the list to be arranged by [`App::settle`]: the runtime takes
    /// a run of them this way, and has the list arranged once before it
    /// draws. Any other event finds the list arranged.
    pub fn absorb(&mut self, event: Event) -> Vec<Command> {
        let event = match self.store.take(&self.settings, event) {
            Ok(taken) => return self.absorbed(taken),
            Err(event) => event,
        };
        self.settle();
        match event {
            Event::Key(key) => self.answering(|app| app.on_key(key)),
            Event::Mouse(mouse) => self.answering(|app| app.on_mouse(mouse)),
            Event::DoubleClick(mouse) => self.answering(|app| app.on_double_click(mouse)),
            Event::Layout(hits) => {
                self.screen.hits = hits;
                Vec::new()
            }
            Event::Resize(viewport) => {
                self.screen.viewport = viewport;
                self.clamp_offset();
                Vec::new()
            }
            Event::Tick(now) => {
                self.on_tick(now);
                Vec::new()
            }
            Event::Terminate => self.quit(),
            Event::Log(event) => {
                self.on_log(event);
                Vec::new()
            }
            Event::Done(done) => {
                self.on_done(done);
                Vec::new()
            }
            Event::Compose(event) => self.on_compose(event),
            Event::PrefsNotSaved(error) => {
                self.say(
                    Level::Error,
                    format!("could not remember the order and folds: {error}"),
                );
                Vec::new()
            }
            Event::TaskFailed { task, error } => {
                self.flight
                    .failed_tasks
                    .push(format!("{task} stopped on an internal error: {error}"));
                Vec::new()
            }
            // The store took these.
            Event::Docker(..) | Event::Host(_) | Event::Probe(_) | Event::Health { .. } => {
                Vec::new()
            }
        }
    }

    /// Follows up what the store took in: the list, the notices, the
    /// messages, a database view whose target went.
    fn absorbed(&mut self, taken: store::Taken) -> Vec<Command> {
        for news in taken.news {
            self.say_more(news.level, news.text, news.detail);
        }
        let mut commands = taken.commands;
        if let Some(view) = self.database_view()
            && !self.store.probes.contains_key(&view.target_id)
        {
            self.screen.view = View::List;
        }
        let follows_stats = taken.stats && self.list.prefs.sort.follows_stats();
        if taken.project || follows_stats || taken.derived {
            self.list.stale(Stale::Rows);
        }
        if let Some(touched) = &taken.containers {
            self.list.stale(self.staleness(touched));
        }
        match (taken.containers, taken.observe) {
            (Some(Touched::All), _) => commands.extend(self.observe(None)),
            (Some(Touched::One { id, .. }), _) => commands.extend(self.observe(Some(&id))),
            (Some(Touched::Gone(gone)), _) => commands.extend(self.observe_gone(&gone.id)),
            (None, Some(container)) => commands.extend(self.observe(Some(&container))),
            (None, None) => {}
        }
        commands
    }

    /// Arranges the list again, when events left it out of date.
    pub fn settle(&mut self) {
        match std::mem::take(&mut self.list.stale_since) {
            Stale::No => {}
            Stale::Offset => self.clamp_offset(),
            Stale::Rows => self.rebuild_rows(),
        }
    }

    /// How out of date a container's change leaves the list: a change
    /// that leaves its row where it was (the same project, shown or not
    /// as before, sorting the same) leaves the rows as they are, and only
    /// the scroll offset to check when it needs attention now, or no more.
    fn staleness(&self, touched: &Touched) -> Stale {
        let Touched::One {
            id,
            before: Some(before),
        } = touched
        else {
            return Stale::Rows;
        };
        let Some(now) = self.store.container(id) else {
            return Stale::Rows;
        };
        let shown = self.shown();
        let sort = self.list.prefs.sort;
        let in_place = (before.engine, &before.project, &before.service)
            == (now.engine, &now.project, &now.service)
            && shown.container(before) == shown.container(now)
            && sort
                .compare(&self.store.facts(before), &self.store.facts(now))
                .is_eq();
        if !in_place {
            Stale::Rows
        } else if self.store.needs_attention(before) != self.store.needs_attention(now) {
            Stale::Offset
        } else {
            Stale::No
        }
    }

    /// The local time of the last tick.
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.store.now
    }

    /// What the list shows: the scope and the filter.
    pub fn shown(&self) -> rows::Shown<'_> {
        self.list.shown()
    }

    /// The listed containers of a project of an engine: what its row
    /// stands for.
    pub fn members(&self, engine: EngineId, project: Option<&str>) -> Vec<&Container> {
        rows::members(&self.store.containers, engine, project, self.shown())
    }

    /// What each project's row counts, by engine and project: its listed
    /// containers, and those that need attention.
    pub fn member_counts(&self) -> HashMap<(EngineId, Option<&str>), MemberCount> {
        let mut counts: HashMap<_, MemberCount> = HashMap::new();
        let shown = self.shown();
        for c in self.store.containers.iter().filter(|c| shown.container(c)) {
            let count = counts.entry((c.engine, c.project.as_deref())).or_default();
            count.listed += 1;
            count.troubled += usize::from(self.store.needs_attention(c));
        }
        counts
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.list.selected_row()
    }

    fn on_tick(&mut self, now: DateTime<FixedOffset>) {
        self.store.now = now;
        self.flight.expire(now);
        self.messages.expire_status(now);
    }

    /// Commands to run once at start: probes of configured targets, the
    /// project of the folder stacktop started in.
    pub fn start(&mut self) -> Vec<Command> {
        let taken = self.store.start(&self.settings);
        self.absorbed(taken)
    }

    pub(crate) fn rebuild_rows(&mut self) {
        let keep = self.selected_row().cloned();
        self.list.rows = self.arranged_rows();
        let list = &mut self.list;
        if let Some(at) = keep.and_then(|k| list.rows.iter().position(|r| *r == k)) {
            list.selected = at;
        }
        list.selected = list.selected.min(list.rows.len().saturating_sub(1));
        self.clamp_offset();
    }

    /// Keeps the selected row inside the visible part of the list.
    pub(crate) fn clamp_offset(&mut self) {
        self.list.offset = self.window(self.screen.viewport.list_rows).offset;
    }

    fn on_done(&mut self, done: Done) {
        match &done.job {
            Job::Container { id, verb, .. } => {
                self.flight.pending.remove(id);
                let outcome = Outcome {
                    verb: *verb,
                    ok: done.result.is_ok(),
                    until: self.store.now + flight::OUTCOME_SHOWN_FOR,
                };
                self.flight.outcomes.insert(id.clone(), outcome);
            }
            Job::Compose(work) => {
                self.flight.compose_steps.remove(&work.project);
            }
            Job::Backend { .. } | Job::Purge { .. } | Job::SaveLog { .. } => {}
        }
        match done.result {
            Ok(text) => self.say(Level::Info, text),
            Err(JobError::Refused(text)) => self.say(Level::Error, text),
            Err(JobError::Crashed(text)) => {
                self.flight.failed_tasks.push(text.clone());
                self.say(Level::Error, text);
            }
        }
    }

    /// Leaves: closes the log streams, then asks the runtime to stop.
    fn quit(&mut self) -> Vec<Command> {
        self.screen.overlay = None;
        let mut commands = self.close_view();
        commands.push(Command::Quit);
        commands
    }

    /// Back to the list; a log view's streams are closed.
    fn close_view(&mut self) -> Vec<Command> {
        match std::mem::replace(&mut self.screen.view, View::List) {
            View::Logs(view) => vec![Command::CloseLogs {
                session: view.session,
            }],
            _ => Vec::new(),
        }
    }
}

/// A project row's figures: see [`App::member_counts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemberCount {
    pub listed: usize,
    pub troubled: usize,
}

/// Uptime of a container at `now`, if it is running.
pub fn uptime(container: &Container, now: DateTime<FixedOffset>) -> Option<Age> {
    if !container.state.is_running() {
        return None;
    }
    let started: DateTime<Utc> = container.started_at?;
    Some((now.with_timezone(&Utc) - started).max(Age::zero()))
}

#[cfg(test)]
mod engines_tests;
#[cfg(test)]
mod health_tests;
#[cfg(test)]
mod list_tests;
#[cfg(test)]
mod tests;
