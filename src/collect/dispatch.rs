//! The one place the collectors' work from `update` is carried out, for
//! the dashboard and the headless commands alike: the probes and health
//! checks to run, and the compose projects to read.

use tokio::sync::mpsc::Sender;

use super::health::Checks;
use super::probes::Probes;
use crate::command::Collect;
use crate::config::Settings;
use crate::event::{ComposeEvent, Event};
use crate::model::{EngineId, ProjectLocation};

/// When the compose projects asked for are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// As soon as they are asked for: the dashboard.
    Now,
    /// Once [`Collectors::read_projects`] is called: reading one runs the
    /// compose CLI, a second of CPU that `stacktop check` rarely needs.
    Later,
}

/// The probes, health checks and project reads running.
pub struct Collectors {
    probes: Probes,
    checks: Checks,
    reading: Reading,
    /// Projects asked for, held until [`Self::read_projects`].
    held: Vec<(EngineId, ProjectLocation)>,
    /// Projects being read, for whoever waits for them (see [`Self::saw`]).
    pending: usize,
}

impl Collectors {
    pub fn new(settings: &Settings, reading: Reading) -> Self {
        Self {
            probes: Probes::new(settings.interval),
            checks: Checks::new(settings.health.interval, settings.health.timeout),
            reading,
            held: Vec::new(),
            pending: 0,
        }
    }

    /// Carries out one piece of work `update` asked for.
    pub fn run(&mut self, work: Collect, tx: &Sender<Event>) {
        match work {
            Collect::SetTargets(targets) => self.probes.set(targets, tx),
            Collect::SetChecks(checks) => self.checks.set(checks, tx),
            Collect::LoadProject { engine, location } => match self.reading {
                Reading::Now => self.load(engine, location, tx),
                Reading::Later => self.held.push((engine, location)),
            },
        }
    }

    /// Reads the projects held so far, and from now on each one as soon
    /// as it is asked for.
    pub fn read_projects(&mut self, tx: &Sender<Event>) {
        self.reading = Reading::Now;
        for (engine, location) in std::mem::take(&mut self.held) {
            self.load(engine, location, tx);
        }
    }

    /// Counts off a project read when `event` is its answer.
    pub fn saw(&mut self, event: &Event) {
        if let Event::Compose(ComposeEvent::Loaded { .. } | ComposeEvent::LoadFailed { .. }) = event
        {
            self.pending = self.pending.saturating_sub(1);
        }
    }

    /// Whether every project read started has answered.
    pub fn projects_read(&self) -> bool {
        self.pending == 0
    }

    fn load(&mut self, engine: EngineId, location: ProjectLocation, tx: &Sender<Event>) {
        self.pending += 1;
        crate::compose::spawn_load(engine, location, tx.clone());
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::sync::mpsc;

    use super::*;

    fn nowhere() -> ProjectLocation {
        let dir = std::env::temp_dir().join(format!("stacktop-no-project-{}", std::process::id()));
        ProjectLocation {
            name: "nowhere".into(),
            working_dir: dir.display().to_string(),
            files: Vec::new(),
            env_files: Vec::new(),
            profiles: Vec::new(),
        }
    }

    fn load_nowhere() -> Collect {
        Collect::LoadProject {
            engine: EngineId::default(),
            location: nowhere(),
        }
    }

    #[tokio::test]
    async fn later_holds_project_reads_until_asked_then_counts_their_answers() {
        let (tx, mut rx) = mpsc::channel(8);
        let mut collectors = Collectors::new(&Settings::default(), Reading::Later);
        collectors.run(load_nowhere(), &tx);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(rx.try_recv().is_err(), "held: not read yet");
        assert!(collectors.projects_read(), "none started");
        collectors.read_projects(&tx);
        assert!(!collectors.projects_read(), "one being read");
        let answer = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .expect("the read answers")
            .expect("an event");
        assert!(
            matches!(answer, Event::Compose(ComposeEvent::LoadFailed { .. })),
            "{answer:?}"
        );
        collectors.saw(&answer);
        assert!(collectors.projects_read());
    }

    #[tokio::test]
    async fn now_reads_a_project_as_soon_as_asked() {
        let (tx, mut rx) = mpsc::channel(8);
        let mut collectors = Collectors::new(&Settings::default(), Reading::Now);
        collectors.run(load_nowhere(), &tx);
        let answer = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await;
        assert!(
            matches!(
                answer,
                Ok(Some(Event::Compose(ComposeEvent::LoadFailed { .. })))
            ),
            "{answer:?}"
        );
    }
}
