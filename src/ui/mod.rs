//! Views: pure functions from the app state to a frame.
//!
//! Nothing here awaits, locks or touches the network; every view can be
//! drawn from a hand-built [`App`] in tests.

mod confirm;
mod database;
mod format;
mod header;
mod help;
pub mod layout;
mod logs;
mod messages;
mod overview;
mod pg;
mod rabbit;
mod redis;
mod search;
mod table;
mod timeline;
mod trends;
mod widgets;

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::{App, Overlay, View};
use crate::event::Hits;
use crate::keymap::{Action, Context};
use crate::theme::Theme;

/// Draws the whole screen for `app`; returns where a click can hit.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame) -> Hits {
    let area = frame.area();
    if layout::too_small(area) {
        let text = format!(
            "window too small: {}x{} (needs {}x{})",
            area.width,
            area.height,
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        );
        let quit = app.settings.keys.key_of(Context::Everywhere, Action::Quit);
        let lines = vec![
            Line::styled(text, theme.warning),
            Line::raw(format!("{quit} quits")),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Default::default()), area);
        return Hits::default();
    }
    let mut hits = match &app.screen.view {
        View::List => Hits {
            list: overview::render(app, theme, frame, area),
            ..Hits::default()
        },
        View::Logs(view) => Hits {
            log_rows: Some(logs::render(app, view, theme, frame, area)),
            ..Hits::default()
        },
        View::Database(view) => Hits {
            tabs: database::render(app, view, theme, frame, area),
            ..Hits::default()
        },
    };
    match &app.screen.overlay {
        Some(Overlay::Confirm(confirm)) => {
            confirm::render(&app.settings.keys, confirm, theme, frame, area)
        }
        Some(Overlay::Help { scroll }) => {
            let context = app.screen.view.context();
            let picking = app.log_view().is_some_and(|v| v.merged);
            let keys = &app.settings.keys;
            hits.help_overflow = help::render(keys, context, picking, *scroll, theme, frame, area);
        }
        Some(Overlay::Messages) => messages::render(app, theme, frame, area),
        Some(Overlay::Timeline) => timeline::render(app, theme, frame, area),
        // Typed in the list's status line.
        Some(Overlay::Filter) | None => {}
    }
    hits
}
