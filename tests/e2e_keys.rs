#![allow(clippy::unwrap_used)]
//! End to end: key strings in the config file that no key sends, among
//! them letters whose case maps to another letter or to two characters,
//! stop the built binary before the screen is taken, with exit status 2
//! and the file, line and column of the key; never a panic.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use support::tmux::stacktop_bin;
use support::unique;

/// A folder of its own (no compose file, no state file to read) holding
/// `config.toml` with `body`.
fn config(body: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("stacktop-e2e-keys-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(&path, body).unwrap();
    (dir, path)
}

fn run(dir: &Path, path: &Path) -> Output {
    std::process::Command::new(stacktop_bin())
        .arg("--config")
        .arg(path)
        .current_dir(dir)
        .env("STACKTOP_STATE_FILE", dir.join("state.toml"))
        .env_remove("COMPOSE_FILE")
        .output()
        .unwrap()
}

/// Runs stacktop with `body` as its config; its stderr, after checking it
/// stopped with status 2, no panic, and an error at `line:column`.
fn refused_at(body: &str, line: usize, column: usize) -> String {
    let (dir, path) = config(body);
    let out = run(&dir, &path);
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{body:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{body:?}: {stderr}");
    let place = format!("{}:{line}:{column}: ", path.display());
    assert!(
        stderr.contains(&place),
        "{body:?}: wanted {place:?} in {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    stderr
}

#[test]
fn keys_whose_case_is_not_one_letter_are_refused_with_their_place() {
    let keys = [
        "\u{212A}",      // Kelvin sign: lower-cases to the ASCII k
        "\u{0130}",      // İ: lower-cases to two characters, i and a dot
        "ctrl-\u{212A}", // the same behind ctrl-
        "CTRL-\u{0130}", // and behind a prefix in capitals
        "\u{2126}",      // Ohm sign: lower-cases to the Greek omega
        "\u{212B}",      // Angstrom sign: lower-cases to å
        "\u{1E9E}",      // capital sharp s: lower-cases to ß, which upper-cases to SS
        "\u{01C5}",      // Dž, a title-case letter
        "\u{212A}\u{212A}",
    ];
    for key in keys {
        let stderr = refused_at(&format!("[keys]\nrestart = \"{key}\"\n"), 2, 11);
        assert!(stderr.contains("is not a key"), "{key:?}: {stderr}");
    }
}

#[test]
fn a_refused_key_is_placed_in_its_list_and_its_section() {
    refused_at("[keys]\nrestart = [\"r\", \"\u{212A}\"]\n", 2, 17);
    refused_at("\n[keys.log_view]\nfollow = \"\u{0130}\"\n", 3, 10);
}

#[test]
fn letters_of_other_alphabets_are_keys() {
    // ß, é and the Greek sigma are keys of their own: the config is taken
    // and stacktop goes on to the engine, here one that is not there.
    let (dir, path) = config("[keys]\nrestart = [\"ß\", \"é\", \"Σ\"]\n");
    let engine = format!("unix://{}", dir.join("no-engine.sock").display());
    let out = std::process::Command::new(stacktop_bin())
        .args([
            "--config",
            &path.display().to_string(),
            "-H",
            &engine,
            "check",
        ])
        .current_dir(&dir)
        .env("STACKTOP_STATE_FILE", dir.join("state.toml"))
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // It stops at the engine, not at the config file.
    let place = format!("{}:", path.display());
    assert!(!stderr.contains(&place), "the config was refused: {stderr}");
    assert!(!stderr.contains("is not a key"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("no-engine.sock"), "{stderr}");
}
