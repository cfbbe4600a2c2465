#![allow(clippy::unwrap_used)]
//! Snapshot tests of every view at 120x40 and 80x24, from fixed state,
//! plus checks of cell styles that text snapshots cannot see.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use stacktop::app::App;
use stacktop::config::Settings;
use stacktop::event::{ActionDone, ActionKind, DockerEvent, Event, LogEvent, ProbeEvent};
use stacktop::model::{
    ClientPool, Container, ContainerState, Health, HostSnapshot, KeyspaceDb, LogLine, LogStream,
    PgBackend, PgDatabase, PgPool, PgSnapshot, PgStatement, PortMapping, ProbeStatus,
    RedisSnapshot, SgrColor, SgrStyle, SlowEntry, StateCounts, Stats, StyledSpan, TopStatements,
};
use stacktop::theme::Theme;
use stacktop::ui;

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

fn now() -> DateTime<FixedOffset> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
        .unwrap()
        .fixed_offset()
}

fn at(h: u32, m: u32, s: u32) -> Option<DateTime<Utc>> {
    Some(Utc.with_ymd_and_hms(2026, 11, 25, h, m, s).unwrap())
}

fn container(id: &str, service: &str, number: u32) -> Container {
    Container {
        id: id.into(),
        name: format!("stacktop-test-{service}-{number}"),
        project: Some("stacktop-test".into()),
        service: Some(service.into()),
        number: Some(number),
        image: "stacktop-test/busybox:latest".into(),
        state: ContainerState::Running,
        health: Health::None,
        started_at: at(10, 30, 0),
        finished_at: None,
        restart_count: 0,
        ports: Vec::new(),
        tty: false,
        spec: Default::default(),
    }
}

fn stack() -> Vec<Container> {
    let mut healthy = container("healthy", "healthy", 1);
    healthy.health = Health::Healthy;
    healthy.ports = vec![PortMapping {
        host_ip: "127.0.0.1".into(),
        host_port: 18080,
        container_port: 8080,
        protocol: "tcp".into(),
    }];
    let mut unhealthy = container("unhealthy", "unhealthy", 1);
    unhealthy.health = Health::Unhealthy;
    let mut crash = container("crashloop", "crashloop", 1);
    crash.state = ContainerState::Exited { code: 3 };
    crash.restart_count = 7;
    let mut restarting = container("flaky", "flaky", 1);
    restarting.state = ContainerState::Restarting;
    restarting.restart_count = 2;
    let mut starting = container("db", "db", 1);
    starting.health = Health::Starting;
    starting.started_at = at(11, 59, 50);
    starting.image = "postgres:16-alpine".into();
    starting.ports = vec![port(5433, 5432)];
    starting.spec.env = vec![
        "POSTGRES_USER=app".into(),
        "POSTGRES_PASSWORD=secret".into(),
    ];
    let mut cache = container("cache", "cache", 1);
    cache.image = "redis:7-alpine".into();
    cache.ports = vec![port(16379, 6379)];
    cache.spec.command = vec!["redis-server".into(), "--requirepass".into(), "pw".into()];
    let mut done = container("migrate", "migrate", 1);
    done.state = ContainerState::Exited { code: 0 };
    let mut loose = container("loose", "", 1);
    loose.name = "adminer".into();
    loose.project = None;
    loose.service = None;
    loose.number = None;
    loose.image = "adminer:4".into();
    loose.started_at = at(2, 0, 0);
    vec![
        cache,
        container("ticker", "ticker", 1),
        healthy,
        unhealthy,
        crash,
        restarting,
        starting,
        done,
        container("worker1", "worker", 1),
        container("worker2", "worker", 2),
        loose,
    ]
}

fn port(host: u16, inner: u16) -> PortMapping {
    PortMapping {
        host_ip: "127.0.0.1".into(),
        host_port: host,
        container_port: inner,
        protocol: "tcp".into(),
    }
}

