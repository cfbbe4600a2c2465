//! Reset and up: recreate services from their compose definition.
//!
//! A reset removes exactly the containers and volumes its plan lists (the
//! user confirmed that list), then recreates what it removed: through the
//! compose CLI when there is one ([`cli`]), else from the containers'
//! inspected configuration through the Engine API ([`api`]). Every step is
//! reported before it runs; the first failing step ends the reset.

mod api;
mod check;
mod cli;
mod recipe;
mod volumes;

use std::future::Future;

use bollard::Docker;
use tokio::sync::mpsc::Sender;

use crate::compose::{ComposeCli, find_compose_cli};
use crate::engine::Engine;
use crate::event::{ComposeEvent, Event};
use crate::model::{
    ComposeProject, ComposeVerb, ComposeWork, EngineId, Job, ProjectKey, ResetPlan,
};
use crate::tasks::{spawn_job, spawn_step};

pub use volumes::fill_sizes;

/// Sizes the plan's volumes and reports `ComposeEvent::ResetPlanned`. When
/// the engine gives no size, the volume is still listed, size unknown.
pub fn spawn_plan(engine: Engine, plan: ResetPlan, tx: Sender<Event>) {
    spawn_sizing(plan, tx, |mut plan| async move {
        match engine.client_with_timeout(volumes::DF_TIMEOUT).await {
            Ok(docker) => fill_sizes(&engine, &docker, &mut plan).await,
            Err(error) => tracing::warn!(%error, "no volume sizes for the reset plan"),
        }
        plan
    });
}

/// Runs `size` on the plan as the first step of the reset: a panic in it
/// ends the reset with an error instead of leaving the confirmation to
/// wait for ever. Tests give it a sizing that fails.
fn spawn_sizing<S, F>(plan: ResetPlan, tx: Sender<Event>, size: S)
where
    S: FnOnce(ResetPlan) -> F,
    F: Future<Output = ResetPlan> + Send + 'static,
{
    let work = plan.work();
    let label = work.label();
    let job = Job::Compose(work);
    let step = format!("sizing the volumes for the reset of {label}");
    let sizing = size(plan);
    spawn_step(job, step, tx, async move { Ok(sizing.await) }, |plan| {
        Event::Compose(ComposeEvent::ResetPlanned(Box::new(plan)))
    });
}

/// Runs a confirmed reset, reporting each step, with the compose CLI found
/// on this machine (if any).
pub fn spawn_reset(engine: Engine, plan: ResetPlan, tx: Sender<Event>) {
    let job = Job::Compose(plan.work());
    spawn_job(job, tx.clone(), async move {
        let cli = find_cli().await;
        run_reset(&engine, &plan, cli, &tx).await
    });
}

/// Brings up a declared service (or the whole project), reporting like a
/// reset.
pub fn spawn_up(
    engine: Engine,
    project: ComposeProject,
    service: Option<String>,
    tx: Sender<Event>,
) {
    let job = Job::Compose(up_work(engine.id(), &project, service.as_deref()));
    spawn_job(job, tx.clone(), async move {
        let cli = find_cli().await;
        run_up(&engine, &project, service.as_deref(), cli, &tx).await
    });
}

async fn find_cli() -> Option<ComposeCli> {
    tokio::task::spawn_blocking(find_compose_cli)
        .await
        .unwrap_or(None)
}

/// Reports the steps of one reset or up, and remembers the one running, so
/// a failure names it.
pub(crate) struct Steps<'a> {
    work: ComposeWork,
    current: String,
    tx: &'a Sender<Event>,
}

impl<'a> Steps<'a> {
    fn new(work: ComposeWork, tx: &'a Sender<Event>) -> Self {
        Self {
            work,
            current: String::new(),
            tx,
        }
    }

    /// Tells the app that `step` starts now.
    pub(crate) async fn begin(&mut self, step: impl Into<String>) {
        self.current = step.into();
        let (project, label) = (&self.work.project.name, self.work.label());
        tracing::info!(%project, %label, step = %self.current, "compose step");
        let _ = self
            .tx
            .send(Event::Compose(ComposeEvent::Progress {
                work: self.work.clone(),
                step: self.current.clone(),
            }))
            .await;
    }

    /// The job's final line: `what` is "reset" or "up"; `outcome` the
    /// summary or the failing step's error.
    fn finish(self, what: &str, outcome: Result<String, String>) -> Result<String, String> {
        let label = self.work.label();
        match outcome {
            Ok(summary) => Ok(format!("{what} of {label} done: {summary}")),
            Err(error) => Err(format!(
                "{what} of {label} failed at step '{}': {error}",
                self.current
            )),
        }
    }
}

