//! Keeps one probe task running per database target.

use std::time::Duration;

use tokio::sync::mpsc::Sender;
use tokio::task::AbortHandle;

use crate::collect::{postgres, rabbit, redis, search};
use crate::event::Event;
use crate::model::{Target, TargetKind};
use crate::tasks::{TaskSet, supervise};

/// The running probes, by target id.
pub struct Probes {
    interval: Duration,
    tasks: TaskSet<Target>,
}

impl Probes {
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            tasks: TaskSet::default(),
        }
    }

    /// Starts probes for new targets, stops those of targets that went,
    /// and restarts those whose target changed (a new port or password).
    pub fn set(&mut self, targets: Vec<Target>, tx: &Sender<Event>) {
        let wanted = targets.into_iter().map(|t| (t.id.clone(), t)).collect();
        self.tasks.set(wanted, |target| {
            spawn_probe(target.clone(), self.interval, tx.clone())
        });
    }
}

fn spawn_probe(target: Target, interval: Duration, tx: Sender<Event>) -> AbortHandle {
    let task = format!("probe of {}", target.name);
    match target.kind {
        TargetKind::Postgres => supervise(task, tx.clone(), postgres::run(target, interval, tx)),
        TargetKind::Redis => supervise(task, tx.clone(), redis::run(target, interval, tx)),
        TargetKind::RabbitMq => supervise(task, tx.clone(), rabbit::run(target, interval, tx)),
        TargetKind::Search => supervise(task, tx.clone(), search::run(target, interval, tx)),
    }
}
