//! The source picker of merged logs: each source in its prefix colour,
//! on or off.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::super::widgets::centered;
use super::lines::prefix_style;
use crate::app::LogView;
use crate::keymap::{Action, Context, Keymap};
use crate::theme::Theme;

pub fn render(
    keys: &Keymap,
    view: &LogView,
    cursor: usize,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let toggle = keys.key_of(Context::Picker, Action::ToggleSource);
    let close = keys.key_of(Context::Picker, Action::Back);
    let title = format!(" Sources: {toggle} on/off, {close} loads ");
    let rows: Vec<Line> = view
        .sources
        .iter()
        .enumerate()
        .map(|(index, source)| {
            let check = if source.on { "[x] " } else { "[ ] " };
            let pointer = if index == cursor { "› " } else { "  " };
            let label = Span::styled(source.log.label.clone(), prefix_style(theme, index));
            let line = Line::from(vec![
                Span::styled(format!("{pointer}{check}"), theme.key),
                label,
            ]);
            if index == cursor {
                line.patch_style(theme.selection)
            } else {
                line
            }
        })
        .collect();
    let longest = rows.iter().map(Line::width).max().unwrap_or(0);
    let width = (longest.max(crate::text::width(&title)) + 2) as u16;
    let height = rows.len() as u16 + 2;
    let popup = centered(area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(title, theme.title));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(rows).block(block), popup);
}
