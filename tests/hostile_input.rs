#![allow(clippy::unwrap_used)]
//! Hostile input that stops stacktop before it starts: a config key, a
//! theme colour, an argument or an environment URL carrying escape
//! sequences, and a URL whose password holds `/`, `@`, `#` and `?`. The
//! message names the mistake, printed cleaned, with no password in it.

mod support;

use std::process::Command;

use support::Folder;
use support::hostile::{PAYLOADS, assert_printable, payload};
use support::tmux::stacktop_bin;

/// Runs stacktop in `folder` (no compose project there); (exit code, stderr).
fn run(folder: &Folder, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let out = Command::new(stacktop_bin())
        .args(args)
        .current_dir(&folder.0)
        .env_remove("STACKTOP_POSTGRES_URL")
        .env_remove("STACKTOP_REDIS_URL")
        .envs(env.iter().copied())
        .output()
        .expect("stacktop runs");
    assert_printable("stdout", &out.stdout, false);
    assert_printable("stderr", &out.stderr, false);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), stderr)
}

/// A TOML basic string holding `text`, every control escaped as TOML
/// wants it.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => out.extend(['\\', c]),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[test]
fn an_unknown_config_key_is_named_cleaned() {
    let folder = Folder::new("hostile-key");
    let key = toml_string(&payload("key"));
    let config = folder.write("stacktop.toml", &format!("{key} = 1\n"));
    let (code, err) = run(
        &folder,
        &["--config", config.to_str().unwrap(), "status"],
        &[],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("stacktop.toml:1:1:"), "{err}");
    assert!(
        err.contains("unknown field `key<U+202E><U+2066>end`"),
        "{err}"
    );
}

#[test]
fn a_bad_theme_colour_is_named_cleaned() {
    let folder = Folder::new("hostile-theme");
    let colour = toml_string(&payload("#12"));
    let theme = folder.write(
        "evil.toml",
        &format!("[roles]\nerror = {{ fg = {colour} }}\n"),
    );
    let (code, err) = run(
        &folder,
        &["--theme", theme.to_str().unwrap(), "status"],
        &[],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("`#12<U+202E><U+2066>end` is not a colour"),
        "{err}"
    );
}

#[test]
fn a_bad_argument_is_named_cleaned() {
    let folder = Folder::new("hostile-argument");
    for value in PAYLOADS.iter().copied().chain([payload("1").as_str()]) {
        let (code, err) = run(&folder, &["--interval", value, "status"], &[]);
        assert_eq!(code, 2, "{value:?}: {err}");
        assert!(err.contains("--interval"), "{err}");
    }
}

#[test]
fn a_bad_environment_url_is_named_cleaned() {
    let folder = Folder::new("hostile-env-url");
    let url = format!("redis://{}", payload("h"));
    let (code, err) = run(&folder, &["status"], &[("STACKTOP_REDIS_URL", &url)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("STACKTOP_REDIS_URL"), "{err}");
}

/// Passwords a start-up error must not show, and the URLs holding them.
const PASSWORDS: [&str; 5] = ["pa/ss", "p#ss", "p?ss", "p/a@s#s?w", "a?b@c"];

#[test]
fn a_config_url_password_holding_url_delimiters_is_masked() {
    let folder = Folder::new("hostile-password");
    let empty = Folder::new("hostile-password-env");
    for password in PASSWORDS {
        let url = format!("postgres://app:{password}@127.0.0.1:5432/app_db");
        let config = folder.write(
            "stacktop.toml",
            &format!("[[postgres]]\nname = \"db\"\nurl = {}\n", toml_string(&url)),
        );
        let (code, err) = run(
            &folder,
            &["--config", config.to_str().unwrap(), "status"],
            &[],
        );
        assert_eq!(code, 2, "{password}: {err}");
        assert!(err.contains("stacktop.toml:3:7:"), "{err}");
        assert!(
            err.contains("postgres://app:***@127.0.0.1:5432/app_db"),
            "{err}"
        );
        assert!(!err.contains(password), "{password} shown: {err}");
        let (code, err) = run(&empty, &["status"], &[("STACKTOP_POSTGRES_URL", &url)]);
        assert_eq!(code, 2, "{password}: {err}");
        assert!(err.contains("STACKTOP_POSTGRES_URL"), "{err}");
        assert!(!err.contains(password), "{password} shown: {err}");
    }
}
