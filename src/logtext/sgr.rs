//! SGR parameters (`ESC [ ... m`) and how they change a style.

use crate::model::{SgrColor, SgrStyle};

/// Parameters kept per sequence; real programs use a handful, and the
/// fixed array means parsing never allocates.
const MAX_PARAMS: usize = 32;

/// One numeric parameter; `sub` marks a colon-separated sub-parameter of
/// the one before it (`38:2::r:g:b`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Param {
    pub value: Option<u32>,
    pub sub: bool,
}

/// The parameters of one CSI sequence, gathered byte by byte.
#[derive(Debug, Clone)]
pub(super) struct Params {
    items: [Param; MAX_PARAMS],
    len: usize,
    current: Param,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            items: [Param::default(); MAX_PARAMS],
            len: 0,
            current: Param::default(),
        }
    }
}

impl Params {
    pub fn clear(&mut self) {
        self.len = 0;
        self.current = Param::default();
    }

    /// Takes one parameter byte: a digit, `;` or `:`.
    pub fn push_byte(&mut self, byte: u8) {
        match byte {
            b'0'..=b'9' => {
                let digit = u32::from(byte - b'0');
                let value = self.current.value.unwrap_or(0);
                // Saturate: absurd numbers are ignored later, never wrap.
                self.current.value = Some(value.saturating_mul(10).saturating_add(digit));
            }
            b';' | b':' => {
                self.end_current();
                self.current.sub = byte == b':';
            }
            _ => {}
        }
    }

    /// Closes the last parameter and returns them all. An empty list reads
    /// as one empty parameter, which SGR treats as 0 (reset).
    pub fn finish(&mut self) -> &[Param] {
        self.end_current();
        &self.items[..self.len]
    }

    fn end_current(&mut self) {
        if self.len < MAX_PARAMS {
            self.items[self.len] = self.current;
            self.len += 1;
        }
        self.current = Param::default();
    }
}

/// Applies a finished SGR parameter list to `style`; unknown codes are
/// ignored, as terminals do.
pub(super) fn apply(style: &mut SgrStyle, params: &[Param]) {
    let mut at = 0;
    while at < params.len() {
        let subs = params[at + 1..].iter().take_while(|p| p.sub).count();
        let group_end = at + 1 + subs;
        let code = params[at].value.unwrap_or(0);
        at = match code {
            38 | 48 => {
                let (color, next) = if subs > 0 {
                    (colon_color(&params[at + 1..group_end]), group_end)
                } else {
                    semicolon_color(params, at + 1)
                };
                if let Some(color) = color {
                    set_color(style, code == 38, color);
                }
                next
            }
            // `4:0` is "no underline"; `4:3` (curly) and friends still underline.
            4 if subs > 0 => {
                style.underline = params[at + 1].value.unwrap_or(0) != 0;
                group_end
            }
            _ => {
                apply_simple(style, code);
                group_end
            }
        };
    }
}

fn set_color(style: &mut SgrStyle, foreground: bool, color: SgrColor) {
    if foreground {
        style.fg = Some(color);
    } else {
        style.bg = Some(color);
    }
}

/// Codes that stand alone: attributes and the 16 basic colours.
fn apply_simple(style: &mut SgrStyle, code: u32) {
    // Every arm is a small range, so the casts to u8 below cannot truncate.
    match code {
        0 => *style = SgrStyle::default(),
        1 => style.bold = true,
        2 => style.dim = true,
        3 => style.italic = true,
        4 => style.underline = true,
        7 => style.reverse = true,
        // 21 is "double underline" in newer terminals but "bold off" in
        // older ones; we read it as bold off, the safer of the two.
        21 => style.bold = false,
        22 => {
            style.bold = false;
            style.dim = false;
        }
        23 => style.italic = false,
        24 => style.underline = false,
        27 => style.reverse = false,
        30..=37 => style.fg = Some(SgrColor::Indexed((code - 30) as u8)),
        39 => style.fg = None,
        40..=47 => style.bg = Some(SgrColor::Indexed((code - 40) as u8)),
        49 => style.bg = None,
        90..=97 => style.fg = Some(SgrColor::Indexed((code - 90 + 8) as u8)),
        100..=107 => style.bg = Some(SgrColor::Indexed((code - 100 + 8) as u8)),
        _ => {}
    }
}

/// `38;5;n` or `38;2;r;g;b`, starting at the parameter after 38/48.
/// Returns the colour (if well formed) and where the next code starts.
fn semicolon_color(params: &[Param], at: usize) -> (Option<SgrColor>, usize) {
    let value = |i: usize| params.get(i).map(|p| p.value.unwrap_or(0));
    match value(at) {
        Some(5) => (value(at + 1).and_then(indexed), at + 2),
        Some(2) => {
            let rgb = (value(at + 1), value(at + 2), value(at + 3));
            let color = match rgb {
                (Some(r), Some(g), Some(b)) => rgb_color(r, g, b),
                _ => None,
            };
            (color, at + 4)
        }
        // Unknown colour kind: xterm stops reading the sequence here.
        _ => (None, params.len()),
    }
}

/// `38:5:n`, `38:2::r:g:b` (with a colour-space slot) or `38:2:r:g:b`.
fn colon_color(subs: &[Param]) -> Option<SgrColor> {
    let value = |i: usize| subs.get(i).map_or(0, |p| p.value.unwrap_or(0));
    match value(0) {
        5 if subs.len() >= 2 => indexed(value(1)),
        2 if subs.len() >= 5 => rgb_color(value(2), value(3), value(4)),
        2 if subs.len() == 4 => rgb_color(value(1), value(2), value(3)),
        _ => None,
    }
}

fn indexed(n: u32) -> Option<SgrColor> {
    u8::try_from(n).ok().map(SgrColor::Indexed)
}

fn rgb_color(r: u32, g: u32, b: u32) -> Option<SgrColor> {
    let channel = |v: u32| u8::try_from(v).ok();
    Some(SgrColor::Rgb(channel(r)?, channel(g)?, channel(b)?))
}
