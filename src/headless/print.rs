//! How the headless commands write: every line through the one sanitiser
//! (`crate::text::clean`), so no name, health answer or message from the
//! stack can put an escape sequence, a control or a bidi control on stdout
//! or stderr, whether or not it is a terminal.

use std::io::Write;

use serde_json::Value;

use crate::text::{clean, clean_lines};

/// Prints one line on stdout, cleaned.
pub fn say(line: &str) {
    println!("{}", clean(line));
}

/// Writes one line, cleaned.
pub fn line(out: &mut impl Write, line: &str) -> std::io::Result<()> {
    writeln!(out, "{}", clean(line))
}

/// Prints an error on stderr, cleaned, its lines kept: the headless
/// commands' and the start-up's.
pub fn error(message: &str) {
    eprintln!("stacktop: {}", clean_lines(message));
}

/// Writes `document` as pretty JSON with every string in it (keys too)
/// cleaned: JSON would escape a C0 control, but not a C1 or a bidi control,
/// and a script printing a value would pass any of them on raw.
pub fn json(out: &mut impl Write, document: &impl serde::Serialize) -> std::io::Result<()> {
    let mut value = serde_json::to_value(document)?;
    clean_strings(&mut value);
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}

fn clean_strings(value: &mut Value) {
    match value {
        Value::String(text) => {
            if let std::borrow::Cow::Owned(cleaned) = clean(text) {
                *text = cleaned;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(clean_strings),
        Value::Object(fields) => {
            let dirty: Vec<String> = fields
                .keys()
                .filter(|k| matches!(clean(k), std::borrow::Cow::Owned(_)))
                .cloned()
                .collect();
            for key in dirty {
                if let Some(field) = fields.remove(&key) {
                    fields.insert(clean(&key).into_owned(), field);
                }
            }
            fields.values_mut().for_each(clean_strings);
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_and_keys_are_cleaned() {
        let document = serde_json::json!({
            "name": "q\u{1b}]0;owned\u{7}\u{9b}2J\u{202e}",
            "list": ["\u{2066}x"],
            "k\u{85}ey": 1,
        });
        let mut out = Vec::new();
        json(&mut out, &document).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\"name\": \"q<U+202E>\""), "{text}");
        assert!(text.contains("\"<U+2066>x\""), "{text}");
        assert!(text.contains("\"key\": 1"), "{text}");
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
    }
}
