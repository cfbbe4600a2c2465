//! The service list: rows, columns, states, the help and the banner.

use crate::fixtures::*;

#[test]
fn overview() {
    snapshot("overview", |size| {
        let mut app = overview_app(size);
        press(&mut app, KeyCode::Down);
        app
    });
}

#[test]
fn overview_with_actions_in_progress_and_failed() {
    snapshot("overview_actions", |size| {
        let mut app = overview_app(size);
        for _ in 0..2 {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Char('r'));
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Char('r'));
        app.update(Event::Done(Done {
            job: Job::Container {
                id: "unhealthy".into(),
                name: "stacktop-test-unhealthy-1".into(),
                verb: Verb::Restart,
            },
            result: Err(JobError::Refused(
                "stacktop-test-unhealthy-1: restart failed: Cannot restart container unhealthy: permission denied"
                    .into(),
            )),
        }));
        app
    });
}

#[test]
fn overview_while_filtering() {
    snapshot("overview_filter", |size| {
        let mut app = overview_app(size);
        press(&mut app, KeyCode::Char('/'));
        for c in "work".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        app
    });
}

#[test]
fn overview_with_engine_down() {
    snapshot("overview_engine_down", |size| {
        let mut app = overview_app(size);
        app.update(Event::Docker(
            EngineId(0),
            DockerEvent::Disconnected {
                endpoint: "unix:///var/run/docker.sock".into(),
                error: "connection refused".into(),
                retry_in: std::time::Duration::from_millis(2000),
                others: Vec::new(),
            },
        ));
        app
    });
}

#[test]
fn overview_before_first_data() {
    snapshot("overview_connecting", |size| {
        let mut app = App::new(Settings::default(), "tcp://127.0.0.1:2375".into(), now());
        app.update(Event::Resize(ui::layout::viewport(size.0, size.1)));
        app
    });
}

#[test]
fn overview_shows_probe_trouble_in_the_database_column() {
    snapshot("overview_db_auth_failed", |size| {
        let mut app = overview_app(size);
        app.update(Event::Probe(ProbeEvent::Status {
            target_id: REDIS.into(),
            status: ProbeStatus::AuthFailed {
                error: "WRONGPASS invalid username-password pair".into(),
            },
        }));
        app
    });
}

#[test]
fn help_overlay() {
    snapshot("help", |size| {
        let mut app = overview_app(size);
        press(&mut app, KeyCode::Char('?'));
        app
    });
}

#[test]
fn tiny_terminal_says_it_is_too_small() {
    let theme = Theme::default();
    let mut app = overview_app((20, 5));
    app.update(Event::Resize(ui::layout::viewport(20, 5)));
    let terminal = draw(&app, &theme);
    assert_screen("too_small_20x5", &terminal);
}

#[test]
fn troubled_rows_use_the_error_role_and_selection_its_own() {
    let theme = Theme::default();
    let mut app = overview_app((120, 40));
    app.list.selected = row_of_label(&app, "cache");
    let terminal = draw(&app, &theme);
    let buffer = terminal.backend().buffer();
    let bad = row_of(&terminal, "✗ unhealthy");
    assert_eq!(buffer[(0, bad)].symbol(), "!");
    assert_eq!(buffer[(3, bad)].fg, theme.error.fg.unwrap());
    let selected = row_of(&terminal, "  cache ");
    assert_eq!(buffer[(3, selected)].bg, Color::Cyan);
    assert_eq!(buffer[(3, bad)].bg, Color::Reset);
    let fine = row_of(&terminal, "✓ healthy");
    assert_eq!(buffer[(0, fine)].symbol(), " ");
}

#[test]
fn a_custom_theme_changes_colours_without_code() {
    let theme = Theme::parse("[roles]\nerror = { fg = \"#ff00ff\" }\n", None).unwrap();
    let app = overview_app((120, 40));
    let terminal = draw(&app, &theme);
    let buffer = terminal.backend().buffer();
    let bad = row_of(&terminal, "✗ unhealthy");
    assert_eq!(buffer[(3, bad)].fg, Color::Rgb(255, 0, 255));
}

#[test]
fn wide_service_names_keep_the_columns_aligned() {
    let theme = Theme::default();
    let mut app = overview_app((120, 40));
    let mut wide = container("wide", "サービス名前がとても長いサービス", 1);
    wide.name = "日本語".into();
    let mut all = stack();
    all.push(wide);
    app.update(Event::Docker(EngineId(0), DockerEvent::Containers(all)));
    let terminal = draw(&app, &theme);
    let wide_row = row_of(&terminal, "サ");
    let ticker_row = row_of(&terminal, "ticker");
    let column_of = |row: u16, needle: &str| {
        let buffer = terminal.backend().buffer();
        (0..buffer.area.width)
            .find(|x| buffer[(*x, row)].symbol() == needle)
            .unwrap()
    };
    assert_eq!(
        column_of(wide_row, "●"),
        column_of(ticker_row, "●"),
        "state column aligned"
    );
}

/// The stack's project as its compose files declare it: three services
/// never created, sorting among the containers.
fn with_declared(size: (u16, u16)) -> App {
    let mut app = overview_app(size);
    let names = [
        "api",
        "cache",
        "crashloop",
        "db",
        "flaky",
        "healthy",
        "mailer",
        "migrate",
        "seeder",
        "ticker",
        "unhealthy",
        "worker",
    ];
    let project = ComposeProject {
        location: ProjectLocation {
            name: "stacktop-test".into(),
            ..Default::default()
        },
        services: names
            .iter()
            .map(|n| DeclaredService {
                name: n.to_string(),
                image: Some(format!("shop/{n}:1")),
                profiles: if *n == "seeder" {
                    vec!["tools".into(), "debug".into()]
                } else {
                    Vec::new()
                },
                replicas: 1,
                ..Default::default()
            })
            .collect(),
    };
    app.update(Event::Compose(ComposeEvent::Loaded {
        engine: EngineId(0),
        project: Box::new(project),
        cli_failure: None,
    }));
    app
}