fn stats() -> Vec<(String, Stats)> {
    let mb = 1024 * 1024;
    vec![
        (
            "ticker".into(),
            Stats {
                cpu_percent: 0.4,
                mem_used: 2 * mb,
                mem_limit: 0,
            },
        ),
        (
            "healthy".into(),
            Stats {
                cpu_percent: 1.25,
                mem_used: 3 * mb,
                mem_limit: 512 * mb,
            },
        ),
        (
            "unhealthy".into(),
            Stats {
                cpu_percent: 0.0,
                mem_used: 900 * 1024,
                mem_limit: 0,
            },
        ),
        (
            "db".into(),
            Stats {
                cpu_percent: 112.5,
                mem_used: 180 * mb,
                mem_limit: 2048 * mb,
            },
        ),
        (
            "worker1".into(),
            Stats {
                cpu_percent: 0.1,
                mem_used: mb,
                mem_limit: 0,
            },
        ),
        (
            "worker2".into(),
            Stats {
                cpu_percent: 0.1,
                mem_used: mb,
                mem_limit: 0,
            },
        ),
    ]
}

const PG: &str = "pg:stacktop-test/db";
const REDIS: &str = "redis:stacktop-test/cache";

fn pg_snapshot() -> PgSnapshot {
    let states = |active, idle, tx, waiting| StateCounts {
        active,
        idle,
        idle_in_transaction: tx,
        waiting_on_lock: waiting,
        ..StateCounts::default()
    };
    let backend = |pid, secs: f64, state: &str, query: &str, blocked_by: Vec<i32>| PgBackend {
        pid,
        duration_secs: secs,
        state: state.into(),
        wait_event: (!blocked_by.is_empty()).then(|| "Lock:transactionid".to_string()),
        database: "app_db".into(),
        user: "app".into(),
        application: "pool-a".into(),
        query: Some(query.into()),
        blocked_by,
    };
    PgSnapshot {
        version: "15.10".into(),
        uptime_secs: 3.0 * 3600.0 + 720.0,
        max_connections: 100,
        states: states(2, 9, 1, 1),
        databases: vec![
            PgDatabase {
                name: "app_db".into(),
                connections: 11,
                size_bytes: Some(9_000_000),
                xact_per_sec: Some(12.5),
                rows_per_sec: Some(430.0),
                cache_hit_ratio: Some(0.992),
            },
            PgDatabase {
                name: "plain_db".into(),
                connections: 1,
                size_bytes: Some(7_500_000),
                ..PgDatabase::default()
            },
        ],
        pools: vec![
            PgPool {
                application: "pool-a".into(),
                user: "app".into(),
                client: "172.18.0.1".into(),
                database: "app_db".into(),
                states: states(1, 3, 1, 1),
                oldest_connection_secs: 340.0,
                longest_idle_in_transaction_secs: Some(42.0),
            },
            PgPool {
                application: "api".into(),
                user: "app".into(),
                client: "172.18.0.5".into(),
                database: "app_db".into(),
                states: states(1, 6, 0, 0),
                oldest_connection_secs: 3600.0,
                longest_idle_in_transaction_secs: None,
            },
        ],
        backends: vec![
            backend(
                4242,
                42.0,
                "idle in transaction",
                "SELECT * FROM orders WHERE id = 1 FOR UPDATE",
                vec![],
            ),
            backend(
                4243,
                12.5,
                "active",
                "UPDATE orders SET state = 'paid' WHERE id = 1",
                vec![4242],
            ),
            backend(
                4250,
                0.3,
                "active",
                "SELECT count(*) FROM line_items",
                vec![],
            ),
        ],
        top_statements: TopStatements::Rows(vec![PgStatement {
            query: "SELECT * FROM users WHERE id = $1".into(),
            calls_per_sec: 120.0,
            mean_ms: 0.42,
            total_ms: 50.0,
        }]),
        xact_per_sec: Some(13.0),
        rows_per_sec: Some(450.0),
        cache_hit_ratio: Some(0.991),
        notes: vec![],
        poll_ms: 4.2,
    }
}

fn redis_snapshot() -> RedisSnapshot {
    RedisSnapshot {
        version: "7.0.15".into(),
        uptime_secs: 7200,
        role: "master".into(),
        used_memory: 3_250_000,
        maxmemory: 64 * 1024 * 1024,
        used_memory_rss: 8_400_000,
        used_memory_peak: 4_100_000,
        fragmentation_ratio: 2.58,
        eviction_policy: "allkeys-lru".into(),
        ops_per_sec: 90.0,
        hit_ratio: Some(0.921),
        evicted_per_sec: Some(0.0),
        expired_per_sec: Some(0.2),
        connected_clients: 5,
        blocked_clients: 0,
        keyspace: vec![
            KeyspaceDb {
                db: 0,
                keys: 1200,
                expires: 300,
                avg_ttl_ms: 55_000,
            },
            KeyspaceDb {
                db: 5,
                keys: 10,
                expires: 0,
                avg_ttl_ms: 0,
            },
        ],
        client_pools: Some(vec![ClientPool {
            name: "pool-r".into(),
            host: "172.18.0.1".into(),
            db: 0,
            count: 3,
            max_idle_secs: 12,
            last_command: "get".into(),
        }]),
        slowlog: vec![SlowEntry {
            id: 7,
            at: 1_795_000_000,
            duration_us: 15_300,
            command: "KEYS *".into(),
        }],
        notes: vec![],
        poll_ms: 1.1,
    }
}

