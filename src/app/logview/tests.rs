//! The log view from keys and lines in to state and commands out.

use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Input, PromptKind};
use crate::app::{App, Level, Viewport};
use crate::command::Command;
use crate::config::Settings;
use crate::event::{DockerEvent, Event, LogEvent};
use crate::logtext::make_line;
use crate::model::{Container, ContainerState, Health, LogLine, LogQuery, LogStream, Severity};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

fn container(id: &str, service: &str) -> Container {
    Container {
        id: id.into(),
        name: format!("shop-{service}-1"),
        project: Some("shop".into()),
        service: Some(service.into()),
        number: Some(1),
        image: "busybox".into(),
        state: ContainerState::Running,
        health: Health::None,
        started_at: Some(now() - Duration::hours(1)),
        finished_at: None,
        restart_count: 0,
        ports: Vec::new(),
        tty: false,
        spec: Default::default(),
    }
}

/// An app with a project `shop` of `api` and `db`, its logs open: merged
/// when `merged`, else `api`'s alone.
fn open(capacity: usize, merged: bool) -> App {
    let settings = Settings {
        log_lines: capacity,
        ..Settings::default()
    };
    let mut app = App::new(settings, String::new(), now().fixed_offset());
    app.viewport = Viewport {
        width: 80,
        height: 24,
        list_rows: 20,
        log_rows: 22,
    };
    let containers = vec![container("a", "api"), container("d", "db")];
    app.update(Event::Docker(DockerEvent::Containers(containers)));
    app.selected = usize::from(!merged);
    app.update(ch('l'));
    assert!(app.log_view().is_some());
    app
}

fn ch(c: char) -> Event {
    key(KeyCode::Char(c))
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(ch(c));
    }
}

/// Line `n` of source 0, stamped `n` seconds after the view opened.
fn line(n: i64, text: &str) -> LogLine {
    line_of(0, n, text)
}

fn line_of(source: usize, n: i64, text: &str) -> LogLine {
    make_line(
        Some(now() + Duration::seconds(n)),
        LogStream::Stdout,
        source,
        text.as_bytes(),
    )
}

fn send(app: &mut App, lines: Vec<LogLine>) {
    let session = app.log_view().unwrap().session;
    app.update(Event::Log(LogEvent::Lines { session, lines }));
}

fn numbered(app: &mut App, count: i64, every: i64, word: &str) {
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

fn search(app: &mut App, pattern: &str) {
    app.update(ch('/'));
    type_text(app, pattern);
    app.update(key(KeyCode::Enter));
}

fn position(app: &App) -> Option<(u64, u64)> {
    app.log_view().unwrap().match_position()
}

#[test]
fn search_counts_every_match_and_goes_to_the_newest() {
    let mut app = open(1000, false);
    numbered(&mut app, 100, 10, "boom boom");
    search(&mut app, "BOOM");
    assert_eq!(
        app.log_view().unwrap().search.as_ref().unwrap().total,
        0,
        "upper case is exact"
    );
    search(&mut app, "boom");
    assert_eq!(position(&app), Some((20, 20)));
    let view = app.log_view().unwrap();
    assert!(!view.follow, "going to a match pauses following");
    assert_eq!(view.search.as_ref().unwrap().current.unwrap().line, 90);
    assert!(view.scroll <= 9 && view.scroll >= 6, "{}", view.scroll);
}

#[test]
fn n_goes_newer_and_capital_n_older_going_round() {
    let mut app = open(1000, false);
    numbered(&mut app, 30, 10, "hit");
    search(&mut app, "hit");
    assert_eq!(position(&app), Some((3, 3)));
    app.update(ch('N'));
    assert_eq!(position(&app), Some((2, 3)));
    app.update(ch('N'));
    app.update(ch('N'));
    assert_eq!(position(&app), Some((3, 3)), "round to the newest");
    assert!(app.status.as_ref().unwrap().text.contains("went round"));
    app.update(ch('n'));
    assert_eq!(position(&app), Some((1, 3)), "round to the oldest");
}

#[test]
fn no_match_says_so_and_the_view_stays() {
    let mut app = open(1000, false);
    numbered(&mut app, 50, 10, "x");
    search(&mut app, "absent");
    let view = app.log_view().unwrap();
    assert!(view.follow);
    assert_eq!(view.scroll, 0);
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("no match for absent")
    );
    app.update(ch('n'));
    assert!(app.log_view().unwrap().follow);
}

