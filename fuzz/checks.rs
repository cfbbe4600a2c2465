//! What the fuzz targets check, shared with the corpus replay in CI.

use stacktop::config::file::parse;
use stacktop::logtext::{LineSplitter, sanitize_line, split_timestamp};
use stacktop::theme::Theme;

/// Splits and sanitises `data` (in two chunks, so partial lines and split
/// sequences are covered); panics if a control character, an escape or a
/// bidi override gets through.
pub fn sanitizer(data: &[u8]) {
    let mut splitter = LineSplitter::default();
    let mut check = |line: &[u8]| {
        let (_, rest) = split_timestamp(line);
        for span in sanitize_line(rest) {
            for c in span.text.chars() {
                assert!(!c.is_control(), "control char {c:?} got through");
                let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
                assert!(!bidi, "bidi override got through");
            }
        }
    };
    let cut = data.first().map_or(0, |b| *b as usize % (data.len() + 1));
    splitter.feed(&data[..cut], &mut check);
    splitter.feed(&data[cut..], &mut check);
    splitter.finish(&mut check);
}

/// Parses `data` as a config file and as a theme: a value or an error,
/// never a panic; config errors name the file.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = parse(&text, "fuzz.toml") {
        assert!(e.to_string().starts_with("fuzz.toml"), "{e}");
    }
    let _ = Theme::parse(&text, None);
}
