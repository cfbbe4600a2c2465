//! The log lines on screen: each line's marks, level colour, structured
//! form and search highlights, wrapped or cut to the width.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use super::super::format;
use super::super::widgets::sgr_style;
use crate::app::LogView;
use crate::model::{LogLine, LogStream, Mark, PartRole, Structured};
use crate::theme::Theme;

/// A run of text and its style; a line's content before it becomes spans.
type Piece = (String, Style);

/// Rows to draw: the shown lines ending at the view's bottom line, wrapped
/// or cut to `width`, as many as fit in `height` rows.
pub fn visible<'a>(view: &LogView, theme: &Theme, width: usize, height: usize) -> Vec<Line<'a>> {
    let mut rows: Vec<Line<'a>> = Vec::with_capacity(height);
    let end = view.bottom().map_or(0, |b| b + 1);
    let marked = view.buffer.iter().zip(view.buffer.marks()).take(end);
    for (index, (line, mark)) in marked.enumerate().rev() {
        if mark.hidden {
            continue;
        }
        let styled = styled_line(view, index, line, mark, theme);
        let mut wrapped = if view.wrap {
            wrap(styled, width, !view.plain)
        } else {
            vec![styled]
        };
        // Walking back from the newest line: prepend its rows.
        while let Some(row) = wrapped.pop() {
            if rows.len() == height {
                break;
            }
            rows.push(row);
        }
        if rows.len() == height {
            break;
        }
    }
    rows.reverse();
    if rows.is_empty() {
        let text = if view.buffer.is_empty() {
            " waiting for log lines…"
        } else {
            " no line shown: the filter or the minimum level hides them all"
        };
        rows.push(Line::styled(text, theme.muted));
    }
    rows
}

/// One log line as spans: stderr mark, timestamp, source prefix, text.
fn styled_line<'a>(
    view: &LogView,
    index: usize,
    line: &LogLine,
    mark: &Mark,
    theme: &Theme,
) -> Line<'a> {
    let mut spans = Vec::with_capacity(line.spans.len() + 3);
    if !view.plain {
        spans.push(match line.stream {
            LogStream::Stderr => Span::styled("▌", theme.stderr),
            _ => Span::raw(" "),
        });
    }
    if view.timestamps {
        let text = line
            .timestamp
            .map_or_else(|| "-".repeat(12), |t| t.format("%H:%M:%S%.3f").to_string());
        spans.push(Span::styled(format!("{text} "), theme.timestamp));
    }
    if view.merged
        && !view.plain
        && let Some(label) = view.label(line.source)
    {
        let label = format::fit(label, view.prefix_width());
        spans.push(Span::styled(
            format!("{label} │ "),
            prefix_style(theme, line.source),
        ));
    }
    let pieces = highlighted(view, index, line, mark, theme);
    spans.extend(
        pieces
            .into_iter()
            .map(|(text, style)| Span::styled(text, style)),
    );
    Line::from(spans)
}

/// The colour of source `index`'s prefix in merged logs.
pub fn prefix_style(theme: &Theme, index: usize) -> Style {
    let colour = theme
        .log_prefixes
        .get(index % theme.log_prefixes.len().max(1))
        .copied();
    colour.map_or(theme.info, |c| Style::default().fg(c))
}

/// The line's text in pieces, coloured by level and by search matches.
fn highlighted(
    view: &LogView,
    index: usize,
    line: &LogLine,
    mark: &Mark,
    theme: &Theme,
) -> Vec<Piece> {
    if line.stream == LogStream::Stacktop {
        return vec![(line.text(), theme.separator)];
    }
    let pieces = match &line.structured {
        Some(structured) if view.structured => structured_pieces(structured, line, theme),
        _ => raw_pieces(line, theme),
    };
    let Some(search) = view.search.as_ref().filter(|_| mark.hits > 0) else {
        return pieces;
    };
    let text = line.shown_text(view.structured);
    let current = search
        .current
        .filter(|hit| hit.line == index)
        .map(|hit| hit.nth);
    let ranges: Vec<(Range<usize>, Style)> = search
        .pattern
        .ranges(&text)
        .into_iter()
        .enumerate()
        .map(|(nth, range)| {
            let style = if current == Some(nth as u32) {
                theme.search_current
            } else {
                theme.search_match
            };
            (range, style)
        })
        .collect();
    paint(pieces, &ranges)
}

