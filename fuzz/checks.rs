//! What the fuzz targets check, shared with the corpus replay in CI.

use stacktop::config::file::parse;
use stacktop::config::keys::keymap;
use stacktop::keymap::{Action, key_label, parse_key};
use stacktop::logtext::{LineSplitter, json, sanitize_line, split_timestamp};
use stacktop::text::{clean, clean_lines, fit};
use stacktop::theme::Theme;

/// A bidi embedding, override, isolate or mark, or a Unicode line break:
/// what no sanitised text may hold.
pub fn reorders(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}'
    )
}

/// Splits and sanitises `data` (in two chunks, so partial lines and split
/// sequences are covered) as log lines, and cleans it as text; panics if a
/// control character, an escape or a bidi override gets through.
pub fn sanitizer(data: &[u8]) {
    let mut splitter = LineSplitter::default();
    let mut check = |line: &[u8]| {
        let (_, rest) = split_timestamp(line);
        for span in sanitize_line(rest) {
            for c in span.text.chars() {
                assert!(!c.is_control(), "control char {c:?} got through");
                let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
                assert!(!bidi, "bidi override got through");
            }
        }
    };
    let cut = data.first().map_or(0, |b| *b as usize % (data.len() + 1));
    splitter.feed(&data[..cut], &mut check);
    splitter.feed(&data[cut..], &mut check);
    splitter.finish(&mut check);
    text(&String::from_utf8_lossy(data));
}

/// Cleans `data` as every other text stacktop prints is cleaned; panics
/// if a control character (but a newline between lines), an escape or a
/// bidi control gets through.
fn text(data: &str) {
    let width = data.len() % 50;
    for (out, newlines) in [
        (clean(data).into_owned(), false),
        (fit(data, width), false),
        (clean_lines(data).into_owned(), true),
    ] {
        for c in out.chars() {
            assert!(
                !c.is_control() || (newlines && c == '\n'),
                "control char {c:?} got through in {out:?}"
            );
            assert!(!reorders(c), "bidi control {c:?} got through in {out:?}");
        }
    }
}

/// Parses `data` as a config file and as a theme: a value or an error,
/// never a panic; config errors name the file.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = parse(&text, "fuzz.toml") {
        assert!(e.to_string().starts_with("fuzz.toml"), "{e}");
    }
    let _ = Theme::parse(&text, None);
}

/// Reads `data` as a key the way the config file writes one, alone and
/// as the key of an action in a `[keys]` table: a key or an error, never a
/// panic. A key read is labelled without a control character and is the
/// action's key after; an error in the file names its line and column.
pub fn key(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = parse_key(&text);
    if let Ok(key) = &parsed {
        let label = key_label(key);
        assert!(!label.chars().any(char::is_control), "label {label:?}");
    }
    let file = format!("[keys]\nrestart = {}\n", quoted(&text));
    match (keymap(&file, "fuzz.toml"), parsed) {
        (Ok(keys), Ok(key)) => {
            let restart = keys.bindings().iter().find(|b| b.action == Action::Restart);
            assert_eq!(restart.map(|b| b.keys.as_slice()), Some(&[key][..]));
        }
        (Ok(_), Err(why)) => panic!("{text:?} was taken as a key in a file, not alone: {why}"),
        (Err(e), _) => assert!(e.to_string().starts_with("fuzz.toml:2:"), "{e}"),
    }
}

/// `text` as a TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reads `data` (sanitised first, as log lines are) as a JSON log line:
/// never a panic; what is read holds no control character, its parts lie
/// in order on character boundaries, its level tag inside the line; and
/// every object serde_json accepts is read.
pub fn json_line(data: &[u8]) {
    let text: String = sanitize_line(data).into_iter().map(|s| s.text).collect();
    let read = json::read(&text);
    let object = matches!(
        serde_json::from_str::<serde_json::Value>(&text),
        Ok(serde_json::Value::Object(_))
    );
    assert!(
        read.is_some() || !object,
        "a valid object was not read: {text:?}"
    );
    let Some(read) = read else {
        return;
    };
    let s = &read.structured;
    let mut last = 0;
    for part in &s.parts {
        assert!(part.start >= last && part.end > part.start, "{s:?}");
        assert!(s.text.is_char_boundary(part.start as usize), "{s:?}");
        assert!(s.text.is_char_boundary(part.end as usize), "{s:?}");
        last = part.end;
    }
    assert!(last as usize <= s.text.len(), "{s:?}");
    assert!(
        !s.text.chars().any(char::is_control),
        "control char in {s:?}"
    );
    if let Some(tag) = read.level {
        let range = usize::from(tag.start)..usize::from(tag.end);
        assert!(text.get(range).is_some(), "level tag off the line: {tag:?}");
    }
}

/// Reads `data` as a compose file is read; panics if reading panics, takes
/// long, or accepts what its bounds refuse.
pub fn compose_yaml(data: &[u8]) {
    use stacktop::compose::yaml::{MAX_BYTES, parse};
    let text = String::from_utf8_lossy(data);
    let started = std::time::Instant::now();
    let read = parse(&text);
    let took = started.elapsed();
    assert!(
        took.as_secs() < 2,
        "reading {} bytes took {took:?}",
        text.len()
    );
    if read.is_ok() {
        assert!(
            text.len() <= MAX_BYTES,
            "a file over the size bound was read"
        );
    }
}
