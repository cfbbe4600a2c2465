//! Jobs: work the user asked for, each run as a task of its own that
//! reports how it ended with `Event::Done` (and log streams, which report
//! lines until they are closed).

pub mod logs;
pub mod pg;
pub mod rabbit;
pub mod reset;
pub mod save;

use tokio::sync::mpsc::Sender;

use crate::engine::Engine;
use crate::event::Event;
use crate::model::{Job, Verb};
use crate::tasks::spawn_job;

/// Restarts, stops or starts a container; reports when the engine has
/// answered.
pub fn spawn_verb(engine: Engine, verb: Verb, id: String, name: String, tx: Sender<Event>) {
    let job = Job::Container {
        id: id.clone(),
        name: name.clone(),
        verb,
    };
    spawn_job(job, tx, async move {
        match engine.act(verb, &id).await {
            Ok(()) => Ok(format!("{name}: {} done", verb.word())),
            Err(error) => Err(format!("{name}: {} failed: {error}", verb.word())),
        }
    });
}
