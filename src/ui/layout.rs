//! Screen areas: how the views split the screen, and the rows that leaves
//! for `update`'s page moves.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::Viewport;

/// Below this size the views do not fit; a notice is drawn instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 8;

/// Header lines above the service list.
pub const HEADER_HEIGHT: u16 = 2;

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The rows each view has in a `width` x `height` terminal, for `update`.
pub fn viewport(width: u16, height: u16) -> Viewport {
    Viewport {
        width,
        height,
        // header, column titles, status line (no banner), trend strip
        list_rows: height.saturating_sub(HEADER_HEIGHT + 2 + super::trends::strip_rows(height))
            as usize,
        // title line, status line
        log_rows: height.saturating_sub(2) as usize,
    }
}

/// Splits the overview into header, banner (`banner` lines, often none),
/// list and status line.
pub fn overview(area: Rect, banner: u16) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(HEADER_HEIGHT),
        Constraint::Length(banner),
        Constraint::Min(1),
        Constraint::Length(1),
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