fn overview_app(size: (u16, u16)) -> App {
    let mut app = App::new(
        Settings::default(),
        "unix:///var/run/docker.sock".into(),
        now(),
    );
    app.size = size;
    app.update(Event::Docker(DockerEvent::Connected {
        version: "28.2.2".into(),
        endpoint: "unix:///var/run/docker.sock".into(),
    }));
    app.update(Event::Docker(DockerEvent::Containers(stack())));
    app.update(Event::Docker(DockerEvent::Stats(stats())));
    app.update(Event::Probe(ProbeEvent::Postgres {
        target_id: PG.into(),
        snapshot: Box::new(pg_snapshot()),
    }));
    for ops in [10.0, 40.0, 25.0, 80.0, 120.0, 60.0, 90.0] {
        app.update(Event::Probe(ProbeEvent::Redis {
            target_id: REDIS.into(),
            snapshot: Box::new(RedisSnapshot {
                ops_per_sec: ops,
                ..redis_snapshot()
            }),
        }));
    }
    app.update(Event::Host(HostSnapshot {
        cpu_percent: 12.5,
        mem_used: 3_400_000_000,
        mem_total: 25_000_000_000,
        load: [0.42, 0.3, 0.25],
    }));
    app
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn draw(app: &App, theme: &Theme) -> Terminal<TestBackend> {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::render(app, theme, f)).unwrap();
    terminal
}

fn snapshot(name: &str, build: impl Fn((u16, u16)) -> App) {
    let theme = Theme::default();
    for size in SIZES {
        let app = build(size);
        let terminal = draw(&app, &theme);
        insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), terminal.backend());
    }
}

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
        app.update(Event::ActionDone(ActionDone {
            container_id: "unhealthy".into(),
            container_name: "stacktop-test-unhealthy-1".into(),
            kind: ActionKind::Restart,
            result: Err("Cannot restart container unhealthy: permission denied".into()),
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
        app.update(Event::Docker(DockerEvent::Disconnected {
            endpoint: "unix:///var/run/docker.sock".into(),
            error: "connection refused".into(),
            retry_in: std::time::Duration::from_millis(2000),
        }));
        app
    });
}

#[test]
fn overview_before_first_data() {
    snapshot("overview_connecting", |size| {
        let mut app = App::new(Settings::default(), "tcp://127.0.0.1:2375".into(), now());
        app.size = size;
        app
    });
}

fn log_line(secs: u32, source: usize, stream: LogStream, spans: Vec<StyledSpan>) -> LogLine {
    LogLine {
        timestamp: Some(
            Utc.with_ymd_and_hms(2026, 11, 25, 11, 59, 0).unwrap()
                + chrono::Duration::milliseconds(i64::from(secs) * 1000 + 125),
        ),
        stream,
        source,
        spans,
    }
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
    let row = if project { 0 } else { 1 };
    for _ in 0..row {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char('l'));
    let view = app.logs.as_ref().unwrap();
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
        let session = app.logs.as_ref().unwrap().session;
        app.update(Event::Log(LogEvent::Ended {
            session,
            source: 3,
            reason: "container exited (3)".into(),
        }));
        app
    });
}

fn row_of_label(app: &App, label: &str) -> usize {
    app.rows
        .iter()
        .position(|r| match r {
            stacktop::app::Row::Container(id) => app.label(app.container(id).unwrap()) == label,
            _ => false,
        })
        .unwrap()
}

fn detail_app(size: (u16, u16), label: &str) -> App {
    let mut app = overview_app(size);
    app.selected = row_of_label(&app, label);
    press(&mut app, KeyCode::Char('d'));
    assert!(app.detail.is_some());
    app
}

#[test]
fn postgres_detail_pools() {
    snapshot("pg_pools", |size| detail_app(size, "db"));
}

