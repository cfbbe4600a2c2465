//! The safety invariant over many pseudo-random byte strings.

use super::{assert_safe, is_unsafe};
use crate::logtext::sanitize_line;

/// A small deterministic generator (xorshift64*), so failures reproduce
/// without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces that make the parser's life hard: introducers, terminators,
/// parameters, C1 and bidi characters, broken UTF-8.
const PIECES: &[&[u8]] = &[
    b"\x1b",
    b"[",
    b"]",
    b"P",
    b"_",
    b"^",
    b"X",
    b"\\",
    b"\x07",
    b";",
    b":",
    b"38",
    b"2",
    b"5",
    b"m",
    b"?",
    b"(",
    b" ",
    b"\t",
    b"\r",
    b"\n",
    b"\x18",
    b"\x7f",
    b"a",
    b"Z",
    b"0",
    "\u{9b}".as_bytes(),
    "\u{9d}".as_bytes(),
    "\u{9c}".as_bytes(),
    "\u{85}".as_bytes(),
    "\u{202e}".as_bytes(),
    "\u{2067}".as_bytes(),
    "日".as_bytes(),
    b"\xc2",
    b"\xe2\x80",
    b"\xff",
    b"\x9b",
];

fn random_line(rng: &mut Rng) -> Vec<u8> {
    let len = rng.below(40);
    let mut line = Vec::new();
    for _ in 0..len {
        if rng.below(4) == 0 {
            // Any byte at all.
            line.push(rng.next() as u8);
        } else {
            line.extend_from_slice(PIECES[rng.below(PIECES.len())]);
        }
    }
    line
}

#[test]
fn no_input_gets_a_control_or_bidi_character_through() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for _ in 0..200_000 {
        let line = random_line(&mut rng);
        assert_safe(&sanitize_line(&line), &line);
    }
}

#[test]
fn every_single_and_double_byte_is_safe() {
    for a in 0..=255u8 {
        assert_safe(&sanitize_line(&[a]), &[a]);
        for b in 0..=255u8 {
            assert_safe(&sanitize_line(&[a, b, b'x']), &[a, b, b'x']);
        }
    }
}

#[test]
fn every_char_below_u3000_is_safe() {
    for c in (0..0x3000u32).filter_map(char::from_u32) {
        let raw = format!("a{c}b");
        let text: String = sanitize_line(raw.as_bytes())
            .into_iter()
            .map(|s| s.text)
            .collect();
        assert!(!text.chars().any(is_unsafe), "{c:?}");
    }
}
