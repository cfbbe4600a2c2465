//! App state and the only place it changes: [`App::update`].
//!
//! No I/O here: `update` takes an event, changes the state and returns the
//! commands the runtime must run. Views read the state and nothing else.

mod compose;
mod detail;
mod input;
pub mod logview;
pub mod probes;
pub mod rows;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration as Age, FixedOffset, Utc};

use crate::config::Settings;
use crate::event::{ActionDone, ActionKind, Command, DockerEvent, Event, LogEvent};
use crate::model::{ComposeProject, Container, HostSnapshot, Stats};
pub use logview::LogView;
pub use probes::{Detail, Probe};
pub use rows::Row;

/// How long the result of an action stays on its row.
const OUTCOME_SHOWN_FOR: Age = Age::seconds(5);
/// How long a status-line message stays.
const STATUS_SHOWN_FOR: Age = Age::seconds(8);

/// Connection to the Docker engine, as last reported by the collector.
#[derive(Debug, Clone, PartialEq)]
pub enum Engine {
    Connecting,
    Up { version: String },
    Down { error: String, retry_in_ms: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// A one-line message in the status bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub level: Level,
    pub until: DateTime<FixedOffset>,
}

/// A question asked before a destructive action; only `y` runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub question: String,
    pub command: Command,
}

/// The finished action shown on a container's row for a few seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub kind: ActionKind,
    pub ok: bool,
    pub until: DateTime<FixedOffset>,
}

#[derive(Debug, Clone)]
pub struct App {
    pub settings: Settings,
    pub endpoint: String,
    pub engine: Engine,
    /// Every container the engine reported, in no particular order.
    pub containers: Vec<Container>,
    pub stats: HashMap<String, Stats>,
    pub host: Option<HostSnapshot>,
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
    pub filter_editing: bool,
    pub pending: HashMap<String, ActionKind>,
    pub outcomes: HashMap<String, Outcome>,
    pub status: Option<Status>,
    pub logs: Option<LogView>,
    /// Database targets and what their probes report, by target id.
    pub probes: BTreeMap<String, Probe>,
    /// The open database detail view.
    pub detail: Option<Detail>,
    /// A destructive action waiting for `y`.
    pub confirm: Option<Confirm>,
    /// Compose projects whose declared services were read, by name.
    pub projects: BTreeMap<String, ComposeProject>,
    /// Projects already asked for, read or not.
    requested_projects: HashSet<String>,
    /// Running reset or up per project: (label, current step).
    pub compose_steps: HashMap<String, (String, String)>,
    pub show_help: bool,
    /// Terminal size, for page moves.
    pub size: (u16, u16),
    pub quit: bool,
    next_session: u64,
}

impl App {
    pub fn new(settings: Settings, endpoint: String, now: DateTime<FixedOffset>) -> Self {
        Self {
            scope: settings.project.clone(),
            settings,
            endpoint,
            engine: Engine::Connecting,
            containers: Vec::new(),
            stats: HashMap::new(),
            host: None,
            now,
            last_update: None,
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            filter: String::new(),
            filter_editing: false,
            pending: HashMap::new(),
            outcomes: HashMap::new(),
            status: None,
            logs: None,
            probes: BTreeMap::new(),
            detail: None,
            confirm: None,
            projects: BTreeMap::new(),
            requested_projects: HashSet::new(),
            compose_steps: HashMap::new(),
            show_help: false,
            size: (80, 24),
            quit: false,
            next_session: 1,
        }
    }

