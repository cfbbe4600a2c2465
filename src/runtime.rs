//! The run loop: collectors in, `update`, commands out, draw.
//!
//! Every source sends on one channel, the terminal's input on one of its
//! own that the loop always reads first. The loop drains the queued
//! events (at most [`BATCH`], for at most a [`FRAME`]), then draws at most
//! once, no more often than every [`FRAME`]; so a log flood costs one frame
//! per interval, not one per line, and a key waits for one event's work
//! at most.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::Local;
use crossterm::event::{
    Event as TermEvent, EventStream, KeyEventKind, MouseButton, MouseEventKind,
};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{self, Receiver, Sender};
use tokio::sync::watch;
use tokio::time::{Instant, sleep_until};

use crate::app::App;
use crate::backend::{Backend, Backends, docker_backends};
use crate::collect::dispatch::{Collectors, Reading};
use crate::collect::host;
use crate::command::Command;
use crate::config::Settings;
use crate::config::notify::NotifySettings;
use crate::engine::EngineId;
use crate::event::Event;
use crate::frame_stats::FrameStats;
use crate::jobs::{self, logs::LogsHandle};
use crate::keymap::{Action, Context as KeyContext};
use crate::state_file;
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
/// Input events queued at most.
const INPUT_QUEUE: usize = 64;

pub async fn run(settings: Settings, theme: Theme) -> Result<()> {
    let (tx, rx) = mpsc::channel(QUEUE);
    let (input_tx, input) = mpsc::channel(INPUT_QUEUE);
    // Before the screen is taken, so "no engine answers" stays readable.
    let engines = crate::engine::choose(&settings.engines)
        .await
        .map_err(anyhow::Error::msg)?;
    let mut tui = Tui::enter()?;
    let now = Local::now().fixed_offset();
    let endpoints: Vec<_> = engines.iter().map(|e| e.target().clone()).collect();
    let engines = docker_backends(engines);
    let mut app = App::with_engines(settings.clone(), &endpoints, now);
    let size = tui.terminal.size().context("reading the terminal size")?;
    app.screen.viewport = ui::layout::viewport(size.width, size.height);
    restore_prefs(&mut app, settings.state_file.as_deref());
    debug_panic(&mut tui, &app, &theme)?;
    // Signals and a lost terminal end the loop past any queue of events.
    let (stop, stopped) = watch::channel(false);
    spawn_sources(&engines, (&tx, input_tx), &settings, &stop);
    let running = Running {
        engines,
        logs: HashMap::new(),
        collectors: Collectors::new(&settings, Reading::Now),
        prefs: state_file::Writer::new(settings.state_file.clone()),
        notify: settings.notify,
    };
    let channels = Channels {
        rx,
        input,
        tx,
        stopped,
    };
    let result = event_loop(&mut tui, &mut app, &theme, channels, running).await;
    drop(tui);
    result
}

/// What the state file remembers from the last run; a file that cannot be
/// read is said on screen, and the defaults are used.
fn restore_prefs(app: &mut App, path: Option<&std::path::Path>) {
    let Some(path) = path else {
        return;
    };
    match state_file::load(path) {
        Ok(prefs) => app.restore(prefs),
        Err(e) => app.say(
            crate::app::Level::Error,
            format!("state file ignored: {e:#}"),
        ),
    }
}

/// `STACKTOP_DEBUG_PANIC`: panics once the first frame is drawn, so tests
/// can prove the terminal is restored and the message printed.
fn debug_panic(tui: &mut Tui, app: &App, theme: &Theme) -> Result<()> {
    if std::env::var_os("STACKTOP_DEBUG_PANIC").is_none() {
        return Ok(());
    }
    tui.terminal
        .draw(|frame| {
            ui::render(app, theme, frame);
        })
        .context("drawing")?;
    panic!("debug panic requested by STACKTOP_DEBUG_PANIC");
}

fn spawn_sources(
    engines: &Backends,
    (tx, input): (&Sender<Event>, Sender<Event>),
    settings: &Settings,
    stop: &watch::Sender<bool>,
) {
    // One collector per engine: one going away leaves the others running.
    for engine in engines {
        engine.follow(tx.clone(), settings.interval);
    }
    supervise(
        "the host collector",
        tx.clone(),
        host::run(tx.clone(), settings.interval),
    );
    let reader = read_terminal(input, stop.clone());
    supervise("the keyboard reader", tx.clone(), reader);
    supervise("the clock", tx.clone(), tick(tx.clone()));
    let signals = watch_signals(stop.clone());
    supervise("the signal watcher", tx.clone(), signals);
}

