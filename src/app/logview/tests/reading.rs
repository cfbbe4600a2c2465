//! Search, filter, minimum level and JSON lines.

use crossterm::event::KeyCode;

use super::*;
use crate::app::logview::{Input, PromptKind};

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
    assert!(
        app.messages
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("went round")
    );
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
        app.messages
            .status
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
