//! The escape-sequence state machine behind [`super::sanitize_line`].
//!
//! It follows the shape of a VT500 parser, but only SGR sequences have an
//! effect; every other sequence is read to its end and dropped, so no byte
//! of it reaches the screen. A sequence still open at the end of the line
//! is dropped with everything after its start.
//!
//! Log lines drop the characters that reorder text (see
//! [`is_layout_format`]); text that names things (see `crate::text::clean`)
//! shows them instead, as `<U+202E>`, so two names that differ only by one
//! never look the same.

use unicode_width::UnicodeWidthStr;

use super::sgr::{self, Params};
use super::spans::SpanBuilder;
use crate::model::StyledSpan;

const ESC: char = '\x1b';
const BEL: char = '\x07';
/// CAN and SUB cancel a sequence in progress.
const CAN: char = '\x18';
const SUB: char = '\x1a';
/// 8-bit String Terminator.
const ST_C1: char = '\u{9c}';

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    #[default]
    Ground,
    /// After ESC.
    Escape,
    /// ESC followed by intermediate bytes (`ESC ( B`), until a final byte.
    EscIntermediate,
    /// A control sequence (`ESC [` or U+009B), until a final byte.
    Csi,
    /// The body of OSC, DCS, SOS, PM or APC, dropped until its terminator;
    /// only OSC may also end with BEL.
    Str { bel_ends: bool },
    /// ESC inside such a string: `\` ends the string, anything else starts a
    /// new escape sequence (as terminals do).
    StrEscape,
}

#[derive(Debug, Default)]
pub(super) struct Sanitizer {
    state: State,
    out: SpanBuilder,
    params: Params,
    /// The control sequence being read can still be SGR: no private
    /// marker (`?`, `>`...) and no intermediate byte so far.
    csi_is_sgr: bool,
    /// Reordering characters are shown as `<U+XXXX>`, not dropped.
    show_layout: bool,
}

impl Sanitizer {
    pub fn with_capacity(bytes: usize) -> Self {
        Self {
            out: SpanBuilder::with_capacity(bytes),
            ..Self::default()
        }
    }

    /// A sanitiser for names and messages: reordering characters shown.
    pub fn for_text(bytes: usize) -> Self {
        Self {
            show_layout: true,
            ..Self::with_capacity(bytes)
        }
    }

    pub fn finish(self) -> Vec<StyledSpan> {
        self.out.finish()
    }

    /// Feeds valid UTF-8 text. Plain runs are copied whole, which is what
    /// keeps ordinary log lines fast.
    pub fn feed_str(&mut self, mut rest: &str) {
        while let Some(c) = rest.chars().next() {
            if self.state == State::Ground {
                let (len, ascii) = plain_prefix(rest);
                if len > 0 {
                    let run = &rest[..len];
                    let width = if ascii { len } else { run.width() };
                    self.out.push_str(run, width);
                    rest = &rest[len..];
                    continue;
                }
            }
            self.feed_char(c);
            rest = &rest[c.len_utf8()..];
        }
    }

    pub fn feed_char(&mut self, c: char) {
        match self.state {
            State::Ground => self.ground(c),
            State::Escape => self.escape(c),
            State::EscIntermediate => self.esc_intermediate(c),
            State::Csi => self.csi(c),
            State::Str { bel_ends } => self.string(c, bel_ends),
            State::StrEscape => self.string_escape(c),
        }
    }

    fn ground(&mut self, c: char) {
        match c {
            ESC => self.state = State::Escape,
            '\t' => self.out.tab(),
            '\r' => self.out.carriage_return(),
            c if is_c1(c) => self.c1(c),
            c if is_plain(c) => self.out.push_char(c),
            c if self.show_layout && is_layout_format(c) => {
                let shown = visible(c);
                self.out.push_str(&shown, shown.len());
            }
            // Other C0 controls, DEL, and reordering characters in a log line.
            _ => {}
        }
    }

