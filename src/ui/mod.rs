//! Views: pure functions from the app state to a frame.
//!
//! Nothing here awaits, locks or touches the network; every view can be
//! drawn from a hand-built [`App`] in tests.

mod confirm;
mod detail;
mod format;
mod header;
mod help;
pub mod layout;
mod logs;
mod overview;
mod pg;
mod redis;
mod table;
mod widgets;

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::App;

/// Bytes as the views show them (`12.3M`), for messages built elsewhere.
pub fn format_bytes(n: u64) -> String {
    format::bytes(n)
}
use crate::theme::Theme;

/// Draws the whole screen for `app`.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    if layout::too_small(area) {
        let text = format!(
            "window too small: {}x{} (needs {}x{})",
            area.width,
            area.height,
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        );
        let lines = vec![Line::styled(text, theme.warning), Line::raw("q quits")];
        frame.render_widget(Paragraph::new(lines).wrap(Default::default()), area);
        return;
    }
    match (&app.logs, &app.detail) {
        (Some(view), _) => logs::render(app, view, theme, frame, area),
        (None, Some(detail)) => detail::render(app, detail, theme, frame, area),
        (None, None) => overview::render(app, theme, frame, area),
    }
    if let Some(confirm) = &app.confirm {
        confirm::render(confirm, theme, frame, area);
    }
    if app.show_help {
        help::render(app, theme, frame, area);
    }
}
