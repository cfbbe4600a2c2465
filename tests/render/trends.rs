//! Trends: the strip under the list with the selected service's CPU and
//! memory, and the host's history in the header, from fixed samples.

use crate::fixtures::*;

/// 40 rounds of figures that rise and fall: each container's CPU and
/// memory, and the host's.
fn sampled_app(size: (u16, u16)) -> App {
    let mut app = overview_app(size);
    for round in 0..40u32 {
        let wave = f64::from((round * 3) % 16) / 16.0;
        let stats = stats()
            .into_iter()
            .map(|(id, s)| {
                let stats = Stats {
                    cpu_percent: s.cpu_percent * (0.5 + wave),
                    mem_used: s.mem_used / 2 + (s.mem_used as f64 * wave / 2.0) as u64,
                    ..s
                };
                (id, stats)
            })
            .collect();
        app.update(Event::Docker(EngineId(0), DockerEvent::Stats(stats)));
        app.update(Event::Host(HostSnapshot {
            cpu_percent: 10.0 + 80.0 * wave as f32,
            mem_used: 3_000_000_000 + u64::from(round) * 50_000_000,
            mem_total: 25_000_000_000,
            load: [0.42, 0.3, 0.25],
        }));
    }
    app
}

/// The app with the row of `label` selected.
fn selecting(size: (u16, u16), label: &str) -> App {
    let mut app = sampled_app(size);
    app.list.selected = row_of_label(&app, label);
    app
}

#[test]
fn the_strip_shows_the_selected_services_trends() {
    snapshot("trends_db", |size| selecting(size, "db"));
    let wide = selecting((160, 40), "db");
    assert_screen("trends_db_160x40", &draw(&wide, &Theme::default()));
}

#[test]
fn a_project_row_asks_for_a_service() {
    snapshot("trends_project_row", |size| {
        let mut app = sampled_app(size);
        app.list.selected = 0;
        app
    });
}

#[test]
fn a_short_screen_has_no_strip() {
    let app = selecting((80, 19), "db");
    let terminal = draw(&app, &Theme::default());
    let screen: String = (0..19).map(|y| row_text(&terminal, y)).collect();
    assert!(!screen.contains("── db, last"), "{screen}");
}

#[test]
fn the_trend_lines_use_the_trend_role() {
    let theme = Theme::default();
    let app = selecting((120, 40), "db");
    let terminal = draw(&app, &theme);
    // The strip's line, not the header's figures above.
    let y = (0..40)
        .rev()
        .find(|&y| row_text(&terminal, y).starts_with(" CPU "))
        .expect("the strip");
    let buffer = terminal.backend().buffer();
    let x = (0..120)
        .find(|&x| "▁▂▃▄▅▆▇█".contains(buffer[(x, y)].symbol()))
        .expect("a trend line on the strip");
    assert_eq!(buffer[(x, y)].fg, theme.trend.fg.unwrap());
}
