//! Reading a line that is one JSON object (pino, bunyan, zap, logrus,
//! structlog, slog…) as `time level message key=value …`.
//!
//! A small scanner, not a JSON library: it runs once per line as lines
//! arrive, takes only the top-level members, and walks nested values with
//! a loop and a heap stack, so no nesting depth can overflow the call
//! stack. Anything that is not exactly one valid object gives `None`, and
//! the line is shown as it came. Long values are cut, with `…`.

use std::borrow::Cow;
use std::fmt::Write;

use chrono::{DateTime, Timelike, Utc};

use super::level::severity_of;
use crate::model::{LevelTag, Part, PartRole, Severity, Structured};
use scan::{string_end, value_end, ws};

/// Characters kept of a field's value.
const MAX_VALUE: usize = 200;
/// Characters kept of the message.
const MAX_MESSAGE: usize = 4000;
/// Fields shown after the message; the rest are counted.
const MAX_FIELDS: usize = 48;

const TIME_KEYS: &[&str] = &["time", "timestamp", "ts", "@timestamp", "datetime", "@t"];
const LEVEL_KEYS: &[&str] = &["level", "lvl", "severity", "loglevel", "levelname", "@l"];
const MESSAGE_KEYS: &[&str] = &["msg", "message", "event", "@m", "@mt"];

/// A JSON line read: its structured form, and its level with where the
/// level value is in the raw line.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonLine {
    pub structured: Structured,
    pub level: Option<LevelTag>,
}

/// One top-level member: its key unescaped, its value as raw text.
struct Member<'a> {
    key: Cow<'a, str>,
    value: &'a str,
    /// Byte offset of the value in the line.
    at: usize,
}

/// `text` read as one JSON object; `None` when it is not exactly one.
pub fn read(text: &str) -> Option<JsonLine> {
    let trimmed = text.trim_end();
    let start = text.len() - text.trim_start().len();
    if !trimmed.ends_with('}') || text.as_bytes().get(start) != Some(&b'{') {
        return None;
    }
    let members = members(text.as_bytes(), start)?;
    Some(render(text, &members))
}

/// The members of the object at `at`, if the whole line is that object.
fn members(bytes: &[u8], at: usize) -> Option<Vec<Member<'_>>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut members = Vec::with_capacity(16);
    let mut i = ws(bytes, at + 1);
    if bytes.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            let key_end = string_end(bytes, i)?;
            let key = shown(&text[i + 1..key_end - 1], MAX_VALUE);
            i = ws(bytes, key_end);
            if bytes.get(i) != Some(&b':') {
                return None;
            }
            let value_at = ws(bytes, i + 1);
            let value_end = value_end(bytes, value_at)?;
            members.push(Member {
                key,
                value: &text[value_at..value_end],
                at: value_at,
            });
            i = ws(bytes, value_end);
            match bytes.get(i)? {
                b',' => i = ws(bytes, i + 1),
                b'}' => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (ws(bytes, i) == bytes.len()).then_some(members)
}

/// A JSON string's inside as shown: borrowed when it is plain ASCII with
/// no escape and short enough (most keys and values), else unescaped.
fn shown(inner: &str, max: usize) -> Cow<'_, str> {
    if plain(inner, max) {
        return Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len().min(max));
    unescape_into(&mut out, inner, max);
    Cow::Owned(out)
}

/// Printable ASCII without escapes, at most `max` long: shown as it is.
fn plain(inner: &str, max: usize) -> bool {
    inner.len() <= max
        && inner
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b) && b != b'\\')
}

/// Appends the text of a JSON string's inside, unescaped, made safe to
/// show, and cut to `max` characters. Escapes may spell controls or bidi
/// overrides that the sanitiser never saw: they become spaces or go.
fn unescape_into(out: &mut String, inner: &str, max: usize) {
    if plain(inner, max) {
        out.push_str(inner);
        return;
    }
    let mut chars = inner.chars();
    let mut count = 0;
    while let Some(c) = chars.next() {
        let c = if c == '\\' {
            match chars.next() {
                Some('n' | 'r' | 't' | 'b' | 'f') => ' ',
                Some('u') => unicode_escape(&mut chars),
                Some(other) => other,
                None => break,
            }
        } else {
            c
        };
        if count == max {
            out.push('…');
            break;
        }
        if let Some(shown) = safe_char(c) {
            out.push(shown);
            count += 1;
        }
    }
}

