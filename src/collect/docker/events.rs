//! The engine's event stream, reduced to what changes a container's row.
//!
//! Health checks alone make the engine emit exec_create, exec_start and
//! exec_die every few seconds per container: those are filtered out by the
//! engine itself (the `event` filter) and again here, and the rest is
//! coalesced so a burst (a `compose up`, a restart) costs one inspect per
//! container.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use bollard::Docker;
use bollard::errors::Error;
use bollard::models::EventMessage;
use bollard::query_parameters::EventsOptionsBuilder;
use futures_util::Stream;
use tokio::time::Instant;

/// Engine actions after which a container is inspected again.
///
/// Podman's Docker-compatible stream names two of them its own way: a
/// removal is `remove` (Docker: `destroy`), and its `event` filter knows a
/// container's end as `died` while the event itself reads `die`. Docker
/// accepts the extra names in the filter and never sends them.
const LIFECYCLE_ACTIONS: &[&str] = &[
    "create",
    "start",
    "restart",
    "die",
    "died",
    "pause",
    "unpause",
    "rename",
    "update",
    "destroy",
    "remove",
    "health_status",
];

/// How long a burst of events is gathered before acting on it.
pub const COALESCE_WINDOW: Duration = Duration::from_millis(100);

/// What an event means for our list of containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relevance {
    /// The container may have changed: inspect it again.
    Changed(String),
    Removed(String),
    Ignored,
}

/// Container events from `since` (seconds since the epoch) on, lifecycle
/// and health only.
pub fn container_events(
    docker: &Docker,
    since: i64,
) -> impl Stream<Item = Result<EventMessage, Error>> + use<> {
    let filters = HashMap::from([
        ("type", vec!["container"]),
        ("event", LIFECYCLE_ACTIONS.to_vec()),
    ]);
    let options = EventsOptionsBuilder::new()
        .since(&since.to_string())
        .filters(&filters)
        .build();
    docker.events(Some(options))
}

pub fn classify(event: &EventMessage) -> Relevance {
    let Some(id) = event.actor.as_ref().and_then(|a| a.id.clone()) else {
        return Relevance::Ignored;
    };
    // Health events read `health_status: healthy`.
    let action = event.action.as_deref().unwrap_or_default();
    let verb = action.split(':').next().unwrap_or_default().trim();
    match verb {
        "destroy" | "remove" => Relevance::Removed(id),
        v if LIFECYCLE_ACTIONS.contains(&v) => Relevance::Changed(id),
        _ => Relevance::Ignored,
    }
}

/// Containers waiting to be inspected, and when to do it.
#[derive(Debug, Default)]
pub struct Pending {
    ids: HashSet<String>,
    due: Option<Instant>,
}

impl Pending {
    /// Notes a change; the first one of a burst starts the window.
    pub fn add(&mut self, id: String, now: Instant) {
        self.ids.insert(id);
        self.due.get_or_insert(now + COALESCE_WINDOW);
    }

    pub fn forget(&mut self, id: &str) {
        self.ids.remove(id);
        if self.ids.is_empty() {
            self.due = None;
        }
    }

    pub fn due(&self) -> Option<Instant> {
        self.due
    }

    /// Takes up to `most` of the ids gathered so far; the window closes
    /// once none is left, else the rest are due at once.
    pub fn take(&mut self, most: usize) -> Vec<String> {
        if self.ids.len() <= most {
            self.due = None;
            return self.ids.drain().collect();
        }
        let taken: Vec<String> = self.ids.iter().take(most).cloned().collect();
        for id in &taken {
            self.ids.remove(id);
        }
        taken
    }
}

#[cfg(test)]
mod tests {
    use bollard::models::EventActor;

    use super::*;

    fn event(action: &str) -> EventMessage {
        EventMessage {
            action: Some(action.to_string()),
            actor: Some(EventActor {
                id: Some("c1".to_string()),
                attributes: None,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn lifecycle_and_health_events_ask_for_inspect() {
        for action in ["start", "die", "health_status: unhealthy", "pause"] {
            assert_eq!(classify(&event(action)), Relevance::Changed("c1".into()));
        }
        assert_eq!(classify(&event("destroy")), Relevance::Removed("c1".into()));
        // Podman's name for it.
        assert_eq!(classify(&event("remove")), Relevance::Removed("c1".into()));
    }

    #[test]
    fn exec_and_attach_noise_is_ignored() {
        for action in [
            "exec_create: /bin/true",
            "exec_start: /bin/true",
            "exec_die",
            "top",
            "attach",
            "resize",
        ] {
            assert_eq!(classify(&event(action)), Relevance::Ignored, "{action}");
        }
        assert_eq!(classify(&EventMessage::default()), Relevance::Ignored);
    }

    #[test]
    fn pending_coalesces_a_burst_into_one_window() {
        let start = Instant::now();
        let mut pending = Pending::default();
        pending.add("a".into(), start);
        pending.add("a".into(), start + Duration::from_millis(50));
        pending.add("b".into(), start + Duration::from_millis(60));
        assert_eq!(pending.due(), Some(start + COALESCE_WINDOW));
        let mut ids = pending.take(10);
        ids.sort();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(pending.due(), None);
    }

    #[test]
    fn a_long_pending_list_is_taken_a_batch_at_a_time() {
        let start = Instant::now();
        let mut pending = Pending::default();
        for id in ["a", "b", "c"] {
            pending.add(id.into(), start);
        }
        assert_eq!(pending.take(2).len(), 2);
        assert_eq!(
            pending.due(),
            Some(start + COALESCE_WINDOW),
            "the rest at once"
        );
        assert_eq!(pending.take(2).len(), 1);
        assert_eq!(pending.due(), None);
    }

    #[test]
    fn forgetting_the_last_id_closes_the_window() {
        let mut pending = Pending::default();
        pending.add("a".into(), Instant::now());
        pending.forget("a");
        assert_eq!(pending.due(), None);
        assert!(pending.take(10).is_empty());
    }
}
