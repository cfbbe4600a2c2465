//! Masking secrets in a line of text that is about to be written down: a
//! log line, or an answer a dependency logged whole.
//!
//! Masked, each value replaced by `***`:
//! - an assignment to a name that says it holds a secret:
//!   `POSTGRES_PASSWORD=x`, `"token": "x"`, `password: Some("x")`;
//! - the word after a flag that does: `--requirepass x`,
//!   `"--requirepass", "x"`, `--password=x`, and Redis's `requirepass x`;
//! - the password of a URL (`crate::model::mask_url`).

use std::borrow::Cow;

use crate::model::mask_url;

/// Parts of a name (between `_`, `-` and `.`, in lower case) that say its
/// value is a secret: `RABBITMQ_DEFAULT_PASS`, `db.pwd`.
const SECRET_PARTS: [&str; 6] = [
    "pass",
    "pwd",
    "passphrase",
    "credential",
    "credentials",
    "apikey",
];

/// Endings of such a part that say so too: `POSTGRES_PASSWORD`,
/// `dbPassword`, `--requirepass`, `client_secret`, `GITHUB_TOKEN`.
const SECRET_ENDINGS: [&str; 6] = [
    "password",
    "passwd",
    "secret",
    "token",
    "requirepass",
    "masterauth",
];

/// Redis configuration words whose next word is a password.
const SECRET_WORDS: [&str; 2] = ["requirepass", "masterauth"];

/// The mask a secret is replaced with.
const MASK: &str = "***";

/// `line` with every secret it holds masked.
pub fn mask(line: &str) -> Cow<'_, str> {
    let masked = mask_values(line);
    if !masked.contains("://") {
        return masked;
    }
    Cow::Owned(mask_urls(&masked))
}

/// Characters of a name: `POSTGRES_PASSWORD`, `--requirepass`, `db.pass`.
fn in_name(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Characters that end a value.
fn ends_value(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '&' | ';' | '}' | ']' | ')' | '\\')
}

fn mask_values(line: &str) -> Cow<'_, str> {
    let mut out = String::new();
    // How far `line` has been copied to `out`.
    let mut copied = 0;
    let mut at = 0;
    while at < line.len() {
        let rest = &line[at..];
        let Some(start) = rest.find(in_name) else {
            break;
        };
        let name_start = at + start;
        let name_len = line[name_start..]
            .find(|c: char| !in_name(c))
            .unwrap_or(line.len() - name_start);
        let name_end = name_start + name_len;
        at = name_end;
        let Some(value) = secret_value(&line[name_start..name_end], &line[name_end..]) else {
            continue;
        };
        let value_start = name_end + value.start;
        let value_end = name_end + value.end;
        out.push_str(&line[copied..value_start]);
        out.push_str(MASK);
        copied = value_end;
        at = value_end;
    }
    if copied == 0 {
        return Cow::Borrowed(line);
    }
    out.push_str(&line[copied..]);
    Cow::Owned(out)
}

/// Where, in `after`, the value given to `name` lies, if `name` holds a
/// secret and a value follows it.
fn secret_value(name: &str, after: &str) -> Option<std::ops::Range<usize>> {
    let lower = name.to_ascii_lowercase();
    let bare = lower.trim_start_matches('-');
    let secret = lower.split(['_', '-', '.']).any(|part| {
        SECRET_PARTS.contains(&part) || SECRET_ENDINGS.iter().any(|e| part.ends_with(e))
    });
    let flag = name.starts_with('-') || SECRET_WORDS.contains(&bare);
    if !secret && !SECRET_WORDS.contains(&bare) {
        return None;
    }
    // The closing quote of a quoted name, then `=` or `:` (or, after a
    // flag, a space or a list's `", "`), then quotes and `Some(`.
    let mut skip = after.len() - after.trim_start_matches(['"', '\\']).len();
    let assigned = after[skip..].starts_with(['=', ':']);
    if !assigned && !flag {
        return None;
    }
    let separators =
        |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '\\' | ',' | '=' | ':');
    skip = after.len() - after.trim_start_matches(separators).len();
    if after[skip..].starts_with("Some(") {
        skip += "Some(".len();
        skip = after.len() - after[skip..].trim_start_matches(separators).len();
    }
    let len = after[skip..].find(ends_value).unwrap_or(after.len() - skip);
    let value = &after[skip..skip + len];
    (len > 0 && value != MASK).then_some(skip..skip + len)
}

/// Each URL of `line` (a run without spaces or quotes around `://`) with
/// its password masked.
fn mask_urls(line: &str) -> String {
    let ends = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '\\' | '<' | '>' | '`');
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(found) = rest.find("://") {
        let start = rest[..found].rfind(ends).map_or(0, |i| i + 1);
        let end = rest[found..].find(ends).map_or(rest.len(), |i| found + i);
        out.push_str(&rest[..start]);
        out.push_str(&mask_url(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_and_assignments_are_masked() {
        assert_eq!(
            mask(r#""Env":["POSTGRES_PASSWORD=app-secret","POSTGRES_USER=app"]"#),
            r#""Env":["POSTGRES_PASSWORD=***","POSTGRES_USER=app"]"#
        );
        assert_eq!(
            mask("RABBITMQ_DEFAULT_PASS=x y"),
            "RABBITMQ_DEFAULT_PASS=*** y"
        );
        assert_eq!(
            mask(r#"{"token": "abc", "n": 1}"#),
            r#"{"token": "***", "n": 1}"#
        );
        assert_eq!(
            mask(r#"password: Some("pw"), user"#),
            r#"password: Some("***"), user"#
        );
        assert_eq!(
            mask(r#"env: [\"API_TOKEN=t0k\"]"#),
            r#"env: [\"API_TOKEN=***\"]"#
        );
    }

    #[test]
    fn the_word_after_a_secret_flag_is_masked() {
        assert_eq!(
            mask(r#""Cmd":["redis-server","--requirepass","redis-secret","--port","6379"]"#),
            r#""Cmd":["redis-server","--requirepass","***","--port","6379"]"#
        );
        assert_eq!(
            mask(r#"cmd: ["--requirepass", "s3"], x"#),
            r#"cmd: ["--requirepass", "***"], x"#
        );
        assert_eq!(
            mask("redis-server --requirepass=s3 --save"),
            "redis-server --requirepass=*** --save"
        );
        assert_eq!(mask("requirepass s3"), "requirepass ***");
        assert_eq!(mask("--password hunter2"), "--password ***");
    }

    #[test]
    fn urls_lose_their_passwords() {
        assert_eq!(
            mask(r#"url="postgres://app:p/a@ss@127.0.0.1:5432/db" ok"#),
            r#"url="postgres://app:***@127.0.0.1:5432/db" ok"#
        );
        assert_eq!(
            mask("to redis://:pw@h:6379/0."),
            "to redis://:***@h:6379/0."
        );
    }

    #[test]
    fn prose_and_plain_names_are_left_alone() {
        for line in [
            "password authentication failed for user app",
            "postgres probe not live target=db status=AuthFailed",
            "compose step project=shop label=up",
            "passes: 3",
            "bypass=no compass: north",
            "",
        ] {
            assert!(
                matches!(mask(line), Cow::Borrowed(_)) || mask(line) == line,
                "{line}"
            );
        }
    }
}
