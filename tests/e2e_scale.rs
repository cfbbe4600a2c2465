#![allow(clippy::unwrap_used)]
//! An engine listing 100,000 containers (the fake one of
//! `support::fake_fleet`, which also answers their inspects, stats and an
//! event stream): stacktop draws the first rows within a few seconds of
//! its start, ends within 1 s of `q` while the fleet's details still pour
//! in, leaves no process behind, and keeps its peak RSS bounded.

mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::fake_engine::{FakeEngine, ListAnswer};
use support::fake_fleet::FakeFleet;
use support::tmux::{Stacktop, containers_counted};
use support::{unique, wait_until};

const CONTAINERS: usize = 100_000;
// Issue 23 asks for first rows within 2 s and a peak under 150 MB. Today
// a quiet machine measures 1.7-2.3 s and 250 MB; these bounds guard that,
// with room for CI's load, until the list's memory is cut.
const FIRST_ROWS_WITHIN: Duration = Duration::from_secs(4);
const QUIT_WITHIN: Duration = Duration::from_secs(1);
const PEAK_RSS_UNDER_KIB: u64 = 280 * 1024;

/// A figure of `/proc/PID/status` in KiB (`VmHWM`, `VmRSS`).
fn status_kib(pid: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Whether the process runs still (a zombie has ended).
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| Some(s.rsplit_once(')')?.1.split_whitespace().next()? != "Z"))
        .unwrap_or(false)
}

/// The children of a process, by pid.
fn children_of(pid: &str) -> Vec<String> {
    let out = Command::new("pgrep").args(["-P", pid]).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// A project's row: `▸ p07  1961 containers · …`.
fn has_project_row(screen: &str) -> bool {
    screen
        .lines()
        .any(|l| l.starts_with("▸ p") || l.starts_with("▾ p"))
}

#[test]
fn a_hundred_thousand_containers_do_not_freeze_it() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let building = Instant::now();
    let fleet = Arc::new(FakeFleet::new(CONTAINERS));
    let (built, list_mb) = (building.elapsed(), fleet.list.len() as f64 / 1e6);
    let fake = {
        let _inside = runtime.enter();
        FakeEngine::start("scale", ListAnswer::Fleet(fleet))
    };
    // A folder with no compose file: every project is listed.
    let dir = std::env::temp_dir().join(format!("stacktop-scale-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    let env = [("DOCKER_HOST", fake.host())];

    let launched = Instant::now();
    let app = Stacktop::start_in("scale", (120, 40), &dir, "-a", &env);
    app.wait_screen_for("the fleet's rows", Duration::from_secs(30), |s| {
        containers_counted(s) == Some(CONTAINERS) && has_project_row(s)
    });
    let first_rows = launched.elapsed();
    let pid = app.pid();
    // Quit while the details of the fleet are still being read.
    std::thread::sleep(Duration::from_secs(1));
    let peak_kib = status_kib(&pid, "VmHWM").unwrap();
    let children = children_of(&pid);
    let asked = Instant::now();
    app.text("q");
    let ended = wait_until(Duration::from_secs(10), Duration::from_millis(5), || {
        !alive(&pid)
    });
    let quit = asked.elapsed();
    println!(
        "{CONTAINERS} containers ({list_mb:.1} MB list, built in {} ms): first rows {} ms \
         after launch, q ended it in {} ms, peak RSS {:.1} MiB",
        built.as_millis(),
        first_rows.as_millis(),
        quit.as_millis(),
        peak_kib as f64 / 1024.0
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(ended, "still running 10 s after q:\n{}", app.screen());
    app.assert_restored("0");
    let left: Vec<&String> = children.iter().filter(|c| alive(c)).collect();
    assert!(left.is_empty(), "children left running: {left:?}");
    assert!(
        first_rows < FIRST_ROWS_WITHIN,
        "first rows after {first_rows:?}"
    );
    assert!(quit < QUIT_WITHIN, "q took {quit:?} to end it");
    assert!(
        peak_kib < PEAK_RSS_UNDER_KIB,
        "peak RSS {peak_kib} KiB, not under {PEAK_RSS_UNDER_KIB} KiB"
    );
}

/// The same fake engine for a person to point stacktop at, to profile it:
/// `STACKTOP_SERVE_SECS=600 cargo test --release --test e2e_scale --
/// --nocapture serve` prints the `DOCKER_HOST` to use and serves that long.
/// Without the variable it serves no time at all: CI checks that it starts.
#[test]
fn serve() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fleet = Arc::new(FakeFleet::new(CONTAINERS));
    let fake = {
        let _inside = runtime.enter();
        FakeEngine::start("serve", ListAnswer::Fleet(fleet))
    };
    let host = fake.host();
    println!("DOCKER_HOST={host}");
    let socket = host.strip_prefix("unix://").expect("a unix socket");
    assert!(
        std::path::Path::new(socket).exists(),
        "no socket at {socket}"
    );
    let secs = std::env::var("STACKTOP_SERVE_SECS").ok();
    let secs = secs.and_then(|s| s.parse().ok()).unwrap_or(0);
    std::thread::sleep(Duration::from_secs(secs));
}
