//! The log view's reading aids: search highlights, the filter, levels,
//! JSON lines, the prompt and the source picker of merged logs.

use crate::fixtures::*;

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// A line `secs` seconds after the fixture's now (so merged logs count
/// its level), made as the log stream makes it.
fn line(secs: i64, source: usize, stream: LogStream, text: &str) -> LogLine {
    let at = now().to_utc() + chrono::Duration::milliseconds(secs * 1000 + 250);
    stacktop::logtext::make_line(Some(at), stream, source, text.as_bytes())
}

fn server_lines(sources: usize) -> Vec<LogLine> {
    let mut lines = Vec::new();
    for i in 0..30_i64 {
        let source = i as usize % sources;
        let text = match i % 6 {
            0 => format!("INFO GET /api/orders/{i} 200 12ms"),
            1 => format!("2026-11-25 12:00:{i:02} WARN slow query on orders ({i}00 ms)"),
            2 => format!("level=debug msg=\"cache hit\" key=orders:{i}"),
            3 => format!("\x1b[31mERROR\x1b[0m payment {i} failed: card declined"),
            4 => format!("GET /health 200 {i}µs"),
            _ => format!("worker picked job {i} from queue orders"),
        };
        let stream = if i % 6 == 3 {
            LogStream::Stderr
        } else {
            LogStream::Stdout
        };
        lines.push(line(i, source, stream, &text));
    }
    lines
}

fn open_logs(size: (u16, u16), project: bool, lines: impl Fn(usize) -> Vec<LogLine>) -> App {
    let mut app = overview_app(size);
    if !project {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char('l'));
    let view = app.log_view().unwrap();
    let (session, sources) = (view.session, view.sources.len());
    app.update(Event::Log(LogEvent::Lines {
        session,
        lines: lines(sources),
    }));
    app
}

fn search_app(size: (u16, u16)) -> App {
    let mut app = open_logs(size, false, server_lines);
    typed(&mut app, "/orders");
    press(&mut app, KeyCode::Enter);
    // One older: the current match is not the newest one.
    press(&mut app, KeyCode::Char('N'));
    app
}

#[test]
fn log_search_highlights_every_match_and_the_current_one() {
    snapshot("logs_search", search_app);
    let theme = Theme::default();
    let app = search_app((120, 40));
    let (n, total) = app.log_view().unwrap().match_position().unwrap();
    assert_eq!(total, 20);
    assert_eq!(n, 19);
    let terminal = draw(&app, &theme);
    let buffer = terminal.backend().buffer();
    let title = row_text(&terminal, 0);
    assert!(title.contains("match 19/20"), "{title}");
    // The current match is in line 26, one older than the newest (29).
    let current = row_of(&terminal, "key=orders:26");
    let x = row_text(&terminal, current).find("orders").unwrap() as u16;
    assert_eq!(buffer[(x, current)].bg, theme.search_current.bg.unwrap());
    let newest = row_of(&terminal, "job 29");
    let x = row_text(&terminal, newest).find("orders").unwrap() as u16;
    assert_eq!(buffer[(x, newest)].bg, theme.search_match.bg.unwrap());
}

#[test]
fn log_levels_are_coloured_by_role() {
    let theme = Theme::default();
    let app = open_logs((120, 40), false, server_lines);
    let terminal = draw(&app, &theme);
    let buffer = terminal.backend().buffer();
    for (needle, word, style) in [
        ("payment 27", "ERROR", theme.level_error),
        ("slow query on orders (2500", "WARN", theme.level_warn),
        ("GET /api/orders/24", "INFO", theme.level_info),
        ("orders:26", "debug", theme.level_debug),
    ] {
        let y = row_of(&terminal, needle);
        let x = row_text(&terminal, y).find(word).unwrap() as u16;
        assert_eq!(buffer[(x, y)].fg, style.fg.unwrap(), "{word} in {needle}");
    }
}

fn filtered_app(size: (u16, u16)) -> App {
    let mut app = open_logs(size, false, server_lines);
    typed(&mut app, "&!health|debug");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('L'));
    app
}

#[test]
fn log_view_filtered_and_at_a_minimum_level() {
    snapshot("logs_filtered", filtered_app);
    let app = filtered_app((120, 40));
    let terminal = draw(&app, &Theme::default());
    let title = row_text(&terminal, 0);
    assert!(title.contains("&!health|debug"), "{title}");
    assert!(title.contains("INFO+"), "{title}");
    assert!(title.contains("10 hidden"), "{title}");
}