/// What the loop listens to: events, the terminal's input, and the stop
/// that signals and a lost terminal set.
struct Channels {
    rx: Receiver<Event>,
    input: Receiver<Event>,
    tx: Sender<Event>,
    stopped: watch::Receiver<bool>,
}

async fn event_loop(
    tui: &mut Tui,
    app: &mut App,
    theme: &Theme,
    channels: Channels,
    running: Running,
) -> Result<()> {
    let Channels {
        mut rx,
        mut input,
        tx,
        mut stopped,
    } = channels;
    let mut looping = Looping {
        tui,
        app,
        running,
        tx,
        stats: FrameStats::from_env(),
    };
    let started = looping.app.start();
    let mut quit = looping.run_all(started);
    let mut dirty = true;
    let mut next_frame = Instant::now();
    // Until the terminal reader ends (the terminal went: `stopped` says so).
    let mut reading = true;
    while !quit {
        if dirty && Instant::now() >= next_frame {
            let (asked, took) = looping.draw(theme)?;
            dirty = false;
            // A frame that takes long to draw leaves as long for events.
            next_frame = Instant::now() + FRAME.max(took * 2);
            if asked {
                break;
            }
        }
        let first = tokio::select! {
            biased;
            _ = stopped.changed() => Some(Event::Terminate),
            event = input.recv(), if reading => match event {
                Some(event) => Some(event),
                None => {
                    reading = false;
                    continue;
                }
            },
            event = rx.recv() => event,
            () = sleep_until(next_frame), if dirty => continue,
        };
        let Some(first) = first else {
            return Ok(());
        };
        let queues = Queues {
            input: &mut input,
            rx: &mut rx,
            stopped: &stopped,
        };
        quit = looping.take(first, queues)?;
        dirty = true;
    }
    Ok(())
}

/// What the loop reads events from, after the first.
struct Queues<'a> {
    input: &'a mut Receiver<Event>,
    rx: &'a mut Receiver<Event>,
    stopped: &'a watch::Receiver<bool>,
}

/// What drawing and taking events share.
struct Looping<'a> {
    tui: &'a mut Tui,
    app: &'a mut App,
    running: Running,
    tx: Sender<Event>,
    stats: FrameStats,
}

impl Looping<'_> {
    /// Runs what the app asked for; true when it asks to quit.
    fn run_all(&mut self, commands: Vec<Command>) -> bool {
        let mut quit = false;
        for command in commands {
            quit |= self.running.run(command, &self.tx, self.tui);
        }
        quit
    }

    /// Draws a frame of the list arranged; returns whether the app asks
    /// to quit, and how long it took.
    fn draw(&mut self, theme: &Theme) -> Result<(bool, Duration)> {
        let began = Instant::now();
        self.app.settle();
        let app = &*self.app;
        let mut hits = None;
        self.tui
            .terminal
            .draw(|frame| hits = Some(ui::render(app, theme, frame)))
            .context("drawing")?;
        let mut quit = false;
        // Where things landed changes only with the layout: tell the app
        // then (it needs no redraw for it).
        if let Some(hits) = hits.filter(|h| *h != self.app.screen.hits) {
            let commands = self.app.update(Event::Layout(hits));
            quit = self.run_all(commands);
        }
        self.stats.frame_drawn();
        Ok((quit, began.elapsed()))
    }

    /// Takes `first` and what is queued after it, input first, for at
    /// most [`BATCH`] events and a [`FRAME`]; true when the app asks to
    /// quit.
    fn take(&mut self, first: Event, queues: Queues<'_>) -> Result<bool> {
        let began = Instant::now();
        let mut pending = Some(first);
        let mut handled = 0;
        let mut quit = false;
        while let Some(event) = pending.take() {
            if matches!(event, Event::Key(_)) {
                self.stats.key_received();
            }
            if is_suspend(self.app, &event) {
                self.tui.suspend()?;
            } else {
                let commands = self.app.absorb(event);
                quit |= self.run_all(commands);
            }
            handled += 1;
            if *queues.stopped.borrow() && !quit {
                pending = Some(Event::Terminate);
            } else if handled < BATCH && began.elapsed() < FRAME && !quit {
                pending = queues
                    .input
                    .try_recv()
                    .or_else(|_| queues.rx.try_recv())
                    .ok();
            }
        }
        self.tui.capture_mouse(self.app.screen.mouse_capture)?;
        Ok(quit)
    }
}

/// The suspend key (Ctrl-Z unless remapped) stops the process: the
/// runtime does that, not the app.
fn is_suspend(app: &App, event: &Event) -> bool {
    matches!(event, Event::Key(k)
        if k.kind != KeyEventKind::Release
            && app.settings.keys.lookup(KeyContext::Everywhere, k) == Some(Action::Suspend))
}

