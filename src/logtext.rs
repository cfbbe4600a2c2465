//! Turning raw log bytes into safe, styled lines.
//!
//! Log text comes from programs we do not control: it may hold cursor moves,
//! OSC title or clipboard writes, or bytes that are not UTF-8. Only SGR
//! styles survive, as [`SgrStyle`]; everything else is removed here, before
//! any of it can reach the terminal.

use chrono::{DateTime, Utc};

use crate::model::{SgrStyle, StyledSpan};

/// Longest line kept, in bytes; the rest of a longer line is cut off.
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// Sanitises one line (without its newline) into styled spans.
pub fn sanitize_line(raw: &[u8]) -> Vec<StyledSpan> {
    // Placeholder until the SGR parser lands: drops every control byte.
    let text: String = String::from_utf8_lossy(raw)
        .chars()
        .filter(|c| *c == '\t' || !c.is_control())
        .collect();
    vec![StyledSpan {
        text,
        style: SgrStyle::default(),
    }]
}

/// Splits the RFC 3339 timestamp the engine puts before each line when
/// asked for timestamps; returns the rest of the line.
pub fn split_timestamp(raw: &[u8]) -> (Option<DateTime<Utc>>, &[u8]) {
    let Some(space) = raw.iter().position(|b| *b == b' ') else {
        return (None, raw);
    };
    let parsed = std::str::from_utf8(&raw[..space])
        .ok()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc));
    match parsed {
        Some(ts) => (Some(ts), &raw[space + 1..]),
        None => (None, raw),
    }
}

/// Reassembles lines from chunks of a byte stream, keeping at most
/// [`MAX_LINE_BYTES`] of a line that has not ended yet.
#[derive(Debug, Default)]
pub struct LineSplitter {
    partial: Vec<u8>,
}

impl LineSplitter {
    /// Feeds a chunk; calls `emit` with each complete line (no newline).
    pub fn feed(&mut self, chunk: &[u8], mut emit: impl FnMut(&[u8])) {
        for piece in chunk.split_inclusive(|b| *b == b'\n') {
            let room = MAX_LINE_BYTES.saturating_sub(self.partial.len());
            let body = piece.strip_suffix(b"\n").unwrap_or(piece);
            self.partial.extend_from_slice(&body[..body.len().min(room)]);
            if piece.ends_with(b"\n") {
                emit(&self.partial);
                self.partial.clear();
            }
        }
    }

    /// Emits what is left when the stream ends.
    pub fn finish(&mut self, mut emit: impl FnMut(&[u8])) {
        if !self.partial.is_empty() {
            emit(&self.partial);
            self.partial.clear();
        }
    }
}
