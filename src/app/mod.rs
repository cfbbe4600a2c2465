//! App state and the only place it changes: [`App::update`].
//!
//! No I/O here: `update` takes an event, changes the state and returns the
//! commands the runtime must run. Views read the state and nothing else.

mod compose;
mod database;
mod engines;
mod health;
mod input;
pub mod list;
mod logevents;
mod logkeys;
pub mod logview;
mod messages;
pub mod notices;
pub mod probes;
pub mod rows;
mod view;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration as Age, FixedOffset, Utc};

use crate::command::Command;
use crate::config::Settings;
use crate::engine::endpoint::{DEFAULT_CONTEXT, Endpoint};
pub use crate::event::Viewport;
use crate::event::{Event, Hits};
use crate::model::trend::Trends;
use crate::model::{
    ComposeProject, Container, Done, EngineId, HostSnapshot, Job, Prefs, Stats, Verb,
};
pub use database::{DatabaseView, Panel};
pub use engines::{EngineState, EngineStatus};
pub use health::{CheckState, HealthSummary, Level as HealthLevel, Source as HealthSource};
pub use list::Window;
pub use logview::LogView;
pub use messages::{HISTORY, History, Level, Message, Status};
pub use notices::{Change, Notices};
pub use probes::Probe;
pub use rows::Row;
pub use view::{Confirm, Overlay, View};

/// How long the result of an action stays on its row.
const OUTCOME_SHOWN_FOR: Age = Age::seconds(5);

/// The step a reset or up of a project is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeStep {
    /// The services (or the project) being reset or brought up.
    pub label: String,
    pub step: String,
}

/// The finished action shown on a container's row for a few seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub verb: Verb,
    pub ok: bool,
    pub until: DateTime<FixedOffset>,
}

