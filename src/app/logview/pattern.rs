//! The patterns of search and filter: regular expressions with smart case.

use std::ops::Range;

use regex::{Regex, RegexBuilder};

/// Compiled patterns larger than this are refused (the regex crate's
/// own guard against patterns that would take too long to build).
const SIZE_LIMIT: usize = 4 * 1024 * 1024;

/// A regular expression as typed, compiled once.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// What was typed, `!` included for an inverted filter.
    pub text: String,
    regex: Regex,
    /// A filter pattern that starts with `!`: keeps lines that do not match.
    pub invert: bool,
}

impl Pattern {
    /// A search pattern. The error is the regex crate's, on one line.
    pub fn search(text: &str) -> Result<Self, String> {
        Ok(Self {
            text: text.to_string(),
            regex: compile(text)?,
            invert: false,
        })
    }

    /// A filter pattern: a leading `!` inverts it.
    pub fn filter(text: &str) -> Result<Self, String> {
        let (invert, body) = match text.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        Ok(Self {
            text: text.to_string(),
            regex: compile(body)?,
            invert,
        })
    }

    /// How many times the pattern matches `text`.
    pub fn count(&self, text: &str) -> u32 {
        self.regex
            .find_iter(text)
            .count()
            .try_into()
            .unwrap_or(u32::MAX)
    }

    /// Where the pattern matches `text`, in order.
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        self.regex.find_iter(text).map(|m| m.range()).collect()
    }

    /// Whether a filter keeps a line whose text is `text`.
    pub fn keeps(&self, text: &str) -> bool {
        self.regex.is_match(text) != self.invert
    }
}

fn compile(text: &str) -> Result<Regex, String> {
    RegexBuilder::new(text)
        .case_insensitive(!has_upper_case(text))
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| crate::text::one_line(&e.to_string()))
}

/// Smart case: whether the pattern names an upper-case letter itself, not
/// inside an escape (`\S`, `\p{Lu}`) or a group name (`(?P<Name>…)`).
pub fn has_upper_case(pattern: &str) -> bool {
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next();
                if matches!(escaped, Some('p' | 'P')) && chars.peek() == Some(&'{') {
                    chars.by_ref().find(|c| *c == '}');
                }
            }
            '(' if chars.peek() == Some(&'?') => {
                let mut ahead = chars.clone();
                ahead.next();
                if matches!(ahead.peek(), Some('P' | '<')) {
                    chars.by_ref().find(|c| *c == '>');
                }
            }
            c if c.is_uppercase() => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn smart_case_looks_at_letters_the_user_typed() {
        assert!(!has_upper_case("error"));
        assert!(has_upper_case("Error"));
        assert!(!has_upper_case(r"\S+\W\p{Lu}\P{Greek}"));
        assert!(!has_upper_case("(?P<Name>x)(?<Other>y)"));
        assert!(has_upper_case(r"\d+ MB"));
    }

    #[test]
    fn lower_case_patterns_match_any_case_and_upper_case_ones_exactly() {
        let lower = Pattern::search("error").unwrap();
        assert_eq!(lower.count("Error ERROR error"), 3);
        let upper = Pattern::search("ERROR").unwrap();
        assert_eq!(upper.count("Error ERROR error"), 1);
    }

    #[test]
    fn ranges_are_byte_ranges_in_order() {
        let p = Pattern::search("é+").unwrap();
        assert_eq!(p.ranges("aé bééc"), vec![1..3, 5..9]);
    }

    #[test]
    fn a_leading_bang_inverts_a_filter_only() {
        let keep = Pattern::filter("!health").unwrap();
        assert!(keep.invert);
        assert!(!keep.keeps("GET /health 200"));
        assert!(keep.keeps("GET /api 200"));
        let search = Pattern::search("!health").unwrap();
        assert_eq!(search.count("!health"), 1);
    }

    #[test]
    fn invalid_patterns_give_a_one_line_error() {
        let error = Pattern::search("a(b").unwrap_err();
        assert!(error.contains("unclosed group"), "{error}");
        assert!(!error.contains('\n'));
        assert!(Pattern::search("(a{1000}){1000}").is_err(), "too big");
    }

    proptest! {
        /// Any pattern: a value or an error, never a panic; a lower-case
        /// literal finds its upper-case spelling.
        #[test]
        fn any_pattern_compiles_or_errs(text in "\\PC{0,16}") {
            if let Ok(p) = Pattern::filter(&text) {
                let _ = p.count(&text);
            }
        }

        #[test]
        fn lower_case_literals_match_upper_case_text(word in "[a-z]{1,12}") {
            let p = Pattern::search(&word).unwrap();
            prop_assert_eq!(p.count(&word.to_uppercase()), 1);
        }
    }
}
