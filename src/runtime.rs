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

use crate::actions::{self, logs::LogsHandle};
use crate::app::App;
use crate::collect::probes::Probes;
use crate::collect::{docker, host};
use crate::config::Settings;
use crate::event::{Command, Event};
use crate::frame_stats::FrameStats;
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
    let mut tui = Tui::enter()?;
    let now = Local::now().fixed_offset();
    let mut app = App::new(settings.clone(), docker::endpoint(), now);
    let size = tui.terminal.size().context("reading the terminal size")?;
    app.size = (size.width, size.height);
    spawn_sources(&tx, &settings);
    let result = event_loop(&mut tui, &mut app, &theme, rx, tx).await;
    drop(tui);
    result
}

fn spawn_sources(tx: &Sender<Event>, settings: &Settings) {
    let options = docker::DockerOptions {
        interval: settings.interval,
    };
    tokio::spawn(docker::run(tx.clone(), options));
    tokio::spawn(host::run(tx.clone(), settings.interval));
    tokio::spawn(read_terminal(tx.clone()));
    tokio::spawn(tick(tx.clone()));
    tokio::spawn(watch_signals(tx.clone()));
}

async fn event_loop(
    tui: &mut Tui,
    app: &mut App,
    theme: &Theme,
    mut rx: Receiver<Event>,
    tx: Sender<Event>,
) -> Result<()> {
    let mut running = Running {
        logs: HashMap::new(),
        probes: Probes::new(app.settings.interval),
    };
    for command in app.start() {
        run_command(command, &mut running, &tx);
    }
    let mut dirty = true;
    let mut next_frame = Instant::now();
    let mut stats = FrameStats::from_env();
    let panic_requested = std::env::var_os("STACKTOP_DEBUG_PANIC").is_some();
    loop {
        if dirty && Instant::now() >= next_frame {
            tui.terminal
                .draw(|frame| ui::render(app, theme, frame))
                .context("drawing")?;
            stats.frame_drawn();
            dirty = false;
            next_frame = Instant::now() + FRAME;
            // Lets tests prove the terminal is restored and the message
            // printed when something goes badly wrong.
            assert!(
                !panic_requested,
                "debug panic requested by STACKTOP_DEBUG_PANIC"
            );
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
                    run_command(command, &mut running, &tx);
                }
            }
            handled += 1;
            if handled < BATCH {
                pending = rx.try_recv().ok();
            }
        }
        dirty = true;
        if app.quit {
            return Ok(());
        }
    }
}

fn is_suspend(event: &Event) -> bool {
    matches!(event, Event::Key(k)
        if k.code == KeyCode::Char('z')
            && k.modifiers.contains(KeyModifiers::CONTROL)
            && k.kind != KeyEventKind::Release)
}

/// What the loop owns besides the app: open log streams and probes.
struct Running {
    logs: HashMap<u64, LogsHandle>,
    probes: Probes,
}

fn run_command(command: Command, running: &mut Running, tx: &Sender<Event>) {
    let Running { logs, probes } = running;
    match command {
        Command::Act {
            kind,
            container_id,
            container_name,
        } => actions::spawn_action(kind, container_id, container_name, tx.clone()),
        Command::OpenLogs {
            session,
            sources,
            tail,
        } => {
            let handle = actions::logs::open(session, sources, tail, tx.clone());
            logs.insert(session, handle);
        }
        Command::CloseLogs { session } => {
            if let Some(mut handle) = logs.remove(&session) {
                handle.close();
            }
        }
        Command::SetTargets(targets) => probes.set(targets, tx),
        Command::LoadProject {
            name,
            working_dir,
            files,
        } => crate::compose::spawn_load(name, working_dir, files, tx.clone()),
        Command::PlanReset(plan) => actions::reset::spawn_plan(*plan, tx.clone()),
        Command::Reset(plan) => actions::reset::spawn_reset(*plan, tx.clone()),
        Command::Up { project, service } => {
            actions::reset::spawn_up(*project, service, tx.clone());
        }
        Command::SignalBackend {
            target,
            pid,
            signal,
        } => actions::pg::spawn_signal(target, pid, signal, tx.clone()),
        Command::Quit => {}
    }
}

async fn read_terminal(tx: Sender<Event>) {
    let mut events = EventStream::new();
    while let Some(Ok(event)) = events.next().await {
        let event = match event {
            TermEvent::Key(key) => Event::Key(key),
            TermEvent::Mouse(mouse) => Event::Mouse(mouse),
            TermEvent::Resize(w, h) => Event::Resize(w, h),
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
