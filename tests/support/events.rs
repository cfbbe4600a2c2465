//! Waiting on the app's event channel, as collectors and jobs fill it.

use std::time::Duration;

use stacktop::event::{ComposeEvent, Event};
use stacktop::model::Done;
use tokio::sync::mpsc::Receiver;
use tokio::time::Instant;

/// Receives events until `pick` returns something, or fails after
/// `timeout` with `what` in the message.
pub async fn wait_for<T>(
    rx: &mut Receiver<Event>,
    timeout: Duration,
    what: &str,
    mut pick: impl FnMut(&Event) -> Option<T>,
) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(event)) => {
                if let Some(found) = pick(&event) {
                    return found;
                }
            }
            Ok(None) => panic!("channel closed while waiting for {what}"),
            Err(_) => panic!("no {what} within {timeout:?}"),
        }
    }
}

/// The next `Done` of a job, within `timeout`.
pub async fn done(rx: &mut Receiver<Event>, timeout: Duration) -> Done {
    wait_for(rx, timeout, "Done", |e| match e {
        Event::Done(done) => Some(done.clone()),
        _ => None,
    })
    .await
}

/// Every compose event sent on a channel whose senders are gone.
pub async fn drain_compose(mut rx: Receiver<Event>) -> Vec<ComposeEvent> {
    let mut events = Vec::new();
    while let Some(event) = rx.recv().await {
        if let Event::Compose(e) = event {
            events.push(e);
        }
    }
    events
}

/// The steps reported, in order.
pub fn steps(events: &[ComposeEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            ComposeEvent::Progress { step, .. } => Some(step.clone()),
            _ => None,
        })
        .collect()
}