/// The spans as the program coloured them, the level word in its colour.
fn raw_pieces(line: &LogLine, theme: &Theme) -> Vec<Piece> {
    let pieces: Vec<Piece> = line
        .spans
        .iter()
        .map(|s| (s.text.clone(), theme.paint(sgr_style(&s.style))))
        .collect();
    match line.level {
        Some(tag) => {
            let range = usize::from(tag.start)..usize::from(tag.end);
            paint(pieces, &[(range, theme.level(tag.severity))])
        }
        None => pieces,
    }
}

/// `time level message key=value …`, each part in its role's colour.
fn structured_pieces(structured: &Structured, line: &LogLine, theme: &Theme) -> Vec<Piece> {
    let text = &structured.text;
    let mut pieces = Vec::with_capacity(structured.parts.len() * 2 + 1);
    let mut at = 0;
    for part in &structured.parts {
        let (start, end) = (part.start as usize, part.end as usize);
        if let (Some(gap), Some(body)) = (text.get(at..start), text.get(start..end)) {
            if !gap.is_empty() {
                pieces.push((gap.to_string(), theme.text));
            }
            let style = match part.role {
                PartRole::Time => theme.timestamp,
                PartRole::Level => line.severity().map_or(theme.text, |s| theme.level(s)),
                PartRole::Message => theme.message,
                PartRole::Key => theme.field_key,
                PartRole::Value => theme.text,
            };
            pieces.push((body.to_string(), style));
            at = end;
        }
    }
    if let Some(rest) = text.get(at..).filter(|r| !r.is_empty()) {
        pieces.push((rest.to_string(), theme.text));
    }
    pieces
}

/// Patches `ranges` (byte ranges of the pieces' joined text, in order,
/// not overlapping) with their styles, splitting pieces where they start
/// and end. A range that does not fall on character boundaries is skipped.
fn paint(pieces: Vec<Piece>, ranges: &[(Range<usize>, Style)]) -> Vec<Piece> {
    if ranges.is_empty() {
        return pieces;
    }
    let mut out = Vec::with_capacity(pieces.len() + ranges.len() * 2);
    let mut offset = 0;
    for (text, style) in pieces {
        let piece_end = offset + text.len();
        let mut cut = 0;
        for (range, patch) in ranges {
            let start = range.start.clamp(offset, piece_end) - offset;
            let end = range.end.clamp(offset, piece_end) - offset;
            if start >= end || start < cut {
                continue;
            }
            if !(text.is_char_boundary(start) && text.is_char_boundary(end)) {
                continue;
            }
            if start > cut {
                out.push((text[cut..start].to_string(), style));
            }
            out.push((text[start..end].to_string(), style.patch(*patch)));
            cut = end;
        }
        if cut < text.len() {
            out.push((text[cut..].to_string(), style));
        }
        offset = piece_end;
    }
    out
}

/// Splits a line into rows of at most `width` cells, keeping styles;
/// continuation rows are indented past the stderr mark when `indent`.
fn wrap(line: Line<'_>, width: usize, indent: bool) -> Vec<Line<'_>> {
    let width = width.max(2);
    let mut rows = vec![Vec::new()];
    let mut used = 0;
    for span in line.spans {
        let mut piece = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width {
                if let Some(row) = rows.last_mut() {
                    row.push(Span::styled(std::mem::take(&mut piece), span.style));
                }
                rows.push(if indent {
                    vec![Span::raw(" ")]
                } else {
                    Vec::new()
                });
                used = usize::from(indent);
            }
            piece.push(c);
            used += w;
        }
        if let Some(row) = rows.last_mut() {
            row.push(Span::styled(piece, span.style));
        }
    }
    rows.into_iter().map(Line::from).collect()
}

#[cfg(test)]
mod tests {
    use ratatui::style::Color;

    use super::*;

    fn texts(pieces: &[Piece]) -> Vec<&str> {
        pieces.iter().map(|(t, _)| t.as_str()).collect()
    }

    #[test]
    fn paint_splits_pieces_at_range_edges_across_pieces() {
        let red = Style::default().fg(Color::Red);
        let pieces = vec![
            ("héllo ".to_string(), Style::default()),
            ("world".into(), red),
        ];
        let hit = Style::default().bg(Color::Yellow);
        let out = paint(pieces, &[(1..3, hit), (5..9, hit)]);
        assert_eq!(texts(&out), ["h", "é", "ll", "o ", "wo", "rld"]);
        assert_eq!(out[1].1, hit);
        assert_eq!(out[4].1, red.patch(hit));
        assert_eq!(out[5].1, red);
    }

    #[test]
    fn paint_skips_ranges_off_character_boundaries() {
        let pieces = vec![("日本".to_string(), Style::default())];
        let out = paint(pieces, &[(1..2, Style::default().bg(Color::Red))]);
        assert_eq!(texts(&out), ["日本"]);
    }
}
