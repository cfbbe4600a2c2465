#![allow(clippy::unwrap_used)]
//! End to end: the screen made the user's way, with the release binary in
//! tmux against the test stack: a remapped key, a named theme, NO_COLOR.

mod support;

use std::time::Duration;

use support::docker::inspect_field;
use support::stack::{container_name, project, require_stack};
use support::tmux::Stacktop;
use support::{unique, wait_until};

const SECS: fn(u64) -> Duration = Duration::from_secs;

fn config(body: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("stacktop-e2e-{}.toml", unique()));
    std::fs::write(&path, body).unwrap();
    path
}

#[test]
fn a_remapped_restart_key_restarts_and_the_old_one_does_nothing() {
    require_stack();
    let worker = container_name("worker", 2);
    let started = || inspect_field(&worker, "{{.State.StartedAt}}");
    let before = started();
    let config = config("[keys]\nrestart = [\"R\", \"ctrl-r\"]\n");
    let args = format!("-p '{}' --config '{}'", project(), config.display());
    let app = Stacktop::start("e2e-keys", (140, 40), &args, &[]);
    app.expect("worker-2", SECS(15));
    app.expect(" R restart", SECS(5));
    app.select("worker-2");
    app.text("r");
    std::thread::sleep(SECS(2));
    assert_eq!(started(), before, "r is no longer restart");
    app.text("R");
    let restarted = wait_until(SECS(30), Duration::from_millis(300), || started() != before);
    assert!(restarted, "R did not restart worker-2:\n{}", app.screen());
    app.text("?");
    app.expect("R Ctrl-r", SECS(5));
    app.text("q");
    let _ = std::fs::remove_file(config);
}

#[test]
fn a_clashing_key_stops_before_the_screen_with_its_place() {
    let config = config("[keys]\n\nrestart = \"s\"\n");
    let args = format!("--config '{}'", config.display());
    let app = Stacktop::start("e2e-clash", (120, 20), &args, &[]);
    app.expect("stacktop-exit=2", SECS(10));
    let screen = app.screen();
    let place = format!(
        "{}:3:1: s is bound to both restart and stop_start",
        config.display()
    );
    assert!(screen.contains(&place), "{screen}");
    let _ = std::fs::remove_file(config);
}

/// The SGR parameters of every escape sequence in `text`.
fn sgr_parameters(text: &str) -> Vec<String> {
    text.split("\x1b[")
        .skip(1)
        .filter_map(|rest| rest.split_once('m').map(|(params, _)| params.to_string()))
        .collect()
}

#[test]
fn the_light_theme_paints_the_selection_its_colour() {
    require_stack();
    let args = format!("-p '{}' --theme light", project());
    let app = Stacktop::start("e2e-light", (120, 30), &args, &[]);
    app.expect("SERVICE", SECS(15));
    // The selection of the light theme: white on colour 24.
    let painted = wait_until(SECS(5), Duration::from_millis(100), || {
        sgr_parameters(&app.tmux.capture_with_escapes())
            .iter()
            .any(|p| {
                p.split(';')
                    .collect::<Vec<_>>()
                    .windows(3)
                    .any(|w| w == ["48", "5", "24"])
            })
    });
    assert!(
        painted,
        "no 48;5;24 background:\n{}",
        app.tmux.capture_with_escapes()
    );
    app.text("q");
}

#[test]
fn no_color_writes_no_colour() {
    require_stack();
    let args = format!("-p '{}'", project());
    let env = [("NO_COLOR", "1".to_string())];
    let app = Stacktop::start("e2e-nocolor", (120, 30), &args, &env);
    app.expect("✗ unhealthy", SECS(20));
    // The ticker's own green lines, in the logs: no colour either.
    app.select("ticker");
    app.text("l");
    app.expect("green ", SECS(20));
    let screen = app.tmux.capture_with_escapes();
    let colours: Vec<String> = sgr_parameters(&screen)
        .into_iter()
        .filter(|p| {
            p.split(';').any(|n| {
                matches!(
                    n.parse::<u16>(),
                    Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
                )
            })
        })
        .collect();
    assert!(
        colours.is_empty(),
        "colour sequences {colours:?} in:\n{screen}"
    );
    app.text("q");
}
