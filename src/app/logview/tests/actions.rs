//! Time ranges, saving, the mouse and plain toggles, restarts, the picker.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

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
        Command::OpenLogs { session: opened, sources, query: asked, .. },
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
    assert!(!app.screen.mouse_capture);
    assert!(
        app.messages
            .status
            .as_ref()
            .unwrap()
            .text
            .starts_with("mouse off")
    );
    app.update(ch('M'));
    assert!(app.screen.mouse_capture);
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
    assert_eq!(app.messages.status.as_ref().unwrap().level, Level::Info);

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

/// The prompt's and the picker's keys are the keymap's: remapped, the
/// new keys work and the old ones are text or nothing.
#[test]
fn the_prompt_and_the_picker_take_their_keys_from_the_keymap() {
    let config = "[keys.log_prompt]\napply = \"tab\"\nback = \"ctrl-g\"\n\n\
                  [keys.source_picker]\ntoggle_source = \"x\"\nback = \"q\"\n";
    let settings = Settings {
        keys: crate::config::keys::keymap(config, "k.toml").unwrap(),
        ..Settings::default()
    };
    let mut app = open_with(settings.clone(), false);
    app.update(ch('&'));
    type_text(&mut app, "db");
    app.update(key(KeyCode::Enter));
    let view = app.log_view().unwrap();
    assert!(view.input.is_some(), "Enter no longer applies");
    app.update(key(KeyCode::Tab));
    let view = app.log_view().unwrap();
    assert_eq!(view.filter.as_ref().map(|f| f.text.as_str()), Some("db"));
    app.update(ch('&'));
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('g'),
        KeyModifiers::CONTROL,
    )));
    let view = app.log_view().unwrap();
    assert!(
        view.input.is_none() && view.filter.is_none(),
        "Ctrl-G removes it"
    );

    let mut app = open_with(settings, true);
    app.update(ch('s'));
    app.update(key(KeyCode::Char(' ')));
    assert!(app.log_view().unwrap().sources[0].on, "Space does nothing");
    app.update(ch('x'));
    assert!(!app.log_view().unwrap().sources[0].on);
    let commands = app.update(ch('q'));
    assert!(
        app.log_view().unwrap().input.is_none(),
        "q closes the picker"
    );
    assert!(!commands.contains(&Command::Quit), "{commands:?}");
}

#[test]
fn ctrl_c_quits_while_typing_or_picking() {
    let ctrl_c = || Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    let mut app = open(100, true);
    app.update(ch('/'));
    assert!(app.update(ctrl_c()).contains(&Command::Quit));
    let mut app = open(100, true);
    app.update(ch('s'));
    assert!(app.update(ctrl_c()).contains(&Command::Quit));
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
    assert_eq!(app.messages.status.as_ref().unwrap().level, Level::Error);
}