#[test]
fn new_lines_are_matched_and_dropped_ones_leave_the_count() {
    let mut app = open(100, false);
    numbered(&mut app, 100, 10, "hit");
    search(&mut app, "hit");
    assert_eq!(position(&app), Some((10, 10)));
    // 50 newer lines push out the 50 oldest (5 matches), bring 5 new ones.
    let lines = (100..150)
        .map(|i| {
            line(
                i,
                &format!("{i} {}", if i % 10 == 0 { "hit" } else { "ok" }),
            )
        })
        .collect();
    send(&mut app, lines);
    let view = app.log_view().unwrap();
    assert_eq!(view.search.as_ref().unwrap().total, 10);
    assert_eq!(
        view.buffer
            .get(view.search.as_ref().unwrap().current.unwrap().line)
            .unwrap()
            .text(),
        "90 hit"
    );
    assert_eq!(position(&app), Some((5, 10)));
    // The current match's line drops out too: no current match, count true.
    let lines = (150..250).map(|i| line(i, "later")).collect();
    send(&mut app, lines);
    assert_eq!(position(&app), None);
    assert_eq!(app.log_view().unwrap().search.as_ref().unwrap().total, 0);
}

#[test]
fn an_invalid_pattern_stays_in_the_prompt_with_its_error() {
    let mut app = open(100, false);
    numbered(&mut app, 10, 2, "x");
    app.update(ch('/'));
    type_text(&mut app, "a(b");
    app.update(key(KeyCode::Enter));
    let view = app.log_view().unwrap();
    match &view.input {
        Some(Input::Prompt(p)) => {
            assert_eq!(p.kind, PromptKind::Search);
            assert!(p.error.as_deref().unwrap().contains("unclosed group"));
        }
        other => panic!("prompt closed: {other:?}"),
    }
    assert!(view.search.is_none() && view.follow);
    app.update(key(KeyCode::Esc));
    assert!(app.log_view().unwrap().input.is_none());
}

#[test]
fn filter_hides_lines_inverts_and_goes_away() {
    let mut app = open(1000, false);
    numbered(&mut app, 100, 4, "GET /health");
    app.update(ch('&'));
    type_text(&mut app, "health");
    app.update(key(KeyCode::Enter));
    let view = app.log_view().unwrap();
    assert_eq!((view.shown(), view.hidden), (25, 75));
    // Search works inside the filter: only shown lines count.
    search(&mut app, "ok|health");
    assert_eq!(position(&app), Some((25, 25)));
    app.update(ch('&'));
    app.update(key(KeyCode::Char('u')).with_ctrl());
    type_text(&mut app, "!health");
    app.update(key(KeyCode::Enter));
    assert_eq!(app.log_view().unwrap().hidden, 25);
    assert_eq!(app.log_view().unwrap().search.as_ref().unwrap().total, 75);
    app.update(ch('&'));
    app.update(key(KeyCode::Esc));
    let view = app.log_view().unwrap();
    assert!(view.filter.is_none());
    assert_eq!(view.hidden, 0);
}

#[test]
fn following_and_scrolling_count_shown_lines_inside_a_filter() {
    let mut app = open(1000, false);
    numbered(&mut app, 100, 2, "even");
    app.update(ch('&'));
    type_text(&mut app, "even");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Up));
    let view = app.log_view().unwrap();
    assert_eq!(view.bottom(), Some(96), "one shown line up from 98");
    send(&mut app, vec![line(100, "100 even"), line(101, "101 odd")]);
    let view = app.log_view().unwrap();
    assert_eq!(
        (view.scroll, view.bottom()),
        (2, Some(96)),
        "the reader's place stays"
    );
    app.update(ch('f'));
    assert_eq!(app.log_view().unwrap().bottom(), Some(100));
}

