//! What a log stream does once the engine closed it: says why, waits for
//! the container (or a new one of the same name) to run again, and tells
//! the view where the new run starts.

use bollard::Docker;

use super::{Closed, Follower, Resumed, StreamEnd, Told, WAIT_POLL};
use crate::engine::{describe, is_not_found};
use crate::event::LogEvent;
use crate::model::{Container, ContainerState};

impl Follower {
    /// Tells the view the container runs again, and how the last run ended.
    pub(super) async fn restarted(&mut self, resumed: Resumed) -> Result<(), Closed> {
        let event = LogEvent::Restarted {
            session: self.session,
            source: self.source,
            at: resumed.started,
            exit: self.exit.take(),
            recreated: resumed.recreated,
        };
        self.batch.send(event).await
    }

    /// The exit code of the run that just ended, if the engine still has it.
    fn last_exit(now: Option<&Container>) -> Option<i64> {
        // Exited, or waiting to be restarted by its policy: the code is kept.
        now.and_then(|c| c.state.exit_code())
    }

    /// Tells the view how the stream ended.
    pub(super) async fn report_end(
        &mut self,
        docker: &Docker,
        end: StreamEnd,
    ) -> Result<Told, Closed> {
        match end {
            StreamEnd::Failed(error) if is_not_found(&error) => {
                self.ended(REMOVED.to_string()).await?;
                Ok(Told::Removed)
            }
            StreamEnd::Failed(error) => {
                self.failed(describe(&error)).await?;
                Ok(Told::Nothing)
            }
            // The engine closes every stream as it shuts down: ask it why
            // this one ended, and say so if it no longer answers.
            StreamEnd::Ended => match self.inspect(docker).await {
                Ok(now) => {
                    self.exit = Self::last_exit(now.as_ref());
                    self.ended(ended_reason(now.as_ref())).await?;
                    Ok(Told::Nothing)
                }
                Err(error) if is_not_found(&error) => {
                    self.ended(REMOVED.to_string()).await?;
                    Ok(Told::Removed)
                }
                Err(error) => {
                    self.ended(engine_away(&error)).await?;
                    Ok(Told::EngineAway)
                }
            },
        }
    }

    /// Waits until the container runs again (or ran since `started`), or
    /// until a new container of the same name has run; `None` when the
    /// container was removed before its name was known.
    pub(super) async fn wait_for_run(
        &mut self,
        docker: &Docker,
        started: Option<chrono::DateTime<chrono::Utc>>,
        mut told: Told,
    ) -> Result<Option<Resumed>, Closed> {
        loop {
            tokio::time::sleep(WAIT_POLL).await;
            match self.inspect(docker).await {
                Ok(now) => {
                    let Some(now) = now else {
                        continue;
                    };
                    let runs = now.state == ContainerState::Running || now.started_at != started;
                    if told == Told::EngineAway {
                        // The engine is back: replace the outage notice.
                        let reason = if runs {
                            "Docker engine back; following again".to_string()
                        } else {
                            ended_reason(Some(&now))
                        };
                        self.ended(reason).await?;
                        told = Told::Nothing;
                    }
                    if runs {
                        return Ok(Some(Resumed {
                            started: now.started_at,
                            recreated: false,
                        }));
                    }
                }
                Err(error) if is_not_found(&error) => {
                    if told != Told::Removed {
                        self.ended(REMOVED.to_string()).await?;
                        told = Told::Removed;
                    }
                    let Some(name) = self.name.clone() else {
                        return Ok(None);
                    };
                    if let Some(started) = self.follow_successor(docker, &name).await? {
                        return Ok(Some(Resumed {
                            started,
                            recreated: true,
                        }));
                    }
                }
                // The engine may be restarting: say so once, keep waiting.
                Err(error) => {
                    tracing::debug!(%error, "waiting for a container to run");
                    if told != Told::EngineAway {
                        self.ended(engine_away(&error)).await?;
                        told = Told::EngineAway;
                    }
                }
            }
        }
    }

    /// Switches to the container now named `name`, if it is another one
    /// that has run; tells the view. Gives the new one's start, if known.
    async fn follow_successor(
        &mut self,
        docker: &Docker,
        name: &str,
    ) -> Result<Option<Option<chrono::DateTime<chrono::Utc>>>, Closed> {
        let Ok(Some(next)) = self.engine.inspect(docker, name).await else {
            return Ok(None);
        };
        let has_run = next.state == ContainerState::Running || next.started_at.is_some();
        if next.id == self.container_id || !has_run {
            return Ok(None);
        }
        self.container_id = next.id;
        self.ended(format!("{REMOVED}; following the new {name}"))
            .await?;
        Ok(Some(next.started_at))
    }
}

const REMOVED: &str = "container removed";

/// The notice while the engine does not answer.
fn engine_away(error: &bollard::errors::Error) -> String {
    format!("Docker engine unreachable: {}", describe(error))
}

/// Why a stream ended, from the container's state just after.
fn ended_reason(container: Option<&Container>) -> String {
    match container.map(|c| &c.state) {
        None => REMOVED.to_string(),
        Some(ContainerState::Exited { code }) => format!("container exited with code {code}"),
        Some(ContainerState::Running | ContainerState::Restarting { .. }) => {
            "container restarted".to_string()
        }
        Some(_) => "container stopped".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sample;

    #[test]
    fn ended_reason_tells_exit_code_and_restarts() {
        let mut container = Sample::lone("c")
            .image("")
            .state(ContainerState::Exited { code: 3 })
            .build();
        assert_eq!(
            ended_reason(Some(&container)),
            "container exited with code 3"
        );
        container.state = ContainerState::Restarting { exit_code: 3 };
        assert_eq!(ended_reason(Some(&container)), "container restarted");
        container.state = ContainerState::Paused;
        assert_eq!(ended_reason(Some(&container)), "container stopped");
        assert_eq!(ended_reason(None), "container removed");
    }
}