/// What the loop owns besides the app: the engines, open log streams, the
/// collectors, the state file's writer and which alerts the config turns
/// on.
struct Running {
    /// By `EngineId`.
    engines: Backends,
    logs: HashMap<u64, LogsHandle>,
    collectors: Collectors,
    prefs: state_file::Writer,
    notify: NotifySettings,
}

impl Running {
    /// Starts what `command` asks for; true when it asks to quit. Bells,
    /// notifications and titles go to the terminal here, and only here.
    fn run(&mut self, command: Command, tx: &Sender<Event>, tui: &mut Tui) -> bool {
        let tx = tx.clone();
        match command {
            Command::Act {
                engine,
                verb,
                container_id,
                container_name,
            } => {
                if let Some(engine) = self.engine(engine) {
                    engine.act(verb, container_id, container_name, tx);
                }
            }
            Command::OpenLogs {
                engine,
                session,
                sources,
                query,
            } => {
                if let Some(engine) = self.engine(engine) {
                    let handle = engine.logs(session, sources, query, tx);
                    self.logs.insert(session, handle);
                }
            }
            Command::SaveLog { path, text, lines } => {
                jobs::save::spawn_save(path, text, lines, tx);
            }
            Command::CloseLogs { session } => {
                if let Some(mut handle) = self.logs.remove(&session) {
                    handle.close();
                }
            }
            Command::Collect(work) => self.collectors.run(work, &tx),
            Command::PlanReset(plan) => {
                if let Some(engine) = self.engine(plan.engine) {
                    engine.plan_reset(*plan, tx);
                }
            }
            Command::Reset(plan) => {
                if let Some(engine) = self.engine(plan.engine) {
                    engine.reset(*plan, tx);
                }
            }
            Command::Up {
                engine,
                project,
                service,
            } => {
                if let Some(engine) = self.engine(engine) {
                    engine.up(*project, service, tx);
                }
            }
            Command::SignalBackend {
                target,
                pid,
                signal,
            } => jobs::pg::spawn_signal(target, pid, signal, tx),
            Command::PurgeQueue {
                target,
                vhost,
                queue,
            } => jobs::rabbit::spawn_purge(target, vhost, queue, tx),
            Command::SavePrefs(prefs) => self.prefs.save(prefs, &tx),
            Command::Alert(text) => {
                let mut told = Ok(());
                if self.notify.bell {
                    told = tui.bell();
                }
                told = told.and_then(|()| tui.notify(self.notify.desktop, &text));
                if let Err(e) = told {
                    tracing::warn!(error = %format!("{e:#}"), "alert not sent");
                }
            }
            Command::SetTitle(title) => {
                if let Err(e) = tui.set_title(&title) {
                    tracing::warn!(error = %format!("{e:#}"), "title not set");
                }
            }
            Command::Quit => return true,
        }
        false
    }
}

impl Running {
    /// Engine `id`: every row carries the id of an engine followed.
    fn engine(&self, id: EngineId) -> Option<&Arc<dyn Backend>> {
        let engine = self.engines.get(id.index());
        if engine.is_none() {
            tracing::warn!(?id, "a command for an engine not followed");
        }
        engine
    }
}

/// Two left clicks on one cell this close together are a double click.
const DOUBLE_CLICK: Duration = Duration::from_millis(400);

/// Reads the terminal's input; when the terminal is gone (an error such
/// as EIO, or the end of input), stops stacktop.
async fn read_terminal(tx: Sender<Event>, stop: watch::Sender<bool>) {
    let mut events = EventStream::new();
    let mut last_click: Option<(Instant, u16, u16)> = None;
    loop {
        let event = match events.next().await {
            Some(Ok(event)) => event,
            Some(Err(error)) => {
                tracing::warn!(%error, "the terminal is gone");
                stop.send_replace(true);
                return;
            }
            None => {
                stop.send_replace(true);
                return;
            }
        };
        let event = match event {
            TermEvent::Key(key) => Event::Key(key),
            TermEvent::Mouse(mouse) if mouse.kind == MouseEventKind::Down(MouseButton::Left) => {
                let now = Instant::now();
                let again = last_click.is_some_and(|(at, x, y)| {
                    now - at < DOUBLE_CLICK && (x, y) == (mouse.column, mouse.row)
                });
                last_click = (!again).then_some((now, mouse.column, mouse.row));
                if again {
                    Event::DoubleClick(mouse)
                } else {
                    Event::Mouse(mouse)
                }
            }
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

/// SIGTERM, SIGHUP and SIGINT stop stacktop, whatever the loop is busy
/// with.
async fn watch_signals(stop: watch::Sender<bool>) {
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
    stop.send_replace(true);
}