#[test]
fn minimum_level_cycles_and_continuation_lines_follow_their_line() {
    let mut app = open(100, false);
    send(
        &mut app,
        vec![
            line(1, "INFO started"),
            line(2, "ERROR boom"),
            line(3, "    at main.rs:3"),
            line(4, "plain text"),
            line(5, r#"{"level":40,"msg":"slow"}"#),
            line(6, "DEBUG noise"),
        ],
    );
    let shown = |app: &App| app.log_view().unwrap().shown();
    assert_eq!(shown(&app), 6);
    app.update(ch('L'));
    assert_eq!(app.log_view().unwrap().min_level, Some(Severity::Info));
    assert_eq!(shown(&app), 5, "debug goes; plain text counts as info");
    app.update(ch('L'));
    assert_eq!(shown(&app), 3, "error, its stack frame, the JSON warning");
    app.update(ch('L'));
    assert_eq!(shown(&app), 2);
    app.update(ch('L'));
    assert_eq!(app.log_view().unwrap().min_level, None);
    assert_eq!(shown(&app), 6);
}

#[test]
fn merged_logs_count_warnings_and_errors_since_opening_once() {
    let mut app = open(100, true);
    let lines = vec![
        line_of(0, -5, "ERROR before the view opened"),
        line_of(0, 1, "WARN one"),
        line_of(1, 2, "level=error two"),
        line_of(1, 3, "ERROR three"),
    ];
    send(&mut app, lines.clone());
    let counts = |app: &App| {
        let view = app.log_view().unwrap();
        view.sources
            .iter()
            .map(|s| (s.warnings, s.errors))
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(&app), [(1, 0), (0, 2)]);
    // A reload sends the same lines again: they are not counted twice.
    app.update(ch('0'));
    send(&mut app, lines);
    assert_eq!(counts(&app), [(1, 0), (0, 2)]);
}

#[test]
fn json_toggle_switches_what_search_and_filter_read() {
    let mut app = open(100, false);
    send(
        &mut app,
        vec![line(1, r#"{"msg":"disk full","level":"error"}"#)],
    );
    search(&mut app, "ERROR disk");
    assert_eq!(app.log_view().unwrap().search.as_ref().unwrap().total, 1);
    app.update(ch('J'));
    let view = app.log_view().unwrap();
    assert!(!view.structured);
    assert_eq!(
        view.search.as_ref().unwrap().total,
        0,
        "the raw line reads differently"
    );
}

#[test]
fn time_ranges_reload_with_since_and_tail() {
    let mut app = open(5000, false);
    let old = app.log_view().unwrap().session;
    numbered(&mut app, 10, 2, "x");
    let commands = app.update(ch('2'));
    let view = app.log_view().unwrap();
    assert!(view.buffer.is_empty());
    let session = view.session;
    assert_ne!(session, old);
    let query = LogQuery {
        tail: 5000,
        since: Some(now() - Duration::minutes(5)),
    };
    assert!(matches!(&commands[..], [
        Command::CloseLogs { session: closed },
        Command::OpenLogs { session: opened, sources, query: asked },
    ] if *closed == old && *opened == session && sources.len() == 1 && *asked == query));
    let commands = app.update(ch('0'));
    assert!(matches!(&commands[1], Command::OpenLogs { query, .. }
        if *query == LogQuery { tail: 500, since: None }));
    let commands = app.update(ch('5'));
    assert!(matches!(&commands[1], Command::OpenLogs { query, .. }
        if *query == LogQuery { tail: 5000, since: None }));
}

#[test]
fn save_writes_the_shown_lines_as_plain_text_in_a_job() {
    let mut app = open(100, true);
    let coloured = make_line(
        Some(now()),
        LogStream::Stderr,
        1,
        b"\x1b[31mERROR\x1b[0m red",
    );
    send(
        &mut app,
        vec![line(1, "GET /a"), coloured, line(2, "GET /b")],
    );
    app.update(ch('&'));
    type_text(&mut app, "!/b");
    app.update(key(KeyCode::Enter));
    app.update(ch('t'));
    let commands = app.update(ch('S'));
    let [Command::SaveLog { path, text, lines }] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert_eq!(path.to_str(), Some("./shop-20261125-120000.log"));
    assert_eq!(*lines, 2);
    assert_eq!(
        text,
        "2026-11-25T12:00:00.000Z db | ERROR red\n2026-11-25T12:00:01.000Z api | GET /a\n"
    );
    assert!(!text.contains('\x1b'));
}

#[test]
fn mouse_and_plain_toggles() {
    let mut app = open(100, false);
    app.update(ch('M'));
    assert!(!app.mouse_capture);
    assert!(app.status.as_ref().unwrap().text.starts_with("mouse off"));
    app.update(ch('M'));
    assert!(app.mouse_capture);
    app.update(ch('p'));
    assert!(app.log_view().unwrap().plain);
}

#[test]
fn a_restart_puts_a_separator_between_the_runs() {
    let mut app = open(100, false);
    send(&mut app, vec![line(1, "first run")]);
    let session = app.log_view().unwrap().session;
    app.update(Event::Log(LogEvent::Ended {
        session,
        source: 0,
        reason: "container exited with code 3".into(),
    }));
    app.update(Event::Log(LogEvent::Restarted {
        session,
        source: 0,
        at: Some(now() + Duration::seconds(2)),
        exit: Some(3),
        recreated: false,
    }));
    send(&mut app, vec![line(3, "second run")]);
    let view = app.log_view().unwrap();
    let texts: Vec<String> = view.buffer.iter().map(LogLine::text).collect();
    assert_eq!(
        texts,
        [
            "first run",
            "── restarted 12:00:02 (exit 3) ──",
            "second run"
        ]
    );
    assert_eq!(view.notice, None);
    // A filter never hides the separator.
    app.update(ch('&'));
    type_text(&mut app, "run");
    app.update(key(KeyCode::Enter));
    assert_eq!(app.log_view().unwrap().hidden, 0);
}

#[test]
fn the_picker_turns_sources_off_and_reloads_the_chosen_ones() {
    let mut app = open(100, false);
    app.update(ch('s'));
    assert!(
        app.log_view().unwrap().input.is_none(),
        "one source: no picker"
    );
    assert_eq!(app.status.as_ref().unwrap().level, Level::Info);

    let mut app = open(100, true);
    app.update(ch('s'));
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Char(' ')));
    let view = app.log_view().unwrap();
    assert!(
        !view.sources[0].on && view.sources[1].on,
        "the last one stays on"
    );
    let commands = app.update(key(KeyCode::Enter));
    let Some(Command::OpenLogs { sources, .. }) = commands.last() else {
        panic!("{commands:?}");
    };
    let chosen: Vec<usize> = sources.iter().map(|(i, _)| *i).collect();
    assert_eq!(chosen, [1]);
    app.update(ch('s'));
    assert!(
        app.update(key(KeyCode::Esc)).is_empty(),
        "nothing changed: no reload"
    );
}

#[test]
fn r_restarts_the_followed_container_unless_read_only() {
    let mut app = open(100, false);
    let commands = app.update(ch('r'));
    assert!(
        matches!(&commands[..], [Command::Act { verb: crate::model::Verb::Restart, container_id, .. }] if container_id == "a")
    );
    app.settings.read_only = true;
    assert!(app.update(ch('r')).is_empty());
    assert_eq!(app.status.as_ref().unwrap().level, Level::Error);
}

trait WithCtrl {
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
