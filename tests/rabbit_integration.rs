#![allow(clippy::unwrap_used)]
//! The RabbitMQ probe and the purge action against the test stack's real
//! broker (Debian's rabbitmq-server with its management plugin). Each
//! test uses queues and connection names of its own. The management API
//! refreshes its figures every 5 s, so the probe is read until they agree.

mod support;

use std::time::Duration;

use stacktop::collect::rabbit;
use stacktop::jobs::rabbit::purge;
use stacktop::model::{ClientGroup, ProbeStatus, Queue, Snapshot};
use support::probe::Probe;
use support::rabbit::{Amqp, target, target_with};
use support::unique;

const POLL: Duration = Duration::from_millis(500);
/// Two stats intervals of the broker, and some.
const FIGURES: Duration = Duration::from_secs(20);

fn probe(t: stacktop::model::Target) -> Probe {
    Probe::start(|tx| rabbit::run(t, POLL, tx))
}

fn queue_named<'a>(snapshot: &'a Snapshot, name: &str) -> Option<&'a Queue> {
    snapshot.rabbit()?.queues.iter().find(|q| q.name == name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_and_unacked_counts_are_the_broker_s() {
    let queue = format!("orders-{}", unique());
    let amqp = Amqp::connect("stacktop-test publisher").await;
    amqp.declare(&queue).await;
    amqp.publish(&queue, 25).await;
    until_ready(&amqp, &queue, 25).await;
    amqp.take_unacked(&queue, 4).await;

    let mut probe = probe(target());
    let seen = probe
        .snapshot_where(FIGURES, "21 ready and 4 unacked", |s| {
            queue_named(s, &queue)
                .filter(|q| (q.ready, q.unacked) == (21, 4))
                .cloned()
        })
        .await;
    assert_eq!(seen.vhost, "/");
    assert_eq!(seen.depth(), 25);
    let snapshot = probe
        .snapshot_where(FIGURES, "a snapshot", |s| s.rabbit().cloned())
        .await;
    assert!(snapshot.version.starts_with("3."), "{}", snapshot.version);
    assert_eq!(
        snapshot.node, "rabbit@rabbit",
        "the compose file's hostname"
    );
    assert!(snapshot.memory.used > 0 && snapshot.memory.limit > snapshot.memory.used);
    assert!(snapshot.alarms.is_empty(), "{:?}", snapshot.alarms);
    amqp.delete(&queue).await;
}

/// Waits until the broker counts `want` ready messages in `queue`
/// (publishing has no confirms here).
async fn until_ready(amqp: &Amqp, queue: &str, want: u32) {
    for _ in 0..50 {
        if amqp.ready(queue).await == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{queue} never held {want} ready messages");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_group_by_client_provided_name() {
    let name = format!("orders-worker-{}", unique());
    let first = Amqp::connect(&name).await;
    let second = Amqp::connect(&name).await;
    let other = Amqp::connect(&format!("mailer-{}", unique())).await;

    let mut probe = probe(target());
    let group: ClientGroup = probe
        .snapshot_where(FIGURES, "two connections named alike", |s| {
            s.rabbit()?
                .clients
                .iter()
                .find(|c| c.client == name && c.connections == 2)
                .cloned()
        })
        .await;
    assert_eq!(group.user, "app");
    assert_eq!(group.vhost, "/");
    // Channel counts come with the broker's next statistics round.
    probe
        .snapshot_where(FIGURES, "one channel each", |s| {
            s.rabbit()?
                .clients
                .iter()
                .find(|c| c.client == name && c.channels == 2)
                .cloned()
        })
        .await;
    assert!(!group.peer_host.is_empty());
    drop((first, second, other));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purge_empties_the_ready_messages_of_one_queue() {
    let queue = format!("to-purge-{}", unique());
    let kept = format!("kept-{}", unique());
    let amqp = Amqp::connect("stacktop-test purge").await;
    for q in [&queue, &kept] {
        amqp.declare(q).await;
        amqp.publish(q, 7).await;
    }
    until_ready(&amqp, &queue, 7).await;
    until_ready(&amqp, &kept, 7).await;

    let said = purge(&target(), "/", &queue).await.expect("purged");
    assert_eq!(said, format!("purged queue {queue} on rabbitmq"));
    assert_eq!(amqp.ready(&queue).await, 0);
    assert_eq!(amqp.ready(&kept).await, 7, "only the named queue");

    let missing = purge(&target(), "/", "no-such-queue-here")
        .await
        .unwrap_err();
    assert!(missing.contains("no such queue"), "{missing}");
    for q in [&queue, &kept] {
        amqp.delete(q).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_an_auth_error_without_the_password() {
    let mut probe = probe(target_with("not-the-password"));
    let status = probe
        .status_where(Duration::from_secs(10), "an auth error", |s| {
            matches!(s, ProbeStatus::AuthFailed { .. })
        })
        .await;
    let text = format!("{status:?}");
    assert!(text.contains("401"), "{text}");
    assert!(!text.contains("not-the-password"), "{text}");
}
