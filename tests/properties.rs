#![allow(clippy::unwrap_used)]
//! Property tests: the log window stays bounded and ordered whatever
//! arrives, and the sanitisers (of log lines, and of every other text that
//! leaves stacktop) never let an escape, a control or a bidi control
//! through; the `.env` parser never panics and reads back what it wrote.

use chrono::DateTime;
use proptest::prelude::*;

use stacktop::logtext::sanitize_line;
use stacktop::model::{LogBuffer, LogLine};
use stacktop::text::{clean, clean_lines, fit, fit_middle, fit_right, one_line};

#[path = "../fuzz/checks.rs"]
#[allow(dead_code)]
mod checks;
use checks::reorders;

/// Pieces that make a sanitiser's life hard: introducers and terminators
/// of sequences in 7-bit and 8-bit form, parameters, C0 and C1 controls,
/// bidi controls, line breaks, wide and combining characters.
const PIECES: &[&str] = &[
    "\x1b", "[", "]", "P", "_", "^", "\\", "\x07", ";", "0", "2", "m", "J", "?", "\t", "\n", "\r",
    "\x18", "\x7f", "\0", "\u{85}", "\u{9b}", "\u{9c}", "\u{9d}", "\u{90}", "\u{202a}", "\u{202e}",
    "\u{2066}", "\u{2069}", "\u{200f}", "\u{2028}", "a", "Z", " ", "日", "e\u{301}", "0;title",
];

/// Strings made of [`PIECES`], or any string at all.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(proptest::sample::select(PIECES), 0..60)
            .prop_map(|pieces| pieces.concat()),
        any::<String>(),
    ]
}

/// Fails unless `text` holds no C0 control (but newlines, when
/// `newlines`), no DEL, no C1 control and no bidi control.
fn assert_printable(text: &str, newlines: bool) -> Result<(), TestCaseError> {
    for c in text.chars() {
        let allowed = newlines && c == '\n';
        prop_assert!(allowed || !c.is_control(), "control {:?} in {:?}", c, text);
        prop_assert!(!reorders(c), "bidi control {:?} in {:?}", c, text);
    }
    Ok(())
}

fn line(secs: i64, source: usize) -> LogLine {
    LogLine {
        timestamp: DateTime::from_timestamp(secs, 0),
        source,
        ..LogLine::default()
    }
}

fn times(buffer: &LogBuffer) -> Vec<i64> {
    buffer
        .iter()
        .map(|l| l.timestamp.map_or(-1, |t| t.timestamp()))
        .collect()
}

proptest! {
    /// Whatever the order lines arrive in, the window never exceeds its
    /// capacity, is in time order, and counts every line it let go.
    #[test]
    fn window_is_bounded_ordered_and_counts_drops(
        capacity in 1usize..64,
        stamps in proptest::collection::vec(0i64..1_000, 0..400),
    ) {
        let mut buffer = LogBuffer::new(capacity);
        for (i, secs) in stamps.iter().enumerate() {
            buffer.push(line(*secs, i % 3));
        }
        prop_assert!(buffer.len() <= capacity);
        prop_assert_eq!(buffer.len() as u64 + buffer.dropped(), stamps.len() as u64);
        let kept = times(&buffer);
        prop_assert!(kept.windows(2).all(|w| w[0] <= w[1]), "{:?}", kept);
    }

    /// Merging several services' streams, each in order, gives the newest
    /// `capacity` lines of all of them, in time order.
    #[test]
    fn merged_streams_keep_the_newest_lines_in_order(
        capacity in 1usize..50,
        streams in proptest::collection::vec(
            proptest::collection::vec(0i64..500, 0..60), 1..5),
    ) {
        let mut buffer = LogBuffer::new(capacity);
        let mut all: Vec<i64> = Vec::new();
        let mut sorted_streams: Vec<Vec<i64>> = streams
            .into_iter()
            .map(|mut s| { s.sort_unstable(); s })
            .collect();
        // Interleave: one line from each stream in turn, as batches arrive.
        let longest = sorted_streams.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..longest {
            for (source, stream) in sorted_streams.iter_mut().enumerate() {
                if let Some(secs) = stream.get(i) {
                    buffer.push(line(*secs, source));
                    all.push(*secs);
                }
            }
        }
        all.sort_unstable();
        let newest: Vec<i64> = all[all.len().saturating_sub(capacity)..].to_vec();
        let kept = times(&buffer);
        prop_assert!(kept.windows(2).all(|w| w[0] <= w[1]));
        // Lines of equal time may be kept in another mix, but the times
        // kept are exactly the newest ones.
        prop_assert_eq!(kept, newest);
    }

    /// No byte sequence makes the sanitiser panic or emit a control
    /// character, an escape, a C1 control or a bidi override.
    #[test]
    fn sanitised_text_holds_no_control_or_escape(raw in proptest::collection::vec(any::<u8>(), 0..300)) {
        let spans = sanitize_line(&raw);
        for span in spans {
            for c in span.text.chars() {
                prop_assert!(!c.is_control(), "control {:?} in {:?}", c, span.text);
                let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
                prop_assert!(!bidi, "bidi override in {:?}", span.text);
            }
        }
    }

    /// No string makes the text sanitiser panic or let a control, an
    /// escape, a C1 control or a bidi control through; nor do the helpers
    /// that fit text to a width or put it on one line.
    #[test]
    fn cleaned_text_holds_no_control_or_bidi(text in hostile(), cells in 0usize..40) {
        assert_printable(&clean(&text), false)?;
        assert_printable(&one_line(&text), false)?;
        assert_printable(&clean_lines(&text), true)?;
        prop_assert_eq!(clean_lines(&text).split('\n').count(), text.split('\n').count());
        for fitted in [fit(&text, cells), fit_middle(&text, cells), fit_right(&text, cells)] {
            assert_printable(&fitted, false)?;
            prop_assert_eq!(stacktop::text::width(&fitted), cells);
        }
    }
}

/// A value written as a double-quoted `.env` value: the escapes the parser
/// reads back (`\\`, `\"`, `\$`, `\n`, `\r`, `\t`), everything else as is.
fn dotenv_quoted(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever a `.env` holds, reading it ends in values or an error.
    #[test]
    fn dotenv_never_panics(text in prop_oneof![
        any::<String>(),
        proptest::collection::vec(prop_oneof![
            Just("A"), Just("="), Just("\""), Just("'"), Just("\\"), Just("$"), Just("{"),
            Just("}"), Just(":-"), Just("\n"), Just("\r"), Just("#"), Just(" "), Just("export "),
            Just("\u{feff}"), Just("\\0"), Just("7"),
        ], 0..40).prop_map(|p| p.concat()),
    ]) {
        let _ = stacktop::compose::dotenv::parse(&text, &|_| None);
    }

    /// Values written back as double-quoted lines read as they were.
    #[test]
    fn dotenv_reads_back_what_it_wrote(
        pairs in proptest::collection::btree_map("[A-Z_][A-Z0-9_]{0,8}", any::<String>(), 0..6)
    ) {
        let text: String = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}\n", dotenv_quoted(v)))
            .collect();
        let read = stacktop::compose::dotenv::parse(&text, &|_| None);
        let read: std::collections::BTreeMap<String, String> = read
            .map_err(|e| TestCaseError::fail(format!("{e} in {text:?}")))?
            .into_iter()
            .collect();
        prop_assert_eq!(read, pairs);
    }
}
