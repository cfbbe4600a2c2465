//! Text helpers shared by the views, the headless commands, collectors
//! and jobs: the one sanitiser, sizes, durations, fitting to width,
//! one-line messages.
//!
//! Every text that leaves stacktop, on the screen, on stdout or stderr, in
//! a file, goes through [`clean`] (or [`clean_lines`]): names, health
//! answers and messages come from programs we do not control. The rules are
//! the log lines' (see [`crate::logtext`]): escape sequences go whole, with
//! their payload; C0 controls (tab becomes spaces), DEL and C1 controls go;
//! a carriage return starts the line over. Unlike in log lines, the
//! characters that reorder text (bidi embeddings, overrides, isolates and
//! marks, U+2028/U+2029) are shown, as `<U+202E>`, since a name must never
//! look like another.

use std::borrow::Cow;

use chrono::Duration;
use unicode_width::UnicodeWidthChar;

use crate::logtext::{is_plain, sanitize_text_line};

/// `text` made safe to print, on one line: its lines joined by a space.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_plain) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<String> = text
        .split('\n')
        .map(sanitize_text_line)
        .filter(|line| !line.is_empty())
        .collect();
    Cow::Owned(lines.join(" "))
}

/// `text` made safe to print, its lines kept (each cleaned as by [`clean`]).
pub fn clean_lines(text: &str) -> Cow<'_, str> {
    if text.chars().all(|c| c == '\n' || is_plain(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<String> = text.split('\n').map(sanitize_text_line).collect();
    Cow::Owned(lines.join("\n"))
}

/// Joins the lines of a message into one, trims the ends and cleans it:
/// errors from the engine and the compose CLI end on one status line.
pub fn one_line(text: &str) -> String {
    clean(&text.split_whitespace().collect::<Vec<_>>().join(" ")).into_owned()
}

/// Bytes in binary units, three significant figures: `512B`, `12.3M`, `1.50G`.
pub fn bytes(n: u64) -> String {
    let (value, unit) = scale(n);
    match unit {
        "B" => format!("{n}B"),
        _ if value >= 100.0 => format!("{value:.0}{unit}"),
        _ if value >= 10.0 => format!("{value:.1}{unit}"),
        _ => format!("{value:.2}{unit}"),
    }
}

/// `n` bytes as a value below 1024 and its binary unit.
fn scale(n: u64) -> (f64, &'static str) {
    const UNITS: [&str; 5] = ["B", "K", "M", "G", "T"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    (value, UNITS[unit])
}

/// Bytes in binary units, at most two significant figures: `3.1M`, `64M`.
pub fn bytes_short(n: u64) -> String {
    let (value, unit) = scale(n);
    if value < 10.0 && unit != "B" {
        format!("{value:.1}{unit}")
    } else {
        format!("{value:.0}{unit}")
    }
}

/// A count in at most five cells: `950`, `12.5k`, `130k`, `4.2M`.
pub fn count_short(n: u64) -> String {
    let (value, unit) = match n {
        0..1_000 => return n.to_string(),
        1_000..1_000_000 => (n as f64 / 1e3, "k"),
        1_000_000..1_000_000_000 => (n as f64 / 1e6, "M"),
        _ => (n as f64 / 1e9, "G"),
    };
    if value < 100.0 {
        format!("{:.1}{unit}", (value * 10.0).floor() / 10.0)
    } else {
        format!("{value:.0}{unit}")
    }
}

/// A short age: `42s`, `5m03s`, `3h12m`, `4d07h`.
pub fn age(d: Duration) -> String {
    let s = d.num_seconds().max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        3600..86400 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d{:02}h", s / 86400, s % 86400 / 3600),
    }
}

/// Display width of `text` in terminal cells.
pub fn width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `text`, cleaned, cut or padded to exactly `cells` cells; a cut ends
/// with `…`.
pub fn fit(text: &str, cells: usize) -> String {
    fit_clean(&clean(text), cells)
}

/// [`fit`] of a text already clean.
fn fit_clean(text: &str, cells: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    let total = width(text);
    let budget = if total > cells {
        cells.saturating_sub(1)
    } else {
        cells
    };
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        out.push(c);
        used += w;
    }
    if total > cells && cells > 0 {
        out.push('…');
        used += 1;
    }
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(used)));
    out
}

