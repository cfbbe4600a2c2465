//! The help overlay, generated from the keymap in force: the keys of the
//! view open now and of what it can open (the filter, a confirmation), then
//! the keys that work everywhere, in two columns.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::format;
use crate::keymap::{Context, Keymap, key_label};
use crate::theme::Theme;

pub fn render(keys: &Keymap, context: Context, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut left = section_lines(keys, &sections(context), theme);
    let half = left.len().div_ceil(2);
    // A section's title never ends a column.
    let half = if left
        .get(half.saturating_sub(1))
        .is_some_and(|l| l.width() == 0)
    {
        half - 1
    } else {
        half
    };
    let right = left.split_off(half.min(left.len()));
    let height = (left.len().max(right.len()) as u16 + 2).min(area.height);
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
    frame.render_widget(Paragraph::new(left), l);
    frame.render_widget(Paragraph::new(right), r);
}

/// What the help lists in `context`.
fn sections(context: Context) -> Vec<Context> {
    match context {
        Context::List => vec![
            Context::List,
            Context::Filter,
            Context::Confirm,
            Context::Everywhere,
        ],
        Context::Database => vec![Context::Database, Context::Confirm, Context::Everywhere],
        other => vec![other, Context::Everywhere],
    }
}

/// The bindings of `contexts`, each under its title, a blank line apart.
fn section_lines<'a>(keys: &Keymap, contexts: &[Context], theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for context in contexts {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(context.title(), theme.header));
        for binding in keys.bindings().iter().filter(|b| b.context == *context) {
            let names: Vec<String> = binding.keys.iter().map(key_label).collect();
            lines.push(Line::from(vec![
                Span::styled(format!(" {}", format::fit(&names.join(" "), 10)), theme.key),
                Span::styled(format::fit(binding.help, 26), theme.text),
            ]));
        }
    }
    lines
}
