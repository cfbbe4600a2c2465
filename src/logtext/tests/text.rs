//! Text handling: UTF-8, tabs, carriage returns, empty lines.

use super::{clean, joined};
use crate::logtext::sanitize_line;
use crate::model::SgrColor;

#[test]
fn plain_ascii_is_one_span() {
    let spans = sanitize_line(b"GET /health 200 0.4ms");
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].text, "GET /health 200 0.4ms");
}

#[test]
fn empty_and_control_only_lines_give_no_spans() {
    assert!(sanitize_line(b"").is_empty());
    assert!(sanitize_line(b"\x1b[0m\x07\x1b[2K").is_empty());
}

#[test]
fn unicode_text_is_kept() {
    assert_eq!(clean("naïve 日本語 🚀".as_bytes()), "naïve 日本語 🚀");
}

#[test]
fn invalid_utf8_becomes_replacement_characters() {
    assert_eq!(clean(b"a\xffb\xc3c"), "a\u{fffd}b\u{fffd}c");
    assert_eq!(clean(b"end\xe2\x82"), "end\u{fffd}");
}

#[test]
fn raw_8bit_csi_byte_is_not_a_sequence() {
    // A lone 0x9B byte is invalid UTF-8: shown as U+FFFD, its "params" too.
    assert_eq!(clean(b"a\x9b31mb"), "a\u{fffd}31mb");
}

#[test]
fn invalid_utf8_inside_a_sequence_is_dropped_with_it() {
    assert_eq!(clean(b"a\x1b]0;ti\xfftle\x07b"), "ab");
}

#[test]
fn tabs_expand_to_the_next_stop() {
    assert_eq!(clean(b"\tx"), "        x");
    assert_eq!(clean(b"ab\tx"), "ab      x");
    assert_eq!(clean(b"abcdefgh\tx"), "abcdefgh        x");
    assert_eq!(clean(b"a\t\tx"), "a               x");
}

#[test]
fn tab_stops_count_display_columns() {
    // Wide CJK characters take two columns each.
    assert_eq!(clean("日本\tx".as_bytes()), "日本    x");
    // Escapes take none.
    assert_eq!(clean(b"\x1b[31mab\x1b[0m\tx"), "ab      x");
}

#[test]
fn carriage_return_keeps_the_last_redraw() {
    assert_eq!(clean(b"10%\r20%\r30%"), "30%");
    assert_eq!(clean(b"progress 10%\rdone"), "done");
}

#[test]
fn trailing_carriage_return_keeps_the_text() {
    assert_eq!(clean(b"loading 100%\r"), "loading 100%");
    assert_eq!(clean(b"a\rb\r\r"), "b");
    assert_eq!(clean(b"a\r\x1b[K"), "a");
}

#[test]
fn carriage_return_keeps_the_style_in_force() {
    let spans = sanitize_line(b"\x1b[32mold\rnew");
    assert_eq!(joined(&spans), "new");
    assert_eq!(spans[0].style.fg, Some(SgrColor::Indexed(2)));
}

#[test]
fn tab_after_carriage_return_starts_from_column_zero() {
    assert_eq!(clean(b"abc\r\tx"), "        x");
}

#[test]
fn mixed_line_from_a_real_logger() {
    let raw =
        b"\x1b]0;app\x07\x1b[2m2026-01-01\x1b[0m \x1b[1;33mWARN\x1b[0m\tslow \x1b[?25lquery\r\n";
    let spans = sanitize_line(raw);
    assert_eq!(joined(&spans), "2026-01-01 WARN slow query");
    assert!(spans[0].style.dim);
    assert_eq!(spans[2].text, "WARN");
    assert!(spans[2].style.bold);
    assert_eq!(spans[2].style.fg, Some(SgrColor::Indexed(3)));
}
