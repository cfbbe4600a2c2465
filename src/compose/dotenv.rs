//! `.env` files as Compose reads them.
//!
//! Written here rather than taken from a dotenv crate because Compose's
//! rules are its own, and a `.env` that Compose accepts must never be an
//! error: an unquoted value runs to the end of the line, spaces included
//! (`ORG=Default Organization`), and a comment needs a space before its `#`;
//! `export` is allowed; single quotes are literal; double quotes take
//! escapes (`\n`, `\t`, `\"`, `\$`…) and may span lines; unquoted and
//! double-quoted values are interpolated (`${VAR:-default}`), from the
//! process environment first, then from the lines above; a bare `KEY` takes
//! the process environment's value; `KEY: value` works as `KEY=value`.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use super::interpolate::interpolate_with;

/// A line Compose would refuse, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotenvError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for DotenvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// The variables of `text` in file order. `outside` looks a name up in the
/// process environment: it wins in interpolation and feeds bare `KEY` lines.
pub fn parse(
    text: &str,
    outside: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(String, String)>, DotenvError> {
    // A byte-order mark, as Windows editors save, is no part of the first
    // key (compose-go skips it too).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader {
        chars: text.chars().collect(),
        at: 0,
        line: 1,
        column: 1,
    };
    let mut out: Vec<(String, String)> = Vec::new();
    while reader.next_statement() {
        let (line, column) = (reader.line, reader.column);
        let fail = |message: String| DotenvError {
            line,
            column,
            message,
        };
        let (key, inherited) = reader.key().map_err(fail)?;
        if inherited {
            if let Some(value) = outside(&key) {
                set(&mut out, key, value);
            }
            continue;
        }
        let lookup = |name: &str| {
            outside(name).or_else(|| {
                out.iter()
                    .rev()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            })
        };
        let value = reader.value(&lookup).map_err(fail)?;
        set(&mut out, key, value);
    }
    Ok(out)
}

/// Reads one env file; errors name the file, line and column.
pub fn read(
    path: &Path,
    outside: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
    parse(&text, outside).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))
}

/// The process environment `os` with the env files under it: a variable
/// set in the process wins, and a later file wins over an earlier one.
pub fn environment(
    os: &HashMap<String, String>,
    files: &[&Path],
) -> anyhow::Result<HashMap<String, String>> {
    let mut env: HashMap<String, String> = HashMap::new();
    for file in files {
        // A later file sees the earlier files' variables; the process's
        // still win, as with `docker compose config`.
        let vars = {
            let outside = |name: &str| os.get(name).or_else(|| env.get(name)).cloned();
            read(file, &outside)?
        };
        env.extend(vars);
    }
    env.extend(os.iter().map(|(k, v)| (k.clone(), v.clone())));
    Ok(env)
}

fn set(out: &mut Vec<(String, String)>, key: String, value: String) {
    match out.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => out.push((key, value)),
    }
}

/// A cursor over the text that knows its line and column.
struct Reader {
    chars: Vec<char>,
    at: usize,
    line: usize,
    column: usize,
}

/// Blanks inside a line: never a line break.
fn is_blank(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{b}' | '\u{c}' | '\r' | '\u{85}' | '\u{a0}'
    )
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_blanks(&mut self) {
        while self.peek().is_some_and(is_blank) {
            self.bump();
        }
    }

    /// Moves to the start of the next statement, past blank lines and
    /// comment lines; false at the end.
    fn next_statement(&mut self) -> bool {
        loop {
            while self.peek().is_some_and(char::is_whitespace) {
                self.bump();
            }
            match self.peek() {
                None => return false,
                Some('#') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                Some(_) => return true,
            }
        }
    }

    fn starts_with(&self, word: &str) -> bool {
        word.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.at + i) == Some(&c))
    }

    /// The key, and whether it stands alone on its line (inherited).
    fn key(&mut self) -> Result<(String, bool), String> {
        let after_export = self.chars.get(self.at + 6).copied();
        if self.starts_with("export") && after_export.is_some_and(is_blank) {
            for _ in 0..6 {
                self.bump();
            }
            self.skip_blanks();
        }
        let mut key = String::new();
        loop {
            match self.peek() {
                None | Some('\n') => return Ok((checked(key)?, true)),
                Some('=' | ':') => {
                    self.bump();
                    self.skip_blanks();
                    return Ok((checked(key)?, false));
                }
                Some(c) if is_blank(c) || is_key_char(c) => {
                    key.push(c);
                    self.bump();
                }
                Some(c) => {
                    return Err(format!(
                        "unexpected character {c:?} in variable name {:?}",
                        format!("{key}{c}")
                    ));
                }
            }
        }
    }

    fn value(&mut self, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
        let expand = |text: &str| interpolate_with(text, lookup).map_err(|e| format!("{e:#}"));
        match self.peek() {
            Some('\'') => self.quoted('\''),
            Some('"') => expand(&unescape(&self.quoted('"')?)),
            _ => {
                let mut line = String::new();
                while let Some(c) = self.peek().filter(|c| *c != '\n') {
                    line.push(c);
                    self.bump();
                }
                let value = line.split(" #").next().unwrap_or_default();
                expand(value.trim_end())
            }
        }
    }

    /// The text between `quote` and its closing twin, which may be lines
    /// away; a backslash before the quote drops, any other stays.
    fn quoted(&mut self, quote: char) -> Result<String, String> {
        self.bump();
        let mut out = String::new();
        let mut escaped = false;
        while let Some(c) = self.bump() {
            if escaped {
                escaped = false;
                if c != quote {
                    out.push('\\');
                }
                out.push(c);
            } else if c == '\\' {
                escaped = true;
            } else if c == quote {
                return Ok(out);
            } else {
                out.push(c);
            }
        }
        Err(format!("unterminated quoted value (no closing {quote})"))
    }
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']')
}

fn checked(key: String) -> Result<String, String> {
    let key = key.trim_end().to_string();
    if key.is_empty() {
        return Err("a line with no variable name".to_string());
    }
    if key.contains(char::is_whitespace) {
        return Err(format!("variable name {key:?} contains a space"));
    }
    Ok(key)
}

/// The escapes of a double-quoted value: `\n`, `\t` and the like; `\$` is
/// a literal dollar (`$$` for interpolation); `\0NNN` is octal; any other
/// backslash stays as it is.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let replaced = match chars.peek().copied() {
            Some('a') => "\u{7}".to_string(),
            Some('b') => "\u{8}".to_string(),
            Some('f') => "\u{c}".to_string(),
            Some('n') => "\n".to_string(),
            Some('r') => "\r".to_string(),
            Some('t') => "\t".to_string(),
            Some('v') => "\u{b}".to_string(),
            Some('\\') => "\\".to_string(),
            Some('"') => "\"".to_string(),
            Some('$') => "$$".to_string(),
            Some('0') => {
                chars.next();
                out.push(octal(&mut chars));
                continue;
            }
            _ => {
                out.push('\\');
                continue;
            }
        };
        chars.next();
        out.push_str(&replaced);
    }
    out
}

/// Up to three octal digits after `\0`.
fn octal(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> char {
    let mut value = 0u32;
    for _ in 0..3 {
        match chars.peek().and_then(|c| c.to_digit(8)) {
            Some(d) => {
                value = value * 8 + d;
                chars.next();
            }
            None => break,
        }
    }
    char::from_u32(value).unwrap_or('\0')
}

#[cfg(test)]
mod tests;
