//! Screen areas: how the views split the screen, and the rows that leaves
//! for `update`'s page moves.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::Viewport;

/// Below this size the views do not fit; a notice is drawn instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 8;

/// Header lines above the service list.
pub const HEADER_HEIGHT: u16 = 2;

/// Below this height the overview is compact: a one-line header, and no
/// footer of key hints (only a message or a notice takes that line).
pub const COMPACT_BELOW: u16 = 15;

/// Below this width the list keeps only its most useful columns, and state
/// and health share one.
pub const NARROW_BELOW: u16 = 60;

/// Rows of the trend strip under the list: a rule naming the service,
/// then its trend lines.
const STRIP_ROWS: u16 = 2;
/// The strip shows on screens at least this tall; on shorter ones the
/// list needs every row.
const STRIP_MIN_HEIGHT: u16 = 20;

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// Whether a screen `height` rows tall gets the compact overview.
pub fn compact(height: u16) -> bool {
    height < COMPACT_BELOW
}

/// Lines of the overview's header at this height.
pub fn header_height(height: u16) -> u16 {
    if compact(height) { 1 } else { HEADER_HEIGHT }
}

/// Rows the trend strip takes on a screen `height` rows tall.
pub fn strip_rows(height: u16) -> u16 {
    if height >= STRIP_MIN_HEIGHT {
        STRIP_ROWS
    } else {
        0
    }
}

/// The rows each view has in a `width` x `height` terminal, for `update`.
pub fn viewport(width: u16, height: u16) -> Viewport {
    // The compact overview's footer shows only while there is something
    // to say, so its list has that line most of the time.
    let footer = u16::from(!compact(height));
    Viewport {
        width,
        height,
        // header, column titles, footer (no banner), trend strip
        list_rows: height.saturating_sub(header_height(height) + 1 + footer + strip_rows(height))
            as usize,
        // title line, status line
        log_rows: height.saturating_sub(2) as usize,
    }
}

/// Splits the overview into header, banner (`banner` lines, often none),
/// list and footer (none when `footer` is false).
pub fn overview(area: Rect, banner: u16, footer: bool) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(header_height(area.height)),
        Constraint::Length(banner),
        Constraint::Min(1),
        Constraint::Length(u16::from(footer)),
    ])
    .areas(area)
}

/// Splits the log view into title, the sources line (merged logs only),
/// lines and status line.
pub fn logs(area: Rect, merged: bool) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(merged)),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strip_shows_only_on_tall_screens() {
        assert_eq!(strip_rows(24), STRIP_ROWS);
        assert_eq!(strip_rows(19), 0);
    }
}
