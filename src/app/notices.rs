//! State changes of the session: the timeline (`e`), and notices of
//! changes for the worse that stay until the user has seen them.
//!
//! Nothing polls: the changes are read off the events the app takes in
//! anyway (the engine's container updates, health check results, probe
//! reports), by comparing each container's standing with the last one.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, FixedOffset};

use super::App;
use super::health::{Level as HealthLevel, Source};
use super::rows::Shown;
use crate::command::Command;
use crate::model::{Container, ContainerState, EngineId};

/// State changes kept for the timeline.
pub const TIMELINE: usize = 50;

/// One change of a container's state or health.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub at: DateTime<FixedOffset>,
    pub container_id: String,
    /// The row's label, with its project when every project is listed.
    pub name: String,
    /// `became unhealthy`, `exited (3), restart 4`, `started`.
    pub what: String,
    /// A change for the worse: the service needs attention now.
    pub worse: bool,
}

impl Change {
    /// `user-service became unhealthy`.
    pub fn text(&self) -> String {
        format!("{} {}", self.name, self.what)
    }
}

/// How a container stood when last looked at.
#[derive(Debug, Clone, PartialEq)]
struct Standing {
    /// The name changes are told under.
    name: String,
    state: ContainerState,
    health: HealthLevel,
    source: Source,
    words: String,
    attention: bool,
    restarts: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Notices {
    /// By container id: the containers in scope.
    standings: HashMap<String, Standing>,
    /// The engines whose containers were seen once: changes on an engine
    /// are told from then, so a list that comes later than another
    /// engine's is how that engine stands, not what changed on it.
    told_from: HashSet<EngineId>,
    /// The last [`TIMELINE`] changes, newest first.
    pub timeline: VecDeque<Change>,
    /// Changes for the worse not seen yet, oldest first; one a container.
    pub unseen: Vec<Change>,
    /// The pane title last asked for.
    title: Option<String>,
    /// How many standings need attention.
    problems: usize,
}

impl Notices {
    /// The user looked: the notices go (the timeline keeps them).
    pub fn seen(&mut self) {
        self.unseen.clear();
    }

    /// How many containers in scope need attention.
    pub fn problems(&self) -> usize {
        self.problems
    }

    /// Keeps how a container stands; returns how it stood.
    fn keep(&mut self, id: String, standing: Standing) -> Option<Standing> {
        self.problems += usize::from(standing.attention);
        let before = self.standings.insert(id, standing);
        self.problems -= before.as_ref().map_or(0, |b| usize::from(b.attention));
        before
    }

    fn drop_standing(&mut self, id: &str) -> Option<Standing> {
        let before = self.standings.remove(id);
        self.problems -= before.as_ref().map_or(0, |b| usize::from(b.attention));
        before
    }

    fn forget(&mut self) {
        self.standings.clear();
        self.problems = 0;
        self.told_from.clear();
    }

    /// Puts changes on the timeline, and those for the worse among the
    /// unseen ones; returns the text to alert with, if any.
    fn tell(&mut self, changes: Vec<Change>) -> Option<String> {
        let mut alert = None;
        let worse: HashSet<&str> = changes
            .iter()
            .filter(|c| c.worse)
            .map(|c| c.container_id.as_str())
            .collect();
        let known: HashSet<String> = self
            .unseen
            .iter()
            .filter(|n| worse.contains(n.container_id.as_str()))
            .map(|n| n.container_id.clone())
            .collect();
        if !worse.is_empty() {
            self.unseen
                .retain(|n| !worse.contains(n.container_id.as_str()));
        }
        drop(worse);
        for change in changes {
            if change.worse {
                // A container changes once a call: its older notice went above.
                if !known.contains(&change.container_id) {
                    alert = Some(change.text());
                }
                self.unseen.push(change.clone());
            }
            self.timeline.push_front(change);
        }
        self.timeline.truncate(TIMELINE);
        alert
    }
}

/// How a container stands now: its id, engine, standing, and whether
/// stacktop acts on it.
type Now = (String, EngineId, Standing, bool);

impl App {
    /// Compares the containers in scope (only `only`, when given) with how
    /// they stood, records what changed, and returns the alerts the config
    /// asks for: at most one bell or desktop notification a call, none for
    /// a service whose last notice is still unseen, and the pane title when
    /// the count of problems changed.
    pub(super) fn observe(&mut self, only: Option<&str>) -> Vec<Command> {
        let scope = Shown {
            scope: self.list.scope.as_deref(),
            filter: "",
        };
        let Some(id) = only else {
            return self.observe_all();
        };
        let now = self
            .store
            .container(id)
            .filter(|c| scope.container(c))
            .map(|c| self.now_of(c));
        self.record(now.into_iter().collect(), Vec::new())
    }

