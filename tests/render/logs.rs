//! The log view: following, scrolling, merged sources, hostile text.

use crate::fixtures::*;

fn log_line(secs: u32, source: usize, stream: LogStream, spans: Vec<StyledSpan>) -> LogLine {
    let mut line = LogLine {
        timestamp: Some(
            Utc.with_ymd_and_hms(2026, 11, 25, 11, 59, 0).unwrap()
                + chrono::Duration::milliseconds(i64::from(secs) * 1000 + 125),
        ),
        stream,
        source,
        spans,
        ..LogLine::default()
    };
    stacktop::logtext::classify(&mut line);
    line
}

fn plain(text: &str) -> StyledSpan {
    StyledSpan {
        text: text.into(),
        style: SgrStyle::default(),
    }
}

fn sample_lines(sources: usize) -> Vec<LogLine> {
    let green = StyledSpan {
        text: "green 10".into(),
        style: SgrStyle {
            fg: Some(SgrColor::Indexed(2)),
            bold: true,
            ..SgrStyle::default()
        },
    };
    let mut lines = Vec::new();
    for i in 0..40 {
        let source = i as usize % sources;
        lines.push(log_line(
            i,
            source,
            LogStream::Stdout,
            vec![plain(&format!("tick {i}"))],
        ));
        if i % 5 == 4 {
            lines.push(log_line(
                i,
                source,
                LogStream::Stderr,
                vec![plain(&format!("warn {i}"))],
            ));
        }
        if i % 10 == 9 {
            lines.push(log_line(
                i,
                source,
                LogStream::Stdout,
                vec![plain("color: "), green.clone()],
            ));
        }
    }
    let long = "a very long line that goes on and on ".repeat(5);
    lines.push(log_line(41, 0, LogStream::Stdout, vec![plain(&long)]));
    lines
}

fn log_app(size: (u16, u16), project: bool) -> App {
    let mut app = overview_app(size);
    if !project {
        app.list.selected = row_of_label(&app, "cache");
    }
    press(&mut app, KeyCode::Char('l'));
    let view = app.log_view().unwrap();
    let session = view.session;
    let sources = view.sources.len();
    app.update(Event::Log(LogEvent::Lines {
        session,
        lines: sample_lines(sources),
    }));
    app
}

#[test]
fn log_view_following() {
    snapshot("logs_follow", |size| log_app(size, false));
}

#[test]
fn log_view_paused_with_timestamps_no_wrap() {
    snapshot("logs_paused_timestamps", |size| {
        let mut app = log_app(size, false);
        press(&mut app, KeyCode::Char('t'));
        press(&mut app, KeyCode::Char('w'));
        for _ in 0..5 {
            press(&mut app, KeyCode::Up);
        }
        app
    });
}

#[test]
fn log_view_merged_project() {
    snapshot("logs_merged", |size| {
        let mut app = log_app(size, true);
        let session = app.log_view().unwrap().session;
        app.update(Event::Log(LogEvent::Ended {
            session,
            source: 3,
            reason: "container exited (3)".into(),
        }));
        app
    });
}

#[test]
fn log_colours_come_from_sgr_and_stderr_is_marked() {
    let theme = Theme::default();
    let app = log_app((120, 40), false);
    let terminal = draw(&app, &theme);
    let buffer = terminal.backend().buffer();
    let green = row_of(&terminal, "green 10");
    let x = (0..120)
        .find(|x| buffer[(*x, green)].symbol() == "g" && buffer[(*x + 1, green)].symbol() == "r")
        .unwrap();
    assert_eq!(buffer[(x, green)].fg, Color::Green);
    let warn = row_of(&terminal, "warn 39");
    assert_eq!(buffer[(0, warn)].symbol(), "▌");
    assert_eq!(buffer[(0, warn)].fg, theme.stderr.fg.unwrap());
}

/// Lines as the log stream makes them: split, then sanitised.
fn through_sanitiser(raw: &[u8], source: usize) -> Vec<LogLine> {
    let mut splitter = stacktop::logtext::LineSplitter::default();
    let mut lines = Vec::new();
    let mut emit = |bytes: &[u8]| {
        lines.push(stacktop::logtext::make_line(
            None,
            LogStream::Stdout,
            source,
            bytes,
        ));
    };
    splitter.feed(raw, &mut emit);
    splitter.finish(&mut emit);
    lines
}

fn hostile_log_app(size: (u16, u16)) -> App {
    let mut app = overview_app(size);
    app.list.selected = row_of_label(&app, "ticker");
    press(&mut app, KeyCode::Char('l'));
    let session = app.log_view().unwrap().session;
    let mut raw: Vec<u8> = std::iter::repeat_n(b'x', 1024 * 1024).collect();
    raw.push(b'\n');
    raw.extend_from_slice("日本語のログ行 — 幅の広い文字\n".as_bytes());
    raw.extend_from_slice("emoji 🚀🔥 and flags 🇫🇷 done\n".as_bytes());
    raw.extend_from_slice("combining e\u{301}e\u{301}e\u{301} marks\n".as_bytes());
    raw.extend_from_slice(b"nul\0bytes\0here\n");
    raw.extend_from_slice(
        b"title \x1b]0;pwned\x07 clipboard \x1b]52;c;ZXZpbA==\x07 cursor \x1b[2J\x1b[H end\n",
    );
    app.update(Event::Log(LogEvent::Lines {
        session,
        lines: through_sanitiser(&raw, 0),
    }));
    app
}

#[test]
fn log_view_with_wide_combining_nul_escapes_and_a_1mb_line() {
    snapshot("logs_hostile", hostile_log_app);
    let theme = Theme::default();
    for size in SIZES {
        let app = hostile_log_app(size);
        let line = app.log_view().unwrap().buffer.iter().next().unwrap().text();
        assert!(
            line.len() <= stacktop::logtext::MAX_LINE_BYTES,
            "long line is cut"
        );
        let terminal = draw(&app, &theme);
        let buffer = terminal.backend().buffer();
        for cell in buffer.content() {
            assert!(!cell.symbol().contains('\x1b'), "escape reached the screen");
            assert!(!cell.symbol().contains('\0'), "NUL reached the screen");
        }
    }
}

/// PageUp and PageDown move by the lines the view drew, whatever the
/// view put above them (merged logs have a line of sources).
#[test]
fn a_page_in_merged_logs_is_exactly_the_rows_shown() {
    let theme = Theme::default();
    for merged in [true, false] {
        let mut app = log_app((80, 24), merged);
        settle(&mut app, &theme);
        let body = if merged { 24 - 3 } else { 24 - 2 };
        press(&mut app, KeyCode::Home);
        let top = app.log_view().unwrap().scroll;
        assert!(top > body, "enough lines to page: scrolled {top}");
        press(&mut app, KeyCode::PageDown);
        let after = app.log_view().unwrap().scroll;
        assert_eq!(top - after, body, "merged: {merged}");
        press(&mut app, KeyCode::PageUp);
        assert_eq!(app.log_view().unwrap().scroll, top, "merged: {merged}");
    }
}