/// `text`, cleaned, cut or padded to exactly `cells` cells, a cut in the
/// middle so both ends stay: `notificatio…-worker`. For names that share a
/// prefix.
pub fn fit_middle(text: &str, cells: usize) -> String {
    let text = clean(text);
    let text = text.as_ref();
    if width(text) <= cells || cells < 5 {
        return fit_clean(text, cells);
    }
    let tail_cells = (cells - 1) / 2;
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > tail_cells {
            break;
        }
        tail.push(c);
        used += w;
    }
    let tail: String = tail.into_iter().rev().collect();
    // `fit` ends the head with its own `…` (and pads it when a wide
    // character did not fit): the tail follows it.
    format!("{}{tail}", fit_clean(text, cells - used))
}

/// `text`, cleaned, right-aligned in `cells` cells (cut like [`fit`] when
/// too long).
pub fn fit_right(text: &str, cells: usize) -> String {
    let text = clean(text);
    let text = text.as_ref();
    let w = width(text);
    if w >= cells {
        return fit_clean(text, cells);
    }
    format!("{}{text}", " ".repeat(cells - w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_use_binary_units() {
        assert_eq!(bytes(512), "512B");
        assert_eq!(bytes(1536), "1.50K");
        assert_eq!(bytes(12_900_000), "12.3M");
        assert_eq!(bytes(300 * 1024 * 1024), "300M");
        assert_eq!(bytes_short(3_250_000), "3.1M");
        assert_eq!(bytes_short(64 * 1024 * 1024), "64M");
        assert_eq!(bytes_short(900), "900B");
    }

    #[test]
    fn middle_cuts_keep_both_ends() {
        let a = fit_middle("notification-service-worker", 16);
        let b = fit_middle("notification-service-api", 16);
        assert_eq!(a, "notifica…-worker");
        assert_eq!(b, "notifica…ice-api");
        assert_eq!(width(&a), 16);
        assert_eq!(fit_middle("short", 8), "short   ");
        assert_eq!(fit_middle("postgres-user", 10), "postg…user");
        assert_eq!(width(&fit_middle("サービス名前がとても長い", 9)), 9);
    }

    #[test]
    fn counts_are_short() {
        assert_eq!(count_short(950), "950");
        assert_eq!(count_short(1265), "1.2k");
        assert_eq!(count_short(129_512), "130k");
        assert_eq!(count_short(4_200_000), "4.2M");
    }

    #[test]
    fn ages_are_short() {
        assert_eq!(age(Duration::seconds(42)), "42s");
        assert_eq!(age(Duration::seconds(303)), "5m03s");
        assert_eq!(age(Duration::seconds(3 * 3600 + 720)), "3h12m");
        assert_eq!(age(Duration::seconds(4 * 86400 + 7 * 3600)), "4d07h");
    }

    #[test]
    fn clean_drops_escapes_and_controls_and_shows_reordering() {
        assert_eq!(clean("plain name"), "plain name");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
        assert_eq!(clean("a\x1b[31mred\x1b[0m b"), "ared b");
        assert_eq!(clean("x\x1b]0;owned\x07y"), "xy");
        assert_eq!(clean("c1\u{9b}2Jz\u{85}end"), "c1zend");
        assert_eq!(clean("one\ntwo\n"), "one two");
        assert_eq!(clean("admin\u{202e}gpj.exe"), "admin<U+202E>gpj.exe");
        assert_eq!(clean("\u{2066}x\u{2069}"), "<U+2066>x<U+2069>");
        assert_eq!(clean_lines("a\x07\nb\u{202d}"), "a\nb<U+202D>");
    }

    #[test]
    fn fitting_cleans_first_and_counts_what_shows() {
        assert_eq!(fit("a\x1b]0;t\x07b", 4), "ab  ");
        assert_eq!(fit("x\u{202e}", 10), "x<U+202E> ");
        assert_eq!(fit_right("\x1b[2J7", 3), "  7");
        assert_eq!(width(&fit_middle("evil\u{9b}2J-service-worker", 12)), 12);
    }

    #[test]
    fn one_line_is_clean() {
        assert_eq!(one_line("error:\n  \x1b]0;t\x07bad"), "error: bad");
    }

    #[test]
    fn fit_cuts_by_cells_not_bytes() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("日本語テキスト", 5), "日本…");
        assert_eq!(width(&fit("日本語", 4)), 4);
        assert_eq!(fit_right("7", 3), "  7");
    }
}
