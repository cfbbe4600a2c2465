//! Faults from outside: the Docker engine going away and coming back, a
//! container recreated under the same name, database servers killed, a
//! database that never answers, and three hundred containers. Each test
//! runs the real binary (or the real probes) against real services and
//! measures from stacktop's own clock where it can (`STACKTOP_STATS_FILE`).
//!
//! Nothing is skipped: a missing engine, image or tool fails the test.
//!
//! The tests take one lock and so run one at a time: their figures (key
//! latency, detection and recovery times) are only meaningful on a machine
//! that is not also starting three hundred containers for a neighbour.

mod support;

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use stacktop::model::ProbeStatus;
use support::docker::{BUSYBOX, IDLE_SCRIPT, RemoveOnDrop, TICKER_SCRIPT, docker, require_engine};
use support::engine::PrivateEngine;
use support::fleet::{Fleet, run_args, run_logger};
use support::ports::silent_listener;
use support::tmux::{Stacktop, containers_counted, list_lines, rows_with, title_of_logs};
use support::{postgres as pg, redis as redis_support};

const SECS: fn(u64) -> Duration = Duration::from_secs;

static SERIAL: Mutex<()> = Mutex::new(());

/// One test at a time (see the module comment); a failed test does not
/// block the others.
fn serial() -> MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

/// The private engine is stopped without `--live-restore`, so its containers
/// stop with it: the harder case, where every log stream and the list must
/// be rebuilt after the engine returns (and nothing is left running behind
/// a killed daemon when the test cleans up).
#[test]
fn engine_outage_is_shown_and_everything_recovers() {
    let _serial = serial();
    require_engine();
    let mut engine = PrivateEngine::start("outage");
    engine.load_image(BUSYBOX);
    // A fresh engine: plain names are free, and short enough to show whole.
    let (logger, idle) = ("logger".to_string(), "sleeper".to_string());
    for (name, script) in [(&logger, TICKER_SCRIPT), (&idle, IDLE_SCRIPT)] {
        engine.docker(&run_args(name, script));
    }
    let host = engine.host();
    let app = Stacktop::start(
        "faults-outage",
        (120, 30),
        "-a",
        &[("DOCKER_HOST", host.clone())],
    );
    app.wait_screen(&idle, SECS(15));
    app.select(&logger);
    app.text("l");
    app.wait_screen("tick ", SECS(10));

    // The engine goes away.
    let sigterm = Instant::now();
    let exited = engine.stop();
    let notice = app.wait_screen_for("the log view's notice", SECS(5), |s| {
        s.contains("Logs ")
            && [
                "container exited",
                "container stopped",
                "engine unreachable",
            ]
            .iter()
            .any(|n| s.contains(n))
    });
    let notice_line = title_of_logs(&app.screen());
    // Keys still work: back to the list, which says the engine is away.
    let keys_before = app.sent();
    app.escape();
    let banner = format!("Docker engine unreachable at {host}");
    app.wait_screen(&banner, SECS(2));
    let banner_after_exit = exited.elapsed();
    assert!(
        banner_after_exit < SECS(2),
        "the banner came {banner_after_exit:?} after the engine exited"
    );
    app.escape(); // clears the filter
    app.text("?");
    app.wait_screen("any key closes", SECS(2));
    app.text("?");
    app.wait_screen_for("the help closed", SECS(2), |s| {
        !s.contains("any key closes")
    });
    let during = app.stats_after_keys();
    assert!(app.screen().contains(&banner), "{}", app.screen());

    // The engine comes back; its containers were stopped with it.
    engine.launch();
    let returned = Instant::now();
    engine.docker(&["start", &logger, &idle]);
    app.wait_screen_for("both containers running again", SECS(10), |s| {
        !s.contains("engine unreachable")
            && [&logger, &idle].iter().all(|name| {
                let rows: Vec<&str> = list_lines(s)
                    .filter(|l| l.contains(name.as_str()))
                    .collect();
                rows.len() == 1 && rows[0].contains("running")
            })
    });
    let recovered = returned.elapsed();
    assert!(recovered < SECS(10), "recovery took {recovered:?}");
    let screen = app.screen();
    assert_eq!(rows_with(&screen, &logger), 1, "{screen}");
    assert_eq!(rows_with(&screen, &idle), 1, "{screen}");

    // A log view opened now follows new lines.
    app.select(&logger);
    app.text("l");
    app.wait_screen("Logs ", SECS(5));
    let marker = format!("after-outage-{}", std::process::id());
    engine.docker(&[
        "exec",
        &logger,
        "sh",
        "-c",
        &format!("echo {marker} > /proc/1/fd/1"),
    ]);
    app.wait_screen(&marker, SECS(5));

    println!(
        "engine outage: dockerd exited {} ms after SIGTERM; log view notice {} ms ({notice_line}) \
         and list banner {} ms after it exited; {} keys handled meanwhile (max key latency \
         {:.1} ms); list recovered {} ms after the engine answered again",
        ms(exited - sigterm),
        ms(notice),
        ms(banner_after_exit),
        during.keys - keys_before,
        during.max_key_ms,
        ms(recovered)
    );
}

