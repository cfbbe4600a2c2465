//! The log view from keys and lines in to state and commands out:
//! [`reading`] (search, filter, levels, JSON), [`actions`] (ranges,
//! saving, toggles, restarts, the picker).

mod actions;
mod reading;

use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::{App, Level, Viewport};
use crate::command::Command;
use crate::config::Settings;
use crate::event::{DockerEvent, Event, LogEvent};
use crate::logtext::make_line;
use crate::model::Sample;
use crate::model::{Container, EngineId, LogLine, LogQuery, LogStream, Severity};

pub(super) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

pub(super) fn container(id: &str, service: &str) -> Container {
    let started = now() - Duration::hours(1);
    Sample::service("shop", service, 1)
        .id(id)
        .started(started.with_timezone(&Utc))
        .build()
}

/// An app with a project `shop` of `api` and `db`, its logs open: merged
/// when `merged`, else `api`'s alone.
pub(super) fn open(capacity: usize, merged: bool) -> App {
    let settings = Settings {
        log_lines: capacity,
        ..Settings::default()
    };
    open_with(settings, merged)
}

/// [`open`] with `settings`.
pub(super) fn open_with(settings: Settings, merged: bool) -> App {
    let mut app = App::new(settings, String::new(), now().fixed_offset());
    app.screen.viewport = Viewport {
        width: 80,
        height: 24,
        list_rows: 20,
        log_rows: 22,
    };
    let containers = vec![container("a", "api"), container("d", "db")];
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Containers(containers),
    ));
    app.list.selected = usize::from(!merged);
    app.update(ch('l'));
    assert!(app.log_view().is_some());
    app
}

pub(super) fn ch(c: char) -> Event {
    key(KeyCode::Char(c))
}

pub(super) fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(super) fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(ch(c));
    }
}

/// Line `n` of source 0, stamped `n` seconds after the view opened.
pub(super) fn line(n: i64, text: &str) -> LogLine {
    line_of(0, n, text)
}

pub(super) fn line_of(source: usize, n: i64, text: &str) -> LogLine {
    make_line(
        Some(now() + Duration::seconds(n)),
        LogStream::Stdout,
        source,
        text.as_bytes(),
    )
}

pub(super) fn send(app: &mut App, lines: Vec<LogLine>) {
    let session = app.log_view().unwrap().session;
    app.update(Event::Log(LogEvent::Lines { session, lines }));
}

pub(super) fn numbered(app: &mut App, count: i64, every: i64, word: &str) {
    let lines = (0..count)
        .map(|i| {
            let text = if i % every == 0 {
                format!("{i} {word}")
            } else {
                format!("{i} ok")
            };
            line(i, &text)
        })
        .collect();
    send(app, lines);
}

pub(super) fn search(app: &mut App, pattern: &str) {
    app.update(ch('/'));
    type_text(app, pattern);
    app.update(key(KeyCode::Enter));
}

pub(super) fn position(app: &App) -> Option<(u64, u64)> {
    app.log_view().unwrap().match_position()
}

pub(super) trait WithCtrl {
    fn with_ctrl(self) -> Event;
}

impl WithCtrl for Event {
    fn with_ctrl(self) -> Event {
        match self {
            Event::Key(k) => Event::Key(KeyEvent::new(k.code, KeyModifiers::CONTROL)),
            other => other,
        }
    }
}
