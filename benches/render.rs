#![allow(clippy::unwrap_used)]
//! Rendering cost: the overview with 300 services (and with every trend
//! ring full), the log view with a
//! full window, and a search across 100,000 kept lines with the frame
//! that shows its first match. Run with `cargo bench --bench render`.

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use stacktop::app::App;
use stacktop::config::Settings;
use stacktop::event::{DockerEvent, Event, LogEvent};
use stacktop::logtext::make_line;
use stacktop::model::trend::SAMPLES;
use stacktop::model::{
    Container, ContainerState, EngineId, Health, HostSnapshot, LogLine, LogStream, Sample, Stats,
};
use stacktop::theme::Theme;
use stacktop::ui;

fn containers(n: usize) -> Vec<Container> {
    (0..n)
        .map(|i| {
            let project = format!("proj{}", i % 10);
            let mut sample = Sample::service(&project, &format!("svc{i}"), 1)
                .id(format!("c{i}"))
                .image("busybox:latest")
                .restarts((i % 3) as u64);
            if i % 7 == 0 {
                sample = sample.state(ContainerState::Exited { code: 1 });
            }
            if i % 5 == 0 {
                sample = sample.health(Health::Healthy);
            }
            if let Some(started) = Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).single() {
                sample = sample.started(started);
            }
            sample.build()
        })
        .collect()
}

fn app(size: (u16, u16)) -> App {
    app_keeping(size, Settings::default())
}

fn app_keeping(size: (u16, u16), settings: Settings) -> App {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
        .unwrap()
        .fixed_offset();
    let mut app = App::new(settings, "unix:///var/run/docker.sock".into(), now);
    app.update(Event::Resize(ui::layout::viewport(size.0, size.1)));
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Containers(containers(300)),
    ));
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
    app.update(Event::Docker(EngineId(0), DockerEvent::Stats(stats)));
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

/// The overview with every ring full (`SAMPLES` readings of 300
/// containers and of the host) and a service selected, so the strip and
/// the header draw their trend lines.
fn bench_overview_trends(c: &mut Criterion) {
    let theme = Theme::default();
    let mut app = app((200, 60));
    for round in 0..SAMPLES {
        let wave = (round % 16) as f64 / 16.0;
        let stats = (0..300)
            .map(|i| {
                let figures = Stats {
                    cpu_percent: 1.5 + 10.0 * wave,
                    mem_used: (1 << 20) + (wave * 1e6) as u64,
                    mem_limit: 0,
                };
                (format!("c{i}"), figures)
            })
            .collect();
        app.update(Event::Docker(EngineId(0), DockerEvent::Stats(stats)));
        app.update(Event::Host(HostSnapshot {
            cpu_percent: 20.0 + 60.0 * wave as f32,
            mem_used: 3 << 30,
            mem_total: 16 << 30,
            load: [0.5; 3],
        }));
    }
    press(&mut app, 'j');
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    c.bench_function("render_overview_300_services_full_trends_200x60", |b| {
        b.iter(|| {
            terminal
                .draw(|f| {
                    ui::render(black_box(&app), &theme, f);
                })
                .unwrap();
        });
    });
}

fn press(app: &mut App, c: char) {
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )));
}

/// An app with the log view of one service open, holding `count` lines:
/// coloured INFO lines, a JSON line in ten, a timeout in a hundred.
fn log_app(count: usize) -> App {
    let settings = Settings {
        log_lines: count,
        ..Settings::default()
    };
    let mut app = app_keeping((200, 60), settings);
    press(&mut app, 'j');
    press(&mut app, 'l');
    let session = app.log_view().unwrap().session;
    let lines: Vec<LogLine> = (0..count)
        .map(|i| {
            let text = match i % 100 {
                0 => format!("WARN request {i} timeout after 30s path=/api/items/{i}"),
                n if n % 10 == 5 => {
                    format!(r#"{{"level":30,"msg":"request {i} handled","ms":3,"path":"/api/items/{i}"}}"#)
                }
                _ => format!("\x1b[32mINFO\x1b[0m request {i} handled in 3ms path=/api/items/{i}"),
            };
            make_line(None, LogStream::Stdout, 0, text.as_bytes())
        })
        .collect();
    app.update(Event::Log(LogEvent::Lines { session, lines }));
    app
}

fn bench_logs(c: &mut Criterion) {
    let theme = Theme::default();
    let app = log_app(10_000);
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

/// `/timeout` Enter over 100,000 kept lines (1,000 match), then the frame
/// that shows the match it went to: the whole cost of a search to the eye.
fn bench_search(c: &mut Criterion) {
    let theme = Theme::default();
    let mut app = log_app(100_000);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let mut group = c.benchmark_group("log_search");
    group.sample_size(20);
    group.bench_function("search_100k_lines_and_draw_first_match_200x60", |b| {
        b.iter(|| {
            for c in "/timeout".chars() {
                press(&mut app, c);
            }
            app.update(Event::Key(KeyEvent::new(
                KeyCode::Enter,
                KeyModifiers::NONE,
            )));
            terminal
                .draw(|f| {
                    ui::render(black_box(&app), &theme, f);
                })
                .unwrap();
        });
    });
    group.finish();
    // Only when the search ran: a bench filter may have left it out.
    if let Some(position) = app.log_view().unwrap().match_position() {
        assert_eq!(position, (1000, 1000));
    }
}

criterion_group!(
    benches,
    bench_overview,
    bench_overview_trends,
    bench_logs,
    bench_search
);
criterion_main!(benches);
