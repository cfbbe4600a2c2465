//! Every escape and control sequence but SGR is removed, with its payload.

use super::clean;

#[test]
fn cursor_erase_and_scroll_sequences_are_removed() {
    for seq in [
        &b"\x1b[2J"[..],
        b"\x1b[H",
        b"\x1b[10;20H",
        b"\x1b[K",
        b"\x1b[3A",
        b"\x1b[1;24r",
        b"\x1b[5S",
        b"\x1b[6n",
    ] {
        let mut raw = b"a".to_vec();
        raw.extend_from_slice(seq);
        raw.push(b'b');
        assert_eq!(clean(&raw), "ab", "{seq:?}");
    }
}

#[test]
fn private_modes_and_intermediates_are_removed() {
    assert_eq!(clean(b"a\x1b[?1049hb\x1b[?25lc\x1b[?2004h"), "abc");
    assert_eq!(clean(b"a\x1b[>4;2mb\x1b[2 qc\x1b[!pd"), "abcd");
}

#[test]
fn osc_title_is_removed_with_either_terminator() {
    assert_eq!(clean(b"a\x1b]0;evil title\x07b"), "ab");
    assert_eq!(clean(b"a\x1b]2;evil title\x1b\\b"), "ab");
    assert_eq!(clean("a\u{9d}0;evil\u{9c}b".as_bytes()), "ab");
}

#[test]
fn osc_52_clipboard_payload_never_shows() {
    let out = clean(b"before\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07after");
    assert_eq!(out, "beforeafter");
    assert!(!out.contains("Y3Vy"));
    let out = clean("x\u{9d}52;c;SECRETPAYLOAD\x07y".as_bytes());
    assert_eq!(out, "xy");
}

#[test]
fn osc_8_hyperlink_keeps_only_its_text() {
    let raw = b"see \x1b]8;;https://example.invalid/x\x1b\\the docs\x1b]8;;\x1b\\ now";
    assert_eq!(clean(raw), "see the docs now");
}

#[test]
fn dcs_sos_pm_apc_strings_are_removed() {
    assert_eq!(clean(b"a\x1bPq#0;2;0;0;0\x1b\\b"), "ab");
    assert_eq!(clean(b"a\x1bXsos text\x1b\\b"), "ab");
    assert_eq!(clean(b"a\x1b^pm text\x1b\\b"), "ab");
    assert_eq!(clean(b"a\x1b_Gf=100;AAAA\x1b\\b"), "ab");
    // BEL ends only OSC: inside DCS it is payload.
    assert_eq!(clean(b"a\x1bPdata\x07more\x1b\\b"), "ab");
}

#[test]
fn eight_bit_string_introducers_are_removed_with_payload() {
    for intro in ['\u{90}', '\u{98}', '\u{9e}', '\u{9f}'] {
        let raw = format!("a{intro}payload\u{9c}b");
        assert_eq!(clean(raw.as_bytes()), "ab", "{intro:?}");
    }
}

#[test]
fn two_byte_and_nf_escapes_are_removed() {
    assert_eq!(clean(b"a\x1b(Bb\x1b)0c"), "abc");
    assert_eq!(clean(b"a\x1b7b\x1b8c\x1bcd\x1b=e\x1b>f"), "abcdef");
    assert_eq!(clean(b"a\x1bMb\x1bDc\x1b#8d\x1b %Ge"), "abcde");
}

#[test]
fn other_c1_controls_are_removed() {
    let raw = "a\u{80}b\u{85}c\u{8d}d\u{9c}e\u{9f}".as_bytes();
    assert_eq!(clean(raw), "abcde");
}

#[test]
fn lone_trailing_esc_is_removed() {
    assert_eq!(clean(b"text\x1b"), "text");
    assert_eq!(clean(b"\x1b"), "");
}

#[test]
fn unterminated_sequences_drop_to_end_of_line() {
    assert_eq!(clean(b"a\x1b[12;3"), "a");
    assert_eq!(clean(b"a\x1b]0;title never ends"), "a");
    assert_eq!(clean(b"a\x1bPdcs never ends"), "a");
    assert_eq!(clean(b"a\x1b("), "a");
}

#[test]
fn esc_inside_a_string_starts_a_new_sequence() {
    // Terminals abort the OSC at the ESC and read `ESC [ 1 m` as SGR.
    assert_eq!(clean(b"a\x1b]0;t\x1b[1mb"), "ab");
}

#[test]
fn can_and_sub_cancel_a_sequence() {
    assert_eq!(clean(b"a\x1b[31\x18b"), "ab");
    assert_eq!(clean(b"a\x1b]0;t\x1ab"), "ab");
}

#[test]
fn text_breaking_a_sequence_ends_it_and_shows() {
    // A non-ASCII character cannot be part of a CSI: it ends the broken
    // sequence and is shown.
    assert_eq!(clean("a\x1b[1é".as_bytes()), "aé");
}

#[test]
fn c0_controls_backspace_and_del_are_removed() {
    let raw = b"a\x00b\x01c\x07d\x08e\x0bf\x0cg\x0eh\x1fi\x7fj";
    assert_eq!(clean(raw), "abcdefghij");
}

#[test]
fn controls_inside_a_csi_do_not_break_it() {
    assert_eq!(clean(b"a\x1b[1\x082mb"), "ab");
}

#[test]
fn bidi_controls_are_removed() {
    let raw = "a\u{202e}b\u{202a}c\u{2066}d\u{2069}e\u{200f}f\u{2028}g";
    assert_eq!(clean(raw.as_bytes()), "abcdefg");
}
