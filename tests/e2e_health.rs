#![allow(clippy::unwrap_used)]
//! End to end: the HEALTH column and the RabbitMQ view of the release
//! binary, in tmux, against the test stack with no configuration.

mod support;

use std::time::Duration;

use support::rabbit::Amqp;
use support::stack::require_stack;
use support::tmux::Stacktop;
use support::unique;

const SECS: fn(u64) -> Duration = Duration::from_secs;

/// The screen line of the row named `name` (after the attention mark).
fn line_of(screen: &str, name: &str) -> String {
    screen
        .lines()
        .find(|l| l.split_whitespace().take(2).any(|word| word == name))
        .unwrap_or_else(|| panic!("no row {name} on:\n{screen}"))
        .to_string()
}

#[test]
fn health_column_tells_every_source() {
    require_stack();
    let app = Stacktop::on_stack("e2e-health", (140, 40));
    app.expect("✗ http 503", SECS(20));
    app.expect("✓ broker ok", SECS(20));
    let screen = app.screen();
    let failing = line_of(&screen, "failing-api");
    assert!(failing.contains("✗ http 503"), "{failing}");
    assert!(failing.starts_with('!'), "marked for attention: {failing}");
    assert!(line_of(&screen, "api").contains("✓ http 200"), "{screen}");
    assert!(
        line_of(&screen, "prometheus").contains("✓ http 200"),
        "{screen}"
    );
    assert!(
        line_of(&screen, "unhealthy").contains("✗ unhealthy"),
        "{screen}"
    );
    assert!(
        line_of(&screen, "healthy").contains("✓ healthy"),
        "{screen}"
    );
    assert!(
        !screen.contains("rabbit-secret"),
        "password shown:\n{screen}"
    );
    app.text("q");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rabbit_view_shows_a_queue_and_purges_it_after_yes() {
    require_stack();
    let queue = format!("e2e-jobs-{}", unique());
    let amqp = Amqp::connect(&format!("e2e-client-{}", unique())).await;
    amqp.declare(&queue).await;
    amqp.publish(&queue, 42).await;

    let app = Stacktop::on_stack("e2e-rabbit", (140, 40));
    app.expect("rabbit ", SECS(20));
    app.select("rabbitmq");
    app.text("d");
    app.expect("RabbitMQ 3.", SECS(10));
    // The broker's statistics come every 5 s.
    app.expect(&queue, SECS(20));
    app.wait_screen_for("42 ready", SECS(20), |s| {
        s.lines().any(|l| l.contains(&queue) && l.contains(" 42 "))
    });
    let screen = app.screen();
    assert!(
        !screen.contains("rabbit-secret"),
        "password shown:\n{screen}"
    );

    // Select the queue: the deepest queue sorts first.
    let position = screen
        .lines()
        .skip_while(|l| !l.starts_with("QUEUE"))
        .skip(1)
        .position(|l| l.contains(&queue))
        .unwrap();
    for _ in 0..position {
        app.keys(&["Down"]);
    }
    app.text("P");
    app.expect(
        &format!("Purge queue {queue} (vhost /) on rabbitmq?"),
        SECS(5),
    );
    app.expect("Deletes its 42 ready messages", SECS(5));
    app.text("y");
    app.expect(&format!("purged queue {queue} on rabbitmq"), SECS(10));
    assert_eq!(amqp.ready(&queue).await, 0);

    app.keys(&["Tab"]);
    app.expect("e2e-client-", SECS(20));
    app.text("q");
    amqp.delete(&queue).await;
}
