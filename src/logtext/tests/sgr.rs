//! SGR sequences become styles.

use super::{clean, joined, only_style};
use crate::logtext::sanitize_line;
use crate::model::{SgrColor, SgrStyle};

fn fg(raw: &[u8]) -> Option<SgrColor> {
    only_style(raw).fg
}

fn bg(raw: &[u8]) -> Option<SgrColor> {
    only_style(raw).bg
}

#[test]
fn attributes_each_set_their_flag() {
    assert!(only_style(b"\x1b[1mx").bold);
    assert!(only_style(b"\x1b[2mx").dim);
    assert!(only_style(b"\x1b[3mx").italic);
    assert!(only_style(b"\x1b[4mx").underline);
    assert!(only_style(b"\x1b[7mx").reverse);
}

#[test]
fn attribute_resets_clear_their_flag() {
    assert_eq!(only_style(b"\x1b[1;21mx"), SgrStyle::default());
    assert_eq!(only_style(b"\x1b[1;2;22mx"), SgrStyle::default());
    assert_eq!(only_style(b"\x1b[3;23mx"), SgrStyle::default());
    assert_eq!(only_style(b"\x1b[4;24mx"), SgrStyle::default());
    assert_eq!(only_style(b"\x1b[7;27mx"), SgrStyle::default());
}

#[test]
fn reset_forms_all_clear_everything() {
    for reset in [&b"\x1b[0m"[..], b"\x1b[m", b"\x1b[;m", b"\x1b[00m"] {
        let mut raw = b"\x1b[1;4;31;42m".to_vec();
        raw.extend_from_slice(reset);
        raw.push(b'x');
        assert_eq!(only_style(&raw), SgrStyle::default(), "{reset:?}");
    }
}

#[test]
fn basic_and_bright_colours_map_to_the_first_16_indexes() {
    assert_eq!(fg(b"\x1b[30mx"), Some(SgrColor::Indexed(0)));
    assert_eq!(fg(b"\x1b[37mx"), Some(SgrColor::Indexed(7)));
    assert_eq!(fg(b"\x1b[90mx"), Some(SgrColor::Indexed(8)));
    assert_eq!(fg(b"\x1b[97mx"), Some(SgrColor::Indexed(15)));
    assert_eq!(bg(b"\x1b[40mx"), Some(SgrColor::Indexed(0)));
    assert_eq!(bg(b"\x1b[47mx"), Some(SgrColor::Indexed(7)));
    assert_eq!(bg(b"\x1b[100mx"), Some(SgrColor::Indexed(8)));
    assert_eq!(bg(b"\x1b[107mx"), Some(SgrColor::Indexed(15)));
}

#[test]
fn default_colour_codes_clear_only_their_colour() {
    let style = only_style(b"\x1b[1;31;42;39mx");
    assert_eq!(
        (style.fg, style.bg, style.bold),
        (None, Some(SgrColor::Indexed(2)), true)
    );
    let style = only_style(b"\x1b[31;42;49mx");
    assert_eq!((style.fg, style.bg), (Some(SgrColor::Indexed(1)), None));
}

#[test]
fn palette_colours_with_semicolons() {
    assert_eq!(fg(b"\x1b[38;5;208mx"), Some(SgrColor::Indexed(208)));
    assert_eq!(bg(b"\x1b[48;5;17mx"), Some(SgrColor::Indexed(17)));
}

#[test]
fn rgb_colours_with_semicolons() {
    assert_eq!(fg(b"\x1b[38;2;1;2;3mx"), Some(SgrColor::Rgb(1, 2, 3)));
    assert_eq!(
        bg(b"\x1b[48;2;255;128;0mx"),
        Some(SgrColor::Rgb(255, 128, 0))
    );
}

#[test]
fn colour_forms_with_colons() {
    assert_eq!(fg(b"\x1b[38:5:99mx"), Some(SgrColor::Indexed(99)));
    assert_eq!(
        fg(b"\x1b[38:2::10:20:30mx"),
        Some(SgrColor::Rgb(10, 20, 30))
    );
    assert_eq!(fg(b"\x1b[38:2:10:20:30mx"), Some(SgrColor::Rgb(10, 20, 30)));
    assert_eq!(bg(b"\x1b[48:2:0:1:2:3mx"), Some(SgrColor::Rgb(1, 2, 3)));
}

#[test]
fn codes_after_an_extended_colour_still_apply() {
    let style = only_style(b"\x1b[38;5;1;1;48;2;4;5;6;4mx");
    assert_eq!(style.fg, Some(SgrColor::Indexed(1)));
    assert_eq!(style.bg, Some(SgrColor::Rgb(4, 5, 6)));
    assert!(style.bold && style.underline);
    let style = only_style(b"\x1b[38:5:3;1mx");
    assert_eq!((style.fg, style.bold), (Some(SgrColor::Indexed(3)), true));
}

#[test]
fn out_of_range_or_incomplete_colours_are_ignored() {
    assert_eq!(fg(b"\x1b[38;5;256mx"), None);
    assert_eq!(fg(b"\x1b[38;2;1;2;300mx"), None);
    assert_eq!(fg(b"\x1b[38;2;1;2mx"), None);
    assert_eq!(fg(b"\x1b[38;5mx"), None);
    assert_eq!(fg(b"\x1b[38mx"), None);
    assert_eq!(fg(b"\x1b[38;9;1mx"), None);
    assert_eq!(fg(b"\x1b[99999999999999999999mx"), None);
}

#[test]
fn unknown_codes_are_ignored_but_known_ones_kept() {
    let style = only_style(b"\x1b[5;1;53;6mx");
    assert_eq!(
        style,
        SgrStyle {
            bold: true,
            ..SgrStyle::default()
        }
    );
}

#[test]
fn underline_sub_parameters() {
    assert!(only_style(b"\x1b[4:3mx").underline);
    assert!(!only_style(b"\x1b[4;4:0mx").underline);
}

#[test]
fn styles_split_text_into_spans() {
    let spans = sanitize_line(b"a\x1b[31mb\x1b[0mc");
    assert_eq!(joined(&spans), "abc");
    assert_eq!(spans.len(), 3);
    assert_eq!(spans[1].style.fg, Some(SgrColor::Indexed(1)));
    assert_eq!(spans[2].style, SgrStyle::default());
}

#[test]
fn same_style_text_is_merged_across_sequences() {
    let spans = sanitize_line(b"a\x1b[31m\x1b[0mb\x1b[1m\x1b[22mc\x1b[K d");
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].text, "abc d");
}

#[test]
fn sgr_with_private_marker_or_intermediate_is_not_a_style() {
    assert_eq!(only_style(b"\x1b[>1mx"), SgrStyle::default());
    assert_eq!(only_style(b"\x1b[?1mx"), SgrStyle::default());
    assert_eq!(only_style(b"\x1b[1 mx"), SgrStyle::default());
}

#[test]
fn eight_bit_csi_sgr_is_a_style_too() {
    assert!(only_style("\u{9b}1mx".as_bytes()).bold);
    assert_eq!(clean("\u{9b}1mx".as_bytes()), "x");
}

#[test]
fn a_style_with_no_text_after_it_leaves_no_span() {
    assert!(sanitize_line(b"\x1b[31m").is_empty());
    assert_eq!(sanitize_line(b"a\x1b[31m").len(), 1);
}
