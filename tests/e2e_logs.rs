#![allow(clippy::unwrap_used)]
//! End to end: the log view's reading aids in the release binary, in tmux,
//! against the test stack's `levels`, `jsonlog` and `ticker` services.
//!
//! One test at a time: they restart containers and count lines.

mod support;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use support::docker::{docker, inspect_field};
use support::stack::{container_name, project, require_stack};
use support::tmux::{Stacktop, title_of_logs};
use support::{unique, wait_until};

const SECS: fn(u64) -> Duration = Duration::from_secs;

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

/// A folder of its own for a test, removed on drop.
struct Folder(PathBuf);

impl Folder {
    fn new(purpose: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("stacktop-e2e-{purpose}-{}", unique()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// stacktop on the test stack, keeping every line of history, with a
/// config file that saves logs into `log_folder`.
fn start(session: &str, size: (u16, u16), config: &Folder, log_folder: &Path) -> Stacktop {
    let file = config.0.join("stacktop.toml");
    let toml = format!("log_folder = \"{}\"\n", log_folder.display());
    std::fs::write(&file, toml).unwrap();
    let args = format!(
        "-p '{}' --tail 10000 --config '{}'",
        project(),
        file.display()
    );
    let app = Stacktop::start(session, size, &args, &[]);
    // The list, not just its header: a key sent before the containers are
    // listed has no row to act on.
    app.expect("jsonlog", SECS(20));
    app
}

/// stacktop with the logs of `service` open, showing `text`.
fn logs_of(session: &str, service: &str, config: &Folder, text: &str) -> Stacktop {
    let app = start(session, (120, 40), config, &config.0);
    app.select(service);
    app.text("l");
    app.expect(text, SECS(10));
    app
}

/// One test: the others wait; it has a folder of its own, and stacktop
/// showing `service`'s logs once `text` is on screen. (Fields drop in
/// order: stacktop, the folder, then the lock.)
struct Case {
    app: Stacktop,
    folder: Folder,
    _serial: MutexGuard<'static, ()>,
}

fn case(purpose: &str, service: &str, text: &str) -> Case {
    let serial = serial();
    require_stack();
    let folder = Folder::new(purpose);
    let app = logs_of(&format!("logs-{purpose}"), service, &folder, text);
    Case {
        app,
        folder,
        _serial: serial,
    }
}

/// How many lines of `service`'s log contain `text`.
fn logged(service: &str, text: &str) -> usize {
    let out = std::process::Command::new("docker")
        .args(["logs", &container_name(service, 1)])
        .output()
        .unwrap();
    let all = [out.stdout, out.stderr].concat();
    String::from_utf8_lossy(&all)
        .lines()
        .filter(|l| l.contains(text))
        .count()
}

#[test]
fn search_counts_matches_and_n_and_capital_n_move_between_them() {
    let c = case("search", "levels", "needle three");
    let app = &c.app;
    let total = logged("levels", "needle");
    assert!(total >= 3, "levels printed {total} needles");
    app.text("/needle");
    app.keys(&["Enter"]);
    app.expect(&format!("match {total}/{total}"), SECS(5));
    app.text("N");
    app.expect(&format!("match {}/{total}", total - 1), SECS(5));
    app.text("n");
    app.expect(&format!("match {total}/{total}"), SECS(5));
    app.text("n");
    app.expect("match 1/", SECS(5));
    app.expect("search went round to the oldest match", SECS(5));
    assert!(title_of_logs(&app.screen()).contains("paused"));
    app.text("/zzz-absent");
    app.keys(&["Enter"]);
    app.expect("no match for zzz-absent", SECS(5));
    app.text("/(unclosed");
    app.expect("✗ regex parse error", SECS(5));
    app.escape();
    app.text("q");
    app.assert_restored("0");
}

#[test]
fn filter_keeps_matching_lines_inverts_with_a_bang_and_esc_removes_it() {
    let c = case("filter", "levels", "needle three");
    let app = &c.app;
    app.text("&needle");
    app.keys(&["Enter"]);
    app.wait_screen_for("only needle lines", SECS(5), |s| {
        s.contains("hidden") && !s.contains("heartbeat") && !s.contains("cache hit")
    });
    let screen = app.screen();
    for needle in ["needle one", "needle two", "needle three"] {
        assert!(screen.contains(needle), "{needle} filtered out:\n{screen}");
    }
    app.text("&");
    app.keys(&["C-u"]);
    app.text("!needle");
    app.keys(&["Enter"]);
    app.wait_screen_for("no needle line", SECS(5), |s| {
        s.contains("&!needle") && !s.contains("needle one") && s.contains("cache hit")
    });
    app.text("&");
    app.escape();
    app.wait_screen_for("the filter removed", SECS(5), |s| {
        !title_of_logs(s).contains("hidden") && s.contains("needle one")
    });
}

#[test]
fn minimum_level_shows_errors_with_their_stack_frames() {
    let c = case("level", "levels", "needle three");
    let app = &c.app;
    app.text("L");
    app.expect("INFO+", SECS(5));
    app.text("L");
    app.expect("WARN+", SECS(5));
    app.text("L");
    app.wait_screen_for("errors only", SECS(5), |s| {
        s.contains("ERROR+") && s.contains("needle two") && !s.contains("needle one")
    });
    let screen = app.screen();
    assert!(
        screen.contains("at levels.pay"),
        "the stack frame goes with its error:\n{screen}"
    );
    assert!(!screen.contains("INFO levels"), "{screen}");
    app.text("L");
    app.wait_screen_for("all levels again", SECS(5), |s| {
        s.contains("DEBUG levels: cache hit")
    });
}

#[test]
fn json_lines_show_as_fields_and_j_shows_them_raw() {
    let rendered = "12:00:02.750 ERROR payment failed error=\"card declined\"";
    let c = case("json", "jsonlog", rendered);
    let app = &c.app;
    let screen = app.screen();
    for raw in [
        "{not json at all}",
        "{\"level\":\"info\",\"msg\":\"cut off here",
        "日本語のメッセージ 🚀 wide",
    ] {
        assert!(screen.contains(raw), "{raw} missing:\n{screen}");
    }
    assert!(screen.contains("INFO  long line data=xxxxxxxx"), "{screen}");
    app.text("J");
    app.expect(
        "{\"time\":\"2026-11-25T12:00:02.75Z\",\"level\":\"error\"",
        SECS(5),
    );
    app.expect("raw JSON", SECS(5));
    app.text("J");
    app.expect(rendered, SECS(5));
}

fn started_at(container: &str) -> DateTime<Utc> {
    let raw = inspect_field(container, "{{.State.StartedAt}}");
    DateTime::parse_from_rfc3339(&raw).unwrap().to_utc()
}

#[test]
fn a_time_range_reloads_only_the_recent_lines() {
    let _serial = serial();
    require_stack();
    // The fixed block must be older than the range.
    let levels = container_name("levels", 1);
    let old = wait_until(SECS(75), Duration::from_millis(500), || {
        Utc::now() - started_at(&levels) > chrono::Duration::seconds(65)
    });
    assert!(old, "levels did not get a minute old");
    let config = Folder::new("range");
    let app = logs_of("logs-range", "levels", &config, "needle one");
    app.text("1");
    app.wait_screen_for("the last minute only", SECS(10), |s| {
        title_of_logs(s).contains("last 1 min")
            && !s.contains("needle one")
            && s.contains("heartbeat")
    });
    app.text("0");
    app.wait_screen_for("the last lines again", SECS(10), |s| {
        title_of_logs(s).contains("last 10000 lines") && s.contains("needle one")
    });
}

#[test]
fn save_writes_plain_text_and_a_failure_names_the_path() {
    let c = case("save", "levels", "needle three");
    let (app, config) = (&c.app, &c.folder);
    app.text("t");
    app.text("S");
    app.expect("saved ", SECS(10));
    let files: Vec<PathBuf> = std::fs::read_dir(&config.0)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("levels-") && name.len() == "levels-20261125-120000.log".len(),
        "{name}"
    );
    let bytes = std::fs::read(&files[0]).unwrap();
    assert!(!bytes.contains(&0x1b), "an escape byte in the saved file");
    let text = String::from_utf8(bytes).unwrap();
    let coloured = text.lines().find(|l| l.contains("needle two")).unwrap();
    assert!(
        coloured.ends_with("Z ERROR levels: payment failed, needle two"),
        "{coloured}"
    );

    // A folder that cannot be: a path under a file.
    let blocker = config.0.join("a-file");
    std::fs::write(&blocker, "x").unwrap();
    let app = start("logs-save-fail", (160, 40), config, &blocker.join("logs"));
    app.select("levels");
    app.text("l");
    app.expect("needle three", SECS(10));
    app.text("S");
    let expected = format!("cannot save logs to {}", blocker.join("logs").display());
    app.expect(&expected, SECS(10));
    app.expect("Not a directory", SECS(1));
    assert!(title_of_logs(&app.screen()).contains("following"));
}

#[test]
fn m_turns_mouse_capture_off_and_on() {
    let c = case("mouse", "levels", "needle three");
    let app = &c.app;
    let mouse = || app.tmux.format("#{mouse_any_flag}");
    assert_eq!(mouse(), "1", "stacktop reports the mouse");
    app.text("M");
    app.expect("mouse off: select text", SECS(5));
    assert!(wait_until(SECS(5), Duration::from_millis(50), || mouse() == "0"));
    app.text("M");
    app.expect("mouse on: the wheel scrolls", SECS(5));
    assert!(wait_until(SECS(5), Duration::from_millis(50), || mouse() == "1"));
}

#[test]
fn a_restart_from_outside_puts_a_separator_and_following_goes_on() {
    let c = case("restart", "ticker", "tick ");
    let app = &c.app;
    let ticker = container_name("ticker", 1);
    docker(&["restart", "-t", "1", &ticker]);
    app.expect("── restarted ", SECS(15));
    // The new run counts from 1 again, below the separator.
    app.wait_screen_for("the new run's lines", SECS(10), |s| {
        let after = s.split("── restarted ").nth(1).unwrap_or("");
        after.contains("tick 2")
    });
    assert!(title_of_logs(&app.screen()).contains("following"));
}

#[test]
fn the_source_picker_turns_a_service_off_in_merged_logs() {
    let _serial = serial();
    require_stack();
    let config = Folder::new("picker");
    let app = start("logs-picker", (240, 45), &config, &config.0);
    // The first row is the project's: its logs are merged.
    app.text("l");
    app.expect("│ tick ", SECS(10));
    app.text("s");
    app.expect("Sources: Space on/off", SECS(5));
    let screen = app.screen();
    let rows: Vec<&str> = screen.lines().collect();
    let at = |label: &str| rows.iter().position(|r| r.contains(label)).unwrap();
    let down = at("] ticker") - at("› [");
    for _ in 0..down {
        app.keys(&["Down"]);
    }
    app.expect("› [x] ticker", SECS(5));
    app.text(" ");
    app.expect("› [ ] ticker", SECS(5));
    app.keys(&["Enter"]);
    app.expect("ticker off", SECS(5));
    app.expect("levels: heartbeat", SECS(10));
    std::thread::sleep(SECS(3));
    let screen = app.screen();
    assert!(
        !screen.contains("│ tick "),
        "ticker's lines after turning it off:\n{screen}"
    );
}