    /// An 8-bit control: the introducers start their sequence just like
    /// their ESC forms; the others are dropped.
    fn c1(&mut self, c: char) {
        self.state = match c {
            '\u{9b}' => self.begin_csi(),
            '\u{9d}' => State::Str { bel_ends: true },
            '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => State::Str { bel_ends: false },
            _ => State::Ground,
        };
    }

    fn begin_csi(&mut self) -> State {
        self.params.clear();
        self.csi_is_sgr = true;
        State::Csi
    }

    fn escape(&mut self, c: char) {
        match c {
            '[' => self.state = self.begin_csi(),
            ']' => self.state = State::Str { bel_ends: true },
            'P' | 'X' | '^' | '_' => self.state = State::Str { bel_ends: false },
            ' '..='/' => self.state = State::EscIntermediate,
            // A final byte: a two-byte escape such as `ESC 7` or `ESC c`.
            '0'..='~' => self.state = State::Ground,
            _ => self.interrupt(c),
        }
    }

    fn esc_intermediate(&mut self, c: char) {
        match c {
            ' '..='/' => {}
            '0'..='~' => self.state = State::Ground,
            _ => self.interrupt(c),
        }
    }

    fn csi(&mut self, c: char) {
        match c {
            '0'..='9' | ';' | ':' => self.params.push_byte(c as u8),
            // Private markers and intermediates: not SGR, but still one
            // sequence to read to its end.
            '<'..='?' | ' '..='/' => self.csi_is_sgr = false,
            '@'..='~' => {
                if c == 'm' && self.csi_is_sgr {
                    sgr::apply(&mut self.out.style, self.params.finish());
                }
                self.state = State::Ground;
            }
            _ => self.interrupt(c),
        }
    }

    /// What a sequence in progress does with a character outside its own
    /// grammar: ESC and C1 start a new sequence, CAN and SUB cancel it,
    /// other controls are dropped, and printable text ends the broken
    /// sequence and is shown.
    fn interrupt(&mut self, c: char) {
        match c {
            ESC => self.state = State::Escape,
            CAN | SUB => self.state = State::Ground,
            c if is_c1(c) => self.c1(c),
            c if c.is_control() => {}
            c => {
                self.state = State::Ground;
                self.ground(c);
            }
        }
    }

    fn string(&mut self, c: char, bel_ends: bool) {
        match c {
            BEL if bel_ends => self.state = State::Ground,
            ESC => self.state = State::StrEscape,
            ST_C1 | CAN | SUB => self.state = State::Ground,
            // The payload (a title, a clipboard write, a link target) is
            // dropped unread.
            _ => {}
        }
    }

    fn string_escape(&mut self, c: char) {
        match c {
            '\\' => self.state = State::Ground,
            // ESC ESC: still waiting for the `\`.
            ESC => {}
            _ => {
                self.state = State::Escape;
                self.escape(c);
            }
        }
    }
}

/// Length in bytes of the leading run of plain characters, and whether it
/// is all ASCII (whose width is its length).
fn plain_prefix(s: &str) -> (usize, bool) {
    let bytes = s.as_bytes();
    let mut len = 0;
    let mut ascii = true;
    while let Some(&b) = bytes.get(len) {
        if b.is_ascii() {
            if !(b' '..=b'~').contains(&b) {
                break;
            }
            len += 1;
        } else {
            match s[len..].chars().next() {
                Some(c) if is_plain(c) => {
                    ascii = false;
                    len += c.len_utf8();
                }
                _ => break,
            }
        }
    }
    (len, ascii)
}

/// How a reordering character shows in text: `<U+202E>`.
fn visible(c: char) -> String {
    format!("<U+{:04X}>", u32::from(c))
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// Shown as is: not a control character and not a character that can
/// reorder or break the display.
pub(crate) fn is_plain(c: char) -> bool {
    !c.is_control() && !is_layout_format(c)
}

/// Bidi embeddings, overrides, isolates and marks, which can make text
/// read differently from what it is, and the Unicode line and paragraph
/// separators, which some terminals treat as newlines.
fn is_layout_format(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}'
    )
}
