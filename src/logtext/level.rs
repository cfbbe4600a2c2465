//! Finding the level a plain line states: a level word at the start of the
//! line or after its timestamp (`ERROR …`, `12:01:02 [warn] …`), or a
//! logfmt `level=warn`. JSON lines are read by [`super::json`].
//!
//! Runs once per line as it arrives, so it only looks at the head of the
//! line, never allocates, and gives up early.

use crate::model::{LevelTag, Severity};

/// Tokens skipped before the level word: a date, a time, a separator.
const MAX_SKIPPED: usize = 3;
/// Longest level word (`CRITICAL`, `WARNING`).
const MAX_WORD: usize = 8;
/// Longest timestamp token skipped (`2024-05-01T10:00:00.123456789+02:00`).
const MAX_TIMESTAMP: usize = 40;

/// The level `text` states, and where the word that states it is.
pub fn detect(text: &str) -> Option<LevelTag> {
    head_level(text.as_bytes()).or_else(|| logfmt_level(text.as_bytes()))
}

/// The severity a level word names (any case), if it is one.
pub fn severity_of(word: &str) -> Option<Severity> {
    if word.len() > MAX_WORD {
        return None;
    }
    let mut buf = [0u8; MAX_WORD];
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    Some(match &*lower {
        b"error" | b"err" | b"fatal" | b"panic" | b"critical" | b"crit" | b"emerg" | b"alert"
        | b"severe" => Severity::Error,
        b"warn" | b"warning" => Severity::Warn,
        b"info" | b"notice" => Severity::Info,
        b"debug" | b"dbg" => Severity::Debug,
        b"trace" => Severity::Trace,
        _ => return None,
    })
}

/// A level word at the start, or after a few timestamp-like tokens. A
/// line that starts with a space continues the one before: no level.
fn head_level(bytes: &[u8]) -> Option<LevelTag> {
    let mut at = 0;
    for _ in 0..=MAX_SKIPPED {
        if let Some(tag) = level_word_at(bytes, at) {
            return Some(tag);
        }
        let end = token_end(bytes, at);
        if end == at || !skippable(&bytes[at..end]) {
            return None;
        }
        at = skip_spaces(bytes, end);
    }
    None
}

/// `WARN`, `[warn]`, `<Warn>`, `(ERROR)`, `ERROR:` at `at`: a level word,
/// in one case or capitalised, that ends where a word ends.
fn level_word_at(bytes: &[u8], at: usize) -> Option<LevelTag> {
    let start = match bytes.get(at)? {
        b'[' | b'<' | b'(' => at + 1,
        _ => at,
    };
    let len = bytes[start..]
        .iter()
        .take(MAX_WORD + 1)
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    if len == 0 || len > MAX_WORD {
        return None;
    }
    let end = start + len;
    if bytes
        .get(end)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        return None;
    }
    let word = std::str::from_utf8(&bytes[start..end]).ok()?;
    if !one_case(word) {
        return None;
    }
    tag(severity_of(word)?, start, end)
}

/// `WARN`, `warn` or `Warn`, not `wArN`.
fn one_case(word: &str) -> bool {
    let rest = &word[1..];
    rest.bytes().all(|b| b.is_ascii_lowercase()) || word.bytes().all(|b| b.is_ascii_uppercase())
}

/// A token the level word may follow: a date or time (`2024-05-01`,
/// `10:00:00,123`, `[2024-05-01T10:00:00Z]`) or a lone separator (`-`, `|`).
fn skippable(token: &[u8]) -> bool {
    if token.len() > MAX_TIMESTAMP {
        return false;
    }
    if token.iter().all(|b| matches!(b, b'-' | b'|' | b':')) {
        return true;
    }
    let digits = token.iter().filter(|b| b.is_ascii_digit()).count();
    let stamp_chars = token.iter().all(|b| {
        b.is_ascii_digit()
            || matches!(b, b'-' | b':' | b'.' | b',' | b'/' | b'T' | b'Z' | b'+')
            || matches!(b, b'[' | b']')
    });
    stamp_chars && digits >= 4
}

fn token_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .take(MAX_TIMESTAMP + 1)
        .position(|b| *b == b' ')
        .map_or((at + MAX_TIMESTAMP + 1).min(bytes.len()), |n| at + n)
}

fn skip_spaces(bytes: &[u8], at: usize) -> usize {
    at + bytes[at..].iter().take_while(|b| **b == b' ').count()
}

