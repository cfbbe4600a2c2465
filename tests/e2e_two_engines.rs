#![allow(clippy::unwrap_used)]
//! End to end: two engines, each running a compose project named `shop`
//! from files of its own (issue 17). Each engine's part of the list shows
//! the services its own files declare, and a reset of `api` on one engine
//! marks, recreates and tells of that engine's `api` only: the other
//! engine's rows, notices and container stay as they were.
//!
//! The engines are private dockerds in network namespaces of their own;
//! stacktop reaches them through docker contexts, and compose (v2, as the
//! test run uses everywhere) is the CLI of both the setup and the reset.

mod support;

use std::time::{Duration, Instant};

use support::compose_cli::add_v2_plugin;
use support::docker::{BUSYBOX, IDLE_SCRIPT, require_engine};
use support::engine::{PrivateEngine, config_with_contexts};
use support::tmux::Stacktop;
use support::{Folder, wait_until};

const SECS: fn(u64) -> Duration = Duration::from_secs;

/// The project name both engines run.
const PROJECT: &str = "shop";
/// The in-flight mark of a reset on a container's row.
const RESETTING: &str = "⟳ resetting…";

/// One engine with project `shop` of its own folder: `api` created,
/// `only-NAME` declared and never created.
struct Side {
    name: &'static str,
    engine: PrivateEngine,
    _files: Folder,
}

impl Side {
    fn start(name: &'static str) -> Side {
        let engine = PrivateEngine::start(&format!("2e-{name}"));
        engine.load_image(BUSYBOX);
        let files = Folder::new(&format!("two-engines-{name}"));
        let file = files.write("compose.yaml", &compose_file(name));
        engine.compose(PROJECT, &file, &["up", "-d", "api"]);
        Side {
            name,
            engine,
            _files: files,
        }
    }

    /// The id and start time of the `api` container.
    fn api(&self) -> (String, String) {
        let filter = "label=com.docker.compose.service=api";
        let id = self
            .engine
            .docker(&["ps", "-aq", "--no-trunc", "--filter", filter]);
        assert!(
            !id.is_empty() && !id.contains('\n'),
            "{}: one api container, not {id:?}",
            self.name
        );
        let started = self.engine.inspect(&id, "{{.State.StartedAt}}");
        (id, started)
    }
}

/// `api` on both engines, and one service only this engine declares. No
/// network: the private engines have no bridge.
fn compose_file(side: &str) -> String {
    let service = |name: &str| {
        format!(
            "  {name}:\n    image: {BUSYBOX}\n    network_mode: none\n    stop_grace_period: 1s\n    \
             command: [\"sh\", \"-c\", \"{IDLE_SCRIPT}\"]\n"
        )
    };
    format!(
        "services:\n{}{}",
        service("api"),
        service(&format!("only-{side}"))
    )
}

/// Both engines set up at once: each is a daemon start, an image copy and
/// a compose up.
fn both_sides() -> (Side, Side) {
    std::thread::scope(|scope| {
        let west = scope.spawn(|| Side::start("west"));
        let east = Side::start("east");
        (east, west.join().expect("setting up the west engine"))
    })
}

/// The list's lines under `◆ engine`, up to the next engine's header or
/// the rule of the trend strip below the list.
fn section<'a>(screen: &'a str, engine: &str) -> Vec<&'a str> {
    let header = format!("◆ {engine}");
    screen
        .lines()
        .skip_while(|l| !l.contains(&header))
        .skip(1)
        .take_while(|l| !l.contains("◆ ") && !l.starts_with("──"))
        .collect()
}

/// Whether `engine`'s section shows `api` running.
fn api_running(screen: &str, engine: &str) -> bool {
    section(screen, engine)
        .iter()
        .any(|l| l.contains("api ") && l.contains("● running"))
}

/// Whether `engine`'s section lists `api` and its own declared service as
/// not created, and not `other`'s.
fn shows_own_declared(screen: &str, engine: &str, other: &str) -> bool {
    let lines = section(screen, engine);
    let has = |word: &str| lines.iter().any(|l| l.contains(word));
    let declared = format!("only-{engine}");
    has("api")
        && lines
            .iter()
            .any(|l| l.contains(&declared) && l.contains("◌ not created"))
        && !has(&format!("only-{other}"))
}

/// Fails when the screen shows west touched by east's reset: the reset's
/// mark on one of its rows, or a notice naming one of its containers.
fn assert_west_left_alone(screen: &str) {
    let west = section(screen, "west");
    assert!(
        !west.iter().any(|l| l.contains(RESETTING)),
        "the reset on east marks a row of west:\n{screen}"
    );
    assert!(
        !screen.contains("west: shop/"),
        "a notice about west's containers:\n{screen}"
    );
}

#[test]
fn a_reset_on_one_engine_leaves_the_same_project_on_the_other_alone() {
    require_engine();
    let began = Instant::now();
    let (east, west) = both_sides();
    let (east_host, west_host) = (east.engine.host(), west.engine.host());
    let contexts = [("east", east_host.as_str()), ("west", west_host.as_str())];
    let config = config_with_contexts("two-engines", &contexts, None);
    // stacktop finds `docker compose` through the config folder it is given.
    add_v2_plugin(&config.0);
    let app = Stacktop::on_contexts("two-engines", (140, 40), &config.0, &["east", "west"]);
    app.wait_screen_for("each engine with its own declared service", SECS(20), |s| {
        shows_own_declared(s, "east", "west") && shows_own_declared(s, "west", "east")
    });
    let east_before = east.api();
    let west_before = west.api();

    // The filter's first container is east's api: east is listed first.
    app.select("api");
    app.text("X");
    app.expect("Confirm", SECS(10));
    app.text("y");
    let mut marked = false;
    let mut finished = String::new();
    let ended = wait_until(SECS(40), Duration::from_millis(50), || {
        let screen = app.screen();
        assert_west_left_alone(&screen);
        marked |= section(&screen, "east")
            .iter()
            .any(|l| l.contains(RESETTING));
        finished = screen;
        finished.contains("reset of api done") || finished.contains("reset of api failed")
    });
    assert!(ended, "the reset did not end:\n{finished}");
    assert!(finished.contains("reset of api done"), "{finished}");
    assert!(marked, "east's api never showed {RESETTING}");

    let (east_id, _) = east.api();
    assert_ne!(east_id, east_before.0, "east's api was not recreated");
    assert_eq!(
        east.engine.inspect(&east_id, "{{.State.Status}}"),
        "running"
    );
    assert_eq!(west.api(), west_before, "west's api was touched");

    // The filter cleared: both sections as before, both apis running.
    app.escape();
    app.wait_screen_for("both sections again, both apis running", SECS(10), |s| {
        shows_own_declared(s, "east", "west")
            && shows_own_declared(s, "west", "east")
            && api_running(s, "east")
            && api_running(s, "west")
    });
    assert_west_left_alone(&app.screen());
    // The timeline tells of east's api, and of nothing on west.
    app.text("e");
    app.expect("State changes", SECS(5));
    app.expect("east: shop/api", SECS(5));
    assert_west_left_alone(&app.screen());
    app.escape();

    let pid = app.pid();
    app.text("q");
    app.assert_restored("0");
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "stacktop {pid} still runs"
    );
    eprintln!("two engines: {:?}", began.elapsed());
}
