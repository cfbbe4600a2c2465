//! Hostile compose files in the folder stacktop starts in: one nested
//! 100,000 levels deep (200 KB) and an alias bomb ("billion laughs"). The
//! screen comes first, with the project's files being read, then says they
//! are unreadable; keys work all along, `q` ends stacktop within a second,
//! and no process it started is left running.

mod support;

use std::time::{Duration, Instant};

use support::Folder;
use support::docker::require_engine;
use support::process::{alive, command_line, descendants};
use support::tmux::Stacktop;
use support::wait_until;

const SECS: fn(u64) -> Duration = Duration::from_secs;

/// A service whose labels are a list nested `depth` levels deep.
fn nested(depth: usize) -> String {
    format!(
        "services:\n  app:\n    image: busybox\n    labels: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

/// Nine levels of nine aliases each: 9^9 strings once expanded.
fn alias_bomb() -> String {
    let mut text = String::from("x-0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..9 {
        let refs = vec![format!("*l{}", level - 1); 9].join(", ");
        text.push_str(&format!("x-{level}: &l{level} [{refs}]\n"));
    }
    text.push_str("services:\n  app:\n    image: busybox\n    labels: *l8\n");
    text
}

/// Starts stacktop in a folder holding `compose` and checks it all: the
/// project row at once, "unreadable" in the end, and a clean quit.
fn opens_and_quits(purpose: &str, compose: &str) {
    require_engine();
    let folder = Folder::new(purpose);
    folder.write("compose.yaml", compose);
    let project = folder
        .0
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a folder name")
        .to_lowercase();
    let launched = Instant::now();
    let app = Stacktop::start_in(purpose, (140, 20), &folder.0, "", &[]);
    let first = app.wait_screen_for("the project's row", SECS(2), |s| {
        s.lines().any(|l| {
            l.contains(&project)
                && (l.contains("reading compose files…") || l.contains("compose files unreadable"))
        })
    });
    println!(
        "{purpose}: the project's row {} ms after launch",
        ms(launched.elapsed())
    );
    assert!(first < SECS(2));
    // Keys are served while the files are read: help opens and closes.
    app.text("?");
    app.wait_screen("Keys", SECS(2));
    app.escape();
    app.wait_screen_for("the files said unreadable", SECS(30), |s| {
        s.lines()
            .any(|l| l.contains(&project) && l.contains("✗ compose files unreadable"))
    });
    let pid = app.pid();
    let started = descendants(&pid);
    let asked = Instant::now();
    app.text("q");
    let gone = wait_until(SECS(1), Duration::from_millis(20), || !alive(&pid));
    assert!(gone, "stacktop still runs 1 s after q:\n{}", app.screen());
    println!("{purpose}: q ended stacktop in {} ms", ms(asked.elapsed()));
    let left = wait_until(SECS(3), Duration::from_millis(50), || {
        started.iter().all(|p| !alive(p))
    });
    let running: Vec<String> = started
        .iter()
        .filter(|p| alive(p))
        .map(|p| format!("{p}: {}", command_line(p)))
        .collect();
    assert!(left, "left running after stacktop quit: {running:?}");
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

#[test]
fn a_compose_file_nested_a_hundred_thousand_deep_is_unreadable_not_a_hang() {
    let compose = nested(100_000);
    assert!(compose.len() > 200_000);
    opens_and_quits("deep-compose", &compose);
}

#[test]
fn an_alias_bomb_is_unreadable_not_a_hang() {
    opens_and_quits("alias-bomb", &alias_bomb());
}

#[test]
fn status_and_check_name_the_unreadable_project_and_end_soon() {
    require_engine();
    let folder = Folder::new("deep-status");
    folder.write("compose.yaml", &nested(100_000));
    let project = folder
        .0
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a folder name")
        .to_lowercase();
    let run = |args: &[&str]| {
        let begun = Instant::now();
        let out = std::process::Command::new(support::tmux::stacktop_bin())
            .args(args)
            .current_dir(&folder.0)
            .output()
            .expect("running stacktop");
        (out, begun.elapsed())
    };
    let (status, took) = run(&["status"]);
    let text = String::from_utf8_lossy(&status.stdout);
    println!("status took {} ms", ms(took));
    assert!(took < SECS(20), "status took {took:?}");
    let line = format!("{project}: compose files unreadable: ");
    assert!(text.lines().any(|l| l.starts_with(&line)), "{text}");
    let (json, _) = run(&["status", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("a JSON document");
    let listed = doc["projects"]
        .as_array()
        .and_then(|all| all.iter().find(|p| p["name"] == project.as_str()))
        .unwrap_or_else(|| panic!("{project} not in {doc}"));
    assert!(listed["files_error"].is_string(), "{listed}");
    let (check, _) = run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(said.lines().any(|l| l.starts_with(&line)), "{said}");
}
