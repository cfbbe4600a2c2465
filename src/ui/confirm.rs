//! The confirmation popup of destructive actions. The app holds what the
//! action touches; the question is written here from it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::format;
use crate::app::Confirm;
use crate::keymap::{Action, Context, Keymap};
use crate::model::{PgBackend, PgSignal, Queue, ResetPlan, Target, VolumeToRemove};
use crate::theme::Theme;

pub fn render(keys: &Keymap, confirm: &Confirm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = question(confirm)
        .into_iter()
        .map(|l| Line::styled(l, theme.text))
        .collect();
    lines.push(Line::from(vec![
        Span::styled(keys.key_of(Context::Confirm, Action::Confirm), theme.key),
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

/// The question, line by line.
pub fn question(confirm: &Confirm) -> Vec<String> {
    match confirm {
        Confirm::Reset(plan) => reset_question(plan),
        Confirm::Signal {
            target,
            backend,
            signal,
        } => vec![signal_question(target, backend, *signal)],
        Confirm::Purge { target, queue } => purge_question(target, queue),
    }
}

fn purge_question(target: &Target, queue: &Queue) -> Vec<String> {
    vec![
        format!(
            "Purge queue {} (vhost {}) on {}?",
            queue.name, queue.vhost, target.name
        ),
        format!(
            "Deletes its {} ready message{}; the {} unacknowledged stay with their consumers.",
            queue.ready,
            if queue.ready == 1 { "" } else { "s" },
            queue.unacked
        ),
    ]
}

fn reset_question(plan: &ResetPlan) -> Vec<String> {
    let what = if plan.whole_project {
        format!("the whole project {}", plan.project())
    } else {
        format!(
            "service {} of project {}",
            plan.services.join(", "),
            plan.project()
        )
    };
    let mut lines = vec![format!("Reset {what}?")];
    let names: Vec<&str> = plan.containers.iter().map(|c| c.name.as_str()).collect();
    lines.push(format!("Stops and removes: {}", names.join(", ")));
    if plan.volumes.is_empty() {
        lines.push("No volume is deleted.".to_string());
    } else {
        lines.push("Deletes these volumes, and their data:".to_string());
        lines.extend(plan.volumes.iter().map(|v| format!("  {}", volume_line(v))));
    }
    lines.push("Then creates and starts it again from its compose definition.".to_string());
    lines
}

fn volume_line(v: &VolumeToRemove) -> String {
    let name = if v.anonymous {
        format!("{} (anonymous)", &v.name[..v.name.len().min(12)])
    } else {
        v.name.clone()
    };
    match v.size_bytes {
        Some(size) => format!("{name}  {}", format::bytes(size)),
        None => format!("{name}  (size unknown)"),
    }
}

fn signal_question(target: &Target, backend: &PgBackend, signal: PgSignal) -> String {
    let what = match signal {
        PgSignal::Cancel => "Cancel the query of",
        PgSignal::Terminate => "Terminate",
    };
    let application = if backend.application.is_empty() {
        "no application"
    } else {
        &backend.application
    };
    format!(
        "{what} backend {} ({application}, {}@{}) on {}?",
        backend.pid, backend.user, backend.database, target.name
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContainerRef, ProjectLocation};

    #[test]
    fn reset_question_names_the_service_and_every_volume_with_its_size() {
        let plan = ResetPlan {
            engine: Default::default(),
            location: ProjectLocation {
                name: "shop".into(),
                ..Default::default()
            },
            services: vec!["db".into()],
            whole_project: false,
            containers: vec![ContainerRef {
                id: "1".into(),
                name: "shop-db-1".into(),
            }],
            volumes: vec![
                VolumeToRemove {
                    name: "shop_pgdata".into(),
                    size_bytes: Some(45 * 1024 * 1024),
                    anonymous: false,
                },
                VolumeToRemove {
                    name: "a".repeat(64),
                    size_bytes: None,
                    anonymous: true,
                },
            ],
        };
        let text = question(&Confirm::Reset(plan)).join("\n");
        assert!(text.contains("service db of project shop"), "{text}");
        assert!(text.contains("Stops and removes: shop-db-1"), "{text}");
        assert!(text.contains("shop_pgdata  45.0M"), "{text}");
        assert!(
            text.contains("aaaaaaaaaaaa (anonymous)  (size unknown)"),
            "{text}"
        );
    }
}
