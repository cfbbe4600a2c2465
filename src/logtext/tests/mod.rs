//! Tests of the log sanitiser and line splitting.

mod lines;
mod property;
mod sgr;
mod strip;
mod text;

use super::sanitize_line;
use crate::model::{SgrStyle, StyledSpan};

/// Plain text of sanitised spans.
fn joined(spans: &[StyledSpan]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// Sanitises `raw`, checks the output invariants, and returns its text.
fn clean(raw: &[u8]) -> String {
    let spans = sanitize_line(raw);
    assert_safe(&spans, raw);
    joined(&spans)
}

/// The style of a line that must come out as exactly one span.
fn only_style(raw: &[u8]) -> SgrStyle {
    let spans = sanitize_line(raw);
    assert_eq!(spans.len(), 1, "one span expected for {raw:?}: {spans:?}");
    spans[0].style
}

/// What every output must satisfy: nothing the terminal would act on, no
/// empty spans, and no two neighbours with the same style.
fn assert_safe(spans: &[StyledSpan], raw: &[u8]) {
    for span in spans {
        assert!(!span.text.is_empty(), "empty span from {raw:?}");
        if let Some(bad) = span.text.chars().find(|c| is_unsafe(*c)) {
            panic!("{bad:?} survived in {spans:?} from {raw:?}");
        }
    }
    for pair in spans.windows(2) {
        assert_ne!(pair[0].style, pair[1].style, "unmerged spans from {raw:?}");
    }
}

/// Controls (C0 including tab, DEL, C1) and characters that reorder text.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
        )
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}
