//! Screen areas, shared by rendering and by page-sized moves in `update`.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this size the views do not fit; a notice is drawn instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 8;

/// Header lines above the service list.
pub const HEADER_HEIGHT: u16 = 2;

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// Container rows the list shows in a terminal of `size` (no banner).
pub fn list_rows(size: (u16, u16)) -> usize {
    // header, column titles, status line
    size.1.saturating_sub(HEADER_HEIGHT + 2) as usize
}

/// Log lines the log view shows in a terminal of `size`.
pub fn log_rows(size: (u16, u16)) -> usize {
    // title line, status line
    size.1.saturating_sub(2) as usize
}

/// Splits the overview into header, optional banner, list and status line.
pub fn overview(area: Rect, banner: bool) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(HEADER_HEIGHT),
        Constraint::Length(u16::from(banner)),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// Splits the log view into title, lines and status line.
pub fn logs(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area)
}