fn json_lines(_: usize) -> Vec<LogLine> {
    let wide = "日本語のメッセージ ".repeat(20);
    let texts = [
        r#"{"level":30,"time":1795608000250,"pid":7,"hostname":"api-1","msg":"request done","req":{"method":"GET","url":"/orders/7"},"ms":12}"#.to_string(),
        r#"{"level":"warn","ts":1795608001.5,"caller":"db/pool.go:88","msg":"pool almost full","in_use":19,"max":20}"#.to_string(),
        r#"{"time":"2026-11-25T12:00:02.75Z","level":"ERROR","msg":"payment failed","error":"card declined","order":"A-17"}"#.to_string(),
        r#"{"event":"user logged in","user":"ann","level":"debug","timestamp":"2026-11-25T12:00:03Z"}"#.to_string(),
        r#"{"level":"info","msg":"cut off here"#.to_string(),
        r#"{not json at all}"#.to_string(),
        format!(r#"{{"level":"info","msg":"{wide}"}}"#),
        format!(r#"{{"level":"info","msg":"deep","d":{}1{}}}"#, "[".repeat(300), "]".repeat(300)),
    ];
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| line(i as i64, 0, LogStream::Stdout, t))
        .collect()
}

#[test]
fn log_view_renders_json_lines_as_fields() {
    snapshot("logs_json", |size| open_logs(size, false, json_lines));
    let theme = Theme::default();
    let app = open_logs((120, 40), false, json_lines);
    let terminal = draw(&app, &theme);
    let buffer = terminal.backend().buffer();
    let y = row_of(
        &terminal,
        "12:00:02.750 ERROR payment failed error=\"card declined\" order=A-17",
    );
    let x = row_text(&terminal, y).find("payment").unwrap() as u16;
    assert!(
        buffer[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::BOLD),
        "message is bold"
    );
    row_of(&terminal, r#"{"level":"info","msg":"cut off here"#);
    let mut raw = app;
    press(&mut raw, KeyCode::Char('J'));
    let terminal = draw(&raw, &theme);
    row_of(&terminal, r#"{"level":"warn","ts":1795608001.5"#);
    assert!(row_text(&terminal, 0).contains("raw JSON"));
}

#[test]
fn an_invalid_pattern_shows_its_error_in_the_prompt() {
    let theme = Theme::default();
    for size in SIZES {
        let mut app = open_logs(size, false, server_lines);
        typed(&mut app, "/orders(");
        let terminal = draw(&app, &theme);
        let prompt = row_text(&terminal, size.1 - 1);
        assert!(prompt.starts_with(" /orders(▏"), "{prompt}");
        assert!(prompt.contains("✗ regex parse error"), "{prompt}");
    }
}

fn picker_app(size: (u16, u16)) -> App {
    let mut app = open_logs(size, true, server_lines);
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Down);
    app
}

#[test]
fn merged_logs_count_levels_per_source_and_pick_sources() {
    snapshot("logs_picker", picker_app);
    let app = picker_app((120, 40));
    let terminal = draw(&app, &Theme::default());
    let sources = row_text(&terminal, 1);
    // Line i comes from source i % 10; lines 1, 7, 13… warn and 3, 9,
    // 15… fail: `flaky` (3) has line 3 and 13, `cache` (0) neither.
    assert!(sources.contains("flaky 1w 1e"), "{sources}");
    assert!(sources.contains("cache 0w 0e"), "{sources}");
    assert!(sources.contains("crashloop off"), "{sources}");
    row_of(&terminal, "[ ] crashloop");
    row_of(&terminal, "› [x] db");
}

#[test]
fn help_in_the_log_view_lists_its_keys_and_fits() {
    snapshot("help_logs", |size| {
        let mut app = open_logs(size, false, server_lines);
        press(&mut app, KeyCode::Char('?'));
        app
    });
    let mut app = open_logs((80, 24), false, server_lines);
    press(&mut app, KeyCode::Char('?'));
    let terminal = draw(&app, &Theme::default());
    for needle in [
        "search (regex, smart case)",
        "load the last 15 minutes",
        "q Ctrl-c",
    ] {
        row_of(&terminal, needle);
    }
}