#[test]
fn container_recreated_with_same_name_while_logs_are_open() {
    let _serial = serial();
    require_engine();
    // Short enough for the SERVICE column, unique on the shared engine.
    let name = format!("rc-{}", std::process::id());
    let _cleanup = RemoveOnDrop(name.clone());
    let (first, second) = (
        format!("first-{}", std::process::id()),
        format!("second-{}", std::process::id()),
    );
    run_logger(&name, &first);
    let app = Stacktop::start("faults-recreate", (120, 60), "-a", &[]);
    app.wait_screen(&name, SECS(15));
    app.select(&name);
    app.text("l");
    app.wait_screen(&format!("{first} "), SECS(10));

    docker(&["rm", "-f", &name]);
    let removed = app.wait_screen("container removed", SECS(5));
    run_logger(&name, &second);
    let recreated = Instant::now();
    app.wait_screen(&format!("following the new {name}"), SECS(10));
    app.wait_screen(&format!("{second} "), SECS(10));
    let followed = recreated.elapsed();
    let screen = app.screen();
    assert!(
        screen.contains(&format!("{first} ")),
        "the old lines stay above the new ones:\n{screen}"
    );
    println!(
        "recreated container: removal shown {} ms after docker rm -f, the new container's \
         lines {} ms after docker run",
        ms(removed),
        ms(followed)
    );
}

fn is_reconnecting(status: &ProbeStatus) -> bool {
    matches!(status, ProbeStatus::Reconnecting { .. })
}

#[test]
fn database_servers_killed_and_restarted_reconnect() {
    let _serial = serial();
    require_engine();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let postgres = pg::Throwaway::start();
        let redis = redis_support::Throwaway::start("faults-kill", "x");

        // PostgreSQL: Live, killed, Reconnecting, started, Live again.
        let mut probe = pg::Probe::start(pg::url("app", "app-secret", postgres.port, "app_db"));
        probe
            .statuses_until(SECS(60), |s| *s == ProbeStatus::Live)
            .await;
        docker(&["kill", "-s", "KILL", &postgres.id]);
        let killed = Instant::now();
        probe.statuses_until(SECS(15), is_reconnecting).await;
        let pg_lost = killed.elapsed();
        docker(&["start", &postgres.id]);
        let started = Instant::now();
        probe
            .statuses_until(SECS(15), |s| *s == ProbeStatus::Live)
            .await;
        let pg_back = started.elapsed();
        assert!(
            pg_back < SECS(15),
            "PostgreSQL Live again after {pg_back:?}"
        );

        // Redis: the same.
        let mut probe = redis_support::Probe::start(&redis.url(0), pg::POLL);
        probe
            .status_where(SECS(15), "Live", |s| *s == ProbeStatus::Live)
            .await;
        docker(&["kill", "-s", "KILL", &redis.id]);
        let killed = Instant::now();
        probe
            .status_where(SECS(15), "Reconnecting", is_reconnecting)
            .await;
        let redis_lost = killed.elapsed();
        docker(&["start", &redis.id]);
        let started = Instant::now();
        probe
            .live_before_figures(SECS(15), "Live after the restart")
            .await;
        let redis_back = started.elapsed();
        assert!(
            redis_back < SECS(15),
            "Redis Live again after {redis_back:?}"
        );
        println!(
            "killed servers: PostgreSQL Reconnecting {} ms after SIGKILL, Live {} ms after \
             docker start; Redis Reconnecting {} ms after SIGKILL, Live {} ms after docker start",
            ms(pg_lost),
            ms(pg_back),
            ms(redis_lost),
            ms(redis_back)
        );
    });
}

/// Opens the database view of the row `name` and waits for `text` in it.
fn database_view_says(app: &Stacktop, name: &str, text: &str, timeout: Duration) -> Duration {
    app.select(name);
    app.text("d");
    let found = app.wait_screen_for(&format!("{name}: {text}"), timeout, |s| {
        s.contains("retrying") && s.contains(text)
    });
    app.escape(); // back to the list
    app.escape(); // clears the filter
    found
}

