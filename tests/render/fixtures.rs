//! The state every view is drawn from: a stack of containers with stats,
//! a PostgreSQL and a Redis probe, fixed in time; and drawing helpers.

pub use chrono::{DateTime, FixedOffset, TimeZone, Utc};
pub use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
pub use ratatui::Terminal;
pub use ratatui::backend::TestBackend;
pub use ratatui::style::Color;

pub use stacktop::app::App;
pub use stacktop::config::Settings;
pub use stacktop::event::{ComposeEvent, DockerEvent, Event, LogEvent, ProbeEvent};
pub use stacktop::model::{
    CliFailure, ClientPool, ComposeProject, Container, ContainerRef, ContainerState,
    DeclaredService, Done, EngineId, Health, HostSnapshot, Job, JobError, KeyspaceDb, LogLine,
    LogStream, PgBackend, PgDatabase, PgPool, PgSnapshot, PgStatement, ProbeStatus, ProjectKey,
    ProjectLocation, RedisSnapshot, ResetPlan, Sample, SgrColor, SgrStyle, SlowEntry, Snapshot,
    StateCounts, Stats, StyledSpan, TopStatements, Verb, VolumeToRemove,
};
pub use stacktop::theme::Theme;
pub use stacktop::ui;

pub const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

pub fn now() -> DateTime<FixedOffset> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
        .unwrap()
        .fixed_offset()
}

/// Service `service` of the test stack, started at 10:30.
pub fn sample(id: &str, service: &str, number: u32) -> Sample {
    Sample::service("stacktop-test", service, number)
        .id(id)
        .image("stacktop-test/busybox:latest")
        .started(time(10, 30, 0))
}

pub fn container(id: &str, service: &str, number: u32) -> Container {
    sample(id, service, number).build()
}

/// A moment of the fixed day the fixtures live in.
pub fn time(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, h, m, s).unwrap()
}

pub fn stack() -> Vec<Container> {
    let healthy = sample("healthy", "healthy", 1)
        .health(Health::Healthy)
        .port(18080, 8080);
    let unhealthy = sample("unhealthy", "unhealthy", 1).health(Health::Unhealthy);
    let crash = sample("crashloop", "crashloop", 1)
        .state(ContainerState::Exited { code: 3 })
        .restarts(7);
    let restarting = sample("flaky", "flaky", 1)
        .state(ContainerState::Restarting { exit_code: 2 })
        .restarts(2);
    let starting = sample("db", "db", 1)
        .health(Health::Starting)
        .started(time(11, 59, 50))
        .image("postgres:16-alpine")
        .port(5433, 5432)
        .env(&["POSTGRES_USER=app", "POSTGRES_PASSWORD=secret"]);
    let cache = sample("cache", "cache", 1)
        .image("redis:7-alpine")
        .port(16379, 6379)
        .spec(|spec| {
            spec.command = vec!["redis-server".into(), "--requirepass".into(), "pw".into()]
        });
    let done = sample("migrate", "migrate", 1).state(ContainerState::Exited { code: 0 });
    let loose = Sample::lone("adminer")
        .id("loose")
        .image("adminer:4")
        .started(time(2, 0, 0));
    vec![
        cache.build(),
        container("ticker", "ticker", 1),
        healthy.build(),
        unhealthy.build(),
        crash.build(),
        restarting.build(),
        starting.build(),
        done.build(),
        container("worker1", "worker", 1),
        container("worker2", "worker", 2),
        loose.build(),
    ]
}

