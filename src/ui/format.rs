//! Figures as the views write them: the text helpers of [`crate::text`],
//! and those that read the app's state or the theme (a container's CPU and
//! memory, an engine's status, a count of things).
//!
//! Several views show the same figure; each comes from here, so the list,
//! the header and the trend strip never write one two ways. Nothing here
//! imports another view.

use ratatui::text::Span;

use crate::app::{App, EngineState, EngineStatus};
use crate::model::Stats;
use crate::theme::Theme;

pub use crate::text::*;

/// `12.3%`, or `—` without a reading.
pub fn cpu(stats: Option<&Stats>) -> String {
    stats.map_or("—".into(), |s| format!("{:.1}%", s.cpu_percent))
}

/// `128M/512M`, or `128M` for a container without a limit of its own.
pub fn memory(app: &App, stats: &Stats) -> String {
    // The engine reports the host's memory as the limit of a container
    // that has none: that is no limit worth showing.
    let host_total = app.store.host.as_ref().map_or(u64::MAX, |h| h.mem_total);
    if stats.mem_limit == 0 || stats.mem_limit >= host_total {
        bytes(stats.mem_used)
    } else {
        format!("{}/{}", bytes(stats.mem_used), bytes(stats.mem_limit))
    }
}

/// `1 container`, `2 containers`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `Docker 20.10.24`, `Podman 4.3.1`, or what is wrong.
pub fn status_span<'a>(engine: &EngineState, theme: &Theme) -> Span<'a> {
    match &engine.status {
        EngineStatus::Up { product, version } => {
            Span::styled(format!("{product} {version}"), theme.text)
        }
        EngineStatus::Connecting => Span::styled("Docker: connecting", theme.warning),
        EngineStatus::Down { .. } => Span::styled("Docker: unreachable", theme.error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_thing_is_not_plural() {
        assert_eq!(plural(1, "container"), "1 container");
        assert_eq!(plural(0, "container"), "0 containers");
        assert_eq!(plural(3, "engine"), "3 engines");
    }

    #[test]
    fn cpu_without_a_reading_is_a_dash() {
        assert_eq!(cpu(None), "—");
        let stats = Stats {
            cpu_percent: 12.34,
            ..Stats::default()
        };
        assert_eq!(cpu(Some(&stats)), "12.3%");
    }
}
