//! The output side of the sanitiser: merges text into styled spans and
//! applies the two controls that change layout, tab and carriage return.

use unicode_width::UnicodeWidthChar;

use crate::model::{SgrStyle, StyledSpan};

/// Tab stops every 8 columns, as terminals set them by default.
const TAB_WIDTH: usize = 8;

#[derive(Debug, Default)]
pub(super) struct SpanBuilder {
    spans: Vec<StyledSpan>,
    /// Text of the span being built; it has `text_style`.
    text: String,
    text_style: SgrStyle,
    /// The style the next text gets, as set by the SGR sequences so far.
    pub style: SgrStyle,
    /// Display column where the next text starts, for tab stops.
    column: usize,
    /// A carriage return was seen and no text has followed it yet.
    after_cr: bool,
}

impl SpanBuilder {
    pub fn with_capacity(bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            ..Self::default()
        }
    }

    /// Appends printable text whose display width is `width`.
    pub fn push_str(&mut self, text: &str, width: usize) {
        self.prepare();
        self.text.push_str(text);
        self.column += width;
    }

    pub fn push_char(&mut self, c: char) {
        self.prepare();
        self.text.push(c);
        self.column += c.width().unwrap_or(0);
    }

    /// Expands a tab into spaces up to the next tab stop, so no tab ever
    /// reaches the terminal, where its width would be the terminal's guess.
    pub fn tab(&mut self) {
        self.prepare();
        let spaces = TAB_WIDTH - self.column % TAB_WIDTH;
        self.text.extend(std::iter::repeat_n(' ', spaces));
        self.column += spaces;
    }

    /// A carriage return starts the line over, as a progress bar means it:
    /// the text before it is dropped once text follows it. A trailing CR
    /// (as in CRLF) leaves the line as it was.
    pub fn carriage_return(&mut self) {
        self.after_cr = true;
    }

    pub fn finish(mut self) -> Vec<StyledSpan> {
        self.flush();
        self.spans
    }

    /// Gets ready for new text: starts the line over after a CR, and starts
    /// a new span if the style changed since the last text.
    fn prepare(&mut self) {
        if self.after_cr {
            self.after_cr = false;
            self.spans.clear();
            self.text.clear();
            self.column = 0;
        }
        if self.style != self.text_style {
            self.flush();
            self.text_style = self.style;
        }
    }

    /// Moves the text built so far into a span; never makes an empty one.
    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.spans.push(StyledSpan {
                text: std::mem::take(&mut self.text),
                style: self.text_style,
            });
        }
    }
}
