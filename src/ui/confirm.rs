//! The confirmation popup of destructive actions.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::Confirm;
use crate::theme::Theme;

pub fn render(confirm: &Confirm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = confirm
        .question
        .lines()
        .map(|l| Line::styled(l.to_string(), theme.text))
        .collect();
    lines.push(Line::from(vec![
        Span::styled("y", theme.key),
        Span::styled(" yes   ", theme.text),
        Span::styled("any other key", theme.key),
        Span::styled(" no, change nothing", theme.text),
    ]));
    let longest = lines.iter().map(Line::width).max().unwrap_or(0) as u16;
    let width = (longest + 2).clamp(40, 100);
    let popup = super::widgets::centered(area, width, lines.len() as u16 + 2);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.error)
        .title(Span::styled(" Confirm ", theme.error));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