#[test]
fn slow_target_stalls_only_its_own_panel() {
    let _serial = serial();
    require_engine();
    let (pg_port, redis_port) = (silent_listener(), silent_listener());
    let env = [
        (
            "STACKTOP_POSTGRES_URL",
            format!("postgres://u:p@127.0.0.1:{pg_port}/db"),
        ),
        (
            "STACKTOP_REDIS_URL",
            format!("redis://:p@127.0.0.1:{redis_port}/0"),
        ),
    ];
    let started = Instant::now();
    let app = Stacktop::start("faults-slow", (120, 60), "-a", &env);
    let (pg_name, redis_name) = (
        format!("127.0.0.1:{pg_port}"),
        format!("127.0.0.1:{redis_port}"),
    );
    app.wait_screen(&redis_name, SECS(15));
    app.wait_screen(&pg_name, SECS(15));
    // While both probes hang, the list answers keys as usual.
    for _ in 0..10 {
        app.text("j");
        std::thread::sleep(Duration::from_millis(100));
        app.text("k");
        std::thread::sleep(Duration::from_millis(100));
    }
    let hung = app.stats_after_keys();
    // Each row and detail says its probe timed out and retries.
    app.wait_screen_for("both rows retrying", SECS(10), |s| {
        let rows: Vec<&str> = s
            .lines()
            .filter(|l| l.contains(&pg_name) || l.contains(&redis_name))
            .collect();
        rows.len() == 2 && rows.iter().all(|l| l.contains("retrying"))
    });
    database_view_says(&app, &pg_name, "no answer within", SECS(5));
    database_view_says(&app, &redis_name, "timed out", SECS(5));
    let told = started.elapsed();
    assert!(told < SECS(20), "the timeouts were shown after {told:?}");
    let stats = app.stats_after_keys();
    assert!(
        stats.max_key_ms < 100.0,
        "a key waited {:.1} ms for its frame: {stats:?}",
        stats.max_key_ms
    );
    println!(
        "hung targets: max key latency {:.1} ms over {} keys ({:.1} ms over the first 20, \
         sent while both probes hung); timeouts on screen {} ms after start",
        stats.max_key_ms,
        stats.keys,
        hung.max_key_ms,
        ms(told)
    );
}

#[test]
fn three_hundred_containers_stay_responsive() {
    const COUNT: usize = 300;
    let _serial = serial();
    require_engine();
    let begun = Instant::now();
    // Short names that show whole in the SERVICE column.
    let prefix = format!("f{}", std::process::id());
    let fleet = Fleet::start(&prefix, COUNT);
    let created = begun.elapsed();
    let (first, last) = (&fleet.names[0], &fleet.names[COUNT - 1]);

    let app = Stacktop::start("faults-many", (120, 40), "-a", &[]);
    let listed = app.wait_screen_for("all the fleet counted", SECS(30), |s| {
        containers_counted(s).is_some_and(|n| n >= COUNT)
    });
    app.wait_screen(first, SECS(5));
    assert!(!app.screen().contains(last.as_str()), "{}", app.screen());
    let keys_before = app.stats_after_keys().keys;
    let mut presses = 0;
    for key in [
        "PageDown", "j", "PageDown", "j", "j", "PageDown", "j", "PageDown",
    ] {
        app.keys(&[key]);
        presses += 1;
        std::thread::sleep(Duration::from_millis(80));
    }
    for round in 0..3 {
        app.text("G");
        app.wait_screen(last, SECS(2));
        app.text("g");
        app.wait_screen_for("the top again", SECS(2), |s| !s.contains(last.as_str()));
        presses += 2;
        if round == 0 {
            assert!(app.screen().contains(first.as_str()), "{}", app.screen());
        }
    }
    let stats = app.stats_after_keys();
    assert_eq!(stats.keys - keys_before, presses);
    assert!(
        stats.max_key_ms < 100.0,
        "a key waited {:.1} ms for its frame: {stats:?}",
        stats.max_key_ms
    );
    println!(
        "{COUNT} containers: started in {} ms, listed {} ms after stacktop started; max key \
         latency {:.1} ms over {} keys; whole test {} ms before cleanup",
        ms(created),
        ms(listed),
        stats.max_key_ms,
        stats.keys,
        ms(begun.elapsed())
    );
}
