//! Engines that answer their version but garbage on the list: the engine
//! never counts as connected, so the banner stays up and the last list
//! stays as it was, marked as the last known.

mod support;

use std::time::Duration;

use chrono::Local;
use stacktop::app::{App, EngineStatus};
use stacktop::collect::docker::{self as collector, DockerOptions};
use stacktop::config::Settings;
use stacktop::engine::Engine;
use stacktop::event::{DockerEvent, Event};
use support::fake_engine::{FakeEngine, ListAnswer};
use tokio::sync::mpsc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_engine_whose_list_is_garbage_never_counts_as_connected() {
    let fake = FakeEngine::start("garbage-list", ListAnswer::Garbage);
    let (tx, mut rx) = mpsc::channel(1024);
    let options = DockerOptions {
        interval: Duration::from_millis(500),
    };
    let engine = Engine::at(fake.host());
    let collector = tokio::spawn(collector::run(engine, tx, options));
    let mut app = App::new(
        Settings::default(),
        fake.host(),
        Local::now().fixed_offset(),
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(4);
    let mut downs = 0;
    while let Ok(Some(event)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        match &event {
            Event::Docker(_, DockerEvent::Connected { .. }) => {
                panic!("connected although the list could not be read")
            }
            Event::Docker(_, DockerEvent::Containers(_)) => panic!("a list from garbage"),
            Event::Docker(_, DockerEvent::Disconnected { error, .. }) => {
                assert!(
                    !error.contains('\u{1b}'),
                    "raw escape in the error: {error:?}"
                );
                downs += 1;
            }
            _ => {}
        }
        app.update(event);
        assert!(
            !app.store.engines[0].is_up(),
            "the engine must not count as up: {:?}",
            app.store.engines[0].status
        );
    }
    collector.abort();
    assert!(downs >= 1, "no Disconnected within 4 s");
    assert!(
        matches!(app.store.engines[0].status, EngineStatus::Down { .. }),
        "{:?}",
        app.store.engines[0].status
    );
}
