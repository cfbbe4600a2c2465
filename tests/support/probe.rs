//! Any probe run as the app runs it, and the events it sends.

use std::future::Future;
use std::time::Duration;

use stacktop::event::{Event, ProbeEvent};
use stacktop::model::{ProbeStatus, Snapshot};
use stacktop::tasks::AbortOnDrop;
use tokio::sync::mpsc::{self, Sender};
use tokio::time::Instant;

/// Gives a kind's probe wrapper (`struct Probe(GenericProbe)`) the
/// generic probe's methods.
macro_rules! generic_methods {
    ($wrapper:ident) => {
        impl std::ops::Deref for $wrapper {
            type Target = $crate::support::probe::Probe;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl std::ops::DerefMut for $wrapper {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.0
            }
        }
    };
}
pub(crate) use generic_methods;

/// A probe task and the events it sent, stopped on drop.
pub struct Probe {
    rx: mpsc::Receiver<Event>,
    _task: AbortOnDrop,
}

impl Probe {
    /// Starts `run` (a kind's `run(target, interval, tx)`, applied).
    pub fn start<F>(run: impl FnOnce(Sender<Event>) -> F) -> Self
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let (tx, rx) = mpsc::channel(256);
        let task = tokio::spawn(run(tx)).into();
        Self { rx, _task: task }
    }

    /// The next event within `timeout`, or `None`.
    pub async fn next(&mut self, timeout: Duration) -> Option<ProbeEvent> {
        match tokio::time::timeout(timeout, self.rx.recv()).await {
            Ok(Some(Event::Probe(event))) => Some(event),
            Ok(Some(other)) => panic!("the probe sent a non-probe event: {other:?}"),
            Ok(None) => panic!("the probe ended"),
            Err(_) => None,
        }
    }

    /// Events until `pick` finds something; fails after `timeout` with the
    /// events seen.
    pub async fn until<T>(
        &mut self,
        timeout: Duration,
        what: &str,
        mut pick: impl FnMut(&ProbeEvent) -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + timeout;
        let mut seen = Vec::new();
        while let Some(event) = self.next(deadline - Instant::now()).await {
            if let Some(found) = pick(&event) {
                return found;
            }
            seen.push(describe(&event));
        }
        panic!("no {what} within {timeout:?}; saw: {seen:#?}");
    }

    /// The first snapshot from which `read` gets something.
    pub async fn snapshot_where<T>(
        &mut self,
        timeout: Duration,
        what: &str,
        read: impl Fn(&Snapshot) -> Option<T>,
    ) -> T {
        self.until(timeout, what, |e| match e {
            ProbeEvent::Snapshot { snapshot, .. } => read(snapshot),
            ProbeEvent::Status { .. } => None,
        })
        .await
    }

    /// Waits for Live, failing if figures come first: none may be sent
    /// while the server is away or loading.
    pub async fn live_before_figures(&mut self, timeout: Duration, what: &str) {
        let live = self
            .until(timeout, what, |e| match e {
                ProbeEvent::Status { status, .. } if *status == ProbeStatus::Live => Some(true),
                ProbeEvent::Snapshot { .. } => Some(false),
                _ => None,
            })
            .await;
        assert!(live, "{what}: a snapshot came before the probe was Live");
    }

    /// The first status that satisfies `check`.
    pub async fn status_where(
        &mut self,
        timeout: Duration,
        what: &str,
        check: impl Fn(&ProbeStatus) -> bool,
    ) -> ProbeStatus {
        self.until(timeout, what, |e| match e {
            ProbeEvent::Status { status, .. } if check(status) => Some(status.clone()),
            _ => None,
        })
        .await
    }
}

/// A short line for an event (snapshots are long).
pub fn describe(event: &ProbeEvent) -> String {
    match event {
        ProbeEvent::Status { status, .. } => format!("status {status:?}"),
        ProbeEvent::Snapshot { snapshot, .. } => match snapshot.redis() {
            Some(redis) => format!(
                "snapshot (keyspace {:?}, hit ratio {:?})",
                redis.keyspace, redis.hit_ratio
            ),
            None => format!("a {:?} snapshot", snapshot.kind()),
        },
    }
}
