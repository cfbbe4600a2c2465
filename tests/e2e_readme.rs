#![allow(clippy::unwrap_used)]
//! The README's screen is a real one: the release binary on the test stack
//! in a 120x30 tmux pane, captured once every service shows its final
//! state and health, must match the README's block once both are
//! normalised (figures masked, runs of spaces made one). With
//! `STACKTOP_UPDATE_README=1` the test writes the capture into the README
//! instead.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use regex::Regex;
use support::stack::{SERVICES, project, require_stack};
use support::tmux::Stacktop;
use support::wait_until;

const SIZE: (u16, u16) = (120, 30);
/// The README shows the stack under its default project name.
const SHOWN_PROJECT: &str = "stacktop-test";
const START: &str = "<!-- screen: a real run, kept current by tests/e2e_readme.rs -->\n```\n";
const END: &str = "```\n<!-- /screen -->";

fn readme() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")
}

/// The block between the markers, and where it sits in `text`.
fn block(text: &str) -> (usize, usize) {
    let start = text.find(START).expect("README has the screen markers") + START.len();
    let end = start
        + text[start..]
            .find(END)
            .expect("README closes the screen block");
    (start, end)
}

/// What may differ between two runs goes: every figure (times, CPU,
/// memory, uptimes, counts, ports; a run of digits with its units and
/// separators) becomes `#`, a trend line `~`, and runs of spaces one space,
/// since a figure's width moves what follows it; the project's name at the
/// end of the header, which the width cuts, goes too. Names, states,
/// health words and the order of everything stay.
fn normalise(screen: &str) -> String {
    let figure = Regex::new(r"(?:[0-9][0-9.,:]*[A-Za-z%]{0,3})+").unwrap();
    let trend = Regex::new(r"[▁▂▃▄▅▆▇█]+").unwrap();
    let spaces = Regex::new(r" {2,}").unwrap();
    let rule = Regex::new(r"─{2,}").unwrap();
    // The header ends with the project's name, cut where the width ends.
    let scope = Regex::new(r"│ project \S+$").unwrap();
    screen
        .lines()
        .map(|line| {
            let line = figure.replace_all(line, "#");
            let line = trend.replace_all(&line, "~");
            let line = rule.replace_all(&line, "──");
            let line = scope.replace(line.trim_end(), "│ project …");
            spaces.replace_all(line.trim_end(), " ").into_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `screen` shows the stack settled: every service listed, health
/// checks past `starting`, the crash loop between runs, the host's figures
/// and every database probe read, and 20 s of trends.
fn settled(screen: &str) -> bool {
    let listed = SERVICES.iter().all(|s| screen.contains(&format!(" {s}")));
    let crashloop = screen
        .lines()
        .any(|l| l.contains(" crashloop ") && l.contains("restarting"));
    let probed = Regex::new(r"pg \d.*\n(?s:.*)rabbit \d.*\n(?s:.*)redis \d").unwrap();
    let trends = Regex::new(r"── api, last (?:[2-9]\ds|\dm)").unwrap();
    let host = screen
        .lines()
        .nth(1)
        .is_some_and(|l| l.starts_with(" CPU "));
    listed
        && crashloop
        && host
        && probed.is_match(screen)
        && trends.is_match(screen)
        && screen.contains("✗ unhealthy")
        && screen.contains("✓ healthy")
        && !screen.contains("… starting")
        && screen.lines().last().is_some_and(|l| l.contains("? help"))
}

#[test]
fn the_readme_screen_is_a_current_run() {
    require_stack();
    let app = Stacktop::on_stack("e2e-readme", SIZE);
    app.expect("SERVICE", Duration::from_secs(15));
    // A service that runs, so the strip shows its trends: `api`, below
    // the problems the list shows first.
    let on_api = wait_until(Duration::from_secs(30), Duration::from_millis(200), || {
        if app.screen().contains("── api") {
            return true;
        }
        app.text("j");
        false
    });
    assert!(on_api, "api never selected:\n{}", app.screen());
    let mut screen = String::new();
    let seen = wait_until(Duration::from_secs(120), Duration::from_millis(50), || {
        screen = app.screen();
        // The crash loop's exits are told in the footer until a key is
        // pressed: a key bound to nothing marks them seen.
        if screen.contains("· e: timeline") {
            app.keys(&["F12"]);
        }
        settled(&screen)
    });
    assert!(seen, "the stack did not settle on screen:\n{screen}");
    app.text("q");
    let screen = screen.replace(&project(), SHOWN_PROJECT);
    let text = std::fs::read_to_string(readme()).unwrap();
    let (start, end) = block(&text);
    if std::env::var_os("STACKTOP_UPDATE_README").is_some() {
        let lines: Vec<&str> = screen.lines().map(str::trim_end).collect();
        let fresh = format!("{}{}\n{}", &text[..start], lines.join("\n"), &text[end..]);
        std::fs::write(readme(), fresh).unwrap();
        return;
    }
    let (want, got) = (normalise(&text[start..end]), normalise(&screen));
    if want != got {
        panic!(
            "the README's screen differs from a fresh run (normalised; - README, + run). \
             Run with STACKTOP_UPDATE_README=1 to take the run:\n{}\n\nthe run as captured:\n{screen}",
            diff(&want, &got)
        );
    }
}

/// The lines that differ, in place: ` ` same, `-` only in `want`, `+`
/// only in `got`.
fn diff(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let mut out = Vec::new();
    for at in 0..w.len().max(g.len()) {
        match (w.get(at), g.get(at)) {
            (Some(a), Some(b)) if a == b => out.push(format!("  {a}")),
            (a, b) => {
                out.extend(a.map(|a| format!("- {a}")));
                out.extend(b.map(|b| format!("+ {b}")));
            }
        }
    }
    out.join("\n")
}

#[test]
fn normalising_masks_figures_and_keeps_words() {
    let a = normalise(" CPU 12.5%  MEM 3.17G/23.3G   │ worker-2  ● running   1h30m  ▁▂▃▅");
    let b = normalise(" CPU 1.0%   MEM 3.20G/23.3G   │ worker-2  ● running     12s  ▁▁");
    assert_eq!(a, b);
    assert_eq!(a, " CPU # MEM #/# │ worker-# ● running # ~");
    assert_ne!(normalise("● running"), normalise("✗ exited (3)"));
}
