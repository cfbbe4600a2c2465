//! The messages overlay (`m`): what stacktop said, newest first, whole and
//! wrapped, with the detail behind each (a compose CLI's full output).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::widgets::centered;
use crate::app::{App, Level};
use crate::theme::Theme;

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).clamp(20, 120);
    let height = area.height.saturating_sub(2).max(3);
    let popup = centered(area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(
            " Messages, newest first — any key closes ",
            theme.title,
        ));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines(app, theme))
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

fn lines<'a>(app: &App, theme: &Theme) -> Vec<Line<'a>> {
    if app.messages.history.is_empty() {
        return vec![Line::styled(" nothing was said yet", theme.muted)];
    }
    let mut lines = Vec::new();
    for message in &app.messages.history {
        let style = match message.level {
            Level::Info => theme.text,
            Level::Error => theme.error,
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", message.at.format("%H:%M:%S")), theme.muted),
            Span::styled(crate::text::one_line(&message.text), style),
        ]));
        for detail in message.detail.iter().flat_map(|d| d.lines()) {
            lines.push(Line::styled(format!("     {detail}"), theme.muted));
        }
    }
    lines
}