#[derive(Debug, Clone)]
pub struct App {
    pub settings: Settings,
    /// The engines followed, by `EngineId`; one unless several were asked.
    pub engines: Vec<EngineState>,
    /// Every container the engines reported, in no particular order.
    pub containers: Vec<Container>,
    pub stats: HashMap<String, Stats>,
    pub host: Option<HostSnapshot>,
    /// Recent CPU and memory of each container and of the host.
    pub trends: Trends,
    /// Local time of the last tick: views compute uptimes from it.
    pub now: DateTime<FixedOffset>,
    /// When the engine last sent data.
    pub last_update: Option<DateTime<FixedOffset>>,
    /// Only this project is listed (from `-p` or the compose file here).
    pub scope: Option<String>,
    pub rows: Vec<Row>,
    pub selected: usize,
    /// First row shown: kept so the list scrolls only when it must.
    pub offset: usize,
    pub filter: String,
    /// Restarts, stops and starts under way, by container id.
    pub pending: HashMap<String, Verb>,
    pub outcomes: HashMap<String, Outcome>,
    pub status: Option<Status>,
    /// The newest info message said while an error held the status line;
    /// it shows when the error's first seconds are over.
    held: Option<Status>,
    /// What was said, newest first (the `m` overlay).
    pub messages: History,
    /// Tasks that stopped on a bug: shown until stacktop restarts.
    pub failed_tasks: Vec<String>,
    pub view: View,
    pub overlay: Option<Overlay>,
    /// Database targets and what their probes report, by target id.
    pub probes: BTreeMap<String, Probe>,
    /// HTTP health checks and their latest results, by check id.
    pub checks: BTreeMap<String, CheckState>,
    /// Compose projects whose declared services were read, by name.
    pub projects: BTreeMap<String, ComposeProject>,
    /// Projects already asked for, read or not.
    requested_projects: HashSet<String>,
    /// The running reset or up of each project.
    pub compose_steps: HashMap<String, ComposeStep>,
    pub viewport: Viewport,
    /// Where the last frame put the list rows and panel titles, for clicks.
    pub hits: Hits,
    /// The terminal reports the mouse (the wheel scrolls); off, the
    /// terminal selects text. The runtime follows it.
    pub mouse_capture: bool,
    next_session: u64,
    /// The list's order and the user's folds, remembered between runs.
    pub prefs: Prefs,
    /// Projects folded at first sight (see `fold_new_projects`); not
    /// remembered.
    auto_folded: HashSet<String>,
    /// Projects the list has shown already, by fold key.
    met_projects: HashSet<String>,
    /// State changes of the session, and those not seen yet.
    pub notices: Notices,
    /// Input the user just gave is being handled: what it says answers
    /// them, and shows even over an error still in its first seconds.
    answering: bool,
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
            scope: settings.project.clone(),
            settings,
            engines: engines.iter().map(EngineState::new).collect(),
            containers: Vec::new(),
            stats: HashMap::new(),
            host: None,
            trends: Trends::default(),
            now,
            last_update: None,
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            filter: String::new(),
            pending: HashMap::new(),
            outcomes: HashMap::new(),
            status: None,
            held: None,
            messages: History::new(),
            failed_tasks: Vec::new(),
            view: View::List,
            overlay: None,
            probes: BTreeMap::new(),
            checks: BTreeMap::new(),
            projects: BTreeMap::new(),
            requested_projects: HashSet::new(),
            compose_steps: HashMap::new(),
            viewport: Viewport::default(),
            hits: Hits::default(),
            mouse_capture: true,
            next_session: 1,
            prefs: Prefs::default(),
            auto_folded: HashSet::new(),
            met_projects: HashSet::new(),
            notices: Notices::default(),
            answering: false,
        }
    }

    /// Takes back what an earlier run remembered.
    pub fn restore(&mut self, prefs: Prefs) {
        self.prefs = prefs;
        self.rebuild_rows();
    }

    /// Applies one event; returns what the runtime must do because of it.
    pub fn update(&mut self, event: Event) -> Vec<Command> {
        match event {
            Event::Key(key) => self.answering(|app| app.on_key(key)),
            Event::Mouse(mouse) => self.answering(|app| app.on_mouse(mouse)),
            Event::DoubleClick(mouse) => self.answering(|app| app.on_double_click(mouse)),
            Event::Layout(hits) => {
                self.hits = hits;
                Vec::new()
            }
            Event::Resize(viewport) => {
                self.viewport = viewport;
                self.clamp_offset();
                Vec::new()
            }
            Event::Tick(now) => {
                self.on_tick(now);
                Vec::new()
            }
            Event::Terminate => self.quit(),
            Event::Docker(engine, event) => self.on_docker(engine, event),
            Event::Host(snapshot) => {
                self.trends.record_host(&snapshot);
                self.host = Some(snapshot);
                Vec::new()
            }
            Event::Log(event) => {
                self.on_log(event);
                Vec::new()
            }
            Event::Done(done) => {
                self.on_done(done);
                Vec::new()
            }
            Event::Probe(event) => match self.on_probe(event) {
                Some(container) => self.observe(Some(&container)),
                None => Vec::new(),
            },
            Event::Compose(event) => self.on_compose(event),
            Event::Health { check_id, result } => match self.on_health(check_id, result) {
                Some(container) => self.observe(Some(&container)),
                None => Vec::new(),
            },
            Event::PrefsNotSaved(error) => {
                self.say(
                    Level::Error,
                    format!("could not remember the order and folds: {error}"),
                );
                Vec::new()
            }
            Event::TaskFailed { task, error } => {
                self.failed_tasks
                    .push(format!("{task} stopped on an internal error: {error}"));
                Vec::new()
            }
        }
    }

    pub fn container(&self, id: &str) -> Option<&Container> {
        self.containers.iter().find(|c| c.id == id)
    }

    /// `worker-2` when a service has several replicas, else the service
    /// (or, outside Compose, the container) name.
    pub fn label(&self, c: &Container) -> String {
        let Some(service) = c.service.as_deref() else {
            return c.name.clone();
        };
        let replicas = self
            .containers
            .iter()
            .filter(|o| {
                o.engine == c.engine
                    && o.project == c.project
                    && o.service.as_deref() == Some(service)
            })
            .count();
        match c.number {
            Some(n) if replicas > 1 => format!("{service}-{n}"),
            _ => service.to_string(),
        }
    }

    /// What the list shows: the scope and the filter.
    pub fn shown(&self) -> rows::Shown<'_> {
        rows::Shown {
            scope: self.scope.as_deref(),
            filter: &self.filter,
        }
    }

    /// The listed containers of a project of an engine: what its row
    /// stands for.
    pub fn members(&self, engine: EngineId, project: Option<&str>) -> Vec<&Container> {
        rows::members(&self.containers, engine, project, self.shown())
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }

    fn on_tick(&mut self, now: DateTime<FixedOffset>) {
        self.now = now;
        self.outcomes.retain(|_, o| o.until > now);
        self.expire_status(now);
    }

    /// Commands to run once at start: probes of configured targets.
    pub fn start(&mut self) -> Vec<Command> {
        let mut commands = self.refresh_targets();
        commands.extend(self.load_new_projects());
        commands
    }

    /// The container list changed: rediscover targets, rebuild rows.
    fn touched(&mut self) -> Vec<Command> {
        self.last_update = Some(self.now);
        let mut commands = self.refresh_targets();
        commands.extend(self.refresh_checks());
        commands.extend(self.load_new_projects());
        self.rebuild_rows();
        commands.extend(self.observe(None));
        commands
    }

    pub(crate) fn rebuild_rows(&mut self) {
        let keep = self.selected_row().cloned();
        self.rows = self.arranged_rows();
        if let Some(at) = keep.and_then(|k| self.rows.iter().position(|r| *r == k)) {
            self.selected = at;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.clamp_offset();
    }

    /// Keeps the selected row inside the visible part of the list.
    pub(crate) fn clamp_offset(&mut self) {
        self.offset = self.window(self.viewport.list_rows).offset;
    }

    fn on_done(&mut self, done: Done) {
        match &done.job {
            Job::Container { id, verb, .. } => {
                self.pending.remove(id);
                let outcome = Outcome {
                    verb: *verb,
                    ok: done.result.is_ok(),
                    until: self.now + OUTCOME_SHOWN_FOR,
                };
                self.outcomes.insert(id.clone(), outcome);
            }
            Job::Compose { project, .. } => {
                self.compose_steps.remove(project);
            }
            Job::Backend { .. } | Job::Purge { .. } | Job::SaveLog { .. } => {}
        }
        match done.result {
            Ok(text) => self.say(Level::Info, text),
            Err(text) => self.say(Level::Error, text),
        }
    }

    pub(crate) fn next_session(&mut self) -> u64 {
        let session = self.next_session;
        self.next_session += 1;
        session
    }

    /// Leaves: closes the log streams, then asks the runtime to stop.
    fn quit(&mut self) -> Vec<Command> {
        self.overlay = None;
        let mut commands = self.close_view();
        commands.push(Command::Quit);
        commands
    }

    /// Back to the list; a log view's streams are closed.
    fn close_view(&mut self) -> Vec<Command> {
        match std::mem::replace(&mut self.view, View::List) {
            View::Logs(view) => vec![Command::CloseLogs {
                session: view.session,
            }],
            _ => Vec::new(),
        }
    }
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
