//! The help overlay, generated from the key table: the keys of the view
//! open now, then the keys that work everywhere, in two columns.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::format;
use crate::keymap::{BINDINGS, Context, key_label};
use crate::theme::Theme;

pub fn render(context: Context, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines = section_lines(&[context, Context::Everywhere], theme);
    let half = lines.len().div_ceil(2);
    let right = lines.split_off(half);
    let height = (half as u16 + 2).min(area.height);
    let width = 78.min(area.width);
    let popup = super::widgets::centered(area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Keys — any key closes ", theme.title));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let [l, r] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(Paragraph::new(lines), l);
    frame.render_widget(Paragraph::new(right), r);
}

/// The bindings of `contexts`, each under its title.
fn section_lines<'a>(contexts: &[Context], theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for context in contexts {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(context.title(), theme.header));
        for binding in BINDINGS.iter().filter(|b| b.context == *context) {
            let keys: Vec<String> = binding.keys.iter().map(key_label).collect();
            lines.push(Line::from(vec![
                Span::styled(format!(" {}", format::fit(&keys.join(" "), 10)), theme.key),
                Span::styled(format::fit(binding.help, 26), theme.text),
            ]));
        }
    }
    lines
}