    /// A container went: it is told as removed, if it was in scope.
    pub(super) fn observe_gone(&mut self, id: &str) -> Vec<Command> {
        self.record(Vec::new(), vec![id.to_string()])
    }

    /// Every container in scope, and those gone from it.
    fn observe_all(&mut self) -> Vec<Command> {
        let scope = Shown {
            scope: self.list.scope.as_deref(),
            filter: "",
        };
        let mut now = Vec::new();
        let mut in_scope: HashSet<&str> = HashSet::new();
        for c in self.store.containers.iter().filter(|c| scope.container(c)) {
            in_scope.insert(&c.id);
            now.push(self.now_of(c));
        }
        let gone: Vec<String> = self
            .messages
            .notices
            .standings
            .keys()
            .filter(|id| !in_scope.contains(id.as_str()))
            .cloned()
            .collect();
        let commands = self.record(now, gone);
        let listed = self.store.engines.iter().zip(0..).filter(|(e, _)| e.listed);
        let listed: Vec<EngineId> = listed.map(|(_, i)| EngineId(i)).collect();
        self.messages.notices.told_from.extend(listed);
        commands
    }

    /// How container `c` stands now, and whether stacktop acts on it.
    fn now_of(&self, c: &Container) -> Now {
        let standing = self.standing(c, self.store.label(c));
        (c.id.clone(), c.engine, standing, self.flight.acting_on(c))
    }

    /// Records how containers stand now and which went; returns the alerts.
    fn record(&mut self, now: Vec<Now>, gone: Vec<String>) -> Vec<Command> {
        let mut changes = Vec::new();
        for (id, engine, standing, acting) in now {
            let name = standing.name.clone();
            let before = self.messages.notices.keep(id.clone(), standing.clone());
            if !self.messages.notices.told_from.contains(&engine) {
                continue;
            }
            let change = match &before {
                Some(before) => describe(before, &standing),
                None => Some(appeared(&standing)),
            };
            if let Some((what, worse)) = change {
                let worse = worse && !acting;
                changes.push(self.change(id, name, what, worse));
            }
        }
        for id in gone {
            if let Some(standing) = self.messages.notices.drop_standing(&id) {
                changes.push(self.change(id, standing.name, "removed".into(), false));
            }
        }
        let alert = self.messages.notices.tell(changes);
        self.alerts(alert)
    }

    /// Watches the containers of a new scope from how they are now.
    pub(super) fn observe_afresh(&mut self) -> Vec<Command> {
        self.messages.notices.forget();
        self.observe(None)
    }

    fn change(&self, container_id: String, name: String, what: String, worse: bool) -> Change {
        Change {
            at: self.store.now,
            container_id,
            name,
            what,
            worse,
        }
    }

    fn standing(&self, c: &Container, label: String) -> Standing {
        let health = self.store.health_of(c);
        Standing {
            name: self.notice_name(c, label),
            state: c.state.clone(),
            health: health.level,
            source: health.source,
            words: health.words,
            attention: self.store.needs_attention(c),
            restarts: c.restart_count,
        }
    }

    /// The row's label; with every project listed, `project/label`; with
    /// several engines, after the engine's name (`west: shop/db`), as the
    /// same project can run on two.
    fn notice_name(&self, c: &Container, label: String) -> String {
        let name = match (&self.list.scope, &c.project) {
            (None, Some(project)) => format!("{project}/{label}"),
            _ => label,
        };
        match self.store.engines.get(c.engine.index()) {
            Some(engine) if self.store.several_engines() => format!("{}: {name}", engine.name),
            _ => name,
        }
    }

