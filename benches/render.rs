#![allow(clippy::unwrap_used)]
//! Rendering cost: the overview with 300 services, the log view with a
//! full window. Run with `cargo bench --bench render`.

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use stacktop::app::App;
use stacktop::config::Settings;
use stacktop::event::{DockerEvent, Event, LogEvent};
use stacktop::logtext::sanitize_line;
use stacktop::model::{Container, ContainerState, Health, LogLine, LogStream, Stats};
use stacktop::theme::Theme;
use stacktop::ui;

fn containers(n: usize) -> Vec<Container> {
    (0..n)
        .map(|i| Container {
            id: format!("c{i}"),
            name: format!("proj{}-svc{i}-1", i % 10),
            project: Some(format!("proj{}", i % 10)),
            service: Some(format!("svc{i}")),
            number: Some(1),
            image: "busybox:latest".into(),
            state: if i % 7 == 0 {
                ContainerState::Exited { code: 1 }
            } else {
                ContainerState::Running
            },
            health: if i % 5 == 0 {
                Health::Healthy
            } else {
                Health::None
            },
            unhealthy_since: None,
            started_at: Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).single(),
            finished_at: None,
            restart_count: (i % 3) as u64,
            ports: Vec::new(),
            tty: false,
            spec: Default::default(),
        })
        .collect()
}

fn app(size: (u16, u16)) -> App {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
        .unwrap()
        .fixed_offset();
    let mut app = App::new(
        Settings::default(),
        "unix:///var/run/docker.sock".into(),
        now,
    );
    app.update(Event::Resize(ui::layout::viewport(size.0, size.1)));
    app.update(Event::Docker(DockerEvent::Containers(containers(300))));
    let stats = (0..300)
        .map(|i| {
            (
                format!("c{i}"),
                Stats {
                    cpu_percent: 1.5,
                    mem_used: 1 << 20,
                    mem_limit: 0,
                },
            )
        })
        .collect();
    app.update(Event::Docker(DockerEvent::Stats(stats)));
    app
}

fn bench_overview(c: &mut Criterion) {
    let theme = Theme::default();
    let app = app((200, 60));
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    c.bench_function("render_overview_300_services_200x60", |b| {
        b.iter(|| {
            terminal
                .draw(|f| {
                    ui::render(black_box(&app), &theme, f);
                })
                .unwrap();
        });
    });
}

fn bench_logs(c: &mut Criterion) {
    let theme = Theme::default();
    let mut app = app((200, 60));
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('j'),
        KeyModifiers::NONE,
    )));
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('l'),
        KeyModifiers::NONE,
    )));
    let session = app.log_view().unwrap().session;
    let lines: Vec<LogLine> = (0..10_000)
        .map(|i| LogLine {
            timestamp: None,
            stream: LogStream::Stdout,
            source: 0,
            spans: sanitize_line(
                format!("\x1b[32mINFO\x1b[0m request {i} handled in 3ms path=/api/items/{i}")
                    .as_bytes(),
            ),
        })
        .collect();
    app.update(Event::Log(LogEvent::Lines { session, lines }));
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    c.bench_function("render_log_view_full_window_200x60", |b| {
        b.iter(|| {
            terminal
                .draw(|f| {
                    ui::render(black_box(&app), &theme, f);
                })
                .unwrap();
        });
    });
}

criterion_group!(benches, bench_overview, bench_logs);
criterion_main!(benches);
