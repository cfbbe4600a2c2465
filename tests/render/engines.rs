//! The overview with several engines: a group per engine, named by its
//! context, and a banner line for the one that went away; the search's
//! other sockets listed under a lost engine.

use std::time::Duration;

use stacktop::engine::Endpoint;
use stacktop::engine::reach::Attempt;

use crate::fixtures::*;

fn endpoint(name: &str, host: &str) -> Endpoint {
    Endpoint::plain(name, host)
}

/// `east` runs the test stack's first rows, `west` is down with one
/// container last known.
fn two_engines(size: (u16, u16)) -> App {
    let engines = [
        endpoint("east", "unix:///run/east.sock"),
        endpoint("west", "ssh://dev@west.lan"),
    ];
    let mut app = App::with_engines(Settings::default(), &engines, now());
    app.update(Event::Resize(ui::layout::viewport(size.0, size.1)));
    let east: Vec<Container> = stack().into_iter().take(3).collect();
    let mut west = container("w-healthy", "healthy", 1);
    west.name = "west-healthy-1".into();
    for (id, containers) in [(EngineId(0), east), (EngineId(1), vec![west])] {
        app.update(Event::Docker(
            id,
            DockerEvent::Connected {
                product: "Docker".into(),
                version: "28.2.2".into(),
                endpoint: app.store.engines[id.index()].endpoint.clone(),
            },
        ));
        app.update(Event::Docker(id, DockerEvent::Containers(containers)));
    }
    app.update(Event::Docker(
        EngineId(1),
        DockerEvent::Disconnected {
            endpoint: "ssh://dev@west.lan".into(),
            error: "ssh: connect to host west.lan port 22: Connection refused".into(),
            retry_in: Duration::from_secs(4),
            others: Vec::new(),
        },
    ));
    app.update(Event::Tick(now()));
    app
}

#[test]
fn overview_with_two_engines_one_down() {
    snapshot("overview_two_engines", two_engines);
}

#[test]
fn a_lost_engine_found_by_search_lists_the_other_sockets() {
    snapshot("overview_search_lost", |size| {
        let mut app = App::new(
            Settings::default(),
            "unix:///var/run/docker.sock".into(),
            now(),
        );
        app.update(Event::Resize(ui::layout::viewport(size.0, size.1)));
        let others = vec![
            Attempt {
                endpoint: "unix:///run/user/1000/docker.sock".into(),
                outcome: Err("no such file".into()),
            },
            Attempt {
                endpoint: "unix:///home/dev/.colima/default/docker.sock".into(),
                outcome: Err("refused: nothing listens on it (is the engine running?)".into()),
            },
        ];
        app.update(Event::Docker(
            EngineId(0),
            DockerEvent::Disconnected {
                endpoint: "unix:///var/run/docker.sock".into(),
                error: "Connection refused (os error 111)".into(),
                retry_in: Duration::from_secs(2),
                others,
            },
        ));
        app
    });
}
