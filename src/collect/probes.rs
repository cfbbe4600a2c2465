//! Keeps one probe task running per database target.

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::mpsc::Sender;
use tokio::task::AbortHandle;

use crate::collect::{postgres, rabbit, redis, search};
use crate::event::Event;
use crate::model::{Target, TargetKind};
use crate::tasks::supervise;

/// The running probes, by target id.
pub struct Probes {
    interval: Duration,
    running: HashMap<String, (Target, AbortHandle)>,
}

impl Probes {
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            running: HashMap::new(),
        }
    }

    /// Starts probes for new targets, stops those of targets that went,
    /// and restarts those whose target changed (a new port or password).
    pub fn set(&mut self, targets: Vec<Target>, tx: &Sender<Event>) {
        let wanted: HashMap<String, Target> =
            targets.into_iter().map(|t| (t.id.clone(), t)).collect();
        self.running.retain(|id, (target, task)| {
            let keep = wanted.get(id) == Some(target);
            if !keep {
                task.abort();
            }
            keep
        });
        for (id, target) in wanted {
            if self.running.contains_key(&id) {
                continue;
            }
            let task = spawn_probe(target.clone(), self.interval, tx.clone());
            self.running.insert(id, (target, task));
        }
    }
}

impl Drop for Probes {
    fn drop(&mut self) {
        for (_, task) in self.running.values() {
            task.abort();
        }
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