#[test]
fn declared_services_sit_between_containers_and_the_count_stays_true() {
    snapshot("overview_declared", with_declared);
    let app = with_declared((120, 40));
    let screen = draw(&app, &Theme::default());
    let header = (0..40)
        .map(|y| row_text(&screen, y))
        .find(|l| l.contains("▾ stacktop-test"))
        .unwrap();
    assert!(header.contains("10 containers"), "{header}");
}

#[test]
fn reset_confirmation_lists_containers_and_volumes_with_sizes() {
    snapshot("overview_reset_confirm", |size| {
        let mut app = overview_app(size);
        let plan = ResetPlan {
            engine: Default::default(),
            location: ProjectLocation {
                name: "stacktop-test".into(),
                ..Default::default()
            },
            services: vec!["db".into()],
            whole_project: false,
            containers: vec![ContainerRef {
                id: "db".into(),
                name: "stacktop-test-db-1".into(),
            }],
            volumes: vec![
                VolumeToRemove {
                    name: "stacktop-test_pgdata".into(),
                    size_bytes: Some(47_400_000),
                    anonymous: false,
                },
                VolumeToRemove {
                    name: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
                    size_bytes: None,
                    anonymous: true,
                },
            ],
        };
        app.update(Event::Compose(ComposeEvent::ResetPlanned(Box::new(plan))));
        app
    });
}

/// The overview after project stacktop-test was read with `failure`.
fn read_after(size: (u16, u16), failure: CliFailure) -> App {
    let mut app = overview_app(size);
    let project = ComposeProject {
        location: ProjectLocation {
            name: "stacktop-test".into(),
            ..Default::default()
        },
        services: Vec::new(),
    };
    app.update(Event::Compose(ComposeEvent::Loaded {
        engine: EngineId(0),
        project: Box::new(project),
        cli_failure: Some(failure),
    }));
    app
}

/// A project stacktop read itself after compose v1 refused its files.
fn after_a_cli_failure(size: (u16, u16)) -> App {
    let failure = CliFailure {
        program: "docker-compose".into(),
        error: "The Compose file './compose.yaml' is invalid because:\n'name' does not match any of the regexes: '^x-'\n\nYou might be seeing this error because you're using the wrong Compose file version.".into(),
        refusal: None,
    };
    read_after(size, failure)
}

/// A project whose files Compose v2 refuses: the banner gives Compose's
/// last line and the key for the whole message, the project row says it.
#[test]
fn files_compose_refuses_are_in_the_banner_and_on_the_row() {
    let build = |size| {
        let words = "service \"api\" depends on undefined service \"db\": invalid compose project";
        let failure = CliFailure {
            program: "docker compose".into(),
            error: format!(
                "`docker compose config --format json` failed (exit status: 15): {words}"
            ),
            refusal: Some(words.into()),
        };
        read_after(size, failure)
    };
    snapshot("overview_compose_refuses", build);
    let screen = draw(&build((120, 40)), &Theme::default());
    let text: Vec<String> = (0..40).map(|row| row_text(&screen, row)).collect();
    assert!(
        text.iter()
            .any(|l| l.contains("Compose refuses the files of stacktop-test")
                && l.contains("undefined service")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|l| l.contains("✗ Compose refuses its files")),
        "{text:#?}"
    );
}

#[test]
fn a_long_message_is_cut_with_a_pointer_to_the_messages() {
    snapshot("overview_cli_failure", after_a_cli_failure);
    let app = after_a_cli_failure((80, 24));
    let screen = draw(&app, &Theme::default());
    let status = row_text(&screen, 23);
    assert!(status.trim_end().ends_with("… m: more"), "{status}");
}

#[test]
fn the_messages_overlay_shows_everything_whole() {
    snapshot("messages", |size| {
        let mut app = after_a_cli_failure(size);
        app.update(Event::Compose(ComposeEvent::LoadFailed {
            project: ProjectKey::new(EngineId(0), "shop"),
            error: "docker compose failed: `docker compose config --format json` failed (exit status: 15): yaml: line 7: did not find expected key\nstacktop's reader failed too: /src/shop/compose.yaml:7:3: did not find expected key".into(),
        }));
        press(&mut app, KeyCode::Char('m'));
        app
    });
}

/// A project whose files are being read, with a container, and one whose
/// files could not be read, with none: each row says so.
#[test]
fn overview_while_compose_files_are_read_and_when_they_cannot_be() {
    let theme = Theme::default();
    let shop = Sample::service("shop", "api", 1)
        .id("api")
        .started(time(11, 0, 0))
        .spec(|spec| {
            spec.compose_working_dir = Some("/src/shop".into());
            spec.compose_files = vec!["/src/shop/compose.yaml".into()];
        })
        .build();
    let mut app = connected_app((100, 8), vec![shop]);
    app.update(Event::Compose(ComposeEvent::LoadFailed {
        project: ProjectKey::new(EngineId(0), "broken"),
        error: "/src/broken/compose.yaml:3:5: did not find expected key".into(),
    }));
    assert_screen("overview_compose_files_100x8", &draw(&app, &theme));
}
