//! The help overlay, generated from the keymap in force: the keys of the
//! view open now and of what it can open (the filter, a confirmation, the
//! log view's prompt and source picker), then the keys that work
//! everywhere. Its sections flow into as many columns as the width holds,
//! and it scrolls when the screen is too short for them (a small pane).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::format;
use crate::keymap::{Action, Context, Keymap, key_label};
use crate::theme::Theme;

/// Cells of one column: the keys, what they do, a gap.
const COLUMN: u16 = 38;
const MAX_COLUMNS: u16 = 3;

/// The help of `context` scrolled down `scroll` lines (at most as far as
/// it goes); returns how far it can scroll on this screen. `picking`: the
/// source picker can open (merged logs).
pub fn render(
    keys: &Keymap,
    context: Context,
    picking: bool,
    scroll: usize,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) -> usize {
    let sections = sections(context, picking);
    let shape = Shape::of(keys, &sections, area.width, area.height);
    let scroll = scroll.min(shape.overflow());
    let title = if shape.overflow() > 0 {
        format!(
            " Keys — {} scroll, other keys close ",
            scroll_keys(keys, context)
        )
    } else {
        " Keys — any key closes ".to_string()
    };
    let popup = super::widgets::centered(area, shape.width, shape.box_height());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let items = items(keys, &sections, theme, shape.gaps);
    let columns = flow(&items, shape.tall, &Line::raw(""));
    let areas = Layout::horizontal(vec![Constraint::Fill(1); shape.columns]).split(inner);
    for (lines, column) in columns.into_iter().zip(areas.iter()) {
        let lines: Vec<Line> = lines.into_iter().skip(scroll).collect();
        frame.render_widget(Paragraph::new(lines), *column);
    }
    shape.overflow()
}

/// The keys that scroll the help in `context`: `↑↓` (two arrows read as
/// one sign), else with a slash, `k/j`.
fn scroll_keys(keys: &Keymap, context: Context) -> String {
    let up = keys.key_of(context, Action::Up);
    let down = keys.key_of(context, Action::Down);
    let arrow = |key: &str| matches!(key, "↑" | "↓");
    if arrow(&up) && arrow(&down) {
        format!("{up}{down}")
    } else {
        format!("{up}/{down}")
    }
}

/// What the help lists in `context`.
fn sections(context: Context, picking: bool) -> Vec<Context> {
    match context {
        Context::List => vec![
            Context::List,
            Context::Filter,
            Context::Confirm,
            Context::Everywhere,
        ],
        Context::Database => vec![Context::Database, Context::Confirm, Context::Everywhere],
        Context::Logs if picking => vec![
            Context::Logs,
            Context::Prompt,
            Context::Picker,
            Context::Everywhere,
        ],
        Context::Logs => vec![Context::Logs, Context::Prompt, Context::Everywhere],
        other => vec![other, Context::Everywhere],
    }
}

/// The help's size on a screen.
struct Shape {
    columns: usize,
    /// Whether a blank line parts the sections (left out when that makes
    /// the help fit).
    gaps: bool,
    /// Lines of the tallest column.
    tall: usize,
    width: u16,
    /// Room for lines inside the border.
    room: usize,
}

impl Shape {
    fn of(keys: &Keymap, sections: &[Context], width: u16, height: u16) -> Self {
        let columns = (width.saturating_sub(2) / COLUMN).clamp(1, MAX_COLUMNS) as usize;
        let room = height.saturating_sub(2) as usize;
        let shape = |gaps: bool| {
            let sizes: Vec<Option<()>> = sections
                .iter()
                .enumerate()
                .flat_map(|(i, context)| {
                    let bindings = keys.bindings().iter().filter(|b| b.context == *context);
                    let bindings = bindings.count();
                    let gap = (gaps && i > 0).then_some(None);
                    gap.into_iter()
                        .chain(std::iter::repeat_n(Some(()), bindings + 1))
                })
                .collect();
            Self {
                columns,
                gaps,
                tall: height_of(&sizes, columns, &()),
                width: (columns as u16 * COLUMN + 2).min(width),
                room,
            }
        };
        let spaced = shape(true);
        if spaced.overflow() == 0 {
            spaced
        } else {
            shape(false)
        }
    }

    fn box_height(&self) -> u16 {
        (self.tall.min(self.room) + 2) as u16
    }

    fn overflow(&self) -> usize {
        self.tall.saturating_sub(self.room)
    }
}

/// Every line of the help; `None` between sections when `gaps`.
fn items<'a>(
    keys: &Keymap,
    sections: &[Context],
    theme: &Theme,
    gaps: bool,
) -> Vec<Option<Line<'a>>> {
    let mut items = Vec::new();
    for (i, context) in sections.iter().enumerate() {
        if gaps && i > 0 {
            items.push(None);
        }
        items.push(Some(Line::styled(context.title(), theme.header)));
        for binding in keys.bindings().iter().filter(|b| b.context == *context) {
            let names: Vec<String> = binding.keys.iter().map(key_label).collect();
            items.push(Some(Line::from(vec![
                Span::styled(format!(" {}", format::fit(&names.join(" "), 10)), theme.key),
                Span::styled(format::fit(binding.help, 26), theme.text),
            ])));
        }
    }
    items
}

/// The lowest column height that holds `items` in `columns` columns.
fn height_of<T: Clone>(items: &[Option<T>], columns: usize, blank: &T) -> usize {
    let lines = items.len();
    (lines.div_ceil(columns)..=lines)
        .find(|tall| flow(items, *tall, blank).len() <= columns)
        .unwrap_or(lines)
}

/// `items` poured into columns of `tall` lines, in order, like a
/// newspaper's; a gap (`None`, drawn as `blank`) that would open a column
/// is left out.
fn flow<T: Clone>(items: &[Option<T>], tall: usize, blank: &T) -> Vec<Vec<T>> {
    let mut out: Vec<Vec<T>> = vec![Vec::new()];
    for item in items {
        if out.last().is_some_and(|c| c.len() >= tall.max(1)) {
            out.push(Vec::new());
        }
        let Some(column) = out.last_mut() else {
            continue;
        };
        match item {
            None if column.is_empty() => {}
            None => column.push(blank.clone()),
            Some(line) => column.push(line.clone()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_flow_into_columns_and_gaps_never_open_one() {
        let items = [Some(1), Some(2), None, Some(3), Some(4), None, Some(5)];
        assert_eq!(height_of(&items, 2, &0), 4);
        let columns = flow(&items, 4, &0);
        assert_eq!(columns.len(), 2);
        assert_eq!(columns[1].first(), Some(&4));
    }

    #[test]
    fn the_help_fits_80x24_and_scrolls_in_a_small_pane() {
        let keys = Keymap::default();
        let list = sections(Context::List, false);
        let overflow = |w, h| Shape::of(&keys, &list, w, h).overflow();
        assert_eq!(overflow(80, 24), 0, "the help fits a standard terminal");
        assert!(overflow(100, 12) > 0, "a small pane scrolls it");
    }
}
