//! What log streams report, into the open log view.

use chrono::{DateTime, Utc};

use super::{App, LogView, View};
use crate::event::LogEvent;

impl App {
    pub(super) fn on_log(&mut self, event: LogEvent) {
        let View::Logs(view) = &mut self.screen.view else {
            return;
        };
        match event {
            LogEvent::Lines { session, lines } if session == view.session => view.append(lines),
            LogEvent::Ended {
                session,
                source,
                reason,
            } if session == view.session => {
                view.notice = Some(source_notice(view, source, &reason));
            }
            LogEvent::Failed {
                session,
                source,
                error,
            } if session == view.session => {
                view.notice = Some(source_notice(view, source, &error));
            }
            LogEvent::Restarted {
                session,
                source,
                at,
                exit,
                recreated,
            } if session == view.session => {
                // The run that stopped runs again: its notice is old news.
                // (A recreation's notice says which container is followed.)
                if !recreated {
                    view.notice = None;
                }
                let text = separator_text(at, exit, recreated);
                view.append(vec![LogView::separator(source, at, text)]);
            }
            _ => {}
        }
    }
}

fn source_notice(view: &LogView, source: usize, reason: &str) -> String {
    match view.label(source) {
        Some(label) if view.merged => format!("{label}: {reason}"),
        _ => reason.to_string(),
    }
}

/// `── restarted 12:01:02 (exit 3) ──`, in UTC as the timestamps are shown.
fn separator_text(at: Option<DateTime<Utc>>, exit: Option<i64>, recreated: bool) -> String {
    let what = if recreated { "recreated" } else { "restarted" };
    let when = at.map_or(String::new(), |t| format!(" {}", t.format("%H:%M:%S")));
    let code = exit.map_or(String::new(), |c| format!(" (exit {c})"));
    format!("── {what}{when}{code} ──")
}