#[test]
fn postgres_detail_statements_with_confirm() {
    snapshot("pg_statements_confirm", |size| {
        let mut app = detail_app(size, "db");
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Char('c'));
        app
    });
}

#[test]
fn postgres_detail_reconnecting_shows_no_figures() {
    snapshot("pg_reconnecting", |size| {
        let mut app = detail_app(size, "db");
        app.update(Event::Probe(ProbeEvent::Status {
            target_id: PG.into(),
            status: ProbeStatus::Reconnecting {
                error: "connection refused".into(),
                retry_in_ms: 2000,
            },
        }));
        app
    });
}

#[test]
fn postgres_detail_hint_without_pg_stat_statements() {
    snapshot("pg_no_statements", |size| {
        let mut app = overview_app(size);
        let mut snapshot = pg_snapshot();
        snapshot.top_statements = TopStatements::NotInstalled {
            hint: "add pg_stat_statements to shared_preload_libraries, restart, then CREATE EXTENSION pg_stat_statements in app_db".into(),
        };
        snapshot.notes =
            vec!["not a member of pg_monitor: queries of other users are hidden".into()];
        app.update(Event::Probe(ProbeEvent::Postgres {
            target_id: PG.into(),
            snapshot: Box::new(snapshot),
        }));
        app.selected = row_of_label(&app, "db");
        press(&mut app, KeyCode::Char('d'));
        for _ in 0..3 {
            press(&mut app, KeyCode::Tab);
        }
        app
    });
}

#[test]
fn redis_detail() {
    snapshot("redis", |size| detail_app(size, "cache"));
}

#[test]
fn redis_detail_client_pools() {
    snapshot("redis_pools", |size| {
        let mut app = detail_app(size, "cache");
        press(&mut app, KeyCode::Tab);
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
    app.size = (20, 5);
    let terminal = draw(&app, &theme);
    insta::assert_snapshot!("too_small_20x5", terminal.backend());
}

/// Finds the first cell whose row text contains `needle`; returns its row.
fn row_of(terminal: &Terminal<TestBackend>, needle: &str) -> u16 {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .find(|y| {
            let text: String = (0..buffer.area.width)
                .map(|x| buffer[(x, *y)].symbol().to_string())
                .collect();
            text.contains(needle)
        })
        .unwrap_or_else(|| panic!("{needle} not on screen"))
}

#[test]
fn troubled_rows_use_the_error_role_and_selection_its_own() {
    let theme = Theme::default();
    let mut app = overview_app((120, 40));
    press(&mut app, KeyCode::Down);
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

#[test]
fn a_custom_theme_changes_colours_without_code() {
    let theme = Theme::parse("[roles]\nerror = { fg = \"#ff00ff\" }\n", None).unwrap();
    let app = overview_app((120, 40));
    let terminal = draw(&app, &theme);
    let buffer = terminal.backend().buffer();
    let bad = row_of(&terminal, "✗ unhealthy");
    assert_eq!(buffer[(3, bad)].fg, Color::Rgb(255, 0, 255));
}

/// Lines as the log stream makes them: split, then sanitised.
fn through_sanitiser(raw: &[u8], source: usize) -> Vec<LogLine> {
    let mut splitter = stacktop::logtext::LineSplitter::default();
    let mut lines = Vec::new();
    let mut emit = |bytes: &[u8]| {
        lines.push(LogLine {
            timestamp: None,
            stream: LogStream::Stdout,
            source,
            spans: stacktop::logtext::sanitize_line(bytes),
        });
    };
    splitter.feed(raw, &mut emit);
    splitter.finish(&mut emit);
    lines
}

fn hostile_log_app(size: (u16, u16)) -> App {
    let mut app = overview_app(size);
    app.selected = row_of_label(&app, "ticker");
    press(&mut app, KeyCode::Char('l'));
    let session = app.logs.as_ref().unwrap().session;
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
        let line = app
            .logs
            .as_ref()
            .unwrap()
            .buffer
            .iter()
            .next()
            .unwrap()
            .text();
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

#[test]
fn wide_service_names_keep_the_columns_aligned() {
    let theme = Theme::default();
    let mut app = overview_app((120, 40));
    let mut wide = container("wide", "サービス名前がとても長いサービス", 1);
    wide.name = "日本語".into();
    let mut all = stack();
    all.push(wide);
    app.update(Event::Docker(DockerEvent::Containers(all)));
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
