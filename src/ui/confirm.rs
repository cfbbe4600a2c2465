//! The confirmation popup of destructive actions.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::Confirm;
use crate::theme::Theme;

pub fn render(confirm: &Confirm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = 64.min(area.width);
    let popup = super::widgets::centered(area, width, 5);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.error)
        .title(Span::styled(" Confirm ", theme.error));
    let text = vec![
        Line::styled(confirm.question.clone(), theme.text),
        Line::from(vec![
            Span::styled("y", theme.key),
            Span::styled(" yes   ", theme.text),
            Span::styled("any other key", theme.key),
            Span::styled(" no", theme.text),
        ]),
    ];
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
        popup,
    );
}
