//! What `S` writes: the lines in view as plain text, and the file's name.

use std::fmt::Write;

use chrono::{DateTime, FixedOffset};

use super::LogView;

impl LogView {
    /// The shown lines (so filtered when a filter is on, else every kept
    /// line) as plain text, one per line, with the timestamp and the
    /// source when the view shows them; and how many lines that is.
    pub fn text_to_save(&self) -> (String, usize) {
        let mut text = String::new();
        let mut count = 0;
        let lines = self.buffer.iter().zip(self.buffer.marks());
        for (line, _) in lines.filter(|(_, mark)| !mark.hidden) {
            if self.timestamps {
                match line.timestamp {
                    Some(t) => {
                        let _ = write!(text, "{} ", t.format("%Y-%m-%dT%H:%M:%S%.3fZ"));
                    }
                    None => text.push_str("- "),
                }
            }
            if self.merged
                && !self.plain
                && let Some(label) = self.label(line.source)
            {
                let _ = write!(text, "{label} | ");
            }
            text.push_str(&line.shown_text(self.structured));
            text.push('\n');
            count += 1;
        }
        (text, count)
    }

    /// `<name>-<YYYYmmdd-HHMMSS>.log`, the name made safe for a file.
    pub fn file_name(&self, now: DateTime<FixedOffset>) -> String {
        let safe: String = self
            .name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let safe = safe.trim_start_matches('.');
        let stem = if safe.is_empty() { "logs" } else { safe };
        format!("{stem}-{}.log", now.format("%Y%m%d-%H%M%S"))
    }
}
