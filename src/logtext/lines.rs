//! Reassembling lines from the chunks a log stream arrives in.

use super::MAX_LINE_BYTES;

/// Reassembles lines from chunks of a byte stream, keeping at most
/// [`MAX_LINE_BYTES`] of a line; the rest of a longer line is dropped.
///
/// Lines end at `\n`; a `\r` just before it (CRLF) is removed too. A cut
/// never leaves half a UTF-8 character at the end of the line.
#[derive(Debug, Default)]
pub struct LineSplitter {
    partial: Vec<u8>,
    /// The line in `partial` was longer than [`MAX_LINE_BYTES`].
    cut: bool,
}

impl LineSplitter {
    /// Feeds a chunk; calls `emit` with each complete line (no newline).
    pub fn feed(&mut self, chunk: &[u8], mut emit: impl FnMut(&[u8])) {
        for piece in chunk.split_inclusive(|b| *b == b'\n') {
            let Some(body) = piece.strip_suffix(b"\n") else {
                self.keep(piece);
                continue;
            };
            if self.partial.is_empty() && !self.cut {
                // The common case: a whole line inside one chunk, emitted
                // without copying.
                let kept = &body[..body.len().min(MAX_LINE_BYTES)];
                emit(finished_line(kept, body.len() > MAX_LINE_BYTES));
            } else {
                self.keep(body);
                self.emit_partial(&mut emit);
            }
        }
    }

    /// Emits what is left when the stream ends.
    pub fn finish(&mut self, mut emit: impl FnMut(&[u8])) {
        if !self.partial.is_empty() {
            self.emit_partial(&mut emit);
        }
    }

    /// Adds bytes to the unfinished line, up to the limit.
    fn keep(&mut self, bytes: &[u8]) {
        let room = MAX_LINE_BYTES.saturating_sub(self.partial.len());
        if bytes.len() > room {
            self.cut = true;
        }
        self.partial
            .extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    fn emit_partial(&mut self, emit: &mut impl FnMut(&[u8])) {
        emit(finished_line(&self.partial, self.cut));
        self.partial.clear();
        self.cut = false;
    }
}

/// The line as emitted: without the CR of a CRLF, and, if it was cut,
/// without a UTF-8 character the cut split.
fn finished_line(line: &[u8], cut: bool) -> &[u8] {
    if cut {
        trim_split_char(line)
    } else {
        line.strip_suffix(b"\r").unwrap_or(line)
    }
}

/// Drops an incomplete UTF-8 sequence at the end of `line`.
fn trim_split_char(line: &[u8]) -> &[u8] {
    // A UTF-8 character is at most 4 bytes: its lead byte, if the cut
    // split it, is among the last 3.
    let tail_start = line.len().saturating_sub(3);
    let lead = (tail_start..line.len())
        .rev()
        .find(|&i| line[i] & 0xC0 != 0x80);
    let Some(lead) = lead else {
        return line;
    };
    let needed = match line[lead] {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    };
    if lead + needed > line.len() {
        &line[..lead]
    } else {
        line
    }
}