/// The compose job of an up of `service` (or of the whole project).
fn up_work(engine: EngineId, project: &ComposeProject, service: Option<&str>) -> ComposeWork {
    let key = ProjectKey::new(engine, project.name());
    let services = service.map(str::to_string).into_iter().collect();
    ComposeWork::new(key, ComposeVerb::Up, services)
}

/// Runs a confirmed reset with `cli` (or the Engine API when `None`),
/// reporting each step as `Progress` on `tx`; returns the final line.
pub async fn run_reset(
    engine: &Engine,
    plan: &ResetPlan,
    cli: Option<ComposeCli>,
    tx: &Sender<Event>,
) -> Result<String, String> {
    let mut steps = Steps::new(plan.work(), tx);
    steps.begin("connect to the engine").await;
    let outcome = match connect(engine).await {
        Ok(docker) => match cli {
            Some(cli) => {
                let cli = cli::Cli::new(cli, engine);
                cli::reset(&docker, &cli, plan, &mut steps).await
            }
            None => api::reset(&docker, plan, &mut steps).await,
        },
        Err(error) => Err(error),
    };
    steps.finish("reset", outcome)
}

/// Brings up `service` (or every service) of `project` with `cli`; without
/// one, starts the existing containers through the Engine API.
pub async fn run_up(
    engine: &Engine,
    project: &ComposeProject,
    service: Option<&str>,
    cli: Option<ComposeCli>,
    tx: &Sender<Event>,
) -> Result<String, String> {
    let mut steps = Steps::new(up_work(engine.id(), project, service), tx);
    let outcome = match cli {
        Some(cli) => cli::up(&cli::Cli::new(cli, engine), project, service, &mut steps).await,
        None => {
            steps.begin("connect to the engine").await;
            match connect(engine).await {
                Ok(docker) => api::up(&docker, project.name(), service, &mut steps).await,
                Err(error) => Err(error),
            }
        }
    };
    steps.finish("up", outcome)
}

async fn connect(engine: &Engine) -> Result<Docker, String> {
    engine.client_with_timeout(api::API_TIMEOUT).await
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::sync::mpsc;

    use super::*;
    use crate::model::{EngineId, JobError, ProjectLocation, VolumeToRemove};

    fn plan() -> ResetPlan {
        ResetPlan {
            engine: EngineId::default(),
            location: ProjectLocation {
                name: "shop".into(),
                working_dir: "/srv/shop".into(),
                files: Vec::new(),
                env_files: Vec::new(),
                profiles: Vec::new(),
            },
            services: vec!["db".into()],
            whole_project: false,
            containers: Vec::new(),
            volumes: vec![VolumeToRemove {
                name: "shop_data".into(),
                size_bytes: None,
                anonymous: false,
            }],
        }
    }

    async fn answer(rx: &mut mpsc::Receiver<Event>) -> Event {
        tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("the sizing answers: nothing hangs")
            .expect("an event")
    }

    #[tokio::test]
    async fn a_panic_injected_into_the_volume_sizing_ends_the_reset_with_a_clear_failure() {
        let (tx, mut rx) = mpsc::channel(4);
        spawn_sizing(plan(), tx, |_| async { panic!("injected sizing failure") });
        let Event::Done(done) = answer(&mut rx).await else {
            panic!("expected the reset's Done");
        };
        let shop = ProjectKey::new(EngineId::default(), "shop");
        let job = Job::Compose(ComposeWork::new(
            shop,
            ComposeVerb::Reset,
            vec!["db".into()],
        ));
        assert_eq!(done.job, job);
        assert_eq!(
            done.result,
            Err(JobError::Crashed(
                "sizing the volumes for the reset of db failed: \
                 stopped on an internal error: injected sizing failure"
                    .to_string()
            ))
        );
    }

    #[tokio::test]
    async fn a_sizing_that_works_answers_with_the_plan_to_confirm() {
        let (tx, mut rx) = mpsc::channel(4);
        spawn_sizing(plan(), tx, |mut plan| async move {
            plan.volumes[0].size_bytes = Some(4096);
            plan
        });
        let Event::Compose(ComposeEvent::ResetPlanned(planned)) = answer(&mut rx).await else {
            panic!("expected ResetPlanned");
        };
        assert_eq!(planned.volumes[0].size_bytes, Some(4096));
        assert!(rx.try_recv().is_err(), "no Done: the reset is not over");
    }
}
