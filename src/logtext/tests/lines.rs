//! Timestamps and line splitting.

use chrono::{TimeZone, Timelike, Utc};

use crate::logtext::{LineSplitter, MAX_LINE_BYTES, split_timestamp};

/// Feeds `chunks` through one splitter and collects every line.
fn split(chunks: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut splitter = LineSplitter::default();
    let mut lines = Vec::new();
    for chunk in chunks {
        splitter.feed(chunk, |line| lines.push(line.to_vec()));
    }
    splitter.finish(|line| lines.push(line.to_vec()));
    lines
}

#[test]
fn docker_timestamp_is_split_off() {
    let (ts, rest) = split_timestamp(b"2026-11-25T01:02:03.123456789Z hello world");
    let ts = ts.expect("timestamp");
    assert_eq!(
        ts.with_nanosecond(0),
        Utc.with_ymd_and_hms(2026, 11, 25, 1, 2, 3).single()
    );
    assert_eq!(ts.nanosecond(), 123_456_789);
    assert_eq!(rest, b"hello world");
}

#[test]
fn timestamp_with_offset_is_converted_to_utc() {
    let (ts, rest) = split_timestamp(b"2026-11-25T03:02:03+02:00 x");
    assert_eq!(ts, Utc.with_ymd_and_hms(2026, 11, 25, 1, 2, 3).single());
    assert_eq!(rest, b"x");
}

#[test]
fn timestamp_before_an_empty_line() {
    let (ts, rest) = split_timestamp(b"2026-11-25T01:02:03.5Z ");
    assert!(ts.is_some());
    assert_eq!(rest, b"");
}

#[test]
fn line_without_timestamp_is_left_whole() {
    for raw in [
        &b"hello world"[..],
        b"2026 was a year",
        b"",
        b"12345",
        b"\xff\xfe x",
    ] {
        assert_eq!(split_timestamp(raw), (None, raw));
    }
}

#[test]
fn lines_are_reassembled_across_chunks() {
    let lines = split(&[b"fir", b"st\nsec", b"ond\n", b"\nthird"]);
    assert_eq!(lines, [&b"first"[..], b"second", b"", b"third"]);
}

#[test]
fn crlf_endings_lose_their_cr_even_across_chunks() {
    let lines = split(&[b"one\r\ntwo\r", b"\nthree\r\n"]);
    assert_eq!(lines, [&b"one"[..], b"two", b"three"]);
}

#[test]
fn cr_inside_a_line_is_kept_for_the_sanitiser() {
    assert_eq!(split(&[b"10%\r20%\n"]), [b"10%\r20%"]);
}

#[test]
fn finish_emits_an_unterminated_last_line_once() {
    let mut splitter = LineSplitter::default();
    let mut lines = Vec::new();
    splitter.feed(b"a\nrest", |l| lines.push(l.to_vec()));
    splitter.finish(|l| lines.push(l.to_vec()));
    splitter.finish(|l| lines.push(l.to_vec()));
    assert_eq!(lines, [&b"a"[..], b"rest"]);
}

#[test]
fn over_long_line_is_cut_and_the_rest_dropped() {
    let long = vec![b'x'; MAX_LINE_BYTES + 100];
    let lines = split(&[&long, b"\nnext\n"]);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].len(), MAX_LINE_BYTES);
    assert_eq!(lines[1], b"next");
}

#[test]
fn over_long_line_in_one_chunk_is_cut() {
    let mut chunk = vec![b'y'; MAX_LINE_BYTES * 2];
    chunk.extend_from_slice(b"\nok\n");
    let lines = split(&[&chunk]);
    assert_eq!(lines[0].len(), MAX_LINE_BYTES);
    assert_eq!(lines[1], b"ok");
}

#[test]
fn over_long_line_across_many_chunks_is_cut() {
    let piece = vec![b'z'; 1000];
    let mut chunks: Vec<&[u8]> = vec![&piece; 40];
    chunks.push(b"tail\nafter");
    let lines = split(&chunks);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].len(), MAX_LINE_BYTES);
    assert_eq!(lines[1], b"after");
}

#[test]
fn cut_never_splits_a_utf8_character() {
    // "é" is two bytes; an odd prefix puts one across the limit.
    for prefix in 0..4 {
        let mut raw = vec![b'a'; prefix];
        while raw.len() < MAX_LINE_BYTES + 8 {
            raw.extend_from_slice("é€🚀".as_bytes());
        }
        raw.push(b'\n');
        let lines = split(&[&raw]);
        assert!(lines[0].len() <= MAX_LINE_BYTES);
        assert!(lines[0].len() > MAX_LINE_BYTES - 4);
        assert!(std::str::from_utf8(&lines[0]).is_ok(), "prefix {prefix}");
    }
}