/// `\uXXXX`, with a following low surrogate when this is a high one;
/// lone surrogates become U+FFFD.
fn unicode_escape(chars: &mut std::str::Chars<'_>) -> char {
    let hex = |chars: &mut std::str::Chars<'_>| -> Option<u32> {
        let digits: String = chars.by_ref().take(4).collect();
        u32::from_str_radix(&digits, 16).ok()
    };
    let Some(first) = hex(chars) else {
        return char::REPLACEMENT_CHARACTER;
    };
    if (0xD800..0xDC00).contains(&first) {
        let mut ahead = chars.clone();
        if ahead.next() == Some('\\')
            && ahead.next() == Some('u')
            && let Some(low) = hex(&mut ahead)
            && (0xDC00..0xE000).contains(&low)
        {
            *chars = ahead;
            let code = 0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00);
            return char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
        }
    }
    char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// What to show for `c`: controls become a space, characters that
/// reorder text are dropped.
fn safe_char(c: char) -> Option<char> {
    if c.is_control() {
        return Some(' ');
    }
    let reorders = matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
    ) || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c);
    (!reorders).then_some(c)
}

/// Builds the structured text: time, level, message, then the fields,
/// written straight into one string.
fn render(line: &str, members: &[Member<'_>]) -> JsonLine {
    let find = |keys: &[&str]| members.iter().position(|m| keys.contains(&m.key.as_ref()));
    let (time, level, message) = (find(TIME_KEYS), find(LEVEL_KEYS), find(MESSAGE_KEYS));
    let mut out = Builder::with_capacity(line.len());
    if let Some(m) = time.map(|i| &members[i]) {
        out.part(PartRole::Time, |s| write_time(s, m.value));
    }
    let mut tag = None;
    if let Some(m) = level.map(|i| &members[i]) {
        let severity = severity_in(m.value);
        out.part(PartRole::Level, |s| write_level(s, m.value, severity));
        tag = severity.and_then(|s| level_tag(line, m, s));
    }
    if let Some(m) = message.map(|i| &members[i]) {
        out.part(PartRole::Message, |s| write_value(s, m.value, MAX_MESSAGE));
    }
    let known = [time, level, message];
    let rest = members
        .iter()
        .enumerate()
        .filter(|(i, _)| !known.contains(&Some(*i)));
    for (shown, (_, member)) in rest.enumerate() {
        if shown == MAX_FIELDS {
            let left = members.len() - known.iter().flatten().count() - shown;
            out.plain(&format!(" …(+{left} fields)"));
            break;
        }
        out.field(&member.key, member.value);
    }
    JsonLine {
        structured: out.done(),
        level: tag,
    }
}

/// Where the level value is in the raw line (inside its quotes).
fn level_tag(line: &str, member: &Member<'_>, severity: Severity) -> Option<LevelTag> {
    let quoted = member.value.starts_with('"');
    let start = member.at + usize::from(quoted);
    let end = member.at + member.value.len() - usize::from(quoted);
    (end <= line.len()).then_some(())?;
    Some(LevelTag {
        severity,
        start: u16::try_from(start).ok()?,
        end: u16::try_from(end).ok()?,
    })
}

/// The inside of a JSON string value, or `None` for other values.
fn string_inside(raw: &str) -> Option<&str> {
    raw.strip_prefix('"').and_then(|r| r.strip_suffix('"'))
}

/// A string's text, or the raw JSON of anything else; cut to `max`.
fn write_value(out: &mut String, raw: &str, max: usize) {
    match string_inside(raw) {
        Some(inner) => unescape_into(out, inner, max),
        None => cut_into(out, raw, max),
    }
}

/// A field's value as `key=value` shows it: quoted when it holds spaces.
fn write_field(out: &mut String, raw: &str) {
    match string_inside(raw) {
        Some(inner) if inner.is_empty() || inner.contains([' ', '=']) => {
            out.push('"');
            unescape_into(out, inner, MAX_VALUE);
            out.push('"');
        }
        _ => write_value(out, raw, MAX_VALUE),
    }
}

/// Raw JSON text (a number, an object…) made safe and cut to `max`.
fn cut_into(out: &mut String, raw: &str, max: usize) {
    if plain(raw, max) {
        out.push_str(raw);
        return;
    }
    out.extend(raw.chars().filter_map(safe_char).take(max));
    if raw.chars().nth(max).is_some() {
        out.push('…');
    }
}

/// `12:01:02.123` for an RFC 3339 time or epoch seconds or milliseconds
/// (UTC, as the engine's timestamps are shown); else the value as given.
fn write_time(out: &mut String, raw: &str) {
    let parsed = match string_inside(raw) {
        Some(inner) => DateTime::parse_from_rfc3339(inner)
            .ok()
            .map(|t| t.with_timezone(&Utc)),
        None => raw.parse::<f64>().ok().and_then(epoch),
    };
    match parsed {
        // By hand: chrono's format() reads its pattern again each time.
        Some(t) => {
            let (h, m, s) = (t.hour(), t.minute(), t.second());
            let ms = t.timestamp_subsec_millis().min(999);
            let _ = write!(out, "{h:02}:{m:02}:{s:02}.{ms:03}");
        }
        None => write_value(out, raw, 40),
    }
}

/// Epoch seconds (zap, structlog) or milliseconds (pino, bunyan).
fn epoch(value: f64) -> Option<DateTime<Utc>> {
    let millis = if value > 1e11 { value } else { value * 1000.0 };
    if !millis.is_finite() || millis.abs() > 1e15 {
        return None;
    }
    DateTime::from_timestamp_millis(millis as i64)
}

/// The severity a level value names: a word, or pino's and bunyan's
/// numbers (10 trace … 50 error, 60 fatal).
fn severity_in(raw: &str) -> Option<Severity> {
    if let Some(inner) = string_inside(raw) {
        return severity_of(inner);
    }
    match raw.parse::<u32>() {
        Ok(n) if n >= 50 => Some(Severity::Error),
        Ok(n) if n >= 40 => Some(Severity::Warn),
        Ok(n) if n >= 30 => Some(Severity::Info),
        Ok(n) if n >= 20 => Some(Severity::Debug),
        Ok(_) => Some(Severity::Trace),
        Err(_) => None,
    }
}

/// The level as shown, five wide: `WARN `, or an unknown value upper-cased.
fn write_level(out: &mut String, raw: &str, severity: Option<Severity>) {
    let start = out.len();
    match severity {
        Some(s) => out.push_str(s.word()),
        None => {
            let mut text = String::new();
            write_value(&mut text, raw, 16);
            out.push_str(&text.to_uppercase());
        }
    }
    let written = out[start..].chars().count();
    out.extend(std::iter::repeat_n(' ', 5usize.saturating_sub(written)));
}

/// The structured text and its parts, as they are added.
struct Builder {
    out: Structured,
}

impl Builder {
    fn with_capacity(bytes: usize) -> Self {
        Self {
            out: Structured {
                text: String::with_capacity(bytes),
                parts: Vec::with_capacity(8),
            },
        }
    }

    /// A part after a space: `write` appends its text.
    fn part(&mut self, role: PartRole, write: impl FnOnce(&mut String)) {
        self.space();
        self.run(role, write);
    }

    fn run(&mut self, role: PartRole, write: impl FnOnce(&mut String)) {
        let start = self.out.text.len() as u32;
        write(&mut self.out.text);
        let end = self.out.text.len() as u32;
        if end > start {
            self.out.parts.push(Part { role, start, end });
        }
    }

    fn field(&mut self, key: &str, raw: &str) {
        self.part(PartRole::Key, |s| {
            s.push_str(key);
            s.push('=');
        });
        self.run(PartRole::Value, |s| write_field(s, raw));
    }

    fn plain(&mut self, text: &str) {
        self.out.text.push_str(text);
    }

    fn space(&mut self) {
        if !self.out.text.is_empty() {
            self.out.text.push(' ');
        }
    }

    fn done(self) -> Structured {
        self.out
    }
}

mod scan;
#[cfg(test)]
mod tests;