    /// The commands of the alerts the config turns on.
    fn alerts(&mut self, alert: Option<String>) -> Vec<Command> {
        let notify = self.settings.notify;
        let mut commands = Vec::new();
        if let Some(text) = alert
            && notify.alerts()
        {
            commands.push(Command::Alert(text));
        }
        if notify.title {
            let title = match self.messages.notices.problems() {
                0 => "stacktop: ok".to_string(),
                1 => "stacktop: 1 problem".to_string(),
                n => format!("stacktop: {n} problems"),
            };
            if self.messages.notices.title.as_ref() != Some(&title) {
                self.messages.notices.title = Some(title.clone());
                commands.push(Command::SetTitle(title));
            }
        }
        commands
    }
}

/// What changed from `before` to `now`, and whether for the worse; `None`
/// when nothing worth telling did. The first answer of one of stacktop's
/// checks or probes is told, but not as a change for the worse: stacktop
/// learnt it, it did not happen.
fn describe(before: &Standing, now: &Standing) -> Option<(String, bool)> {
    if before.state != now.state {
        let worse = now.attention && now.state.is_bad();
        return Some((state_change(before, now), worse));
    }
    if before.health == now.health {
        return None;
    }
    let what = match (now.source, now.health) {
        (Source::Docker, HealthLevel::Bad) => "became unhealthy".to_string(),
        (Source::Docker, HealthLevel::Good) => "became healthy".to_string(),
        (Source::Docker, HealthLevel::Warn) => "health check starting".to_string(),
        (_, HealthLevel::None) => return None,
        (_, _) => format!("health: {}", now.words),
    };
    // Docker's own verdict comes with the container; stacktop's checks and
    // probes answer some time after the start.
    let learnt = before.health == HealthLevel::None && now.source != Source::Docker;
    let worse = now.health == HealthLevel::Bad && now.attention && !learnt;
    Some((what, worse))
}

fn state_change(before: &Standing, now: &Standing) -> String {
    let restart = |code: i64| {
        if now.restarts > 0 {
            format!("exited ({code}), restart {}", now.restarts)
        } else {
            format!("exited ({code})")
        }
    };
    match &now.state {
        ContainerState::Exited { code } | ContainerState::Restarting { exit_code: code } => {
            restart(*code)
        }
        ContainerState::Running if before.state == ContainerState::Paused => "unpaused".into(),
        ContainerState::Running
            if now.restarts > before.restarts
                || matches!(before.state, ContainerState::Restarting { .. }) =>
        {
            "running again".into()
        }
        ContainerState::Running => "started".into(),
        ContainerState::Dead => "died".into(),
        other => other.words(),
    }
}

/// A container seen for the first time after the start.
fn appeared(now: &Standing) -> (String, bool) {
    match &now.state {
        ContainerState::Running => ("started".into(), false),
        ContainerState::Created => ("created".into(), false),
        other if now.attention => (other.words(), true),
        other => (other.words(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(health: HealthLevel, source: Source, words: &str) -> Standing {
        Standing {
            name: "api".into(),
            state: ContainerState::Running,
            health,
            source,
            words: words.into(),
            attention: health == HealthLevel::Bad,
            restarts: 0,
        }
    }

    #[test]
    fn a_first_verdict_is_learnt_and_a_later_one_is_a_change() {
        let unknown = standing(HealthLevel::None, Source::None, "—");
        let failing = standing(HealthLevel::Bad, Source::Http, "http 503");
        let passing = standing(HealthLevel::Good, Source::Http, "http 200 3ms");
        assert_eq!(
            describe(&unknown, &failing),
            Some(("health: http 503".into(), false))
        );
        assert_eq!(
            describe(&passing, &failing),
            Some(("health: http 503".into(), true))
        );
        assert_eq!(describe(&failing, &failing), None);
    }

    #[test]
    fn states_are_told_in_words() {
        let running = standing(HealthLevel::None, Source::None, "—");
        let mut dead = running.clone();
        dead.state = ContainerState::Dead;
        dead.attention = true;
        assert_eq!(describe(&running, &dead), Some(("died".into(), true)));
        let mut paused = running.clone();
        paused.state = ContainerState::Paused;
        assert_eq!(describe(&running, &paused), Some(("paused".into(), false)));
        assert_eq!(
            describe(&paused, &running),
            Some(("unpaused".into(), false))
        );
    }
}
