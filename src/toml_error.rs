//! Where a TOML file went wrong, as one line: `file:line:column: why`.
//! The config, theme and state files all report their mistakes this way.

use anyhow::anyhow;

/// One line naming the file, line and column of a TOML error.
pub fn toml_error(name: &str, text: &str, err: &toml::de::Error) -> anyhow::Error {
    let message = err.message().trim();
    match err.span() {
        Some(span) => {
            let (line, column) = line_column(text, span.start);
            anyhow!("{name}:{line}:{column}: {message}")
        }
        None => anyhow!("{name}: {message}"),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_column("ab\ncé d", 7), (2, 4));
        assert_eq!(line_column("x", 0), (1, 1));
    }
}