    /// Applies one event; returns what the runtime must do because of it.
    pub fn update(&mut self, event: Event) -> Vec<Command> {
        match event {
            Event::Key(key) => self.on_key(key),
            Event::Mouse(mouse) => self.on_mouse(mouse),
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.clamp_offset();
                Vec::new()
            }
            Event::Tick(now) => {
                self.on_tick(now);
                Vec::new()
            }
            Event::Terminate => self.quit_commands(),
            Event::Docker(event) => self.on_docker(event),
            Event::Host(snapshot) => {
                self.host = Some(snapshot);
                Vec::new()
            }
            Event::Log(event) => {
                self.on_log(event);
                Vec::new()
            }
            Event::ActionDone(done) => {
                self.on_action_done(done);
                Vec::new()
            }
            Event::Probe(event) => {
                self.on_probe(event);
                Vec::new()
            }
            Event::Compose(event) => self.on_compose(event),
            Event::ProbeActionDone(result) => {
                match result {
                    Ok(text) => self.say(Level::Info, text),
                    Err(text) => self.say(Level::Error, text),
                }
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
            .filter(|o| o.project == c.project && o.service.as_deref() == Some(service))
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

    /// The listed containers of a project: what its row stands for.
    pub fn members(&self, project: Option<&str>) -> Vec<&Container> {
        rows::members(&self.containers, project, self.shown())
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }

    fn on_tick(&mut self, now: DateTime<FixedOffset>) {
        self.now = now;
        self.outcomes.retain(|_, o| o.until > now);
        if self.status.as_ref().is_some_and(|s| s.until <= now) {
            self.status = None;
        }
    }

    /// Commands to run once at start: probes of configured targets.
    pub fn start(&mut self) -> Vec<Command> {
        let mut commands = self.refresh_targets();
        commands.extend(self.load_new_projects());
        commands
    }

    fn on_docker(&mut self, event: DockerEvent) -> Vec<Command> {
        match event {
            DockerEvent::Connected { version, endpoint } => {
                self.engine = Engine::Up { version };
                self.endpoint = endpoint;
            }
            DockerEvent::Disconnected {
                endpoint,
                error,
                retry_in,
            } => {
                self.endpoint = endpoint;
                self.engine = Engine::Down {
                    error,
                    retry_in_ms: retry_in.as_millis() as u64,
                };
            }
            DockerEvent::Containers(all) => {
                self.containers = all;
                let known: Vec<&str> = self.containers.iter().map(|c| c.id.as_str()).collect();
                self.stats.retain(|id, _| known.contains(&id.as_str()));
                return self.touched();
            }
            DockerEvent::ContainerChanged(changed) => {
                match self.containers.iter_mut().find(|c| c.id == changed.id) {
                    Some(slot) => *slot = *changed,
                    None => self.containers.push(*changed),
                }
                return self.touched();
            }
            DockerEvent::ContainerRemoved(id) => {
                self.containers.retain(|c| c.id != id);
                self.stats.remove(&id);
                return self.touched();
            }
            DockerEvent::Stats(stats) => {
                self.stats = stats.into_iter().collect();
                self.last_update = Some(self.now);
            }
        }
        Vec::new()
    }

    /// The container list changed: rediscover targets, rebuild rows.
    fn touched(&mut self) -> Vec<Command> {
        self.last_update = Some(self.now);
        let mut commands = self.refresh_targets();
        commands.extend(self.load_new_projects());
        self.rebuild_rows();
        commands
    }

    pub(crate) fn rebuild_rows(&mut self) {
        let keep = self.selected_row().cloned();
        let extra: Vec<(String, String)> = self
            .unattached_probes()
            .map(|p| (p.target.id.clone(), p.target.name.clone()))
            .collect();
        let declared = self.not_created();
        self.rows = rows::build(&self.containers, &declared, &extra, self.shown());
        if let Some(at) = keep.and_then(|k| self.rows.iter().position(|r| *r == k)) {
            self.selected = at;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.clamp_offset();
    }

    /// Keeps the selected row inside the visible part of the list.
    pub(crate) fn clamp_offset(&mut self) {
        let visible = crate::ui::layout::list_rows(self.size).max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + visible {
            self.offset = self.selected + 1 - visible;
        }
        let last_page = self.rows.len().saturating_sub(visible);
        self.offset = self.offset.min(last_page);
    }

    fn on_log(&mut self, event: LogEvent) {
        let Some(view) = self.logs.as_mut() else {
            return;
        };
        match event {
            LogEvent::Lines { session, lines } if session == view.session => view.append(lines),
            LogEvent::Ended {
                session,
                source,
                reason,
            } if session == view.session => {
                view.notice = Some(source_notice(view, source, &reason));
            }
            LogEvent::Failed {
                session,
                source,
                error,
            } if session == view.session => {
                view.notice = Some(source_notice(view, source, &error));
            }
            _ => {}
        }
    }

    fn on_action_done(&mut self, done: ActionDone) {
        self.pending.remove(&done.container_id);
        let ok = done.result.is_ok();
        self.outcomes.insert(
            done.container_id.clone(),
            Outcome {
                kind: done.kind,
                ok,
                until: self.now + OUTCOME_SHOWN_FOR,
            },
        );
        match done.result {
            Ok(()) => self.say(
                Level::Info,
                format!("{}: {} done", done.container_name, done.kind.verb()),
            ),
            Err(message) => self.say(
                Level::Error,
                format!(
                    "{}: {} failed: {message}",
                    done.container_name,
                    done.kind.verb()
                ),
            ),
        }
    }

    pub(crate) fn say(&mut self, level: Level, text: String) {
        self.status = Some(Status {
            text,
            level,
            until: self.now + STATUS_SHOWN_FOR,
        });
    }

    pub(crate) fn next_session(&mut self) -> u64 {
        let session = self.next_session;
        self.next_session += 1;
        session
    }

    fn quit_commands(&mut self) -> Vec<Command> {
        self.quit = true;
        let mut commands = Vec::new();
        self.confirm = None;
        if let Some(view) = self.logs.take() {
            commands.push(Command::CloseLogs {
                session: view.session,
            });
        }
        commands.push(Command::Quit);
        commands
    }
}

fn source_notice(view: &LogView, source: usize, reason: &str) -> String {
    match view.sources.get(source) {
        Some(s) if view.merged => format!("{}: {reason}", s.label),
        _ => reason.to_string(),
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
mod tests;