/// `level=warn`, `lvl="error"`, `severity=INFO` anywhere in the line.
fn logfmt_level(bytes: &[u8]) -> Option<LevelTag> {
    let mut from = 0;
    while let Some(eq) = bytes[from..].iter().position(|b| *b == b'=') {
        let eq = from + eq;
        from = eq + 1;
        if !is_level_key(&bytes[..eq]) {
            continue;
        }
        let quoted = bytes.get(eq + 1) == Some(&b'"');
        let start = eq + 1 + usize::from(quoted);
        let len = bytes[start..]
            .iter()
            .take(MAX_WORD + 1)
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let end = start + len;
        let word = std::str::from_utf8(&bytes[start..end]).ok()?;
        return tag(severity_of(word)?, start, end);
    }
    None
}

/// Whether `before` ends with a level key that starts a logfmt pair.
fn is_level_key(before: &[u8]) -> bool {
    ["level", "lvl", "severity"].iter().any(|key| {
        before.ends_with(key.as_bytes()) && {
            let at = before.len() - key.len();
            at == 0 || before[at - 1] == b' '
        }
    })
}

fn tag(severity: Severity, start: usize, end: usize) -> Option<LevelTag> {
    Some(LevelTag {
        severity,
        start: u16::try_from(start).ok()?,
        end: u16::try_from(end).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(text: &str) -> Option<Severity> {
        detect(text).map(|t| t.severity)
    }

    fn word(text: &str) -> &str {
        let tag = detect(text).expect("a level");
        &text[tag.start as usize..tag.end as usize]
    }

    #[test]
    fn level_words_at_the_start_in_any_usual_form() {
        assert_eq!(level("ERROR connection lost"), Some(Severity::Error));
        assert_eq!(level("[warn] disk 91% full"), Some(Severity::Warn));
        assert_eq!(level("Info: started"), Some(Severity::Info));
        assert_eq!(level("<debug> x"), Some(Severity::Debug));
        assert_eq!(level("TRACE"), Some(Severity::Trace));
        assert_eq!(level("FATAL: no"), Some(Severity::Error));
        assert_eq!(level("PANIC x"), Some(Severity::Error));
        assert_eq!(level("CRITICAL x"), Some(Severity::Error));
        assert_eq!(level("WARNING: x"), Some(Severity::Warn));
        assert_eq!(level("ERR! code"), Some(Severity::Error));
        assert_eq!(word("[warn] disk"), "warn");
    }

    #[test]
    fn level_words_after_a_timestamp() {
        let spring = "2024-05-01 10:00:00.123  WARN 1234 --- [main] o.s.Boot : slow";
        assert_eq!(level(spring), Some(Severity::Warn));
        assert_eq!(word(spring), "WARN");
        assert_eq!(level("12:01:02 ERROR boom"), Some(Severity::Error));
        assert_eq!(
            level("[2024-05-01T10:00:00Z] [INFO] ready"),
            Some(Severity::Info)
        );
        assert_eq!(
            level("2024/05/01 10:00:00 [error] x"),
            Some(Severity::Error)
        );
        assert_eq!(
            level("2024-05-01 10:00:00,5 - ERROR - x"),
            Some(Severity::Error)
        );
    }

    #[test]
    fn logfmt_level_keys() {
        assert_eq!(level("ts=1 level=warn msg=x"), Some(Severity::Warn));
        assert_eq!(level("time=x lvl=\"error\" msg=y"), Some(Severity::Error));
        assert_eq!(word("a=1 level=info b=2"), "info");
        assert_eq!(level("a=1 sublevel=error"), None);
    }

    #[test]
    fn words_inside_text_or_of_mixed_case_are_not_levels() {
        assert_eq!(level("tick 5"), None);
        assert_eq!(level("information overload"), None);
        assert_eq!(level("errors: 0"), None);
        assert_eq!(level("the ERROR is later"), None);
        assert_eq!(level("eRRoR x"), None);
        assert_eq!(level("   at com.example.Main(Main.java:3)"), None);
        assert_eq!(level("GET /error 404"), None);
        assert_eq!(level(""), None);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Any text: a tag, if any, lies on character boundaries of the
        /// text and holds a level word.
        #[test]
        fn tags_point_at_level_words(text in "\\PC{0,60}") {
            if let Some(tag) = detect(&text) {
                let word = text.get(tag.start as usize..tag.end as usize);
                prop_assert_eq!(word.and_then(severity_of), Some(tag.severity));
            }
        }

        /// A level word first, after a time or as logfmt, in any usual
        /// case, is found whatever follows it.
        #[test]
        fn level_words_are_found_where_they_stand(
            word in prop::sample::select(vec!["ERROR", "warn", "Info", "DEBUG", "trace", "FATAL"]),
            at in 0..3usize,
            rest in "[ :\\]][ -~]{0,30}",
        ) {
            let text = match at {
                0 => format!("{word}{rest}"),
                1 => format!("12:01:02.123 [{word}]{rest}"),
                _ => format!("ts=1 level={word}{rest}"),
            };
            prop_assert_eq!(detect(&text).map(|t| t.severity), severity_of(word), "{}", text);
        }
    }
}