pub fn stats() -> Vec<(String, Stats)> {
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

pub const PG: &str = "pg:stacktop-test/db";
pub const REDIS: &str = "redis:stacktop-test/cache";

pub fn pg_snapshot() -> PgSnapshot {
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

pub fn redis_snapshot() -> RedisSnapshot {
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

/// An app of `size`, connected to an engine that listed `containers`.
pub fn connected_app(size: (u16, u16), containers: Vec<Container>) -> App {
    connected_app_with(Settings::default(), size, containers)
}

/// [`connected_app`] with `settings`.
pub fn connected_app_with(settings: Settings, size: (u16, u16), containers: Vec<Container>) -> App {
    let mut app = App::new(settings, "unix:///var/run/docker.sock".into(), now());
    app.update(Event::Resize(ui::layout::viewport(size.0, size.1)));
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Connected {
            product: "Docker".into(),
            version: "28.2.2".into(),
            endpoint: "unix:///var/run/docker.sock".into(),
        },
    ));
    app.update(Event::Docker(
        EngineId(0),
        DockerEvent::Containers(containers),
    ));
    app
}

pub fn overview_app(size: (u16, u16)) -> App {
    let mut app = connected_app(size, stack());
    app.update(Event::Docker(EngineId(0), DockerEvent::Stats(stats())));
    app.update(Event::Probe(ProbeEvent::Snapshot {
        target_id: PG.into(),
        snapshot: Box::new(Snapshot::Postgres(pg_snapshot())),
    }));
    for ops in [10.0, 40.0, 25.0, 80.0, 120.0, 60.0, 90.0] {
        app.update(Event::Probe(ProbeEvent::Snapshot {
            target_id: REDIS.into(),
            snapshot: Box::new(Snapshot::Redis(RedisSnapshot {
                ops_per_sec: ops,
                ..redis_snapshot()
            })),
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

pub fn press(app: &mut App, code: KeyCode) {
    app.update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

pub fn draw(app: &App, theme: &Theme) -> Terminal<TestBackend> {
    let (w, h) = (app.screen.viewport.width, app.screen.viewport.height);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| {
            ui::render(app, theme, f);
        })
        .unwrap();
    terminal
}

/// Draws a frame and hands the app where things landed, as the runtime
/// does after each frame (clicks and the help's scrolling need it).
pub fn settle(app: &mut App, theme: &Theme) {
    let (w, h) = (app.screen.viewport.width, app.screen.viewport.height);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut hits = None;
    terminal
        .draw(|f| hits = Some(ui::render(app, theme, f)))
        .unwrap();
    if let Some(hits) = hits {
        app.update(Event::Layout(hits));
    }
}

/// Checks a drawn screen against its snapshot: one folder for the whole
/// render test, each file named by view and size.
pub fn assert_screen(name: &str, terminal: &Terminal<TestBackend>) {
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(name, terminal.backend());
    });
}

pub fn snapshot(name: &str, build: impl Fn((u16, u16)) -> App) {
    let theme = Theme::default();
    for size in SIZES {
        let app = build(size);
        let terminal = draw(&app, &theme);
        assert_screen(&format!("{name}_{}x{}", size.0, size.1), &terminal);
    }
}

pub fn row_of_label(app: &App, label: &str) -> usize {
    app.list
        .rows
        .iter()
        .position(|r| match r {
            stacktop::app::Row::Container(id) => {
                app.store.label(app.store.container(id).unwrap()) == label
            }
            _ => false,
        })
        .unwrap()
}

pub fn database_app(size: (u16, u16), label: &str) -> App {
    let mut app = overview_app(size);
    app.list.selected = row_of_label(&app, label);
    press(&mut app, KeyCode::Char('d'));
    assert!(app.database_view().is_some());
    app
}

/// Finds the first cell whose row text contains `needle`; returns its row.
pub fn row_of(terminal: &Terminal<TestBackend>, needle: &str) -> u16 {
    let height = terminal.backend().buffer().area.height;
    (0..height)
        .find(|y| row_text(terminal, *y).contains(needle))
        .unwrap_or_else(|| panic!("{needle} not on screen"))
}

/// The text of row `y` of the screen.
pub fn row_text(terminal: &Terminal<TestBackend>, y: u16) -> String {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol().to_string())
        .collect()
}
