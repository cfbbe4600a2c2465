//! The runner's lifecycle on a scripted probe, with tokio's paused clock:
//! every wait is exact.

use std::collections::VecDeque;

use tokio::sync::mpsc;
use tokio::time::Instant;

use super::*;
use crate::model::{RedisSnapshot, TargetKind, TargetOrigin};

/// A probe that answers from a script; once a script runs out, the call
/// waits for ever.
#[derive(Default)]
struct Script {
    connects: VecDeque<Result<(), Failure>>,
    polls: VecDeque<Result<bool, Failure>>,
}

impl Probe for Script {
    type Session = ();

    async fn connect(&mut self) -> Result<(), Failure> {
        match self.connects.pop_front() {
            Some(answer) => answer,
            None => std::future::pending().await,
        }
    }

    async fn poll(&mut self, (): &mut ()) -> Result<Reading, Failure> {
        match self.polls.pop_front() {
            Some(Ok(true)) => Ok(Reading::Figures(Box::new(Snapshot::Redis(
                RedisSnapshot::default(),
            )))),
            Some(Ok(false)) => Ok(Reading::Loading),
            Some(Err(failure)) => Err(failure),
            None => std::future::pending().await,
        }
    }
}

fn target() -> Target {
    Target {
        id: "redis:cache".into(),
        kind: TargetKind::Redis,
        name: "cache".into(),
        url: "redis://127.0.0.1:1".into(),
        container_id: None,
        origin: TargetOrigin::Config,
    }
}

fn lost() -> Failure {
    Failure::lost("refused")
}

/// What the runner said: each status (or `"snapshot"`) with the ms since start.
async fn said(script: Script, count: usize) -> Vec<(String, u128)> {
    let (tx, mut rx) = mpsc::channel(16);
    let begun = Instant::now();
    let task = tokio::spawn(async move {
        run(&target(), Duration::from_secs(1), tx, script).await;
    });
    let mut events = Vec::new();
    while events.len() < count {
        let Some(Event::Probe(event)) = rx.recv().await else {
            panic!("the runner ended after {events:?}");
        };
        let what = match event {
            ProbeEvent::Status { status, .. } => match status {
                ProbeStatus::Reconnecting { retry_in_ms, .. } => format!("retry in {retry_in_ms}"),
                other => other.word().to_string(),
            },
            ProbeEvent::Snapshot { .. } => "snapshot".to_string(),
        };
        events.push((what, begun.elapsed().as_millis()));
    }
    task.abort();
    events
}

fn owned(expected: &[(&str, u128)]) -> Vec<(String, u128)> {
    expected.iter().map(|(w, t)| (w.to_string(), *t)).collect()
}

#[tokio::test(start_paused = true)]
async fn a_lost_server_is_retried_with_doubling_waits_until_it_answers() {
    let script = Script {
        connects: [Err(lost()), Err(lost()), Err(lost()), Ok(())].into(),
        polls: [Ok(true)].into(),
    };
    let expected = [
        ("connecting", 0),
        ("retry in 500", 0),
        ("retry in 1000", 500),
        ("retry in 2000", 1500),
        ("live", 3500),
        ("snapshot", 3500),
    ];
    assert_eq!(said(script, 6).await, owned(&expected));
}

#[tokio::test(start_paused = true)]
async fn refused_credentials_wait_the_auth_retry_and_say_so_once() {
    let rejected = || Failure::new(Trouble::Rejected, "WRONGPASS");
    let script = Script {
        connects: [Err(rejected()), Err(rejected()), Ok(())].into(),
        polls: [Ok(true)].into(),
    };
    let retry = AUTH_RETRY.as_millis();
    let expected = [
        ("connecting", 0),
        ("auth error", 0),
        ("live", 2 * retry),
        ("snapshot", 2 * retry),
    ];
    assert_eq!(said(script, 4).await, owned(&expected));
}

#[tokio::test(start_paused = true)]
async fn a_loading_server_keeps_its_connection_and_goes_live_when_loaded() {
    let script = Script {
        // One connect only: a second would wait for ever.
        connects: [Ok(())].into(),
        polls: [Ok(false), Ok(false), Ok(true)].into(),
    };
    let expected = [
        ("connecting", 0),
        ("starting", 0),
        ("live", 2000),
        ("snapshot", 2000),
    ];
    assert_eq!(said(script, 4).await, owned(&expected));
}

#[tokio::test(start_paused = true)]
async fn a_probe_that_was_live_starts_its_backoff_again() {
    let script = Script {
        connects: [Err(lost()), Err(lost()), Ok(()), Ok(())].into(),
        polls: [Ok(true), Err(lost()), Ok(true)].into(),
    };
    let expected = [
        ("connecting", 0),
        ("retry in 500", 0),
        ("retry in 1000", 500),
        ("live", 1500),
        ("snapshot", 1500),
        ("retry in 500", 2500),
        ("live", 3000),
        ("snapshot", 3000),
    ];
    assert_eq!(said(script, 8).await, owned(&expected));
}

#[tokio::test(start_paused = true)]
async fn a_server_restarting_is_starting_and_retried_soon() {
    let script = Script {
        connects: [Ok(()), Ok(())].into(),
        polls: [Err(Failure::new(Trouble::Starting, "57P01")), Ok(true)].into(),
    };
    let expected = [
        ("connecting", 0),
        ("starting", 0),
        ("live", 500),
        ("snapshot", 500),
    ];
    assert_eq!(said(script, 4).await, owned(&expected));
}

#[tokio::test(start_paused = true)]
async fn the_runner_ends_when_nobody_listens() {
    let script = Script {
        connects: [Err(lost()), Err(lost()), Err(lost())].into(),
        ..Script::default()
    };
    let (tx, rx) = mpsc::channel(16);
    drop(rx);
    // Ends at once, without waiting out a retry.
    let begun = Instant::now();
    run(&target(), Duration::from_secs(1), tx, script).await;
    assert_eq!(begun.elapsed(), Duration::ZERO);
}
