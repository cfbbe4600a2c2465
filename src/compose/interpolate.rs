//! Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`,
//! `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`,
//! `${VAR+alt}` and `$$` for a literal `$`. Defaults may hold variables.

use std::collections::HashMap;

use anyhow::{anyhow, bail};
use serde_json::Value;

/// Interpolates every string in `value`, keys left as they are.
pub fn interpolate_value(value: &mut Value, vars: &HashMap<String, String>) -> anyhow::Result<()> {
    match value {
        Value::String(s) => *s = interpolate(s, vars)?,
        Value::Array(items) => {
            for item in items {
                interpolate_value(item, vars)?;
            }
        }
        Value::Object(map) => {
            for item in map.values_mut() {
                interpolate_value(item, vars)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// One string with its variables replaced.
pub fn interpolate(text: &str, vars: &HashMap<String, String>) -> anyhow::Result<String> {
    interpolate_with(text, &|name| vars.get(name).cloned())
}

/// One string with its variables replaced, each looked up with `lookup`.
pub fn interpolate_with(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('{') {
            let end = closing_brace(inner).ok_or_else(|| anyhow!("unclosed `${{` in {text:?}"))?;
            out.push_str(&braced(&inner[..end], lookup)?);
            rest = &inner[end + 1..];
        } else {
            let len = name_len(after);
            if len == 0 {
                // A lone `$` before something that is no name stays as is.
                out.push('$');
            } else {
                out.push_str(&lookup(&after[..len]).unwrap_or_default());
            }
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Index of the `}` closing a `${`, found as compose-go finds it: every
/// `{` opens one more (so `${A:-{"json":1}}` closes at its last brace), and
/// the byte after a `{` is passed over, the name's first byte included.
fn closing_brace(inner: &str) -> Option<usize> {
    let bytes = inner.as_bytes();
    let mut depth = 1usize;
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'}' if depth == 1 => return Some(i),
            b'}' => depth -= 1,
            b'{' => {
                depth += 1;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn name_len(text: &str) -> usize {
    text.char_indices()
        .find(|&(i, c)| !(c == '_' || c.is_ascii_alphanumeric()) || (i == 0 && c.is_ascii_digit()))
        .map_or(text.len(), |(i, _)| i)
}

/// The value of `${...}` with the braces taken off.
fn braced(expr: &str, lookup: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<String> {
    let len = name_len(expr);
    if len == 0 {
        bail!("invalid interpolation `${{{expr}}}`");
    }
    let (name, modifier) = expr.split_at(len);
    let value = lookup(name);
    let set = value.is_some();
    let non_empty = value.as_ref().is_some_and(|v| !v.is_empty());
    let own = || value.clone().unwrap_or_default();
    let (op, arg) = match modifier.as_bytes() {
        [] => return Ok(own()),
        [b':', op, ..] => ((true, *op), &modifier[2..]),
        [op, ..] => ((false, *op), &modifier[1..]),
    };
    let present = if op.0 { non_empty } else { set };
    match op.1 {
        b'-' if present => Ok(own()),
        b'-' => interpolate_with(arg, lookup),
        b'+' if present => interpolate_with(arg, lookup),
        b'+' => Ok(String::new()),
        b'?' if present => Ok(own()),
        b'?' => {
            let message = interpolate_with(arg, lookup)?;
            bail!("required variable {name} is missing a value: {message}")
        }
        _ => bail!("invalid interpolation `${{{expr}}}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> HashMap<String, String> {
        [("SET", "yes"), ("EMPTY", ""), ("PORT", "5432")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn plain_and_braced_variables() {
        let v = vars();
        assert_eq!(interpolate("a $SET b ${SET}c", &v).unwrap(), "a yes b yesc");
        assert_eq!(interpolate("${MISSING}|$MISSING", &v).unwrap(), "|");
        assert_eq!(
            interpolate("127.0.0.1:${PORT}:5432", &v).unwrap(),
            "127.0.0.1:5432:5432"
        );
    }

    #[test]
    fn defaults_tell_unset_from_empty() {
        let v = vars();
        assert_eq!(interpolate("${EMPTY:-d}", &v).unwrap(), "d");
        assert_eq!(interpolate("${EMPTY-d}", &v).unwrap(), "");
        assert_eq!(interpolate("${MISSING-d}", &v).unwrap(), "d");
        assert_eq!(interpolate("${SET:-d}", &v).unwrap(), "yes");
        assert_eq!(interpolate("${MISSING:-${SET}x}", &v).unwrap(), "yesx");
        assert_eq!(interpolate("${SET:+alt}${MISSING+alt}", &v).unwrap(), "alt");
    }

    #[test]
    fn a_default_may_hold_braces() {
        // compose-go's template tests: a JSON default keeps its braces.
        let none = HashMap::new();
        assert_eq!(
            interpolate(r#"${A:-{"json":1}}"#, &none).unwrap(),
            r#"{"json":1}"#
        );
        assert_eq!(interpolate("${A:-${B:-b}}c", &none).unwrap(), "bc");
    }

    #[test]
    fn dollar_dollar_is_a_literal_dollar() {
        let v = vars();
        assert_eq!(
            interpolate("echo $$HOME $$((1+2))", &v).unwrap(),
            "echo $HOME $((1+2))"
        );
        assert_eq!(interpolate("cost: 5$", &v).unwrap(), "cost: 5$");
    }

    #[test]
    fn required_variables_and_bad_syntax_fail() {
        let v = vars();
        let err = interpolate("${MISSING:?set it}", &v)
            .unwrap_err()
            .to_string();
        assert!(err.contains("MISSING") && err.contains("set it"), "{err}");
        assert!(interpolate("${SET", &v).is_err());
        assert!(interpolate("${}", &v).is_err());
    }
}
