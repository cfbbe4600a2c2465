//! Actions run as tasks of their own and report back with events.

pub mod logs;
pub mod pg;
pub mod reset;

use std::time::Duration;

use bollard::Docker;
use bollard::query_parameters::{RestartContainerOptionsBuilder, StopContainerOptionsBuilder};
use tokio::sync::mpsc::Sender;

use crate::collect::docker::{connect_ready, describe, endpoint};
use crate::event::{ActionDone, ActionKind, Event};

/// Seconds a container gets to stop before the engine kills it.
pub const STOP_TIMEOUT_SECS: i32 = 10;

/// Longest wait for an action's answer: the stop timeout and a start.
const ACTION_TIMEOUT: Duration = Duration::from_secs(STOP_TIMEOUT_SECS as u64 + 30);

/// Runs `kind` on the container in a task of its own; reports
/// [`Event::ActionDone`] when the engine has answered.
pub fn spawn_action(
    kind: ActionKind,
    container_id: String,
    container_name: String,
    tx: Sender<Event>,
) {
    tokio::spawn(async move {
        let result = act(kind, &container_id).await;
        if let Err(error) = &result {
            tracing::warn!(container = %container_name, action = kind.verb(), %error, "action failed");
        }
        let done = ActionDone {
            container_id,
            container_name,
            kind,
            result,
        };
        // Nobody to tell when the app is gone.
        let _ = tx.send(Event::ActionDone(done)).await;
    });
}

/// Runs one action; the error is one readable line.
pub async fn act(kind: ActionKind, container_id: &str) -> Result<(), String> {
    let docker = connect_ready(&endpoint())
        .await
        .map_err(|e| format!("{e:#}"))?
        .with_timeout(ACTION_TIMEOUT);
    act_on(&docker, kind, container_id)
        .await
        .map_err(|e| describe(&e))
}

async fn act_on(docker: &Docker, kind: ActionKind, id: &str) -> Result<(), bollard::errors::Error> {
    match kind {
        ActionKind::Restart => {
            let options = RestartContainerOptionsBuilder::new()
                .t(STOP_TIMEOUT_SECS)
                .build();
            docker.restart_container(id, Some(options)).await
        }
        ActionKind::Stop => {
            let options = StopContainerOptionsBuilder::new()
                .t(STOP_TIMEOUT_SECS)
                .build();
            docker.stop_container(id, Some(options)).await
        }
        ActionKind::Start => docker.start_container(id, None).await,
    }
}
