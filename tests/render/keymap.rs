//! Every view under a keymap with none of the default keys that messages
//! and hints name: what they say must be the key in force, so a hint typed
//! by hand ("/ to search", "q quits") fails here.

use stacktop::config::keys::keymap;

use crate::fixtures::*;

/// Each key a hint or a message names, moved away from its default.
const CUSTOM: &str = r#"
[keys]
help = "f1"
messages = "f2"
timeline = "f3"
quit = ["Q", "ctrl-q"]
up = "i"
down = "o"

[keys.list_view]
filter = "F"
back = "backspace"
toggle_all = "A"
sort = "O"

[keys.log_view]
search = "F"
mouse = "W"

[keys.detail_view]
next_panel = "right"
cancel_query = "C"
terminate_backend = "T"
purge_queue = "ctrl-p"

[keys.confirmation]
confirm = "Y"

[keys.filter_input]
keep_filter = "tab"
back = "ctrl-g"

[keys.log_prompt]
apply = "tab"
back = "ctrl-g"

[keys.source_picker]
toggle_source = "x"
back = "tab"
"#;

/// The overview of the fixture stack at `size`, under [`CUSTOM`].
fn custom_app(size: (u16, u16)) -> App {
    let mut app = overview_app(size);
    app.settings.keys = keymap(CUSTOM, "custom.toml").unwrap();
    app
}

fn press_ctrl(app: &mut App, c: char) {
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Logs of the first service row, or of the project (merged) when `project`.
fn custom_logs(size: (u16, u16), project: bool) -> App {
    let mut app = custom_app(size);
    if !project {
        press(&mut app, KeyCode::Char('o'));
    }
    press(&mut app, KeyCode::Char('l'));
    assert!(app.log_view().is_some());
    app
}

/// Draws `app`, checks it against its snapshot, and that no default key
/// is named where the custom one should be.
fn check(name: &str, app: &App) -> Terminal<TestBackend> {
    let terminal = draw(app, &Theme::default());
    assert_screen(name, &terminal);
    let screen: String = (0..app.screen.viewport.height)
        .map(|y| row_text(&terminal, y) + "\n")
        .collect();
    for default in [
        "? help",
        "q quit",
        "/ to search",
        "Esc clear",
        "Enter keep",
        "Enter finds",
        "Space on/off",
        "Tab: next panel",
        "m: more",
        "(a: ",
        "(o: ",
        " y ",
    ] {
        assert!(
            !screen.contains(default),
            "{name}: {default:?} in\n{screen}"
        );
    }
    terminal
}

#[test]
fn the_overview_names_the_keys_in_force() {
    let app = custom_app((120, 40));
    let terminal = check("keymap_overview_120x40", &app);
    row_of(&terminal, "F1 help");
    row_of(&terminal, " F filter");
    row_of(&terminal, " Q quit");
    let mut app = custom_app((80, 24));
    press(&mut app, KeyCode::Char('O'));
    let terminal = check("keymap_overview_sorted_80x24", &app);
    row_of(&terminal, "(O: next order)");
}

#[test]
fn the_filter_names_the_keys_in_force() {
    let mut app = custom_app((80, 24));
    press(&mut app, KeyCode::Char('F'));
    typed(&mut app, "zzz");
    let terminal = check("keymap_filter_80x24", &app);
    row_of(&terminal, "/zzz▏  Tab keep · Ctrl-g clear");
    row_of(&terminal, "(Bksp clears the filter)");
}

#[test]
fn the_log_prompt_names_the_keys_in_force() {
    let mut app = custom_logs((80, 24), false);
    press(&mut app, KeyCode::Char('F'));
    let terminal = check("keymap_log_prompt_80x24", &app);
    row_of(
        &terminal,
        "Tab finds · empty Tab ends the search · Ctrl-g cancels",
    );
    press_ctrl(&mut app, 'g');
    press(&mut app, KeyCode::Char('&'));
    let terminal = draw(&app, &Theme::default());
    row_of(
        &terminal,
        "Tab applies · empty Tab or Ctrl-g removes the filter",
    );
}

#[test]
fn the_source_picker_names_the_keys_in_force() {
    let mut app = custom_logs((80, 24), true);
    press(&mut app, KeyCode::Char('s'));
    let terminal = check("keymap_source_picker_80x24", &app);
    row_of(&terminal, "Sources: x on/off, Tab loads");
}

#[test]
fn the_detail_view_and_its_confirmation_name_the_keys_in_force() {
    let mut app = custom_app((80, 24));
    app.list.selected = row_of_label(&app, "db");
    press(&mut app, KeyCode::Char('d'));
    let terminal = check("keymap_detail_80x24", &app);
    row_of(&terminal, "(→: next panel)");
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('o'));
    press(&mut app, KeyCode::Char('C'));
    let terminal = check("keymap_confirm_80x24", &app);
    row_of(&terminal, "Y yes");
}

#[test]
fn the_help_of_a_short_pane_names_its_scroll_keys() {
    let theme = Theme::default();
    let mut app = custom_app((100, 12));
    press(&mut app, KeyCode::F(1));
    settle(&mut app, &theme);
    let terminal = check("keymap_help_pane_100x12", &app);
    assert!(row_text(&terminal, 0).contains("i/o scroll"));
}

#[test]
fn a_window_too_small_names_the_quit_key() {
    let mut app = custom_app((80, 24));
    app.update(Event::Resize(ui::layout::viewport(20, 5)));
    let terminal = check("keymap_too_small_20x5", &app);
    row_of(&terminal, "Q quits");
}

/// Messages that name a key, each answering a key under [`CUSTOM`].
#[test]
fn messages_name_the_keys_in_force() {
    let said = |app: &App| {
        app.messages
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap()
    };
    let mut app = custom_app((80, 24));
    app.list.selected = row_of_label(&app, "db");
    press(&mut app, KeyCode::Char('A'));
    assert!(said(&app).contains("(A: all projects)"), "{}", said(&app));

    let mut app = custom_logs((80, 24), false);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(said(&app), "no search: F to search");
    press(&mut app, KeyCode::Char('W'));
    assert!(
        said(&app).contains("(W: wheel scrolls again)"),
        "{}",
        said(&app)
    );

    let mut app = custom_app((80, 24));
    app.list.selected = row_of_label(&app, "db");
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('T'));
    assert!(said(&app).contains("panel (→) first"), "{}", said(&app));
    press_ctrl(&mut app, 'p');
    assert_eq!(said(&app), "Ctrl-p purges RabbitMQ queues");

    let mut app = custom_app((80, 24));
    app.list.selected = row_of_label(&app, "cache");
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('C'));
    assert_eq!(said(&app), "C and T work on PostgreSQL backends");
}

#[test]
fn a_cut_message_points_to_the_messages_key_in_force() {
    let mut app = custom_app((80, 24));
    let failure = CliFailure {
        program: "docker-compose".into(),
        error: "The Compose file './compose.yaml' is invalid because:\n'name' does not match any of the regexes: '^x-'".into(),
        refusal: None,
    };
    app.update(Event::Compose(ComposeEvent::Loaded {
        engine: EngineId(0),
        project: Box::new(ComposeProject {
            location: ProjectLocation {
                name: "stacktop-test".into(),
                ..Default::default()
            },
            services: Vec::new(),
        }),
        cli_failure: Some(failure),
    }));
    let terminal = check("keymap_cut_message_80x24", &app);
    assert!(row_text(&terminal, 23).trim_end().ends_with("F2: more"));
}
