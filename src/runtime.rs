//! The run loop: collectors in, `update`, commands out, draw.
//!
//! Every source sends on one channel. The loop drains all queued events,
//! then draws at most once, no more often than [`FRAME`]; so a log flood
//! costs one frame per interval, not one per line.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::Local;
use crossterm::event::{Event as TermEvent, EventStream, KeyCode, KeyEventKind, KeyModifiers};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{self, Receiver, Sender};
use tokio::time::{Instant, sleep_until};

use crate::app::App;
use crate::collect::probes::Probes;
use crate::collect::{docker, host};
use crate::command::Command;
use crate::config::Settings;
use crate::engine::Engine;
use crate::event::Event;
use crate::frame_stats::FrameStats;
use crate::jobs::{self, logs::LogsHandle};
use crate::tasks::supervise;
use crate::theme::Theme;
use crate::tui::Tui;
use crate::ui;

/// Shortest time between two frames (about 30 per second).
const FRAME: Duration = Duration::from_millis(33);
/// Events queued at most; senders wait beyond it (log floods slow down
/// instead of filling memory).
const QUEUE: usize = 128;
/// Events handled before a frame is drawn, so input never starves.
const BATCH: usize = 256;

pub async fn run(settings: Settings, theme: Theme) -> Result<()> {
    let (tx, rx) = mpsc::channel(QUEUE);
    let engine = Engine::from_env();
    let mut tui = Tui::enter()?;
    let now = Local::now().fixed_offset();
    let mut app = App::new(settings.clone(), engine.endpoint().to_string(), now);
    let size = tui.terminal.size().context("reading the terminal size")?;
    app.viewport = ui::layout::viewport(size.width, size.height);
    debug_panic(&mut tui, &app, &theme)?;
    spawn_sources(&engine, &tx, &settings);
    let running = Running {
        engine,
        logs: HashMap::new(),
        probes: Probes::new(settings.interval),
    };
    let result = event_loop(&mut tui, &mut app, &theme, rx, tx, running).await;
    drop(tui);
    result
}

/// `STACKTOP_DEBUG_PANIC`: panics once the first frame is drawn, so tests
/// can prove the terminal is restored and the message printed.
fn debug_panic(tui: &mut Tui, app: &App, theme: &Theme) -> Result<()> {
    if std::env::var_os("STACKTOP_DEBUG_PANIC").is_none() {
        return Ok(());
    }
    tui.terminal
        .draw(|frame| ui::render(app, theme, frame))
        .context("drawing")?;
    panic!("debug panic requested by STACKTOP_DEBUG_PANIC");
}

fn spawn_sources(engine: &Engine, tx: &Sender<Event>, settings: &Settings) {
    let options = docker::DockerOptions {
        interval: settings.interval,
    };
    let docker = docker::run(engine.clone(), tx.clone(), options);
    supervise("the Docker collector", tx.clone(), docker);
    supervise(
        "the host collector",
        tx.clone(),
        host::run(tx.clone(), settings.interval),
    );
    supervise("the keyboard reader", tx.clone(), read_terminal(tx.clone()));
    supervise("the clock", tx.clone(), tick(tx.clone()));
    supervise("the signal watcher", tx.clone(), watch_signals(tx.clone()));
}

async fn event_loop(
    tui: &mut Tui,
    app: &mut App,
    theme: &Theme,
    mut rx: Receiver<Event>,
    tx: Sender<Event>,
    mut running: Running,
) -> Result<()> {
    let mut quit = false;
    for command in app.start() {
        quit |= running.run(command, &tx);
    }
    let mut dirty = true;
    let mut next_frame = Instant::now();
    let mut stats = FrameStats::from_env();
    while !quit {
        if dirty && Instant::now() >= next_frame {
            tui.terminal
                .draw(|frame| ui::render(app, theme, frame))
                .context("drawing")?;
            stats.frame_drawn();
            dirty = false;
            next_frame = Instant::now() + FRAME;
        }
        let first = tokio::select! {
            event = rx.recv() => event,
            () = sleep_until(next_frame), if dirty => continue,
        };
        let Some(first) = first else {
            return Ok(());
        };
        let mut pending = Some(first);
        let mut handled = 0;
        while let Some(event) = pending.take() {
            if matches!(event, Event::Key(_)) {
                stats.key_received();
            }
            if is_suspend(&event) {
                tui.suspend()?;
            } else {
                for command in app.update(event) {
                    quit |= running.run(command, &tx);
                }
            }
            handled += 1;
            if handled < BATCH && !quit {
                pending = rx.try_recv().ok();
            }
        }
        tui.capture_mouse(app.mouse_capture)?;
        dirty = true;
    }
    Ok(())
}

fn is_suspend(event: &Event) -> bool {
    matches!(event, Event::Key(k)
        if k.code == KeyCode::Char('z')
            && k.modifiers.contains(KeyModifiers::CONTROL)
            && k.kind != KeyEventKind::Release)
}

/// What the loop owns besides the app: the engine, open log streams and
/// the probes.
struct Running {
    engine: Engine,
    logs: HashMap<u64, LogsHandle>,
    probes: Probes,
}

impl Running {
    /// Starts what `command` asks for; true when it asks to quit.
    fn run(&mut self, command: Command, tx: &Sender<Event>) -> bool {
        let engine = self.engine.clone();
        let tx = tx.clone();
        match command {
            Command::Act {
                verb,
                container_id,
                container_name,
            } => jobs::spawn_verb(engine, verb, container_id, container_name, tx),
            Command::OpenLogs {
                session,
                sources,
                query,
            } => {
                let handle = jobs::logs::open(&engine, session, sources, query, tx);
                self.logs.insert(session, handle);
            }
            Command::SaveLog { path, text, lines } => {
                jobs::save::spawn_save(path, text, lines, tx);
            }
            Command::CloseLogs { session } => {
                if let Some(mut handle) = self.logs.remove(&session) {
                    handle.close();
                }
            }
            Command::SetTargets(targets) => self.probes.set(targets, &tx),
            Command::LoadProject(location) => crate::compose::spawn_load(location, tx),
            Command::PlanReset(plan) => jobs::reset::spawn_plan(engine, *plan, tx),
            Command::Reset(plan) => jobs::reset::spawn_reset(engine, *plan, tx),
            Command::Up { project, service } => {
                jobs::reset::spawn_up(engine, *project, service, tx);
            }
            Command::SignalBackend {
                target,
                pid,
                signal,
            } => jobs::pg::spawn_signal(target, pid, signal, tx),
            Command::Quit => return true,
        }
        false
    }
}

async fn read_terminal(tx: Sender<Event>) {
    let mut events = EventStream::new();
    while let Some(Ok(event)) = events.next().await {
        let event = match event {
            TermEvent::Key(key) => Event::Key(key),
            TermEvent::Mouse(mouse) => Event::Mouse(mouse),
            TermEvent::Resize(w, h) => Event::Resize(ui::layout::viewport(w, h)),
            _ => continue,
        };
        if tx.send(event).await.is_err() {
            return;
        }
    }
}

async fn tick(tx: Sender<Event>) {
    let mut interval = tokio::time::interval(Duration::from_secs(1));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        interval.tick().await;
        if tx
            .send(Event::Tick(Local::now().fixed_offset()))
            .await
            .is_err()
        {
            return;
        }
    }
}

async fn watch_signals(tx: Sender<Event>) {
    let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
        signal(SignalKind::interrupt()),
    ) else {
        tracing::warn!("cannot watch termination signals");
        return;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = hup.recv() => {}
        _ = int.recv() => {}
    }
    let _ = tx.send(Event::Terminate).await;
}
