//! The timeline overlay (`e`): the session's state changes, newest first,
//! the changes for the worse in the error role.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::widgets::centered;
use crate::app::App;
use crate::app::notices::TIMELINE;
use crate::theme::Theme;

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).clamp(20, 100);
    let height = area.height.saturating_sub(2).max(3);
    let popup = centered(area, width, height);
    let title = format!(" State changes, newest first (last {TIMELINE}) — any key closes ");
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(title, theme.title));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines(app, theme)).block(block), popup);
}

fn lines<'a>(app: &App, theme: &Theme) -> Vec<Line<'a>> {
    if app.messages.notices.timeline.is_empty() {
        return vec![Line::styled(
            " nothing changed since stacktop started",
            theme.muted,
        )];
    }
    app.messages
        .notices
        .timeline
        .iter()
        .map(|change| {
            let style = if change.worse {
                theme.error
            } else {
                theme.text
            };
            Line::from(vec![
                Span::styled(format!(" {} ", change.at.format("%H:%M:%S")), theme.muted),
                Span::styled(crate::text::one_line(&change.text()), style),
            ])
        })
        .collect()
}
