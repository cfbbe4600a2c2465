//! SLOWLOG GET replies: `[id, unix time, duration µs, [args...], addr, name]`.

use redis::Value;

use crate::model::SlowEntry;

/// How many entries a poll asks for.
pub const ENTRIES: usize = 10;
/// Longest command line shown, in characters.
const MAX_COMMAND_CHARS: usize = 120;

/// The entries of a SLOWLOG GET reply, newest first as the server sends them.
pub fn entries(reply: &Value) -> Vec<SlowEntry> {
    match reply {
        Value::Array(items) => items.iter().filter_map(entry).collect(),
        _ => Vec::new(),
    }
}

fn entry(value: &Value) -> Option<SlowEntry> {
    let Value::Array(fields) = value else {
        return None;
    };
    let args: Vec<String> = match fields.get(3)? {
        Value::Array(args) => args.iter().filter_map(text).collect(),
        _ => Vec::new(),
    };
    Some(SlowEntry {
        id: u64::try_from(int(fields.first()?)?).ok()?,
        at: int(fields.get(1)?)?,
        duration_us: u64::try_from(int(fields.get(2)?)?).unwrap_or(0),
        command: join_cut(&args, MAX_COMMAND_CHARS),
    })
}

fn int(value: &Value) -> Option<i64> {
    match value {
        Value::Int(n) => Some(*n),
        other => text(other)?.parse().ok(),
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::BulkString(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
        Value::SimpleString(s) => Some(s.clone()),
        Value::Int(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Joins arguments with spaces, cleaned as every text shown is (binary
/// values and escapes go), cut to `max` characters with a trailing `…`.
pub fn join_cut(args: &[String], max: usize) -> String {
    let joined = args.join(" ");
    let clean = crate::text::clean(&joined);
    if clean.chars().count() <= max {
        return clean.into_owned();
    }
    let mut cut: String = clean.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulk(s: &str) -> Value {
        Value::BulkString(s.as_bytes().to_vec())
    }

    #[test]
    fn entries_are_read_from_a_reply() {
        let reply = Value::Array(vec![Value::Array(vec![
            Value::Int(7),
            Value::Int(1_795_572_134),
            Value::Int(1500),
            Value::Array(vec![bulk("SET"), bulk("user:1"), bulk("x")]),
            bulk("172.17.0.1:50408"),
            bulk(""),
        ])]);
        let want = SlowEntry {
            id: 7,
            at: 1_795_572_134,
            duration_us: 1500,
            command: "SET user:1 x".into(),
        };
        assert_eq!(entries(&reply), [want]);
    }

    #[test]
    fn malformed_entries_are_skipped() {
        let reply = Value::Array(vec![Value::Int(1), Value::Array(vec![Value::Int(1)])]);
        assert!(entries(&reply).is_empty());
        assert!(entries(&Value::Nil).is_empty());
    }

    #[test]
    fn long_commands_are_cut_on_a_char_boundary() {
        let args = vec!["SET".to_string(), "ä".repeat(200)];
        let line = join_cut(&args, 10);
        assert_eq!(line.chars().count(), 10);
        assert_eq!(line, "SET äääää…");
        assert_eq!(join_cut(&["a\nb".to_string()], 10), "a b");
    }
}
