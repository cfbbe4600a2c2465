//! How a probe's task tells the app about its target: statuses (only when
//! they change) and snapshots.

use tokio::sync::mpsc::Sender;

use crate::event::{Event, ProbeEvent};
use crate::model::{ProbeStatus, Snapshot, Target};

/// Sends a target's events; a status only when it changed.
pub struct Reporter {
    target_id: String,
    tx: Sender<Event>,
    last: Option<ProbeStatus>,
}

impl Reporter {
    pub fn new(target: &Target, tx: Sender<Event>) -> Self {
        Self {
            target_id: target.id.clone(),
            tx,
            last: None,
        }
    }

    /// False when the receiver is gone.
    pub async fn status(&mut self, status: ProbeStatus) -> bool {
        if self.last.as_ref() == Some(&status) {
            return true;
        }
        self.last = Some(status.clone());
        let event = ProbeEvent::Status {
            target_id: self.target_id.clone(),
            status,
        };
        self.tx.send(Event::Probe(event)).await.is_ok()
    }

    /// False when the receiver is gone.
    pub async fn snapshot(&self, snapshot: Snapshot) -> bool {
        let event = ProbeEvent::Snapshot {
            target_id: self.target_id.clone(),
            snapshot: Box::new(snapshot),
        };
        self.tx.send(Event::Probe(event)).await.is_ok()
    }

    /// Resolves when the receiver is gone.
    pub async fn closed(&self) {
        self.tx.closed().await;
    }
}
