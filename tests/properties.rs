#![allow(clippy::unwrap_used)]
//! Property tests: the log window stays bounded and ordered whatever
//! arrives, and the sanitiser never lets an escape through.

use chrono::DateTime;
use proptest::prelude::*;

use stacktop::logtext::sanitize_line;
use stacktop::model::{LogBuffer, LogLine};

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
}
